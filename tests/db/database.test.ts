import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enterprisesSubgraph } from '../../subgraphs/enterprises';
import { Enterprise } from '../../subgraphs/enterprises/enterprise.entity';
import type { MikroORM } from '@mikro-orm/core';
import { migrationDrift, openDatabase, schemaName } from '../../subgraphs/kit/orm';
import { kitMigrations } from '../../subgraphs/kit/events/migrations';
import { createScratchDatabase, dropDatabase, DEFAULT_TEST_DATABASE_URL } from '../../subgraphs/kit/pg-admin';
import { subgraphs } from '../../subgraphs/registry';
import { describeDb, openTestDatabase, testDriver } from '../support/db';

describeDb(`databases (${testDriver})`, () => {
  test.each(subgraphs.map((s) => [s.name, s]))('the committed migrations of %s match its entities', async (_name, definition) => {
    const db = await openTestDatabase(definition);
    try {
      expect(await migrationDrift(db.orm)).toEqual([]);
      expect((await db.orm.getMigrator().getExecutedMigrations()).length).toBe(kitMigrations[testDriver].length + definition.migrations[testDriver].length);
    } finally {
      await db.close();
    }
  });

  test('demo data is deterministic and loaded once: a restart keeps the data and adds nothing', async () => {
    const adminUrl = process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
    const scratch = testDriver === 'postgresql' ? await createScratchDatabase(adminUrl, 'test_restart') : undefined;
    const config = { dataDir: mkdtempSync(join(tmpdir(), 'qinqing-data-')), databaseUrl: scratch?.url };
    try {
      const first = await openDatabase(enterprisesSubgraph, config, { demo: true });
      const em = first.em.fork();
      const count = await em.count(Enterprise, {});
      expect(count).toBeGreaterThanOrEqual(2000);
      const one = await em.findOneOrFail(Enterprise, { creditCode: { $ne: '' } }, { orderBy: { creditCode: 'asc' } });
      one.address = '江西省赣州市兴国县潋江镇重启测试路1号';
      await em.flush();
      await first.close();

      const second = await openDatabase(enterprisesSubgraph, config, { demo: true });
      const em2 = second.em.fork();
      expect(await em2.count(Enterprise, {})).toBe(count);
      expect((await em2.findOneOrFail(Enterprise, { creditCode: one.creditCode })).address).toBe('江西省赣州市兴国县潋江镇重启测试路1号');
      await second.close();
    } finally {
      if (scratch) await dropDatabase(adminUrl, scratch.name);
    }
  });

  test('each subgraph keeps its tables to itself (its own SQLite file or PostgreSQL schema)', async () => {
    const adminUrl = process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
    const scratch = testDriver === 'postgresql' ? await createScratchDatabase(adminUrl, 'test_apart') : undefined;
    // Every subgraph on the same settings, as `npm start` runs them.
    const config = { dataDir: mkdtempSync(join(tmpdir(), 'qinqing-data-')), databaseUrl: scratch?.url };
    const opened: MikroORM[] = [];
    try {
      for (const definition of subgraphs) opened.push(await openDatabase(definition, config));
      // What each subgraph's entities map to, plus the migrations table each one keeps for itself.
      const expected = Object.fromEntries(
        subgraphs.map((definition, i) => [
          definition.name,
          [...Object.values(opened[i].getMetadata().getAll()).filter((m) => !m.embeddable && !m.virtual && !m.abstract).map((m) => m.tableName), 'mikro_orm_migrations'].sort(),
        ]),
      );
      for (const tables of Object.values(expected)) expect(tables.length).toBeGreaterThan(1); // a table of its own at least
      const found: Record<string, string[]> = {};
      if (testDriver === 'postgresql') {
        const rows: { schema: string; name: string }[] = await opened[0].em.getConnection().execute(
          `select table_schema as schema, table_name as name from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema')`,
        );
        // The schema is the subgraph's name with `_` for `-` (kit/orm.ts schemaName).
        const bySchema = new Map(subgraphs.map((s) => [schemaName(s.name), s.name]));
        for (const row of rows) (found[bySchema.get(row.schema) ?? row.schema] ??= []).push(row.name);
      } else {
        for (const [i, definition] of subgraphs.entries()) {
          expect(opened[i].config.get('dbName')).toBe(join(config.dataDir, `${definition.name}.sqlite`));
          const rows: { name: string }[] = await opened[i].em.getConnection().execute(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`);
          found[definition.name] = rows.map((row) => row.name);
        }
      }
      for (const tables of Object.values(found)) tables.sort();
      expect(found).toEqual(expected);
    } finally {
      for (const orm of opened) await orm.close(true);
      if (scratch) await dropDatabase(adminUrl, scratch.name);
    }
  });
});
