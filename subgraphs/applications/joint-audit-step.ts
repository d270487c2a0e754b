import { LockMode, type EntityManager } from '@mikro-orm/core';
import { runAsSystem, type SystemIdentity } from '../kit/audit-trail';
import { toChinaDate } from '../kit/calendar';
import { GraphRequestError } from '../kit/graph-client';
import type { Consumer, DomainEvent } from '../kit/events/types';
import type { Job } from '../kit/jobs';
import { nowOf, type Services } from '../kit/services';
import type { Logger } from '../../platform/logger';
import { Application } from './application.entity';
import { fetchJointAudit, nextActionOf, type JointAuditResult } from './joint-audit-outcome';
import { fire, type WorkflowActor } from './workflow/fire';
import { ApplicationEvent, APPLICATIONS_FAMILY } from './workflow/table';

/**
 * The joint audit step (联合审核) of every case, whatever its mode: right after the department's
 * approval (or the confirmation of a 免申即享 white list) the case enters JOINT_AUDIT in the same
 * transaction (`enterJointAudit`), and `application.approved` brings it here. The consumer asks the
 * graph for `Enterprise.jointAudit` (outside the transaction: `prepare`) and, in the transaction of
 * its inbox entry, fires `clear` (PASS / WARN → AWAITING_PAYMENT, payment due in 1 working day) or
 * `hold` (HOLD → HELD), keeping the verdict, reasons and findings on the case.
 *
 * A case never skips the audit: the graph unreachable, a source not checked (its HOLD says nothing
 * about the enterprise) or any other failure leaves the case in JOINT_AUDIT and the consumer
 * retries; past its attempts the sweep job runs the audit again for every case that has waited
 * longer than JOINT_AUDIT_SWEEP_AFTER_MS, on every start and at every interval.
 */

export const JOINT_AUDIT_CONSUMER = 'applications-joint-audit';
/** The platform's own steps on a case, in the timeline. */
export const JOINT_AUDIT_SUBJECT = 'system:applications-joint-audit';
/** The audit trail's actor for the step (a system identity acting for the Approval Bureau). */
const systemIdentity = (regionCode: string): SystemIdentity => ({ role: 'APPROVAL_BUREAU', subject: JOINT_AUDIT_SUBJECT, region: regionCode });
const SYSTEM: WorkflowActor = { role: 'SYSTEM', subject: JOINT_AUDIT_SUBJECT };

/** Retries of one delivery: 1 s, 2 s, 4 s … at most a minute apart, about 8 minutes in all; the sweep takes over after. */
export const JOINT_AUDIT_ATTEMPTS = 12;
/** The sweep re-runs audits of cases waiting in APPROVED / JOINT_AUDIT longer than this … */
export const JOINT_AUDIT_SWEEP_AFTER_MS = 10 * 60_000;
/** … every this often. */
export const JOINT_AUDIT_SWEEP_EVERY_MS = 5 * 60_000;

/** Fires `audit` (APPROVED → JOINT_AUDIT) as the platform, in the caller's transaction: call it right after `approve` / `confirm`. */
export function enterJointAudit(em: EntityManager, application: Application, at: Date, requestId?: string) {
  return fire(em, application, 'audit', { actor: SYSTEM, at, note: '自动转入联合审核：核查相关部门对该企业的记录', requestId });
}

/** The case as the purpose of the graph reads (the access log shows which case a source was read for). */
export const auditPurpose = (application: Pick<Application, 'receiptNumber'>) => `联合审核：办件 ${application.receiptNumber}`;

/** What `application.awaiting_payment` carries besides the common payload: what the payment needs (issue 10, funds). */
export function awaitingPaymentPayload(application: Application): Record<string, unknown> {
  return {
    amountFen: application.amountFen ?? null,
    payeeAccount: application.payeeAccount ?? null,
    payeeBank: application.payeeBank ?? null,
    jointAuditVerdict: application.jointAuditVerdict ?? null,
  };
}

const outcomeNote = (result: JointAuditResult) =>
  result.verdict === 'HOLD'
    ? `联合审核暂缓，待县行政审批局核处：${result.reasons.join('；')}`
    : result.verdict === 'WARN'
      ? `联合审核通过（有提示事项）：${result.reasons.join('；')}`
      : '联合审核通过：相关部门均无影响兑现的记录';

/**
 * Applies a joint audit's verdict to the case, in the caller's transaction, as the platform. A
 * case no longer in APPROVED / JOINT_AUDIT (already cleared, held, or the verdict of a concurrent
 * run applied first) is left alone: returns undefined.
 */
export async function applyJointAudit(em: EntityManager, applicationId: string, result: JointAuditResult, at: Date): Promise<'clear' | 'hold' | undefined> {
  // Locked (PostgreSQL): a concurrent run of the same case waits, then finds it decided.
  const application = await em.findOne(Application, { id: applicationId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!application || !['APPROVED', 'JOINT_AUDIT'].includes(application.status)) return undefined;
  return runAsSystem(systemIdentity(application.regionCode), 'jointAudit', async () => {
    if (application.status === 'APPROVED') enterJointAudit(em, application, at);
    const action = nextActionOf(result.verdict);
    const keep = (a: Application) => {
      a.jointAuditVerdict = result.verdict;
      a.jointAuditReasons = result.reasons;
      a.jointAuditFindings = result.findings;
    };
    fire(em, application, action, {
      actor: SYSTEM,
      at,
      note: outcomeNote(result),
      given: { verdict: result.verdict },
      details: { verdict: result.verdict, asOf: result.asOf, reasons: result.reasons, rulesAreDefault: result.rulesAreDefault, sources: result.sources },
      apply: keep,
      eventPayload: action === 'clear' ? { ...awaitingPaymentPayload(application), jointAuditVerdict: result.verdict } : { verdict: result.verdict, reasons: result.reasons },
    });
    // Flushed here, inside the system's audit scope: the change is in the audit trail.
    await em.flush();
    return action;
  });
}

/** Runs the joint audit of a case through the graph: network only (no transaction is open meanwhile). */
export async function auditThroughGraph(em: EntityManager, applicationId: string, services: Services): Promise<JointAuditResult | undefined> {
  const application = await em.findOne(Application, { id: applicationId });
  if (!application || !['APPROVED', 'JOINT_AUDIT'].includes(application.status)) return undefined;
  if (!services.graph) throw new GraphRequestError('joint audit: no graph client (GRAPH_URL, GRAPH_SERVICE_TOKEN_FILE): the case waits in JOINT_AUDIT', ['NO_GRAPH']);
  return fetchJointAudit(services.graph, {
    creditCode: application.creditCode,
    policyId: application.policyId,
    regionCode: application.regionCode,
    asOf: toChinaDate(nowOf(services)),
    purpose: auditPurpose(application),
  });
}

/** `application.approved` → the joint audit; idempotent by event id (the inbox) and by the case's state. */
export const jointAuditConsumer: Consumer<JointAuditResult | undefined> = {
  name: JOINT_AUDIT_CONSUMER,
  families: [APPLICATIONS_FAMILY],
  maxAttempts: JOINT_AUDIT_ATTEMPTS,
  async prepare(em, event, services) {
    if (event.type !== ApplicationEvent.approved) return undefined;
    return auditThroughGraph(em, applicationIdOf(event), services);
  },
  async handle(em, event, services, result) {
    if (event.type !== ApplicationEvent.approved || !result) return;
    await applyJointAudit(em, applicationIdOf(event), result, nowOf(services));
  },
};

function applicationIdOf(event: DomainEvent): string {
  const id = (event.payload as { applicationId?: unknown }).applicationId;
  if (typeof id !== 'string') throw new Error(`${event.type} ${event.id}: payload without applicationId`);
  return id;
}

/**
 * Runs the joint audit again for every case waiting in APPROVED / JOINT_AUDIT for longer than
 * `olderThanMs` (the consumer gave up, the process stopped mid-way): the step is computed from the
 * data, so it is right after a restart. One case failing does not stop the others. Returns what
 * it did, per case id.
 */
export async function sweepJointAudits(em: EntityManager, services: Services, log: Logger, olderThanMs = JOINT_AUDIT_SWEEP_AFTER_MS): Promise<Record<string, 'clear' | 'hold' | 'failed' | 'skipped'>> {
  const now = nowOf(services);
  const waiting = await em.find(
    Application,
    { status: { $in: ['APPROVED', 'JOINT_AUDIT'] }, stateEnteredAt: { $lt: new Date(now.getTime() - olderThanMs) } },
    { fields: ['id'], orderBy: { stateEnteredAt: 'asc' }, limit: 1000 },
  );
  const done: Record<string, 'clear' | 'hold' | 'failed' | 'skipped'> = {};
  for (const { id } of waiting) {
    if (services.signal?.aborted) break;
    try {
      const result = await auditThroughGraph(em.fork(), id, services);
      done[id] = (result && (await em.fork().transactional((tx) => applyJointAudit(tx, id, result, nowOf(services))))) || 'skipped';
    } catch (error) {
      done[id] = 'failed';
      log.warn('joint audit sweep: a case is still waiting', { applicationId: id, error });
    }
  }
  const failed = Object.values(done).filter((d) => d === 'failed').length;
  if (waiting.length) log.info('joint audit sweep', { waiting: waiting.length, failed });
  return done;
}

/** The sweep as a job of the applications subgraph (every replica runs it; the case's step seq keeps it once). */
export const jointAuditSweepJob: Job = {
  name: 'joint-audit-sweep',
  everyMs: JOINT_AUDIT_SWEEP_EVERY_MS,
  async run(em, log, services) {
    await sweepJointAudits(em, services, log);
  },
};
