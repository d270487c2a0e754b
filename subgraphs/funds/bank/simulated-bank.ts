import { randomUUID } from 'node:crypto';
import { MikroORM, raw, TransactionContext, type EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { AppError, ErrorCode, echo } from '../../../platform/errors';
import { toChinaDate } from '../../kit/calendar';
import { BankTimeout, type BankAdapter, type BankAnswer, type BankOrder, type BankState, type StatementLine } from './adapter';
import { SimBankAccount, SimBankFault, SimBankLine, SimBankOrder } from './simulated-bank.entities';

/**
 * What the simulation can be told to do to a send:
 * - FAIL: refuse it (nothing moves; answer FAILED with `reason`);
 * - TIMEOUT_BEFORE: throw BankTimeout before booking (nothing happened);
 * - TIMEOUT_AFTER: book the transfer, then throw BankTimeout (the statement has it, the caller
 *   does not know: the crash between "sent" and "settled" reconciliation recovers);
 * - RETURN: book it and have the payee's bank send it back at once (退汇; answer RETURNED).
 */
export type BankFaultKind = 'FAIL' | 'TIMEOUT_BEFORE' | 'TIMEOUT_AFTER' | 'RETURN';

export interface BankFault {
  kind: BankFaultKind;
  /** Only this order id's sends; without it, the next `times` sends of any id. */
  orderId?: string;
  /** How many sends it applies to (default 1). */
  times?: number;
  /** The bank's reason (FAIL, RETURN). */
  reason?: string;
}

export interface SimulatedBankOptions {
  /** The payer's account (兑付专户), opened with `openingBalanceFen` the first time the bank is used. */
  payerAccount?: string;
  payerBank?: string;
  payerName?: string;
  openingBalanceFen?: number;
  /** The bank's clock (tests pin dates). */
  now?: () => Date;
}

export interface BankAccountView {
  accountNo: string;
  bankName: string;
  holder: string | null;
  payer: boolean;
  balanceFen: number;
}

/** Where the simulation keeps its books: the funds subgraph's ORM, or a factory of fresh EntityManagers. */
export type BankDatabase = MikroORM | (() => EntityManager);

export const DEFAULT_PAYER = {
  payerAccount: '36073201040000001',
  payerBank: '中国农业银行兴国县支行',
  payerName: '兴国县行政审批局（兑付专户）',
  // ¥100 million: enough for demos; tests set their own.
  openingBalanceFen: 10_000_000_000,
};

const DEFAULT_REASONS: Record<BankFaultKind, string> = {
  FAIL: '银行拒绝受理：模拟故障',
  TIMEOUT_BEFORE: '',
  TIMEOUT_AFTER: '',
  RETURN: '收款行退汇：模拟退回',
};
const REPEATABLE = ['NEW', 'FAILED', 'RETURNED'];
const STATE_NAMES: Record<string, string> = { NEW: '“未入账”', SETTLED: '“已入账”', FAILED: '“已拒绝”', RETURNED: '“已退回”' };

/**
 * The default BankAdapter: a bank that really keeps books (accounts, a statement, each order id
 * accepted once) in its own `sim_bank_*` tables, and can be told to fail, time out or return.
 * Every send is one database transaction of its own: call it outside the caller's transactions,
 * as with a real bank (never hold a database transaction across a call to the outside).
 */
export class SimulatedBank implements BankAdapter {
  private readonly fork: () => EntityManager;
  private readonly options: Required<SimulatedBankOptions>;
  private opened?: Promise<void>;

  constructor(database: BankDatabase, options: SimulatedBankOptions = {}) {
    this.fork = database instanceof MikroORM ? () => database.em.fork() : database;
    this.options = { ...DEFAULT_PAYER, now: () => new Date(), ...options };
  }

  get payerAccount(): string {
    return this.options.payerAccount;
  }

  async send(order: BankOrder): Promise<BankAnswer> {
    // The key is the caller's; a bad one is a programming error, not a refusal the bank could record.
    if (typeof order.orderId !== 'string' || !order.orderId || order.orderId.length > 64) throw new Error('SimulatedBank.send: orderId is 1–64 characters');
    await this.open();
    const outcome = await this.inTransaction((em) => this.book(em, order));
    if (outcome.timeout) throw new BankTimeout(order.orderId, outcome.timeout === 'AFTER');
    return outcome.answer!;
  }

  async status(orderId: string): Promise<BankAnswer | null> {
    const row = await this.fork().findOne(SimBankOrder, { orderId });
    return row ? answerOf(row) : null;
  }

  async statement(fromDate: string, toDate: string): Promise<StatementLine[]> {
    for (const date of [fromDate, toDate]) if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`statement: a date is YYYY-MM-DD, got ${JSON.stringify(date)}`);
    const rows = await this.fork().find(SimBankLine, { date: { $gte: fromDate, $lte: toDate } }, { orderBy: { seq: 'asc' } });
    return rows.map(lineOf);
  }

  /** Tells the simulation to misbehave (tests call it directly; demos through `simulateBankFault`). */
  async injectFault(fault: BankFault): Promise<void> {
    const times = fault.times ?? 1;
    if (!Number.isSafeInteger(times) || times < 1) throw new Error('injectFault: times is a positive integer');
    const em = this.fork();
    em.create(SimBankFault, { kind: fault.kind, orderId: fault.orderId ?? null, remaining: times, reason: fault.reason ?? null, createdAt: this.options.now() });
    await em.flush();
  }

  /** Forgets every fault not yet used. */
  async clearFaults(): Promise<void> {
    await this.fork().nativeDelete(SimBankFault, {});
  }

  /**
   * The payee's bank sends a settled payment back (退汇), later: the money returns to the payer's
   * account, a RETURN line is added, and `status` says RETURNED with the reason. Only a SETTLED
   * order can be returned (once).
   */
  async returnPayment(orderId: string, reason: string): Promise<BankAnswer> {
    await this.open();
    return this.inTransaction(async (em) => {
      const order = await em.findOne(SimBankOrder, { orderId });
      if (!order || order.state !== 'SETTLED') {
        throw new AppError(ErrorCode.WRONG_STATE, `只能退回已入账的支付：支付令 ${echo(orderId)} 在银行的状态为${STATE_NAMES[order?.state ?? 'NEW']}`);
      }
      return this.giveBack(em, order, reason, this.options.now());
    });
  }

  async account(accountNo: string): Promise<BankAccountView | null> {
    const row = await this.fork().findOne(SimBankAccount, { accountNo });
    return row ? { accountNo: row.accountNo, bankName: row.bankName, holder: row.holder ?? null, payer: row.payer, balanceFen: row.balanceFen } : null;
  }

  async payer(): Promise<BankAccountView> {
    await this.open();
    return (await this.account(this.options.payerAccount))!;
  }

  /** Money into the payer's account (财政拨付 to the 兑付专户), for demos and tests. */
  async deposit(amountFen: number): Promise<BankAccountView> {
    if (!Number.isSafeInteger(amountFen) || amountFen <= 0) throw new Error('deposit: amountFen is a positive integer');
    await this.open();
    await this.inTransaction((em) => addToBalance(em, this.options.payerAccount, amountFen));
    return this.payer();
  }

  /** Opens the payer's account once (insert-or-ignore: several banks on one database agree). */
  private open(): Promise<void> {
    this.opened ??= (async () => {
      const { payerAccount, payerBank, payerName, openingBalanceFen } = this.options;
      await (this.fork() as SqlEntityManager)
        .createQueryBuilder(SimBankAccount)
        .insert({ accountNo: payerAccount, bankName: payerBank, holder: payerName, payer: true, balanceFen: openingBalanceFen, openedAt: this.options.now() })
        .onConflict('accountNo')
        .ignore()
        .execute('run');
    })().catch((error) => {
      this.opened = undefined;
      throw error;
    });
    return this.opened;
  }

  private inTransaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    const em = this.fork();
    // Inside the caller's transaction the booking would commit or roll back with the caller's
    // (and on SQLite wait for its connection for ever): a real bank is outside, so is this one.
    if (TransactionContext.getEntityManager(em.name)?.isInTransaction()) {
      throw new Error('SimulatedBank: call the bank outside a database transaction (it books in its own)');
    }
    return em.transactional(work);
  }

  /**
   * One send, in one transaction: the order id's row is created if new, then claimed with a
   * conditional update (only NEW, FAILED or RETURNED ids book again). On PostgreSQL a concurrent
   * send of the same id waits on that row until the first commits, then finds it SETTLED and
   * returns the first answer; SQLite runs one writer at a time. So an id is never paid twice.
   */
  private async book(em: EntityManager, order: BankOrder): Promise<{ answer?: BankAnswer; timeout?: 'BEFORE' | 'AFTER' }> {
    const sql = em as SqlEntityManager;
    const now = this.options.now();
    const instruction = {
      amountFen: Number.isSafeInteger(order.amountFen) ? order.amountFen : 0,
      payeeAccount: String(order.payeeAccount ?? '').slice(0, 40),
      payeeBank: String(order.payeeBank ?? '').slice(0, 100),
      memo: String(order.memo ?? '').slice(0, 200),
    };
    await sql.createQueryBuilder(SimBankOrder).insert({ orderId: order.orderId, state: 'NEW', attempts: 0, ...instruction }).onConflict('orderId').ignore().execute('run');
    const claimed = await sql
      .createQueryBuilder(SimBankOrder)
      .update({ attempts: raw('attempts + 1') })
      .where({ orderId: order.orderId, state: { $in: REPEATABLE } })
      .execute('run');
    const row = await em.findOneOrFail(SimBankOrder, { orderId: order.orderId }, { refresh: true });
    if (!claimed.affectedRows) return { answer: answerOf(row)! };

    const fault = await this.takeFault(sql, order.orderId);
    if (fault?.kind === 'TIMEOUT_BEFORE') return { timeout: 'BEFORE' };

    Object.assign(row, instruction);
    const reference = newReference(now);
    const refuse = (reason: string) => {
      Object.assign(row, { state: 'FAILED', bankReference: reference, reason, at: now });
      return { answer: answerOf(row)! };
    };
    if (fault?.kind === 'FAIL') return refuse(fault.reason ?? DEFAULT_REASONS.FAIL);
    const problem = instructionProblem(order, this.options.payerAccount);
    if (problem) return refuse(problem);

    const debited = await sql
      .createQueryBuilder(SimBankAccount)
      .update({ balanceFen: raw('balance_fen - ?', [order.amountFen]) })
      .where({ accountNo: this.options.payerAccount, balanceFen: { $gte: order.amountFen } })
      .execute('run');
    if (!debited.affectedRows) {
      const payer = await em.findOneOrFail(SimBankAccount, { accountNo: this.options.payerAccount }, { refresh: true });
      return refuse(`付款账户余额不足：本笔需 ${order.amountFen} 分，账户可用 ${payer.balanceFen} 分`);
    }
    await addToBalance(em, instruction.payeeAccount, order.amountFen, instruction.payeeBank, now);
    const payer = await em.findOneOrFail(SimBankAccount, { accountNo: this.options.payerAccount }, { refresh: true });
    em.create(SimBankLine, { date: toChinaDate(now), at: now, kind: 'TRANSFER', orderId: order.orderId, bankReference: reference, ...instruction, reason: null, balanceAfterFen: payer.balanceFen });
    Object.assign(row, { state: 'SETTLED', bankReference: reference, reason: null, at: now });
    await em.flush();

    if (fault?.kind === 'RETURN') return { answer: await this.giveBack(em, row, fault.reason ?? DEFAULT_REASONS.RETURN, now) };
    if (fault?.kind === 'TIMEOUT_AFTER') return { timeout: 'AFTER' };
    return { answer: answerOf(row)! };
  }

  private async giveBack(em: EntityManager, order: SimBankOrder, reason: string, at: Date): Promise<BankAnswer> {
    // The payee's bank takes it back from the payee's account (which may go below zero: the
    // simulation does not model what the payee did with it meanwhile).
    await addToBalance(em, order.payeeAccount, -order.amountFen);
    await addToBalance(em, this.options.payerAccount, order.amountFen);
    const payer = await em.findOneOrFail(SimBankAccount, { accountNo: this.options.payerAccount }, { refresh: true });
    em.create(SimBankLine, {
      date: toChinaDate(at),
      at,
      kind: 'RETURN',
      orderId: order.orderId,
      bankReference: order.bankReference!,
      amountFen: order.amountFen,
      payeeAccount: order.payeeAccount,
      payeeBank: order.payeeBank,
      memo: order.memo,
      reason,
      balanceAfterFen: payer.balanceFen,
    });
    Object.assign(order, { state: 'RETURNED', reason, at });
    await em.flush();
    return answerOf(order)!;
  }

  /** The fault for this send, used up by one: the order's own first, else a "next N sends" one. */
  private async takeFault(sql: SqlEntityManager, orderId: string): Promise<SimBankFault | undefined> {
    const candidates = [
      ...(await sql.find(SimBankFault, { orderId, remaining: { $gt: 0 } }, { orderBy: { id: 'asc' } })),
      ...(await sql.find(SimBankFault, { orderId: null, remaining: { $gt: 0 } }, { orderBy: { id: 'asc' } })),
    ];
    for (const fault of candidates) {
      // Conditional: two sends racing for the last use of one fault, one gets it.
      const used = await sql
        .createQueryBuilder(SimBankFault)
        .update({ remaining: raw('remaining - 1') })
        .where({ id: fault.id, remaining: { $gt: 0 } })
        .execute('run');
      if (used.affectedRows) return fault;
    }
    return undefined;
  }
}

function instructionProblem(order: BankOrder, payerAccount: string): string | undefined {
  if (!Number.isSafeInteger(order.amountFen) || order.amountFen <= 0) return `金额无效：须为正整数（分），收到 ${String(order.amountFen)}`;
  if (typeof order.payeeAccount !== 'string' || !/^[0-9A-Za-z-]{6,40}$/.test(order.payeeAccount)) return '收款账号无效：须为 6–40 位数字或字母';
  if (typeof order.payeeBank !== 'string' || !order.payeeBank.trim()) return '收款开户行为空';
  if (order.payeeAccount === payerAccount) return '收款账号不能是付款账户本身';
  return undefined;
}

/** Adds to an account's balance, opening the account on first credit (an upsert: concurrent first credits agree). */
async function addToBalance(em: EntityManager, accountNo: string, deltaFen: number, bankName = '', now = new Date()): Promise<void> {
  const sql = em as SqlEntityManager;
  const table = sql.getMetadata().get(SimBankAccount.name).tableName;
  await sql
    .createQueryBuilder(SimBankAccount)
    .insert({ accountNo, bankName, holder: null, payer: false, balanceFen: deltaFen, openedAt: now })
    .onConflict('accountNo')
    .merge({ balanceFen: raw(`${table}.balance_fen + ?`, [deltaFen]) })
    .execute('run');
}

function answerOf(row: SimBankOrder): BankAnswer | null {
  if (row.state === 'NEW' || !row.bankReference || !row.at) return null;
  const answer: BankAnswer = { state: row.state as BankState, bankReference: row.bankReference, at: new Date(row.at) };
  if (row.reason) answer.reason = row.reason;
  return answer;
}

function lineOf(row: SimBankLine): StatementLine {
  const line: StatementLine = {
    seq: row.seq!,
    date: row.date,
    at: new Date(row.at),
    kind: row.kind as StatementLine['kind'],
    state: row.kind === 'RETURN' ? 'RETURNED' : 'SETTLED',
    orderId: row.orderId,
    bankReference: row.bankReference,
    amountFen: row.amountFen,
    payeeAccount: row.payeeAccount,
    payeeBank: row.payeeBank,
    memo: row.memo,
    balanceAfterFen: row.balanceAfterFen,
  };
  if (row.reason) line.reason = row.reason;
  return line;
}

/** 流水号: the bank's reference, unique per attempt. */
function newReference(at: Date): string {
  return `SIM${toChinaDate(at).replace(/-/g, '')}${randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase()}`;
}
