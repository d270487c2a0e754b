import { makeCreditCode } from '../../platform/credit-code';
import { ANONYMOUS, IDENTITY_HEADER, type Identity } from '../../platform/identity';
import { jointAuditSubgraph } from '../../subgraphs/joint-audit';
import { JointAuditPolicyRules } from '../../subgraphs/joint-audit/policy-rules.entity';
import { OutboxEvent } from '../../subgraphs/kit/events/entities';
import { AUDIT_SOURCES } from '../../subgraphs/joint-audit/sources';
import { createSubgraphServer, type SubgraphServer } from '../../subgraphs/kit/server';
import { describeDb, openTestDatabase, type TestDatabase } from '../support/db';
import { signIdentity, testConfig } from '../support/graph';

/**
 * The joint-audit subgraph in-process, called as the gateway calls it: `_entities` with the
 * sources' findings in the representations (what `@requires` sends). The whole graph, with real
 * sources, is tests/integration/joint-audit.test.ts.
 */
describeDb('the joint-audit subgraph in-process', () => {
  const config = testConfig();
  let db: TestDatabase;
  let server: SubgraphServer;

  const run = async (query: string, variables: Record<string, unknown>, identity: Identity | null) => {
    const headers = { [IDENTITY_HEADER]: await signIdentity(config, identity ?? ANONYMOUS, 'joint-audit') };
    const response = await server.apollo.executeOperation({ query, variables }, { contextValue: await server.contextFor(headers) });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return response.body.singleResult as { data?: any; errors?: any };
  };

  beforeAll(async () => {
    db = await openTestDatabase(jointAuditSubgraph);
    server = await createSubgraphServer(jointAuditSubgraph, db.orm, config);
  });
  afterAll(async () => {
    await server?.stop();
    await db?.close();
  });

  const approval: Identity = { role: 'APPROVAL_BUREAU', region: '360732' };
  /** The kit's outbox (its own table in every subgraph's database). */
  const auditEvents = async () =>
    (await db.orm.em.fork().find(OutboxEvent, { type: 'audit.mutation' }, { orderBy: { seq: 'asc' } })).map((e) => e.payload);
  const code = (i: number, region = '360732') => makeCreditCode({ authority: '9', entityType: '1', regionCode: region, orgBody8: `JA${String(i).padStart(6, '0')}` });
  const clean = (source: (typeof AUDIT_SOURCES)[number]) => ({
    source: source.name,
    department: source.department,
    answeredAt: '2026-11-26T01:00:00.000Z',
    asOf: '2026-11-25T16:00:00.000Z',
    findings: [] as unknown[],
  });
  const representation = (creditCode: string, over: Record<string, unknown> = {}) => ({
    __typename: 'Enterprise',
    creditCode,
    ...Object.fromEntries(AUDIT_SOURCES.map((s) => [s.field, clean(s)])),
    ...over,
  });
  const AUDIT = `query($r: [_Any!]!, $p: String!, $asOf: String) {
    _entities(representations: $r) { ... on Enterprise { jointAudit(policyCode: $p, asOf: $asOf) {
      creditCode verdict asOf reasons rulesAreDefault sources { source status } findings { category effect rule { withinMonths effect } }
    } } } }`;
  const audit = (reps: unknown[], identity: Identity | null = approval, policyCode = 'XG-2026-001', asOf: string | null = '2026-11-26') =>
    run(AUDIT, { r: reps, p: policyCode, asOf }, identity);

  it('a source that arrives null makes the verdict HOLD, naming it', async () => {
    const result = await audit([representation(code(1), { ecologyFindings: null })]);
    expect(result.errors).toBeUndefined();
    const verdict = result.data._entities[0].jointAudit;
    expect(verdict.verdict).toBe('HOLD');
    expect(verdict.sources.find((s: any) => s.source === 'ecology').status).toBe('UNAVAILABLE');
    expect(verdict.sources.filter((s: any) => s.status === 'ANSWERED')).toHaveLength(AUDIT_SOURCES.length - 1);
    expect(verdict.reasons[0]).toMatch(/^无法核查：县生态环境局 未响应/);
  });

  it('per-policy rules are stored and change the verdict; the defaults apply to other policies', async () => {
    const violation = {
      ...clean(AUDIT_SOURCES.find((s) => s.name === 'ecology')!),
      findings: [{ source: 'ecology', category: 'ENVIRONMENTAL_PENALTY', severity: 'MINOR', occurredOn: '2025-03-01', endsOn: '2025-04-20', reference: '兴环罚〔2025〕3号', reason: '未按规定贮存危险废物', recordedAt: '2025-04-20T00:00:00.000Z' }],
    };
    const rep = representation(code(2), { ecologyFindings: violation });
    expect((await audit([rep], approval, 'XG-STRICT')).data._entities[0].jointAudit).toMatchObject({ verdict: 'WARN', rulesAreDefault: true });

    const set = await run(
      `mutation($p: String!, $rules: [JointAuditRuleInput!]!) { setJointAuditRules(policyCode: $p, rules: $rules) { policyCode isDefault regionCode rules { source description } } }`,
      { p: 'XG-STRICT', rules: [{ source: 'ecology', category: 'ENVIRONMENTAL_PENALTY', withinMonths: 24, effect: 'HOLD' }] },
      approval,
    );
    expect(set.errors).toBeUndefined();
    // The kit's audit trail: the change and its event in one transaction, nothing to remember here.
    expect(await auditEvents()).toEqual([
      expect.objectContaining({ action: 'setJointAuditRules', subgraph: 'joint-audit', ownerDepartment: 'APPROVAL', entity: 'JointAuditPolicyRules', entityId: 'XG-STRICT', operation: 'CREATE', region: '360732' }),
    ]);
    expect(set.data.setJointAuditRules).toEqual({
      policyCode: 'XG-STRICT',
      isDefault: false,
      regionCode: '360732',
      rules: [{ source: 'ecology', description: '县生态环境局：近 24 个月内环境行政处罚 → 暂缓' }],
    });
    const strict = (await audit([rep], approval, 'XG-STRICT')).data._entities[0].jointAudit;
    expect(strict).toMatchObject({ verdict: 'HOLD', rulesAreDefault: false, findings: [{ category: 'ENVIRONMENTAL_PENALTY', effect: 'HOLD', rule: { withinMonths: 24, effect: 'HOLD' } }] });
    expect((await audit([rep], approval, 'XG-OTHER')).data._entities[0].jointAudit.verdict).toBe('WARN');

    const read = await run(`query($p: String!) { jointAuditRules(policyCode: $p) { isDefault rules { category } } }`, { p: 'XG-STRICT' }, { role: 'AUDITOR' });
    expect(read.data.jointAuditRules).toEqual({ isDefault: false, rules: [{ category: 'ENVIRONMENTAL_PENALTY' }] });

    // Another county's administrator may not change 兴国县's rules; the auditor only reads.
    const rules = [{ source: 'tax', category: 'TAX_ARREARS', effect: 'WARN' }];
    const other = await run(`mutation($rules: [JointAuditRuleInput!]!) { setJointAuditRules(policyCode: "XG-STRICT", rules: $rules) { policyCode } }`, { rules }, { role: 'ADMIN', region: '360731' });
    expect(other.errors[0].extensions.code).toBe('FORBIDDEN');
    const city = await run(`mutation($rules: [JointAuditRuleInput!]!) { setJointAuditRules(policyCode: "XG-STRICT", rules: $rules) { rules { effect } } }`, { rules }, { role: 'ADMIN', region: '360700' });
    expect(city.data.setJointAuditRules.rules).toEqual([{ effect: 'WARN' }]);
  });

  it('bad rules: every problem listed at once, nothing written', async () => {
    const rows = () => db.orm.em.fork().count(JointAuditPolicyRules);
    const events = async () => (await auditEvents()).length;
    const before = await rows();
    const eventsBefore = await events();
    const result = await run(
      `mutation($rules: [JointAuditRuleInput!]!) { setJointAuditRules(policyCode: "坏 code!", rules: $rules) { policyCode } }`,
      { rules: [{ source: 'weather', category: 'GANG_RELATED', withinMonths: 0, effect: 'HOLD' }, { source: 'ecology', category: 'TAX_ARREARS', withinMonths: 500, effect: 'WARN' }] },
      approval,
    );
    expect(result.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(result.errors[0].extensions.problems.map((p: any) => p.field)).toEqual(['policyCode', 'rules.0.source', 'rules.0.withinMonths', 'rules.1.category', 'rules.1.withinMonths']);
    expect(await rows()).toBe(before);
    expect(await events()).toBe(eventsBefore); // a refused mutation leaves no audit event
    const bad = await audit([representation(code(3))], approval, 'ok-code', '2026-02-30');
    expect(bad.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect((await audit([representation(code(3))], approval, 'x')).errors[0].extensions.problems[0].field).toBe('policyCode');
  });

  it('who may audit: not the public, the window or the enterprise; officials only in their region', async () => {
    const rep = representation(code(4));
    expect((await audit([rep], null)).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    for (const identity of [{ role: 'WINDOW_CLERK', region: '360732' }, { role: 'ENTERPRISE', creditCode: code(4) }, { role: 'FINANCE', region: '360731' }] as Identity[]) {
      expect((await audit([rep], identity)).errors[0].extensions.code).toBe('FORBIDDEN');
    }
    for (const identity of [{ role: 'FINANCE', region: '360732' }, { role: 'AUDITOR' }, { role: 'ADMIN', region: '360700' }] as Identity[]) {
      expect((await audit([rep], identity)).data._entities[0].jointAudit.verdict).toBe('PASS');
    }
  });

  it('1,000 enterprises cost as many statements as 10 (the rules: one statement)', async () => {
    const statements = async (n: number) => {
      const reps = Array.from({ length: n }, (_, i) => representation(code(10_000 + i)));
      const before = db.statements.length;
      const result = await audit(reps, approval, 'XG-STRICT');
      expect(result.errors).toBeUndefined();
      expect(result.data._entities).toHaveLength(n);
      return db.statements.length - before;
    };
    const ten = await statements(10);
    expect(ten).toBeLessThanOrEqual(1);
    expect(await statements(1000)).toBe(ten);
  });
});
