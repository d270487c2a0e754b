import type { MikroORM } from '@mikro-orm/core';
import { openDatabase } from '../../subgraphs/kit/orm';
import { createScratchDatabase, dropDatabase, DEFAULT_TEST_DATABASE_URL } from '../../subgraphs/kit/pg-admin';
import type { SubgraphDefinition } from '../../subgraphs/kit/subgraph';

declare const TEST_DB: 'sqlite' | 'postgresql';

/** Which database this jest project runs on (see jest.config.js). */
export const testDriver: 'sqlite' | 'postgresql' = typeof TEST_DB === 'undefined' ? 'sqlite' : TEST_DB;
const adminUrl = process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;

/** `describe` for database-backed suites: skipped on the postgresql project when it has no server. */
export const describeDb: jest.Describe =
  testDriver === 'postgresql' && process.env.QINQING_PG_AVAILABLE === '0' ? describe.skip : describe;

export interface TestDatabase {
  orm: MikroORM;
  statements: string[];
  close(): Promise<void>;
}

/**
 * A fresh, migrated database for one subgraph: SQLite in memory, or a new PostgreSQL database
 * dropped afterwards. Every SQL statement is recorded so tests can count them.
 */
export async function openTestDatabase(
  definition: SubgraphDefinition<any>,
  options: { demo?: boolean; demoEnterprises?: number; /** PostgreSQL: a database shared with other subgraphs (each in its own schema, as in production); its owner drops it */ sharedUrl?: string } = {},
): Promise<TestDatabase> {
  const statements: string[] = [];
  const onStatement = (sql: string) => statements.push(sql);
  if (testDriver === 'postgresql') {
    const scratch = options.sharedUrl ? undefined : await createScratchDatabase(adminUrl, `test_${definition.name}`);
    const url = options.sharedUrl ?? scratch!.url;
    const orm = await openDatabase(definition, { dataDir: 'data', databaseUrl: url }, { databaseUrl: url, onStatement, demo: options.demo, demoEnterprises: options.demoEnterprises });
    return {
      orm,
      statements,
      close: async () => {
        await orm.close(true);
        if (scratch) await dropDatabase(adminUrl, scratch.name);
      },
    };
  }
  const orm = await openDatabase(definition, { dataDir: 'data' }, { sqlitePath: ':memory:', onStatement, demo: options.demo, demoEnterprises: options.demoEnterprises });
  return { orm, statements, close: () => orm.close(true) };
}

/**
 * PostgreSQL: one scratch database for a whole test graph, every subgraph in its own schema as
 * `npm start` does with one DATABASE_URL (creating a database per subgraph cost seconds each on a
 * busy machine); `drop` after every subgraph closed. SQLite: nothing to share.
 */
export async function sharedTestDatabase(): Promise<{ url?: string; drop(): Promise<void> }> {
  if (testDriver !== 'postgresql') return { drop: async () => undefined };
  const scratch = await createScratchDatabase(adminUrl, 'test_graph');
  return { url: scratch.url, drop: () => dropDatabase(adminUrl, scratch.name) };
}
