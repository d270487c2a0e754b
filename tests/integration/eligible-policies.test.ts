import { PolicyVersion } from '../../subgraphs/policies/policy.entity';
import { describeDb } from '../support/db';
import { startTestGraph, type TestGraph } from '../support/graph';

/**
 * The policy calculator (`Enterprise.eligiblePolicies`) through the gateway, over the demo catalog
 * and the sources' demo data. The answers were worked out by hand from the seeded indicators
 * (asOf 2026-10-31) and the demo policies' conditions and amount rules (docs/policies.md).
 */
const AS_OF = '2026-10-31';
// 兴国锦绣医药贸易: F51, MICRO, no tags, registered 2010-01-01; 2025 revenue 1,867,880.00元, tax rating B; 6 employees; not above scale.
const JINXIU = '91360732300673434K';
// 兴国润泽医药贸易: like 锦绣 but tax rating M; 2025 revenue 502,920.00元.
const RUNZE = '913607323024144797';
// 兴国隆昌保洁服务: MEDIUM, above scale since 2022; output value 280,592,836.90元; 218 employees.
const LONGCHANG = '913607323023344014';

const CALC = `query($cc: CreditCode!, $nearly: Boolean, $asOf: String) { enterprise(creditCode: $cc) {
  eligiblePolicies(includeNearly: $nearly, asOf: $asOf) { policy { id title } version outcome estimatedAmountFen amountText unmetConditions unknownConditions explanation evaluatedOn } } }`;

describeDb('the policy calculator, through the gateway', () => {
  let graph: TestGraph;
  const calc = async (cc: string, token: string | undefined, nearly = true) => (await graph.query(CALC, { cc, nearly, asOf: AS_OF }, token)).body;
  const entry = (list: any[], id: string) => list.find((e) => e.policy.id === id);

  // Starting every subgraph on PostgreSQL can take over a minute while the whole suite runs in parallel.
  beforeAll(async () => {
    graph = await startTestGraph({ env: { SUBGRAPH_TIMEOUT_MS: '60000', SUBGRAPH_TAX_TIMEOUT_MS: '60000' } });
  }, 120_000);
  afterAll(() => graph?.stop());

  test('the enterprise itself: every policy it qualifies for, with amounts in fen, the largest first', async () => {
    const body = await calc(JINXIU, await graph.token({ role: 'ENTERPRISE', creditCode: JINXIU }));
    expect(body.errors).toBeUndefined();
    const list = body.data.enterprise.eligiblePolicies;
    const eligible = list.filter((e: any) => e.outcome === 'ELIGIBLE').map((e: any) => [e.policy.id, e.estimatedAmountFen]);
    expect(eligible).toEqual([
      ['XG-2026-013', 30000000], // 纳税信用 B ≠ D: 定额 30万元
      ['XG-2026-018', 10000000], // not on the dishonesty list: 10万元
      ['XG-2026-019', 5000000], // rating B ∈ {A, B}: 5万元
      ['XG-2026-025', 1867880], // registered ≥ 1 year: 1% of 186,788,000 fen
      ['XG-2026-014', 600000], // 6 employees ≥ 5: 6 × 1,000元
      ['XG-2026-026', 500000], // MICRO, registered ≥ 6 months: 5,000元
      ['XG-2026-029', 373576], // MICRO, not dishonest: 0.2% of 186,788,000 fen
      ['XG-2026-005', 300000], // ≥ 1 employee: 6 × 500元 (tie with 015: by code)
      ['XG-2026-015', 300000], // MICRO: 6 × 500元
      ['XG-2026-023', 120000], // registered ≥ 1 year: 6 × 200元
    ]);
    // ELIGIBLE first, then NEARLY; the 于都 policies (another county) are not offered at all.
    const outcomes = list.map((e: any) => e.outcome);
    expect(outcomes.indexOf('NEARLY')).toBe(eligible.length);
    expect(outcomes.slice(eligible.length).every((o: string) => o === 'NEARLY')).toBe(true);
    expect(list.some((e: any) => e.policy.id.startsWith('YD-'))).toBe(false);
    // Two failed conditions is not "nearly": 电商 (industry F52 and revenue ≥ 500万元), 增产增效 (规上 and output ≥ 2亿元).
    expect(entry(list, 'XG-2026-007')).toBeUndefined();
    expect(entry(list, 'XG-2026-011')).toBeUndefined();
    expect(entry(list, 'XG-2026-025')).toEqual({
      policy: { id: 'XG-2026-025', title: '科技成果转化与技术合同登记奖励' },
      version: 1,
      outcome: 'ELIGIBLE',
      estimatedAmountFen: 1867880,
      amountText: '2025年营业收入 186.788万元 × 1% = 1.86788万元',
      unmetConditions: [],
      unknownConditions: [],
      explanation: ['✓ 全部 2 项条件均满足', '  ✓ 所在地区代码为360732', '  ✓ 注册满1年（2010-01-01 注册）'],
      evaluatedOn: AS_OF,
    });
    expect(entry(list, 'XG-2026-006')).toMatchObject({
      outcome: 'NEARLY',
      estimatedAmountFen: 0,
      amountText: '2025年营业收入 186.788万元，未达到最低档 1,000万元，金额 0元',
      unmetConditions: ['企业标签不含“外贸企业”'],
      unknownConditions: [],
    });
    const only = (await calc(JINXIU, await graph.token({ role: 'ENTERPRISE', creditCode: JINXIU }), false)).data.enterprise.eligiblePolicies;
    expect(only.map((e: any) => [e.policy.id, e.estimatedAmountFen])).toEqual(eligible);
  });

  test('NEARLY: one condition away — the tax credit rating M is not A or B', async () => {
    const list = (await calc(RUNZE, await graph.token({ role: 'APPROVAL_BUREAU', region: '360732' }))).data.enterprise.eligiblePolicies;
    expect(entry(list, 'XG-2026-019')).toMatchObject({
      outcome: 'NEARLY',
      estimatedAmountFen: 5000000,
      amountText: '定额 5万元',
      unmetConditions: ['纳税信用级别为M级，不属于 A级、B级'],
      unknownConditions: [],
      explanation: ['✗ 1 项条件不满足（共 2 项，须全部满足）', '  ✓ 所在地区代码为360732', '  ✗ 纳税信用级别为M级，不属于 A级、B级'],
    });
    expect(entry(list, 'XG-2026-025')).toMatchObject({ outcome: 'ELIGIBLE', estimatedAmountFen: 502920, amountText: '2025年营业收入 50.292万元 × 1% = 5,029.2元' });
  });

  test('application windows: a window that ended before asOf is not offered; its last day and a window not open yet are', async () => {
    const token = await graph.token({ role: 'ENTERPRISE', creditCode: JINXIU });
    const versions = () => graph.subgraphs.policies.db.orm.em.fork();
    // 纳税信用奖励 (XG-2026-013, ELIGIBLE 30万元) closes on 2026-10-30; 商标品牌奖励 (XG-2026-018, ELIGIBLE 10万元) opens on 2026-11-20.
    await versions().nativeUpdate(PolicyVersion, { id: 'XG-2026-013@1' }, { windowEnd: '2026-10-30' });
    await versions().nativeUpdate(PolicyVersion, { id: 'XG-2026-018@1' }, { windowStart: '2026-11-20' });
    try {
      const on = async (asOf: string) => (await graph.query(CALC, { cc: JINXIU, nearly: true, asOf }, token)).body.data.enterprise.eligiblePolicies;
      const afterEnd = await on(AS_OF);
      expect(entry(afterEnd, 'XG-2026-013')).toBeUndefined();
      expect(entry(afterEnd, 'XG-2026-018')).toMatchObject({ outcome: 'ELIGIBLE', estimatedAmountFen: 10000000 });
      expect(afterEnd.filter((e: any) => e.outcome === 'ELIGIBLE')).toHaveLength(9);
      expect(entry(await on('2026-10-30'), 'XG-2026-013')).toMatchObject({ outcome: 'ELIGIBLE', estimatedAmountFen: 30000000 });
    } finally {
      await versions().nativeUpdate(PolicyVersion, { id: 'XG-2026-013@1' }, { windowEnd: '2026-12-31' });
      await versions().nativeUpdate(PolicyVersion, { id: 'XG-2026-018@1' }, { windowStart: '2026-01-01' });
    }
  });

  test('percentages stop at their cap', async () => {
    const list = (await calc(LONGCHANG, await graph.token({ role: 'AUDITOR' }))).data.enterprise.eligiblePolicies;
    // 技改: 1% of 28,059,283,690 fen = 280,592,836 > cap 2,000,000.00元; 数字化: 0.5% = 140,296,418 > cap 1,000,000.00元.
    expect(entry(list, 'XG-2026-004')).toMatchObject({ outcome: 'ELIGIBLE', estimatedAmountFen: 200000000 });
    expect(entry(list, 'XG-2026-012')).toMatchObject({ outcome: 'ELIGIBLE', estimatedAmountFen: 100000000 });
    expect(list[0].policy.id).toBe('XG-2026-004');
  });

  test('the window clerk may not read the sources: their conditions are unknown (NEARLY), their amounts null', async () => {
    const body = await calc(JINXIU, await graph.token({ role: 'WINDOW_CLERK', region: '360732' }));
    const list = body.data.enterprise.eligiblePolicies;
    expect(entry(list, 'XG-2026-019')).toMatchObject({ outcome: 'NEARLY', unmetConditions: [], unknownConditions: [expect.stringContaining('纳税信用级别')] });
    expect(entry(list, 'XG-2026-025')).toMatchObject({ outcome: 'ELIGIBLE', estimatedAmountFen: null });
    // Nor statistics (SOURCE_READERS): 6 employees are unknown to the window.
    expect(entry(list, 'XG-2026-014')).toMatchObject({ outcome: 'NEARLY', estimatedAmountFen: null, unknownConditions: [expect.stringContaining('从业人员数')] });
    // The registry's own fields are the window's to read: 返乡创业 (MICRO, registered ≥ 6 months) stays certain.
    expect(entry(list, 'XG-2026-026')).toMatchObject({ outcome: 'ELIGIBLE', estimatedAmountFen: 500000 });
    // The gateway's fetches of the required fields ran as the clerk: each refusal is reported, the calculator still answers.
    expect(body.errors.map((e: any) => [e.path.join('.'), e.extensions.code]).sort()).toEqual([
      ['enterprise.credit', 'FORBIDDEN'],
      ['enterprise.statistics', 'FORBIDDEN'],
      ['enterprise.tax', 'FORBIDDEN'],
    ]);
  });

  test('refused: the public, officials of another county, another enterprise; a date in the future', async () => {
    expect((await calc(JINXIU, undefined)).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await calc(JINXIU, await graph.token({ role: 'APPROVAL_BUREAU', region: '360731' }))).errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await calc(JINXIU, await graph.token({ role: 'ENTERPRISE', creditCode: RUNZE }))).errors[0].extensions.code).toBe('FORBIDDEN');
    const future = await graph.query(CALC, { cc: JINXIU, asOf: '2999-01-01' }, await graph.token({ role: 'AUDITOR' }));
    expect(future.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  test('50 enterprises cost the policies subgraph as many SQL statements as 1', async () => {
    const auditor = await graph.token({ role: 'AUDITOR' });
    const page = (await graph.query(`{ enterprises(first: 50, filter: { regionCode: "360732" }) { nodes { creditCode } } }`, {}, auditor)).body.data.enterprises;
    const codes: string[] = page.nodes.map((n: any) => n.creditCode);
    expect(codes).toHaveLength(50);
    const BULK = `query($codes: [CreditCode!]!) { enterprisesByCreditCodes(creditCodes: $codes) { creditCode eligiblePolicies(asOf: "${AS_OF}") { policy { id } outcome estimatedAmountFen } } }`;
    const policies = graph.subgraphs.policies.db;
    const statements = async (n: number) => {
      const before = policies.statements.length;
      const { body } = await graph.query(BULK, { codes: codes.slice(0, n) }, auditor);
      expect(body.errors).toBeUndefined();
      expect(body.data.enterprisesByCreditCodes).toHaveLength(n);
      for (const e of body.data.enterprisesByCreditCodes) expect(e.eligiblePolicies.length).toBeGreaterThan(0);
      return policies.statements.slice(before).filter((sql) => !/kit_/.test(sql)).length;
    };
    const one = await statements(1);
    expect(await statements(50)).toBe(one);
    expect(one).toBeLessThanOrEqual(3); // the published policies, their versions (and sign-offs for staff who may act on them)
  });
});
