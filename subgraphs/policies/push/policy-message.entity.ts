import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CreditCodeScalar } from '../../../platform/credit-code';
import { FenScalar } from '../../kit/money';
import { ConnectionType } from '../../kit/pagination';

export const PolicyMessageKind = { PUBLISHED: 'PUBLISHED', NEWLY_ELIGIBLE: 'NEWLY_ELIGIBLE' } as const;
export type PolicyMessageKind = (typeof PolicyMessageKind)[keyof typeof PolicyMessageKind];
registerEnumType(PolicyMessageKind, {
  name: 'PolicyMessageKind',
  description: '推送原因',
  valuesConfig: {
    PUBLISHED: { description: '政策发布时符合条件' },
    NEWLY_ELIGIBLE: { description: '政策发布后新符合条件（定期复筛发现）' },
  },
});

/**
 * 精准推送: one message to one enterprise about one policy, kept in the graph for it to read.
 * Unique per (policy, enterprise): whatever retries, replays, replicas or re-screens happen, an
 * enterprise hears about a policy once (written insert-if-absent, push/messages.ts). The ORM
 * entity is the GraphQL type.
 */
@ObjectType({ description: '政策推送消息：企业符合一项已发布政策时收到（每项政策只推送一次）' })
@Entity({ tableName: 'policy_message' })
@Unique({ properties: ['policyId', 'creditCode'] })
// The enterprise's inbox, newest first (keyset on createdAt, id).
@Index({ properties: ['creditCode', 'createdAt', 'id'] })
export class PolicyMessage {
  /** Client-side UUID: the audit trail names it from its creation on. */
  @Field(() => ID)
  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  @Field(() => CreditCodeScalar, { description: '收到消息的企业' })
  @Property({ type: 'string', length: 18 })
  creditCode!: string;

  @Field({ description: '政策编号' })
  @Property({ type: 'string', length: 20 })
  policyId!: string;

  @Field(() => Int, { description: '据以判断的政策版本号' })
  @Property({ type: 'integer' })
  version!: number;

  @Field(() => PolicyMessageKind)
  @Property({ type: 'string', length: 20 })
  kind!: PolicyMessageKind;

  @Field({ description: '标题' })
  @Property({ type: 'string', length: 250 })
  title!: string;

  @Field({ description: '正文：政策名称、预计金额、下一步怎么办' })
  @Property({ type: 'text' })
  body!: string;

  @Field(() => FenScalar, { nullable: true, description: '预计金额（分）；依赖企业申报数据时为 null' })
  @Property({ type: 'bigint', runtimeType: 'number', nullable: true })
  amountFen!: number | null;

  @Field({ description: '推送时间' })
  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: '企业阅读（标记已读）的时间；未读为 null' })
  @Property({ type: 'datetime', nullable: true })
  readAt!: Date | null;
}

export const PolicyMessageConnection = ConnectionType(PolicyMessage, 'PolicyMessage', '政策推送消息（分页，最新的在前）');
