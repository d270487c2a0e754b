import { Entity, Enum, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { FenScalar } from '../../kit/money';
import { SourceRecord } from '../kit';

export enum SafetyRecordKind {
  VIOLATION = 'VIOLATION',
  ACCIDENT = 'ACCIDENT',
}
registerEnumType(SafetyRecordKind, {
  name: 'SafetyRecordKind',
  valuesConfig: { VIOLATION: { description: '安全生产违法行为（行政处罚）' }, ACCIDENT: { description: '生产安全事故' } },
});

@ObjectType('WorkSafetyRecord', { description: '安全生产记录（县应急管理局）。occurredOn 为处罚决定或事故发生日期，endsOn 为整改完毕或结案日期。' })
@Entity({ tableName: 'safety_record' })
export class SafetyRecord extends SourceRecord {
  @Field(() => SafetyRecordKind)
  @Enum({ items: () => SafetyRecordKind })
  kind!: SafetyRecordKind;

  @Field({ description: '违法事实或事故经过' })
  @Property({ type: 'string', length: 200 })
  description!: string;

  @Field(() => Int, { description: '事故死亡人数（违法行为为 0）' })
  @Property({ type: 'integer' })
  fatalities!: number;

  @Field(() => FenScalar, { description: '罚款金额（分）' })
  @Property({ type: 'bigint', runtimeType: 'number' })
  amountFen!: number;
}
