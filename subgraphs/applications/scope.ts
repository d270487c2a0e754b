import type { FilterQuery } from '@mikro-orm/core';
import { forbidden } from '../../platform/errors';
import { regionCovers, type Identity } from '../../platform/identity';
import { regionCondition, requireAuthenticated } from '../kit/scope';
import type { Application } from './application.entity';

/** The roles that read applications at all; FINANCE (funds, issue 10) reads through events, not here. */
export const APPLICATION_READERS = ['ENTERPRISE', 'WINDOW_CLERK', 'DEPARTMENT_REVIEWER', 'DEPARTMENT_SYSTEM', 'APPROVAL_BUREAU', 'ADMIN', 'AUDITOR'] as const;

/** Online cases a window sees before any window has taken them: the formal-check phase. */
const FORMAL_CHECK: Application['status'][] = ['SUBMITTED', 'RETURNED'];

export function requireApplicationReader(identity: Identity): void {
  requireAuthenticated(identity);
  if (!(APPLICATION_READERS as readonly string[]).includes(identity.role!)) throw forbidden('无权查看办件：需要企业、窗口、主管部门、行政审批局、管理员或审计角色');
}

/**
 * Who sees a case (the contract's scoping): the enterprise its own; a window the cases it took
 * plus online ones of its region in the formal check; a department its own; the Approval Bureau
 * and ADMIN their region; the auditor all.
 */
export function canReadApplication(identity: Identity, a: Application): boolean {
  switch (identity.role) {
    case 'ENTERPRISE':
      return identity.creditCode === a.creditCode;
    case 'WINDOW_CLERK':
      if (!identity.department) return false;
      if (a.intakeDepartment) return a.intakeDepartment === identity.department;
      return !!identity.region && regionCovers(identity.region, a.regionCode) && FORMAL_CHECK.includes(a.status);
    case 'DEPARTMENT_REVIEWER':
    case 'DEPARTMENT_SYSTEM':
      return !!identity.department && identity.department === a.department;
    case 'APPROVAL_BUREAU':
    case 'ADMIN':
      return !!identity.region && regionCovers(identity.region, a.regionCode);
    case 'AUDITOR':
      return true;
    default:
      return false;
  }
}

/** The same rule as ORM conditions, for lists (AND them with the filter). */
export function applicationScope(identity: Identity): FilterQuery<Application> {
  requireApplicationReader(identity);
  switch (identity.role) {
    case 'ENTERPRISE':
      return { creditCode: identity.creditCode! };
    case 'WINDOW_CLERK':
      if (!identity.department) return { id: { $in: [] } };
      return {
        $or: [{ intakeDepartment: identity.department }, { $and: [{ intakeDepartment: null }, regionCondition(identity.region!) as FilterQuery<Application>, { status: { $in: FORMAL_CHECK } }] }],
      };
    case 'DEPARTMENT_REVIEWER':
    case 'DEPARTMENT_SYSTEM':
      return { department: identity.department! };
    case 'AUDITOR':
      return {};
    default:
      return regionCondition(identity.region!) as FilterQuery<Application>;
  }
}
