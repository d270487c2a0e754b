/**
 * 县人社局's system as its own process (how the department deploys it):
 *   npm run department-system [-- --demo]
 * Environment:
 *   PORT (4020), HOST (127.0.0.1), HRSS_DATABASE (data/hrss.sqlite)
 *   GATEWAY_JWKS_URL (the gateway's /.well-known/jwks.json) or GATEWAY_PUBLIC_KEY (PEM, or a PEM file's path): required
 *   GRAPH_URL + GRAPH_TOKEN_DIR: the gateway's GraphQL endpoint and a directory holding one bearer
 *     token file per department (<dir>/360732-HRSS), re-read on every call; with both, cases are
 *     pulled and decisions pushed every HRSS_SYNC_INTERVAL_MS (30000)
 *   --demo: two demo cases (DEMO_CASE_IDS), to try it and the conformance test without the graph
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { seedDemoCases, startDepartmentSystem, DEMO_CASE_IDS } from '.';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function main() {
  const env = process.env;
  const port = Number(env.PORT ?? 4020);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`PORT: not a port number: ${env.PORT}`);
  let gatewayPublicKey = env.GATEWAY_PUBLIC_KEY;
  if (gatewayPublicKey && !gatewayPublicKey.trimStart().startsWith('-----BEGIN')) {
    try {
      gatewayPublicKey = readFileSync(gatewayPublicKey, 'utf8');
    } catch (error) {
      fail(`GATEWAY_PUBLIC_KEY: cannot read the key file ${gatewayPublicKey} (${(error as NodeJS.ErrnoException).code})`);
    }
  }
  if (!gatewayPublicKey && !env.GATEWAY_JWKS_URL) fail('GATEWAY_JWKS_URL or GATEWAY_PUBLIC_KEY: required, to verify x-qinqing-identity (the gateway signs it)');
  const system = await startDepartmentSystem({
    port,
    host: env.HOST ?? '127.0.0.1',
    databasePath: env.HRSS_DATABASE ?? join('data', 'hrss.sqlite'),
    gatewayJwksUrl: env.GATEWAY_JWKS_URL,
    gatewayPublicKey: gatewayPublicKey?.replace(/\\n/g, '\n'),
  }).catch((error: NodeJS.ErrnoException) => fail(error.code === 'EADDRINUSE' ? `PORT: ${port} is already in use` : String(error.stack ?? error)));
  if (process.argv.includes('--demo')) seedDemoCases(system.store);
  if (env.GRAPH_URL && env.GRAPH_TOKEN_DIR) {
    const dir = env.GRAPH_TOKEN_DIR;
    system.startSync({ url: env.GRAPH_URL, token: async (department) => (await readFile(join(dir, department), 'utf8')).trim() }, Number(env.HRSS_SYNC_INTERVAL_MS ?? 30_000));
  }
  process.stdout.write(`县人社局 就业补贴业务系统 (hrss) listening at ${system.url}${process.argv.includes('--demo') ? ` with demo cases ${DEMO_CASE_IDS.join(', ')}` : ''}\n`);
  const stop = () => void system.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();
