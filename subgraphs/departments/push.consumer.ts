import type { EntityManager } from '@mikro-orm/core';
import { departmentRegion } from '../../platform/directory';
import { GraphRequestError, type GraphClient } from '../kit/graph-client';
import type { Consumer } from '../kit/events/types';
import { nowOf } from '../kit/services';
import { DepartmentCase, DepartmentCaseRecord, RECORD_KIND_NAMES } from './department-case.entity';
import { DEPARTMENT_DECIDED, DEPARTMENT_RECORDED, DEPARTMENTS_FAMILY, type DepartmentCaseEventPayload } from './events';

/** Who the pushes act as: the department's own system (its DEPARTMENT_SYSTEM identity), this service. */
export const PUSH_SUBJECT = 'service:departments';

/** The applications subgraph's mutations every department system calls (docs/departments.md). */
export const DECISION_MUTATION = `mutation DepartmentDecision($input: DepartmentDecisionInput!) {
  recordDepartmentDecision(input: $input) { id status }
}`;
export const PROGRESS_MUTATION = `mutation DepartmentProgress($input: DepartmentProgressInput!) {
  recordDepartmentProgress(input: $input) { id status }
}`;

/**
 * Refusals that say the result itself is not acceptable (a wrong state, a decision id reused with
 * other content, a rule on the input, no right to decide this application): asking again changes
 * nothing, so the refusal is kept on the case for its staff to see and act on. Anything else — the
 * gateway or the applications subgraph down, slow or overloaded, no token yet — is retried.
 */
const REFUSALS = new Set(['WRONG_STATE', 'ALREADY_EXISTS', 'BAD_USER_INPUT', 'FORBIDDEN', 'NOT_FOUND', 'INVALID_CREDIT_CODE']);
const refusal = (error: unknown): string | undefined =>
  error instanceof GraphRequestError && error.codes.length > 0 && error.codes.every((code) => REFUSALS.has(code))
    ? error.message.replace(/^graph: /, '').slice(0, 600)
    : undefined;

/** What one sync pushed: record ids and the decision, each accepted (error null) or refused. */
export interface Pushed {
  caseId: string;
  records: { id: string; error: string | null }[];
  decision?: { decisionId: string; error: string | null };
}

/** The record as a line of the application's timeline (the note of `recordDepartmentProgress`). */
export function progressNote(record: DepartmentCaseRecord): string {
  const text = `${RECORD_KIND_NAMES[record.kind]}（${record.date}，${record.people.join('、')}）：${record.findings}；结论：${record.conclusion}`;
  return [...text].length > 1000 ? `${[...text].slice(0, 999).join('')}…` : text;
}

async function call(graph: GraphClient, kase: DepartmentCase, query: string, input: Record<string, unknown>): Promise<string | null> {
  try {
    await graph.request(query, { input }, {
      purpose: `部门审核结果回传：${kase.receiptNumber}`,
      region: departmentRegion(kase.department) ?? kase.regionCode,
      as: { role: 'DEPARTMENT_SYSTEM', department: kase.department, subject: PUSH_SUBJECT },
    });
    return null;
  } catch (error) {
    const refused = refusal(error);
    if (refused === undefined) throw error;
    return refused;
  }
}

/**
 * Brings the applications subgraph up to date with one case: its survey and evaluation records not
 * yet pushed (COMMITMENT cases: `recordDepartmentProgress`, keyed by the record id), then its
 * decision (`recordDepartmentDecision`, keyed by the decision id), in that order — whichever event
 * arrives first, and however often. Network only; what was pushed is written by `handle`.
 */
export async function syncCase(em: EntityManager, graph: GraphClient | undefined, caseId: string): Promise<Pushed | undefined> {
  const kase = await em.findOne(DepartmentCase, { id: caseId });
  if (!kase) return undefined;
  const records = kase.mode === 'COMMITMENT' ? await em.find(DepartmentCaseRecord, { caseId, pushedAt: null, pushError: null }, { orderBy: { recordedAt: 'asc', id: 'asc' } }) : [];
  const decisionDue = kase.status === 'DECIDED' && kase.decisionId !== null && kase.pushError === null;
  if (!records.length && !decisionDue) return undefined;
  // Nothing is dropped: without a client (no GRAPH_URL, no token) the event waits and is retried.
  if (!graph) throw new GraphRequestError('departments push: no graph client (GRAPH_URL, GRAPH_SERVICE_TOKEN_DIR)', ['NO_CLIENT']);
  const pushed: Pushed = { caseId, records: [] };
  for (const record of records) {
    const error = await call(graph, kase, PROGRESS_MUTATION, { applicationId: kase.applicationId, progressId: record.id, kind: record.kind, note: progressNote(record) });
    pushed.records.push({ id: record.id, error });
  }
  if (decisionDue) {
    const approved = kase.outcome === 'APPROVED';
    const input: Record<string, unknown> = { applicationId: kase.applicationId, decisionId: kase.decisionId, outcome: kase.outcome };
    if (approved) Object.assign(input, { amountFen: kase.amountFen, payeeAccount: kase.payeeAccount, ...(kase.payeeBank ? { payeeBank: kase.payeeBank } : {}) });
    else Object.assign(input, { reason: kase.reason, policyExplanation: kase.policyExplanation });
    if (kase.note) input.note = kase.note;
    pushed.decision = { decisionId: kase.decisionId!, error: await call(graph, kase, DECISION_MUTATION, input) };
  }
  return pushed;
}

/** Writes what `syncCase` pushed: records marked, the case PUSHED (or the refusal kept on it). Idempotent. */
export async function markPushed(em: EntityManager, pushed: Pushed, now: Date): Promise<void> {
  for (const { id, error } of pushed.records) {
    await em.nativeUpdate(DepartmentCaseRecord, { id, pushedAt: null, pushError: null }, error ? { pushError: error } : { pushedAt: now });
  }
  if (pushed.decision) {
    const { decisionId, error } = pushed.decision;
    // Only the decision that was pushed, while it is still the case's: a retried old event changes nothing.
    const kase = await em.findOne(DepartmentCase, { id: pushed.caseId, decisionId, status: 'DECIDED', pushError: null });
    if (!kase) return;
    if (error) kase.pushError = error;
    else Object.assign(kase, { status: 'PUSHED', pushedAt: now });
    kase.updatedAt = now;
  }
}

/**
 * 结果回传: every decision and (COMMITMENT) survey or evaluation record goes back to the
 * applications subgraph through the gateway, as the department's DEPARTMENT_SYSTEM. The calls are
 * made in `prepare` (network outside any transaction: kit/events/types.ts); they are idempotent on
 * the applications side (decisionId, progressId), so a retry after a failure or a crash before
 * `handle` committed repeats them harmlessly — a result is never applied twice. `maxAttempts:
 * Infinity`: while the gateway or the applications subgraph is down the event is retried with the
 * kit's backoff (at most once a minute) and never dead-lettered.
 */
export const pushConsumer: Consumer<Pushed | undefined> = {
  name: 'department-push',
  families: [DEPARTMENTS_FAMILY],
  maxAttempts: Infinity,
  async prepare(em, event, services) {
    if (event.type !== DEPARTMENT_DECIDED && event.type !== DEPARTMENT_RECORDED) return undefined;
    const { caseId } = event.payload as unknown as DepartmentCaseEventPayload;
    return syncCase(em, services.graph, caseId);
  },
  async handle(em, _event, services, pushed) {
    if (pushed) await markPushed(em, pushed, nowOf(services));
  },
};
