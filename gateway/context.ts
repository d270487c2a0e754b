import type { Identity } from '../platform/identity';

export interface GatewayContext {
  identity: Identity;
  requestId: string;
  /** The identity signed for one subgraph (`aud` = its name), minted at most once per request and subgraph. */
  internalIdentity: (subgraph: string) => Promise<string>;
}
