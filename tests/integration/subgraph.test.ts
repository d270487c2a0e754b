import { enterprisesSubgraph } from '../../subgraphs/enterprises';
import { creditCodeCheckChar } from '../../platform/credit-code';
import { residentIdCheckChar } from '../../subgraphs/kit/resident-id';
import { ANONYMOUS, IDENTITY_HEADER, REQUEST_ID_HEADER, type Identity } from '../../platform/identity';
import { createLogger } from '../../platform/logger';
import { createSubgraphServer, type SubgraphServer } from '../../subgraphs/kit/server';
import { describeDb, openTestDatabase, type TestDatabase } from '../support/db';
import { signIdentity, testConfig } from '../support/graph';

/** One subgraph in-process, as the gateway would call it: `_entities` included. */
describeDb('the enterprises subgraph in-process', () => {
  const config = testConfig();
  const logLines: Record<string, unknown>[] = [];
  let db: TestDatabase;
  let server: SubgraphServer;
  let codes: string[];

  const run = async (query: string, variables: Record<string, unknown>, identity: Identity | null, requestId?: string) => {
    const headers = {
      [IDENTITY_HEADER]: await signIdentity(config, identity ?? ANONYMOUS, 'enterprises'),
      [REQUEST_ID_HEADER]: requestId,
    };
    const response = await server.apollo.executeOperation({ query, variables }, { contextValue: await server.contextFor(headers) });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return response.body.singleResult as { data?: any; errors?: any };
  };

  beforeAll(async () => {
    db = await openTestDatabase(enterprisesSubgraph, { demo: true });
    const log = createLogger('info', { service: 'enterprises' }, (line) => logLines.push(JSON.parse(line)));
    server = await createSubgraphServer(enterprisesSubgraph, db.orm, config, log);
    const page = await run('{ enterprises(first: 100) { nodes { creditCode } } }', {}, { role: 'AUDITOR' });
    codes = page.data.enterprises.nodes.map((n: { creditCode: string }) => n.creditCode);
  });
  afterAll(async () => {
    await server?.stop();
    await db?.close();
  });

  const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise { creditCode name region { name } } } }`;

  test('_entities for 100 references is one SELECT for the enterprises and one for their regions', async () => {
    const before = db.statements.length;
    const result = await run(entities, { r: codes.map((creditCode) => ({ __typename: 'Enterprise', creditCode })) }, { role: 'AUDITOR' });
    expect(result.errors).toBeUndefined();
    expect(result.data._entities.map((e: { creditCode: string }) => e.creditCode)).toEqual(codes);
    const selects = db.statements.slice(before).filter((s) => /^\s*select/i.test(s));
    expect(selects).toHaveLength(2);
  });

  test('responses are marked not cacheable, as Apollo\'s cache-control plugin marked them before it was switched off', async () => {
    const headers = { [IDENTITY_HEADER]: await signIdentity(config, { role: 'AUDITOR' }, 'enterprises') };
    const response = await server.apollo.executeOperation({ query: '{ enterprises(first: 1) { totalCount } }' }, { contextValue: await server.contextFor(headers) });
    expect(response.http.headers.get('cache-control')).toBe('no-store');
  });

  test('a malformed key in a representation is refused with INVALID_CREDIT_CODE', async () => {
    const result = await run(entities, { r: [{ __typename: 'Enterprise', creditCode: 'NOT-A-CODE' }] }, { role: 'AUDITOR' });
    expect(result.errors[0].extensions.code).toBe('INVALID_CREDIT_CODE');
  });

  test('a representation of a type this subgraph does not have is the caller\'s mistake (BAD_USER_INPUT), not an internal error', async () => {
    const result = await run(entities, { r: [{ __typename: 'NoSuchType', creditCode: codes[0] }] }, { role: 'AUDITOR' });
    expect(result.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(result.errors[0].message).toContain('NoSuchType');
  });

  test('references outside the caller\'s scope are refused one by one, the rest resolve', async () => {
    const own = codes[0];
    const result = await run(entities, { r: [own, codes[1]].map((creditCode) => ({ __typename: 'Enterprise', creditCode })) }, { role: 'ENTERPRISE', creditCode: own });
    expect(result.data._entities[0].creditCode).toBe(own);
    expect(result.data._entities[1]).toBeNull();
    expect(result.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  test('logs are JSON lines carrying the gateway\'s request id', async () => {
    const id = 'req-2026-test-42';
    const creditCode = '91360732MA35QQ7T0' + creditCodeCheckChar('91360732MA35QQ7T0');
    const result = await run(
      `mutation($i: RegisterEnterpriseInput!) { registerEnterprise(input: $i) { creditCode } }`,
      {
        i: {
          creditCode,
          name: '兴国县日志测试商贸有限公司',
          legalRepresentative: '张三',
          legalRepresentativeIdNumber: '36073219850101002' + residentIdCheckChar('36073219850101002'),
          registeredOn: '2020-01-01',
          regionCode: '360732',
          industryCode: 'F51',
          scale: 'SMALL',
          address: '江西省赣州市兴国县潋江镇',
          bankName: '中国银行兴国支行',
          bankAccount: '12345678901',
        },
      },
      { role: 'ADMIN', region: '360700', subject: 'admin-1' },
      id,
    );
    expect(result.errors).toBeUndefined();
    expect(logLines).toContainEqual(
      expect.objectContaining({ service: 'enterprises', requestId: id, msg: 'enterprise registered', creditCode, by: 'admin-1', level: 'info' }),
    );
  });
});
