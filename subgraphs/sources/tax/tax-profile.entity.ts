import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CreditCodeScalar } from '../../../platform/credit-code';
import { FenScalar } from '../../kit/money';

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
}
