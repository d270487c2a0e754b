import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { request } from 'undici';
import { ErrorCode } from '../platform/errors';
import { sendJson } from '../platform/http';
import type { Identity } from '../platform/identity';
import { IDENTITY_HEADER, REQUEST_ID_HEADER } from '../platform/identity';
import type { Logger } from '../platform/logger';
import { PURPOSE_HEADER, purposeProblem } from '../platform/purpose';

/** `POST /uploads` and `GET /uploads/<id>` at the gateway go to this subgraph's same paths. */
export const UPLOADS_SUBGRAPH = 'applications';
export const GATEWAY_UPLOADS_PATH = '/uploads';
const DOWNLOAD_PATH = /^\/uploads\/([A-Za-z0-9-]{1,64})$/;
/** What of the caller's request reaches the subgraph besides the body (the file name, percent-encoded). */
const FORWARDED_HEADERS = ['x-file-name'];
/** What of the subgraph's response reaches the caller. */
const PASSED_HEADERS = ['content-type', 'content-length', 'content-disposition', 'cache-control'];

class TooLarge extends Error {}

/**
 * Material uploads beside the graph. The caller is authenticated exactly as for /graphql (and must
 * be someone: the public uploads nothing), the body is streamed to the subgraph — never held in
 * memory — with an identity signed for that subgraph alone, and counted on the way: past
 * UPLOAD_MAX_BYTES the gateway stops forwarding and answers 413 itself. The subgraph checks the
 * bytes, authorizes and stores (subgraphs/kit/uploads); its answer is passed through.
 */
export function uploadsProxy(options: {
  /** The URL of a subgraph of the supergraph being served, or undefined. */
  urlOf(subgraph: string): string | undefined;
  authenticate(authorization: string | undefined): Promise<Identity>;
  identityHeader(identity: Identity, subgraph: string): Promise<string>;
  requestId(req: IncomingMessage): string;
  maxBytes: number;
  log: Logger;
}) {
  const tooLarge = (res: ServerResponse) => {
    // The rest of the body is not read: the connection goes (as platform/http.ts does for /graphql).
    res.setHeader('connection', 'close');
    sendJson(res, 413, {
      errors: [{ message: `文件过大：超过 ${options.maxBytes} 字节的上限（UPLOAD_MAX_BYTES），请压缩或拆分后重新上传`, extensions: { code: ErrorCode.PAYLOAD_TOO_LARGE, max: options.maxBytes } }],
    });
  };
  /** A refusal before the body is read: the connection is closed rather than the body drained. */
  const refuse = (res: ServerResponse, upload: boolean, status: number, code: string, message: string) => {
    if (upload) res.setHeader('connection', 'close');
    sendJson(res, status, { errors: [{ message, extensions: { code } }] });
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://local');
    const download = DOWNLOAD_PATH.exec(url.pathname);
    const upload = url.pathname === GATEWAY_UPLOADS_PATH;
    const base = options.urlOf(UPLOADS_SUBGRAPH);
    if ((!upload && !download) || !base) return sendJson(res, 404, { error: 'not found' });
    const method = upload ? 'POST' : 'GET';
    if (req.method !== method) {
      res.setHeader('allow', method);
      return sendJson(res, 405, { error: 'method not allowed' });
    }
    let identity: Identity;
    try {
      identity = await options.authenticate(req.headers.authorization);
    } catch (error) {
      const { message, extensions } = error as { message: string; extensions?: { code?: string } };
      return refuse(res, upload, 401, extensions?.code ?? ErrorCode.UNAUTHENTICATED, message);
    }
    if (!identity.role) return refuse(res, upload, 401, ErrorCode.UNAUTHENTICATED, '上传和下载材料需要登录：请在 Authorization 头中携带 Bearer 令牌');
    const purpose = req.headers[PURPOSE_HEADER];
    if (typeof purpose === 'string' && purposeProblem(purpose)) return refuse(res, upload, 400, ErrorCode.BAD_USER_INPUT, purposeProblem(purpose)!);
    if (upload && Number(req.headers['content-length'] ?? 0) > options.maxBytes) return tooLarge(res);

    const requestId = options.requestId(req);
    const started = process.hrtime.bigint();
    const abort = new AbortController();
    // The caller went away: the subgraph's request is cut too (it keeps nothing of a broken upload).
    res.on('close', () => abort.abort());
    let forwarded = 0;
    let overLimit = false;
    const maxBytes = options.maxBytes;
    async function* counted(): AsyncGenerator<Buffer> {
      for await (const chunk of req.iterator({ destroyOnReturn: false })) {
        forwarded += (chunk as Buffer).length;
        if (forwarded > maxBytes) {
          overLimit = true;
          throw new TooLarge();
        }
        yield chunk as Buffer;
      }
    }
    const headers: Record<string, string> = {
      [IDENTITY_HEADER]: await options.identityHeader(identity, UPLOADS_SUBGRAPH),
      [REQUEST_ID_HEADER]: requestId,
      ...(typeof purpose === 'string' ? { [PURPOSE_HEADER]: purpose } : {}),
    };
    for (const name of FORWARDED_HEADERS) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const path = upload ? `${GATEWAY_UPLOADS_PATH}${url.search}` : url.pathname;
    let status: number | undefined;
    try {
      const upstream = await request(new URL(path, base), {
        method,
        headers: upload ? { ...headers, 'content-type': 'application/octet-stream' } : headers,
        body: upload ? Readable.from(counted(), { objectMode: false }) : undefined,
        signal: abort.signal,
      });
      status = upstream.statusCode;
      res.statusCode = upstream.statusCode;
      for (const name of PASSED_HEADERS) {
        const value = upstream.headers[name];
        if (typeof value === 'string') res.setHeader(name, value);
      }
      res.setHeader(REQUEST_ID_HEADER, requestId);
      await pipeline(upstream.body, res);
    } catch (error) {
      if (overLimit && !res.headersSent) {
        status = 413;
        return tooLarge(res);
      }
      if (abort.signal.aborted) return;
      options.log.warn('upload proxy failed', { requestId, method, error });
      if (res.headersSent) return void res.destroy();
      status = 502;
      if (upload) res.setHeader('connection', 'close');
      sendJson(res, 502, { errors: [{ message: `子图 ${UPLOADS_SUBGRAPH} 暂时无法处理上传或下载，请稍后重试`, extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: UPLOADS_SUBGRAPH } }] });
    } finally {
      // The subgraph answered before the whole body came (a refusal): the rest is read and
      // dropped so the caller sees the answer, up to the limit; past it the connection goes.
      if (upload && !req.complete && !req.destroyed && !res.hasHeader('connection')) {
        req.on('data', (chunk: Buffer) => {
          forwarded += chunk.length;
          if (forwarded > maxBytes) req.destroy();
        });
        req.resume();
      }
      options.log.info(upload ? 'upload' : 'download', {
        requestId,
        role: identity.role,
        status,
        ...(upload ? { bytes: forwarded } : {}),
        ms: Number(process.hrtime.bigint() - started) / 1e6,
      });
    }
  };
}
