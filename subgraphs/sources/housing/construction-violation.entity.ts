import { Entity, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { FenScalar } from '../../kit/money';
import { SourceRecord } from '../kit';

@ObjectType('ConstructionViolation', { description: '住房和城乡建设领域违法（县住建局）。occurredOn 为处罚决定日期，endsOn 为整改完毕日期。' })
@Entity({ tableName: 'construction_violation' })
export class ConstructionViolation extends SourceRecord {
  @Field({ description: '违法事实' })
  @Property({ type: 'string', length: 200 })
  violation!: string;

  @Field({ description: '涉及项目' })
  @Property({ type: 'string', length: 100 })
  project!: string;

  @Field(() => FenScalar, { description: '罚款金额（分）' })
  @Property({ type: 'bigint', runtimeType: 'number' })
  amountFen!: number;
}
