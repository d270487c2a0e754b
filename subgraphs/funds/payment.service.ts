import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { AppError, ErrorCode, notFound } from '../../platform/errors';
import { addWorkdays, toChinaDate } from '../kit/calendar';
import { emit } from '../kit/events';
import { maskBankAccount } from '../kit/mask';
import { BankTimeout, type BankAdapter, type BankAnswer } from './bank';
import { entry, LEVEL_NAMES, release, remainingOf, reserve, spend, splitAmount, tableOf, unreserve, unspend } from './budget.service';
import { FiscalYearClosure } from './clearing/fiscal-year.entity';
import { BudgetIndicator, PaymentOrder, ReconciliationReport, type PaymentStatus, type ReconciliationDifference } from './entities';
import { FUNDS_FAMILY, PAYMENT_FAILED, PAYMENT_SETTLED, PAYMENT_WAITING_BUDGET, type AwaitingPaymentPayload, type PaymentSettledPayload } from './events';

/**
 * 支付令 (docs/funds.md). Every status change is a conditional UPDATE from the statuses it may
 * leave (`claim`): of two requests racing on one order exactly one moves it, the other sees it
 * moved and changes nothing. The bank is called outside any transaction, under the order id as
 * its idempotency key, so a retry or a duplicate request can never pay twice.
 */

/** A SENT order the bank does not know after this long was never received (crash before the send): reconciliation makes it PENDING again. */
export const UNKNOWN_SEND_AFTER_MS = 5 * 60_000;
/**
 * A SENT order younger than this is left to its sender: the bank's status may still be the answer
 * of an earlier attempt (FAILED, then retried under the same id and in flight now).
 */
export const RECONCILE_GRACE_MS = 60_000;

/** Moves an order from one of `from` to `to`; true when this caller made the move. Only strings are bound. */
async function claim(em: EntityManager, id: string, from: PaymentStatus[], to: PaymentStatus): Promise<boolean> {
  const result = await (em as SqlEntityManager)
    .getConnection()
    .execute(
      `update ${tableOf(em, 'payment_order')} set status = ? where id = ? and status in (${from.map(() => '?').join(', ')})`,
      [to, id, ...from],
      'run',
      em.getTransactionContext(),
    );
  return ((result as { affectedRows?: number }).affectedRows ?? 0) > 0;
}

const reload = async (em: EntityManager, id: string) => (await em.findOne(PaymentOrder, { id }, { refresh: true }))!;

const indicatorKey = (o: Pick<PaymentOrder, 'policyId' | 'fiscalYear' | 'regionCode'>) => ({ policyId: o.policyId, fiscalYear: o.fiscalYear, regionCode: o.regionCode });

/** The indicators an order draws on, city part first. */
async function indicatorsOf(em: EntityManager, order: PaymentOrder): Promise<{ city?: BudgetIndicator; county?: BudgetIndicator }> {
  const rows = await em.find(BudgetIndicator, indicatorKey(order), { refresh: true });
  return { city: rows.find((r) => r.level === 'CITY'), county: rows.find((r) => r.level === 'COUNTY') };
}

/**
 * Holds the order's parts on its indicators (both or neither), in the caller's transaction.
 * Returns undefined when held, else the reason (which budget, how much is missing).
 */
async function holdOrder(em: EntityManager, order: PaymentOrder, actor: string, at: Date): Promise<{ reason: string; missingFen: number } | undefined> {
  // A closed year (年度关账, funds/clearing) holds nothing: the order waits with the reason (a new
  // or retried order of a closed year is for 县财政局 to settle with next year's budget).
  const closure = await em.findOne(FiscalYearClosure, { fiscalYear: order.fiscalYear, regionCode: order.regionCode });
  if (closure) return { reason: `${order.fiscalYear} 年度（地区 ${order.regionCode}）已关账，不能再占用该年度预算，需 ${order.amountFen} 分`, missingFen: order.amountFen };
  const { city, county } = await indicatorsOf(em, order);
  // The split is the indicators' (set with the budget from the policy's shares): recomputed on each hold, so a budget set after the order came applies.
  const { cityFen, countyFen } = splitAmount(order.amountFen, city?.cityShareBp ?? county?.cityShareBp ?? null);
  order.cityFen = cityFen;
  order.countyFen = countyFen;
  const parts = [
    { level: 'CITY' as const, indicator: city, fen: cityFen },
    { level: 'COUNTY' as const, indicator: county, fen: countyFen },
  ].filter((p) => p.fen > 0);
  const held: typeof parts = [];
  for (const part of parts) {
    const name = `${order.fiscalYear} 年度政策 ${order.policyId}（地区 ${order.regionCode}）${LEVEL_NAMES[part.level]}预算指标`;
    let problem: { reason: string; missingFen: number } | undefined;
    if (!part.indicator) problem = { reason: `${name}尚未下达，需 ${part.fen} 分`, missingFen: part.fen };
    else if (!part.indicator.movedToPayer) problem = { reason: `${name}尚未归集至县行政审批局，需 ${part.fen} 分`, missingFen: part.fen };
    else if (!(await reserve(em, part.indicator.id, part.fen))) {
      const now = (await em.findOne(BudgetIndicator, { id: part.indicator.id }, { refresh: true }))!;
      const missingFen = part.fen - Math.max(0, remainingOf(now));
      problem = { reason: `${name}剩余 ${remainingOf(now)} 分，本笔需 ${part.fen} 分，尚缺 ${missingFen} 分`, missingFen };
    }
    if (problem) {
      for (const done of held) await unreserve(em, done.indicator!.id, done.fen);
      return problem;
    }
    held.push(part);
  }
  for (const part of held) entry(em, part.indicator!.id, 'HOLD', part.fen, actor, at, order.id);
  return undefined;
}

function waitForBudget(em: EntityManager, order: PaymentOrder, problem: { reason: string; missingFen: number }, at: Date): void {
  order.status = 'WAITING_BUDGET';
  order.holding = false;
  order.waitingReason = problem.reason;
  order.updatedAt = at;
  emit(em, {
    family: FUNDS_FAMILY,
    type: PAYMENT_WAITING_BUDGET,
    payload: {
      orderId: order.id,
      applicationId: order.applicationId,
      policyId: order.policyId,
      fiscalYear: order.fiscalYear,
      regionCode: order.regionCode,
      department: order.department,
      reason: problem.reason,
      missingFen: problem.missingFen,
    },
  });
}

/**
 * The order of an application awaiting payment (the consumer, in its transaction): PENDING with
 * the budget held, or WAITING_BUDGET with the reason and an event. One per application: a second
 * delivery finds it and adds nothing.
 */
export async function createOrder(em: EntityManager, p: AwaitingPaymentPayload, at: Date, actor = 'system:funds'): Promise<PaymentOrder> {
  const existing = await em.findOne(PaymentOrder, { applicationId: p.applicationId });
  if (existing) return existing;
  const today = toChinaDate(at);
  const order = em.create(PaymentOrder, {
    id: randomUUID(),
    applicationId: p.applicationId,
    receiptNumber: p.receiptNumber ?? null,
    policyId: p.policyId,
    fiscalYear: Number(today.slice(0, 4)),
    regionCode: p.regionCode,
    department: p.department ?? null,
    creditCode: p.creditCode,
    enterpriseName: p.enterpriseName ?? null,
    amountFen: p.amountFen,
    cityFen: 0,
    countyFen: p.amountFen,
    payeeAccount: p.payeeAccount,
    payeeBank: p.payeeBank,
    status: 'PENDING',
    waitingReason: null,
    holding: true,
    bankReference: null,
    bankReason: null,
    attempts: 0,
    // 1 working day to pay (the issue): counted from the day the case came to the payer.
    deadline: addWorkdays(today, 1),
    createdAt: at,
    sentAt: null,
    settledAt: null,
    updatedAt: at,
  });
  em.persist(order);
  // The row first: the hold's entries name it.
  await em.flush();
  const problem = await holdOrder(em, order, actor, at);
  if (problem) waitForBudget(em, order, problem, at);
  await em.flush();
  return order;
}

/**
 * After a budget grew or moved: the orders of that policy, year and region waiting for budget,
 * oldest first, each held now if it fits (each in its own transaction). Returns how many moved.
 */
export async function retryWaiting(em: EntityManager, key: { policyId: string; fiscalYear: number; regionCode: string }, actor: string, at: Date): Promise<number> {
  const waiting = await em.fork().find(PaymentOrder, { ...key, status: 'WAITING_BUDGET' }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  let moved = 0;
  for (const { id } of waiting) {
    const ok = await em.fork().transactional(async (tx) => {
      if (!(await claim(tx, id, ['WAITING_BUDGET'], 'PENDING'))) return false;
      const order = await reload(tx, id);
      const problem = await holdOrder(tx, order, actor, at);
      if (problem) {
        // Still short: back to waiting, with today's figures in the reason (no new event: it was told once).
        order.status = 'WAITING_BUDGET';
        order.waitingReason = problem.reason;
        order.updatedAt = at;
        return false;
      }
      order.status = 'PENDING';
      order.holding = true;
      order.waitingReason = null;
      order.updatedAt = at;
      return true;
    });
    if (ok) moved++;
  }
  return moved;
}

const memoOf = (o: PaymentOrder) => `惠企政策兑现 ${o.policyId} ${o.receiptNumber ?? o.applicationId}`.slice(0, 100);

/**
 * 发送: a PENDING order goes to the bank, once. Concurrent calls for one order: one claims it
 * (PENDING → SENT) and sends; the others return the order as it is. A timeout (or any failure to
 * hear back) leaves it SENT, unknown, until `status`/reconciliation says.
 */
export async function sendOrder(em: EntityManager, bank: BankAdapter, id: string, actor: string, now: () => Date): Promise<PaymentOrder> {
  const claimed = await em.fork().transactional(async (tx) => {
    const order = await tx.findOne(PaymentOrder, { id });
    if (!order) throw notFound('支付令', id);
    if (!(await claim(tx, id, ['PENDING'], 'SENT'))) return undefined;
    const at = now();
    order.status = 'SENT';
    order.attempts += 1;
    order.sentAt = at;
    order.bankReason = null;
    order.updatedAt = at;
    return { ...order } as PaymentOrder;
  });
  if (!claimed) {
    const order = await reload(em.fork(), id);
    if (order.status === 'WAITING_BUDGET') throw new AppError(ErrorCode.WRONG_STATE, `支付令待预算，不能发送：${order.waitingReason ?? ''}`);
    if (order.status === 'FAILED' || order.status === 'RETURNED') throw new AppError(ErrorCode.WRONG_STATE, `支付令${order.status === 'FAILED' ? '支付失败' : '被退回'}（${order.bankReason ?? ''}），请核实收款账户后重新支付（retryPaymentOrder）`);
    // SENT / SETTLED by a concurrent request: nothing more to do (no second send).
    return order;
  }
  let answer: BankAnswer;
  try {
    answer = await bank.send({ orderId: id, payeeAccount: claimed.payeeAccount, payeeBank: claimed.payeeBank, amountFen: claimed.amountFen, memo: memoOf(claimed) });
  } catch (error) {
    // Unknown: the bank may or may not have booked it. It stays SENT; never re-sent blindly.
    const reason = error instanceof BankTimeout ? '代理银行未在规定时间内答复，结果待查询或对账' : `发送时与代理银行通信失败，结果待查询或对账`;
    await em.fork().transactional(async (tx) => {
      const order = await reload(tx, id);
      if (order.status === 'SENT') order.bankReason = reason;
    });
    return reload(em.fork(), id);
  }
  return applyAnswer(em, id, answer, actor);
}

/**
 * The bank's answer applied (after a send, a status query or a statement line), idempotently:
 * SETTLED from SENT → SPEND and `payment.settled`; FAILED/RETURNED from SENT → RELEASE; RETURNED
 * of a SETTLED order (money came back later) → the spent money back to the budget.
 */
export async function applyAnswer(em: EntityManager, id: string, answer: Pick<BankAnswer, 'state' | 'bankReference' | 'reason'> & { at: Date | string }, actor: string): Promise<PaymentOrder> {
  const at = new Date(answer.at);
  await em.fork().transactional(async (tx) => {
    const order = await reload(tx, id);
    if (answer.state === 'SETTLED') {
      if (!(await claim(tx, id, ['SENT'], 'SETTLED'))) return;
      await spend(tx, (await indicator(tx, order, 'CITY')) ?? '', order.cityFen, id, actor, at);
      await spend(tx, (await indicator(tx, order, 'COUNTY')) ?? '', order.countyFen, id, actor, at);
      order.status = 'SETTLED';
      order.holding = false;
      order.bankReference = answer.bankReference;
      order.bankReason = null;
      order.settledAt = at;
      order.updatedAt = at;
      const payload: PaymentSettledPayload = {
        applicationId: order.applicationId,
        orderId: id,
        amountFen: order.amountFen,
        cityFen: order.cityFen,
        countyFen: order.countyFen,
        bankReference: answer.bankReference,
        settledAt: at.toISOString(),
        payeeAccount: maskBankAccount(order.payeeAccount),
        payeeBank: order.payeeBank,
        policyId: order.policyId,
        regionCode: order.regionCode,
        creditCode: order.creditCode,
      };
      emit(tx, { family: FUNDS_FAMILY, type: PAYMENT_SETTLED, payload });
      return;
    }
    const reason = answer.reason ?? (answer.state === 'FAILED' ? '银行未说明原因' : '收款行退回');
    if (await claim(tx, id, ['SENT'], answer.state)) {
      await release(tx, (await indicator(tx, order, 'CITY')) ?? '', order.cityFen, id, reason, actor, at);
      await release(tx, (await indicator(tx, order, 'COUNTY')) ?? '', order.countyFen, id, reason, actor, at);
    } else if (answer.state === 'RETURNED' && (await claim(tx, id, ['SETTLED'], 'RETURNED'))) {
      await unspend(tx, (await indicator(tx, order, 'CITY')) ?? '', order.cityFen, id, reason, actor, at);
      await unspend(tx, (await indicator(tx, order, 'COUNTY')) ?? '', order.countyFen, id, reason, actor, at);
    } else return;
    order.status = answer.state;
    order.holding = false;
    order.bankReference = answer.bankReference || order.bankReference;
    order.bankReason = reason;
    order.updatedAt = at;
    emit(tx, { family: FUNDS_FAMILY, type: PAYMENT_FAILED, payload: { orderId: id, applicationId: order.applicationId, status: answer.state, reason, regionCode: order.regionCode } });
  });
  return reload(em.fork(), id);
}

async function indicator(em: EntityManager, order: PaymentOrder, level: 'CITY' | 'COUNTY'): Promise<string | undefined> {
  return (await em.findOne(BudgetIndicator, { ...indicatorKey(order), level }))?.id;
}

/**
 * 重新支付: a FAILED or RETURNED order is held again and sent again under the SAME id (the bank
 * pays an id at most once). Short of budget now: WAITING_BUDGET.
 */
export async function retryOrder(em: EntityManager, bank: BankAdapter, id: string, actor: string, now: () => Date): Promise<PaymentOrder> {
  const outcome = await em.fork().transactional(async (tx) => {
    const order = await tx.findOne(PaymentOrder, { id });
    if (!order) throw notFound('支付令', id);
    if (!(await claim(tx, id, ['FAILED', 'RETURNED'], 'PENDING'))) {
      const current = await reload(tx, id);
      if (current.status === 'PENDING' || current.status === 'SENT' || current.status === 'SETTLED') return 'moved';
      throw new AppError(ErrorCode.WRONG_STATE, `只有支付失败或被退回的支付令可以重新支付；此支付令状态为 ${current.status}`);
    }
    const at = now();
    const problem = await holdOrder(tx, order, actor, at);
    if (problem) {
      waitForBudget(tx, order, problem, at);
      return 'waiting';
    }
    order.status = 'PENDING';
    order.holding = true;
    order.updatedAt = at;
    return 'held';
  });
  if (outcome === 'held') return sendOrder(em, bank, id, actor, now);
  return reload(em.fork(), id);
}

/**
 * 对账 for one day: (1) every SENT order is asked of the bank — settled, failed or returned there
 * → applied (crash recovery); unknown to the bank for over UNKNOWN_SEND_AFTER_MS → PENDING again,
 * to be sent under the same id; (2) the day's statement lines are matched with the orders: a
 * return of a settled order is applied, a line without an order or with another amount is a
 * difference; (3) an order settled that day missing from the statement is a difference. The
 * report is stored.
 */
export async function reconcile(em: EntityManager, bank: BankAdapter, date: string, actor: string, now: () => Date): Promise<ReconciliationReport> {
  const differences: ReconciliationDifference[] = [];
  let fixed = 0;
  const checkedIds = new Set<string>();
  const sent = await em.fork().find(PaymentOrder, { status: 'SENT' }, { orderBy: { sentAt: 'asc' } });
  for (const order of sent) {
    checkedIds.add(order.id);
    const age = order.sentAt ? now().getTime() - new Date(order.sentAt).getTime() : Infinity;
    if (age < RECONCILE_GRACE_MS) continue;
    const answer = await bank.status(order.id);
    if (answer) {
      const after = await applyAnswer(em, order.id, answer, actor);
      if (after.status !== 'SENT') fixed++;
    } else if (order.sentAt && now().getTime() - new Date(order.sentAt).getTime() > UNKNOWN_SEND_AFTER_MS) {
      const back = await em.fork().transactional(async (tx) => claim(tx, order.id, ['SENT'], 'PENDING'));
      if (back) fixed++;
    }
  }
  const lines = await bank.statement(date, date);
  const transferred = new Set<string>();
  for (const line of lines) {
    const order = await em.fork().findOne(PaymentOrder, { id: line.orderId });
    checkedIds.add(line.orderId);
    if (!order) {
      differences.push({ orderId: null, kind: 'UNKNOWN_IN_STATEMENT', detail: `银行流水 ${line.bankReference}（${line.amountFen} 分）没有对应的支付令 ${line.orderId}` });
      continue;
    }
    if (line.amountFen !== order.amountFen) {
      differences.push({ orderId: order.id, kind: 'AMOUNT_DIFFERS', detail: `银行流水 ${line.bankReference} 金额 ${line.amountFen} 分，支付令金额 ${order.amountFen} 分` });
    }
    if (line.kind === 'TRANSFER') transferred.add(order.id);
    // Money went out for an order we hold as failed or returned (an answer applied out of order):
    // a person retries it — under the same id the bank answers its settlement and pays nothing more.
    if (line.kind === 'TRANSFER' && (order.status === 'FAILED' || order.status === 'RETURNED') && (await bank.status(order.id))?.state === 'SETTLED') {
      differences.push({ orderId: order.id, kind: 'SETTLED_AT_BANK', detail: `银行已入账（${line.bankReference}），支付令却记为${order.status === 'FAILED' ? '支付失败' : '被退回'}：请重新支付（同一幂等键，银行返回已入账结果，不会重复付款）` });
    }
    // A return line may be of an earlier attempt (returned, then retried and settled under the same
    // id): only the bank's current state of the order says whether this settlement came back.
    if (line.kind === 'RETURN' && order.status === 'SETTLED') {
      const current = await bank.status(order.id);
      if (current?.state === 'RETURNED') {
        await applyAnswer(em, order.id, current, actor);
        fixed++;
      }
    }
  }
  const settled = await em.fork().find(PaymentOrder, { status: { $in: ['SETTLED', 'RETURNED'] }, settledAt: { $ne: null } });
  for (const order of settled) {
    if (toChinaDate(new Date(order.settledAt!)) !== date) continue;
    checkedIds.add(order.id);
    if (!transferred.has(order.id)) differences.push({ orderId: order.id, kind: 'SETTLED_NOT_IN_STATEMENT', detail: `支付令已记为到账（${order.bankReference ?? ''}），但 ${date} 的银行对账单中没有这笔转账` });
  }
  return em.fork().transactional(async (tx) => {
    const report = tx.create(ReconciliationReport, { id: randomUUID(), date, checked: checkedIds.size, fixed, differences, ranBy: actor, ranAt: now() });
    tx.persist(report);
    return report;
  });
}
