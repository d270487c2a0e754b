import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { EntityManager } from '@mikro-orm/core';
import { maskBankAccount } from '../../kit/mask';
import { Application, ApplicationMaterial, ApplicationStep } from '../application.entity';
import { STATUS_NAMES, TimelineNote, transitionOf, type WorkflowAction } from '../workflow/table';
import { ArchivedDossier } from './dossier.entity';
import type { PaymentProof } from './payment-settled';

/** The dossier's format, inside it: a reader knows which fields to expect. */
export const DOSSIER_FORMAT = 'qinqing-hub/dossier@1';

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);
export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** RFC 8785 (JCS): keys sorted, one spelling of every number and string, so the same dossier is always the same bytes. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('dossier: nothing to canonicalize');
  return text;
}

const stepName = (action: string) => (action in TimelineNote ? TimelineNote[action as keyof typeof TimelineNote] : transitionOf(action as WorkflowAction).name);

/**
 * The case's dossier as of now, in the caller's transaction: the application as applied for and
 * decided, its materials with their SHA-256, every step of the timeline (each decision with its
 * details), the joint audit's verdict, reasons and findings, and the payment proof. The payee
 * account is masked (the payment proof carries the bank's reference; the dossier is read by the
 * enterprise and auditors and its creation goes to the audit trail).
 */
export async function buildDossier(em: EntityManager, application: Application, payment: PaymentProof, archivedAt: Date): Promise<Record<string, unknown>> {
  const materials = await em.find(ApplicationMaterial, { application }, { orderBy: { name: 'asc' } });
  const steps = await em.find(ApplicationStep, { application }, { orderBy: { seq: 'asc' } });
  const a = application;
  return {
    format: DOSSIER_FORMAT,
    archivedAt: iso(archivedAt),
    application: {
      id: a.id,
      receiptNumber: a.receiptNumber,
      policyId: a.policyId,
      policyVersion: a.policyVersion,
      policyTitle: a.policyTitle,
      mode: a.mode,
      department: a.department,
      regionCode: a.regionCode,
      creditCode: a.creditCode,
      enterpriseName: a.enterpriseName,
      channel: a.channel,
      intakeDepartment: a.intakeDepartment ?? null,
      period: a.period,
      data: a.data ?? {},
      submittedAt: iso(a.submittedAt),
      commitmentSignedAt: iso(a.commitmentSignedAt),
      commitmentText: a.commitmentText ?? null,
      toleratedMaterials: a.toleratedMaterials ?? [],
      amountFen: a.amountFen ?? null,
      payeeAccount: a.payeeAccount ? maskBankAccount(a.payeeAccount) : null,
      payeeBank: a.payeeBank ?? null,
      status: a.status,
      statusName: STATUS_NAMES[a.status],
    },
    materials: materials.map((m) => ({
      name: m.name,
      uploadId: m.uploadId ?? null,
      sha256: m.sha256 ?? null,
      mediaType: m.mediaType ?? null,
      size: m.size ?? null,
      heldByGovernment: m.heldByGovernment,
    })),
    steps: steps.map((s) => ({
      seq: s.seq,
      action: s.action,
      name: stepName(s.action),
      fromStatus: s.fromStatus ?? null,
      toStatus: s.toStatus,
      actorRole: s.actorRole,
      actorSubject: s.actorSubject ?? null,
      actorDepartment: s.actorDepartment ?? null,
      at: iso(s.at),
      note: s.note ?? null,
      deadline: s.deadline ?? null,
      details: s.details ?? null,
    })),
    jointAudit: {
      verdict: a.jointAuditVerdict ?? null,
      reasons: a.jointAuditReasons ?? [],
      findings: a.jointAuditFindings ?? [],
    },
    payment,
  };
}

/** Stores the dossier, once (the primary key is the case id): the canonical text and its hash. */
export function storeDossier(em: EntityManager, application: Application, dossier: Record<string, unknown>, archivedAt: Date): ArchivedDossier {
  const json = canonicalJson(dossier);
  const row = em.create(ArchivedDossier, {
    applicationId: application.id,
    regionCode: application.regionCode,
    creditCode: application.creditCode,
    json,
    sha256: sha256Hex(json),
    archivedAt,
  });
  em.persist(row);
  return row;
}

/**
 * Whether a stored dossier is as archived: its text hashes to its hash, and the columns used to
 * scope it say what the dossier itself says (a row moved to another case or region is caught too).
 */
export function verifyDossier(row: ArchivedDossier): boolean {
  if (sha256Hex(row.json) !== row.sha256) return false;
  try {
    const app = (JSON.parse(row.json) as { application?: { id?: unknown; regionCode?: unknown; creditCode?: unknown } }).application;
    return app?.id === row.applicationId && app.regionCode === row.regionCode && app.creditCode === row.creditCode;
  } catch {
    return false;
  }
}
