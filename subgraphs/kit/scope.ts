import { forbidden } from './errors';
import { regionCovers, regionPrefix, requireAuthenticated, type Identity } from './identity';

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
