import { forbidden } from './errors';
import { regionCovers, regionPrefix, requireAuthenticated, type Identity } from './identity';

/** A filter on records owned by an enterprise: they carry `creditCode` and `regionCode`. */
export type EnterpriseOwnedFilter = { creditCode: string } | { regionCode: { $like: string } };

/**
 * The rows of enterprise-owned data a caller may list, as ORM conditions to AND together: an
 * enterprise its own rows, an official their region (a city covers its counties), the auditor all.
 * An explicit `regionCode` narrows further and must lie inside the caller's region.
 */
export function enterpriseScope(identity: Identity, requestedRegion?: string | null): EnterpriseOwnedFilter[] {
  requireAuthenticated(identity);
  const conditions: EnterpriseOwnedFilter[] = [];
  if (identity.role === 'ENTERPRISE') conditions.push({ creditCode: identity.creditCode! });
  else if (identity.role !== 'AUDITOR') conditions.push({ regionCode: { $like: `${regionPrefix(identity.region!)}%` } });
  if (requestedRegion) {
    if (identity.role !== 'AUDITOR' && identity.role !== 'ENTERPRISE' && !regionCovers(identity.region!, requestedRegion)) {
      throw forbidden(`无权查看地区 ${requestedRegion} 的数据：您所属地区为 ${identity.region}`);
    }
    conditions.push({ regionCode: { $like: `${regionPrefix(requestedRegion)}%` } });
  }
  return conditions;
}
