import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A screening as it was done (筛查记录): who screened which policy version over which region on
 * which day, the counts, the digest, and every entry with its amount and explanation. Kept so a
 * department reads its whole white list from one screening (pages come from here, not from
 * screening 100,000 enterprises again) and confirms exactly the list it read (issue 9: by id and
 * digest). Entries are one gzip'd JSON document: read whole, never queried by column.
 */
@Entity({ tableName: 'policy_screening' })
@Index({ properties: ['policyId', 'createdAt'] })
export class PolicyScreeningRun {
  /** Client-side UUID (audited entities need it before the flush). */
  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  @Property({ type: 'string', length: 20 })
  policyId!: string;

  @Property({ type: 'integer' })
  version!: number;

  @Property({ type: 'string', length: 6 })
  regionCode!: string;

  @Property({ type: 'string', length: 10 })
  evaluatedOn!: string;

  @Property({ type: 'integer' })
  screened!: number;

  @Property({ type: 'integer' })
  eligibleCount!: number;

  @Property({ type: 'integer' })
  unknownCount!: number;

  @Property({ type: 'bigint', runtimeType: 'number' })
  totalAmountFen!: number;

  @Property({ type: 'string', length: 64 })
  digest!: string;

  /** Who screened: role and subject of the identity the gateway signed. */
  @Property({ type: 'string', length: 32 })
  screenedByRole!: string;

  @Property({ type: 'string', length: 128, nullable: true })
  screenedBy?: string | null;

  /** gzip(JSON of { eligible, unknown }: StoredEntry[]). Lazy: a page of a recently read screening comes from the decoded cache. */
  @Property({ type: 'blob', lazy: true })
  entries!: Buffer;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
