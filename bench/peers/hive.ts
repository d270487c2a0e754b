import { createServer, type RequestListener } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { IDENTITY_HEADER } from '../../platform/identity';
import { peerIdentity, peerPort } from './identity';

/**
 * The Hive Gateway peer of `npm run bench -- --peers`: `createGatewayRuntime` of
 * @graphql-hive/gateway with its default settings, served by node:http as its docs show, plus the
 * one thing our subgraphs require, `propagateHeaders` adding the signed identity per subgraph.
 * It runs in one process like ours (the `hive-gateway` CLI may fork workers). Env: PORT,
 * SUPERGRAPH_PATH, GATEWAY_PRIVATE_KEY, BENCH_IDENTITY, PEERS_DIR (bench/peers, where it is installed).
 */

/** The little of the runtime used here: typed by hand, so the project type-checks without bench/peers installed. */
interface HiveGatewayModule {
  createGatewayRuntime(config: {
    supergraph: string;
    propagateHeaders: { fromClientToSubgraphs(payload: { subgraphName: string }): Promise<Record<string, string>> };
  }): RequestListener & { dispose(): Promise<void> | void };
}

async function main(): Promise<void> {
  const peersDir = process.env.PEERS_DIR;
  if (!peersDir) throw new Error('PEERS_DIR is required');
  const { createGatewayRuntime } = createRequire(join(peersDir, 'package.json'))('@graphql-hive/gateway') as HiveGatewayModule;
  const sign = await peerIdentity();
  const gateway = createGatewayRuntime({
    supergraph: process.env.SUPERGRAPH_PATH ?? '',
    propagateHeaders: {
      fromClientToSubgraphs: async ({ subgraphName }) => ({ [IDENTITY_HEADER]: await sign(subgraphName) }),
    },
  });
  const server = createServer(gateway);
  const port = peerPort();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  process.stdout.write(`Hive Gateway listening at http://127.0.0.1:${port}/graphql\n`);
  process.once('SIGTERM', () => {
    server.close();
    server.closeAllConnections();
    void Promise.resolve(gateway.dispose()).finally(() => process.exit(0));
  });
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
