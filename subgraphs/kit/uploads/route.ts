import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Counter, type Registry } from 'prom-client';
import { AppError, ErrorCode, safeForLog, unauthenticated } from '../../../platform/errors';
import { sendJson } from '../../../platform/http';
import { IDENTITY_HEADER, REQUEST_ID_HEADER } from '../../../platform/identity';
import type { Logger } from '../../../platform/logger';
import { PURPOSE_HEADER } from '../../../platform/purpose';
import { runInMutationScope } from '../audit-trail';
import type { Context } from '../subgraph';
import { readFileName } from './file-name';
import { DETECTED_LABEL, isOfdPackage, MaterialMediaType, SNIFF_HEAD_BYTES, sniffHead, type Detected } from './sniff';
import { payloadTooLarge, type BlobStorage } from './storage';
import type { UploadsDefinition } from './types';

/** `POST /uploads` (store) and `GET /uploads/<id>` (download) of a subgraph; the gateway proxies both. */
export const UPLOADS_PATH = '/uploads';

const STATUS_OF_CODE: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  INVALID_CREDIT_CODE: 400,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
};

const ALL_TYPES = Object.values(MaterialMediaType);
const TYPE_NAMES: Record<MaterialMediaType, string> = {
  'application/pdf': 'PDF',
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'application/ofd': 'OFD',
};

/** `detected`: what the bytes are — something else, or a material type this endpoint does not take. */
export function unsupportedType(detected: Detected | MaterialMediaType, accepted: readonly MaterialMediaType[]): AppError {
  const allowed = accepted.map((t) => TYPE_NAMES[t]).join('、');
  const label = detected in TYPE_NAMES ? TYPE_NAMES[detected as MaterialMediaType] : DETECTED_LABEL[detected as Detected];
  const what = detected === 'empty' ? '文件为空（0 字节）' : `文件内容是${label}`;
  return new AppError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, `不支持的文件类型：${what}。请上传 ${allowed} 格式的材料（按文件内容判断，与扩展名无关）`, {
    detected,
    accepted: [...accepted],
  });
}

export interface UploadMetrics {
  uploads: Counter<'outcome'>;
  bytes: Counter<never>;
  downloads: Counter<'outcome'>;
}

export function createUploadMetrics(registry: Registry): UploadMetrics {
  const registers = [registry];
  return {
    uploads: new Counter({
      name: 'qinqing_uploads_total',
      help: 'POST /uploads by outcome: stored, duplicate (content kept already), or the refusal code',
      labelNames: ['outcome'],
      registers,
    }),
    bytes: new Counter({ name: 'qinqing_upload_bytes_total', help: 'Bytes of uploads accepted (duplicates included)', registers }),
    downloads: new Counter({ name: 'qinqing_upload_downloads_total', help: 'GET /uploads/<id> by outcome: sent or the refusal code', labelNames: ['outcome'], registers }),
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** RFC 6266 / 8187: an ASCII fallback for old clients and the exact UTF-8 name. */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

const codeOf = (error: unknown): string => {
  const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
  return typeof code === 'string' && STATUS_OF_CODE[code] ? code : ErrorCode.INTERNAL_SERVER_ERROR;
};

/**
 * The kit's upload route for a definition with `uploads`. Everything a caller can get wrong is
 * refused with a coded JSON error before anything is kept; the body of a refused upload is read
 * and discarded rather than the connection closed, so the gateway streaming it sees the answer
 * (it bounds what can arrive by UPLOAD_MAX_BYTES). Callers without a gateway-signed identity get
 * 401 and a closed connection at once.
 */
export function uploadsRoute(options: {
  uploads: UploadsDefinition<any, any>;
  contextFor(headers: Record<string, string | undefined>): Promise<Context<any>>;
  storage: BlobStorage;
  maxBytes: number;
  metrics: UploadMetrics;
  log: Logger;
  /** After a response: writes the request's buffered access events (kit/access.ts). */
  finish(context: Context<any>): Promise<void>;
}) {
  const { uploads, storage, maxBytes, metrics, log } = options;
  const accepted = uploads.mediaTypes ?? ALL_TYPES;
  /** Writes what the request buffered for the access log; a failure is logged, not shown (kit/server.ts does the same). */
  const finish = (context: Context<any>) => options.finish(context).catch((error) => log.error('access log: events not written', { error, requestId: context.requestId }));

  async function store(req: IncomingMessage, res: ServerResponse, url: URL, context: Context<any>): Promise<void> {
    // Told up front: refused before a byte is read.
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBytes) throw payloadTooLarge(maxBytes);
    const fileName = readFileName(req, url.searchParams);
    const authorized = await uploads.authorize({ query: url.searchParams, fileName, context });
    let mediaType: MaterialMediaType | undefined;
    let zip = false;
    const stored = await storage.put(req.iterator({ destroyOnReturn: false }), {
      maxBytes,
      headBytes: SNIFF_HEAD_BYTES,
      // Refused at the first bytes: an executable is not streamed to the end first.
      onHead(head) {
        const sniffed = sniffHead(head);
        if ('refused' in sniffed) throw unsupportedType(sniffed.refused, accepted);
        if ('zip' in sniffed) zip = true;
        else mediaType = sniffed.mediaType;
        if (mediaType && !accepted.includes(mediaType)) throw unsupportedType(mediaType, accepted);
      },
      async accept(blob) {
        if (!zip) return;
        if (!accepted.includes(MaterialMediaType.OFD) || !(await isOfdPackage(blob.size, blob.readAt))) throw unsupportedType('zip', accepted);
        mediaType = MaterialMediaType.OFD;
      },
    });
    const upload = { ...stored, mediaType: mediaType!, fileName };
    const body = await runInMutationScope({ identity: context.identity, action: uploads.action, requestId: context.requestId, traceId: context.traceId }, () =>
      uploads.record({ upload, authorized, context }),
    );
    metrics.uploads.inc({ outcome: stored.created ? 'stored' : 'duplicate' });
    metrics.bytes.inc(stored.size);
    context.log.info('upload stored', { role: context.identity.role, size: stored.size, mediaType, sha256: stored.sha256, created: stored.created, id: body.id });
    sendJson(res, 201, body);
  }

  async function serve(res: ServerResponse, id: string, context: Context<any>): Promise<void> {
    if (!uploads.find) throw new AppError(ErrorCode.NOT_FOUND, '此子图不提供材料下载');
    const found = await uploads.find({ id, context });
    // The same answer for an id that does not exist and one the caller may not read.
    if (!found) throw new AppError(ErrorCode.NOT_FOUND, '未找到该材料，或您无权查看');
    const { stream, size } = await storage.open(found.key);
    // The read is in the access log before a byte of the document leaves (as GraphQL reads are).
    await finish(context);
    res.writeHead(200, {
      'content-type': found.mediaType,
      'content-length': size,
      'content-disposition': contentDisposition(found.fileName),
      // An enterprise's documents: never kept by a shared cache.
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    });
    metrics.downloads.inc({ outcome: 'sent' });
    await pipeline(stream, res);
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://local');
    const id = url.pathname.startsWith(`${UPLOADS_PATH}/`) ? url.pathname.slice(UPLOADS_PATH.length + 1) : undefined;
    const method = id === undefined ? 'POST' : 'GET';
    if (id === '' || (id !== undefined && id.includes('/'))) return sendJson(res, 404, { error: 'not found' });
    if (req.method !== method) {
      res.setHeader('allow', method);
      return sendJson(res, 405, { error: 'method not allowed' });
    }
    let context: Context<any> | undefined;
    try {
      try {
        context = await options.contextFor({
          [REQUEST_ID_HEADER]: header(req, REQUEST_ID_HEADER),
          [IDENTITY_HEADER]: header(req, IDENTITY_HEADER),
          [PURPOSE_HEADER]: header(req, PURPOSE_HEADER),
        });
      } catch (error) {
        // Not sent by the gateway: nothing of the body is read, the connection is closed.
        log.warn('refused upload request with invalid identity', { requestId: header(req, REQUEST_ID_HEADER), reason: (error as Error).message });
        res.setHeader('connection', 'close');
        throw error;
      }
      if (!context.identity.role) throw unauthenticated('上传和下载材料需要登录');
      if (id === undefined) await store(req, res, url, context);
      else await serve(res, id, context);
    } catch (error) {
      const code = codeOf(error);
      (id === undefined ? metrics.uploads : metrics.downloads).inc({ outcome: code });
      if (code === ErrorCode.INTERNAL_SERVER_ERROR) log.error(id === undefined ? 'upload failed' : 'download failed', { requestId: context?.requestId, error: safeForLog(error) });
      if (res.headersSent) return void res.destroy();
      // The rest of a refused body is read and dropped (see above); a closed connection stays closed.
      if (!req.complete && !res.hasHeader('connection')) req.resume();
      const { message, extensions = {} } = error as { message: string; extensions?: Record<string, unknown> };
      const { http: _http, ...details } = extensions;
      sendJson(res, STATUS_OF_CODE[code] ?? 500, {
        errors: [{ message: code === ErrorCode.INTERNAL_SERVER_ERROR ? '上传或下载失败，请稍后重试；如持续出现请联系平台运维并提供请求编号' : message, extensions: code === ErrorCode.INTERNAL_SERVER_ERROR ? { code } : { ...details, code } }],
      });
    } finally {
      if (context) await finish(context);
    }
  };
}
