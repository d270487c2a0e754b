import type { Identity } from '../platform/identity';

export interface GatewayContext {
  identity: Identity;
  requestId: string;
  /** The identity signed for one subgraph (`aud` = its name), reused per (caller, subgraph) for most of its 60 s. */
  internalIdentity: (subgraph: string) => Promise<string>;
}
