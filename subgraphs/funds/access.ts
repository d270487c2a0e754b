import { regionCovers, type Identity } from '../../platform/identity';
import { requireRole, requireWriter } from '../kit/scope';

/**
 * Who may do what with budgets and payment orders (docs/funds.md):
 * - FINANCE of the region sets, adjusts and moves budgets (归集);
 * - APPROVAL_BUREAU of the region (the one payer) sends and retries payment orders;
 * - both reconcile; AUDITOR reads everything and writes nothing;
 * - the policy's department reads its own budgets and orders; an enterprise reads its own orders.
 */
export const BUDGET_READERS = ['FINANCE', 'APPROVAL_BUREAU', 'AUDITOR', 'DEPARTMENT_REVIEWER', 'DEPARTMENT_SYSTEM'] as const;
export const ORDER_READERS = ['FINANCE', 'APPROVAL_BUREAU', 'AUDITOR', 'DEPARTMENT_REVIEWER', 'DEPARTMENT_SYSTEM', 'ENTERPRISE'] as const;

export const requireBudgetWriter = (identity: Identity) => requireWriter(identity, 'FINANCE');
export const requirePayer = (identity: Identity) => requireWriter(identity, 'APPROVAL_BUREAU');
export const requireReconciler = (identity: Identity) => requireWriter(identity, 'APPROVAL_BUREAU', 'FINANCE');
export const requireBudgetReader = (identity: Identity) => requireRole(identity, ...BUDGET_READERS);
export const requireOrderReader = (identity: Identity) => requireRole(identity, ...ORDER_READERS);

const inRegion = (identity: Identity, regionCode: string) => !!identity.region && regionCovers(identity.region, regionCode);
const isDepartment = (identity: Identity) => identity.role === 'DEPARTMENT_REVIEWER' || identity.role === 'DEPARTMENT_SYSTEM';

/** After loading: may this reader see this budget (otherwise: as if absent). */
export function canSeeBudget(identity: Identity, budget: { regionCode: string; department: string | null }): boolean {
  if (identity.role === 'AUDITOR') return true;
  if (identity.role === 'FINANCE' || identity.role === 'APPROVAL_BUREAU') return inRegion(identity, budget.regionCode);
  if (isDepartment(identity)) return !!budget.department && identity.department === budget.department;
  return false;
}

/** After loading: may this reader see this order (otherwise: as if absent). */
export function canSeeOrder(identity: Identity, order: { regionCode: string; department: string | null; creditCode: string }): boolean {
  if (identity.role === 'ENTERPRISE') return identity.creditCode === order.creditCode;
  return canSeeBudget(identity, order);
}

/** Whether the reader may see the payee's account in full (the payer and finance of the region); others see it masked. */
export const seesFullAccount = (identity: Identity, order: { regionCode: string }) =>
  (identity.role === 'APPROVAL_BUREAU' || identity.role === 'FINANCE') && inRegion(identity, order.regionCode);
