import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CreditCodeScalar } from '../../../platform/credit-code';
import { FenScalar } from '../../kit/money';
import { SourceRecord } from '../kit';

export enum TaxCreditRating {
  A = 'A',
  B = 'B',
  M = 'M',
  C = 'C',
  D = 'D',
}
registerEnumType(TaxCreditRating, {
  name: 'TaxCreditRating',
  description: '纳税信用级别（国家税务总局纳税信用管理办法）',
  valuesConfig: {
    A: { description: '90分以上' },
    B: { description: '70分以上不满90分' },
    M: { description: '新设立企业或评价年度无营业收入且70分以上' },
    C: { description: '40分以上不满70分' },
    D: { description: '不满40分或有严重失信行为' },
  },
});

/** What the county tax bureau (县税务局) shares with the joint audit about one taxpayer. */
@ObjectType({ description: '纳税信息（县税务局）。联合审核的数据来源之一。' })
@Entity({ tableName: 'tax_profile' })
@Index({ properties: ['regionCode', 'creditCode'] })
export class TaxProfile {
  @Field(() => CreditCodeScalar, { description: '纳税人统一社会信用代码' })
  @PrimaryKey({ type: 'string', length: 18 })
  creditCode!: string;

  @Field({ description: '主管税务机关所在地区' })
  @Property({ type: 'string', length: 6, index: true })
  regionCode!: string;

  @Field(() => TaxCreditRating, { description: '最近一次纳税信用评价级别' })
  @Enum({ items: () => TaxCreditRating, index: true })
  creditRating!: TaxCreditRating;

  @Field(() => Int, { description: '评价年度' })
  @Property({ type: 'integer' })
  ratingYear!: number;

  @Field(() => FenScalar, { description: '欠税金额（分），0 表示无欠税' })
  @Property({ type: 'bigint', runtimeType: 'number' })
  arrearsFen!: number;

  @Field({ description: '最近一次申报日期 YYYY-MM-DD' })
  @Property({ type: 'string', length: 10 })
  lastFiledOn!: string;

  @Field(() => String, { nullable: true, description: '纳税信用评价结果发布日期 YYYY-MM-DD' })
  @Property({ type: 'string', length: 10, nullable: true })
  ratedOn?: string | null;

  @Field(() => String, { nullable: true, description: '纳税信用评价文号' })
  @Property({ type: 'string', length: 64, nullable: true })
  reference?: string | null;

  @Field(() => String, { nullable: true, description: '欠税发生日期 YYYY-MM-DD；无欠税为 null' })
  @Property({ type: 'string', length: 10, nullable: true })
  arrearsSince?: string | null;

  @Field(() => String, { nullable: true, description: '欠税公告或催缴文书文号' })
  @Property({ type: 'string', length: 64, nullable: true })
  arrearsReference?: string | null;

  @Field({ description: '记录时间：该记录在税务局的数据时点' })
  @Property({ type: 'datetime', defaultRaw: 'current_timestamp', index: true })
  recordedAt!: Date;
}

/** Revenue and tax paid in one year (企业所得税年度汇算清缴), fen. `occurredOn`: filed on. */
@ObjectType({ description: '年度营业收入与实缴税款（县税务局）' })
@Entity({ tableName: 'tax_year' })
export class TaxYear extends SourceRecord {
  @Field(() => Int, { description: '年度' })
  @Property({ type: 'integer' })
  year!: number;

  @Field(() => FenScalar, { description: '营业收入（分）' })
  @Property({ type: 'bigint', runtimeType: 'number' })
  revenueFen!: number;

  @Field(() => FenScalar, { description: '实缴税款合计（分）' })
  @Property({ type: 'bigint', runtimeType: 'number' })
  taxPaidFen!: number;
}
