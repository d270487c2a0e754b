import { createHash, randomUUID } from 'node:crypto';
import { LockMode, type EntityManager } from '@mikro-orm/core';
import { AppError, ErrorCode, invalidInput, notFound, type FieldProblem } from '../../platform/errors';
import { requireWriter } from '../kit/scope';
import { nowOf } from '../kit/services';
import type { Context } from '../kit/subgraph';
import { Application, ApplicationMaterial, ApplicationStep } from './application.entity';
import type { CheckApplicationInput, DepartmentDecisionInput, DepartmentProgressInput, ResubmitApplicationInput } from './application.inputs';
import { missingRequired, resolveMaterials } from './intake';
import { canReadApplication } from './scope';
import { enterJointAudit } from './joint-audit-step';
import { fire } from './workflow';
import { UUID } from '../kit/validation';

const unique = (items: string[]) => [...new Set(items.map((s) => s.trim()).filter(Boolean))];

/**
 * Runs `work` on the case in one transaction, the row read `FOR UPDATE` (PostgreSQL; SQLite has
 * one writer): two transitions on one case run one after the other, the second seeing the first's
 * state. A case the caller may not read is NOT_FOUND, exactly as one that does not exist.
 */
export function onApplication<T>(ctx: Context<unknown>, id: string, work: (em: EntityManager, application: Application) => Promise<T>): Promise<T> {
  return ctx.em.transactional(async (em) => {
    const application = UUID.test(id) ? await em.findOne(Application, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE }) : null;
    if (!application || !canReadApplication(ctx.identity, application)) throw notFound('办件', id.slice(0, 36));
    return work(em, application);
  });
}

const materialPayload = (materials: ApplicationMaterial[]) =>
  materials.map((m) => ({ name: m.name, ...(m.uploadId ? { uploadId: m.uploadId } : {}), ...(m.sha256 ? { sha256: m.sha256 } : {}), heldByGovernment: m.heldByGovernment }));

/**
 * 形式审查. Return: ONE complete list of everything missing (一次性告知) — the required materials
 * of the pinned guide not provided, computed, plus the clerk's own items. Accept: the case goes to
 * the department (`application.accepted`, in this transaction), with 容缺 items listed on the case
 * when the pinned version allows them.
 */
export async function checkApplication(ctx: Context<unknown>, id: string, input: CheckApplicationInput): Promise<Application> {
  requireWriter(ctx.identity, 'WINDOW_CLERK', 'APPROVAL_BUREAU');
  const at = nowOf(ctx.services);
  return onApplication(ctx, id, async (em, application) => {
    const materials = await em.find(ApplicationMaterial, { application }, { orderBy: { name: 'asc' } });
    const computed = missingRequired(application, materials);
    const common = { actor: ctx.identity, at, note: input.note ?? null, requestId: ctx.requestId };
    if (!input.accept) {
      const missing = unique([...computed, ...input.missing]);
      fire(em, application, 'return', {
        ...common,
        given: { missing },
        details: { missing, computed, added: unique(input.missing) },
        apply: (a) => {
          a.missingMaterials = missing;
          a.toleratedMaterials = [];
        },
      });
      return application;
    }
    if (input.missing.length) throw invalidInput([{ field: 'missing', message: '受理时不列缺件：有缺件请退回补正（accept: false），或在政策允许时容缺受理（tolerated）' }]);
    const tolerated = unique(input.tolerated);
    fire(em, application, 'accept', {
      ...common,
      given: { missingRequired: computed, tolerated, tolerable: application.deferrableMaterials ?? [] },
      details: tolerated.length ? { tolerated } : undefined,
      apply: (a) => {
        a.toleratedMaterials = tolerated;
        a.missingMaterials = [];
      },
      eventPayload: { acceptedAt: at.toISOString(), materials: materialPayload(materials), tolerated, data: application.data },
    });
    return application;
  });
}

/** 补正后重新提交 (RETURNED → SUBMITTED): given materials replace those of the same name; `data` replaces the form. */
export async function resubmitApplication(ctx: Context<unknown>, id: string, input: ResubmitApplicationInput): Promise<Application> {
  requireWriter(ctx.identity, 'ENTERPRISE', 'WINDOW_CLERK');
  const at = nowOf(ctx.services);
  return onApplication(ctx, id, async (em, application) => {
    const problems: FieldProblem[] = [];
    const given = await resolveMaterials(em, application.guideMaterials ?? [], input.materials, { creditCode: application.creditCode, identity: ctx.identity }, problems);
    if (problems.length) throw invalidInput(problems);
    // Only what was given: resolveMaterials also adds every government-held one, which the case has already.
    const named = new Set(input.materials.map((m) => m.name));
    const replacing = given.filter((m) => named.has(m.name));
    const existing = await em.find(ApplicationMaterial, { application });
    const commitment = input.commitment;
    fire(em, application, 'resubmit', {
      actor: ctx.identity,
      at,
      note: input.note ?? null,
      requestId: ctx.requestId,
      details: { materials: replacing.map((m) => m.name), ...(input.data ? { dataReplaced: true } : {}) },
      apply: (a) => {
        if (input.data) a.data = input.data;
        if (a.mode === 'COMMITMENT' && commitment?.signed && commitment.text.trim()) {
          a.commitmentSignedAt = at;
          a.commitmentText = commitment.text.trim();
        }
        for (const old of existing.filter((m) => named.has(m.name))) em.remove(old);
        for (const m of replacing) em.persist(Object.assign(new ApplicationMaterial(), { id: randomUUID(), application: a, ...m }));
      },
    });
    return application;
  });
}

/** What a decision says, as one fingerprint: the same decisionId must always say the same. */
function decisionDigest(input: DepartmentDecisionInput): string {
  const t = (s: string | null | undefined) => (typeof s === 'string' ? s.trim() : null);
  const content = [input.outcome, input.amountFen ?? null, input.payeeAccount ?? null, t(input.payeeBank), t(input.reason), t(input.policyExplanation), t(input.note)];
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

/**
 * 部门审核结果 (the mutation every department system calls). Idempotent by `decisionId`: the same
 * id with the same content returns the case unchanged; with other content ALREADY_EXISTS; a
 * second, different decision WRONG_STATE (the case is no longer under review).
 */
export async function recordDepartmentDecision(ctx: Context<unknown>, input: DepartmentDecisionInput): Promise<Application> {
  requireWriter(ctx.identity, 'DEPARTMENT_SYSTEM', 'DEPARTMENT_REVIEWER');
  const at = nowOf(ctx.services);
  const digest = decisionDigest(input);
  return onApplication(ctx, input.applicationId, async (em, application) => {
    if (application.decisionId === input.decisionId) {
      if (application.decisionDigest === digest) return application;
      throw new AppError(ErrorCode.ALREADY_EXISTS, `decisionId ${input.decisionId} 已用于该办件的另一审核结果：同一幂等键只能对应同一内容`, { decisionId: input.decisionId });
    }
    const approve = input.outcome === 'APPROVED';
    const common = { actor: ctx.identity, at, note: input.note?.trim() || null, requestId: ctx.requestId };
    if (approve) {
      fire(em, application, 'approve', {
        ...common,
        given: { amountFen: input.amountFen, amountCapFen: application.amountCapFen ?? null, payeeAccount: input.payeeAccount },
        details: { decisionId: input.decisionId, amountFen: input.amountFen },
        apply: (a) => {
          Object.assign(a, { decisionId: input.decisionId, decisionDigest: digest, amountFen: input.amountFen, payeeAccount: input.payeeAccount, payeeBank: input.payeeBank?.trim() || null });
        },
        eventPayload: { decisionId: input.decisionId, decidedAt: at.toISOString(), amountFen: input.amountFen, payeeBank: input.payeeBank?.trim() || null },
      });
      // Straight on to the joint audit, in this transaction: the approved event brings the audit (joint-audit-step.ts).
      enterJointAudit(em, application, at, ctx.requestId);
    } else {
      fire(em, application, 'reject', {
        ...common,
        given: { reason: input.reason, policyExplanation: input.policyExplanation },
        details: { decisionId: input.decisionId },
        apply: (a) => {
          Object.assign(a, { decisionId: input.decisionId, decisionDigest: digest, rejectionReason: input.reason!.trim(), policyExplanation: input.policyExplanation!.trim() });
        },
        eventPayload: { decisionId: input.decisionId, decidedAt: at.toISOString(), reason: input.reason?.trim(), policyExplanation: input.policyExplanation?.trim() },
      });
    }
    return application;
  });
}

/** 承诺兑现: evaluation / expert review / site survey recorded on the timeline. Idempotent by `progressId`. */
export async function recordDepartmentProgress(ctx: Context<unknown>, input: DepartmentProgressInput): Promise<Application> {
  requireWriter(ctx.identity, 'DEPARTMENT_SYSTEM', 'DEPARTMENT_REVIEWER');
  const at = nowOf(ctx.services);
  return onApplication(ctx, input.applicationId, async (em, application) => {
    const steps = await em.find(ApplicationStep, { application, action: 'evaluate' });
    const same = steps.find((s) => s.details?.progressId === input.progressId);
    if (same) {
      if (same.details?.kind === input.kind && same.note === input.note.trim()) return application;
      throw new AppError(ErrorCode.ALREADY_EXISTS, `progressId ${input.progressId} 已用于该办件的另一条进展：同一幂等键只能对应同一内容`, { progressId: input.progressId });
    }
    fire(em, application, 'evaluate', {
      actor: ctx.identity,
      at,
      note: input.note.trim(),
      requestId: ctx.requestId,
      given: { progressKind: input.kind },
      details: { progressId: input.progressId, kind: input.kind },
    });
    return application;
  });
}
