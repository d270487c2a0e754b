import { Entity, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { SourceRecord } from '../kit';

/** A gang-related (涉黑涉恶) finding on an enterprise. `endsOn`: the case closed (结案). */
@ObjectType('PublicSecurityRecord', { description: '涉黑涉恶记录（县公安局）。occurredOn 为认定日期，endsOn 为结案日期。' })
@Entity({ tableName: 'police_record' })
export class PoliceRecord extends SourceRecord {
  @Field({ description: '类别：涉黑、涉恶' })
  @Property({ type: 'string', length: 20 })
  caseType!: string;

  @Field({ description: '简要情况' })
  @Property({ type: 'string', length: 200 })
  summary!: string;
}
