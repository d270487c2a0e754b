import type { EntityManager } from '@mikro-orm/core';
import type { Identity } from '../../../platform/identity';

/** What intake keeps of an uploaded material (ApplicationMaterial's columns). */
export interface UploadedMaterial {
  uploadId: string;
  sha256: string | null;
  mediaType: string | null;
  size: number | null;
}

/** The shape of an upload id: checked by the input validator before any lookup. */
export const UPLOAD_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * The uploads `ids` that exist and that the caller may attach to `creditCode`'s application,
 * by id; an id missing from the map is refused by intake ("上传编号不存在或不属于该企业").
 *
 * STUB — the one place the uploads helper (branch i9-uploads, `MaterialUpload` in this folder)
 * replaces: it must look the ids up in this subgraph's upload records (same `em`, one statement),
 * accept only uploads made by this enterprise or by a window clerk for it, and return their
 * SHA-256, media type and size. Until then every well-formed id is taken as it is, with no hash.
 */
export async function lookupUploads(
  _em: EntityManager,
  ids: string[],
  _owner: { creditCode: string; identity: Identity },
): Promise<Map<string, UploadedMaterial>> {
  return new Map(ids.filter((id) => UPLOAD_ID_PATTERN.test(id)).map((id) => [id, { uploadId: id, sha256: null, mediaType: null, size: null }]));
}
