import { randomUUID } from 'node:crypto';
import { parseCreditCode } from '../../../platform/credit-code';
import { DEPARTMENTS, departmentRegion } from '../../../platform/directory';
import { forbidden, invalidInput } from '../../../platform/errors';
import { regionCovers, type Identity } from '../../../platform/identity';
import { recordAccess } from '../../kit/access';
import { regionOfCreditCode, requireAuthenticated, requireWriter } from '../../kit/scope';
import type { Context } from '../../kit/subgraph';
import type { UploadsDefinition } from '../../kit/uploads';
import { ApplicationMaterial } from '../application.entity';
import { canReadApplication } from '../scope';
import { MaterialUpload } from './material-upload.entity';
import { UUID } from '../../kit/validation';
export { UUID };

/** The query parameter naming the enterprise an upload is for. */
export const CREDIT_CODE_PARAM = 'creditCode';
/** The windows (受理部门: 县行政审批局, 经开区管委会): their clerks take materials for enterprises. */
const INTAKE_DEPARTMENTS = new Set(DEPARTMENTS.filter((d) => d.functions.includes('INTAKE')).map((d) => d.code));
const SUBJECT_MAX = 128;

/** Whose application an upload is for, once the caller may upload for it. */
export interface UploadOwner {
  creditCode: string;
  regionCode: string;
}

/**
 * Who may upload for which enterprise, decided before a byte is read: the enterprise for itself
 * (online); a window clerk of an intake department for an enterprise of the window's region (the
 * hall and the Development Zone window). Everybody else — departments, the bureau, finance, the
 * auditor — takes no uploads: they read materials, they do not supply them.
 */
export function uploadOwner(identity: Identity, query: URLSearchParams): UploadOwner {
  requireWriter(identity);
  const given = query.get(CREDIT_CODE_PARAM);
  if (identity.role === 'ENTERPRISE') {
    const creditCode = given === null ? identity.creditCode! : parseCreditCode(given);
    if (creditCode !== identity.creditCode) throw forbidden('企业用户只能为本企业上传材料');
    return { creditCode, regionCode: regionOfCreditCode(creditCode) };
  }
  if (identity.role === 'WINDOW_CLERK') {
    const window = identity.department;
    if (!window || !INTAKE_DEPARTMENTS.has(window)) throw forbidden('窗口人员须属于受理部门（县行政审批局或经开区管委会）才能代企业上传材料');
    if (given === null || given === '') {
      throw invalidInput([{ field: CREDIT_CODE_PARAM, message: `缺少企业的统一社会信用代码：窗口代为上传时请在 ${CREDIT_CODE_PARAM} 参数中给出` }]);
    }
    const creditCode = parseCreditCode(given);
    const regionCode = regionOfCreditCode(creditCode);
    const home = departmentRegion(window)!;
    if (!regionCovers(home, regionCode)) throw forbidden(`该企业（登记地区 ${regionCode}）不在本窗口所属地区（${home}）`);
    return { creditCode, regionCode };
  }
  throw forbidden('只有企业本身或受理窗口人员可以上传申报材料');
}

/**
 * May this caller read (download) this upload? The enterprise its own; the auditor all; the
 * Approval Bureau and ADMIN their region; the window that took it; and whoever may read an
 * application that lists it as a material (a department its cases, a window the cases it took).
 */
export async function canReadUpload(ctx: Context<unknown>, upload: MaterialUpload): Promise<boolean> {
  const { identity } = ctx;
  switch (identity.role) {
    case 'ENTERPRISE':
      return identity.creditCode === upload.creditCode;
    case 'AUDITOR':
      return true;
    case 'APPROVAL_BUREAU':
    case 'ADMIN':
      return !!identity.region && regionCovers(identity.region, upload.regionCode);
    case 'WINDOW_CLERK':
      if (identity.department && identity.department === upload.uploadedByDepartment) return true;
      break;
    case 'DEPARTMENT_REVIEWER':
    case 'DEPARTMENT_SYSTEM':
      break;
    default:
      return false;
  }
  const uses = await ctx.em.find(ApplicationMaterial, { uploadId: upload.id }, { populate: ['application'] });
  return uses.some((m) => canReadApplication(identity, m.application));
}

/** Roles that may download materials at all (decided before anything is loaded). */
const READERS = new Set(['ENTERPRISE', 'WINDOW_CLERK', 'DEPARTMENT_REVIEWER', 'DEPARTMENT_SYSTEM', 'APPROVAL_BUREAU', 'ADMIN', 'AUDITOR']);

/** `POST /uploads` and `GET /uploads/<id>` of the applications subgraph (docs/uploads.md). */
export const materialUploads: UploadsDefinition<any, UploadOwner> = {
  action: 'uploadMaterial',
  authorize: ({ query, context }) => uploadOwner(context.identity, query),
  async record({ upload, authorized, context }) {
    const { identity, em } = context;
    const row = em.create(MaterialUpload, {
      id: randomUUID(),
      sha256: upload.sha256,
      size: upload.size,
      mediaType: upload.mediaType,
      fileName: upload.fileName,
      creditCode: authorized.creditCode,
      regionCode: authorized.regionCode,
      uploadedByRole: identity.role!,
      uploadedBySubject: identity.subject?.slice(0, SUBJECT_MAX) ?? null,
      uploadedByDepartment: identity.role === 'WINDOW_CLERK' ? (identity.department ?? null) : null,
      uploadedAt: new Date(),
    });
    await em.flush();
    return { id: row.id, sha256: row.sha256, size: row.size, mediaType: row.mediaType, fileName: row.fileName };
  },
  async find({ id, context }) {
    requireAuthenticated(context.identity);
    if (!READERS.has(context.identity.role!)) throw forbidden('无权下载申报材料');
    if (!UUID.test(id)) return null;
    const upload = await context.em.findOne(MaterialUpload, { id });
    if (!upload || !(await canReadUpload(context, upload))) return null;
    // An official reading an enterprise's document: in the access log, as a read of its records is.
    if (context.identity.role !== 'ENTERPRISE') recordAccess(context, { what: 'MaterialUpload', enterprises: [upload.creditCode] });
    return { key: upload.sha256, mediaType: upload.mediaType, fileName: upload.fileName };
  },
};
