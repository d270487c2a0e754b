import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { DEFAULT_HTTP_LIMITS, StartupError, type HttpLimits } from './config';
import { ErrorCode } from './errors';
import type { Logger } from './logger';

export type Route = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface HttpServerOptions<C extends BaseContext> {
  apollo: ApolloServer<C>;
  /** Builds the per-request context; may throw a GraphQLError (e.g. 401 for a bad identity). */
  context: (req: IncomingMessage) => Promise<C>;
  /** Extra routes by exact path (or prefix ending in '/'): /health, /ready, IDE assets. */
  routes?: Record<string, Route>;
  graphqlPath?: string;
  log: Logger;
  /** A number, or decided per request from its headers before a byte of the body is read. */
  maxBodyBytes?: number | ((req: IncomingMessage) => Promise<number>);
  /** The Content-Security-Policy of HTML pages (the gateway's IDE); everything else gets NO_CONTENT_POLICY. */
  htmlContentSecurityPolicy?: string;
}

export interface RunningServer {
  server: Server;
  url: string;
  port: number;
  /** Stops at once, cutting open connections (tests simulating a crash); graceful stop is Apollo's drain. */
  close(): Promise<void>;
}

/** JSON and assets load nothing and may not be framed. */
const NO_CONTENT_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** On every response of every server in the graph, health checks and 404s included. */
function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('content-security-policy', NO_CONTENT_POLICY);
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/**
 * `application/json`, any letter case, with or without parameters (`; charset=utf-8`). Only the
 * media type before the first `;` counts: `application/jsonx` and `text/plain; application/json` are not JSON.
 */
export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(';', 1)[0].trim().toLowerCase() === 'application/json';
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const tooLarge = (max: number) =>
  new HttpError(413, ErrorCode.PAYLOAD_TOO_LARGE, `请求体过大：超过 ${max} 字节的上限，请精简查询或分批提交`, { max });

async function readBody(req: IncomingMessage, max: number): Promise<string> {
  // Refused before reading when the client says up front how much it will send.
  if (Number(req.headers['content-length'] ?? 0) > max) throw tooLarge(max);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw tooLarge(max);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A small Node http binding for Apollo Server (what `@as-integrations/*` packages do), shared by
 * the gateway and every subgraph so both answer health checks, limits and errors the same way.
 */
export function createHttpHandler<C extends BaseContext>(options: HttpServerOptions<C>) {
  const graphqlPath = options.graphqlPath ?? '/graphql';
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_HTTP_LIMITS.maxBodyBytes;
  const routes = Object.entries(options.routes ?? {});
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://local');
    setSecurityHeaders(res);
    try {
      const route = routes.find(([path]) => (path.endsWith('/') ? url.pathname.startsWith(path) : url.pathname === path));
      if (route) return await route[1](req, res);
      if (url.pathname !== graphqlPath) return sendJson(res, 404, { error: 'not found', graphql: graphqlPath });

      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      const raw = req.method === 'POST' ? await readBody(req, typeof maxBodyBytes === 'number' ? maxBodyBytes : await maxBodyBytes(req)) : '';
      let body: unknown = raw;
      // Anything else stays a string, which Apollo refuses with 400 (and CSRF prevention sees the type).
      if (raw && isJsonContentType(headers.get('content-type'))) {
        try {
          body = JSON.parse(raw);
        } catch {
          return sendJson(res, 400, { errors: [{ message: '请求体不是合法的 JSON', extensions: { code: 'BAD_REQUEST' } }] });
        }
      }
      const result = await options.apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
        context: () => options.context(req),
      });
      for (const [key, value] of result.headers) res.setHeader(key, value);
      if (options.htmlContentSecurityPolicy && /^text\/html/i.test(result.headers.get('content-type') ?? '')) {
        res.setHeader('content-security-policy', options.htmlContentSecurityPolicy);
      }
      res.statusCode = result.status ?? 200;
      if (result.body.kind === 'complete') {
        res.end(result.body.string);
      } else {
        for await (const chunk of result.body.asyncIterator) res.write(chunk);
        res.end();
      }
    } catch (error) {
      const known = error instanceof HttpError ? error : undefined;
      if (!known) options.log.error('request failed', { error });
      if (!res.headersSent) {
        // The rest of an oversized body is not read: close the connection rather than drain it.
        if (known?.status === 413) res.setHeader('connection', 'close');
        sendJson(res, known?.status ?? 500, {
          errors: [
            known
              ? { message: known.message, extensions: { code: known.code, ...known.extensions } }
              : { message: '服务内部错误', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } },
          ],
        });
      } else {
        res.end();
      }
    }
  };
}

/**
 * A Node server with the graph's timeouts, not yet listening, so that Apollo's drain plugin can
 * be given it before the ApolloServer exists (see drainPlugin).
 */
export function createHttpServer(limits: HttpLimits = DEFAULT_HTTP_LIMITS): Server {
  const server = createServer({
    requestTimeout: limits.requestTimeoutMs,
    headersTimeout: limits.headersTimeoutMs,
    // Node checks the two timeouts above only this often (30 s by default).
    connectionsCheckingInterval: Math.min(30_000, Math.max(100, Math.floor(Math.min(limits.requestTimeoutMs, limits.headersTimeoutMs) / 4))),
  });
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  return server;
}

/**
 * Apollo's drain: on `apollo.stop()` the server stops listening, idle keep-alive sockets are
 * closed, requests in flight finish, and after `graceMs` the rest are cut.
 */
export function drainPlugin(server: Server, graceMs: number): ApolloServerPlugin<any> {
  return ApolloServerPluginDrainHttpServer({ httpServer: server, stopGracePeriodMillis: graceMs });
}

/** Listens on `port` (0 picks a free one, as tests do) and resolves once it accepts connections. */
export async function listen(server: Server, handler: RequestListener, port: number, host: string, path = '/graphql'): Promise<RunningServer> {
  server.on('request', handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      // main.ts names the setting (PORT or SUBGRAPH_PORT_BASE); this says what is wrong with it.
      reject(error.code === 'EADDRINUSE' ? new StartupError('PORT', `${port} is already in use on ${host}`) : error);
    });
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  // An address, not `localhost`: Node may resolve that to ::1 while we listen on IPv4.
  const shownHost = host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    server,
    port: actual,
    url: `http://${shownHost}:${actual}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Resolves with `check()`'s value, or rejects with a TimeoutError after `ms`. For /ready probes. */
export async function withTimeout<T>(check: () => Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error(`timed out after ${ms} ms`), { name: 'TimeoutError' })), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
