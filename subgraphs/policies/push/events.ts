import type { PolicyMode } from '../policy.entity';

/** The policies subgraph's event family (one stream: docs/events.md). */
export const POLICIES_FAMILY = 'policies';
/** A version of a policy was published (first publication or a new version); emitted in publishPolicy's flush. */
export const POLICY_PUBLISHED = 'policy.published';

export interface PolicyPublishedPayload {
  policyId: string;
  /** The version now served. */
  version: number;
  /** The policy's region: whose enterprises are screened. */
  region: string;
  mode: PolicyMode;
}
