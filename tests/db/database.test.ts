import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enterprisesSubgraph } from '../../subgraphs/enterprises';
import { Enterprise } from '../../subgraphs/enterprises/enterprise.entity';
import { migrationDrift, openDatabase, ormOptions } from '../../subgraphs/kit/orm';
import { createScratchDatabase, dropDatabase, DEFAULT_TEST_DATABASE_URL } from '../../subgraphs/kit/pg-admin';
import { subgraphs } from '../../subgraphs/registry';
import { describeDb, openTestDatabase, testDriver } from '../support/db';

describeDb(`databases (${testDriver})`, () => {
  test.each(subgraphs.map((s) => [s.name, s]))('the committed migrations of %s match its entities', async (_name, definition) => {
    const db = await openTestDatabase(definition);
    try {
      expect(await migrationDrift(db.orm)).toEqual([]);
      expect((await db.orm.getMigrator().getExecutedMigrations()).length).toBe(definition.migrations[testDriver].length);
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

  test('each subgraph keeps its tables to itself (its own SQLite file or PostgreSQL schema)', () => {
    const options = ormOptions(enterprisesSubgraph, { dataDir: '/tmp/x', databaseUrl: 'postgres://u@h/db' });
    expect(options.schema).toBe('enterprises');
    const sqlite = ormOptions(enterprisesSubgraph, { dataDir: '/tmp/x' });
    expect(sqlite.dbName).toBe('/tmp/x/enterprises.sqlite');
  });
});
