import { forbidden } from '../../platform/errors';
import { regionCovers, type Identity } from '../../platform/identity';
import { requireRole, requireWriter } from '../kit/scope';
import type { DepartmentCase } from './department-case.entity';

/**
 * Who may do what with a department's cases (docs/departments.md), decided from the identity the
 * gateway signed:
 * - the department's own staff (DEPARTMENT_REVIEWER, DEPARTMENT_SYSTEM of `case.department`) work
 *   its cases and read them; staff of another department see nothing (their inbox refuses,
 *   a case named by id is as absent as a missing one);
 * - the Approval Bureau (who took the application) reads the cases of its region, the auditor all;
 *   neither works them.
 */
export const STAFF_ROLES = ['DEPARTMENT_REVIEWER', 'DEPARTMENT_SYSTEM'] as const;
export const READER_ROLES = [...STAFF_ROLES, 'APPROVAL_BUREAU', 'AUDITOR'] as const;

export const isStaff = (identity: Identity): boolean => identity.role === 'DEPARTMENT_REVIEWER' || identity.role === 'DEPARTMENT_SYSTEM';

/** Before any argument is looked at: only the departments' staff work cases (the auditor never writes). */
export function requireStaffWriter(identity: Identity): void {
  requireWriter(identity, ...STAFF_ROLES);
}

/** Before loading: the roles that may read a case at all. */
export function requireCaseReader(identity: Identity): void {
  requireRole(identity, ...READER_ROLES);
}

/** After loading: whether this reader may see this case (the answer for a case they may not see is "absent"). */
export function canSeeCase(identity: Identity, kase: Pick<DepartmentCase, 'department' | 'regionCode'>): boolean {
  if (isStaff(identity)) return identity.department === kase.department;
  if (identity.role === 'APPROVAL_BUREAU') return !!identity.region && regionCovers(identity.region, kase.regionCode);
  return identity.role === 'AUDITOR';
}

/**
 * A reviewer acts on cases assigned to them or not yet assigned (and takes those); the
 * department's system acts on any of its department's cases.
 */
export function assertMayWork(identity: Identity, kase: Pick<DepartmentCase, 'assignee' | 'receiptNumber'>): void {
  if (identity.role === 'DEPARTMENT_REVIEWER' && kase.assignee && kase.assignee !== identity.subject) {
    throw forbidden(`案件 ${kase.receiptNumber} 已分派给 ${kase.assignee}，只有承办人或部门系统可以办理；如需改派，请先重新分派`);
  }
}
