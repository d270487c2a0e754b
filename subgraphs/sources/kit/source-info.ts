import type { Role } from '../../../platform/identity';

/** Who a source is: named once in its folder, read by the kit's scope, access log and findings. */
export interface SourceInfo {
  /** Subgraph name, e.g. `public-security` (PostgreSQL schema `public_security`). */
  name: string;
  /** `Enterprise.<fieldPrefix>Findings` and the field group `Enterprise.<fieldPrefix>`, e.g. `publicSecurity`. */
  fieldPrefix: string;
  /** Department abbreviation of platform/directory.ts, e.g. `POLICE`: its own staff read without an access event. */
  department: string;
  /** The department's name, e.g. 县公安局. */
  owner: string;
  /** Roles that read this source; default SOURCE_READERS. */
  readers?: ReadonlySet<Role>;
}

export function sourceInfo(info: SourceInfo): SourceInfo {
  return info;
}
