import { Arg, Args, ArgsType, Ctx, Directive, Field, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { forbidden, invalidInput, type FieldProblem } from '../../platform/errors';
import { regionCovers, type Identity, type Role } from '../../platform/identity';
import { toChinaDate } from '../kit/calendar';
import { assertCanReadEnterpriseKey, Guard, requireAuthenticated, requireWriter } from '../kit/scope';
import type { Context } from '../kit/subgraph';
import { CalendarDate, rule } from '../kit/validation';
import { EnterpriseReference } from './enterprise.reference';
import {
  JointAuditRule,
  JointAuditRuleInput,
  JointAuditRuleSet,
  JointAuditVerdict,
  type JointAuditEffect,
  type JointAuditOutcome,
  type JointAuditRuleEffect,
  type JointAuditSourceState,
} from './joint-audit.types';
import type { JointAuditLoaders } from './loaders';
import { JointAuditPolicyRules } from './policy-rules.entity';
import { DEFAULT_RULES, describeRule, policyCodeProblem, ruleProblems, type AuditRule } from './rules';
import { REQUIRED_FIELDS } from './sources';
import { decide, type SourceFindingsInput } from './verdict';

type Ctx = Context<JointAuditLoaders>;

/** Who may run a joint audit: the officials who decide or pay, and the auditor. Not the window, not the enterprise. */
const JOINT_AUDIT_READERS: ReadonlySet<Role> = new Set<Role>(['APPROVAL_BUREAU', 'FINANCE', 'DEPARTMENT_REVIEWER', 'DEPARTMENT_SYSTEM', 'ADMIN', 'AUDITOR']);

function assertJointAuditReader(identity: Identity): void {
  requireAuthenticated(identity);
  if (!JOINT_AUDIT_READERS.has(identity.role)) throw forbidden('无权进行联合审核：需要审批、财政、部门审核、部门系统、管理员或审计角色');
}

/** Rules are changed by the approval bureau (it owns the joint audit) and administrators; the auditor only reads. */
function assertRuleWriter(identity: Identity): void {
  requireWriter(identity, 'APPROVAL_BUREAU', 'ADMIN');
}

const PolicyCode = () => rule('policyCode', (value) => (typeof value === 'string' ? policyCodeProblem(value) : '政策编号应为文本'));



@ArgsType()
class JointAuditArgs {
  @Field(() => String, { description: '政策编号；未单独配置规则的政策使用默认规则' })
  @PolicyCode()
  policyCode!: string;

  @Field(() => String, { nullable: true, description: '核查日期 YYYY-MM-DD，默认今天（北京时间）' })
  @CalendarDate({ label: '核查日期', min: '2000-01-01' })
  asOf?: string | null;
}

const ruleView = (r: AuditRule): JointAuditRule => ({
  source: r.source,
  category: r.category,
  withinMonths: r.withinMonths,
  activeOnly: r.activeOnly,
  effect: r.effect as JointAuditRuleEffect,
  description: describeRule(r),
});

function ruleSetView(policyCode: string, row: JointAuditPolicyRules | null): JointAuditRuleSet {
  return {
    policyCode,
    isDefault: !row,
    regionCode: row?.regionCode ?? null,
    updatedAt: row?.updatedAt ?? null,
    rules: (row?.rules ?? DEFAULT_RULES).map(ruleView),
  };
}

@Resolver(() => EnterpriseReference)
export class EnterpriseJointAuditResolver {
  @FieldResolver(() => JointAuditVerdict, {
    nullable: true,
    description: '联合审核：按政策规则核查各部门记录，给出 通过/提示/暂缓 结论；任一来源无法核查时结论为暂缓',
  })
  @Directive(`@requires(fields: "${REQUIRED_FIELDS}")`)
  @Guard(assertJointAuditReader)
  async jointAudit(@Root() enterprise: EnterpriseReference, @Args(() => JointAuditArgs) args: JointAuditArgs, @Ctx() ctx: Ctx): Promise<JointAuditVerdict> {
    assertCanReadEnterpriseKey(ctx.identity, enterprise.creditCode);
    const asOf = args.asOf ?? toChinaDate(new Date());
    const row = await ctx.loaders.policyRules.load(args.policyCode);
    const rules = row?.rules ?? DEFAULT_RULES;
    const result = decide(enterprise as unknown as Record<string, SourceFindingsInput | null>, rules, asOf);
    return {
      creditCode: enterprise.creditCode,
      policyCode: args.policyCode,
      asOf,
      verdict: result.verdict as JointAuditOutcome,
      findings: result.findings.map((f) => ({
        ...f,
        effect: f.effect as JointAuditEffect,
        rule: f.rule ? ruleView(f.rule) : null,
      })),
      sources: result.sources.map((s) => ({ ...s, status: s.status as JointAuditSourceState })),
      reasons: result.reasons,
      rules: rules.map(ruleView),
      rulesAreDefault: !row,
    };
  }
}

@Resolver(() => JointAuditRuleSet)
export class JointAuditRulesResolver {
  @Query(() => JointAuditRuleSet, { description: '一项政策的联合审核规则（未单独配置时为默认规则）' })
  @Guard(assertJointAuditReader)
  async jointAuditRules(@Arg('policyCode', () => String) policyCode: string, @Ctx() ctx: Ctx): Promise<JointAuditRuleSet> {
    const problem = policyCodeProblem(policyCode);
    if (problem) throw invalidInput([{ field: 'policyCode', message: problem }]);
    return ruleSetView(policyCode, await ctx.loaders.policyRules.load(policyCode));
  }

  @Mutation(() => JointAuditRuleSet, { description: '设置一项政策的联合审核规则（整体替换）。县行政审批局、管理员可用，限本地区' })
  @Guard(assertRuleWriter)
  async setJointAuditRules(
    @Arg('policyCode', () => String) policyCode: string,
    @Arg('rules', () => [JointAuditRuleInput]) input: JointAuditRuleInput[],
    @Ctx() ctx: Ctx,
  ): Promise<JointAuditRuleSet> {
    const rules: AuditRule[] = input.map((r) => ({
      source: r.source,
      category: r.category,
      withinMonths: r.withinMonths ?? null,
      activeOnly: r.activeOnly ?? false,
      effect: r.effect,
    }));
    const problems: FieldProblem[] = [];
    const codeProblem = policyCodeProblem(policyCode);
    if (codeProblem) problems.push({ field: 'policyCode', message: codeProblem });
    problems.push(...ruleProblems(rules));
    if (problems.length) throw invalidInput(problems);
    const region = ctx.identity.region!;
    return ctx.em.transactional(async (em) => {
      const existing = await em.findOne(JointAuditPolicyRules, { policyCode });
      if (existing && !regionCovers(region, existing.regionCode)) {
        throw forbidden(`无权修改政策 ${policyCode} 的联合审核规则：它属于地区 ${existing.regionCode}，您所属地区为 ${region}`);
      }
      const row = existing ?? em.create(JointAuditPolicyRules, { policyCode, regionCode: region, rules, updatedAt: new Date() });
      row.rules = rules;
      row.updatedAt = new Date();
      await em.flush();
      return ruleSetView(policyCode, row);
    });
  }
}
