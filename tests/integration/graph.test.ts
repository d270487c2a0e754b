import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createServer, type Server } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, print } from 'graphql';
import { SignJWT } from 'jose';
import { creditCodeCheckChar } from '../../platform/credit-code';
import { generateKeyPairSync } from 'node:crypto';
import { createIdentitySigner, IDENTITY_HEADER } from '../../platform/identity';
import { residentIdCheckChar } from '../../subgraphs/kit/resident-id';
import { subgraphs } from '../../subgraphs/registry';
import { describeDb } from '../support/db';
import { createGateway } from '../../gateway';
import { SUPERGRAPH_RELOAD_CHANNEL, type SupergraphReload } from '../../gateway/supergraph';
import { postGraphql, startTestGraph, testConfig, type TestGraph } from '../support/graph';

/** Resolves with the next reload attempt of the supergraph at `path` (subscribe before changing it). */
function nextReload(path: string): Promise<SupergraphReload> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      if ((message as SupergraphReload).path !== path) return;
      unsubscribe(SUPERGRAPH_RELOAD_CHANNEL, onMessage);
      resolve(message as SupergraphReload);
    };
    subscribe(SUPERGRAPH_RELOAD_CHANNEL, onMessage);
  });
}

/** The whole graph for real: gateway over HTTP, both subgraphs on their own ports and databases. */
describeDb('the federated graph through the gateway', () => {
  let graph: TestGraph;
  let auditor: string;
  let xingguo: string; // a 兴国县 enterprise
  let yudu: string; // a 于都县 enterprise

  beforeAll(async () => {
    graph = await startTestGraph();
    auditor = await graph.token({ role: 'AUDITOR' });
    const first = async (regionCode: string) => {
      const { body } = await graph.query(`query($r: String) { enterprises(first: 1, filter: { regionCode: $r }) { nodes { creditCode } } }`, { r: regionCode }, auditor);
      return body.data.enterprises.nodes[0].creditCode as string;
    };
    xingguo = await first('360732');
    yudu = await first('360731');
  });
  afterAll(() => graph?.stop());

  test('every operation in examples.graphql runs without errors', async () => {
    const document = parse(readFileSync(join(__dirname, '..', '..', 'examples.graphql'), 'utf8'));
    const admin = await graph.token({ role: 'ADMIN', region: '360700' });
    const fragments = document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      // With the fragments it spreads (an unused fragment is a validation error).
      const text = print(definition);
      const used = fragments.filter((f) => text.includes(`...${f.name.value}`));
      const { body } = await graph.query([text, ...used.map((f) => print(f))].join('\n'), {}, definition.operation === 'mutation' ? admin : auditor);
      expect({ operation: definition.name?.value, errors: body.errors }).toEqual({ operation: definition.name?.value, errors: undefined });
    }
  });

  test('one query joins the enterprises and tax subgraphs', async () => {
    // An enterprise that has a tax profile, as the tax subgraph itself records it.
    const taxpayer = (
      await graph.query('{ taxpayers(first: 1, filter: { regionCode: "360732" }) { nodes { creditCode creditRating arrearsFen } } }', undefined, auditor)
    ).body.data.taxpayers.nodes[0];
    expect(taxpayer).toEqual({ creditCode: expect.any(String), creditRating: expect.any(String), arrearsFen: expect.any(Number) });
    const token = await graph.token({ role: 'APPROVAL_BUREAU', region: '360732' });
    const { status, body } = await graph.query(
      `query($cc: CreditCode!) { enterprise(creditCode: $cc) { name region { name } tax { creditRating arrearsFen } } }`,
      { cc: taxpayer.creditCode },
      token,
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.enterprise.region.name).toBe('兴国县');
    expect(body.data.enterprise.tax).toEqual({ creditRating: taxpayer.creditRating, arrearsFen: taxpayer.arrearsFen });
    const traced = await fetch(graph.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'window-7-20261125-001' },
      body: JSON.stringify({ query: '{ regions { code } }' }),
    });
    expect(traced.headers.get('x-request-id')).toBe('window-7-20261125-001');
    expect(body.data.enterprise.name).toEqual(expect.any(String));
  });

  test('200 enterprise references from the tax subgraph cost a constant number of SQL statements', async () => {
    const statements = graph.subgraphs.enterprises.db.statements;
    const countFor = async (first: number) => {
      const before = statements.length;
      const { body } = await graph.query(`query($n: Int!) { taxpayers(first: $n) { nodes { creditCode enterprise { name region { name } } } } }`, { n: first }, auditor);
      expect(body.errors).toBeUndefined();
      expect(body.data.taxpayers.nodes).toHaveLength(first);
      expect(body.data.taxpayers.nodes.every((n: any) => n.enterprise.name && n.enterprise.region.name)).toBe(true);
      return statements.slice(before).filter((s) => /^\s*select/i.test(s)).length;
    };
    const for200 = await countFor(200);
    const for10 = await countFor(10);
    // One SELECT … IN for the enterprises, one for their regions: not 200 of either.
    expect(for200).toBeLessThanOrEqual(2);
    expect(for200).toBe(for10);
  });

  test('a wrong credit code is refused with INVALID_CREDIT_CODE and says what is wrong', async () => {
    const wrongCheck = xingguo.slice(0, 17) + (xingguo[17] === '0' ? '1' : '0');
    for (const [variables, pattern] of [
      [{ cc: wrongCheck }, `校验位错误：第18位应为“${xingguo[17]}”，实际为“${wrongCheck[17]}”`],
      [{ cc: 'I' + xingguo.slice(1) }, '第1位“I”不是有效字符'],
      [{ cc: xingguo.slice(0, 17) }, '应为18位，实际为17位'],
    ] as const) {
      const { body } = await graph.query(`query($cc: CreditCode!) { enterprise(creditCode: $cc) { name } }`, variables, auditor);
      expect(body.errors[0].extensions.code).toBe('INVALID_CREDIT_CODE');
      expect(body.errors[0].message).toContain(pattern);
    }
    const literal = await graph.query(`{ enterprise(creditCode: "${wrongCheck}") { name } }`, undefined, auditor);
    expect(literal.body.errors[0].extensions.code).toBe('INVALID_CREDIT_CODE');
  });

  describe('identity', () => {
    test('a token that does not verify is refused with 401, not served as the public', async () => {
      const forged = await new SignJWT({ role: 'ADMIN', region: '360700' })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('qinqing-hub')
        .setAudience('qinqing-hub')
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode('not-the-secret-not-the-secret-not-the-secret'));
      const { status, body } = await graph.query('{ departments { code } }', undefined, forged);
      expect(status).toBe(401);
      expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    });

    test('the public sees the directory but no enterprise data', async () => {
      const directory = await graph.query('{ departments(regionCode: "360732") { code shortName } regions { code name } }');
      expect(directory.body.data.departments.map((d: any) => d.shortName)).toEqual(expect.arrayContaining(['县发改委', '县行政审批局', '县税务局', '经开区管委会']));
      const { body } = await graph.query(`query($cc: CreditCode!) { enterprise(creditCode: $cc) { name } }`, { cc: xingguo });
      expect(body.data.enterprise).toBeNull();
      expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    });

    test('a subgraph called directly with a forged identity, or none, serves nothing', async () => {
      const url = graph.subgraphs.enterprises.http.url;
      const otherKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      const forged = await (await createIdentitySigner(otherKey)).sign({ role: 'AUDITOR' }, 'enterprises');
      const refused = await postGraphql(url, { query: `{ enterprises(first: 1) { totalCount } }` }, { [IDENTITY_HEADER]: forged });
      expect(refused.status).toBe(401);
      expect(refused.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(refused.body.data).toBeUndefined();

      const missing = await postGraphql(url, { query: `{ enterprises(first: 1) { totalCount } }` });
      expect(missing.status).toBe(401);
      expect(missing.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(missing.body.data).toBeUndefined();

      const genuine = await graph.signIdentity({ role: 'AUDITOR' }, 'enterprises');
      const served = await postGraphql(url, { query: `{ enterprises(first: 1) { totalCount } }` }, { [IDENTITY_HEADER]: genuine });
      expect(served.body.data.enterprises.totalCount).toBeGreaterThan(2000);
    });
  });

  describe('scoping by region and role', () => {
    const count = async (token: string) => (await graph.query('{ enterprises(first: 1) { totalCount } }', undefined, token)).body.data.enterprises.totalCount as number;

    test('an enterprise sees only itself', async () => {
      const token = await graph.token({ role: 'ENTERPRISE', creditCode: xingguo });
      expect(await count(token)).toBe(1);
      const own = await graph.query(`query($cc: CreditCode!) { enterprise(creditCode: $cc) { creditCode } }`, { cc: xingguo }, token);
      expect(own.body.data.enterprise.creditCode).toBe(xingguo);
      const other = await graph.query(`query($cc: CreditCode!) { enterprise(creditCode: $cc) { creditCode } }`, { cc: yudu }, token);
      expect(other.body.errors[0].extensions.code).toBe('FORBIDDEN');
    });

    test('a county official sees their county only; the city sees its counties; the auditor sees all', async () => {
      const county = await graph.token({ role: 'WINDOW_CLERK', region: '360732' });
      const city = await graph.token({ role: 'ADMIN', region: '360700' });
      const [inCounty, inCity, all] = [await count(county), await count(city), await count(auditor)];
      expect(inCounty).toBeLessThan(inCity);
      expect(inCity).toBe(all);
      const outside = await graph.query(`query($cc: CreditCode!) { enterprise(creditCode: $cc) { name } }`, { cc: yudu }, county);
      expect(outside.body.errors[0].extensions.code).toBe('FORBIDDEN');
      const filtered = await graph.query('{ enterprises(filter: { regionCode: "360731" }) { totalCount } }', undefined, county);
      expect(filtered.body.errors[0].extensions.code).toBe('FORBIDDEN');
    });

    test('the auditor reads everything and writes nothing', async () => {
      const { body } = await graph.query(
        `mutation { registerEnterprise(input: { creditCode: "${xingguo}", name: "x", legalRepresentative: "x", legalRepresentativeIdNumber: "x", registeredOn: "2020-01-01", regionCode: "360732", industryCode: "C39", scale: SMALL, address: "x", bankName: "x", bankAccount: "1" }) { name } }`,
        undefined,
        auditor,
      );
      expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect(body.errors[0].message).toBe('审计角色只读，不能修改数据');
    });
  });

  test('sensitive fields are masked for everyone who does not need them', async () => {
    const q = `query($cc: CreditCode!) { enterprise(creditCode: $cc) { legalRepresentative { name idNumber masked } bankAccount { accountNumber masked } } }`;
    const as = async (claims: Parameters<TestGraph['token']>[0]) =>
      (await graph.query(q, { cc: xingguo }, await graph.token(claims))).body.data.enterprise;
    const self = await as({ role: 'ENTERPRISE', creditCode: xingguo });
    const payer = await as({ role: 'APPROVAL_BUREAU', region: '360732' });
    const clerk = await as({ role: 'WINDOW_CLERK', region: '360732' });
    const finance = await as({ role: 'FINANCE', region: '360732' });
    const audit = (await graph.query(q, { cc: xingguo }, auditor)).body.data.enterprise;

    expect(self.bankAccount.masked).toBe(false);
    expect(self.legalRepresentative.idNumber).toMatch(/^\d{17}[\dX]$/);
    expect(payer.bankAccount.masked).toBe(false);
    expect(clerk.legalRepresentative.masked).toBe(false);
    expect(clerk.bankAccount.masked).toBe(true);
    expect(clerk.bankAccount.accountNumber).toMatch(/^\d{4}\*+\d{4}$/);
    expect(finance.legalRepresentative.masked).toBe(true);
    expect(finance.legalRepresentative.idNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    expect(finance.legalRepresentative.name).toContain('*');
    expect(audit.bankAccount.masked).toBe(true);
  });

  describe('limits', () => {
    // The limits themselves: tests/integration/limits.test.ts.
    test('CSRF prevention refuses a simple GET without a preflight header; batching is off', async () => {
      const url = `${graph.gatewayUrl}?query=${encodeURIComponent('{ regions { code } }')}`;
      const get = await fetch(url);
      expect(get.status).toBe(400);
      const refused = (await get.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(refused.errors[0].extensions.code).toBe('BAD_REQUEST');
      expect(refused.errors[0].message).toMatch(/Cross-Site Request Forgery \(CSRF\)/);
      // The same GET with the preflight header is served: the header, not GET, was the reason.
      const preflighted = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
      expect(preflighted.status).toBe(200);
      expect(((await preflighted.json()) as any).data.regions.length).toBeGreaterThan(0);

      const batch = await postGraphql(graph.gatewayUrl, [{ query: '{ regions { code } }' }, { query: '{ regions { code } }' }]);
      expect(batch.status).toBe(400);
      expect(batch.body.errors[0]).toMatchObject({ message: 'Operation batching disabled.', extensions: { code: 'BAD_REQUEST' } });
    });
  });

  describe('registering an enterprise', () => {
    const input = (over: Record<string, unknown> = {}) => ({
      creditCode: '91360732MA35G8KX2' + creditCodeCheckChar('91360732MA35G8KX2'),
      name: '兴国县测试登记科技有限公司',
      legalRepresentative: '张三',
      legalRepresentativeIdNumber: '36073219900307001' + residentIdCheckChar('36073219900307001'),
      registeredOn: '2024-05-06',
      regionCode: '360732',
      industryCode: 'I65',
      scale: 'SMALL',
      tags: ['TECH_SME'],
      address: '江西省赣州市兴国县潋江镇将军大道1号',
      bankName: '江西兴国农村商业银行营业部',
      bankAccount: '6228480012345678',
      ...over,
    });
    const mutation = `mutation($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { creditCode name tags } }`;

    test('every problem is listed at once and nothing is written', async () => {
      const samr = await graph.token({ role: 'DEPARTMENT_SYSTEM', department: '360732-SAMR', region: '360732' });
      const before = (await graph.query('{ enterprises { totalCount } }', undefined, auditor)).body.data.enterprises.totalCount;
      const { body } = await graph.query(mutation, { input: input({ legalRepresentativeIdNumber: '36073219900307001' + (residentIdCheckChar('36073219900307001') === '1' ? '2' : '1'), industryCode: 'Z99', bankAccount: 'abc' }) }, samr);
      expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(body.errors[0].extensions.problems.map((p: any) => p.field).sort()).toEqual(['bankAccount', 'industryCode', 'legalRepresentativeIdNumber']);
      const after = (await graph.query('{ enterprises { totalCount } }', undefined, auditor)).body.data.enterprises.totalCount;
      expect(after).toBe(before);
    });

    test('the market regulator registers; a second time is ALREADY_EXISTS; other departments may not', async () => {
      const samr = await graph.token({ role: 'DEPARTMENT_SYSTEM', department: '360732-SAMR', region: '360732' });
      const tax = await graph.token({ role: 'DEPARTMENT_SYSTEM', department: '360732-TAX', region: '360732' });
      const valid = input();
      const refused = await graph.query(mutation, { input: valid }, tax);
      expect(refused.body.errors[0].extensions.code).toBe('FORBIDDEN');
      const created = await graph.query(mutation, { input: valid }, samr);
      expect(created.body.errors).toBeUndefined();
      expect(created.body.data.registerEnterprise).toEqual({ creditCode: valid.creditCode, name: valid.name, tags: ['TECH_SME'] });
      const again = await graph.query(mutation, { input: valid }, samr);
      expect(again.body.errors[0].extensions.code).toBe('ALREADY_EXISTS');
    });
  });

  test('pagination walks the list with cursors, without overlaps', async () => {
    const token = await graph.token({ role: 'WINDOW_CLERK', region: '360731' });
    const q = `query($after: String) { enterprises(first: 100, after: $after) { totalCount nodes { creditCode regionCode } pageInfo { hasNextPage endCursor } } }`;
    const seen = new Set<string>();
    let after: string | null = null;
    let total = 0;
    for (let page = 0; page < 50; page++) {
      const { body }: any = await graph.query(q, { after }, token);
      total = body.data.enterprises.totalCount;
      for (const n of body.data.enterprises.nodes) {
        expect(n.regionCode).toBe('360731');
        seen.add(n.creditCode);
      }
      if (!body.data.enterprises.pageInfo.hasNextPage) break;
      after = body.data.enterprises.pageInfo.endCursor;
    }
    expect(seen.size).toBe(total);
    const bad = await graph.query(q.replace('first: 100', 'first: 150'), { after: null }, token);
    expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  test('the supergraph file is reloaded on change without dropping requests', async () => {
    const original = readFileSync(graph.supergraphPath, 'utf8');
    const changed = original.replace('"""部门目录（公开）；可按地区筛选"""', '"""部门目录（公开，已热更新）"""');
    expect(changed).not.toBe(original);
    const description = async () =>
      (await graph.query('{ __schema { queryType { fields { name description } } } }')).body.data.__schema.queryType.fields.find((f: any) => f.name === 'departments').description;
    expect(await description()).toMatch(/可按地区筛选/);
    // Requests keep coming before, during and after the swap; none may fail.
    const failures: unknown[] = [];
    let served = 0;
    let stopAt = Infinity;
    let warmedUp!: () => void;
    const serving = new Promise<void>((resolve) => (warmedUp = resolve));
    const load = (async () => {
      while (served < stopAt) {
        const { status, body } = await graph.query('{ regions { code } }');
        if (status !== 200 || body.errors) failures.push(body);
        if (++served === 1) warmedUp();
      }
    })();
    await serving;
    const reloaded = nextReload(graph.supergraphPath);
    writeFileSync(graph.supergraphPath, changed);
    expect(await reloaded).toEqual({ path: graph.supergraphPath, outcome: 'reloaded' });
    stopAt = served + 3; // a few more on the new schema
    await load;
    expect(await description()).toMatch(/已热更新/);
    expect(failures).toEqual([]);

    // A broken file is ignored: the graph keeps serving the last good schema.
    const rejected = nextReload(graph.supergraphPath);
    writeFileSync(graph.supergraphPath, 'this is not a supergraph');
    expect(await rejected).toMatchObject({ outcome: 'rejected', error: expect.any(Error) });
    expect(await description()).toMatch(/已热更新/);
    const restored = nextReload(graph.supergraphPath);
    writeFileSync(graph.supergraphPath, original);
    expect((await restored).outcome).toBe('reloaded');
    expect(await description()).toMatch(/可按地区筛选/);
  });

  test('in production there is no introspection and no IDE; outside it the IDE works offline', async () => {
    const ide = await fetch(graph.gatewayUrl, { headers: { accept: 'text/html' } });
    const html = await ide.text();
    expect(html).toContain('graphiql');
    expect(html).not.toMatch(/https?:\/\//);
    expect((await fetch(graph.gatewayUrl.replace('/graphql', '/ide/graphiql.min.js'))).status).toBe(200);

    const production = await createGateway(
      testConfig({
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://unused@127.0.0.1/unused',
        SUPERGRAPH_PATH: graph.supergraphPath,
      }),
      { serviceUrls: graph.serviceUrls },
    );
    const http = await production.listen(0, '127.0.0.1');
    try {
      const introspection = await postGraphql(http.url, { query: '{ __schema { types { name } } }' });
      expect(introspection.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      const page = await fetch(http.url, { headers: { accept: 'text/html' } });
      expect(await page.text()).not.toContain('graphiql');
      expect((await fetch(http.url.replace('/graphql', '/ide/graphiql.min.js'))).status).toBe(404);
      const served = await postGraphql(http.url, { query: '{ regions { code } }' });
      expect(served.body.data.regions.length).toBeGreaterThan(0);
    } finally {
      await production.stop();
    }
  });

  describe('a subgraph that goes down', () => {
    test('/ready reports every subgraph; /health stays up', async () => {
      const ready = await fetch(graph.gatewayUrl.replace('/graphql', '/ready'));
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as any).subgraphs).toEqual({ ...Object.fromEntries(subgraphs.map((s) => [s.name, 'ok'])), hrss: 'ok' });
    });

    test('stopped: partial data plus an error naming it; hung: the same within the timeout', async () => {
      const tax = graph.subgraphs.tax;
      const port = tax.http.port;
      await tax.http.close();
      const token = await graph.token({ role: 'APPROVAL_BUREAU', region: '360732' });
      const q = `query($cc: CreditCode!) { enterprise(creditCode: $cc) { name tax { creditRating } } }`;

      const down = await graph.query(q, { cc: xingguo }, token);
      expect(down.status).toBe(200);
      expect(down.body.data.enterprise.name).toEqual(expect.any(String));
      expect(down.body.data.enterprise.tax).toBeNull();
      expect(down.body.errors[0].extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'tax' });
      expect(down.body.errors[0].message).toBe('子图 tax 暂时无法访问，其余数据照常返回，请稍后重试');
      const ready = await fetch(graph.gatewayUrl.replace('/graphql', '/ready'));
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as any).subgraphs.tax).toBe('unreachable');

      // A subgraph that accepts the connection and never answers: the gateway's deadline cuts it.
      const sockets = new Set<import('node:net').Socket>();
      const hung: Server = createServer(() => undefined);
      hung.on('connection', (s) => sockets.add(s));
      await new Promise<void>((resolve) => hung.listen(port, '127.0.0.1', resolve));
      try {
        const slow = await graph.query(q, { cc: xingguo }, token);
        expect(slow.body.data.enterprise.name).toEqual(expect.any(String));
        expect(slow.body.errors[0].extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'tax' });
        // The tax subgraph's own deadline (800 ms) cut it, not the global one: the message names it.
        expect(slow.body.errors[0].message).toBe('子图 tax 响应超时（超过 800 毫秒），其余数据照常返回，请稍后重试');
        const health = await fetch(graph.gatewayUrl.replace('/graphql', '/health'));
        expect(health.status).toBe(200);
      } finally {
        for (const s of sockets) s.destroy();
        await new Promise<void>((resolve) => hung.close(() => resolve()));
      }
    });
  });
});
