import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import DataLoader from 'dataloader';
import { parse } from 'graphql';
import { formatError } from './errors';
import { createIdentityVerifier, IDENTITY_HEADER } from './identity';
import { resolvers, type Context } from './resolvers';
import { HRSS_SDL } from './sdl';
import { openStore, type CaseWithReview, type Store } from './store';
import { syncDepartment, type GraphAccess, type SyncReport } from './worker';

/**
 * 县人社局 (HRSS) 就业补贴业务系统: a department's own back office joined to the graph as a
 * Federation 2 subgraph — written directly with @apollo/subgraph, graphql, plain SQL on
 * better-sqlite3 and jose, nothing of the platform's kit. It keeps the department contract
 * (docs/department-contract.md) and passes `npm run conformance`.
 */
export { HRSS_SDL } from './sdl';
export type { GraphAccess, SyncReport } from './worker';

export type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

export interface DepartmentSystemOptions {
  /** 0: any free port. */
  port: number;
  host?: string;
  /** Its SQLite file (created with its tables on first start). */
  databasePath: string;
  /** How the identity header is verified: the gateway's JWKS (`<gateway>/.well-known/jwks.json`) … */
  gatewayJwksUrl?: string;
  /** … or the gateway's Ed25519 public key (SPKI PEM), handed over out of band. */
  gatewayPublicKey?: string;
  /** The departments whose cases it decides (default: 县人社局 of 兴国县 and 于都县). */
  departments?: string[];
  /** Its name in the graph: the `aud` its identity headers must carry (default `hrss`). */
  name?: string;
  /** Request bodies above this are refused (413) before they are read in full. */
  maxBodyBytes?: number;
  /** Every SQL statement run (tests count them). */
  onSql?: (sql: string) => void;
  log?: Log;
}

export interface RunningDepartmentSystem {
  /** Its GraphQL endpoint. */
  url: string;
  store: Store;
  /** One pull-and-push run per department (worker.ts): what the deployment's timer calls. */
  sync(graph: GraphAccess): Promise<SyncReport[]>;
  /** Runs `sync` every `intervalMs` until stopped (never twice at once); reports go to the log. */
  startSync(graph: GraphAccess, intervalMs: number): () => void;
  /** Stops accepting, finishes requests in flight, closes the database. */
  stop(): Promise<void>;
}

export const DEFAULT_DEPARTMENTS = ['360732-HRSS', '360731-HRSS'];

const defaultLog: Log = (level, message, fields) => process.stdout.write(`${JSON.stringify({ level, service: 'hrss', message, ...fields })}\n`);

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}
const refusal = (res: ServerResponse, status: number, code: string, message: string) => sendJson(res, status, { errors: [{ message, extensions: { code } }] });

/** The body as text, or undefined once it passes `max` bytes (the socket is then left to close). */
async function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startDepartmentSystem(options: DepartmentSystemOptions): Promise<RunningDepartmentSystem> {
  const name = options.name ?? 'hrss';
  const departments = options.departments ?? DEFAULT_DEPARTMENTS;
  const log = options.log ?? defaultLog;
  const maxBodyBytes = options.maxBodyBytes ?? 1_000_000;
  const verifyIdentity = await createIdentityVerifier({ audience: name, gatewayJwksUrl: options.gatewayJwksUrl, gatewayPublicKey: options.gatewayPublicKey });
  const store = openStore(options.databasePath, { onSql: options.onSql });

  const schema = buildSubgraphSchema({ typeDefs: parse(HRSS_SDL), resolvers: resolvers as never });
  const apollo = new ApolloServer<Context>({
    schema,
    formatError: (formatted, error) => formatError(formatted, error, (cause) => log('error', 'unexpected error', { error: String((cause as Error)?.stack ?? cause) })),
    includeStacktraceInErrorResponses: false,
    // Reached through the gateway only: no IDE, no introspection (the gateway reads `_service`).
    introspection: false,
    csrfPrevention: true,
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled()],
  });
  await apollo.start();

  let stopping = false;
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://hrss').pathname;
    try {
      if (path === '/health') return sendJson(res, 200, { status: 'ok', service: name });
      if (path === '/ready') {
        let ready = !stopping;
        try {
          ready &&= store.ping();
        } catch {
          ready = false;
        }
        return sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', service: name });
      }
      if (path !== '/graphql') return sendJson(res, 404, { error: 'not found' });
      // The identity first: nobody but the gateway gets as far as the body.
      const header = req.headers[IDENTITY_HEADER];
      let identity;
      try {
        identity = await verifyIdentity(Array.isArray(header) ? header[0] : header);
      } catch (error) {
        log('warn', 'refused a request without a valid identity header', { reason: (error as Error).message });
        return refusal(res, 401, 'UNAUTHENTICATED', (error as Error).message);
      }
      const raw = await readBody(req, maxBodyBytes);
      if (raw === undefined) return refusal(res, 413, 'PAYLOAD_TOO_LARGE', `请求体超过 ${maxBodyBytes} 字节`);
      let body: unknown = {};
      if (raw) {
        try {
          body = JSON.parse(raw);
        } catch {
          return refusal(res, 400, 'BAD_REQUEST', '请求体不是合法的 JSON');
        }
      }
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      const result = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'POST', headers, search: new URL(req.url ?? '/', 'http://hrss').search, body },
        context: async () => ({
          identity,
          store,
          departments,
          // One per request: references of one `_entities` call are one SELECT (store.casesByIds).
          cases: new DataLoader<string, CaseWithReview | null>(async (ids) => {
            const byId = new Map(store.casesByIds(ids).map((c) => [c.application_id, c]));
            return ids.map((id) => byId.get(id) ?? null);
          }),
        }),
      });
      for (const [key, value] of result.headers) res.setHeader(key, value);
      res.setHeader('cache-control', 'no-store');
      res.writeHead(result.status ?? 200);
      if (result.body.kind === 'complete') return void res.end(result.body.string);
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    } catch (error) {
      log('error', 'request failed', { error: String((error as Error)?.stack ?? error) });
      if (!res.headersSent) refusal(res, 500, 'INTERNAL_SERVER_ERROR', '县人社局业务系统内部错误，请稍后重试');
      else res.destroy();
    }
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 120_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}/graphql`;

  const sync = async (graph: GraphAccess) => {
    const reports: SyncReport[] = [];
    for (const department of departments) reports.push(await syncDepartment(store, graph, department));
    return reports;
  };
  const timers = new Set<() => void>();

  return {
    url,
    store,
    sync,
    startSync(graph, intervalMs) {
      let running = false;
      const run = async () => {
        if (running || stopping) return;
        running = true;
        try {
          for (const report of await sync(graph)) {
            const level = report.interrupted ? 'warn' : 'info';
            if (report.interrupted || report.pulled || report.recorded.length || Object.keys(report.refused).length) log(level, 'synced with the graph', { ...report });
          }
        } finally {
          running = false;
        }
      };
      const timer = setInterval(() => void run(), intervalMs);
      timer.unref();
      const stop = () => {
        clearInterval(timer);
        timers.delete(stop);
      };
      timers.add(stop);
      return stop;
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      for (const stop of [...timers]) stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await apollo.stop();
      store.close();
    },
  };
}

/** Two cases with fixed ids, one of them reviewed: to try the system (and the conformance test) without the graph. */
export const DEMO_CASE_IDS = ['d3a1c0de-0000-4000-8000-000000000001', 'd3a1c0de-0000-4000-8000-000000000002'];

export function seedDemoCases(store: Store): void {
  const at = '2026-11-26T01:00:00.000Z';
  const base = { department: '360732-HRSS', region_code: '360732', policy_id: 'XG-2026-DEMO', policy_title: '兴国县企业吸纳就业补贴（演示）', deadline: '2026-12-03', received_at: at };
  store.addCases([
    { ...base, application_id: DEMO_CASE_IDS[0], receipt_number: '360732-20261126-900001', credit_code: '91360732MA35G8KX2Q', enterprise_name: '兴国县演示科技有限公司' },
    { ...base, application_id: DEMO_CASE_IDS[1], receipt_number: '360732-20261126-900002', credit_code: '91360732MA35G8KX2Q', enterprise_name: '兴国县演示科技有限公司' },
  ]);
  if (!store.caseById(DEMO_CASE_IDS[0])?.review) {
    store.saveReview({
      application_id: DEMO_CASE_IDS[0],
      reviewer: 'demo-reviewer',
      employed_headcount: 32,
      social_insurance_months: 14,
      conclusion: 'QUALIFIED',
      amount_fen: 3_200_000,
      payee_account: null,
      payee_bank: null,
      reason: null,
      policy_explanation: null,
      note: '演示数据',
      reviewed_at: at,
      decision_id: 'hrss-demo-0001',
      decision_recorded_at: null,
      decision_error: null,
    });
  }
}
