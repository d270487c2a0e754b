import { forbidden } from '../../../platform/errors';
import type { Identity, Role } from '../../../platform/identity';
import { assertCanReadEnterpriseKey, requireAuthenticated } from '../../kit/scope';
import type { SourceInfo } from './source-info';

/**
 * Who reads a source's records (and its findings): the roles that read tax data, each within its
 * region, the auditor everywhere, an enterprise itself. The window clerk does not: it needs no
 * department's case files to take an application. A source may narrow this (`readers`).
 */
export const SOURCE_READERS: ReadonlySet<Role> = new Set<Role>(['ENTERPRISE', 'APPROVAL_BUREAU', 'FINANCE', 'DEPARTMENT_REVIEWER', 'DEPARTMENT_SYSTEM', 'ADMIN', 'AUDITOR']);

/** Whether this role may read this source at all (before any key or row). */
export function assertSourceReader(identity: Identity, source: SourceInfo): void {
  requireAuthenticated(identity);
  if (!(source.readers ?? SOURCE_READERS).has(identity.role)) throw forbidden(`无权查看${source.owner}的数据`);
}

/**
 * Decided from the key (the region is in the credit code) before anything is loaded, so the
 * refusal is the same whether or not the source holds records on the enterprise.
 */
export function assertCanReadSource(identity: Identity, source: SourceInfo, creditCode: string): void {
  assertSourceReader(identity, source);
  assertCanReadEnterpriseKey(identity, creditCode);
}
