import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
// Already @apollo/gateway's own dependency: the same parser it reads the supergraph's subgraphs with.
import { Supergraph } from '@apollo/federation-internals';
import type { Config } from '../platform/config';
import { AppError, ErrorCode, errorLogPlugin } from '../platform/errors';
import { decodePurpose, PURPOSE_HEADER } from '../platform/purpose';
import { createHttpHandler, createHttpServer, drainPlugin, listen, sendJson, type RunningServer } from '../platform/http';
import { createIdentitySigner, REQUEST_ID_HEADER, type Identity } from '../platform/identity';
import { queryGuard, resolveQueryLimits, type QueryGuard } from '../platform/limits';
import { createLogger, type Logger } from '../platform/logger';
import { createGatewayMetrics, graphqlMetricsPlugin, metricsRoute } from '../platform/metrics';
import { initTelemetry, traceRequests } from '../platform/telemetry';
import { createAuthenticator } from './auth';
import { exportsProxy, GATEWAY_EXPORTS_PREFIX } from './exports';
import { GATEWAY_UPLOADS_PATH, uploadsProxy } from './uploads';
import type { GatewayContext } from './context';
import { overloadPlugin, SubgraphDataSource } from './datasource';
import { IDE_ASSET_PREFIX, ideAsset, ideContentSecurityPolicy, ideLandingPagePlugin } from './ide';
import { SubgraphClients } from './subgraph-client';
import { supergraphFromFile } from './supergraph';

export interface GatewayOptions {
  /**
   * Subgraph name → URL, overriding the supergraph's `@join__graph(url:)` for that subgraph
   * (`SUBGRAPH_<NAME>_URL`; `npm start` passes the subgraphs it started). Every other subgraph is
   * called where the supergraph says, so one added to the supergraph file joins without a restart.
   */
  serviceUrls?: Record<string, string>;
  /** How often the supergraph file is polled for changes. */
  supergraphPollMs?: number;
  log?: Logger;
}

export interface Gateway {
  apollo: ApolloServer<GatewayContext>;
  /** The bounded query caches (documents, plans, persisted queries). */
  caches: QueryGuard<GatewayContext>['caches'];
  listen(port: number, host?: string): Promise<RunningServer>;
  /** Supergraph loaded, not draining, and every subgraph's /ready answering 200. */
  readiness(): Promise<{ ready: boolean; draining: boolean; subgraphs: Record<string, string> }>;
  /** Drains (readiness 503 at once, no new connections, requests in flight finish); idempotent. */
  stop(): Promise<void>;
}

/**
 * The IDE's default tab: the first thing a newcomer runs. Operation names must be ASCII
 * (GraphQL's Name grammar), so Chinese goes in comments; tests/unit/documents.test.ts validates it.
 */
export const EXAMPLE_QUERY = `# 亲清赣商 · qinqing-hub — 先在下方 Headers 中填入 npm run token 打印的令牌
# 部门目录（公开数据，无需令牌也可运行）；Ctrl+Enter 或点击运行按钮执行
query DepartmentDirectory {
  departments(regionCode: "360732") {
    code
    shortName
    functions
  }
}
`;

/** One log line per operation (who, what, how long, which errors) with the request id the subgraphs log too. */
function requestLogPlugin(log: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operationName, errors, contextValue: ctx, response }) {
          // Echoed so a user reporting a problem can quote the id that is in every log line.
          response.http.headers.set(REQUEST_ID_HEADER, ctx.requestId);
          log.info('graphql request', {
            requestId: ctx.requestId,
            operationName,
            role: ctx.identity.role,
            ms: Number(process.hrtime.bigint() - started) / 1e6,
            errors: errors?.map((e) => e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'),
          });
        },
      };
    },
  };
}

/**
 * The gateway: authenticates the caller, limits what a query may cost, plans it over the
 * committed supergraph and calls the subgraphs with the identity signed for them.
 */
export async function createGateway(config: Config, options: GatewayOptions): Promise<Gateway> {
  const log = options.log ?? createLogger(config.logLevel, { service: 'gateway' });
  // Limits, bounded document/plan/APQ caches, suggestion masking: platform/limits.ts.
  const guard = queryGuard<GatewayContext>({
    limits: resolveQueryLimits(config.queryLimits),
    production: config.production,
    cacheMaxBytes: config.queryCacheMaxBytes,
    persistedQueries: config.persistedQueries,
  });
  const overrides = options.serviceUrls ?? {};
  const urlOf = (name: string, url: string | undefined) => overrides[name] ?? url;
  // Observability: tracing (once per process) and this gateway's own metrics registry.
  initTelemetry();
  const metrics = createGatewayMetrics();
  // One keep-alive pool, limit and queue per subgraph (gateway/subgraph-client.ts); closed on stop.
  const clients = new SubgraphClients(config.subgraphCalls, metrics);
  metrics.watchSubgraphLoad(() => clients.load());
  const supergraph = supergraphFromFile(config.supergraphPath, log, options.supergraphPollMs);
  const gateway = new ApolloGateway({
    supergraphSdl: supergraph,
    // Called for each subgraph of every supergraph loaded (again on reload for a new name or URL).
    buildService: ({ name, url }) =>
      new SubgraphDataSource(name, clients.get(name, urlOf(name, url)!), config.subgraphTimeouts[name] ?? config.subgraphTimeoutMs, metrics),
    queryPlannerConfig: { cache: guard.planCache },
    logger: {
      debug: (m) => log.debug(String(m)),
      info: (m) => log.info(String(m)),
      warn: (m) => log.warn(String(m)),
      error: (m) => log.error(String(m)),
    },
  });
  // The services of the supergraph being served, for readiness; refreshed on every reload.
  let services: readonly { name: string; url: string }[] = [];
  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => {
    services = Supergraph.build(coreSupergraphSdl).subgraphsMetadata();
    const unknown = Object.keys(overrides).filter((name) => !services.some((s) => s.name === name));
    if (unknown.length) log.warn('subgraph URL overrides name no subgraph of the supergraph', { subgraphs: unknown });
  });
  const authenticate = await createAuthenticator(config.jwt);
  if (!config.gatewayIdentity.privateKey) throw new Error('the gateway needs GATEWAY_PRIVATE_KEY to sign identities for the subgraphs');
  const signer = await createIdentitySigner(config.gatewayIdentity.privateKey, { cacheMax: config.gatewayIdentity.cacheMax });
  const ide = { endpoint: '/graphql', defaultQuery: EXAMPLE_QUERY };
  // Created before Apollo so its drain plugin can stop it (see platform/http.ts).
  const httpServer = createHttpServer(config.http);
  let draining = false;

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    ...guard.serverOptions,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    // main.ts owns the signals: Apollo's own handlers would re-kill the process mid-drain (exit 143).
    stopOnTerminationSignals: false,
    plugins: [
      drainPlugin(httpServer, config.shutdownTimeoutMs),
      config.production ? ApolloServerPluginLandingPageDisabled() : ideLandingPagePlugin(ide),
      requestLogPlugin(log),
      errorLogPlugin(log),
      ...guard.plugins,
      graphqlMetricsPlugin(metrics),
      overloadPlugin(),
    ],
  });
  await apollo.start();

  const context = async (req: IncomingMessage): Promise<GatewayContext> => {
    const incomingId = req.headers[REQUEST_ID_HEADER];
    const requestId = typeof incomingId === 'string' && /^[\w.-]{1,64}$/.test(incomingId) ? incomingId : randomUUID();
    // The purpose a caller states for the access logs: checked here, forwarded to every subgraph.
    const { purpose, problem } = decodePurpose(req.headers[PURPOSE_HEADER] as string | undefined);
    if (problem) throw new AppError(ErrorCode.BAD_USER_INPUT, problem, { header: PURPOSE_HEADER, http: { status: 400 } });
    try {
      const identity = await authenticate(req.headers.authorization);
      // Per caller, not per request: the signer reuses a (caller, subgraph) header for 45 of its 60 s.
      return { identity, requestId, purpose, internalIdentity: (subgraph: string) => signer.header(identity, subgraph) };
    } catch (error) {
      Object.assign((error as { extensions: Record<string, unknown> }).extensions, { http: { status: 401 } });
      throw error;
    }
  };

  async function readiness() {
    const subgraphs: Record<string, string> = {};
    // Each subgraph's own /ready (its database included), not a GraphQL query: no identity needed.
    await Promise.all(
      services.map(async ({ name, url }) => {
        try {
          const response = await fetch(new URL('ready', urlOf(name, url)!), { signal: AbortSignal.timeout(Math.min(config.subgraphTimeoutMs, 2000)) });
          const body = (await response.json().catch(() => ({}))) as { status?: string; database?: string };
          subgraphs[name] = response.ok ? 'ok' : body.database && body.database !== 'ok' ? `database ${body.database}` : (body.status ?? `HTTP ${response.status}`);
        } catch (error) {
          subgraphs[name] = (error as Error).name === 'TimeoutError' ? 'timeout' : 'unreachable';
        }
      }),
    );
    const ready = !draining && supergraph.loaded() && Object.values(subgraphs).every((s) => s === 'ok');
    return { ready, draining, subgraphs };
  }

  // What the routes beside /graphql (exports, uploads) need to call a subgraph for an authenticated caller.
  const proxied = {
    urlOf: (name: string) => {
      const service = services.find((s) => s.name === name);
      return service && urlOf(name, service.url);
    },
    authenticate: (authorization: string | undefined) => authenticate(authorization),
    identityHeader: (identity: Identity, subgraph: string) => signer.header(identity, subgraph),
    requestId: (req: IncomingMessage) => {
      const incoming = req.headers[REQUEST_ID_HEADER];
      return typeof incoming === 'string' && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    },
  };
  const uploads = uploadsProxy({ ...proxied, maxBytes: config.uploads.maxBytes, log });

  const handler = createHttpHandler<GatewayContext>({
    apollo,
    log,
    context,
    maxBodyBytes: config.http.maxBodyBytes,
    htmlContentSecurityPolicy: config.production ? undefined : ideContentSecurityPolicy(ide),
    routes: {
      '/health': (_req, res) => sendJson(res, 200, { status: 'ok' }),
      // Public keys subgraphs verify x-qinqing-identity with (GATEWAY_JWKS_URL), a department's included.
      '/.well-known/jwks.json': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' });
        res.end(JSON.stringify(signer.jwks));
      },
      '/metrics': metricsRoute(metrics, config.metricsToken),
      // Downloads (CSV, XLSX) of a subgraph, behind the same authentication as /graphql.
      [GATEWAY_EXPORTS_PREFIX]: exportsProxy({ ...proxied, log }),
      // Material uploads and their downloads, streamed to the applications subgraph (docs/uploads.md).
      [GATEWAY_UPLOADS_PATH]: uploads,
      [`${GATEWAY_UPLOADS_PATH}/`]: uploads,
      '/ready': async (_req, res) => {
        // Draining: 503 at once, without asking anybody, so a load balancer stops sending.
        const state = draining ? { ready: false, draining, subgraphs: {} } : await readiness();
        sendJson(res, state.ready ? 200 : 503, { status: state.ready ? 'ready' : 'not ready', ...state });
      },
      ...(config.production
        ? {}
        : {
            [IDE_ASSET_PREFIX]: (req, res) => {
              const asset = ideAsset(new URL(req.url ?? '/', 'http://local').pathname);
              if (!asset) return sendJson(res, 404, { error: 'not found' });
              res.writeHead(200, { 'content-type': asset.contentType, 'cache-control': 'public, max-age=86400' });
              res.end(asset.body);
            },
          }),
    },
  });

  let stopping: Promise<void> | undefined;
  return {
    apollo,
    caches: guard.caches,
    readiness,
    listen: (port, host = config.host) => listen(httpServer, traceRequests('gateway', handler), port, host),
    stop() {
      draining = true;
      return (stopping ??= apollo.stop().finally(() => clients.close()));
    },
  };
}
