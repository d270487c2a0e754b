import type { MigrationObject } from '@mikro-orm/core';
import { KitMigration20261126020000 as postgresql_KitMigration20261126020000 } from './postgresql';
import { KitMigration20261126020000 as sqlite_KitMigration20261126020000 } from './sqlite';

/**
 * The kit's migrations, which ormOptions runs before every subgraph's own (names start with
 * `Kit`, so they never meet a subgraph's). Hand-kept: a new kit table is a new class here,
 * generated SQL copied from MikroORM's schema generator; `npm run migration:check` proves it.
 */
export const kitMigrations: { sqlite: MigrationObject[]; postgresql: MigrationObject[] } = {
  sqlite: [{ name: 'KitMigration20261126020000', class: sqlite_KitMigration20261126020000 }],
  postgresql: [{ name: 'KitMigration20261126020000', class: postgresql_KitMigration20261126020000 }],
};
