import type { MikroORM } from '@mikro-orm/core';
import { IDENTITY_HEADER, type Identity } from '../../platform/identity';
import { enterprisesSubgraph } from '../../subgraphs/enterprises';
import { Enterprise, EnterpriseScale } from '../../subgraphs/enterprises/enterprise.entity';
import { driverOf, openDatabase } from '../../subgraphs/kit/orm';
import { createScratchDatabase, dropDatabase, DEFAULT_TEST_DATABASE_URL } from '../../subgraphs/kit/pg-admin';
import { createSubgraphServer, type SubgraphServer } from '../../subgraphs/kit/server';
import { describeDb, testDriver } from '../support/db';
import { signIdentity, testConfig } from '../support/graph';

/**
 * The enterprise list with the README's filters stays an index scan as the registry grows (the
 * city-scale bench runs 100,000). Thousands of rows over 30 counties, statistics gathered, and the
 * database's real plan for the very statements paginate() issues: no full scan of `enterprise`.
 */
interface Statement {
  sql: string;
  params: readonly unknown[];
}

const COUNTIES = Array.from({ length: 30 }, (_, i) => `3607${String(i + 1).padStart(2, '0')}`);
const EXTRA_ROWS = 6000;
const SCALES = Object.values(EnterpriseScale);
const TAGS = ['HIGH_TECH', 'TECH_SME', 'SPECIALIZED'];

async function insertRows(orm: MikroORM) {
  const rows = Array.from({ length: EXTRA_ROWS }, (_, i) => ({
    creditCode: `91${COUNTIES[i % COUNTIES.length]}X${String(i).padStart(9, '0')}`,
    name: `索引测试企业${i}有限公司`,
    legalRepresentative: '张三',
    legalRepresentativeIdNumber: '360732199003070011',
    registeredOn: '2020-01-01',
    regionCode: COUNTIES[i % COUNTIES.length],
    industryCode: ['C39', 'I65', 'A01', 'F52'][i % 4],
    scale: SCALES[i % SCALES.length],
    tagList: i % 3 ? `,${TAGS[i % TAGS.length]},` : '',
    address: '江西省赣州市',
    bankName: '测试银行',
    bankAccount: '6228480012345678',
    createdAt: new Date(),
    updatedAt: new Date(),
  }));
  const em = orm.em.fork();
  for (let i = 0; i < rows.length; i += 500) await em.insertMany(Enterprise, rows.slice(i, i + 500));
  await em.getConnection().execute(driverOf(orm) === 'postgresql' ? 'analyze enterprises.enterprise' : 'analyze');
}

/** Full scans of the enterprise table in the plan of `sql`, as the database describes them. */
async function fullScans(orm: MikroORM, { sql, params }: Statement): Promise<string[]> {
  const connection = orm.em.getConnection();
  if (driverOf(orm) === 'sqlite') {
    const plan: { detail: string }[] = await connection.execute(`explain query plan ${sql}`, [...params]);
    // "SCAN e0" is a full table scan; "SEARCH … USING INDEX" and "SCAN … USING INDEX" are index scans.
    return plan.map((p) => p.detail).filter((d) => /^SCAN \w+$/.test(d.trim()));
  }
  // MikroORM logs PostgreSQL's numbered placeholders; execute() binds `?` in order.
  const [row]: { 'QUERY PLAN': unknown }[] = await connection.execute(`explain (format json) ${sql.replace(/\$\d+/g, '?')}`, [...params]);
  const scans: string[] = [];
  const walk = (node: Record<string, any>) => {
    if (node['Node Type'] === 'Seq Scan' && node['Relation Name'] === 'enterprise') scans.push(`Seq Scan on enterprise (${node.Filter ?? ''})`);
    for (const child of node.Plans ?? []) walk(child);
  };
  walk((row['QUERY PLAN'] as { Plan: Record<string, any> }[])[0].Plan);
  return scans;
}

describeDb(`the enterprise list stays on an index (${testDriver})`, () => {
  const adminUrl = process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
  let scratch: { url: string; name: string } | undefined;
  let orm: MikroORM;
  let server: SubgraphServer;
  const statements: Statement[] = [];
  const config = testConfig();

  beforeAll(async () => {
    // Opened here rather than with openTestDatabase: EXPLAIN needs each statement's parameters too.
    const onStatement = (sql: string, params: readonly unknown[] = []) => statements.push({ sql, params });
    if (testDriver === 'postgresql') {
      scratch = await createScratchDatabase(adminUrl, 'test_index');
      orm = await openDatabase(enterprisesSubgraph, { dataDir: 'data' }, { databaseUrl: scratch.url, onStatement, demo: true });
    } else {
      orm = await openDatabase(enterprisesSubgraph, { dataDir: 'data' }, { sqlitePath: ':memory:', onStatement, demo: true });
    }
    await insertRows(orm);
    server = await createSubgraphServer(enterprisesSubgraph, orm, config);
  });
  afterAll(async () => {
    await server?.stop();
    await orm?.close(true);
    if (scratch) await dropDatabase(adminUrl, scratch.name);
  });

  /** The SELECTs on `enterprise` a list query issues, with their parameters bound in. */
  async function statementsOf(identity: Identity, filter: Record<string, unknown>): Promise<Statement[]> {
    const contextValue = await server.contextFor({ [IDENTITY_HEADER]: await signIdentity(config, identity, 'enterprises') });
    const before = statements.length;
    const result = await server.apollo.executeOperation(
      { query: 'query($f: EnterpriseFilter) { enterprises(first: 20, filter: $f) { totalCount nodes { creditCode } } }', variables: { f: filter } },
      { contextValue },
    );
    expect(result.body.kind === 'single' && result.body.singleResult.errors).toBeFalsy();
    return statements.slice(before).filter((s) => /^\s*select/i.test(s.sql) && /"enterprise"|`enterprise`/.test(s.sql));
  }

  const clerk: Identity = { role: 'WINDOW_CLERK', region: '360732', subject: 'test' };
  const city: Identity = { role: 'ADMIN', region: '360700', subject: 'test' };
  test.each([
    ['a county official, region only', clerk, {}],
    ['region + industry section', clerk, { industry: 'C' }],
    ['region + industry division', clerk, { industry: 'C39' }],
    ['region + tag', clerk, { tag: 'HIGH_TECH' }],
    ['region + scale', clerk, { scale: 'SMALL' }],
    ['a city official narrowing to one county + industry', city, { regionCode: '360705', industry: 'I65' }],
  ])('%s', async (_name, identity, filter) => {
    const issued = await statementsOf(identity, filter);
    expect(issued.length).toBe(2); // the page and its count
    for (const statement of issued) expect({ sql: statement.sql, fullScans: await fullScans(orm, statement) }).toEqual({ sql: statement.sql, fullScans: [] });
  });
});
