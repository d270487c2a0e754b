import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { MikroORM } from '@mikro-orm/core';
import type { GraphQLSchema } from 'graphql';
import { DEFAULT_HTTP_LIMITS, type Config } from '../../platform/config';
import { errorLogPlugin } from '../../platform/errors';
import { subgraphFormatError } from './errors';
import { createHttpHandler, createHttpServer, drainPlugin, listen, sendJson, withTimeout, type RunningServer } from '../../platform/http';
import { createIdentityVerifier, IDENTITY_HEADER, REQUEST_ID_HEADER } from '../../platform/identity';
import { queryGuard, resolveQueryLimits } from '../../platform/limits';
import { createLogger, type Logger } from '../../platform/logger';
import { createGraphqlMetrics, graphqlMetricsPlugin, metricsRoute, type GraphqlMetrics } from '../../platform/metrics';
import { decodePurpose, PURPOSE_HEADER } from '../../platform/purpose';
import { currentTraceId, initTelemetry, traceRequests } from '../../platform/telemetry';
import { writeAccessEvents } from './access';
import { databasePoolStats } from './orm';
import { buildFederatedSchema } from './schema';
import type { Context, SubgraphDefinition } from './subgraph';
import type { ServicesHolder } from './services';

export interface SubgraphServer {
  name: string;
  schema: GraphQLSchema;
  /** This subgraph's Prometheus registry and counters (the event relays add theirs: kit/events). */
  metrics: GraphqlMetrics;
  apollo: ApolloServer<Context<any>>;
  /** Builds a context as a request with these headers would get; for in-process tests. */
  contextFor(headers: Record<string, string | undefined>): Promise<Context<any>>;
  listen(port: number, host?: string): Promise<RunningServer>;
  /** Database answering and not draining. */
  readiness(): Promise<{ ready: boolean; draining: boolean; database: string }>;
  /** Drains (readiness 503 at once, no new connections, requests in flight finish); idempotent. The caller closes the ORM. */
  stop(): Promise<void>;
}

/** What the cache-control plugin answered for every response (no hints anywhere): not cacheable. */
const noStorePlugin: ApolloServerPlugin<Context<any>> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        response.http.headers.set('cache-control', 'no-store');
      },
    };
  },
};

/** A database that does not answer `select 1` within this is not ready. */
const READY_DATABASE_TIMEOUT_MS = 2_000;

/** Downloads: `GET /exports/<name>` (the gateway proxies `/exports/<subgraph>/<name>` here). */
export const EXPORTS_PREFIX = '/exports/';

const STATUS_OF_CODE: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, BAD_USER_INPUT: 400, NOT_FOUND: 404 };

/**
 * Serves a definition's exports behind the same gateway-signed identity as /graphql. Errors before
 * the first byte are JSON `{ errors: [{ message, extensions: { code } }] }` with a matching status;
 * after it, the connection is cut (a half-written file must not look complete).
 */
function exportsRoute(definition: SubgraphDefinition<any>, contextFor: (headers: Record<string, string | undefined>) => Promise<Context<any>>, log: Logger) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const name = url.pathname.slice(EXPORTS_PREFIX.length);
    const handler = Object.hasOwn(definition.exports!, name) ? definition.exports![name] : undefined;
    if (!handler) return sendJson(res, 404, { error: 'not found' });
    if (req.method !== 'GET') {
      res.setHeader('allow', 'GET');
      return sendJson(res, 405, { error: 'method not allowed' });
    }
    try {
      const context = await contextFor({
        [REQUEST_ID_HEADER]: header(req, REQUEST_ID_HEADER),
        [IDENTITY_HEADER]: header(req, IDENTITY_HEADER),
        [PURPOSE_HEADER]: header(req, PURPOSE_HEADER),
      });
      await handler({ req, res, query: url.searchParams, context });
    } catch (error) {
      const { message, extensions } = error as { message?: string; extensions?: Record<string, unknown> };
      const code = typeof extensions?.code === 'string' && STATUS_OF_CODE[extensions.code] ? extensions.code : 'INTERNAL_SERVER_ERROR';
      if (code === 'INTERNAL_SERVER_ERROR') log.error('export failed', { export: name, error });
      else if (code === 'UNAUTHENTICATED') log.warn('refused export with invalid identity', { export: name, reason: message });
      if (res.headersSent) return void res.destroy();
      const problems = extensions?.problems;
      sendJson(res, STATUS_OF_CODE[code] ?? 500, {
        errors: [{ message: code === 'INTERNAL_SERVER_ERROR' ? '导出失败' : message, extensions: { code, ...(problems ? { problems } : {}) } }],
      });
    }
  };
}

/**
 * Writes the access events a request buffered (kit/access.ts) before its response leaves: one
 * transaction, a constant number of statements. A failure is logged, not shown to the caller.
 */
function accessLogPlugin(orm: MikroORM, producer: { subgraph: string; department?: string }, log: Logger): ApolloServerPlugin<Context<any>> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue }) {
          await writeAccessEvents(contextValue, orm.em, producer).catch((error) => log.error('access log: events not written', { error, requestId: contextValue.requestId }));
        },
      };
    },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Factory, apart from any entrypoint: returns a subgraph server over an open database, ready to
 * `listen(0)` in a test or on its configured port in `main.ts`.
 */
export async function createSubgraphServer(
  definition: SubgraphDefinition<any>,
  orm: MikroORM,
  config: Pick<Config, 'gatewayIdentity' | 'logLevel' | 'production' | 'queryLimits' | 'queryCacheMaxBytes' | 'metricsToken'> &
    Partial<Pick<Config, 'http' | 'shutdownTimeoutMs'>>,
  log: Logger = createLogger(config.logLevel, { service: definition.name }),
  /** What requests see as `Context.services`; filled in by the starter once the gateway listens. */
  services: ServicesHolder = { current: {} },
): Promise<SubgraphServer> {
  const schema = await buildFederatedSchema(definition);
  // The gateway's limits again, as a second wall for a request that did not come through it.
  // No persisted queries: the gateway sends whole queries.
  const guard = queryGuard<Context<any>>({
    limits: resolveQueryLimits(config.queryLimits),
    production: config.production,
    cacheMaxBytes: config.queryCacheMaxBytes,
    persistedQueries: false,
  });
  // Only headers the gateway signed for this subgraph (aud = its name) are accepted.
  const verifyIdentity = await createIdentityVerifier(config.gatewayIdentity, definition.name);
  // Observability: tracing (once per process) and this subgraph's own metrics registry.
  initTelemetry();
  const metrics = createGraphqlMetrics(definition.name, { databasePool: () => databasePoolStats(orm) });
  // Created before Apollo so its drain plugin can stop it (see platform/http.ts).
  const httpServer = createHttpServer(config.http);
  let draining = false;
  const apollo = new ApolloServer<Context<any>>({
    schema,
    ...guard.serverOptions,
    // Unique keys → ALREADY_EXISTS here, then the limits' and the platform's mapping.
    formatError: (formatted, error) => subgraphFormatError(formatted, error, guard.serverOptions.formatError),
    // Subgraphs are reached through the gateway only; they have no IDE of their own.
    plugins: [
      drainPlugin(httpServer, config.shutdownTimeoutMs ?? 10_000),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      // No type carries @cacheControl hints, yet the default cache-control plugin wraps every field
      // resolver (willResolveField: ~6 % of a 100-row list's CPU). Its one visible effect stays.
      ApolloServerPluginCacheControlDisabled(),
      noStorePlugin,
      errorLogPlugin(log),
      ...guard.plugins,
      graphqlMetricsPlugin(metrics, log),
      accessLogPlugin(orm, { subgraph: definition.name, department: definition.department }, log),
    ],
    // main.ts owns the signals: Apollo's own handlers would re-kill the process mid-drain (exit 143).
    stopOnTerminationSignals: false,
    introspection: !config.production,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
  });
  await apollo.start();

  const contextFor = async (headers: Record<string, string | undefined>): Promise<Context<any>> => {
    const requestId = headers[REQUEST_ID_HEADER] ?? randomUUID();
    const identity = await verifyIdentity(headers[IDENTITY_HEADER]);
    const em = orm.em.fork();
    // The gateway refused a bad purpose already; one that is not acceptable here is dropped.
    const { purpose } = decodePurpose(headers[PURPOSE_HEADER]);
    return {
      em,
      identity,
      requestId,
      purpose,
      traceId: currentTraceId(),
      loaders: definition.createLoaders(em, identity),
      log: log.child({ requestId }),
      services: services.current,
    };
  };

  async function readiness() {
    if (draining) return { ready: false, draining, database: 'not checked' };
    try {
      // Through the ORM's own connection (pool): what resolvers will use.
      await withTimeout(() => orm.em.getConnection().execute('select 1'), READY_DATABASE_TIMEOUT_MS);
      return { ready: true, draining, database: 'ok' };
    } catch (error) {
      log.warn('readiness: database check failed', { error });
      return { ready: false, draining, database: (error as Error).name === 'TimeoutError' ? 'timeout' : 'unreachable' };
    }
  }

  const handler = createHttpHandler<Context<any>>({
    apollo,
    log,
    // Larger than a client's for the gateway alone: its @requires fetches carry other subgraphs' data
    // (a screening's population tables). Anyone else is held to a client's limit before a byte of
    // the body is read, and then refused with 401 by the context.
    maxBodyBytes: async (req) => {
      const limits = config.http ?? DEFAULT_HTTP_LIMITS;
      try {
        await verifyIdentity(header(req, IDENTITY_HEADER));
        return limits.subgraphMaxBodyBytes;
      } catch {
        return limits.maxBodyBytes;
      }
    },
    context: async (req) => {
      try {
        return await contextFor({
          [REQUEST_ID_HEADER]: header(req, REQUEST_ID_HEADER),
          [IDENTITY_HEADER]: header(req, IDENTITY_HEADER),
          [PURPOSE_HEADER]: header(req, PURPOSE_HEADER),
        });
      } catch (error) {
        // A missing or forged identity is refused with 401 and logged: somebody is calling us directly.
        log.warn('refused request with invalid identity', { requestId: header(req, REQUEST_ID_HEADER), reason: (error as Error).message });
        Object.assign((error as { extensions: Record<string, unknown> }).extensions, { http: { status: 401 } });
        throw error;
      }
    },
    routes: {
      '/health': (_req, res) => sendJson(res, 200, { status: 'ok', service: definition.name }),
      ...(definition.exports ? { [EXPORTS_PREFIX]: exportsRoute(definition, contextFor, log) } : {}),
      '/metrics': metricsRoute(metrics, config.metricsToken),
      '/ready': async (_req, res) => {
        const state = await readiness();
        sendJson(res, state.ready ? 200 : 503, { status: state.ready ? 'ready' : 'not ready', service: definition.name, ...state });
      },
    },
  });

  let stopping: Promise<void> | undefined;
  return {
    name: definition.name,
    schema,
    metrics,
    apollo,
    contextFor,
    readiness,
    listen: (port, host = '127.0.0.1') => listen(httpServer, traceRequests(definition.name, handler), port, host),
    stop() {
      draining = true;
      return (stopping ??= apollo.stop());
    },
  };
}
