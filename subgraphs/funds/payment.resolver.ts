import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { maskBankAccount } from '../kit/mask';
import type { Context } from '../kit/subgraph';
import { canSeeOrder, requireOrderReader, seesFullAccount } from './access';
import { ApplicationReference } from './application.stub';
import { PaymentOrder } from './entities';
import type { FundsLoaders } from './loaders';

type FundsContext = Context<FundsLoaders>;

@Resolver(() => PaymentOrder)
export class PaymentOrderFieldsResolver {
  @FieldResolver(() => String, { description: '收款账号（付款方与财政全号，其他人掩码）' })
  payeeAccount(@Root() order: PaymentOrder, @Ctx() ctx: FundsContext): string {
    return seesFullAccount(ctx.identity, order) ? order.payeeAccount : maskBankAccount(order.payeeAccount);
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
