import { maskBankAccount } from '../kit/mask';
import type { Application, ApplicationMaterial, ApplicationStep } from './application.entity';
import type { ApplicationMaterialView, ApplicationStepView, ApplicationView } from './application.types';
import { STATUS_NAMES, transitionOf } from './workflow/table';

/** The GraphQL view of an application: the payee account masked; materials and timeline are field resolvers. */
export function applicationView(a: Application): Omit<ApplicationView, 'materials'> {
  return {
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
    status: a.status,
    statusName: STATUS_NAMES[a.status],
    period: a.period,
    data: a.data,
    commitmentSignedAt: a.commitmentSignedAt ?? null,
    commitmentText: a.commitmentText ?? null,
    missingMaterials: a.missingMaterials ?? [],
    toleratedMaterials: a.toleratedMaterials ?? [],
    amountFen: a.amountFen ?? null,
    payeeAccount: a.payeeAccount ? maskBankAccount(a.payeeAccount) : null,
    payeeBank: a.payeeBank ?? null,
    rejectionReason: a.rejectionReason ?? null,
    policyExplanation: a.policyExplanation ?? null,
    jointAuditVerdict: a.jointAuditVerdict ?? null,
    jointAuditReasons: a.jointAuditReasons ?? null,
    jointAuditFindings: a.jointAuditFindings ?? null,
    stateEnteredAt: a.stateEnteredAt,
    deadline: a.deadline ?? null,
    deadlineWorkdays: a.deadlineWorkdays ?? null,
    deadlineProblem: a.deadlineProblem ?? null,
    submittedAt: a.submittedAt,
    updatedAt: a.updatedAt,
  };
}

export const materialView = (m: ApplicationMaterial): ApplicationMaterialView => ({
  name: m.name,
  uploadId: m.uploadId ?? null,
  heldByGovernment: m.heldByGovernment,
  sha256: m.sha256 ?? null,
  mediaType: m.mediaType ?? null,
  size: m.size ?? null,
});

export const stepView = (s: ApplicationStep): ApplicationStepView => ({
  seq: s.seq,
  action: s.action,
  name: transitionOf(s.action).name,
  fromStatus: s.fromStatus ?? null,
  toStatus: s.toStatus,
  actorRole: s.actorRole,
  actorSubject: s.actorSubject ?? null,
  actorDepartment: s.actorDepartment ?? null,
  at: s.at,
  note: s.note ?? null,
  deadline: s.deadline ?? null,
  details: s.details ?? null,
});
