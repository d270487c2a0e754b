import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One file uploaded as a material (`POST /uploads`), before or apart from any application: the
 * intake references it by `id` (materials/lookup.ts). The bytes are kept once per content under
 * `sha256` (kit/uploads/storage.ts); every upload, even of the same bytes, is its own record with
 * the name, enterprise and uploader it came with.
 */
@Entity({ tableName: 'material_upload' })
// An enterprise's uploads, newest first; and which records share a content.
@Index({ properties: ['creditCode', 'uploadedAt'] })
@Index({ properties: ['sha256'] })
export class MaterialUpload {
  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  /** Lower-case hex SHA-256 of the bytes: also the storage key. */
  @Property({ type: 'string', length: 64 })
  sha256!: string;

  @Property({ type: 'integer' })
  size!: number;

  /** From the bytes (application/pdf, image/jpeg, image/png, application/ofd). */
  @Property({ type: 'string', length: 40 })
  mediaType!: string;

  /** As the uploader named it (checked: no control or bidi characters, no path). */
  @Property({ type: 'string', length: 200 })
  fileName!: string;

  /** The enterprise whose application it is for. */
  @Property({ type: 'string', length: 18 })
  creditCode!: string;

  /** The enterprise's region (positions 3–8 of its credit code). */
  @Property({ type: 'string', length: 6 })
  regionCode!: string;

  @Property({ type: 'string', length: 20 })
  uploadedByRole!: string;

  @Property({ type: 'string', length: 128, nullable: true })
  uploadedBySubject?: string | null;

  /** A window clerk's window (department code); null for the enterprise itself. */
  @Property({ type: 'string', length: 20, nullable: true })
  uploadedByDepartment?: string | null;

  @Property({ type: 'datetime' })
  uploadedAt!: Date;
}
