import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

export const ConfirmationState = { IN_PROGRESS: 'IN_PROGRESS', COMPLETE: 'COMPLETE' } as const;
export type ConfirmationState = (typeof ConfirmationState)[keyof typeof ConfirmationState];

/**
 * 免申即享: a department's confirmation of one kept screening (policies' `policy_screening`, by id
 * and digest). Written, with the first chunk's event, in one transaction before any case exists:
 * however a long list is later cut into chunks, there is never part of a confirmation without
 * this record saying how far it got (`cursor`, the counts) and whether it is COMPLETE. Keyed by the
 * screening: confirming the same screening again finds it and creates nothing.
 */
@Entity({ tableName: 'white_list_confirmation' })
@Index({ properties: ['policyId', 'confirmedAt'] })
@Index({ properties: ['state', 'progressedAt'] })
export class WhiteListConfirmation {
  [OptionalProps]?: 'created' | 'alreadyConfirmed' | 'skipped' | 'chunks' | 'skippedEntries' | 'cursor' | 'completedAt';

  /** The kept screening's id (policyScreening(id)). */
  @PrimaryKey({ type: 'string', length: 36 })
  screeningId!: string;

  @Property({ type: 'string', length: 64 })
  digest!: string;

  @Property({ type: 'string', length: 20 })
  policyId!: string;

  @Property({ type: 'integer' })
  policyVersion!: number;

  @Property({ type: 'string', length: 200 })
  policyTitle!: string;

  /** The version's review time limit (kept on each case as its pinned version's). */
  @Property({ type: 'integer' })
  reviewDays!: number;

  /** The policy's department: the confirmer's. */
  @Property({ type: 'string', length: 20 })
  department!: string;

  /** The screening's region (a county, or a city screened by a city official). */
  @Property({ type: 'string', length: 6 })
  regionCode!: string;

  /** The day the screening evaluated (YYYY-MM-DD). */
  @Property({ type: 'string', length: 10 })
  evaluatedOn!: string;

  /** The policy period the cases belong to (one case per policy, enterprise and period). */
  @Property({ type: 'string', length: 20 })
  period!: string;

  @Property({ type: 'integer' })
  eligibleCount!: number;

  @Property({ type: 'string', length: 20 })
  confirmedByRole!: string;

  @Property({ type: 'string', length: 100, nullable: true })
  confirmedBy?: string | null;

  @Property({ type: 'datetime' })
  confirmedAt!: Date;

  @Property({ type: 'string', length: 12 })
  state!: ConfirmationState;

  /** The last credit code handled (the screening's page cursor); null before the first chunk. */
  @Property({ type: 'string', length: 200, nullable: true })
  cursor?: string | null;

  @Property({ type: 'integer' })
  chunks: number = 0;

  /** Cases this confirmation created. */
  @Property({ type: 'integer' })
  created: number = 0;

  /** Entries that already had a case for this policy and period (an earlier confirmation, any mode). */
  @Property({ type: 'integer' })
  alreadyConfirmed: number = 0;

  /** Entries no case could be made of (no amount, not in the register, no account): listed with the reason. */
  @Property({ type: 'integer' })
  skipped: number = 0;

  @Property({ type: 'json' })
  skippedEntries: { creditCode: string; reason: string }[] = [];

  /** When the last chunk was handled (the confirmation time before the first): a stalled confirmation is resumed from it. */
  @Property({ type: 'datetime' })
  progressedAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  completedAt?: Date | null;
}
