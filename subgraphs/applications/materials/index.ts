/** Materials uploaded for applications: `POST /uploads`, `GET /uploads/<id>`, and the intake's check of references (docs/uploads.md). */
export { MaterialUpload } from './material-upload.entity';
export { lookupMaterials, type CheckedMaterial, type MaterialReference } from './lookup';
export { canReadUpload, CREDIT_CODE_PARAM, materialUploads, uploadOwner, type UploadOwner } from './uploads';
