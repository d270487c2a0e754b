import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGateway, type Gateway } from '../../gateway';
import { signDevToken } from '../../gateway/auth';
import { loadConfig, type Config } from '../../platform/config';
import { createLogger, type Logger } from '../../platform/logger';
import type { RunningServer } from '../../platform/http';
import { createIdentitySigner, type Identity, type IdentitySigner } from '../../platform/identity';
import { createSubgraphServer, type SubgraphServer } from '../../subgraphs/kit/server';
import { subgraphs } from '../../subgraphs/registry';
import { startEvents, type EventsRuntime } from '../../subgraphs/kit/events';
import { graphClientFromConfig } from '../../subgraphs/kit/graph-client';
import { servicesHolder, type Services } from '../../subgraphs/kit/services';
import { openTestDatabase, sharedTestDatabase, type TestDatabase } from './db';
import { startDepartmentSystem, type RunningDepartmentSystem } from '../../examples/department-system';

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
  /** 县人社局's own system (examples/department-system, not the kit): the external subgraph `hrss` of schema/supergraph.yaml. */
  departmentSystem: RunningDepartmentSystem;
  /** Where the gateway calls every subgraph, ours and the external one (for a second gateway over the same subgraphs). */
  serviceUrls: Record<string, string>;
  /** What the subgraphs' consumers and jobs get: the graph client for this graph's gateway (run a job with it). */
  services: Services;
  /** The event relays of every subgraph (in-process, or NATS with NATS_URL in `env`). */
  events: EventsRuntime;
  /** Stops the relays (as a crash or an outage of the consumers would) … */
  stopEvents(): Promise<void>;
  /** … and starts them again over the same databases: they resume where they stopped. */
  startEvents(): Promise<EventsRuntime>;
  supergraphPath: string;
  token(claims: { role: string; creditCode?: string; department?: string; region?: string }): Promise<string>;
  /** `x-qinqing-identity` as this graph's gateway would mint it for `subgraph`. */
  signIdentity(identity: Identity, subgraph: string): Promise<string>;
  query<T = any>(query: string, variables?: Record<string, unknown>, token?: string, headers?: Record<string, string>): Promise<{ status: number; body: { data?: T; errors?: any } }>;
  /** A material as the intake sees it: a small PDF uploaded by the enterprise itself through the gateway, referenced by its id. */
  uploadMaterial(creditCode: string, name: string): Promise<{ name: string; uploadId: string }>;
  stop(): Promise<void>;
}

/** Keys made in memory for this test process: tests never read or write dev keys under data/. */
export const TEST_KEYS = {
  gatewayPrivateKey: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  jwtSecret: randomBytes(32).toString('base64url'),
};

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PORT: '0',
    GATEWAY_PRIVATE_KEY: TEST_KEYS.gatewayPrivateKey,
    JWT_SECRET: TEST_KEYS.jwtSecret,
    ...overrides,
  });
}

const signers = new Map<string, Promise<IdentitySigner>>();
/** Signs identity headers with a config's gateway key, as its gateway would. */
export function signIdentity(config: Config, identity: Identity, subgraph: string): Promise<string> {
  const pem = config.gatewayIdentity.privateKey!;
  if (!signers.has(pem)) signers.set(pem, createIdentitySigner(pem));
  return signers.get(pem)!.then((signer) => signer.sign(identity, subgraph));
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
export async function startTestGraph(
  options: {
    env?: Record<string, string>;
    demo?: boolean;
    log?: (service: string) => Logger;
    /** every subgraph logs here (tests read what is logged) */
    subgraphLog?: Logger;
    /** The clock of the subgraphs' consumers and jobs (services.now); default the system's. */
    now?: () => Date;
  } = {},
): Promise<TestGraph> {
  const dir = mkdtempSync(join(tmpdir(), 'qinqing-graph-'));
  const supergraphPath = join(dir, 'supergraph.graphql');
  copyFileSync(join(__dirname, '..', '..', 'schema', 'supergraph.graphql'), supergraphPath);
  // The tax subgraph gets a short deadline of its own: the hung-subgraph test waits for it.
  // Uploaded files go to this graph's own folder, never the checkout's data/.
  const config = testConfig({ SUPERGRAPH_PATH: supergraphPath, SUBGRAPH_TAX_TIMEOUT_MS: '800', UPLOAD_DIR: join(dir, 'uploads'), ...options.env });
  const running: Record<string, RunningSubgraph> = {};
  // Requests' Context.services: the clock now, the graph client once the gateway listens (below).
  const requestServices = servicesHolder({ now: options.now });
  const database = await sharedTestDatabase();
  for (const definition of subgraphs) {
    const db = await openTestDatabase(definition, { demo: options.demo ?? true, demoEnterprises: config.demoEnterprises, sharedUrl: database.url });
    const server = await createSubgraphServer(definition, db.orm, config, options.log?.(definition.name) ?? options.subgraphLog?.child({ service: definition.name }), requestServices);
    running[definition.name] = { server, db, http: await server.listen(0) };
  }
  // The external department system is in the supergraph too: the gateway is ready only with it.
  const departmentSystem = await startDepartmentSystem({
    port: 0,
    databasePath: join(dir, 'hrss.sqlite'),
    gatewayPublicKey: config.gatewayIdentity.publicKey,
    gatewayJwksUrl: config.gatewayIdentity.jwksUrl,
    log: () => undefined,
  });
  const serviceUrls = { ...Object.fromEntries(subgraphs.map((s) => [s.name, running[s.name].http.url])), hrss: departmentSystem.url };
  const gateway = await createGateway(config, {
    serviceUrls,
    supergraphPollMs: 100,
    log: options.log?.('gateway'),
  });
  const http = await gateway.listen(0, '127.0.0.1');
  // The subgraphs' consumers and jobs call this gateway (as main.ts's do theirs), minting tokens with the test secret.
  const services: Services = { graph: graphClientFromConfig(config, http.url), now: options.now, config };
  requestServices.current = services;
  const eventsLog = options.subgraphLog?.child({ service: 'events' }) ?? options.log?.('events') ?? createLogger(config.logLevel, { service: 'events' });
  const runEvents = () =>
    startEvents(
      subgraphs.map((s) => ({ definition: s, orm: running[s.name].db.orm, registry: running[s.name].server.metrics.registry })),
      config.events,
      eventsLog,
      services,
    );
  let events = await runEvents();
  return {
    services,
    config,
    gateway,
    gatewayUrl: http.url,
    subgraphs: running,
    departmentSystem,
    serviceUrls,
    get events() {
      return events;
    },
    stopEvents: () => events.stop(),
    async startEvents() {
      await events.stop();
      events = await runEvents();
      return events;
    },
    supergraphPath,
    token: (claims) => signDevToken(config.jwt, claims),
    signIdentity: (identity, subgraph) => signIdentity(config, identity, subgraph),
    async uploadMaterial(creditCode, name) {
      const response = await fetch(`${http.url.replace(/\/graphql$/, '')}/uploads?creditCode=${creditCode}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await signDevToken(config.jwt, { role: 'ENTERPRISE', creditCode })}`, 'x-file-name': encodeURIComponent(`${name}.pdf`) },
        body: Buffer.from(`%PDF-1.7\n% ${name}\n%%EOF\n`),
      });
      const body = (await response.json()) as { id?: string };
      if (response.status !== 201 || !body.id) throw new Error(`upload of ${name} for ${creditCode}: HTTP ${response.status} ${JSON.stringify(body)}`);
      return { name, uploadId: body.id };
    },
    query: (query, variables, token, headers = {}) =>
      postGraphql(http.url, { query, variables }, { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers }),
    async stop() {
      await gateway.stop();
      await events.stop();
      for (const s of Object.values(running)) {
        await s.server.stop().catch(() => undefined);
        await s.db.close();
      }
      await departmentSystem.stop();
      await database.drop();
    },
  };
}
