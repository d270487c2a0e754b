import { Entity, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { FenScalar } from '../../kit/money';
import { SourceRecord } from '../kit';

/** An environmental administrative penalty (环境行政处罚决定书). `endsOn`: rectified and paid. */
@ObjectType('EcologyPenalty', { description: '环境行政处罚（县生态环境局）。occurredOn 为处罚决定日期，endsOn 为整改完毕并缴清罚款的日期。' })
@Entity({ tableName: 'ecology_penalty' })
export class EcologyPenalty extends SourceRecord {
  @Field({ description: '违法事实' })
  @Property({ type: 'string', length: 200 })
  violation!: string;

  @Field({ description: '处罚种类，如 罚款、责令停产整治' })
  @Property({ type: 'string', length: 50 })
  penalty!: string;

  @Field(() => FenScalar, { description: '罚款金额（分）' })
  @Property({ type: 'bigint', runtimeType: 'number' })
  amountFen!: number;
}
