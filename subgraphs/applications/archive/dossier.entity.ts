import { BeforeDelete, BeforeUpdate, Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * 归集存档: a paid case's dossier, written once in the transaction that pays and archives it and
 * never changed. `json` is the canonical text that was hashed (RFC 8785, kept as text, not as a
 * database JSON type: PostgreSQL's jsonb would reorder keys and the hash would no longer match);
 * `sha256` its hash. An update or a delete through the ORM is refused (the hooks below); a row
 * changed behind the ORM's back (SQL) is found by `verified`, which recomputes the hash.
 * `regionCode` and `creditCode` repeat the dossier's own fields for scoping and lists.
 */
@Entity({ tableName: 'archived_dossier' })
@Index({ properties: ['regionCode', 'applicationId'] })
export class ArchivedDossier {
  /** One dossier per case: the key itself stops a second. */
  @PrimaryKey({ type: 'string', length: 36 })
  applicationId!: string;

  @Property({ type: 'string', length: 6 })
  regionCode!: string;

  @Property({ type: 'string', length: 18 })
  creditCode!: string;

  /** The canonical JSON text of the dossier, exactly the bytes hashed (UTF-8). */
  @Property({ type: 'text' })
  json!: string;

  /** Lower-case hex SHA-256 of `json`. */
  @Property({ type: 'string', length: 64 })
  sha256!: string;

  @Property({ type: 'datetime' })
  archivedAt!: Date;

  @BeforeUpdate()
  refuseUpdate(): void {
    throw new ImmutableDossierError(this.applicationId, 'update');
  }

  @BeforeDelete()
  refuseDelete(): void {
    throw new ImmutableDossierError(this.applicationId, 'delete');
  }
}

/** Thrown by any attempt to change an archived dossier through the ORM (a bug, never a user's input). */
export class ImmutableDossierError extends Error {
  constructor(applicationId: string, operation: 'update' | 'delete') {
    super(`archived dossier ${applicationId} is immutable: ${operation} refused`);
    this.name = 'ImmutableDossierError';
  }
}
