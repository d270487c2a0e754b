import type { Role } from '../../../platform/identity';

/**
 * The workflow of an application (办件流程), declared once for the three modes: every state, every
 * transition, who may fire it, what it requires and which deadline it starts. `fire` (fire.ts) is
 * the only code that changes an application's status, and it reads nothing but this table; the
 * diagrams in docs/workflows.md are generated from it (`npm run workflows`).
 */

export const Mode = { INSTANT: 'INSTANT', COMMITMENT: 'COMMITMENT', NO_APPLICATION: 'NO_APPLICATION' } as const;
export type Mode = (typeof Mode)[keyof typeof Mode];
export const MODES = Object.values(Mode);
export const MODE_NAMES: Record<Mode, string> = { INSTANT: '即申即享', COMMITMENT: '承诺兑现', NO_APPLICATION: '免申即享' };

export const ApplicationStatus = {
  SUBMITTED: 'SUBMITTED',
  RETURNED: 'RETURNED',
  IN_REVIEW: 'IN_REVIEW',
  EVALUATION: 'EVALUATION',
  APPROVED: 'APPROVED',
  REJECTED: 'REJECTED',
  JOINT_AUDIT: 'JOINT_AUDIT',
  HELD: 'HELD',
  AWAITING_PAYMENT: 'AWAITING_PAYMENT',
  PAID: 'PAID',
  ARCHIVED: 'ARCHIVED',
} as const;
export type ApplicationStatus = (typeof ApplicationStatus)[keyof typeof ApplicationStatus];
export const STATUS_NAMES: Record<ApplicationStatus, string> = {
  SUBMITTED: '已提交待受理',
  RETURNED: '已退回补正',
  IN_REVIEW: '部门审核中',
  EVALUATION: '评审核查中',
  APPROVED: '审核通过',
  REJECTED: '不予兑现',
  JOINT_AUDIT: '联合审核中',
  HELD: '联合审核暂缓',
  AWAITING_PAYMENT: '待拨付',
  PAID: '已拨付',
  ARCHIVED: '已归档',
};

/** WHITE_LIST: a 免申即享 case, made by the department's confirmation of a screened white list — nobody applied. */
export const Channel = { ONLINE: 'ONLINE', HALL_WINDOW: 'HALL_WINDOW', EDZ_WINDOW: 'EDZ_WINDOW', WHITE_LIST: 'WHITE_LIST' } as const;
export type Channel = (typeof Channel)[keyof typeof Channel];
export const CHANNEL_NAMES: Record<Channel, string> = { ONLINE: '网上申报', HALL_WINDOW: '政务大厅惠企政策兑现专窗', EDZ_WINDOW: '经开区服务窗口', WHITE_LIST: '免申即享：主管部门确认白名单（无需申请）' };

export const WorkflowAction = {
  submit: 'submit',
  return: 'return',
  resubmit: 'resubmit',
  accept: 'accept',
  evaluate: 'evaluate',
  approve: 'approve',
  reject: 'reject',
  confirm: 'confirm',
  audit: 'audit',
  clear: 'clear',
  hold: 'hold',
  release: 'release',
  refuse: 'refuse',
  pay: 'pay',
  archive: 'archive',
} as const;
export type WorkflowAction = (typeof WorkflowAction)[keyof typeof WorkflowAction];

/**
 * Timeline entries that change no state and so are no transition (never fired, not in the
 * diagrams): shown in the timeline under this name.
 */
export const TimelineNote = { correctPayee: '企业更正收款账户' } as const;
export type TimelineNoteAction = keyof typeof TimelineNote;

/** Who fires a transition: a role (with the one relation to the case that role needs, see PARTIES) or the platform itself. */
export type Party = Role | 'SYSTEM';

/**
 * The relation each party must have to the case, one rule per party (checked in fire.ts):
 * there is no transition where a role acts under another relation.
 */
export const PARTIES: Partial<Record<Party, string>> = {
  ENTERPRISE: '本企业的案件（令牌的统一社会信用代码即案件企业）',
  WINDOW_CLERK: '受理部门（县行政审批局、经开区管委会）的窗口人员，案件在其地区且由本窗口受理或为网上申报',
  APPROVAL_BUREAU: '所属地区覆盖案件地区',
  DEPARTMENT_REVIEWER: '案件的主管部门（令牌 department 即案件 department）',
  DEPARTMENT_SYSTEM: '案件的主管部门（令牌 department 即案件 department）',
  SYSTEM: '平台自身（联合审核、拨付、归档等自动步骤）',
};

/** What a transition requires, each checked by fire.ts from what the caller gives (requirements.ts). */
export type Requirement =
  | 'commitment'
  | 'missingList'
  | 'materialsComplete'
  | 'tolerance'
  | 'amount'
  | 'payeeAccount'
  | 'reason'
  | 'policyExplanation'
  | 'progressKind'
  | 'screening'
  | 'verdictClear'
  | 'verdictHold';

/** Every requirement of a transition for a case of this mode. */
export const requirementsOf = (transition: Transition, mode: Mode): Requirement[] => [...transition.requires, ...(transition.modeRequires?.[mode] ?? [])];

/** Which deadline the state entered has. */
export type DeadlineRule =
  /** no time limit in this state (the enterprise's or nobody's turn) */
  | { kind: 'NONE' }
  /** the current deadline runs on (e.g. evaluation inside the review period) */
  | { kind: 'KEEP' }
  /** a fixed number of working days */
  | { kind: 'WORKDAYS'; workdays: number }
  /** the pinned policy version's `reviewDays`; INSTANT capped at `instantMax` (即申即享: ≤ 5 working days) */
  | { kind: 'REVIEW'; instantMax: number };

/** 形式审查: the window checks a submission within this many working days (our rule; the contract is silent). */
export const FORMAL_CHECK_WORKDAYS = 2;
/** 即申即享: the department decides within 5 working days whatever the guide says. */
export const INSTANT_REVIEW_MAX_WORKDAYS = 5;
/** After the joint audit clears (or a hold is released) the payment is due within 1 working day. */
export const PAYMENT_WORKDAYS = 1;

export const APPLICATIONS_FAMILY = 'applications';
export const ApplicationEvent = {
  accepted: 'application.accepted',
  approved: 'application.approved',
  rejected: 'application.rejected',
  held: 'application.held',
  awaitingPayment: 'application.awaiting_payment',
  /** The enterprise corrected the payee account of a case not yet paid (whoever pays reads the new one). */
  payeeCorrected: 'application.payee_corrected',
  /** The award reached the enterprise's account (payment.settled from funds): the payment proof; the enterprise is told. */
  paid: 'application.paid',
} as const;
export type ApplicationEventType = (typeof ApplicationEvent)[keyof typeof ApplicationEvent];

export interface Transition {
  action: WorkflowAction;
  /** Chinese name of the step (timeline, errors, diagrams). */
  name: string;
  /** States it may be fired from; `null`: it creates the application. */
  from: ApplicationStatus[] | null;
  to: ApplicationStatus;
  modes: Mode[];
  by: Party[];
  requires: Requirement[];
  /** Further requirements for one mode only (承诺兑现: the credit commitment at submission). */
  modeRequires?: Partial<Record<Mode, Requirement[]>>;
  deadline: DeadlineRule;
  /** The event written to the outbox in the transaction of the change. */
  emits?: ApplicationEventType;
}

const S = ApplicationStatus;
const APPLIED: Mode[] = [Mode.INSTANT, Mode.COMMITMENT];
const ALL: Mode[] = [...MODES];
const DEPARTMENT: Party[] = ['DEPARTMENT_REVIEWER', 'DEPARTMENT_SYSTEM'];

/** THE workflow. Order is the order of the diagrams and docs. */
export const TRANSITIONS: readonly Transition[] = [
  { action: 'submit', name: '提交申请', from: null, to: S.SUBMITTED, modes: APPLIED, by: ['ENTERPRISE', 'WINDOW_CLERK'], requires: [], modeRequires: { COMMITMENT: ['commitment'] }, deadline: { kind: 'WORKDAYS', workdays: FORMAL_CHECK_WORKDAYS } },
  { action: 'return', name: '退回补正（一次性告知）', from: [S.SUBMITTED], to: S.RETURNED, modes: APPLIED, by: ['WINDOW_CLERK', 'APPROVAL_BUREAU'], requires: ['missingList'], deadline: { kind: 'NONE' } },
  { action: 'resubmit', name: '补正后重新提交', from: [S.RETURNED], to: S.SUBMITTED, modes: APPLIED, by: ['ENTERPRISE', 'WINDOW_CLERK'], requires: [], deadline: { kind: 'WORKDAYS', workdays: FORMAL_CHECK_WORKDAYS } },
  {
    action: 'accept', name: '受理并分送主管部门', from: [S.SUBMITTED], to: S.IN_REVIEW, modes: APPLIED, by: ['WINDOW_CLERK', 'APPROVAL_BUREAU'], requires: ['materialsComplete', 'tolerance'],
    deadline: { kind: 'REVIEW', instantMax: INSTANT_REVIEW_MAX_WORKDAYS }, emits: ApplicationEvent.accepted,
  },
  { action: 'evaluate', name: '评审 / 专家评审 / 现场核查', from: [S.IN_REVIEW, S.EVALUATION], to: S.EVALUATION, modes: [Mode.COMMITMENT], by: DEPARTMENT, requires: ['progressKind'], deadline: { kind: 'KEEP' } },
  { action: 'approve', name: '审核通过', from: [S.IN_REVIEW, S.EVALUATION], to: S.APPROVED, modes: APPLIED, by: DEPARTMENT, requires: ['amount', 'payeeAccount'], deadline: { kind: 'NONE' }, emits: ApplicationEvent.approved },
  { action: 'reject', name: '不予兑现', from: [S.IN_REVIEW, S.EVALUATION], to: S.REJECTED, modes: APPLIED, by: DEPARTMENT, requires: ['reason', 'policyExplanation'], deadline: { kind: 'NONE' }, emits: ApplicationEvent.rejected },
  { action: 'confirm', name: '确认白名单（免申即享）', from: null, to: S.APPROVED, modes: [Mode.NO_APPLICATION], by: DEPARTMENT, requires: ['screening', 'amount', 'payeeAccount'], deadline: { kind: 'NONE' }, emits: ApplicationEvent.approved },
  { action: 'audit', name: '联合审核', from: [S.APPROVED], to: S.JOINT_AUDIT, modes: ALL, by: ['SYSTEM'], requires: [], deadline: { kind: 'NONE' } },
  { action: 'clear', name: '联合审核通过', from: [S.JOINT_AUDIT], to: S.AWAITING_PAYMENT, modes: ALL, by: ['SYSTEM'], requires: ['verdictClear'], deadline: { kind: 'WORKDAYS', workdays: PAYMENT_WORKDAYS }, emits: ApplicationEvent.awaitingPayment },
  { action: 'hold', name: '联合审核暂缓', from: [S.JOINT_AUDIT], to: S.HELD, modes: ALL, by: ['SYSTEM'], requires: ['verdictHold'], deadline: { kind: 'NONE' }, emits: ApplicationEvent.held },
  { action: 'release', name: '解除暂缓', from: [S.HELD], to: S.AWAITING_PAYMENT, modes: ALL, by: ['APPROVAL_BUREAU'], requires: ['reason'], deadline: { kind: 'WORKDAYS', workdays: PAYMENT_WORKDAYS }, emits: ApplicationEvent.awaitingPayment },
  { action: 'refuse', name: '暂缓后不予兑现', from: [S.HELD], to: S.REJECTED, modes: ALL, by: ['APPROVAL_BUREAU'], requires: ['reason', 'policyExplanation'], deadline: { kind: 'NONE' }, emits: ApplicationEvent.rejected },
  { action: 'pay', name: '拨付', from: [S.AWAITING_PAYMENT], to: S.PAID, modes: ALL, by: ['SYSTEM'], requires: [], deadline: { kind: 'NONE' }, emits: ApplicationEvent.paid },
  { action: 'archive', name: '归档', from: [S.PAID, S.REJECTED], to: S.ARCHIVED, modes: ALL, by: ['SYSTEM', 'APPROVAL_BUREAU'], requires: [], deadline: { kind: 'NONE' } },
];

const BY_ACTION = new Map(TRANSITIONS.map((t) => [t.action, t]));

export function transitionOf(action: WorkflowAction): Transition {
  const transition = BY_ACTION.get(action);
  if (!transition) throw new Error(`workflow: no transition "${action}"`);
  return transition;
}

/** The transitions of one mode, in table order (a mode's diagram). */
export const transitionsOf = (mode: Mode): Transition[] => TRANSITIONS.filter((t) => t.modes.includes(mode));
