import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLFormattedError } from 'graphql';
import type { Config } from '../platform/config';
import { ErrorCode, errorLogPlugin, formatError } from '../platform/errors';
import { createHttpHandler, createHttpServer, drainPlugin, listen, sendJson, type RunningServer } from '../platform/http';
import { REQUEST_ID_HEADER, signInternalIdentity } from '../platform/identity';
import { createLogger, type Logger } from '../platform/logger';
import { createAuthenticator } from './auth';
import type { GatewayContext } from './context';
import { SubgraphDataSource } from './datasource';
import { IDE_ASSET_PREFIX, ideAsset, ideContentSecurityPolicy, ideLandingPagePlugin } from './ide';
import { createLimitRules, DEFAULT_QUERY_LIMITS, type QueryLimits } from './limits';
import { supergraphFromFile } from './supergraph';

export interface ServiceEndpoint {
  name: string;
  url: string;
}

export interface GatewayOptions {
  services: ServiceEndpoint[];
  /** How often the supergraph file is polled for changes. */
  supergraphPollMs?: number;
  log?: Logger;
}

export interface Gateway {
  apollo: ApolloServer<GatewayContext>;
  listen(port: number, host?: string): Promise<RunningServer>;
  /** Supergraph loaded, not draining, and every subgraph's /ready answering 200. */
  readiness(): Promise<{ ready: boolean; draining: boolean; subgraphs: Record<string, string> }>;
  /** Drains (readiness 503 at once, no new connections, requests in flight finish); idempotent. */
  stop(): Promise<void>;
}

const EXAMPLE_QUERY = `# 亲清赣商 · qinqing-hub — 先在下方 Headers 中填入 npm run token 打印的令牌
query 部门目录 {
  departments(regionCode: "360732") {
    code
    shortName
    functions
  }
}
`;

/** graphql-js reports the token limit in English as a parse error; say it like the other limits. */
function formatGatewayError(limits: QueryLimits) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    if (/Document contains more th\w+ \d+ tokens/.test(formatted.message)) {
      return {
        message: `查询过长：超过 ${limits.maxTokens} 个词法单元的上限，请精简查询或拆分为多个请求`,
        extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, limit: 'tokens', max: limits.maxTokens },
      };
    }
    return formatError(formatted, error);
  };
}

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
  const limits: QueryLimits = {
    ...DEFAULT_QUERY_LIMITS,
    ...Object.fromEntries(Object.entries(config.queryLimits).filter(([, v]) => v !== undefined)),
  };
  const endpoints = new Map(options.services.map((s) => [s.name, s.url]));
  const supergraph = supergraphFromFile(config.supergraphPath, log, options.supergraphPollMs);
  const gateway = new ApolloGateway({
    supergraphSdl: supergraph,
    // The committed supergraph carries placeholder URLs; where each subgraph lives is deployment config.
    buildService: ({ name, url }) =>
      new SubgraphDataSource(name, endpoints.get(name) ?? url!, config.subgraphTimeouts[name] ?? config.subgraphTimeoutMs),
    logger: {
      debug: (m) => log.debug(String(m)),
      info: (m) => log.info(String(m)),
      warn: (m) => log.warn(String(m)),
      error: (m) => log.error(String(m)),
    },
  });
  const authenticate = await createAuthenticator(config.jwt);
  const ide = { endpoint: '/graphql', defaultQuery: EXAMPLE_QUERY };
  // Created before Apollo so its drain plugin can stop it (see platform/http.ts).
  const httpServer = createHttpServer(config.http);
  let draining = false;

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError: formatGatewayError(limits),
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    validationRules: createLimitRules(limits),
    parseOptions: { maxTokens: limits.maxTokens },
    // main.ts owns the signals: Apollo's own handlers would re-kill the process mid-drain (exit 143).
    stopOnTerminationSignals: false,
    plugins: [
      drainPlugin(httpServer, config.shutdownTimeoutMs),
      config.production ? ApolloServerPluginLandingPageDisabled() : ideLandingPagePlugin(ide),
      requestLogPlugin(log),
      errorLogPlugin(log),
    ],
  });
  await apollo.start();

  const context = async (req: IncomingMessage): Promise<GatewayContext> => {
    const incomingId = req.headers[REQUEST_ID_HEADER];
    const requestId = typeof incomingId === 'string' && /^[\w.-]{1,64}$/.test(incomingId) ? incomingId : randomUUID();
    try {
      const identity = await authenticate(req.headers.authorization);
      let signed: Promise<string> | undefined;
      return { identity, requestId, internalIdentity: () => (signed ??= signInternalIdentity(identity, config.internalSecret)) };
    } catch (error) {
      Object.assign((error as { extensions: Record<string, unknown> }).extensions, { http: { status: 401 } });
      throw error;
    }
  };

  async function readiness() {
    const subgraphs: Record<string, string> = {};
    // Each subgraph's own /ready (its database included), not a GraphQL query: no identity needed.
    await Promise.all(
      options.services.map(async ({ name, url }) => {
        try {
          const response = await fetch(new URL('/ready', url), { signal: AbortSignal.timeout(Math.min(config.subgraphTimeoutMs, 2000)) });
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

  const handler = createHttpHandler<GatewayContext>({
    apollo,
    log,
    context,
    maxBodyBytes: config.http.maxBodyBytes,
    htmlContentSecurityPolicy: config.production ? undefined : ideContentSecurityPolicy(ide),
    routes: {
      '/health': (_req, res) => sendJson(res, 200, { status: 'ok' }),
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
    readiness,
    listen: (port, host = config.host) => listen(httpServer, handler, port, host),
    stop() {
      draining = true;
      return (stopping ??= apollo.stop());
    },
  };
}
