import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum AuditKind {
  MUTATION = 'MUTATION',
  ACCESS = 'ACCESS',
}
registerEnumType(AuditKind, {
  name: 'AuditKind',
  description: '审计记录类别',
  valuesConfig: { MUTATION: { description: '数据变更（每个修改数据的操作）' }, ACCESS: { description: '数据访问（非数据所有部门读取、未脱敏字段）' } },
});

@ObjectType({ description: '操作人（网关签发的身份）' })
export class AuditActor {
  @Field(() => String, { nullable: true, description: '用户标识' })
  subject!: string | null;

  @Field(() => String, { nullable: true, description: '角色；null 为公众' })
  role!: string | null;

  @Field(() => String, { nullable: true, description: '所属地区' })
  region!: string | null;

  @Field(() => String, { nullable: true, description: '所属部门代码，如 360732-TAX' })
  department!: string | null;

  @Field(() => String, { nullable: true, description: '企业用户的统一社会信用代码' })
  creditCode!: string | null;
}

/**
 * One entry of the append-only audit log. `hash` = SHA-256(prevHash + RFC 8785 JSON of the
 * entry's other columns, seq included): a changed, removed or reordered row breaks the chain.
 * Nothing in the graph updates or deletes these rows.
 */
@ObjectType({ description: '审计日志条目（只追加、哈希链）。任何人都不能通过图修改或删除。' })
@Entity({ tableName: 'audit_entry' })
@Index({ properties: ['occurredAt'] })
@Index({ properties: ['actorDepartment', 'seq'] })
@Index({ properties: ['ownerDepartment', 'regionCode', 'seq'] })
@Index({ properties: ['actorSubject', 'seq'] })
@Index({ properties: ['action', 'seq'] })
@Index({ properties: ['entity', 'seq'] })
export class AuditEntry {
  @Field(() => Int, { description: '链上序号，从 1 起连续' })
  @PrimaryKey({ type: 'integer', autoincrement: false })
  seq!: number;

  @Field({ description: '事件 ID（同一事件只存一次）' })
  @Property({ type: 'string', length: 64, unique: true })
  eventId!: string;

  @Field(() => AuditKind)
  @Enum({ items: () => AuditKind })
  kind!: AuditKind;

  @Field({ description: '事件类型，如 audit.mutation、access.read' })
  @Property({ type: 'string', length: 64 })
  eventType!: string;

  @Field({ description: '产生事件的子图' })
  @Property({ type: 'string', length: 64 })
  source!: string;

  @Property({ type: 'string', length: 128, nullable: true })
  actorSubject!: string | null;

  @Property({ type: 'string', length: 32, nullable: true })
  actorRole!: string | null;

  @Property({ type: 'string', length: 6, nullable: true })
  actorRegion!: string | null;

  @Property({ type: 'string', length: 32, nullable: true })
  actorDepartment!: string | null;

  @Property({ type: 'string', length: 18, nullable: true })
  actorCreditCode!: string | null;

  @Field({ description: '操作：变更为 mutation 名（如 registerEnterprise），访问为所读内容（如 Enterprise.bankAccount）' })
  @Property({ type: 'string', length: 200 })
  action!: string;

  @Field(() => String, { nullable: true, description: '变更类型 CREATE / UPDATE / DELETE' })
  @Property({ type: 'string', length: 16, nullable: true })
  operation!: string | null;

  @Field(() => String, { nullable: true, description: '实体类名' })
  @Property({ type: 'string', length: 100, nullable: true })
  entity!: string | null;

  @Field(() => String, { nullable: true, description: '实体主键' })
  @Property({ type: 'string', length: 200, nullable: true })
  entityId!: string | null;

  @Field(() => [String], { description: '涉及企业的统一社会信用代码' })
  @Property({ type: 'json' })
  enterprises!: string[];

  @Field(() => String, { nullable: true, description: '数据所在地区' })
  @Property({ type: 'string', length: 6, nullable: true })
  regionCode!: string | null;

  @Field(() => String, { nullable: true, description: '数据所有部门（子图所属部门简称，如 TAX）' })
  @Property({ type: 'string', length: 32, nullable: true })
  ownerDepartment!: string | null;

  @Field(() => String, { nullable: true, description: '访问目的（案件、筛查批次等）' })
  @Property({ type: 'string', length: 200, nullable: true })
  purpose!: string | null;

  @Field(() => [String], { description: '未脱敏提供的字段' })
  @Property({ type: 'json' })
  unmasked!: string[];

  /** JSON;敏感字段已在来源处脱敏. Exposed as canonical JSON text. */
  @Property({ type: 'json', nullable: true })
  before!: Record<string, unknown> | null;

  @Property({ type: 'json', nullable: true })
  after!: Record<string, unknown> | null;

  @Field({ description: '发生时间（来源子图的时钟）' })
  @Property({ type: 'datetime' })
  occurredAt!: Date;

  @Field({ description: '入链时间' })
  @Property({ type: 'datetime' })
  recordedAt!: Date;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 64, nullable: true })
  requestId!: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 64, nullable: true })
  traceId!: string | null;

  @Field({ description: '上一条的哈希（第 1 条为 64 个 0）' })
  @Property({ type: 'string', length: 64 })
  prevHash!: string;

  @Field({ description: 'SHA-256(prevHash + 本条 RFC 8785 规范 JSON)' })
  @Property({ type: 'string', length: 64 })
  hash!: string;
}

/** Which entries name which enterprise: "by enterprise" reads an index, not every entry's JSON. */
@Entity({ tableName: 'audit_entry_enterprise' })
@Index({ properties: ['seq'] })
export class AuditEntryEnterprise {
  @PrimaryKey({ type: 'string', length: 18 })
  creditCode!: string;

  @PrimaryKey({ type: 'integer', autoincrement: false })
  seq!: number;
}

/** The chain head (seq, hash) signed with the platform audit key (Ed25519). */
@ObjectType({ description: '签名检查点：链头（序号、哈希）由平台审计密钥签名' })
@Entity({ tableName: 'audit_checkpoint' })
export class AuditCheckpoint {
  @Field(() => Int)
  @PrimaryKey({ type: 'integer', autoincrement: false })
  seq!: number;

  @Field()
  @Property({ type: 'string', length: 64 })
  hash!: string;

  @Field()
  @Property({ type: 'datetime' })
  signedAt!: Date;

  @Field({ description: 'Ed25519 签名（base64），签名内容为 {seq, hash, signedAt} 的规范 JSON' })
  @Property({ type: 'text' })
  signature!: string;

  @Field({ description: '签名公钥的 SHA-256 指纹（hex 前 16 位）' })
  @Property({ type: 'string', length: 64 })
  keyId!: string;
}
