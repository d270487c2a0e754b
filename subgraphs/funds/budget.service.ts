import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { AppError, ErrorCode } from '../../platform/errors';
import { assertFiscalYearOpen } from './clearing/fiscal-year';
import { BudgetEntry, BudgetIndicator, type BudgetEntryKind, type BudgetLevel } from './entities';

/**
 * 预算: the indicators' totals and their ledger (docs/funds.md). Every change of a total is ONE
 * conditional UPDATE whose WHERE states the invariant it must keep (remaining ≥ 0, held ≥ the
 * amount released …) plus one ledger entry, in the caller's transaction. Two payers racing for the
 * last fen: the database applies one UPDATE, the other matches no row and is refused — on SQLite
 * (one writer) and PostgreSQL (the row lock the UPDATE takes; its WHERE is re-checked after the wait).
 */

/**
 * The rounding rule: the city's part is floor(amount × cityShareBp / 10000), the county's part is
 * the rest, so the county takes the odd fen and the parts always add up to the amount.
 * BigInt: amount × 10000 passes 2^53 for awards above ¥9 million.
 */
export function splitAmount(amountFen: number, cityShareBp: number | null): { cityFen: number; countyFen: number } {
  if (!cityShareBp) return { cityFen: 0, countyFen: amountFen };
  const cityFen = Number((BigInt(amountFen) * BigInt(cityShareBp)) / 10000n);
  return { cityFen, countyFen: amountFen - cityFen };
}

export const remainingOf = (b: Pick<BudgetIndicator, 'assignedFen' | 'heldFen' | 'spentFen'>) => b.assignedFen - b.heldFen - b.spentFen;

export const LEVEL_NAMES: Record<BudgetLevel, string> = { CITY: '市级资金', COUNTY: '县级资金' };

/** A table of this subgraph by name, schema-qualified on PostgreSQL (raw SQL gets no schema from the ORM). */
export function tableOf(em: EntityManager, table: string): string {
  const schema = em.config.get('schema');
  return schema ? `"${schema}"."${table}"` : `\`${table}\``;
}

/**
 * One conditional UPDATE of an indicator's totals; true when the row matched (the condition held).
 * Only numbers are bound (better-sqlite3 binds no booleans or dates): booleans are SQL literals.
 */
async function update(em: EntityManager, id: string, set: string, condition: string, params: number[]): Promise<boolean> {
  const result = await (em as SqlEntityManager)
    .getConnection()
    .execute(`update ${tableOf(em, 'budget_indicator')} set ${set} where ${condition} and id = ?`, [...params, id], 'run', em.getTransactionContext());
  return ((result as { affectedRows?: number }).affectedRows ?? 0) > 0;
}

export function entry(em: EntityManager, indicatorId: string, kind: BudgetEntryKind, amountFen: number, actor: string, at: Date, orderId: string | null = null, reason: string | null = null): void {
  em.persist(em.create(BudgetEntry, { id: randomUUID(), indicatorId, kind, amountFen, orderId, reason, actor, at }));
}

/** ASSIGN (creating the indicator) or, when it exists, ADJUST by the difference. */
export async function assign(
  em: EntityManager,
  key: { policyId: string; fiscalYear: number; level: BudgetLevel; regionCode: string; department: string | null; cityShareBp: number | null },
  amountFen: number,
  reason: string,
  actor: string,
  at: Date,
): Promise<BudgetIndicator> {
  // A closed year (年度关账, funds/clearing) takes no budget moves.
  await assertFiscalYearOpen(em, key.fiscalYear, key.regionCode);
  const existing = await em.findOne(BudgetIndicator, { policyId: key.policyId, fiscalYear: key.fiscalYear, level: key.level, regionCode: key.regionCode });
  if (existing) {
    await adjust(em, existing.id, amountFen - existing.assignedFen, reason, actor, at);
    return (await em.findOne(BudgetIndicator, { id: existing.id }, { refresh: true }))!;
  }
  const indicator = em.create(BudgetIndicator, {
    id: randomUUID(),
    ...key,
    assignedFen: amountFen,
    heldFen: 0,
    spentFen: 0,
    movedToPayer: false,
    closed: false,
    movedAt: null,
    createdAt: at,
    updatedAt: at,
  });
  em.persist(indicator);
  entry(em, indicator.id, 'ASSIGN', amountFen, actor, at, null, reason);
  await em.flush();
  return indicator;
}

/** ADJUST ± delta; refused when it would leave less than what orders already hold or spent. */
export async function adjust(em: EntityManager, id: string, deltaFen: number, reason: string, actor: string, at: Date): Promise<void> {
  if (deltaFen === 0) return;
  const year = await em.findOne(BudgetIndicator, { id });
  if (year) await assertFiscalYearOpen(em, year.fiscalYear, year.regionCode);
  const ok = await update(em, id, 'assigned_fen = assigned_fen + ?', 'closed = false and assigned_fen + ? - held_fen - spent_fen >= 0 and assigned_fen + ? <= 9007199254740991', [deltaFen, deltaFen, deltaFen]);
  if (!ok) {
    const b = await em.findOne(BudgetIndicator, { id }, { refresh: true });
    // Closed by a closeFiscalYear that committed while this move waited for the row.
    if (b?.closed) await assertFiscalYearOpen(em, b.fiscalYear, b.regionCode);
    throw new AppError(
      ErrorCode.BAD_USER_INPUT,
      deltaFen > 0
        ? `调增后预算超出可记录的金额上限（9007199254740991 分），未作调整`
        : `调减后预算将低于已占用与已支付之和：剩余 ${b ? remainingOf(b) : 0} 分，调减 ${-deltaFen} 分。请先处理待支付的支付令或少调减一些`,
    );
  }
  entry(em, id, 'ADJUST', deltaFen, actor, at, null, reason);
}

/** HOLD: reserves `amountFen` for an order if the indicator is moved to the payer and has that much left. */
export async function hold(em: EntityManager, id: string, amountFen: number, orderId: string, actor: string, at: Date): Promise<boolean> {
  if (amountFen === 0) return true;
  const ok = await update(em, id, 'held_fen = held_fen + ?', 'closed = false and moved_to_payer = true and assigned_fen - held_fen - spent_fen >= ?', [amountFen, amountFen]);
  if (ok) entry(em, id, 'HOLD', amountFen, actor, at, orderId);
  return ok;
}

/** The HOLD's UPDATE alone, the entry written by the caller once every part of an order is held. */
export const reserve = (em: EntityManager, id: string, amountFen: number) =>
  amountFen === 0 ? Promise.resolve(true) : update(em, id, 'held_fen = held_fen + ?', 'closed = false and moved_to_payer = true and assigned_fen - held_fen - spent_fen >= ?', [amountFen, amountFen]);
/** Undoes a `reserve` of the same transaction whose order could not hold its other part. */
export const unreserve = (em: EntityManager, id: string, amountFen: number) =>
  amountFen === 0 ? Promise.resolve(true) : update(em, id, 'held_fen = held_fen - ?', 'held_fen >= ?', [amountFen, amountFen]);

/** RELEASE: a failed or returned order gives its hold back. */
export async function release(em: EntityManager, id: string, amountFen: number, orderId: string, reason: string, actor: string, at: Date): Promise<void> {
  if (amountFen === 0) return;
  const ok = await update(em, id, 'held_fen = held_fen - ?', 'held_fen >= ?', [amountFen, amountFen]);
  if (!ok) throw new Error(`budget ${id}: releasing ${amountFen} fen of order ${orderId} that is not held`);
  entry(em, id, 'RELEASE', amountFen, actor, at, orderId, reason);
}

/** SPEND: a settled order's hold becomes spent. */
export async function spend(em: EntityManager, id: string, amountFen: number, orderId: string, actor: string, at: Date): Promise<void> {
  if (amountFen === 0) return;
  const ok = await update(em, id, 'held_fen = held_fen - ?, spent_fen = spent_fen + ?', 'held_fen >= ?', [amountFen, amountFen, amountFen]);
  if (!ok) throw new Error(`budget ${id}: spending ${amountFen} fen of order ${orderId} that is not held`);
  entry(em, id, 'SPEND', amountFen, actor, at, orderId);
}

/** A settled payment the bank later returned: the money comes back to the budget (RELEASE from spent). */
export async function unspend(em: EntityManager, id: string, amountFen: number, orderId: string, reason: string, actor: string, at: Date): Promise<void> {
  if (amountFen === 0) return;
  const ok = await update(em, id, 'spent_fen = spent_fen - ?', 'spent_fen >= ?', [amountFen, amountFen]);
  if (!ok) throw new Error(`budget ${id}: returning ${amountFen} fen of order ${orderId} that is not spent`);
  entry(em, id, 'RELEASE', amountFen, actor, at, orderId, reason);
}

/** 归集: the indicator moves to the payer; only moved budget can be held by orders. */
export async function moveToPayer(em: EntityManager, id: string, at: Date): Promise<void> {
  const indicator = await em.findOne(BudgetIndicator, { id });
  if (!indicator || indicator.movedToPayer) return;
  await assertFiscalYearOpen(em, indicator.fiscalYear, indicator.regionCode);
  // Through the unit of work, so the audit trail records it. It moves no money: a 归集 racing the
  // close may land on a closed indicator, but nothing can be held against it (holds require open).
  indicator.movedToPayer = true;
  indicator.movedAt = at;
  indicator.updatedAt = at;
  await em.flush();
}
