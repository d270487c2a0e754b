import { PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';

/**
 * What every record a source keeps carries, whatever it is about: whose it is (credit code and
 * region), which source holds it, its document reference (文号), its dates and how current it is
 * (`recordedAt`, the as-of time at the source). A source's record class extends this and adds its
 * own columns; the kit's loaders, scope and findings rely on these.
 */
@ObjectType({ description: "来源记录的公共字段（不单独出现在 schema 中）" })
export abstract class SourceRecord {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Property({ type: 'string', length: 18, index: true })
  creditCode!: string;

  @Field({ description: '企业所在地区（GB/T 2260）' })
  @Property({ type: 'string', length: 6, index: true })
  regionCode!: string;

  @Field({ description: '来源子图，如 ecology' })
  @Property({ type: 'string', length: 32 })
  source!: string;

  @Field({ description: '文号，如 兴环罚〔2025〕12号' })
  @Property({ type: 'string', length: 64 })
  reference!: string;

  @Field({ description: '发生日期 YYYY-MM-DD（列入、处罚、事故、开户、报告期末等）' })
  @Property({ type: 'string', length: 10 })
  occurredOn!: string;

  @Field(() => String, { nullable: true, description: '结束日期 YYYY-MM-DD（移出、整改完毕、销户等）；null 表示仍然有效' })
  @Property({ type: 'string', length: 10, nullable: true })
  endsOn?: string | null;

  @Field({ description: '记录时间：该记录在来源处的数据时点' })
  @Property({ type: 'datetime', index: true })
  recordedAt!: Date;
}

/** The columns `recordsLoader` and the findings need; TaxProfile (keyed by credit code) has them too. */
export interface KeyedRecord {
  creditCode: string;
  recordedAt: Date;
}
