import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createGateway } from '../../gateway';
import { AUDIT_SOURCES } from '../../subgraphs/joint-audit/sources';
import { describeDb } from '../support/db';
import { postGraphql, startTestGraph, testConfig, type TestGraph } from '../support/graph';

/**
 * The joint audit through the gateway, over the real sources and their demo data. The verdicts
 * below were worked out by hand from the seeded records (asOf 2026-10-31, the demo's "today"),
 * on the default rules (docs/joint-audit.md).
 */
const AS_OF = '2026-10-31';
const HELD = '913607325556285396'; // 兴国丰泰建材: penalty 2025-12-31 not rectified (≤ 12 months → HOLD); credit rating D (WARN)
const WARNED = '913607325442526874'; // 兴国中恒农产品贸易: penalty 2025-02-21, rectified 2025-03-14 (≤ 36 months → WARN); a statistics penalty of 2024 (> 12 months: INFO)
const CLEAN = '9136073256850595XR'; // 兴国中恒建设: dishonesty listing 2022-03-11, lifted 2025-02-12 (INFO)

const VERDICT = `query($cc: CreditCode!, $p: String!, $asOf: String) {
  enterprise(creditCode: $cc) { jointAudit(policyCode: $p, asOf: $asOf) {
    creditCode policyCode asOf verdict reasons rulesAreDefault
    findings { source department category severity occurredOn endsOn inEffect reference effect rule { withinMonths activeOnly effect } }
    sources { source department status answeredAt asOf }
  } } }`;

describeDb('the joint audit, through the gateway', () => {
  let graph: TestGraph;
  let approval: string;
  const audit = async (cc: string, policyCode = 'XG-2026-001', token = approval) => {
    const { body } = await graph.query(VERDICT, { cc, p: policyCode, asOf: AS_OF }, token);
    return body;
  };

  beforeAll(async () => {
    // Deadlines far above what the bulk needs (tax's is 800 ms in the test graph): no test here depends on timing.
    graph = await startTestGraph({ env: { SUBGRAPH_TIMEOUT_MS: '60000', SUBGRAPH_TAX_TIMEOUT_MS: '60000' } });
    approval = await graph.token({ role: 'APPROVAL_BUREAU', region: '360732' });
  });
  afterAll(() => graph?.stop());

  test('HOLD: an environmental penalty within 12 months, not rectified; the credit rating D warns as well', async () => {
    const body = await audit(HELD);
    expect(body.errors).toBeUndefined();
    const v = body.data.enterprise.jointAudit;
    expect(v).toMatchObject({ creditCode: HELD, policyCode: 'XG-2026-001', asOf: AS_OF, verdict: 'HOLD', rulesAreDefault: true });
    expect(v.findings).toEqual([
      {
        source: 'credit', department: '县发改委', category: 'PUBLIC_CREDIT_LOW', severity: expect.any(String), occurredOn: '2026-03-13', endsOn: null, inEffect: true,
        reference: '兴信用评〔2026〕1384号', effect: 'WARN', rule: { withinMonths: null, activeOnly: true, effect: 'WARN' },
      },
      {
        source: 'ecology', department: '县生态环境局', category: 'ENVIRONMENTAL_PENALTY', severity: expect.any(String), occurredOn: '2025-12-31', endsOn: null, inEffect: true,
        reference: '兴环罚〔2025〕35号', effect: 'HOLD', rule: { withinMonths: 12, activeOnly: false, effect: 'HOLD' },
      },
    ]);
    expect(v.reasons).toEqual([
      '暂缓：县生态环境局 2025-12-31 因大气污染防治设施未正常运行被罚款，罚款 263,000 元，尚未整改完毕（兴环罚〔2025〕35号，2025-12-31）。依据规则：县生态环境局：近 12 个月内环境行政处罚 → 暂缓',
      '提示：县发改委 2026-03-13 公共信用综合评价为 D 级（2025年度公共信用综合评价）（兴信用评〔2026〕1384号，2026-03-13）。依据规则：县发改委：现仍公共信用评价等级低 → 提示',
    ]);
    expect(v.sources.map((s: any) => [s.source, s.status])).toEqual(AUDIT_SOURCES.map((s) => [s.name, 'ANSWERED']));
    for (const s of v.sources) expect(Date.parse(s.answeredAt)).toBeGreaterThan(0);
  });

  test('WARN: a rectified penalty 20 months before asOf (the 36-month rule); a statistics penalty 32 months before is INFO', async () => {
    const v = (await audit(WARNED)).data.enterprise.jointAudit;
    expect(v.verdict).toBe('WARN');
    expect(v.findings).toEqual([
      expect.objectContaining({ source: 'statistics', category: 'STATISTICS_VIOLATION', occurredOn: '2024-02-07', endsOn: '2024-05-08', inEffect: false, reference: '兴统罚〔2024〕655号', effect: 'INFO', rule: null }),
      expect.objectContaining({ source: 'ecology', occurredOn: '2025-02-21', endsOn: '2025-03-14', inEffect: false, reference: '兴环罚〔2025〕2号', effect: 'WARN', rule: { withinMonths: 36, activeOnly: false, effect: 'WARN' } }),
    ]);
    expect(v.reasons).toEqual([expect.stringMatching(/^提示：县生态环境局 .*（兴环罚〔2025〕2号，2025-02-21，已于 2025-03-14 解除或整改）。依据规则：县生态环境局：近 36 个月内环境行政处罚 → 提示$/)]);
  });

  test('PASS: only a dishonesty listing lifted in 2025 (INFO, no rule applies)', async () => {
    const v = (await audit(CLEAN)).data.enterprise.jointAudit;
    expect(v.verdict).toBe('PASS');
    expect(v.findings).toEqual([
      expect.objectContaining({ source: 'credit', category: 'SERIOUS_DISHONESTY', occurredOn: '2022-03-11', endsOn: '2025-02-12', inEffect: false, effect: 'INFO', rule: null }),
    ]);
    expect(v.reasons).toEqual([`${AUDIT_SOURCES.length} 个数据来源均已核查，截至 ${AS_OF} 未发现影响兑现的记录`]);
  });

  test("a policy's own rules change the verdict", async () => {
    const set = await graph.query(
      `mutation($rules: [JointAuditRuleInput!]!) { setJointAuditRules(policyCode: "XG-GREEN", rules: $rules) { isDefault rules { description } } }`,
      { rules: [{ source: 'ecology', category: 'ENVIRONMENTAL_PENALTY', withinMonths: 60, effect: 'HOLD' }] },
      approval,
    );
    expect(set.body.data.setJointAuditRules).toEqual({ isDefault: false, rules: [{ description: '县生态环境局：近 60 个月内环境行政处罚 → 暂缓' }] });
    const v = (await audit(WARNED, 'XG-GREEN')).data.enterprise.jointAudit;
    expect(v).toMatchObject({ verdict: 'HOLD', rulesAreDefault: false });
    expect(v.findings.map((f: any) => [f.source, f.effect, f.rule?.withinMonths ?? null])).toEqual([['statistics', 'INFO', null], ['ecology', 'HOLD', 60]]);
    // The dishonesty and credit-rating rules are not in this policy: 兴国丰泰's rating D is only INFO now.
    expect((await audit(HELD, 'XG-GREEN')).data.enterprise.jointAudit.findings.map((f: any) => [f.source, f.effect])).toEqual([['credit', 'INFO'], ['ecology', 'HOLD']]);
    expect((await audit(WARNED, 'XG-2026-001')).data.enterprise.jointAudit.verdict).toBe('WARN');
  });

  test('bad input is refused with every problem listed', async () => {
    const { body } = await graph.query(
      `mutation { setJointAuditRules(policyCode: "!", rules: [{ source: "weather", category: TAX_ARREARS, withinMonths: 0, effect: HOLD }]) { policyCode } }`,
      {},
      approval,
    );
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0].extensions.problems.map((p: any) => p.field)).toEqual(['policyCode', 'rules.0.source', 'rules.0.withinMonths']);
    const future = await graph.query(VERDICT, { cc: CLEAN, p: 'XG-2026-001', asOf: '2999-01-01' }, approval);
    expect(future.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  test('1,000 enterprises in one query cost as many SQL statements as 10, in every subgraph', async () => {
    const auditor = await graph.token({ role: 'AUDITOR' });
    const codes: string[] = [];
    for (let after: string | null = null; codes.length < 1000; ) {
      const page: any = (await graph.query(`query($a: String) { enterprises(first: 100, after: $a) { pageInfo { endCursor } nodes { creditCode } } }`, { a: after }, auditor)).body.data.enterprises;
      codes.push(...page.nodes.map((n: any) => n.creditCode));
      after = page.pageInfo.endCursor;
    }
    const BULK = `query($codes: [CreditCode!]!) { enterprisesByCreditCodes(creditCodes: $codes) { creditCode jointAudit(policyCode: "XG-2026-001", asOf: "${AS_OF}") { verdict sources { status } } } }`;
    // Background work of the event kit (relays polling kit_ tables) is not the request's.
    const counted = (sql: string) => !/kit_/.test(sql);
    const statements = async (n: number) => {
      const before = Object.fromEntries(Object.entries(graph.subgraphs).map(([name, s]) => [name, s.db.statements.length]));
      const { body } = await graph.query(BULK, { codes: codes.slice(0, n) }, auditor);
      expect(body.errors).toBeUndefined();
      expect(body.data.enterprisesByCreditCodes).toHaveLength(n);
      for (const e of body.data.enterprisesByCreditCodes) expect(e.jointAudit.sources.every((s: any) => s.status === 'ANSWERED')).toBe(true);
      // The audit store is no part of the query: it stores, in the background and whenever they
      // arrive, the access events the reads caused (a constant number of events per request).
      return Object.fromEntries(
        Object.entries(graph.subgraphs)
          .filter(([name]) => name !== 'audit')
          .map(([name, s]) => [name, s.db.statements.slice(before[name]).filter(counted).length]),
      );
    };
    const ten = await statements(10);
    const thousand = await statements(1000);
    expect(thousand).toEqual(ten);
    for (const source of AUDIT_SOURCES) expect(ten[source.name]).toBeGreaterThan(0);
    expect(ten['joint-audit']).toBe(1); // the policy's rules
    expect(ten.enterprises).toBe(1);

    // Through the cost limit (about 2,000 of 5,000), but not 5,000 audits at once.
    const aliased = `query($codes: [CreditCode!]!) { ${Array.from({ length: 5 }, (_, i) => `a${i}: enterprisesByCreditCodes(creditCodes: $codes) { jointAudit(policyCode: "X1") { verdict } }`).join(' ')} }`;
    const refused = await graph.query(aliased, { codes: codes.slice(0, 1000) }, auditor);
    expect(refused.body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    const tooMany = await graph.query(BULK, { codes: [...codes.slice(0, 1000), codes[0]] }, auditor);
    expect(tooMany.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  test('a source stopped, then hung: HOLD naming it, never PASS; the others still answer', async () => {
    // A gateway of its own over the same subgraphs, its ecology URL pointing at a dead port, then
    // at a server that accepts and never answers (cut by a short SUBGRAPH_ECOLOGY_TIMEOUT_MS).
    const viaEcologyAt = async (ecologyUrl: string) => {
      const gateway = await createGateway(testConfig({ SUPERGRAPH_PATH: graph.supergraphPath, SUBGRAPH_ECOLOGY_TIMEOUT_MS: '300' }), {
        serviceUrls: { ...graph.serviceUrls, ecology: ecologyUrl },
      });
      const http = await gateway.listen(0, '127.0.0.1');
      try {
        return (await postGraphql(http.url, { query: VERDICT, variables: { cc: CLEAN, p: 'XG-2026-001', asOf: AS_OF } }, { authorization: `Bearer ${approval}` })).body;
      } finally {
        await gateway.stop();
      }
    };
    const check = (body: any) => {
      const v = body.data.enterprise.jointAudit;
      expect(v.verdict).toBe('HOLD');
      expect(v.reasons[0]).toBe('无法核查：县生态环境局 未响应，不能判定为通过，请稍后重新核查');
      expect(v.sources.find((s: any) => s.source === 'ecology')).toEqual({ source: 'ecology', department: '县生态环境局', status: 'UNAVAILABLE', answeredAt: null, asOf: null });
      expect(v.sources.filter((s: any) => s.status === 'ANSWERED').map((s: any) => s.source)).toEqual(AUDIT_SOURCES.map((s) => s.name).filter((n) => n !== 'ecology'));
      expect(v.findings.map((f: any) => f.source)).toEqual(['credit']); // the credit finding is still judged
      expect(body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'ecology' }) })]);
    };

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/graphql`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const down = await viaEcologyAt(deadUrl);
    check(down);
    expect(down.errors[0].message).toContain('暂时无法访问');

    const sockets = new Set<Socket>();
    const hung: Server = createServer(() => undefined);
    hung.on('connection', (s) => sockets.add(s));
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    try {
      const slow = await viaEcologyAt(`http://127.0.0.1:${(hung.address() as AddressInfo).port}/graphql`);
      check(slow);
      expect(slow.errors[0].message).toContain('响应超时（超过 300 毫秒）');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => hung.close(() => resolve()));
    }
  });
});
