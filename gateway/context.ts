import type { Identity } from '../platform/identity';

export interface GatewayContext {
  identity: Identity;
  requestId: string;
  /** `x-qinqing-purpose`, checked (≤ 200 characters, no control characters), forwarded to every subgraph. */
  purpose?: string;
  /** The identity signed for one subgraph (`aud` = its name), reused per (caller, subgraph) for most of its 60 s. */
  internalIdentity: (subgraph: string) => Promise<string>;
}
