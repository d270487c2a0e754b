import { Entity, Enum, Property } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { SourceRecord } from '../kit';

export enum CreditRecordKind {
  /** An entry of the 严重失信主体名单: occurredOn listed, endsOn lifted (信用修复). */
  DISHONESTY = 'DISHONESTY',
  /** A public credit rating (公共信用综合评价): occurredOn rated on. */
  RATING = 'RATING',
}
registerEnumType(CreditRecordKind, {
  name: 'CreditRecordKind',
  valuesConfig: { DISHONESTY: { description: '严重失信主体名单列入记录' }, RATING: { description: '公共信用综合评价' } },
});

export enum PublicCreditGrade {
  A = 'A',
  B = 'B',
  C = 'C',
  D = 'D',
}
registerEnumType(PublicCreditGrade, {
  name: 'PublicCreditGrade',
  description: '公共信用综合评价等级',
  valuesConfig: { A: { description: '优' }, B: { description: '良' }, C: { description: '中' }, D: { description: '差' } },
});

/** 县发改委 (社会信用体系建设牵头部门): list entries and ratings, one table. */
@ObjectType('CreditRecord', { description: '公共信用记录（县发改委）' })
@Entity({ tableName: 'credit_record' })
export class CreditRecord extends SourceRecord {
  @Field(() => CreditRecordKind)
  @Enum({ items: () => CreditRecordKind })
  kind!: CreditRecordKind;

  @Field(() => PublicCreditGrade, { nullable: true, description: 'RATING：评价等级' })
  @Enum({ items: () => PublicCreditGrade, nullable: true })
  grade?: PublicCreditGrade | null;

  @Field({ description: 'DISHONESTY：列入事由；RATING：评价说明' })
  @Property({ type: 'string', length: 200 })
  reason!: string;

  @Field({ description: '认定或评价部门' })
  @Property({ type: 'string', length: 50 })
  decidedBy!: string;
}
