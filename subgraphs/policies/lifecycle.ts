import { departmentRegion, departmentAbbr, DEPARTMENTS } from '../../platform/directory';
import { regionCovers, type Identity } from '../../platform/identity';
import type { PolicyStatus, VersionState } from './policy.entity';

/** The three departments of the policy's county that sign off a draft (归口管理). */
export const SIGN_OFF_DEPARTMENTS = ['NDRC', 'FINANCE', 'APPROVAL'] as const;
export type SignOffDepartment = (typeof SIGN_OFF_DEPARTMENTS)[number];
export const SIGN_OFF_NAMES: Record<SignOffDepartment, string> = { NDRC: '县发改委', FINANCE: '县财政局', APPROVAL: '县行政审批局' };

/** Who may fire a transition: the owning department (and ADMIN of the region), or a sign-off department. */
export type Actor = 'owner' | 'signer';

export interface Transition {
  action: string;
  /** What it applies to: the working version's state, or the policy's status. */
  on: 'version' | 'policy';
  from: readonly (VersionState | PolicyStatus)[];
  to: VersionState | PolicyStatus;
  by: Actor;
  label: string;
}

/**
 * The lifecycle, as data: docs/policies.md prints it, the resolver checks every step against it.
 * Version transitions act on the working version (a first draft, or the revision of a published
 * policy); policy transitions on the served policy.
 */
export const TRANSITIONS: readonly Transition[] = [
  { action: 'updatePolicyDraft', on: 'version', from: ['DRAFT'], to: 'DRAFT', by: 'owner', label: '修改草稿（已发布的政策修改时新建版本）' },
  { action: 'submitPolicyForConsultation', on: 'version', from: ['DRAFT'], to: 'CONSULTATION', by: 'owner', label: '提交会签' },
  { action: 'signOffPolicy:APPROVED', on: 'version', from: ['CONSULTATION'], to: 'CONSULTATION', by: 'signer', label: '会签同意' },
  { action: 'signOffPolicy:RETURNED', on: 'version', from: ['CONSULTATION'], to: 'DRAFT', by: 'signer', label: '会签退回（附意见）' },
  { action: 'publishPolicy', on: 'version', from: ['CONSULTATION'], to: 'PUBLISHED', by: 'owner', label: '发布（三方均已同意）' },
  { action: 'suspendPolicy', on: 'policy', from: ['PUBLISHED'], to: 'SUSPENDED', by: 'owner', label: '暂停' },
  { action: 'resumePolicy', on: 'policy', from: ['SUSPENDED'], to: 'PUBLISHED', by: 'owner', label: '恢复' },
  { action: 'expirePolicy', on: 'policy', from: ['PUBLISHED', 'SUSPENDED'], to: 'EXPIRED', by: 'owner', label: '到期失效' },
  { action: 'repealPolicy', on: 'policy', from: ['PUBLISHED', 'SUSPENDED', 'EXPIRED'], to: 'REPEALED', by: 'owner', label: '废止' },
];

export function transition(action: string): Transition {
  const t = TRANSITIONS.find((x) => x.action === action);
  if (!t) throw new Error(`no transition ${action}`);
  return t;
}

/**
 * Whether an application window ending on `windowEnd` had ended before `day` (YYYY-MM-DD, China
 * dates; the last day itself is open). No end: never. The expiry job and the calculator both ask.
 */
export const windowEndedBefore = (windowEnd: string | null | undefined, day: string): boolean => !!windowEnd && windowEnd < day;

export const POLICY_OWNER_DEPARTMENTS = DEPARTMENTS.filter((d) => d.functions.includes('POLICY_OWNER'));
export const isPolicyOwnerDepartment = (code: string) => POLICY_OWNER_DEPARTMENTS.some((d) => d.code === code);

/** The owning department's staff, or an ADMIN covering the region. */
export function isOwner(identity: Identity, policy: { departmentCode: string; regionCode: string }): boolean {
  if (identity.role === 'ADMIN') return !!identity.region && regionCovers(identity.region, policy.regionCode);
  if (identity.role === 'DEPARTMENT_REVIEWER' || identity.role === 'DEPARTMENT_SYSTEM') return identity.department === policy.departmentCode;
  return false;
}

/**
 * Which of the three sign-off departments of `regionCode` this caller speaks for: its staff by
 * department code, or the FINANCE / APPROVAL_BUREAU roles of that county.
 */
export function signerDepartment(identity: Identity, regionCode: string): SignOffDepartment | undefined {
  if ((identity.role === 'DEPARTMENT_REVIEWER' || identity.role === 'DEPARTMENT_SYSTEM') && identity.department) {
    const abbr = departmentAbbr(identity.department);
    if (departmentRegion(identity.department) === regionCode && (SIGN_OFF_DEPARTMENTS as readonly string[]).includes(abbr)) return abbr as SignOffDepartment;
    return undefined;
  }
  if (identity.region !== regionCode) return undefined;
  if (identity.role === 'FINANCE') return 'FINANCE';
  if (identity.role === 'APPROVAL_BUREAU') return 'APPROVAL';
  return undefined;
}

/** Drafts and consultations are seen by whoever may act on them, and the auditor. */
export function mayActOn(identity: Identity, policy: { departmentCode: string; regionCode: string }): boolean {
  return identity.role === 'AUDITOR' || isOwner(identity, policy) || !!signerDepartment(identity, policy.regionCode);
}
