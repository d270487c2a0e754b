import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ErrorCode } from './errors';
import type { Route } from './http';
import type { Logger } from './logger';

/**
 * Prometheus metrics, one Registry per server (the gateway and each subgraph; tests run several
 * in one process, so never prom-client's global registry). Node's process metrics are collected
 * once per process and appended to every server's scrape.
 *
 * Label values are bounded: operation names and error codes come from callers and from
 * subgraphs (free text), so only identifier-shaped values are kept, and only the first
 * `MAX_LABEL_VALUES` distinct ones; everything else is counted as `other`. (An LRU would not
 * bound memory: prom-client keeps a series once it exists.)
 */
const LABEL_VALUE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
export const MAX_LABEL_VALUES = 200;

export class BoundedLabel {
  private readonly seen = new Set<string>();
  constructor(private readonly max = MAX_LABEL_VALUES) {}

  value(raw: string | null | undefined, absent = 'anonymous'): string {
    if (!raw) return absent;
    if (!LABEL_VALUE.test(raw)) return 'other';
    if (this.seen.has(raw)) return raw;
    if (this.seen.size >= this.max) return 'other';
    this.seen.add(raw);
    return raw;
  }
}

let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export interface PoolStats {
  used: number;
  free: number;
  pending: number;
}

export interface GraphqlMetrics {
  registry: Registry;
  requests: Counter<'operation'>;
  duration: Histogram<'operation'>;
  errors: Counter<'code'>;
  limitRefusals: Counter<'limit'>;
  inFlight: Gauge;
  operation: BoundedLabel;
  code: BoundedLabel;
}

export interface GatewayMetrics extends GraphqlMetrics {
  /** One subgraph call finished: `ok`, `error` (it answered with GraphQL errors), `unavailable` or `shed` (queue full). */
  observeFetch(serviceName: string, seconds: number, outcome: 'ok' | 'error' | 'unavailable' | 'shed'): void;
  /** A subgraph fetch served by an identical one already in flight. */
  observeDedup(serviceName: string): void;
  /** A subgraph fetch shed because the subgraph's queue was full. */
  observeShed(serviceName: string): void;
  /** Where scrapes read each subgraph's calls in flight and queued. */
  watchSubgraphLoad(read: () => { subgraph: string; inFlight: number; queued: number }[]): void;
}

/** Requests, latency, errors and refusals of one GraphQL server; `service` is a label on every series. */
export function createGraphqlMetrics(service: string, options: { databasePool?: () => PoolStats | undefined } = {}): GraphqlMetrics {
  processMetrics();
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  const registers = [registry];
  if (options.databasePool) {
    const pool = options.databasePool;
    new Gauge({
      name: 'qinqing_db_pool_connections',
      help: 'Database connections by state (used, free, pending acquires), read at scrape time',
      labelNames: ['state'],
      registers,
      collect() {
        const stats = pool();
        if (!stats) return;
        this.set({ state: 'used' }, stats.used);
        this.set({ state: 'free' }, stats.free);
        this.set({ state: 'pending' }, stats.pending);
      },
    });
  }
  return {
    registry,
    requests: new Counter({ name: 'qinqing_graphql_requests_total', help: 'GraphQL requests by operation name', labelNames: ['operation'], registers }),
    duration: new Histogram({
      name: 'qinqing_graphql_request_duration_seconds',
      help: 'GraphQL request latency by operation name',
      labelNames: ['operation'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    errors: new Counter({ name: 'qinqing_graphql_errors_total', help: 'Errors in GraphQL responses by extensions.code', labelNames: ['code'], registers }),
    limitRefusals: new Counter({
      name: 'qinqing_graphql_limit_refusals_total',
      help: 'Operations refused as QUERY_TOO_COMPLEX, by the limit they broke',
      labelNames: ['limit'],
      registers,
    }),
    inFlight: new Gauge({ name: 'qinqing_graphql_requests_in_flight', help: 'GraphQL requests being executed', registers }),
    operation: new BoundedLabel(),
    code: new BoundedLabel(),
  };
}

export function createGatewayMetrics(): GatewayMetrics {
  const metrics = createGraphqlMetrics('gateway');
  const registers = [metrics.registry];
  const fetches = new Counter({
    name: 'qinqing_gateway_subgraph_fetches_total',
    help: 'Calls from the gateway to a subgraph, by subgraph and outcome',
    labelNames: ['subgraph', 'outcome'],
    registers,
  });
  const fetchDuration = new Histogram({
    name: 'qinqing_gateway_subgraph_fetch_duration_seconds',
    help: 'Latency of calls from the gateway to a subgraph',
    labelNames: ['subgraph'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const subgraph = new BoundedLabel();
  // --- subgraph call pool (issue 6): deduplication, shedding, load; see gateway/subgraph-client.ts ---
  const dedup = new Counter({
    name: 'qinqing_gateway_subgraph_dedup_total',
    help: 'Subgraph fetches served by an identical query already in flight (hit rate: this / fetches_total)',
    labelNames: ['subgraph'],
    registers,
  });
  const shed = new Counter({
    name: 'qinqing_gateway_subgraph_shed_total',
    help: 'Subgraph fetches shed at once (OVERLOADED, HTTP 503) because the subgraph queue was full',
    labelNames: ['subgraph'],
    registers,
  });
  let readLoad: () => { subgraph: string; inFlight: number; queued: number }[] = () => [];
  const loadGauge = (name: string, help: string, field: 'inFlight' | 'queued') =>
    new Gauge({
      name,
      help,
      labelNames: ['subgraph'],
      registers,
      collect() {
        for (const load of readLoad()) this.set({ subgraph: subgraph.value(load.subgraph, 'unknown') }, load[field]);
      },
    });
  loadGauge('qinqing_gateway_subgraph_in_flight', 'Calls in flight to each subgraph, read at scrape time', 'inFlight');
  loadGauge('qinqing_gateway_subgraph_queue_depth', 'Calls waiting for a slot of each subgraph (SUBGRAPH_MAX_CONCURRENCY), read at scrape time', 'queued');
  return {
    ...metrics,
    observeFetch(serviceName, seconds, outcome) {
      const label = subgraph.value(serviceName, 'unknown');
      fetches.inc({ subgraph: label, outcome });
      fetchDuration.observe({ subgraph: label }, seconds);
    },
    observeDedup: (serviceName) => dedup.inc({ subgraph: subgraph.value(serviceName, 'unknown') }),
    observeShed: (serviceName) => shed.inc({ subgraph: subgraph.value(serviceName, 'unknown') }),
    watchSubgraphLoad(read) {
      readLoad = read;
    },
  };
}

/**
 * Counts every operation the server answers: by operation name, with its latency, the codes of
 * the errors in the response (as the client sees them, after formatError) and limit refusals.
 * With `log`, also writes one line per request (subgraphs; the gateway has its own line).
 */
export function graphqlMetricsPlugin(metrics: GraphqlMetrics, log?: Logger): ApolloServerPlugin<{ requestId?: string }> {
  return {
    async requestDidStart({ request }) {
      const started = process.hrtime.bigint();
      metrics.inFlight.inc();
      return {
        async willSendResponse({ operationName, response, contextValue }) {
          metrics.inFlight.dec();
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const operation = metrics.operation.value(operationName ?? request.operationName);
          metrics.requests.inc({ operation });
          metrics.duration.observe({ operation }, seconds);
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          const codes: string[] = [];
          for (const error of errors) {
            const raw = error.extensions?.code;
            const code = metrics.code.value(typeof raw === 'string' ? raw : undefined, ErrorCode.INTERNAL_SERVER_ERROR);
            codes.push(code);
            metrics.errors.inc({ code });
            if (raw === ErrorCode.QUERY_TOO_COMPLEX) {
              const limit = error.extensions?.limit;
              metrics.limitRefusals.inc({ limit: metrics.code.value(typeof limit === 'string' ? limit : undefined, 'unknown') });
            }
          }
          log?.info('graphql request', { requestId: contextValue?.requestId, operationName: operationName ?? request.operationName, ms: seconds * 1000, errors: codes.length ? codes : undefined });
        },
      };
    },
  };
}

const sameSecret = (a: string, b: string) => timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

/**
 * `GET /metrics` in the Prometheus text format. Meant for the internal network (scraped beside
 * `/ready`, not published through the load balancer); with `token` (METRICS_TOKEN) it also wants
 * `Authorization: Bearer <token>`.
 */
export function metricsRoute(metrics: { registry: Registry }, token?: string): Route {
  return async (req, res) => {
    if (token && !sameSecret(req.headers.authorization ?? '', `Bearer ${token}`)) {
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer' });
      res.end('需要 METRICS_TOKEN：Authorization: Bearer <token>\n');
      return;
    }
    const text = (await metrics.registry.metrics()) + (await processMetrics().metrics());
    res.writeHead(200, { 'content-type': metrics.registry.contentType });
    res.end(text);
  };
}
