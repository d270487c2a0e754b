import type { Context } from '../subgraph';
import type { MaterialMediaType } from './sniff';

/** What the kit received, checked and stored for one `POST /uploads`. */
export interface ReceivedUpload {
  /** The storage key (content address). */
  key: string;
  /** Lower-case hex SHA-256 of the bytes, computed while they streamed in. */
  sha256: string;
  size: number;
  /** From the bytes (kit/uploads/sniff.ts), never from the name or the client's Content-Type. */
  mediaType: MaterialMediaType;
  /** Checked (kit/uploads/file-name.ts) and trimmed. */
  fileName: string;
  /** False when the same content was stored already (kept once). Not for the caller: it would tell them someone else has the file. */
  created: boolean;
}

/** What `GET /uploads/<id>` sends, once the reader is authorized. */
export interface UploadToServe {
  key: string;
  mediaType: string;
  fileName: string;
}

/**
 * A subgraph's upload endpoint (`POST /uploads`, `GET /uploads/<id>`; the gateway proxies the
 * same paths to the subgraph named by UPLOADS_SUBGRAPH). The kit verifies the gateway-signed
 * identity, reads and checks the file name, enforces UPLOAD_MAX_BYTES while streaming, hashes,
 * sniffs the type from the bytes and stores the content (kit/uploads/storage.ts); the definition
 * decides who may upload what and records it. See docs/uploads.md.
 */
export interface UploadsDefinition<L = unknown, A = unknown> {
  /** The audit trail's action for `record`'s changes, e.g. 'uploadMaterial'. */
  action: string;
  /** Types taken; default every MaterialMediaType. */
  mediaTypes?: readonly MaterialMediaType[];
  /**
   * Before a byte of the body is read: may this caller upload this file here? Throws to refuse
   * (FORBIDDEN, BAD_USER_INPUT …). Returns what `record` needs (e.g. the enterprise it is for).
   */
  authorize(request: { query: URLSearchParams; fileName: string; context: Context<L> }): Promise<A> | A;
  /**
   * The content is stored: write its record and return the JSON answer (sent with 201). Runs in
   * the mutation scope, so what it flushes lands in the audit trail.
   */
  record(request: { upload: ReceivedUpload; authorized: A; context: Context<L> }): Promise<Record<string, unknown>>;
  /** `GET /uploads/<id>`: authorize the reader and name the content; null when unknown or not theirs to read (404 either way). */
  find?(request: { id: string; context: Context<L> }): Promise<UploadToServe | null>;
}
