import type { MikroORM } from '@mikro-orm/core';
import { IDENTITY_HEADER, type Identity } from '../../platform/identity';
import { policiesSubgraph } from '../../subgraphs/policies';
import { PolicySearchTerm } from '../../subgraphs/policies/policy.entity';
import { driverOf, openDatabase } from '../../subgraphs/kit/orm';
import { createScratchDatabase, dropDatabase, DEFAULT_TEST_DATABASE_URL } from '../../subgraphs/kit/pg-admin';
import { createSubgraphServer, type SubgraphServer } from '../../subgraphs/kit/server';
import { describeDb, testDriver } from '../support/db';
import { signIdentity, testConfig } from '../support/graph';

/**
 * 一网查询 stays an index search on (term, policy) as the catalog grows: 40,000 extra index rows
 * over 2,000 made-up policies, statistics gathered, and the database's own plan for the very
 * statement the search issues — no full scan of `policy_search_term`.
 */
interface Statement {
  sql: string;
  params: readonly unknown[];
}

async function fullScans(orm: MikroORM, { sql, params }: Statement): Promise<string[]> {
  const connection = orm.em.getConnection();
  if (driverOf(orm) === 'sqlite') {
    const plan: { detail: string }[] = await connection.execute(`explain query plan ${sql}`, [...params]);
    return plan.map((p) => p.detail).filter((d) => /^SCAN \w+$/.test(d.trim()));
  }
  const [row]: { 'QUERY PLAN': unknown }[] = await connection.execute(`explain (format json) ${sql.replace(/\$\d+/g, '?')}`, [...params]);
  const scans: string[] = [];
  const walk = (node: Record<string, any>) => {
    if (node['Node Type'] === 'Seq Scan' && node['Relation Name'] === 'policy_search_term') scans.push('Seq Scan on policy_search_term');
    for (const child of node.Plans ?? []) walk(child);
  };
  walk((row['QUERY PLAN'] as { Plan: Record<string, any> }[])[0].Plan);
  return scans;
}

describeDb(`the policy search stays on its index (${testDriver})`, () => {
  const adminUrl = process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
  let scratch: { url: string; name: string } | undefined;
  let orm: MikroORM;
  let server: SubgraphServer;
  const statements: Statement[] = [];
  const config = testConfig();

  beforeAll(async () => {
    const onStatement = (sql: string, params: readonly unknown[] = []) => statements.push({ sql, params });
    if (testDriver === 'postgresql') {
      scratch = await createScratchDatabase(adminUrl, 'test_policy_index');
      orm = await openDatabase(policiesSubgraph, { dataDir: 'data' }, { databaseUrl: scratch.url, onStatement, demo: true });
    } else {
      orm = await openDatabase(policiesSubgraph, { dataDir: 'data' }, { sqlitePath: ':memory:', onStatement, demo: true });
    }
    const words = Array.from({ length: 400 }, (_, i) => String.fromCodePoint(0x4e00 + 500 + i));
    const rows = Array.from({ length: 40_000 }, (_, i) => ({ term: `${words[i % words.length]}${words[(i * 7) % words.length]}`, policyId: `ZZ-2030-${String(i % 2000).padStart(4, '0')}`.slice(0, 20), weight: 1 + (i % 5) }));
    const em = orm.em.fork();
    const unique = [...new Map(rows.map((r) => [`${r.term}|${r.policyId}`, r])).values()];
    for (let i = 0; i < unique.length; i += 1000) await em.insertMany(PolicySearchTerm, unique.slice(i, i + 1000));
    await em.getConnection().execute(driverOf(orm) === 'postgresql' ? 'analyze policies.policy_search_term' : 'analyze');
    server = await createSubgraphServer(policiesSubgraph, orm, config);
  });
  afterAll(async () => {
    await server?.stop();
    await orm?.close(true);
    if (scratch) await dropDatabase(adminUrl, scratch.name);
  });

  test.each([['技改'], ['高新技术企业'], ['稳岗 纺织 补贴']])('keyword %s: found, and the index look-up is an index search', async (keyword) => {
    const identity: Identity = { role: null };
    const contextValue = await server.contextFor({ [IDENTITY_HEADER]: await signIdentity(config, identity, 'policies') });
    const before = statements.length;
    const result = await server.apollo.executeOperation(
      { query: 'query($k: String) { policies(first: 5, filter: { keyword: $k }) { totalCount nodes { id } } }', variables: { k: keyword } },
      { contextValue },
    );
    expect(result.body.kind === 'single' && result.body.singleResult.errors).toBeFalsy();
    expect(result.body.kind === 'single' && (result.body.singleResult.data as any).policies.totalCount).toBeGreaterThan(0);
    const issued = statements.slice(before).filter((s) => /^\s*select/i.test(s.sql) && /policy_search_term/.test(s.sql));
    expect(issued.length).toBe(1);
    for (const statement of issued) expect({ sql: statement.sql, fullScans: await fullScans(orm, statement) }).toEqual({ sql: statement.sql, fullScans: [] });
  });
});
