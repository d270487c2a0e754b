import { makeCreditCode } from '../../platform/credit-code';
import type { Logger } from '../../platform/logger';
import { residentIdCheckChar } from '../../subgraphs/kit/resident-id';
import { describeDb, testDriver } from '../support/db';
import { startTestGraph, type TestGraph } from '../support/graph';

/** Everything a logger was given, serialized the way a log sink would (errors with message, stack and own fields). */
function capturingLogger(lines: string[], bindings: Record<string, unknown> = {}): Logger {
  const serialize = (value: unknown): unknown =>
    value instanceof Error ? { ...value, name: value.name, message: value.message, stack: value.stack, cause: serialize((value as { cause?: unknown }).cause) } : value;
  const emit = (level: string) => (msg: string, fields: Record<string, unknown> = {}) => {
    lines.push(JSON.stringify({ level, msg, ...bindings, ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, serialize(v)])) }));
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error'), child: (fields) => capturingLogger(lines, { ...bindings, ...fields }) };
}

const REGISTER = 'mutation($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { creditCode name } }';
const SEARCH = 'query($q: String) { enterprises(first: 100, filter: { nameContains: $q }) { totalCount nodes { name } } }';

/** Inputs at the edge: validated declaratively, every problem at once, bound as parameters, never echoed whole. */
describeDb(`inputs (${testDriver})`, () => {
  let graph: TestGraph;
  let admin: string;
  let auditor: string;
  const logged: string[] = [];
  let serial = 0;
  const registration = (over: Record<string, unknown> = {}) => {
    serial++;
    const regionCode = (over.regionCode as string) ?? '360732';
    return {
      creditCode: makeCreditCode({ authority: '9', entityType: '1', regionCode, orgBody8: `TN${String(serial).padStart(6, '0')}` }),
      name: `输入测试第${serial}号有限公司`,
      legalRepresentative: '王五',
      legalRepresentativeIdNumber: '36073219800202003' + residentIdCheckChar('36073219800202003'),
      registeredOn: '2019-03-04',
      regionCode,
      industryCode: 'C39',
      scale: 'SMALL',
      address: '江西省赣州市兴国县潋江镇输入路8号',
      bankName: '江西兴国农村商业银行',
      bankAccount: '6228480000000002',
      ...over,
    };
  };

  beforeAll(async () => {
    graph = await startTestGraph({ subgraphLog: capturingLogger(logged) });
    admin = await graph.token({ role: 'ADMIN', region: '360700' });
    auditor = await graph.token({ role: 'AUDITOR' });
  });
  afterAll(() => graph?.stop());

  const problemsOf = (body: any) => {
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    return (body.errors[0].extensions.problems as { field: string; message: string }[]).map((p) => p.field).sort();
  };

  test('every problem of a registration at once: impossible date, over-long and invisible characters, wrong region in the code', async () => {
    const { body } = await graph.query(
      REGISTER,
      {
        input: registration({
          registeredOn: '2023-02-30',
          name: '兴'.repeat(201),
          legalRepresentative: '王\u202E五',
          address: '江西省赣州市\u0000兴国县',
          bankName: '江西\u200B银行',
          creditCode: makeCreditCode({ authority: '9', entityType: '1', regionCode: '360731', orgBody8: 'TN999999' }),
        }),
      },
      admin,
    );
    expect(problemsOf(body)).toEqual(['address', 'bankName', 'creditCode', 'legalRepresentative', 'name', 'registeredOn']);
    const messages = body.errors[0].extensions.problems.map((p: any) => p.message).join('\n');
    expect(messages).toMatch(/U\+0000/);
    expect(messages).toMatch(/U\+202E/);
    expect(messages).toMatch(/U\+200B/);
    expect(messages).toMatch(/第3–8位（360731）/);
    expect(body.errors[0].extensions.validationErrors).toBeUndefined();
  });

  test('dates must be real and plausible', async () => {
    for (const registeredOn of ['1900-01-01', '2999-01-01', '2024-13-01', '20240101', '2024-02-29x']) {
      const { body } = await graph.query(REGISTER, { input: registration({ registeredOn }) }, admin);
      expect({ registeredOn, fields: problemsOf(body) }).toEqual({ registeredOn, fields: ['registeredOn'] });
    }
    const leap = await graph.query(REGISTER, { input: registration({ registeredOn: '2024-02-29' }) }, admin);
    expect(leap.body.errors).toBeUndefined();
  });

  test('filters and page arguments are validated too, before any SQL', async () => {
    const statements = graph.subgraphs.enterprises.db.statements;
    const before = statements.length;
    for (const [query, variables, field] of [
      [SEARCH, { q: 'a\u0000b' }, 'nameContains'],
      ['query($r: String) { enterprises(filter: { regionCode: $r }) { totalCount } }', { r: '3607' }, 'regionCode'],
      ['query($i: String) { enterprises(filter: { industry: $i }) { totalCount } }', { i: "C'; drop table enterprise; --" }, 'industry'],
      ['query($a: String) { enterprises(after: $a) { totalCount } }', { a: Buffer.from('k:\u0000').toString('base64url') }, 'after'],
      ['query($r: String) { taxpayers(filter: { regionCode: $r }) { totalCount } }', { r: '36073２' }, 'regionCode'],
      ['query($r: String) { departments(regionCode: $r) { code } }', { r: "360732' or 1=1" }, 'regionCode'],
      ['query($c: String!) { department(code: $c) { code } }', { c: 'X\u0000' }, 'code'],
    ] as const) {
      const { body } = await graph.query(query, variables, auditor);
      expect({ query, fields: problemsOf(body) }).toEqual({ query, fields: [field] });
    }
    expect(statements.length).toBe(before);
    const page = await graph.query('{ enterprises(first: 0) { totalCount } }', undefined, auditor);
    expect(problemsOf(page.body)).toEqual(['first']);
  });

  test("quotes, %, _ and backslashes are bound and matched literally (LIKE … ESCAPE '\\')", async () => {
    const names = ["奥'利%达_科技有限公司", '百分之百%公司', '下划_线有限公司', '反斜\\杠有限公司', '普通百分之百公司', '下划X线有限公司'];
    for (const name of names) {
      const { body } = await graph.query(REGISTER, { input: registration({ name }) }, admin);
      expect(body.errors).toBeUndefined();
    }
    const found = async (q: string) => ((await graph.query(SEARCH, { q }, auditor)).body.data.enterprises.nodes as { name: string }[]).map((n) => n.name).sort();
    expect(await found('%')).toEqual(["奥'利%达_科技有限公司", '百分之百%公司']);
    expect(await found('划_线')).toEqual(['下划_线有限公司']);
    expect(await found('\\')).toEqual(['反斜\\杠有限公司']);
    expect(await found("'利%达_")).toEqual(["奥'利%达_科技有限公司"]);
    expect(await found("' or '1'='1")).toEqual([]);
    // The parameter is bound: the SQL text never carries the user's text.
    expect(graph.subgraphs.enterprises.db.statements.some((s) => s.includes("利%达"))).toBe(false);
  });

  test('errors quote at most a short prefix of a bad value', async () => {
    const huge = 'C' + '9'.repeat(5000);
    const { body } = await graph.query(REGISTER, { input: registration({ industryCode: huge, registeredOn: huge }) }, admin);
    expect(problemsOf(body)).toEqual(['industryCode', 'registeredOn']);
    expect(JSON.stringify(body)).not.toContain('9'.repeat(40));
    const code = await graph.query('query($cc: CreditCode!) { enterprise(creditCode: $cc) { name } }', { cc: 'X'.repeat(5000) }, auditor);
    expect(code.body.errors[0].extensions.code).toBe('INVALID_CREDIT_CODE');
    expect(JSON.stringify(code.body)).not.toContain('X'.repeat(40));
  });

  test("ALREADY_EXISTS names the holder only to a caller who may read it", async () => {
    const holder = registration();
    expect((await graph.query(REGISTER, { input: holder }, admin)).body.errors).toBeUndefined();
    const yuduAdmin = await graph.token({ role: 'ADMIN', region: '360731' });
    const clash = await graph.query(REGISTER, { input: registration({ regionCode: '360731', name: holder.name }) }, yuduAdmin);
    expect(clash.body.errors[0].extensions.code).toBe('ALREADY_EXISTS');
    expect(JSON.stringify(clash.body.errors)).not.toContain(holder.creditCode);
    const sameCity = await graph.query(REGISTER, { input: registration({ name: holder.name }) }, admin);
    expect(sameCity.body.errors[0].extensions.code).toBe('ALREADY_EXISTS');
    expect(sameCity.body.errors[0].message).toContain(holder.creditCode);
  });

  test('50 identical registrations at once: one succeeds, 49 are ALREADY_EXISTS, no ID number in any log line', async () => {
    const idNumber = '36073219750505004' + residentIdCheckChar('36073219750505004');
    const input = registration({ legalRepresentativeIdNumber: idNumber });
    const samr = await graph.token({ role: 'DEPARTMENT_SYSTEM', department: '360732-SAMR', region: '360732' });
    const before = logged.length;
    const results = await Promise.all(Array.from({ length: 50 }, () => graph.query(REGISTER, { input }, samr)));
    const codes = results.map((r) => r.body.errors?.[0]?.extensions?.code ?? 'OK');
    expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
    expect(codes.filter((c) => c === 'ALREADY_EXISTS')).toHaveLength(49);
    const lines = logged.slice(before).join('\n');
    expect(lines).toContain('enterprise registered'); // the capture works
    expect(lines).not.toContain(idNumber);
    expect(lines).not.toMatch(/insert into/i);
    expect(JSON.stringify(results.map((r) => r.body))).not.toContain(idNumber);
  });
});
