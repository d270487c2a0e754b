import { UseMiddleware } from 'type-graphql';
import { forbidden, unauthenticated } from '../../platform/errors';
import type { Context } from './subgraph';
import { regionCovers, regionPrefix, type Identity, type Role } from '../../platform/identity';

/** A filter on records owned by an enterprise: they carry `creditCode` and `regionCode`. */
export type EnterpriseOwnedFilter = { creditCode: string } | { regionCode: string | { $gte: string; $lt: string } };

/**
 * The region codes a scope covers, as an index-friendly condition: equality for a county, a
 * range for a city or province (`LIKE '3607%'` would scan on SQLite).
 */
export function regionCondition(scope: string): EnterpriseOwnedFilter {
  const prefix = regionPrefix(scope);
  if (prefix.length === scope.length) return { regionCode: scope };
  const next = String(Number(prefix) + 1).padStart(prefix.length, '0');
  return { regionCode: { $gte: prefix, $lt: next } };
}

/**
 * The rows of enterprise-owned data a caller may list, as ORM conditions to AND together: an
 * enterprise its own rows, an official their region (a city covers its counties), the auditor all.
 * An explicit `regionCode` narrows further and must lie inside the caller's region.
 */
export function enterpriseScope(identity: Identity, requestedRegion?: string | null): EnterpriseOwnedFilter[] {
  requireAuthenticated(identity);
  const conditions: EnterpriseOwnedFilter[] = [];
  if (identity.role === 'ENTERPRISE') conditions.push({ creditCode: identity.creditCode! });
  else if (identity.role !== 'AUDITOR') conditions.push(regionCondition(identity.region!));
  if (requestedRegion) {
    if (identity.role !== 'AUDITOR' && identity.role !== 'ENTERPRISE' && !regionCovers(identity.region!, requestedRegion)) {
      throw forbidden(`无权查看地区 ${requestedRegion} 的数据：您所属地区为 ${identity.region}`);
    }
    conditions.push(regionCondition(requestedRegion));
  }
  return conditions;
}

// Who may do what, decided in each subgraph from the identity the gateway signed.

export function requireAuthenticated(identity: Identity): asserts identity is Identity & { role: Role } {
  if (!identity.role) throw unauthenticated();
}

export function requireRole(identity: Identity, ...roles: Role[]): void {
  requireAuthenticated(identity);
  if (!roles.includes(identity.role!)) {
    throw forbidden(`无权操作：需要以下角色之一：${roles.join('、')}`);
  }
}

/** AUDITOR reads everything and writes nothing: every mutation resolver calls this first. */
export function requireWriter(identity: Identity, ...roles: Role[]): void {
  requireAuthenticated(identity);
  if (identity.role === 'AUDITOR') throw forbidden('审计角色只读，不能修改数据');
  if (roles.length) requireRole(identity, ...roles);
}

/**
 * Can this caller read a record that belongs to `owner` (an enterprise in a region)?
 * The one rule every subgraph applies to enterprise-owned data.
 */
export function canReadEnterpriseRecord(identity: Identity, owner: { creditCode: string; regionCode: string }): boolean {
  switch (identity.role) {
    case null:
      return false;
    case 'ENTERPRISE':
      return identity.creditCode === owner.creditCode;
    case 'AUDITOR':
      return true;
    default:
      return !!identity.region && regionCovers(identity.region, owner.regionCode);
  }
}

export function assertCanReadEnterpriseRecord(identity: Identity, owner: { creditCode: string; regionCode: string }): void {
  requireAuthenticated(identity);
  if (!canReadEnterpriseRecord(identity, owner)) {
    throw forbidden(
      identity.role === 'ENTERPRISE'
        ? '企业用户只能查看本企业的数据'
        : `无权查看该企业数据：它不在您所属地区（${identity.region}）范围内`,
    );
  }
}

/** GB 32100 positions 3–8: the region of the authority that registered the code. */
export const regionOfCreditCode = (creditCode: string) => creditCode.slice(2, 8);

/**
 * Authorization before data: whether this caller may read the enterprise with this key, decided
 * from the key alone (the region is in the credit code), so the answer is the same whether or not
 * a record exists — no existence oracle. Check the loaded record again with
 * `assertCanReadEnterpriseRecord`.
 */
export function assertCanReadEnterpriseKey(identity: Identity, creditCode: string): void {
  assertCanReadEnterpriseRecord(identity, { creditCode, regionCode: regionOfCreditCode(creditCode) });
}

/**
 * Decorator for a resolver: `check` runs on the caller's identity before the arguments are
 * converted and validated (type-graphql runs middlewares first), so a caller who may not use an
 * operation at all is told FORBIDDEN, not what is wrong with their input.
 */
export function Guard(check: (identity: Identity) => void) {
  return UseMiddleware(({ context }, next) => {
    check((context as Context).identity);
    return next();
  });
}
