import { IsOptional } from 'class-validator';
import { Arg, Ctx, Field, InputType, Int, Mutation, ObjectType, registerEnumType, Resolver } from 'type-graphql';
import { AppError, ErrorCode, echo } from '../../../platform/errors';
import { requireWriter } from '../../kit/scope';
import type { Context } from '../../kit/subgraph';
import { IntRange, rule, SafeText } from '../../kit/validation';
import type { BankAdapter } from './adapter';
import { SimulatedBank } from './simulated-bank';

/** The faults `simulateBankFault` can set (demos): the simulation's knobs, plus returning a settled payment now. */
export enum SimulatedBankFaultKind {
  FAIL = 'FAIL',
  TIMEOUT_BEFORE = 'TIMEOUT_BEFORE',
  TIMEOUT_AFTER = 'TIMEOUT_AFTER',
  RETURN = 'RETURN',
  RETURN_SETTLED = 'RETURN_SETTLED',
}
registerEnumType(SimulatedBankFaultKind, {
  name: 'SimulatedBankFaultKind',
  description: '模拟银行的故障：FAIL 拒绝受理；TIMEOUT_BEFORE 入账前超时（未发生）；TIMEOUT_AFTER 入账后超时（已入账、调用方不知）；RETURN 入账后立即退汇；RETURN_SETTLED 把一笔已入账的支付令现在退回（须给出支付令编号）',
});

const ORDER_ID = /^[A-Za-z0-9_-]{1,64}$/;
const OrderIdText = () =>
  rule('bankOrderId', (value) => (typeof value === 'string' && ORDER_ID.test(value) ? undefined : `支付令编号应为 1–64 位字母、数字、- 或 _，收到“${echo(value)}”`));

@InputType({ description: '让模拟银行出一次（或接下来 N 次）故障：仅供演示与测试，仅 ADMIN' })
export class SimulateBankFaultInput {
  @Field(() => SimulatedBankFaultKind)
  kind!: SimulatedBankFaultKind;

  @Field(() => String, { nullable: true, description: '只对这笔支付令生效；不填则对接下来的 times 笔发送生效（RETURN_SETTLED 必填）' })
  @IsOptional()
  @OrderIdText()
  orderId?: string | null;

  @Field(() => Int, { nullable: true, description: '生效次数，默认 1（1–1000）' })
  @IsOptional()
  @IntRange('生效次数', 1, 1000)
  times?: number | null;

  @Field(() => String, { nullable: true, description: '银行给出的原因（FAIL、RETURN、RETURN_SETTLED）' })
  @IsOptional()
  @SafeText({ label: '原因', max: 200 })
  reason?: string | null;
}

@ObjectType({ description: '已设置的模拟银行故障' })
export class SimulatedBankFault {
  @Field(() => SimulatedBankFaultKind)
  kind!: SimulatedBankFaultKind;

  @Field(() => String, { nullable: true })
  orderId!: string | null;

  @Field(() => Int)
  times!: number;

  @Field(() => String, { nullable: true })
  reason!: string | null;
}

/**
 * `simulateBankFault` for demos, as a resolver class the funds subgraph lists in its resolvers:
 * `simulateBankFaultResolver((ctx) => <the subgraph's bank adapter>)`. ADMIN only; refused with
 * WRONG_STATE when the configured adapter is a real bank's. Tests call SimulatedBank directly.
 */
export function simulateBankFaultResolver(bankOf: (ctx: Context<any>) => BankAdapter) {
  @Resolver()
  class SimulateBankFaultResolver {
    @Mutation(() => SimulatedBankFault, { description: '让模拟代理银行出故障（演示用；仅 ADMIN；接入真实银行时不可用）' })
    async simulateBankFault(@Arg('input', () => SimulateBankFaultInput) input: SimulateBankFaultInput, @Ctx() ctx: Context<any>): Promise<SimulatedBankFault> {
      requireWriter(ctx.identity, 'ADMIN');
      const bank = bankOf(ctx);
      if (!(bank instanceof SimulatedBank)) throw new AppError(ErrorCode.WRONG_STATE, '当前接入的是真实代理银行（BANK_ADAPTER 不是 simulated），不能模拟故障');
      const times = input.times ?? 1;
      const reason = input.reason ?? null;
      if (input.kind === SimulatedBankFaultKind.RETURN_SETTLED) {
        if (!input.orderId) throw new AppError(ErrorCode.BAD_USER_INPUT, '退回已入账的支付：须填写支付令编号（orderId）');
        await bank.returnPayment(input.orderId, reason ?? '收款行退汇：模拟退回');
        return { kind: input.kind, orderId: input.orderId, times: 1, reason };
      }
      await bank.injectFault({ kind: input.kind, orderId: input.orderId ?? undefined, times, reason: reason ?? undefined });
      return { kind: input.kind, orderId: input.orderId ?? null, times, reason };
    }
  }
  return SimulateBankFaultResolver;
}
