import { Args, ArgsType, Ctx, Directive, Field, FieldResolver, Resolver, Root } from 'type-graphql';
import { toChinaDate } from '../../kit/calendar';
import { assertCanReadEnterpriseKey, Guard, requireAuthenticated } from '../../kit/scope';
import type { Context } from '../../kit/subgraph';
import { CalendarDate } from '../../kit/validation';
import { MatchingEnterprise, REQUIRED_FIELDS } from './enterprise.stub';
import type { PoliciesLoaders } from './loader';
import { byRank, indicatorValues, latestYearOf, matchPolicy, offered } from './match';
import { EligiblePolicy } from './matching.types';

type Ctx = Context<PoliciesLoaders>;



@ArgsType()
class EligiblePoliciesArgs {
  @Field(() => Boolean, { defaultValue: true, description: 'false：只列出符合的政策' })
  includeNearly!: boolean;

  @Field(() => String, { nullable: true, description: '计算日期 YYYY-MM-DD（“当年”“注册满一年”等按此日期计算），默认今天（北京时间）' })
  @CalendarDate({ label: '计算日期', min: '2000-01-01' })
  asOf?: string | null;
}

@Resolver(() => MatchingEnterprise)
export class EnterpriseEligiblePoliciesResolver {
  @FieldResolver(() => [EligiblePolicy], {
    description:
      '政策计算器：企业符合或接近符合的已发布政策、预计金额与未满足/无法判断的条件。指标经联邦图从各来源子图获取，按调用者身份读取：无权读取的来源（如窗口人员读取纳税信息）视为缺少数据，相关条件为“无法判断”。',
  })
  @Directive(`@requires(fields: "${REQUIRED_FIELDS}")`)
  @Guard(requireAuthenticated)
  async eligiblePolicies(
    @Root() enterprise: MatchingEnterprise,
    @Args(() => EligiblePoliciesArgs) args: EligiblePoliciesArgs,
    @Ctx() ctx: Ctx,
  ): Promise<EligiblePolicy[]> {
    // Officials of its region, the auditor and the enterprise itself; the public is refused by the guard.
    assertCanReadEnterpriseKey(ctx.identity, enterprise.creditCode);
    const catalog = await ctx.loaders.publishedCatalog();
    const rep = enterprise as unknown as Record<string, unknown>;
    const values = indicatorValues(rep);
    const evaluatedOn = args.asOf ?? toChinaDate(new Date());
    const evalCtx = { today: evaluatedOn, latestYear: latestYearOf(rep) };
    const matches = catalog.policies
      .filter((p) => offered(p, enterprise.regionCode, evaluatedOn))
      .map((p) => matchPolicy(p, values, evalCtx, args.includeNearly))
      .filter((m) => m !== null)
      .sort(byRank);
    return matches.map((m) => ({
      policy: catalog.views.get(m.policyId)!,
      version: m.version,
      outcome: m.outcome,
      estimatedAmountFen: m.estimatedAmountFen,
      amountText: m.amountText,
      unmetConditions: m.unmetConditions,
      unknownConditions: m.unknownConditions,
      explanation: m.explanation,
      evaluatedOn,
    }));
  }
}
