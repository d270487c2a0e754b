import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { link, mkdir, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { AppError, ErrorCode } from '../../../platform/errors';

/**
 * Where uploaded files live: content-addressed (the key is the SHA-256 of the bytes, so the same
 * content is kept once however often it is uploaded) behind an interface small enough for an
 * object store (MinIO, OSS) to take the local disk's place.
 */
export interface BlobStorage {
  /**
   * Streams `source` in, hashing it on the way, and keeps it under its SHA-256. Nothing becomes
   * visible until the whole content arrived and `accept` (if given) returned: a refusal, an
   * oversized body or a broken connection leaves nothing behind.
   */
  put(source: AsyncIterable<Buffer | Uint8Array>, options: PutOptions): Promise<StoredBlob>;
  /** The content under `key`; NOT_FOUND when there is none. */
  open(key: string): Promise<{ stream: Readable; size: number }>;
  exists(key: string): Promise<boolean>;
}

export interface PutOptions {
  /** More bytes than this: PAYLOAD_TOO_LARGE, raised as soon as the limit is passed (nothing kept). */
  maxBytes: number;
  /** Called once with the first `headBytes` bytes (fewer when the content is shorter): refuse early by throwing. */
  onHead?(head: Buffer): void | Promise<void>;
  headBytes?: number;
  /** Called with the complete content before it is kept: refuse by throwing. */
  accept?(blob: StagedBlob): void | Promise<void>;
}

export interface StagedBlob {
  sha256: string;
  size: number;
  head: Buffer;
  /** Random access to the staged content (e.g. a zip's central directory). */
  readAt(position: number, length: number): Promise<Buffer>;
}

export interface StoredBlob {
  /** Content address: the lower-case hex SHA-256. */
  key: string;
  sha256: string;
  size: number;
  /** False when the same content was already kept (it is then not written again). */
  created: boolean;
}

const KEY = /^[0-9a-f]{64}$/;
/** Staged files older than this are leftovers of a crash; removed when storage opens. */
const STALE_STAGED_MS = 60 * 60 * 1000;

export function payloadTooLarge(max: number): AppError {
  return new AppError(ErrorCode.PAYLOAD_TOO_LARGE, `文件过大：超过 ${formatBytes(max)} 的上限（UPLOAD_MAX_BYTES），请压缩或拆分后重新上传`, { max });
}

export function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 20) return `${Math.round((bytes / 2 ** 20) * 10) / 10} MiB`;
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KiB`;
  return `${bytes} 字节`;
}

/**
 * The default: files under `dir` as `<dir>/<ab>/<sha256>`, staged in `<dir>/tmp/` (same
 * filesystem, so making one visible is one atomic link or rename: never a half file under a key).
 */
export class LocalDiskStorage implements BlobStorage {
  private readonly staging: string;
  private prepared = false;

  constructor(readonly dir: string) {
    this.staging = join(dir, 'tmp');
  }

  /** Created on the first upload, not at start: a subgraph nobody uploads to leaves no folder. */
  private prepare(): void {
    if (this.prepared) return;
    mkdirSync(this.staging, { recursive: true, mode: 0o700 });
    this.removeStale();
    this.prepared = true;
  }

  pathOf(key: string): string {
    if (!KEY.test(key)) throw new AppError(ErrorCode.NOT_FOUND, '未找到文件', { key: key.slice(0, 64) });
    return join(this.dir, key.slice(0, 2), key);
  }

  async put(source: AsyncIterable<Buffer | Uint8Array>, options: PutOptions): Promise<StoredBlob> {
    this.prepare();
    const staged = join(this.staging, `${randomUUID()}.part`);
    const hash = createHash('sha256');
    const headBytes = options.headBytes ?? 0;
    let file: FileHandle | undefined;
    let size = 0;
    let head = Buffer.alloc(0);
    let headSeen = !options.onHead;
    let kept = false;
    try {
      // Read back by `accept` (a zip's directory) before it is kept.
      file = await open(staged, 'wx+', 0o600);
      for await (const piece of source) {
        const chunk = Buffer.isBuffer(piece) ? piece : Buffer.from(piece);
        size += chunk.length;
        if (size > options.maxBytes) throw payloadTooLarge(options.maxBytes);
        if (head.length < headBytes) head = Buffer.concat([head, chunk.subarray(0, headBytes - head.length)]);
        if (!headSeen && head.length >= headBytes) {
          headSeen = true;
          await options.onHead!(head);
        }
        hash.update(chunk);
        await file.write(chunk);
      }
      if (!headSeen) await options.onHead!(head);
      const sha256 = hash.digest('hex');
      const handle = file;
      await options.accept?.({
        sha256,
        size,
        head,
        readAt: async (position, length) => {
          const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - position)));
          await handle.read(buffer, 0, buffer.length, position);
          return buffer;
        },
      });
      // On disk before it is visible under its key.
      await file.sync();
      await file.close();
      file = undefined;
      const target = this.pathOf(sha256);
      await mkdir(join(this.dir, sha256.slice(0, 2)), { recursive: true, mode: 0o700 });
      const created = await this.publish(staged, target);
      kept = created;
      return { key: sha256, sha256, size, created };
    } finally {
      await file?.close().catch(() => undefined);
      if (!kept) await unlink(staged).catch(() => undefined);
    }
  }

  /**
   * Makes the staged file visible under its key: a hard link fails if the key exists (the same
   * content, kept once; concurrent uploads of it agree on one file), then the staged name goes.
   */
  private async publish(staged: string, target: string): Promise<boolean> {
    try {
      await link(staged, target);
      await unlink(staged);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      // A filesystem without hard links: rename (atomic; over an identical file at worst).
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS') {
        if (await this.exists(target.slice(-64))) return false;
        await rename(staged, target);
        return true;
      }
      throw error;
    }
  }

  async open(key: string): Promise<{ stream: Readable; size: number }> {
    const path = this.pathOf(key);
    const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new AppError(ErrorCode.NOT_FOUND, '未找到文件', { key });
      throw error;
    });
    const { size } = await handle.stat();
    return { stream: createReadStream('', { fd: handle, autoClose: true }), size };
  }

  async exists(key: string): Promise<boolean> {
    if (!KEY.test(key)) return false;
    return stat(this.pathOf(key)).then(
      (s) => s.isFile(),
      () => false,
    );
  }

  /** Staged files a crash left behind (a live upload's file is younger than this). */
  private removeStale(): void {
    const now = Date.now();
    for (const name of readdirSync(this.staging)) {
      const path = join(this.staging, name);
      try {
        if (now - statSync(path).mtimeMs > STALE_STAGED_MS) unlinkSync(path);
      } catch {
        // Gone already (another replica cleaned it): nothing to do.
      }
    }
  }
}
