import { Entity, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { FenScalar } from '../../kit/money';
import { SourceRecord } from '../kit';

@ObjectType('LandViolation', { description: '自然资源违法（县自然资源局）：土地、矿产。occurredOn 为处罚决定日期，endsOn 为整改完毕日期。' })
@Entity({ tableName: 'land_violation' })
export class LandViolation extends SourceRecord {
  @Field({ description: '违法事实' })
  @Property({ type: 'string', length: 200 })
  violation!: string;

  @Field(() => Int, { description: '涉及面积（平方米）' })
  @Property({ type: 'integer' })
  areaSquareMeters!: number;

  @Field(() => FenScalar, { description: '罚款金额（分）' })
  @Property({ type: 'bigint', runtimeType: 'number' })
  amountFen!: number;
}
