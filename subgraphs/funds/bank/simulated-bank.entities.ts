import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * The simulated agent bank's own books, in the funds database but in tables of its own
 * (`sim_bank_*`): nothing of the funds subgraph reads them, only `SimulatedBank` does, as a real
 * bank's ledger would be out of our reach. Money is integer fen (bigint columns).
 */

/** An account at the bank: the payer's (opened with a balance) and every payee's (opened on first credit). */
@Entity({ tableName: 'sim_bank_account' })
export class SimBankAccount {
  @PrimaryKey({ type: 'string', length: 40 })
  accountNo!: string;

  @Property({ type: 'string', length: 100 })
  bankName!: string;

  @Property({ type: 'string', length: 100, nullable: true })
  holder?: string | null;

  /** The payer's account (the Approval Bureau's 兑付专户); the statement is this account's. */
  @Property({ type: 'boolean' })
  payer: boolean = false;

  @Property({ type: 'bigint', runtimeType: 'number' })
  balanceFen: number = 0;

  @Property({ type: 'datetime' })
  openedAt!: Date;
}

/**
 * What the bank knows of an order id (the idempotency key): one row per id, ever. `NEW` = seen but
 * never booked nor refused (e.g. timed out before booking); a SETTLED row is final for its id.
 */
@Entity({ tableName: 'sim_bank_order' })
export class SimBankOrder {
  @PrimaryKey({ type: 'string', length: 64 })
  orderId!: string;

  /** NEW | SETTLED | FAILED | RETURNED */
  @Property({ type: 'string', length: 10 })
  state!: string;

  /** Sends that reached the booking logic (a retry after FAILED or RETURNED is another). */
  @Property({ type: 'integer' })
  attempts: number = 0;

  @Property({ type: 'string', length: 40, nullable: true })
  bankReference?: string | null;

  @Property({ type: 'string', length: 500, nullable: true })
  reason?: string | null;

  /** When the last answer was given (booked, refused, returned). */
  @Property({ type: 'datetime', nullable: true })
  at?: Date | null;

  /** The last attempt's instruction, as sent. */
  @Property({ type: 'bigint', runtimeType: 'number' })
  amountFen!: number;

  @Property({ type: 'string', length: 40 })
  payeeAccount!: string;

  @Property({ type: 'string', length: 100 })
  payeeBank!: string;

  @Property({ type: 'string', length: 200 })
  memo!: string;
}

/** The payer account's statement: one line per settled transfer (TRANSFER) and per return (RETURN). */
@Entity({ tableName: 'sim_bank_line' })
@Index({ properties: ['date', 'seq'] })
export class SimBankLine {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  seq?: number;

  /** Booking date in China, YYYY-MM-DD. */
  @Property({ type: 'string', length: 10 })
  date!: string;

  @Property({ type: 'datetime' })
  at!: Date;

  /** TRANSFER | RETURN */
  @Property({ type: 'string', length: 10 })
  kind!: string;

  @Property({ type: 'string', length: 64, index: true })
  orderId!: string;

  @Property({ type: 'string', length: 40 })
  bankReference!: string;

  @Property({ type: 'bigint', runtimeType: 'number' })
  amountFen!: number;

  @Property({ type: 'string', length: 40 })
  payeeAccount!: string;

  @Property({ type: 'string', length: 100 })
  payeeBank!: string;

  @Property({ type: 'string', length: 200 })
  memo!: string;

  @Property({ type: 'string', length: 500, nullable: true })
  reason?: string | null;

  @Property({ type: 'bigint', runtimeType: 'number' })
  balanceAfterFen!: number;
}

/**
 * A fault the simulation was told to produce: for one order id, or (orderId null) for the next
 * `remaining` sends of any id. Consumed one per send that reaches the booking logic.
 */
@Entity({ tableName: 'sim_bank_fault' })
export class SimBankFault {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id?: number;

  /** FAIL | TIMEOUT_BEFORE | TIMEOUT_AFTER | RETURN */
  @Property({ type: 'string', length: 20 })
  kind!: string;

  @Property({ type: 'string', length: 64, nullable: true, index: true })
  orderId?: string | null;

  @Property({ type: 'integer' })
  remaining!: number;

  @Property({ type: 'string', length: 500, nullable: true })
  reason?: string | null;

  @Property({ type: 'datetime' })
  createdAt!: Date;
}

/** To be listed in the funds subgraph's `entities` (its migrations then create these tables). */
export const SIMULATED_BANK_ENTITIES = [SimBankAccount, SimBankOrder, SimBankLine, SimBankFault];
