/** Materials uploaded for applications: `POST /uploads`, `GET /uploads/<id>`, and the intake's check of references (docs/uploads.md). */
export { MaterialUpload } from './material-upload.entity';
export { lookupUploads, UPLOAD_ID_PATTERN, type UploadedMaterial } from './lookup';
export { canReadUpload, CREDIT_CODE_PARAM, materialUploads, uploadOwner, type UploadOwner } from './uploads';
