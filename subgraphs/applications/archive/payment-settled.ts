import { LockMode, type EntityManager } from '@mikro-orm/core';
import { AppError, echo, ErrorCode } from '../../../platform/errors';
import { runAsSystem } from '../../kit/audit-trail';
import type { Consumer, DomainEvent } from '../../kit/events/types';
import { nowOf } from '../../kit/services';
import { unsafeTextProblem, UUID } from '../../kit/validation';
import { Application, ApplicationStep } from '../application.entity';
import { fire, type WorkflowActor } from '../workflow/fire';
import { STATUS_NAMES } from '../workflow/table';
import { buildDossier, storeDossier } from './dossier';
import { ArchivedDossier } from './dossier.entity';

/**
 * The funds subgraph's family and its settlement event (I10 contract), described here again, not
 * imported: a subgraph never imports another's code; this consumer checks what arrives.
 */
export const FUNDS_FAMILY = 'funds';
export const PAYMENT_SETTLED = 'payment.settled';

export interface PaymentSettledPayload {
  applicationId: string;
  orderId: string;
  amountFen: number;
  cityFen: number;
  countyFen: number;
  bankReference: string;
  settledAt: string;
  /** Masked by funds (first 4 and last 4 digits). */
  payeeAccount?: string | null;
}

/** The payment proof kept on the `pay` step and in the dossier. */
export interface PaymentProof {
  orderId: string;
  bankReference: string;
  amountFen: number;
  cityFen: number;
  countyFen: number;
  settledAt: string;
  payeeAccount: string | null;
  /** The event that brought it (for tracing a dossier back to the outbox). */
  eventId: string;
}

export const ARCHIVE_CONSUMER = 'applications-pay-archive';
export const ARCHIVE_SUBJECT = 'system:applications-pay-archive';
const SYSTEM: WorkflowActor = { role: 'SYSTEM', subject: ARCHIVE_SUBJECT };

const KEY = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;
const fen = (v: unknown, min: number) => typeof v === 'number' && Number.isSafeInteger(v) && v >= min;

/**
 * What is wrong with a `payment.settled` payload, or undefined — checked like any input before
 * anything is read or written: ids and references of a bounded alphabet, integer fen, the parts
 * adding up to the amount, a real instant.
 */
export function settledPayloadProblem(p: Record<string, unknown>): string | undefined {
  const bad = (field: string) => `payment.settled: ${field} is missing or malformed (${echo(p[field])})`;
  if (typeof p.applicationId !== 'string' || !UUID.test(p.applicationId)) return bad('applicationId');
  if (typeof p.orderId !== 'string' || !KEY.test(p.orderId)) return bad('orderId');
  if (typeof p.bankReference !== 'string' || !KEY.test(p.bankReference)) return bad('bankReference');
  if (!fen(p.amountFen, 1)) return bad('amountFen');
  if (!fen(p.cityFen, 0)) return bad('cityFen');
  if (!fen(p.countyFen, 0)) return bad('countyFen');
  if ((p.cityFen as number) + (p.countyFen as number) !== p.amountFen) return `payment.settled: cityFen + countyFen (${echo(p.cityFen)} + ${echo(p.countyFen)}) is not amountFen (${echo(p.amountFen)})`;
  if (typeof p.settledAt !== 'string' || !ISO_TIME.test(p.settledAt) || Number.isNaN(Date.parse(p.settledAt))) return bad('settledAt');
  if (p.payeeAccount != null && (typeof p.payeeAccount !== 'string' || p.payeeAccount.length > 32 || !!unsafeTextProblem(p.payeeAccount) || /\d{9,}/.test(p.payeeAccount))) {
    // A full account number (9+ digits in a row) must never be kept: funds sends it masked.
    return bad('payeeAccount');
  }
  return undefined;
}

/** Why a settlement cannot be applied to this case: a WRONG_STATE, the case left unchanged. */
const refused = (application: Application, message: string, details: Record<string, unknown> = {}) =>
  new AppError(ErrorCode.WRONG_STATE, message, { applicationId: application.id, status: application.status, ...details });

/**
 * 拨付 then 归档, in the caller's transaction (the kit inbox's): fires `pay` (AWAITING_PAYMENT →
 * PAID, the payment proof on the step, `application.paid` to the outbox), builds and stores the
 * dossier, fires `archive` (PAID → ARCHIVED). Idempotent: the same order's settlement for a case
 * already paid changes nothing and returns 'already'. Refused (thrown, nothing changed): a case
 * that does not exist, is not awaiting payment, or whose award differs from the amount paid; a
 * second, different order settled for a paid case (never paid twice: someone must look).
 */
export async function payAndArchive(em: EntityManager, payload: PaymentSettledPayload, eventId: string, at: Date): Promise<'archived' | 'already'> {
  const application = await em.findOne(Application, { id: payload.applicationId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!application) throw new AppError(ErrorCode.NOT_FOUND, `拨付结果对应的办件不存在：${payload.applicationId}`, { applicationId: payload.applicationId });
  if (application.status === 'PAID' || application.status === 'ARCHIVED') {
    const paid = await em.findOne(ApplicationStep, { application, action: 'pay' }, { orderBy: { seq: 'desc' } });
    if (paid?.details?.orderId === payload.orderId) return 'already';
    throw refused(application, `该案件已由支付令 ${String(paid?.details?.orderId ?? '（未知）')} 拨付，支付令 ${payload.orderId} 的到账结果不能再次拨付，请核查是否重复支付`, { orderId: payload.orderId });
  }
  if (application.status !== 'AWAITING_PAYMENT') {
    throw refused(application, `案件当前状态为${STATUS_NAMES[application.status]}，不是待拨付，不能记录支付令 ${payload.orderId} 的到账结果`, { orderId: payload.orderId });
  }
  if (application.amountFen !== payload.amountFen) {
    throw refused(application, `到账金额 ${payload.amountFen} 分与核定金额 ${application.amountFen ?? '（无）'} 分不符，不能拨付`, { orderId: payload.orderId, amountFen: payload.amountFen });
  }

  const proof: PaymentProof = {
    orderId: payload.orderId,
    bankReference: payload.bankReference,
    amountFen: payload.amountFen,
    cityFen: payload.cityFen,
    countyFen: payload.countyFen,
    settledAt: new Date(payload.settledAt).toISOString(),
    payeeAccount: payload.payeeAccount ?? null,
    eventId,
  };
  const yuan = (payload.amountFen / 100).toFixed(2);
  return runAsSystem({ role: 'APPROVAL_BUREAU', subject: ARCHIVE_SUBJECT, region: application.regionCode }, 'payAndArchive', async () => {
    fire(em, application, 'pay', {
      actor: SYSTEM,
      at,
      note: `已拨付 ${yuan} 元至${application.payeeBank ?? '企业收款账户'}${proof.payeeAccount ? ` ${proof.payeeAccount}` : ''}（银行流水号 ${proof.bankReference}，到账时间 ${proof.settledAt}）`,
      details: { ...proof },
      eventPayload: { ...proof },
    });
    // The pay step is flushed first so the dossier's timeline reads it back like every other step.
    await em.flush();
    const dossier = await buildDossier(em, application, proof, at);
    const row = storeDossier(em, application, dossier, at);
    fire(em, application, 'archive', {
      actor: SYSTEM,
      at,
      note: `已归档：办件材料、审核决定、联合审核结论与拨付凭证存档（SHA-256 ${row.sha256}）`,
      details: { sha256: row.sha256 },
    });
    await em.flush();
    return 'archived' as const;
  });
}

/** `payment.settled` (funds) → pay and archive; idempotent by event id (the inbox) and by the case's state and order. */
export const paymentSettledConsumer: Consumer = {
  name: ARCHIVE_CONSUMER,
  families: [FUNDS_FAMILY],
  // About 8 minutes of retries (1 s … 1 min apart) ride out a database restart; past them the event
  // is a dead letter an operator replays — a refused settlement must reach a person, not loop for ever.
  maxAttempts: 12,
  async handle(em, event: DomainEvent, services) {
    if (event.type !== PAYMENT_SETTLED) return;
    const problem = settledPayloadProblem(event.payload);
    // Thrown, not skipped: retried, then kept as a dead letter for an operator (money moved; the case must follow).
    if (problem) throw new AppError(ErrorCode.BAD_USER_INPUT, problem, { eventId: event.id });
    await payAndArchive(em, event.payload as unknown as PaymentSettledPayload, event.id, nowOf(services));
  },
};

/** The stored dossier of a case, or null. */
export const findDossier = (em: EntityManager, applicationId: string) => em.findOne(ArchivedDossier, { applicationId });
