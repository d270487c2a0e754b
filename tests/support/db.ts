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
export async function openTestDatabase(definition: SubgraphDefinition<any>, options: { demo?: boolean; demoEnterprises?: number } = {}): Promise<TestDatabase> {
  const statements: string[] = [];
  const onStatement = (sql: string) => statements.push(sql);
  if (testDriver === 'postgresql') {
    const scratch = await createScratchDatabase(adminUrl, `test_${definition.name}`);
    const orm = await openDatabase(definition, { dataDir: 'data', databaseUrl: scratch.url }, { databaseUrl: scratch.url, onStatement, demo: options.demo, demoEnterprises: options.demoEnterprises });
    return {
      orm,
      statements,
      close: async () => {
        await orm.close(true);
        await dropDatabase(adminUrl, scratch.name);
      },
    };
  }
  const orm = await openDatabase(definition, { dataDir: 'data' }, { sqlitePath: ':memory:', onStatement, demo: options.demo, demoEnterprises: options.demoEnterprises });
  return { orm, statements, close: () => orm.close(true) };
}
