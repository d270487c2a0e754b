import { recordAccess } from '../../kit/access';
import type { Context } from '../../kit/subgraph';
import type { SourceInfo } from './source-info';

/**
 * A read of a source's records by anyone but the source's own department or the enterprise itself
 * is an access event (who, purpose, what, which enterprises); a field served unmasked always is.
 * The kit buffers them per request and writes one event per (what, purpose), enterprises batched.
 */
export function logSourceRead(ctx: Context<any>, source: SourceInfo, what: string, enterprises: string[], unmasked: string[] = []): void {
  if (!enterprises.length) return;
  const { identity } = ctx;
  const ownDepartment = !!identity.department && identity.department.endsWith(`-${source.department}`);
  const itself = identity.role === 'ENTERPRISE' && enterprises.every((code) => code === identity.creditCode);
  if ((ownDepartment || itself) && unmasked.length === 0) return;
  recordAccess(ctx, { what, enterprises, ...(unmasked.length ? { unmasked } : {}) });
}
