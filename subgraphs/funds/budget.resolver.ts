import type { FilterQuery } from '@mikro-orm/core';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { AppError, ErrorCode, forbidden, notFound } from '../../platform/errors';
import { regionCovers } from '../../platform/identity';
import { FenScalar } from '../kit/money';
import { ConnectionType, PageArgs, paginate } from '../kit/pagination';
import { Guard, regionCondition } from '../kit/scope';
import { nowOf } from '../kit/services';
import type { Context } from '../kit/subgraph';
import { IntRange, RegionCode, rule, UUID } from '../kit/validation';
import { canSeeBudget, requireBudgetReader, requireBudgetWriter } from './access';
import { adjust, assign, moveToPayer, remainingOf, splitAmount } from './budget.service';
import { BudgetEntry, BudgetIndicator } from './entities';
import type { FundsLoaders } from './loaders';
import { retryWaiting } from './payment.service';

type FundsContext = Context<FundsLoaders>;
const MAX_PAGE = 100;

const Reason = () =>
  rule('reason', (v) => (typeof v === 'string' && v.trim().length > 0 && [...v].length <= 500 && !/[\u0000-\u001f\u200b-\u200f\u202a-\u202e]/.test(v) ? undefined : '须写明理由（1–500 个字符，不含控制字符）'));
const PolicyId = () => rule('policyId', (v) => (typeof v === 'string' && /^[A-Z]{2,6}-\d{4}-\d{3}$/.test(v) ? undefined : '政策编号格式应如 GXJ-2026-001'));
const Uuid = (label: string) => rule('uuid', (v) => (typeof v === 'string' && UUID.test(v) ? undefined : `${label}应为 UUID`));
const NonNegativeFen = () => rule('fen', (v) => (typeof v === 'number' && v >= 0 ? undefined : '预算金额不能为负'));
const NonZeroFen = () => rule('fen', (v) => (typeof v === 'number' && v !== 0 ? undefined : '调整金额不能为 0'));

@InputType({ description: '下达预算指标' })
class SetBudgetInput {
  @Field({ description: '政策编号' })
  @PolicyId()
  policyId!: string;

  @Field(() => Int, { description: '预算年度' })
  @IntRange('预算年度', 2020, 2100)
  fiscalYear!: number;

  @Field(() => FenScalar, { description: '该政策本年度在本地区的预算总额（分）；市级政策按市县分担比例拆为两个指标' })
  @NonNegativeFen()
  amountFen!: number;

  @Field({ description: '理由（如 预算批复文号）' })
  @Reason()
  reason!: string;

  @Field(() => String, { nullable: true, description: '县（区）代码；缺省为本人所属地区' })
  @RegionCode()
  regionCode?: string | null;
}

@ArgsType()
class AdjustBudgetArgs {
  @Field(() => ID)
  @Uuid('预算指标编号')
  id!: string;

  @Field(() => FenScalar, { description: '调增为正、调减为负（分）' })
  @NonZeroFen()
  deltaFen!: number;

  @Field({ description: '调整理由（必填）' })
  @Reason()
  reason!: string;
}

@ArgsType()
class BudgetsArgs extends PageArgs {
  @Field(() => Int)
  @IntRange('预算年度', 2020, 2100)
  fiscalYear!: number;

  @Field(() => String, { nullable: true })
  @PolicyId()
  policyId?: string | null;
}

export const BudgetConnection = ConnectionType(BudgetIndicator, 'Budget', '预算指标（分页）');

const keyOf = (b: BudgetIndicator) => ({ policyId: b.policyId, fiscalYear: b.fiscalYear, regionCode: b.regionCode });

interface PolicyFacts {
  department: string;
  level: 'CITY' | 'COUNTY';
  cityShareBp: number | null;
}

/** The policy's department and city share, read through the graph (never the policies subgraph's tables). */
async function policyFacts(ctx: FundsContext, policyId: string, region: string): Promise<PolicyFacts> {
  const graph = ctx.services.graph;
  if (!graph) throw new AppError(ErrorCode.SUBGRAPH_UNAVAILABLE, '暂时无法读取政策信息（未配置图服务），未作任何修改，请稍后重试', { serviceName: 'policies' });
  let data: { policy: PolicyFacts | null };
  try {
    data = await graph.request('query FundsPolicy($id: String!) { policy(id: $id) { department level cityShareBp } }', { id: policyId }, { purpose: `预算指标：${policyId}`, region });
  } catch {
    throw new AppError(ErrorCode.SUBGRAPH_UNAVAILABLE, '暂时无法读取政策信息（政策子图或网关无响应），未作任何修改，请稍后重试', { serviceName: 'policies' });
  }
  if (!data.policy) throw notFound('政策', policyId);
  return data.policy;
}

@Resolver(() => BudgetIndicator)
export class BudgetResolver {
  @Query(() => BudgetConnection, { description: '预算指标（财政、审批局、审计；主管部门只读本部门）' })
  @Guard(requireBudgetReader)
  async budgets(@Args(() => BudgetsArgs) args: BudgetsArgs, @Ctx() ctx: FundsContext) {
    const id = ctx.identity;
    const where: FilterQuery<BudgetIndicator>[] = [{ fiscalYear: args.fiscalYear }];
    if (args.policyId) where.push({ policyId: args.policyId });
    if (id.role === 'FINANCE' || id.role === 'APPROVAL_BUREAU') where.push(regionCondition(id.region ?? '-') as FilterQuery<BudgetIndicator>);
    else if (id.role !== 'AUDITOR') where.push({ department: id.department ?? '-' });
    return paginate(ctx.em, BudgetIndicator, { $and: where }, { key: 'id', first: args.first, after: args.after, max: MAX_PAGE });
  }

  @FieldResolver(() => FenScalar, { description: '剩余 = 已下达 − 占用 − 已支付（分）' })
  remainingFen(@Root() budget: BudgetIndicator): number {
    return remainingOf(budget);
  }

  @FieldResolver(() => [BudgetEntry], { description: '台账（时间顺序）' })
  entries(@Root() budget: BudgetIndicator, @Ctx() ctx: FundsContext): Promise<BudgetEntry[]> {
    return ctx.loaders.entries.load(budget.id);
  }

  @Mutation(() => [BudgetIndicator], { description: '下达（或重设）预算指标（县财政局，本地区）：市级政策按分担比例拆为市级、县级两个指标，县级承担尾差' })
  @Guard(requireBudgetWriter)
  async setBudget(@Arg('input', () => SetBudgetInput) input: SetBudgetInput, @Ctx() ctx: FundsContext): Promise<BudgetIndicator[]> {
    const region = input.regionCode ?? ctx.identity.region ?? '';
    if (!ctx.identity.region || !regionCovers(ctx.identity.region, region) || region.endsWith('00')) {
      throw forbidden(`只能为本人所属地区的县（区）下达预算；请指定 regionCode（当前：${region || '无'}）`);
    }
    const policy = await policyFacts(ctx, input.policyId, region);
    const cityShareBp = policy.level === 'CITY' ? policy.cityShareBp : null;
    const { cityFen, countyFen } = splitAmount(input.amountFen, cityShareBp);
    const actor = ctx.identity.subject ?? 'FINANCE';
    const at = nowOf(ctx.services);
    const reason = input.reason.trim();
    const rows = await ctx.em.fork().transactional(async (tx) => {
      const key = { policyId: input.policyId, fiscalYear: input.fiscalYear, regionCode: region, department: policy.department, cityShareBp };
      const out: BudgetIndicator[] = [];
      if (cityShareBp) out.push(await assign(tx, { ...key, level: 'CITY' }, cityFen, reason, actor, at));
      out.push(await assign(tx, { ...key, level: 'COUNTY' }, countyFen, reason, actor, at));
      return out.map((b) => b.id);
    });
    await retryWaiting(ctx.em, { policyId: input.policyId, fiscalYear: input.fiscalYear, regionCode: region }, actor, at);
    return ctx.em.fork().find(BudgetIndicator, { id: { $in: rows } }, { orderBy: { level: 'asc' } });
  }

  @Mutation(() => BudgetIndicator, { description: '调整预算指标（县财政局，本地区）：须写明理由；调减不能低于已占用与已支付之和' })
  @Guard(requireBudgetWriter)
  async adjustBudget(@Args(() => AdjustBudgetArgs) args: AdjustBudgetArgs, @Ctx() ctx: FundsContext): Promise<BudgetIndicator> {
    const budget = await this.ownBudget(ctx, args.id);
    const at = nowOf(ctx.services);
    const actor = ctx.identity.subject ?? 'FINANCE';
    await ctx.em.fork().transactional((tx) => adjust(tx, budget.id, args.deltaFen, args.reason.trim(), actor, at));
    await retryWaiting(ctx.em, keyOf(budget), actor, at);
    return (await ctx.em.fork().findOne(BudgetIndicator, { id: budget.id }))!;
  }

  @Mutation(() => BudgetIndicator, { description: '归集：预算指标移交县行政审批局统一兑付（县财政局，本地区）；只有已归集的指标可以支付' })
  @Guard(requireBudgetWriter)
  async moveBudgetToPayer(@Arg('id', () => ID) id: string, @Ctx() ctx: FundsContext): Promise<BudgetIndicator> {
    if (!UUID.test(id)) throw new AppError(ErrorCode.BAD_USER_INPUT, '预算指标编号应为 UUID');
    const budget = await this.ownBudget(ctx, id);
    const at = nowOf(ctx.services);
    await ctx.em.fork().transactional((tx) => moveToPayer(tx, budget.id, at));
    await retryWaiting(ctx.em, keyOf(budget), ctx.identity.subject ?? 'FINANCE', at);
    return (await ctx.em.fork().findOne(BudgetIndicator, { id: budget.id }))!;
  }

  /** A budget the caller (FINANCE) may change: of their region; any other is as absent. */
  private async ownBudget(ctx: FundsContext, id: string): Promise<BudgetIndicator> {
    const budget = await ctx.em.findOne(BudgetIndicator, { id });
    if (!budget || !canSeeBudget(ctx.identity, budget)) throw notFound('预算指标', id);
    return budget;
  }
}
