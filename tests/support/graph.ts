import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGateway, type Gateway } from '../../gateway';
import { signDevToken } from '../../gateway/auth';
import { loadConfig, type Config } from '../../platform/config';
import type { Logger } from '../../platform/logger';
import type { RunningServer } from '../../platform/http';
import { createSubgraphServer, type SubgraphServer } from '../../subgraphs/kit/server';
import { subgraphs } from '../../subgraphs/registry';
import { openTestDatabase, type TestDatabase } from './db';

export interface RunningSubgraph {
  server: SubgraphServer;
  http: RunningServer;
  db: TestDatabase;
}

export interface TestGraph {
  config: Config;
  gateway: Gateway;
  gatewayUrl: string;
  subgraphs: Record<string, RunningSubgraph>;
  supergraphPath: string;
  token(claims: { role: string; creditCode?: string; department?: string; region?: string }): Promise<string>;
  query<T = any>(query: string, variables?: Record<string, unknown>, token?: string, headers?: Record<string, string>): Promise<{ status: number; body: { data?: T; errors?: any } }>;
  stop(): Promise<void>;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PORT: '0', ...overrides });
}

/** POST a GraphQL request as a browser or app would (JSON, so CSRF prevention lets it through). */
export async function postGraphql(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {} };
}

/**
 * The whole graph for real: every subgraph over its own fresh database (with demo data), each on
 * a port of its own, and the gateway over HTTP in front, serving a copy of the committed supergraph.
 */
export async function startTestGraph(options: { env?: Record<string, string>; demo?: boolean; /** every subgraph logs here (tests read what is logged) */ subgraphLog?: Logger } = {}): Promise<TestGraph> {
  const dir = mkdtempSync(join(tmpdir(), 'qinqing-graph-'));
  const supergraphPath = join(dir, 'supergraph.graphql');
  copyFileSync(join(__dirname, '..', '..', 'schema', 'supergraph.graphql'), supergraphPath);
  // The tax subgraph gets a short deadline of its own: the hung-subgraph test waits for it.
  const config = testConfig({ SUPERGRAPH_PATH: supergraphPath, SUBGRAPH_TAX_TIMEOUT_MS: '800', ...options.env });
  const running: Record<string, RunningSubgraph> = {};
  for (const definition of subgraphs) {
    const db = await openTestDatabase(definition, { demo: options.demo ?? true });
    const server = await createSubgraphServer(definition, db.orm, config, options.subgraphLog?.child({ service: definition.name }));
    running[definition.name] = { server, db, http: await server.listen(0) };
  }
  const gateway = await createGateway(config, {
    services: subgraphs.map((s) => ({ name: s.name, url: running[s.name].http.url })),
    supergraphPollMs: 100,
  });
  const http = await gateway.listen(0, '127.0.0.1');
  return {
    config,
    gateway,
    gatewayUrl: http.url,
    subgraphs: running,
    supergraphPath,
    token: (claims) => signDevToken(config.jwt, claims),
    query: (query, variables, token, headers = {}) =>
      postGraphql(http.url, { query, variables }, { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers }),
    async stop() {
      await gateway.stop();
      for (const s of Object.values(running)) {
        await s.server.stop().catch(() => undefined);
        await s.db.close();
      }
    },
  };
}
