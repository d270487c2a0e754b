import { randomUUID } from 'node:crypto';
import { LockMode, type EntityManager } from '@mikro-orm/core';
import type { Job } from '../kit/jobs';
import { runInMutationScope } from '../kit/audit-trail';
import { GraphRequestError, type GraphClient } from '../kit/graph-client';
import { emit } from '../kit/events/outbox';
import type { Consumer, DomainEvent } from '../kit/events/types';
import { maskBankAccount } from '../kit/mask';
import { nowOf } from '../kit/services';
import type { Identity, Role } from '../../platform/identity';
import { Application } from './application.entity';
import { enterJointAudit } from './joint-audit-step';
import { nextReceiptNumber } from './intake';
import { toChinaDate } from '../kit/calendar';
import { byCodeRegion, entryFates, PAYEES_QUERY, SCREENING_ENTRIES_QUERY, type EntryFate, type Payee, type WhiteListEntry } from './white-list.rules';
import { ConfirmationState, WhiteListConfirmation } from './white-list.entity';
import { fire } from './workflow/fire';
import { APPLICATIONS_FAMILY, Channel } from './workflow/table';

/**
 * 免申即享: a confirmed white list becomes cases, one chunk (a page of the kept screening, at most
 * WHITE_LIST_CHUNK_SIZE entries) per event. Each chunk is one transaction: its cases (each fired
 * `confirm` → APPROVED, then `audit` → JOINT_AUDIT, emitting `application.approved` for the joint
 * audit), the confirmation's progress (cursor, counts) and the next chunk's event — so a crash, a
 * restart or a graph outage between chunks leaves a confirmation that says how far it got and goes
 * on by itself (the outbox holds the next chunk's event), never part of a list without a record.
 * The inbox skips a repeated event; a chunk whose cursor no longer matches is skipped as well.
 */

export const WHITE_LIST_CONSUMER = 'applications-white-list';
export const WHITE_LIST_CHUNK = 'white_list.chunk';
/** The screening's largest page (policies: 500 per page). */
export const WHITE_LIST_CHUNK_SIZE = 500;
/** Register reads are batched up to this many credit codes (enterprisesByCreditCodes allows 1,000). */
const PAYEE_BATCH = 500;
/** Who reads the payee accounts: the payer (县行政审批局) sees them unmasked. */
export const PAYER_SUBJECT = 'service:applications';

export interface WhiteListChunkPayload {
  screeningId: string;
  policyId: string;
  /** The screening's cursor this chunk starts after (null: the first chunk). */
  after: string | null;
  chunk: number;
}

/** Emits the event of a confirmation's next chunk, in the caller's transaction. */
export function emitChunk(em: EntityManager, confirmation: WhiteListConfirmation, requestId?: string): DomainEvent {
  const payload: WhiteListChunkPayload = { screeningId: confirmation.screeningId, policyId: confirmation.policyId, after: confirmation.cursor ?? null, chunk: confirmation.chunks + 1 };
  return emit(em, { family: APPLICATIONS_FAMILY, type: WHITE_LIST_CHUNK, payload: payload as unknown as Record<string, unknown>, requestId });
}

export const whiteListPurpose = (c: Pick<WhiteListConfirmation, 'policyId' | 'screeningId'>) => `免申即享白名单确认：政策 ${c.policyId}，筛查 ${c.screeningId}`;

/** The payer's identity for one county (the accounts are unmasked only for it). */
const payerOf = (regionCode: string) => ({ role: 'APPROVAL_BUREAU' as const, department: `${regionCode}-APPROVAL`, subject: PAYER_SUBJECT });

/**
 * The register's name, region and account of each enterprise, as the payer of its county reads
 * them (grouped by the region in the credit code; batched). A masked account means the graph did
 * not see us as the payer: a deployment error, thrown (the chunk is retried) rather than stored.
 */
export async function readPayees(graph: GraphClient, codes: readonly string[], purpose: string): Promise<Map<string, Payee>> {
  const payees = new Map<string, Payee>();
  for (const [region, group] of byCodeRegion(codes)) {
    for (let i = 0; i < group.length; i += PAYEE_BATCH) {
      const batch = group.slice(i, i + PAYEE_BATCH);
      const options = { purpose, region, as: payerOf(region) };
      const answer = await graph.request<{ enterprisesByCreditCodes: (Payee | null)[] }>(PAYEES_QUERY, { codes: batch }, options);
      for (const payee of answer.enterprisesByCreditCodes) {
        if (!payee) continue;
        if (payee.bankAccount?.masked) throw new GraphRequestError(`white list: the register answered masked accounts: the graph did not see ${PAYER_SUBJECT} as the payer of ${region}`, ['MASKED']);
        payees.set(payee.creditCode, payee);
      }
    }
  }
  return payees;
}

interface PreparedChunk {
  entries: WhiteListEntry[];
  hasNextPage: boolean;
  endCursor: string | null;
  payees: Payee[];
}

function chunkPayload(event: DomainEvent): WhiteListChunkPayload {
  const p = event.payload as Partial<WhiteListChunkPayload>;
  if (typeof p.screeningId !== 'string') throw new Error(`${event.type} ${event.id}: payload without screeningId`);
  return { screeningId: p.screeningId, policyId: String(p.policyId), after: p.after ?? null, chunk: Number(p.chunk) };
}

/** The confirmation still waiting for exactly this chunk, else undefined (done, or a stale event). */
async function waitingFor(em: EntityManager, payload: WhiteListChunkPayload): Promise<WhiteListConfirmation | undefined> {
  const confirmation = await em.findOne(WhiteListConfirmation, { screeningId: payload.screeningId });
  if (!confirmation || confirmation.state !== ConfirmationState.IN_PROGRESS || (confirmation.cursor ?? null) !== payload.after) return undefined;
  return confirmation;
}

/** The confirmer's identity, for the audit trail of the cases (the chunks carry on their mutation). */
const confirmerOf = (c: WhiteListConfirmation): Identity => ({ role: c.confirmedByRole as Role, subject: c.confirmedBy ?? undefined, department: c.department, region: c.regionCode });

const yuan = (fen: number) => (fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** What the enterprise reads on its case's first step: it need not apply, what it gets, where it goes, how to correct the account. */
export function toldEnterprise(c: Pick<WhiteListConfirmation, 'policyTitle'>, amountFen: number, payee: Payee): string {
  return (
    `免申即享：主管部门已确认贵企业符合“${c.policyTitle}”，无需申请。核定金额 ${yuan(amountFen)} 元，` +
    `经联合审核后拨付至 ${payee.bankAccount.bankName} ${maskBankAccount(payee.bankAccount.accountNumber)}。` +
    '如收款账户有误，请在拨付前更正收款账户。'
  );
}

/** One chunk's cases, in the caller's transaction; returns the fates of its entries. */
export async function confirmChunk(em: EntityManager, confirmation: WhiteListConfirmation, prepared: PreparedChunk, at: Date, requestId?: string): Promise<EntryFate[]> {
  const codes = prepared.entries.map((e) => e.creditCode);
  const existing = codes.length
    ? new Set((await em.find(Application, { policyId: confirmation.policyId, period: confirmation.period, creditCode: { $in: codes } }, { fields: ['creditCode'] })).map((a) => a.creditCode))
    : new Set<string>();
  const fates = entryFates(prepared.entries, existing, new Map(prepared.payees.map((p) => [p.creditCode, p])));
  const creating = fates.filter((f): f is Extract<EntryFate, { kind: 'create' }> => f.kind === 'create');
  const today = toChinaDate(at);
  const actor = { role: confirmation.confirmedByRole as Role, subject: confirmation.confirmedBy ?? undefined, department: confirmation.department, region: confirmation.regionCode };
  for (const { entry, payee } of creating) {
    const application = Object.assign(new Application(), {
      id: randomUUID(),
      // The intake's per-region-day counter: white-list cases are numbered with the applications of the day.
      receiptNumber: await nextReceiptNumber(em, payee.regionCode, today),
      policyId: confirmation.policyId,
      policyVersion: confirmation.policyVersion,
      policyTitle: confirmation.policyTitle,
      mode: 'NO_APPLICATION' as const,
      department: confirmation.department,
      regionCode: payee.regionCode,
      creditCode: entry.creditCode,
      enterpriseName: payee.name,
      channel: Channel.WHITE_LIST,
      intakeDepartment: null,
      period: confirmation.period,
      data: { screeningId: confirmation.screeningId, evaluatedOn: confirmation.evaluatedOn, amountText: entry.amountText },
      reviewDays: confirmation.reviewDays,
      screeningId: confirmation.screeningId,
      submittedAt: at,
    });
    fire(em, application, 'confirm', {
      actor,
      at,
      note: toldEnterprise(confirmation, entry.amountFen, payee),
      given: { screeningId: confirmation.screeningId, screeningDigest: confirmation.digest, amountFen: entry.amountFen, payeeAccount: payee.bankAccount.accountNumber },
      details: { screeningId: confirmation.screeningId, digest: confirmation.digest, evaluatedOn: confirmation.evaluatedOn, amountFen: entry.amountFen, amountText: entry.amountText },
      apply: (a) => {
        a.amountFen = entry.amountFen;
        a.payeeAccount = payee.bankAccount.accountNumber;
        a.payeeBank = payee.bankAccount.bankName;
      },
      eventPayload: { amountFen: entry.amountFen, screeningId: confirmation.screeningId },
      requestId,
    });
    // Straight on to the joint audit, in the same transaction (the approved event brings the audit).
    enterJointAudit(em, application, at, requestId);
  }
  confirmation.chunks += 1;
  confirmation.created += creating.length;
  confirmation.alreadyConfirmed += fates.filter((f) => f.kind === 'already').length;
  const skipped = fates.filter((f): f is Extract<EntryFate, { kind: 'skip' }> => f.kind === 'skip');
  confirmation.skipped += skipped.length;
  if (skipped.length) confirmation.skippedEntries = [...confirmation.skippedEntries, ...skipped.map((s) => ({ creditCode: s.entry.creditCode, reason: s.reason }))];
  confirmation.cursor = prepared.endCursor ?? confirmation.cursor ?? null;
  confirmation.progressedAt = at;
  if (prepared.hasNextPage) emitChunk(em, confirmation, requestId);
  else {
    confirmation.state = ConfirmationState.COMPLETE;
    confirmation.completedAt = at;
  }
  return fates;
}

/** The graph reads of one chunk: the page of the kept screening and its enterprises' payees (network only). */
export async function readChunk(graph: GraphClient, confirmation: WhiteListConfirmation, after: string | null): Promise<PreparedChunk> {
  const purpose = whiteListPurpose(confirmation);
  const answer = await graph.request<{ policyScreening: { entries: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: WhiteListEntry[] } } }>(
    SCREENING_ENTRIES_QUERY,
    { id: confirmation.screeningId, first: WHITE_LIST_CHUNK_SIZE, after },
    { purpose, region: confirmation.regionCode },
  );
  const page = answer.policyScreening.entries;
  // Only the entries a case could be made of need a payee.
  const wanted = page.nodes.filter((e) => typeof e.amountFen === 'number' && e.amountFen > 0).map((e) => e.creditCode);
  const payees = wanted.length ? await readPayees(graph, wanted, purpose) : new Map<string, Payee>();
  return { entries: page.nodes, hasNextPage: page.pageInfo.hasNextPage, endCursor: page.pageInfo.endCursor, payees: [...payees.values()] };
}

/** A confirmation still IN_PROGRESS that has not moved for this long is resumed (its chunk's event was dead-lettered, say). */
export const WHITE_LIST_RESUME_AFTER_MS = 15 * 60_000;

/**
 * Emits the next chunk's event again for every confirmation IN_PROGRESS that has not moved for
 * `olderThanMs` (the consumer gave up on its event after a long graph outage), in one transaction
 * each with the bumped `progressedAt`. A duplicate of an event still pending is harmless: whichever
 * runs second finds the cursor moved and does nothing. Returns the screenings resumed.
 */
export async function resumeStalledConfirmations(em: EntityManager, now: Date, olderThanMs = WHITE_LIST_RESUME_AFTER_MS, screeningId?: string): Promise<string[]> {
  const stalled = await em.find(WhiteListConfirmation, {
    state: ConfirmationState.IN_PROGRESS,
    progressedAt: { $lt: new Date(now.getTime() - olderThanMs) },
    ...(screeningId ? { screeningId } : {}),
  });
  const resumed: string[] = [];
  for (const c of stalled) {
    await em.fork().transactional(async (tx) => {
      const locked = await tx.findOne(WhiteListConfirmation, { screeningId: c.screeningId, state: ConfirmationState.IN_PROGRESS, progressedAt: c.progressedAt }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!locked) return;
      locked.progressedAt = now;
      emitChunk(tx, locked);
      resumed.push(locked.screeningId);
    });
  }
  return resumed;
}

/** The resumption as a job of the applications subgraph (every replica may run it: the row lock and the cursor keep it once). */
export const whiteListResumeJob: Job = {
  name: 'white-list-resume',
  everyMs: 5 * 60_000,
  async run(em, log, services) {
    const resumed = await resumeStalledConfirmations(em, nowOf(services));
    if (resumed.length) log.warn('white list confirmations resumed after stalling', { screenings: resumed });
  },
};

/** `white_list.chunk` → one chunk of cases; idempotent by event id (the inbox) and by the confirmation's cursor. */
export const whiteListConsumer: Consumer<PreparedChunk | undefined> = {
  name: WHITE_LIST_CONSUMER,
  families: [APPLICATIONS_FAMILY],
  maxAttempts: 12,
  async prepare(em, event, services) {
    if (event.type !== WHITE_LIST_CHUNK) return undefined;
    const payload = chunkPayload(event);
    const confirmation = await waitingFor(em, payload);
    if (!confirmation) return undefined;
    if (!services.graph) throw new GraphRequestError('white list: no graph client (GRAPH_URL, GRAPH_SERVICE_TOKEN_FILE): the confirmation waits', ['NO_GRAPH']);
    return readChunk(services.graph, confirmation, payload.after);
  },
  async handle(em, event, services, prepared) {
    if (event.type !== WHITE_LIST_CHUNK || !prepared) return;
    const confirmation = await waitingFor(em, chunkPayload(event));
    if (!confirmation) return;
    // The chunk continues the department's confirmation: its cases are audited as that mutation's.
    await runInMutationScope({ identity: confirmerOf(confirmation), action: 'confirmWhiteList', requestId: event.requestId }, async () => {
      await confirmChunk(em, confirmation, prepared, nowOf(services), event.requestId);
      await em.flush();
    });
  },
};
