import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { FenScalar } from '../../kit/money';

/**
 * 年度关账: a fiscal year of a county closed by 县财政局 after its clearing. One row per (year,
 * region), never updated: its existence freezes the year (no budget moves, no new or retried
 * payment orders: funds/clearing/fiscal-year.ts `assertFiscalYearOpen`); reads still work. The
 * totals are the clearing as it stood when the year was closed, kept for the record.
 */
@ObjectType({ description: '年度关账记录' })
@Entity({ tableName: 'fiscal_year_closure' })
@Unique({ properties: ['fiscalYear', 'regionCode'] })
export class FiscalYearClosure {
  @Field(() => ID)
  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  @Field(() => Int, { description: '预算年度' })
  @Property({ type: 'integer' })
  fiscalYear!: number;

  @Field({ description: '县（区）行政区划代码' })
  @Property({ type: 'string', length: 6 })
  regionCode!: string;

  @Field(() => FenScalar, { description: '关账时的预算指标合计，分' })
  @Property({ type: 'bigint', runtimeType: 'number' })
  budgetFen!: number;

  @Field(() => FenScalar, { description: '关账时的已支付合计，分' })
  @Property({ type: 'bigint', runtimeType: 'number' })
  paidFen!: number;

  @Field(() => FenScalar, { description: '关账时的结余合计，分' })
  @Property({ type: 'bigint', runtimeType: 'number' })
  remainingFen!: number;

  @Field({ description: '关账人' })
  @Property({ type: 'string', length: 100 })
  closedBy!: string;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  closedAt!: Date;
}
