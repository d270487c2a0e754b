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

/**
 * The event relay's background work on a producer's database (reading the outbox past a cursor,
 * saving the cursor and delivery states) runs whenever a consumer exists, at any moment: it is no
 * part of what a request costs, so tests counting a request's statements do not see it. Writes
 * to the outbox (a mutation's or a request's events) are counted.
 */
function isRelayBookkeeping(sql: string): boolean {
  return /kit_relay_cursor|kit_delivery/.test(sql) || (/kit_outbox/.test(sql) && !/^\s*insert\b/i.test(sql));
}

export interface TestDatabase {
  orm: MikroORM;
  statements: string[];
  close(): Promise<void>;
}

/**
 * A fresh, migrated database for one subgraph: SQLite in memory, or a new PostgreSQL database
 * dropped afterwards. Every SQL statement is recorded so tests can count them.
 */
export async function openTestDatabase(definition: SubgraphDefinition<any>, options: { demo?: boolean } = {}): Promise<TestDatabase> {
  const statements: string[] = [];
  // A transaction is held back until it ends, then dropped if it was the relay's bookkeeping only.
  let open: string[] | undefined;
  const onStatement = (sql: string) => {
    if (/^\s*begin\b/i.test(sql)) {
      if (open) statements.push(...open);
      open = [sql];
    } else if (open) {
      open.push(sql);
      if (/^\s*(commit|rollback)\s*$/i.test(sql)) {
        const inner = open.slice(1, -1);
        if (!inner.length || !inner.every(isRelayBookkeeping)) statements.push(...open);
        open = undefined;
      }
    } else if (!isRelayBookkeeping(sql)) statements.push(sql);
  };
  if (testDriver === 'postgresql') {
    const scratch = await createScratchDatabase(adminUrl, `test_${definition.name}`);
    const orm = await openDatabase(definition, { dataDir: 'data', databaseUrl: scratch.url }, { databaseUrl: scratch.url, onStatement, demo: options.demo });
    return {
      orm,
      statements,
      close: async () => {
        await orm.close(true);
        await dropDatabase(adminUrl, scratch.name);
      },
    };
  }
  const orm = await openDatabase(definition, { dataDir: 'data' }, { sqlitePath: ':memory:', onStatement, demo: options.demo });
  return { orm, statements, close: () => orm.close(true) };
}
