/** Uploads beside the graph (`POST /uploads`, `GET /uploads/<id>`): see docs/uploads.md. */
export { checkFileName, readFileName, FILE_NAME_HEADER, FILE_NAME_MAX, FILE_NAME_PARAM } from './file-name';
export { contentDisposition, createUploadMetrics, unsupportedType, uploadsRoute, UPLOADS_PATH, type UploadMetrics } from './route';
export { isOfdPackage, MaterialMediaType, sniffHead, SNIFF_HEAD_BYTES, type Detected } from './sniff';
export { formatBytes, LocalDiskStorage, payloadTooLarge, type BlobStorage, type PutOptions, type StagedBlob, type StoredBlob } from './storage';
export type { ReceivedUpload, UploadsDefinition, UploadToServe } from './types';
