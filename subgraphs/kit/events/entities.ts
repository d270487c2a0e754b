import { BigIntType, Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/**
 * The kit's own tables, in every subgraph's database (created by the kit migrations in
 * ./migrations, which ormOptions runs before the subgraph's own). Names start with `kit_` so
 * they never meet a subgraph's tables.
 */

/** An event written in the transaction of the change it describes (the transactional outbox). */
@Entity({ tableName: 'kit_outbox' })
export class OutboxEvent {
  /** Commit order for the relays: events are delivered by ascending seq. */
  @PrimaryKey({ type: new BigIntType('number'), autoincrement: true })
  seq?: number;

  @Property({ type: 'string', length: 36, unique: true })
  id!: string;

  @Property({ type: 'string', length: 50 })
  family!: string;

  @Property({ type: 'string', length: 100 })
  type!: string;

  @Property({ type: 'string', length: 50 })
  source!: string;

  @Property({ type: 'datetime' })
  occurredAt!: Date;

  @Property({ type: 'string', length: 64, nullable: true })
  requestId?: string;

  @Property({ type: 'string', length: 64, nullable: true })
  traceId?: string;

  @Property({ type: 'json' })
  payload!: Record<string, unknown>;

  /** When NATS JetStream acknowledged it (the NATS relay only); null = not published yet. */
  @Property({ type: 'datetime', nullable: true, index: true })
  publishedAt?: Date | null;
}

/** Events a consumer has handled, written in the handler's own transaction: the idempotence key. */
@Entity({ tableName: 'kit_inbox' })
export class InboxEntry {
  @PrimaryKey({ type: 'string', length: 100 })
  consumer!: string;

  @PrimaryKey({ type: 'string', length: 36 })
  eventId!: string;

  @Property({ type: 'datetime' })
  handledAt!: Date;
}

/**
 * In-process relay, in the producer's database: every event up to `position` is done for this
 * consumer (delivered or dead-lettered). A restart resumes after it.
 */
@Entity({ tableName: 'kit_relay_cursor' })
export class RelayCursor {
  @PrimaryKey({ type: 'string', length: 100 })
  consumer!: string;

  @Property({ type: new BigIntType('number') })
  position!: number;
}

/**
 * In-process relay, in the producer's database: the state of one event past the cursor for one
 * consumer — failing and waiting for its retry, done (delivered while an earlier one was still
 * pending), or dead.
 */
@Entity({ tableName: 'kit_delivery' })
export class Delivery {
  @PrimaryKey({ type: 'string', length: 100 })
  consumer!: string;

  @PrimaryKey({ type: new BigIntType('number') })
  seq!: number;

  @Property({ type: 'string', length: 36 })
  eventId!: string;

  @Property({ type: 'string', length: 10 })
  state!: 'RETRY' | 'DONE' | 'DEAD';

  @Property({ type: 'integer' })
  attempts!: number;

  @Property({ type: 'datetime', nullable: true })
  nextAttemptAt?: Date | null;

  @Property({ type: 'string', length: 1000, nullable: true })
  lastError?: string | null;
}

/** An event a consumer gave up on after its attempts, kept whole so it can be looked at and replayed. */
@Entity({ tableName: 'kit_dead_letter' })
@Unique({ properties: ['consumer', 'eventId'] })
@Index({ properties: ['deadAt'] })
export class DeadLetter {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id?: number;

  @Property({ type: 'string', length: 100 })
  consumer!: string;

  @Property({ type: 'string', length: 36 })
  eventId!: string;

  @Property({ type: 'string', length: 50 })
  family!: string;

  @Property({ type: 'string', length: 100 })
  type!: string;

  @Property({ type: 'string', length: 50 })
  source!: string;

  /** The whole DomainEvent. */
  @Property({ type: 'json' })
  event!: Record<string, unknown>;

  @Property({ type: 'integer' })
  attempts!: number;

  @Property({ type: 'string', length: 1000 })
  error!: string;

  @Property({ type: 'datetime' })
  deadAt!: Date;
}

export const KIT_ENTITIES = [OutboxEvent, InboxEntry, RelayCursor, Delivery, DeadLetter];

/** Their tables, which subgraph migrations never contain. */
export const KIT_TABLES = ['kit_outbox', 'kit_inbox', 'kit_relay_cursor', 'kit_delivery', 'kit_dead_letter'];
