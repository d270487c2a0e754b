import type { EntityManager } from '@mikro-orm/core';
import { echo, type FieldProblem } from '../../../platform/errors';
import { MaterialUpload } from './material-upload.entity';
import { UUID } from './uploads';

/** A material of a submission that was uploaded: its name in the guide and the id `POST /uploads` answered. */
export interface MaterialReference {
  name: string;
  uploadId: string;
}

/** A referenced upload that holds: what the application keeps of it (ApplicationMaterial, the accepted event). */
export interface CheckedMaterial {
  name: string;
  uploadId: string;
  sha256: string;
  mediaType: string;
  size: number;
  fileName: string;
}

/** Who may have uploaded a material an application uses: the enterprise itself, or a window for it. */
const UPLOADERS = new Set(['ENTERPRISE', 'WINDOW_CLERK']);

/**
 * Checks the uploads an application's materials reference, in one query: each must exist, be
 * for the same enterprise as the application, and have come from an allowed uploader (the
 * enterprise or a window; `POST /uploads` let no one else in, this holds it again). Every bad
 * reference is one problem (一次性告知: the intake reports them with its own, all at once, and
 * stores nothing); an upload of another enterprise reads exactly like a missing one, so ids
 * cannot be probed. The same upload may serve several materials and several applications of its
 * enterprise. `field(i)` names the i-th reference's field in the caller's input.
 */
export async function lookupMaterials(
  em: EntityManager,
  creditCode: string,
  references: readonly MaterialReference[],
  field: (index: number) => string = (index) => `materials.${index}.uploadId`,
): Promise<{ materials: CheckedMaterial[]; problems: FieldProblem[] }> {
  const problems: FieldProblem[] = [];
  const ids = [...new Set(references.map((r) => r.uploadId).filter((id) => UUID.test(id)))];
  const uploads = ids.length ? await em.find(MaterialUpload, { id: { $in: ids } }) : [];
  const byId = new Map(uploads.map((u) => [u.id, u]));
  const materials: CheckedMaterial[] = [];
  references.forEach((reference, index) => {
    if (!UUID.test(reference.uploadId)) {
      problems.push({ field: field(index), message: `材料“${echo(reference.name)}”的上传编号“${echo(reference.uploadId)}”格式无效：应为上传接口返回的 id` });
      return;
    }
    const upload = byId.get(reference.uploadId);
    if (!upload || upload.creditCode !== creditCode || !UPLOADERS.has(upload.uploadedByRole)) {
      problems.push({ field: field(index), message: `材料“${echo(reference.name)}”引用的上传文件 ${reference.uploadId} 不存在或不属于该企业：请重新上传` });
      return;
    }
    materials.push({ name: reference.name, uploadId: upload.id, sha256: upload.sha256, mediaType: upload.mediaType, size: upload.size, fileName: upload.fileName });
  });
  return { materials, problems };
}
