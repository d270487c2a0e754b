import type { Identity } from '../platform/identity';

export interface GatewayContext {
  identity: Identity;
  requestId: string;
  /** The identity signed for the subgraphs, minted at most once per request. */
  internalIdentity: () => Promise<string>;
}
