import { maskBankAccount } from '../kit/mask';
import type { Application, ApplicationMaterial, ApplicationStep } from './application.entity';
import type { ApplicationMaterialView, ApplicationReceipt, ApplicationStepView, ApplicationView } from './application.types';
import { DEPARTMENTS } from '../../platform/directory';
import { CHANNEL_NAMES, FORMAL_CHECK_WORKDAYS, STATUS_NAMES, transitionOf } from './workflow/table';

/** The GraphQL view of an application: the payee account masked; materials and timeline are field resolvers. */
export function applicationView(a: Application): Omit<ApplicationView, 'materials' | 'receipt' | 'policy' | 'enterprise' | 'timeline'> {
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

/** `YYYY-MM-DD HH:mm` in China time (UTC+8 all year). */
const chinaTime = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

const departmentName = (code: string) => DEPARTMENTS.find((d) => d.code === code)?.name ?? code;

/** 受理回执 of a case, from its first step (the submission) and its materials. */
export function receiptView(a: Application, materials: ApplicationMaterial[], submitted: ApplicationStep | undefined): ApplicationReceipt {
  const received = materials.map(materialView);
  const deadline = submitted?.deadline ?? null;
  const where = a.intakeDepartment ? `${departmentName(a.intakeDepartment)}${CHANNEL_NAMES[a.channel]}` : CHANNEL_NAMES[a.channel];
  const text =
    `${a.enterpriseName}（${a.creditCode}）：您申请的“${a.policyTitle}”（${a.policyId}，第 ${a.policyVersion} 版）已于 ${chinaTime(a.submittedAt)} 经${where}提交，` +
    `受理回执编号 ${a.receiptNumber}。收到材料：${received.map((m) => `${m.name}${m.heldByGovernment ? '（政府已有，共享获取）' : ''}`).join('、') || '无'}。` +
    (deadline ? `将在 ${deadline} 前完成形式审查` : `形式审查期限暂无法计算（${a.deadlineProblem ?? '日历未公布'}）`) +
    `；材料不全的，将一次性告知需补正的全部内容。请凭回执编号查询办理进度。`;
  return {
    receiptNumber: a.receiptNumber,
    issuedAt: a.submittedAt,
    channel: a.channel,
    channelName: CHANNEL_NAMES[a.channel],
    intakeDepartmentName: a.intakeDepartment ? departmentName(a.intakeDepartment) : null,
    creditCode: a.creditCode,
    enterpriseName: a.enterpriseName,
    policyId: a.policyId,
    policyTitle: a.policyTitle,
    policyVersion: a.policyVersion,
    received,
    deadline,
    deadlineWorkdays: FORMAL_CHECK_WORKDAYS,
    text,
  };
}
