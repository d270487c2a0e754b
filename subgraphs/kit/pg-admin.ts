import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * Creating and dropping whole PostgreSQL databases: for tests (a database per test file, so files
 * run in parallel without seeing each other) and for generating migrations against a blank one.
 */
export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function admin<T>(url: string, run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export async function isPostgresReachable(url = DEFAULT_TEST_DATABASE_URL): Promise<boolean> {
  try {
    await admin(url, (c) => c.query('select 1'));
    return true;
  } catch {
    return false;
  }
}

/** Creates an empty database named `<prefix>_<random>` and returns its URL. */
export async function createScratchDatabase(adminUrl: string, prefix: string): Promise<{ url: string; name: string }> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  await admin(adminUrl, (c) => c.query(`create database "${name}"`));
  return { url: withDatabase(adminUrl, name), name };
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await admin(adminUrl, (c) => c.query(`drop database if exists "${name}" with (force)`));
}
