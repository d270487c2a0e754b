import { randomUUID } from 'node:crypto';
import { makeCreditCode } from '../../platform/credit-code';
import { AuditEntry } from '../../subgraphs/audit/audit-entry.entity';
import { appendAuditEvent, type AuditedEvent } from '../../subgraphs/audit/chain';
import { describeDb, testDriver } from '../support/db';
import { startTestGraph, type TestGraph } from '../support/graph';

const XINGGUO = makeCreditCode({ authority: '9', entityType: '1', regionCode: '360732', orgBody8: 'AU000001' });
const YUDU = makeCreditCode({ authority: '9', entityType: '1', regionCode: '360731', orgBody8: 'AU000002' });

const event = (family: 'audit' | 'access', payload: Record<string, unknown>): AuditedEvent => ({
  id: randomUUID(),
  family,
  type: family === 'audit' ? 'audit.mutation' : 'access.read',
  source: String(payload.subgraph),
  occurredAt: new Date().toISOString(),
  requestId: randomUUID(),
  payload,
});

/** Three entries: a SAMR registration in 兴国, a clerk reading tax data of both counties, a 于都 tax change. */
const FIXTURE: AuditedEvent[] = [
  event('audit', {
    actor: { subject: 'samr-1', role: 'DEPARTMENT_SYSTEM', region: '360732', department: '360732-SAMR' },
    action: 'registerEnterprise',
    subgraph: 'enterprises',
    ownerDepartment: 'SAMR',
    entity: 'Enterprise',
    entityId: XINGGUO,
    operation: 'CREATE',
    enterprise: XINGGUO,
    region: '360732',
    before: null,
    after: { name: '兴国审计测试有限公司' },
  }),
  event('access', {
    actor: { subject: 'clerk-1', role: 'WINDOW_CLERK', region: '360732' },
    purpose: '兑现案件 2026-007',
    subgraph: 'tax',
    ownerDepartment: 'TAX',
    what: 'Enterprise.tax',
    enterprises: [XINGGUO],
    unmasked: [],
  }),
  event('audit', {
    actor: { subject: 'tax-yudu', role: 'DEPARTMENT_SYSTEM', region: '360731', department: '360731-TAX' },
    action: 'updateTaxProfile',
    subgraph: 'tax',
    ownerDepartment: 'TAX',
    entity: 'TaxProfile',
    entityId: YUDU,
    operation: 'UPDATE',
    enterprise: YUDU,
    region: '360731',
    before: { creditRating: 'B' },
    after: { creditRating: 'A' },
  }),
];

const EVENTS = `query($filter: AuditEventFilter, $after: String) {
  auditEvents(filter: $filter, first: 2, after: $after) { totalCount nodes { seq kind action enterprises actor { subject department } purpose before after hash } pageInfo { hasNextPage endCursor } }
}`;

describeDb(`the audit trail through the gateway (${testDriver})`, () => {
  let graph: TestGraph;
  let tokens: Record<string, string>;
  let stored: number;

  beforeAll(async () => {
    graph = await startTestGraph({ demo: false });
    const orm = graph.subgraphs.audit.db.orm;
    // Whatever the graph's own start recorded stays; ours follow.
    stored = await orm.em.fork().count(AuditEntry, {});
    for (const e of FIXTURE) await orm.em.fork().transactional((em) => appendAuditEvent(em, e));
    tokens = {
      auditor: await graph.token({ role: 'AUDITOR' }),
      taxXingguo: await graph.token({ role: 'DEPARTMENT_REVIEWER', department: '360732-TAX', region: '360732' }),
      samrXingguo: await graph.token({ role: 'DEPARTMENT_SYSTEM', department: '360732-SAMR', region: '360732' }),
      taxYudu: await graph.token({ role: 'DEPARTMENT_SYSTEM', department: '360731-TAX', region: '360731' }),
      admin: await graph.token({ role: 'ADMIN', region: '360700' }),
      auditBureau: await graph.token({ role: 'DEPARTMENT_REVIEWER', department: '360732-AUDIT', region: '360732' }),
      clerk: await graph.token({ role: 'WINDOW_CLERK', region: '360732' }),
    };
  });
  afterAll(() => graph?.stop());

  const actions = async (token: string, filter: Record<string, unknown> = {}) => {
    const all: string[] = [];
    let after: string | null = null;
    do {
      const { body }: { body: any } = await graph.query(EVENTS, { filter, after }, token);
      expect(body.errors).toBeUndefined();
      all.push(...body.data.auditEvents.nodes.map((n: { action: string }) => n.action));
      after = body.data.auditEvents.pageInfo.hasNextPage ? body.data.auditEvents.pageInfo.endCursor : null;
    } while (after);
    return all;
  };

  test('the auditor reads every event, filtered and paged', async () => {
    expect((await actions(tokens.auditor)).slice(stored)).toEqual(['registerEnterprise', 'Enterprise.tax', 'updateTaxProfile']);
    expect(await actions(tokens.auditor, { enterprise: XINGGUO })).toEqual(['registerEnterprise', 'Enterprise.tax']);
    expect(await actions(tokens.auditor, { kind: 'ACCESS', action: 'Enterprise.tax' })).toEqual(['Enterprise.tax']);
    expect(await actions(tokens.auditor, { actor: 'tax-yudu' })).toEqual(['updateTaxProfile']);
    expect(await actions(tokens.auditor, { entity: 'Enterprise' })).toEqual(['registerEnterprise']);
    expect(await actions(tokens.auditor, { department: '360731-TAX' })).toEqual(['updateTaxProfile']);
    expect(await actions(tokens.auditor, { from: '2000-01-01T00:00:00Z', to: '2000-01-02T00:00:00Z' })).toEqual([]);
    const { body } = await graph.query(EVENTS, { filter: { action: 'updateTaxProfile' } }, tokens.auditor);
    const [entry] = body.data.auditEvents.nodes;
    expect(entry).toMatchObject({ kind: 'MUTATION', actor: { subject: 'tax-yudu', department: '360731-TAX' }, before: '{"creditRating":"B"}', after: '{"creditRating":"A"}' });
    expect(entry.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  test('a department reads only its own events: caused by its staff or on its data in its region', async () => {
    expect(await actions(tokens.taxXingguo)).toEqual(['Enterprise.tax']);
    expect(await actions(tokens.taxYudu)).toEqual(['updateTaxProfile']);
    expect(await actions(tokens.samrXingguo)).toEqual(['registerEnterprise']);
    // A filter naming another department narrows, never widens.
    expect(await actions(tokens.taxXingguo, { department: '360731-TAX' })).toEqual([]);
  });

  test('everybody else is refused; a bad filter is BAD_USER_INPUT', async () => {
    for (const token of [tokens.admin, tokens.clerk]) {
      const { body } = await graph.query(EVENTS, {}, token);
      expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
    }
    expect((await graph.query(EVENTS, {})).body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const { body } = await graph.query(EVENTS, { filter: { department: 'NOPE' } }, tokens.auditor);
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  test('verifyAuditChain and checkpoints: the auditor only', async () => {
    const verify = '{ verifyAuditChain { ok checkedEntries firstBrokenSeq problem lastCheckpointSeq lastCheckpointVerified } }';
    const { body } = await graph.query(verify, {}, tokens.auditor);
    expect(body.data.verifyAuditChain).toMatchObject({ ok: true, firstBrokenSeq: null });
    expect(body.data.verifyAuditChain.checkedEntries).toBeGreaterThanOrEqual(3);
    expect((await graph.query(verify, {}, tokens.taxXingguo)).body.errors[0].extensions.code).toBe('FORBIDDEN');
    const bad = await graph.query('{ verifyAuditChain(from: 0) { ok } }', {}, tokens.auditor);
    expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    // The auditor reads; sealing is a write: administrators and the audit bureau's staff.
    const seal = 'mutation { signAuditCheckpoint { seq hash keyId } }';
    expect((await graph.query(seal, {}, tokens.auditor)).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await graph.query(seal, {}, tokens.taxXingguo)).body.errors[0].extensions.code).toBe('FORBIDDEN');
    const signed = await graph.query(seal, {}, tokens.auditBureau);
    expect(signed.body.errors).toBeUndefined();
    expect(signed.body.data.signAuditCheckpoint.seq).toBeGreaterThanOrEqual(3);
    const list = await graph.query('{ auditCheckpoints(first: 10) { totalCount nodes { seq signature } } }', {}, tokens.auditor);
    expect(list.body.data.auditCheckpoints.totalCount).toBeGreaterThanOrEqual(1);
    expect((await graph.query(verify, {}, tokens.auditor)).body.data.verifyAuditChain).toMatchObject({ ok: true, lastCheckpointVerified: true });
  });

  const origin = () => new URL(graph.gatewayUrl).origin;
  const download = (query: string, token?: string) =>
    fetch(`${origin()}/exports/audit/audit-events.csv${query}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });

  test('CSV export through the gateway: BOM, Chinese headers, the caller scope, the filter', async () => {
    const response = await download(`?enterprise=${XINGGUO}`, tokens.auditor);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.headers.get('content-disposition')).toContain('attachment');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trim().split('\n');
    expect(lines[0]).toMatch(/^序号,类别,发生时间,操作人,角色/);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('registerEnterprise');
    expect(lines[2]).toContain('访问');
    expect(lines[2]).toContain('兑现案件 2026-007');

    const own = (await (await download('', tokens.taxYudu)).text()).trim().split('\n');
    expect(own).toHaveLength(2);
    expect(own[1]).toContain('updateTaxProfile');
  });

  test('CSV export: a value a caller chose cannot run as a spreadsheet formula (CSV injection)', async () => {
    const orm = graph.subgraphs.audit.db.orm;
    const payload = { ...FIXTURE[1].payload, what: 'Enterprise.formula', purpose: '=HYPERLINK("http://evil.example","点我")', actor: { subject: '@SUM(1+1)', role: 'WINDOW_CLERK', region: '360732' } };
    await orm.em.fork().transactional((em) => appendAuditEvent(em, { ...FIXTURE[1], id: randomUUID(), payload }));
    const text = await (await download('?action=Enterprise.formula', tokens.auditor)).text();
    const row = text.trim().split('\n')[1];
    expect(row).toContain(`"'=HYPERLINK(""http://evil.example"",""点我"")"`);
    expect(row).toContain("'@SUM(1+1)");
    expect(row).not.toMatch(/(^|,)[=@+-]/);
  });

  test('CSV export refused without a token, to other roles, and on a bad filter', async () => {
    const anonymous = await download('');
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const forged = await download('', 'not-a-token');
    expect(forged.status).toBe(401);
    expect((await download('', tokens.clerk)).status).toBe(403);
    const bad = await download('?kind=SOMETHING&from=yesterday', tokens.auditor);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).errors[0].extensions.problems).toHaveLength(2);
    expect((await fetch(`${origin()}/exports/nope/x.csv`)).status).toBe(404);
  });

  test('a long export is streamed page by page: 1,100 rows, three bounded SELECTs', async () => {
    const orm = graph.subgraphs.audit.db.orm;
    const many = Array.from({ length: 1100 }, () => ({ ...FIXTURE[1], id: randomUUID(), payload: { ...FIXTURE[1].payload, what: 'Enterprise.bulk' } }));
    await orm.em.fork().transactional(async (em) => {
      for (const e of many) await appendAuditEvent(em, e);
    });
    const statements = graph.subgraphs.audit.db.statements;
    const before = statements.length;
    const response = await download('?action=Enterprise.bulk', tokens.auditor);
    const lines = (await response.text()).trim().split('\n');
    expect(lines).toHaveLength(1101);
    // The export's pages: ascending by seq, bounded (the chain's own appends read the head descending).
    const pages = statements.slice(before).filter((sql) => /audit_entry[`"]? /.test(sql) && /order by \S+ asc/i.test(sql) && /limit/i.test(sql));
    expect(pages).toHaveLength(3);
  });

  test('the subgraph refuses an export request that did not come through the gateway', async () => {
    const response = await fetch(`${new URL(graph.subgraphs.audit.http.url).origin}/exports/audit-events.csv`);
    expect(response.status).toBe(401);
  });
});
