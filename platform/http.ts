import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import type { Logger } from './logger';

/** Larger bodies are refused before parsing: a GraphQL request has no business being megabytes. */
const MAX_BODY_BYTES = 1_000_000;

export type Route = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface HttpServerOptions<C extends BaseContext> {
  apollo: ApolloServer<C>;
  /** Builds the per-request context; may throw a GraphQLError (e.g. 401 for a bad identity). */
  context: (req: IncomingMessage) => Promise<C>;
  /** Extra routes by exact path (or prefix ending in '/'): /health, /ready, IDE assets. */
  routes?: Record<string, Route>;
  graphqlPath?: string;
  log: Logger;
}

export interface RunningServer {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw Object.assign(new Error('body too large'), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A small Node http binding for Apollo Server (what `@as-integrations/*` packages do), shared by
 * the gateway and every subgraph so both answer health checks and errors the same way.
 */
export function createHttpHandler<C extends BaseContext>(options: HttpServerOptions<C>) {
  const graphqlPath = options.graphqlPath ?? '/graphql';
  const routes = Object.entries(options.routes ?? {});
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://local');
    try {
      const route = routes.find(([path]) => (path.endsWith('/') ? url.pathname.startsWith(path) : url.pathname === path));
      if (route) return await route[1](req, res);
      if (url.pathname !== graphqlPath) return sendJson(res, 404, { error: 'not found', graphql: graphqlPath });

      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      const raw = req.method === 'POST' ? await readBody(req) : '';
      let body: unknown = raw;
      if (raw && (headers.get('content-type') ?? '').includes('application/json')) {
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
      res.statusCode = result.status ?? 200;
      if (result.body.kind === 'complete') {
        res.end(result.body.string);
      } else {
        for await (const chunk of result.body.asyncIterator) res.write(chunk);
        res.end();
      }
    } catch (error) {
      const status = (error as { status?: number }).status ?? 500;
      if (status >= 500) options.log.error('request failed', { error });
      if (!res.headersSent) {
        sendJson(res, status, { errors: [{ message: status === 413 ? '请求体过大' : '服务内部错误', extensions: { code: status === 413 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR' } }] });
      } else {
        res.end();
      }
    }
  };
}

/** Listens on `port` (0 picks a free one, as tests do) and resolves once it accepts connections. */
export async function listen(handler: RequestListener, port: number, host: string, path = '/graphql'): Promise<RunningServer> {
  const server = createServer(handler);
  // Keep-alive sockets from the gateway would otherwise hold close() open.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
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
