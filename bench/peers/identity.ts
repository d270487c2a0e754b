import { createIdentitySigner, type Identity } from '../../platform/identity';

/**
 * What every peer gateway of the bench needs to be let in by our subgraphs: an `x-qinqing-identity`
 * header signed with the gateway's Ed25519 key for the one subgraph called (aud = its name). The
 * peers do not authenticate callers: they vouch for the one bench caller given in BENCH_IDENTITY,
 * signing afresh for every subgraph call, as a bare gateway with one header hook would.
 */
export async function peerIdentity(env: NodeJS.ProcessEnv = process.env): Promise<(subgraph: string) => Promise<string>> {
  const pem = env.GATEWAY_PRIVATE_KEY;
  if (!pem) throw new Error('GATEWAY_PRIVATE_KEY is required');
  const identity = JSON.parse(env.BENCH_IDENTITY ?? 'null') as Identity | null;
  if (!identity) throw new Error('BENCH_IDENTITY (JSON) is required');
  const signer = await createIdentitySigner(pem);
  return (subgraph) => signer.sign(identity, subgraph);
}

export function peerPort(env: NodeJS.ProcessEnv = process.env): number {
  const port = Number(env.PORT);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  return port;
}
