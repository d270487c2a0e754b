import type { EntityManager } from '@mikro-orm/core';
import type { Identity } from '../../../platform/identity';
import { MaterialUpload } from './material-upload.entity';
import { UUID } from './uploads';

/** What intake keeps of an uploaded material (ApplicationMaterial's columns). */
export interface UploadedMaterial {
  uploadId: string;
  sha256: string | null;
  mediaType: string | null;
  size: number | null;
}

/**
 * The shape of an upload id, checked by the input validator before any lookup. Wider than the
 * UUIDs `POST /uploads` hands out (a storage behind it may name uploads otherwise); anything
 * that is not one of ours is simply not found.
 */
export const UPLOAD_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/** Who may have uploaded a material an application uses: the enterprise itself, or a window for it. */
const UPLOADERS = new Set(['ENTERPRISE', 'WINDOW_CLERK']);

/**
 * The uploads among `ids` that exist and that the caller may attach to `owner.creditCode`'s
 * application, by id, with the SHA-256, media type and size computed when they were uploaded;
 * an id missing from the map is refused by intake ("上传编号不存在或不属于该企业"). One statement.
 *
 * An upload qualifies when it was made for that same enterprise, by the enterprise itself or by
 * a window clerk for it (`POST /uploads` lets nobody else upload; this holds it again). Another
 * enterprise's upload is left out exactly like one that does not exist, so ids cannot be probed.
 * Any submitter who may act for the enterprise (itself, a window) may use any of its uploads, and
 * one upload may serve several materials and several applications: 一次上传，多次使用.
 */
export async function lookupUploads(
  em: EntityManager,
  ids: string[],
  owner: { creditCode: string; identity: Identity },
): Promise<Map<string, UploadedMaterial>> {
  const ours = [...new Set(ids.filter((id) => UUID.test(id)))];
  if (!ours.length) return new Map();
  const uploads = await em.find(MaterialUpload, { id: { $in: ours }, creditCode: owner.creditCode });
  return new Map(
    uploads
      .filter((u) => UPLOADERS.has(u.uploadedByRole))
      .map((u) => [u.id, { uploadId: u.id, sha256: u.sha256, mediaType: u.mediaType, size: u.size }]),
  );
}
