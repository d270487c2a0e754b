// Decides once, before any test file, whether the PostgreSQL project can run. CI must have it;
// a laptop without PostgreSQL skips that project with a warning rather than failing `npm test`.
const { Client } = require('pg');

module.exports = async () => {
  const url = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    process.env.QINQING_PG_AVAILABLE = '1';
  } catch (error) {
    if (process.env.CI) throw new Error(`PostgreSQL is required in CI but ${url} is unreachable: ${error.message}`);
    process.env.QINQING_PG_AVAILABLE = '0';
    console.warn(`\n[qinqing-hub] PostgreSQL not reachable at ${url}: the postgresql test project is skipped.\n`);
  } finally {
    await client.end().catch(() => undefined);
  }
};
