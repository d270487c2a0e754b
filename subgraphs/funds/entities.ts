import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CreditCodeScalar } from '../../platform/credit-code';
import { Sensitive } from '../kit/audit-trail';
import { FenScalar } from '../kit/money';

/** Whose money a budget indicator is: the city's share of a city policy, or the county's. */
export const BudgetLevel = { CITY: 'CITY', COUNTY: 'COUNTY' } as const;
export type BudgetLevel = (typeof BudgetLevel)[keyof typeof BudgetLevel];
registerEnumType(BudgetLevel, {
  name: 'BudgetLevel',
  description: '预算层级',
  valuesConfig: { CITY: { description: '市级资金' }, COUNTY: { description: '县级资金' } },
});

/** The ledger's entry kinds (docs/funds.md): every change of an indicator's totals is one of these. */
export const BudgetEntryKind = { ASSIGN: 'ASSIGN', ADJUST: 'ADJUST', HOLD: 'HOLD', RELEASE: 'RELEASE', SPEND: 'SPEND' } as const;
export type BudgetEntryKind = (typeof BudgetEntryKind)[keyof typeof BudgetEntryKind];
registerEnumType(BudgetEntryKind, {
  name: 'BudgetEntryKind',
  description: '预算台账分录类型',
  valuesConfig: {
    ASSIGN: { description: '下达指标' },
    ADJUST: { description: '调整（须写明理由）' },
    HOLD: { description: '支付令占用' },
    RELEASE: { description: '支付失败或退回，释放占用' },
    SPEND: { description: '支付成功，列支' },
  },
});

/**
 * 预算指标: one per (policy, fiscal year, level, region). The totals are kept on the row and
 * changed only together with a ledger entry in the same transaction, by conditional UPDATEs
 * (funds/budget.service.ts) so `remaining = assigned − held − spent` never goes below zero.
 */
@ObjectType('Budget', { description: '预算指标（按政策、年度、层级、地区）' })
@Entity({ tableName: 'budget_indicator' })
@Unique({ properties: ['policyId', 'fiscalYear', 'level', 'regionCode'] })
@Index({ properties: ['fiscalYear', 'policyId'] })
export class BudgetIndicator {
  @Field(() => ID)
  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  @Field({ description: '政策编号' })
  @Property({ type: 'string', length: 20 })
  policyId!: string;

  @Field(() => Int, { description: '预算年度' })
  @Property({ type: 'integer' })
  fiscalYear!: number;

  @Field(() => BudgetLevel)
  @Property({ type: 'string', length: 10 })
  level!: BudgetLevel;

  @Field({ description: '县（区）行政区划代码' })
  @Property({ type: 'string', length: 6 })
  regionCode!: string;

  @Field(() => String, { nullable: true, description: '政策主管部门，如 360732-MIIT' })
  @Property({ type: 'string', length: 20, nullable: true })
  department!: string | null;

  @Field(() => FenScalar, { description: '已下达（含调整），分' })
  @Property({ type: 'bigint', runtimeType: 'number' })
  assignedFen!: number;

  @Field(() => FenScalar, { description: '支付令占用，分' })
  @Property({ type: 'bigint', runtimeType: 'number' })
  heldFen!: number;

  @Field(() => FenScalar, { description: '已支付，分' })
  @Property({ type: 'bigint', runtimeType: 'number' })
  spentFen!: number;

  /** The city's share in basis points for a city policy's indicators (both carry it), null for a county policy: orders split by it. */
  @Field(() => Int, { nullable: true, description: '市级政策的市级分担比例（基点）；县级政策为 null' })
  @Property({ type: 'integer', nullable: true })
  cityShareBp!: number | null;

  @Field({ description: '已归集至县行政审批局（只有已归集的指标可以支付）' })
  @Property({ type: 'boolean' })
  movedToPayer!: boolean;

  /**
   * Its fiscal year is closed (年度关账): set by closeFiscalYear in its transaction, and every budget
   * move's conditional UPDATE requires it false — the row lock orders a move racing the close.
   */
  @Field({ description: '所属年度已关账（不再接受预算调整、归集与新的占用）' })
  @Property({ type: 'boolean', default: false })
  closed: boolean = false;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  movedAt!: Date | null;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  updatedAt!: Date;
}

/** One line of an indicator's ledger: never updated, never deleted. */
@ObjectType({ description: '预算台账分录' })
@Entity({ tableName: 'budget_entry' })
@Index({ properties: ['indicatorId', 'at'] })
@Index({ properties: ['orderId'] })
export class BudgetEntry {
  @Field(() => ID)
  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  @Field(() => ID)
  @Property({ type: 'string', length: 36 })
  indicatorId!: string;

  @Field(() => BudgetEntryKind)
  @Property({ type: 'string', length: 10 })
  kind!: BudgetEntryKind;

  /** Signed for ADJUST; positive for every other kind. */
  @Field(() => FenScalar, { description: '金额，分（调整可为负）' })
  @Property({ type: 'bigint', runtimeType: 'number' })
  amountFen!: number;

  @Field(() => ID, { nullable: true, description: '相关支付令' })
  @Property({ type: 'string', length: 36, nullable: true })
  orderId!: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  reason!: string | null;

  @Field({ description: '经办人' })
  @Property({ type: 'string', length: 100 })
  actor!: string;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  at!: Date;
}

export const PaymentStatus = {
  WAITING_BUDGET: 'WAITING_BUDGET',
  PENDING: 'PENDING',
  SENT: 'SENT',
  SETTLED: 'SETTLED',
  FAILED: 'FAILED',
  RETURNED: 'RETURNED',
} as const;
export type PaymentStatus = (typeof PaymentStatus)[keyof typeof PaymentStatus];
export const PAYMENT_STATUS_NAMES: Record<PaymentStatus, string> = {
  WAITING_BUDGET: '待预算（指标不足）',
  PENDING: '待发送',
  SENT: '已发送银行',
  SETTLED: '已到账',
  FAILED: '支付失败',
  RETURNED: '被退回',
};
registerEnumType(PaymentStatus, {
  name: 'PaymentStatus',
  description: '支付令状态',
  valuesConfig: Object.fromEntries(Object.entries(PAYMENT_STATUS_NAMES).map(([s, description]) => [s, { description }])),
});

/**
 * 支付令: one per application (`applicationId` unique), sent to the bank under its own id as the
 * idempotency key, whatever the retries. Status changes are conditional UPDATEs on the status
 * (funds/payment.service.ts): two racing senders cannot both move it.
 */
@ObjectType({ description: '支付令' })
@Entity({ tableName: 'payment_order' })
@Unique({ properties: ['applicationId'] })
@Index({ properties: ['status', 'createdAt'] })
@Index({ properties: ['regionCode', 'createdAt'] })
export class PaymentOrder {
  @Field(() => ID, { description: '支付令编号（即银行幂等键）' })
  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  @Field(() => ID, { description: '申请（办件）编号' })
  @Property({ type: 'string', length: 36 })
  applicationId!: string;

  @Field(() => String, { nullable: true, description: '受理回执编号' })
  @Property({ type: 'string', length: 40, nullable: true })
  receiptNumber!: string | null;

  @Field({ description: '政策编号' })
  @Property({ type: 'string', length: 20 })
  policyId!: string;

  @Field(() => Int, { description: '预算年度' })
  @Property({ type: 'integer' })
  fiscalYear!: number;

  @Field({ description: '地区' })
  @Property({ type: 'string', length: 6 })
  regionCode!: string;

  @Field(() => String, { nullable: true, description: '主管部门' })
  @Property({ type: 'string', length: 20, nullable: true })
  department!: string | null;

  @Field(() => CreditCodeScalar, { description: '收款企业' })
  @Property({ type: 'string', length: 18, index: true })
  creditCode!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 200, nullable: true })
  enterpriseName!: string | null;

  @Field(() => FenScalar, { description: '金额，分' })
  @Property({ type: 'bigint', runtimeType: 'number' })
  amountFen!: number;

  @Field(() => FenScalar, { description: '市级资金承担，分' })
  @Property({ type: 'bigint', runtimeType: 'number' })
  cityFen!: number;

  @Field(() => FenScalar, { description: '县级资金承担，分' })
  @Property({ type: 'bigint', runtimeType: 'number' })
  countyFen!: number;

  /** Never a @Field: served masked (funds resolver); masked in audit events. */
  @Sensitive()
  @Property({ type: 'string', length: 40 })
  payeeAccount!: string;

  @Field({ description: '收款银行' })
  @Property({ type: 'string', length: 100 })
  payeeBank!: string;

  @Field(() => PaymentStatus)
  @Property({ type: 'string', length: 20 })
  status!: PaymentStatus;

  @Field(() => String, { nullable: true, description: '待预算的原因（哪个指标、差多少）' })
  @Property({ type: 'text', nullable: true })
  waitingReason!: string | null;

  /** Whether the HOLD entries are in place (PENDING, SENT; released on FAILED/RETURNED). */
  @Property({ type: 'boolean' })
  holding!: boolean;

  @Field(() => String, { nullable: true, description: '银行流水号' })
  @Property({ type: 'string', length: 64, nullable: true })
  bankReference!: string | null;

  @Field(() => String, { nullable: true, description: '银行给出的失败或退回原因' })
  @Property({ type: 'text', nullable: true })
  bankReason!: string | null;

  @Field(() => Int, { description: '发送次数（同一幂等键）' })
  @Property({ type: 'integer' })
  attempts!: number;

  @Field({ description: '兑付期限（1 个工作日）' })
  @Property({ type: 'string', length: 10 })
  deadline!: string;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  sentAt!: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  settledAt!: Date | null;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  updatedAt!: Date;
}

/** One difference reconciliation found between the orders and the bank's statement. */
@ObjectType({ description: '对账差异' })
export class ReconciliationDifference {
  @Field(() => ID, { nullable: true })
  orderId!: string | null;

  @Field({ description: '差异类型：SETTLED_NOT_IN_STATEMENT、AMOUNT_DIFFERS、UNKNOWN_IN_STATEMENT、SETTLED_AT_BANK' })
  kind!: string;

  @Field()
  detail!: string;
}

/** A reconciliation's result, kept (on demand or by the daily job). */
@ObjectType({ description: '对账报告' })
@Entity({ tableName: 'reconciliation_report' })
@Index({ properties: ['date'] })
export class ReconciliationReport {
  @Field(() => ID)
  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  @Field({ description: '对账日期' })
  @Property({ type: 'string', length: 10 })
  date!: string;

  @Field(() => Int, { description: '核对的支付令数' })
  @Property({ type: 'integer' })
  checked!: number;

  @Field(() => Int, { description: '据银行流水纠正的支付令数' })
  @Property({ type: 'integer' })
  fixed!: number;

  @Field(() => [ReconciliationDifference])
  @Property({ type: 'json' })
  differences!: ReconciliationDifference[];

  @Field()
  @Property({ type: 'string', length: 100 })
  ranBy!: string;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  ranAt!: Date;
}
