import type { FilterQuery } from '@mikro-orm/core';
import { Args, ArgsType, Ctx, Field, FieldResolver, ID, InputType, Mutation, Query, Resolver, Root } from 'type-graphql';
import { notFound } from '../../platform/errors';
import { maskBankAccount } from '../kit/mask';
import { ConnectionType, PageArgs, paginate } from '../kit/pagination';
import { Guard, regionCondition } from '../kit/scope';
import { nowOf } from '../kit/services';
import type { Context } from '../kit/subgraph';
import { CalendarDate, rule, UUID } from '../kit/validation';
import { canSeeOrder, requireOrderReader, requirePayer, requireReconciler, seesFullAccount } from './access';
import { ApplicationReference } from './application.stub';
import { bankOf } from './bank-of';
import { PaymentOrder, PaymentStatus, ReconciliationReport } from './entities';
import type { FundsLoaders } from './loaders';
import { reconcile, retryOrder, sendOrder } from './payment.service';

type FundsContext = Context<FundsLoaders>;
const MAX_PAGE = 100;
const MAX_BATCH = 100;

export const PaymentOrderConnection = ConnectionType(PaymentOrder, 'PaymentOrder', '支付令（分页）');

@InputType({ description: '支付令筛选' })
class PaymentOrderFilter {
  @Field(() => PaymentStatus, { nullable: true })
  status?: PaymentStatus | null;

  @Field(() => String, { nullable: true, description: '政策编号' })
  @rule('policyId', (v) => (v == null || (typeof v === 'string' && /^[A-Z]{2,6}-\d{4}-\d{3}$/.test(v)) ? undefined : '政策编号格式应如 GXJ-2026-001'))
  policyId?: string | null;
}

@ArgsType()
class PaymentOrdersArgs extends PageArgs {
  @Field(() => PaymentOrderFilter, { nullable: true })
  filter?: PaymentOrderFilter | null;
}

@ArgsType()
class OrderIdArgs {
  @Field(() => ID, { description: '支付令编号' })
  @rule('id', (v) => (typeof v === 'string' && UUID.test(v) ? undefined : '支付令编号应为 UUID'))
  id!: string;
}

@ArgsType()
class OrderIdsArgs {
  @Field(() => [ID], { description: '支付令编号（至多 100 个）' })
  @rule('ids', (v) => (Array.isArray(v) && v.length > 0 && v.length <= MAX_BATCH && v.every((x) => typeof x === 'string' && UUID.test(x)) ? undefined : `支付令编号应为 1–${MAX_BATCH} 个 UUID`))
  ids!: string[];
}

@ArgsType()
class ReconcileArgs {
  @Field({ description: '对账日期 YYYY-MM-DD（北京时间）' })
  @CalendarDate({ label: '对账日期', min: '2020-01-01' })
  date!: string;
}

@Resolver(() => PaymentOrder)
export class PaymentOrderResolver {
  @FieldResolver(() => String, { description: '收款账号（本地区审批局与财政全号，其他人掩码）' })
  payeeAccount(@Root() order: PaymentOrder, @Ctx() ctx: FundsContext): string {
    return seesFullAccount(ctx.identity, order) ? order.payeeAccount : maskBankAccount(order.payeeAccount);
  }

  @Query(() => PaymentOrderConnection, { description: '支付令（审批局、财政：本地区；审计：全部；主管部门：本部门；企业：本企业）' })
  @Guard(requireOrderReader)
  async paymentOrders(@Args(() => PaymentOrdersArgs) args: PaymentOrdersArgs, @Ctx() ctx: FundsContext) {
    const id = ctx.identity;
    const where: FilterQuery<PaymentOrder>[] = [];
    if (args.filter?.status) where.push({ status: args.filter.status });
    if (args.filter?.policyId) where.push({ policyId: args.filter.policyId });
    if (id.role === 'ENTERPRISE') where.push({ creditCode: id.creditCode ?? '-' });
    else if (id.role === 'FINANCE' || id.role === 'APPROVAL_BUREAU') where.push(regionCondition(id.region ?? '-') as FilterQuery<PaymentOrder>);
    else if (id.role !== 'AUDITOR') where.push({ department: id.department ?? '-' });
    return paginate(ctx.em, PaymentOrder, where.length ? { $and: where } : {}, { key: 'id', first: args.first, after: args.after, max: MAX_PAGE });
  }

  @Mutation(() => PaymentOrder, { description: '发送支付令至代理银行（县行政审批局，本地区）；以支付令编号为幂等键，重复请求不会重复支付' })
  @Guard(requirePayer)
  async sendPaymentOrder(@Args(() => OrderIdArgs) { id }: OrderIdArgs, @Ctx() ctx: FundsContext): Promise<PaymentOrder> {
    await this.payable(ctx, id);
    return sendOrder(ctx.em, bankOf(ctx.em, ctx.services), id, ctx.identity.subject ?? 'APPROVAL_BUREAU', () => nowOf(ctx.services));
  }

  @Mutation(() => [PaymentOrder], { description: '批量发送支付令（县行政审批局，本地区；至多 100 个）' })
  @Guard(requirePayer)
  async sendPaymentOrders(@Args(() => OrderIdsArgs) { ids }: OrderIdsArgs, @Ctx() ctx: FundsContext): Promise<PaymentOrder[]> {
    // Every id authorized before any is sent: one not payable by the caller sends none.
    for (const id of ids) await this.payable(ctx, id);
    const bank = bankOf(ctx.em, ctx.services);
    const out: PaymentOrder[] = [];
    for (const id of new Set(ids)) out.push(await sendOrder(ctx.em, bank, id, ctx.identity.subject ?? 'APPROVAL_BUREAU', () => nowOf(ctx.services)));
    return out;
  }

  @Mutation(() => PaymentOrder, { description: '重新支付失败或被退回的支付令（县行政审批局，本地区），沿用同一幂等键' })
  @Guard(requirePayer)
  async retryPaymentOrder(@Args(() => OrderIdArgs) { id }: OrderIdArgs, @Ctx() ctx: FundsContext): Promise<PaymentOrder> {
    await this.payable(ctx, id);
    return retryOrder(ctx.em, bankOf(ctx.em, ctx.services), id, ctx.identity.subject ?? 'APPROVAL_BUREAU', () => nowOf(ctx.services));
  }

  @Mutation(() => ReconciliationReport, { description: '与代理银行对账（县行政审批局、县财政局）：据银行结果纠正已发送的支付令，报告差异' })
  @Guard(requireReconciler)
  async reconcilePayments(@Args(() => ReconcileArgs) { date }: ReconcileArgs, @Ctx() ctx: FundsContext): Promise<ReconciliationReport> {
    return reconcile(ctx.em, bankOf(ctx.em, ctx.services), date, ctx.identity.subject ?? ctx.identity.role ?? 'unknown', () => nowOf(ctx.services));
  }

  /** An order the caller (APPROVAL_BUREAU) may pay: of their region; any other is as absent. */
  private async payable(ctx: FundsContext, id: string): Promise<PaymentOrder> {
    const order = await ctx.em.fork().findOne(PaymentOrder, { id });
    if (!order || !canSeeOrder(ctx.identity, order)) throw notFound('支付令', id);
    return order;
  }
}

@Resolver(() => ApplicationReference)
export class ApplicationPaymentResolver {
  /** The case's payment order: null before the case awaits payment, and for a reader who may not see it. */
  @FieldResolver(() => PaymentOrder, { nullable: true, description: '兑付支付令（审批局、财政、审计、主管部门、企业本身可查看）' })
  async payment(@Root() application: ApplicationReference, @Ctx() ctx: FundsContext): Promise<PaymentOrder | null> {
    requireOrderReader(ctx.identity);
    const order = await ctx.loaders.orderByApplication.load(application.id);
    return order && canSeeOrder(ctx.identity, order) ? order : null;
  }
}

