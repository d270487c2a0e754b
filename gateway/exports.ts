import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Identity } from '../platform/identity';
import { IDENTITY_HEADER, REQUEST_ID_HEADER } from '../platform/identity';
import { sendJson } from '../platform/http';
import type { Logger } from '../platform/logger';
import { PURPOSE_HEADER, purposeProblem } from '../platform/purpose';

/** `GET /exports/<subgraph>/<name>` at the gateway → `GET /exports/<name>` of that subgraph. */
export const GATEWAY_EXPORTS_PREFIX = '/exports/';
const EXPORT_PATH = /^\/exports\/([a-z][a-z0-9-]{0,62})\/([A-Za-z0-9][A-Za-z0-9._-]{0,99})$/;
/** What of the subgraph's response reaches the caller. */
const PASSED_HEADERS = ['content-type', 'content-disposition', 'cache-control'];

/**
 * Downloads (CSV, later XLSX) through the gateway: the caller is authenticated exactly as for
 * /graphql, the identity is signed for the one subgraph named in the path, and the subgraph's
 * response is streamed through unchanged (status, type, body). The subgraph authorizes.
 */
export function exportsProxy(options: {
  /** The URL of a subgraph of the supergraph being served, or undefined. */
  urlOf(subgraph: string): string | undefined;
  authenticate(authorization: string | undefined): Promise<Identity>;
  identityHeader(identity: Identity, subgraph: string): Promise<string>;
  requestId(req: IncomingMessage): string;
  log: Logger;
}) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://local');
    const match = EXPORT_PATH.exec(url.pathname);
    const base = match && options.urlOf(match[1]);
    if (!match || !base) return sendJson(res, 404, { error: 'not found' });
    if (req.method !== 'GET') {
      res.setHeader('allow', 'GET');
      return sendJson(res, 405, { error: 'method not allowed' });
    }
    const [, subgraph, name] = match;
    let identity: Identity;
    try {
      identity = await options.authenticate(req.headers.authorization);
    } catch (error) {
      const { message, extensions } = error as { message: string; extensions?: { code?: string } };
      return sendJson(res, 401, { errors: [{ message, extensions: { code: extensions?.code ?? 'UNAUTHENTICATED' } }] });
    }
    const purpose = req.headers[PURPOSE_HEADER];
    if (typeof purpose === 'string' && purposeProblem(purpose)) {
      return sendJson(res, 400, { errors: [{ message: purposeProblem(purpose), extensions: { code: 'BAD_USER_INPUT' } }] });
    }
    const requestId = options.requestId(req);
    // Cut the subgraph's stream when the caller goes away.
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    try {
      const upstream = await fetch(new URL(`/exports/${name}${url.search}`, base), {
        headers: {
          [IDENTITY_HEADER]: await options.identityHeader(identity, subgraph),
          [REQUEST_ID_HEADER]: requestId,
          ...(typeof purpose === 'string' ? { [PURPOSE_HEADER]: purpose } : {}),
        },
        signal: abort.signal,
      });
      res.statusCode = upstream.status;
      for (const header of PASSED_HEADERS) {
        const value = upstream.headers.get(header);
        if (value) res.setHeader(header, value);
      }
      if (!upstream.body) return void res.end();
      await pipeline(Readable.fromWeb(upstream.body as import('node:stream/web').ReadableStream), res);
    } catch (error) {
      if (abort.signal.aborted) return;
      options.log.warn('export proxy failed', { subgraph, export: name, requestId, error });
      if (res.headersSent) return void res.destroy();
      sendJson(res, 502, { errors: [{ message: `子图 ${subgraph} 暂时无法提供导出`, extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }] });
    }
  };
}
