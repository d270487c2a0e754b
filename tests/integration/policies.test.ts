import { IDENTITY_HEADER } from '../../platform/identity';
import { describeDb, testDriver } from '../support/db';
import { postGraphql, startTestGraph, type TestGraph } from '../support/graph';

/**
 * The policy catalog through the gateway: 一网查询 as the public (Chinese keywords, filters,
 * ranking, pagination), the lifecycle with the three sign-offs (归口管理), versions, validation of
 * conditions with paths, who may do what, and bad input that writes nothing.
 */
const MIIT = { role: 'DEPARTMENT_REVIEWER', department: '360732-MIIT', region: '360732' };
const COMMERCE = { role: 'DEPARTMENT_REVIEWER', department: '360732-COMMERCE', region: '360732' };
const NDRC = { role: 'DEPARTMENT_REVIEWER', department: '360732-NDRC', region: '360732' };
const YUDU_NDRC = { role: 'DEPARTMENT_REVIEWER', department: '360731-NDRC', region: '360731' };
const FINANCE = { role: 'FINANCE', region: '360732' };
const APPROVAL = { role: 'APPROVAL_BUREAU', region: '360732' };
const ADMIN_YUDU = { role: 'ADMIN', region: '360731' };

const SEARCH = `query($filter: PolicyFilter, $first: Int, $after: String) {
  policies(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id title status mode department relevance } }
}`;
const VIEW = `id status title current { number state title } pendingVersion { number state signOffs { department decision comments round } } versions { number state title }`;
const ONE = `query($id: String!) { policy(id: $id) { ${VIEW} } }`;

export const guide = (over: Record<string, unknown> = {}) => ({
  title: '测试用小微企业数字化改造补贴',
  legalBasis: { title: '《兴国县促进工业高质量发展若干政策措施》', documentNumber: '兴府发〔2025〕8号' },
  beneficiaries: '本县小微工业企业',
  conditionsText: '在兴国县登记注册的小微企业',
  conditions: { all: [{ indicator: 'regionCode', op: 'eq', value: '360732' }, { indicator: 'scale', op: 'in', values: ['SMALL', 'MICRO'] }] },
  amountRule: { kind: 'FIXED', amountFen: 5_000_000 },
  amountText: '一次性补贴 5 万元',
  materials: [
    { name: '营业执照', required: true, heldByGovernment: true },
    { name: '项目验收报告', required: true, heldByGovernment: false },
  ],
  processSteps: ['在线申报', '部门审核', '资金拨付'],
  contact: '县工信局 0797-5322001',
  faq: [{ question: '需要纸质材料吗？', answer: '不需要。' }],
  industries: ['C'],
  scales: ['SMALL', 'MICRO'],
  tags: [],
  ...over,
});

describeDb(`policies: the catalog through the gateway (${testDriver})`, () => {
  let graph: TestGraph;
  const tokens: Record<string, string> = {};
  const as = async (claims: Record<string, string> | null, query: string, variables?: Record<string, unknown>) =>
    (await graph.query(query, variables, claims ? (tokens[JSON.stringify(claims)] ??= await graph.token(claims as never)) : undefined)).body;
  const search = async (filter: Record<string, unknown>, first = 50, claims: Record<string, string> | null = null) => {
    const body = await as(claims, SEARCH, { filter, first });
    expect(body.errors).toBeUndefined();
    return body.data.policies;
  };

  beforeAll(async () => {
    graph = await startTestGraph();
  });
  afterAll(() => graph?.stop());

  describe('一网查询 as the public', () => {
    test('the demo catalog: ≥ 30 published policies across ≥ 8 departments and all three modes', async () => {
      const page = await search({}, 100);
      expect(page.totalCount).toBeGreaterThanOrEqual(30);
      expect(new Set(page.nodes.map((n: any) => n.department)).size).toBeGreaterThanOrEqual(8);
      expect(new Set(page.nodes.map((n: any) => n.mode))).toEqual(new Set(['NO_APPLICATION', 'INSTANT', 'COMMITMENT']));
      expect(page.nodes.every((n: any) => n.status === 'PUBLISHED')).toBe(true);
    });

    test('“技改” finds 技术改造补贴 first: a title hit above a guide hit', async () => {
      const page = await search({ keyword: '技改' });
      const ids = page.nodes.map((n: any) => n.id);
      expect(ids[0]).toBe('XG-2026-004'); // 工业企业技术改造补贴
      expect(ids).toContain('XG-2026-027'); // 绿色工厂与节能改造奖励: 技 only in its guide (节能技术改造)
      expect(ids.indexOf('XG-2026-027')).toBeGreaterThan(0);
      expect(ids).not.toContain('XG-2026-032'); // in consultation: not public
    });

    test('“高新” finds 高新技术企业认定奖励; more matched words rank above fewer', async () => {
      expect((await search({ keyword: '高新' })).nodes[0].id).toBe('XG-2026-002');
      const both = await search({ keyword: '稳岗 纺织' });
      expect(both.nodes[0].id).toBe('YD-2026-002'); // 纺织服装企业稳岗补贴: both words
      expect(both.nodes.map((n: any) => n.id)).toContain('XG-2026-005'); // 稳岗 only
      expect(both.nodes[0].relevance).toBeGreaterThan(0);
    });

    test('a keyword nothing has: an empty page', async () => {
      expect(await search({ keyword: '核聚变' })).toMatchObject({ totalCount: 0, nodes: [] });
    });

    test('filters: department, mode, industry, scale, tag', async () => {
      const hrss = await search({ department: '360732-HRSS' });
      expect(hrss.totalCount).toBeGreaterThanOrEqual(3);
      expect(hrss.nodes.every((n: any) => n.department === '360732-HRSS')).toBe(true);
      const instant = await search({ mode: 'INSTANT' });
      expect(instant.nodes.every((n: any) => n.mode === 'INSTANT')).toBe(true);
      const trade = await search({ tag: 'FOREIGN_TRADE' });
      expect(trade.nodes.map((n: any) => n.id).sort()).toEqual(['XG-2026-006', 'XG-2026-028']);
      const farming = (await search({ industry: 'A01' })).nodes.map((n: any) => n.id);
      expect(farming).toContain('XG-2026-016'); // A
      expect(farming).toContain('XG-2026-005'); // every industry
      expect(farming).not.toContain('XG-2026-004'); // C only
      const manufacturing = (await search({ industry: 'C' })).nodes.map((n: any) => n.id);
      expect(manufacturing).toEqual(expect.arrayContaining(['XG-2026-004', 'XG-2026-030', 'XG-2026-016', 'XG-2026-005'])); // C; C34–C38; A + C13; all
      expect(manufacturing).not.toContain('XG-2026-017'); // A only
      const equipment = (await search({ industry: 'C35' })).nodes.map((n: any) => n.id);
      expect(equipment).toEqual(expect.arrayContaining(['XG-2026-004', 'XG-2026-030']));
      expect(equipment).not.toContain('XG-2026-016');
      const large = (await search({ scale: 'LARGE' })).nodes.map((n: any) => n.id);
      expect(large).not.toContain('XG-2026-026'); // small and micro only
      expect(large).toContain('XG-2026-020');
      const combined = await search({ keyword: '奖励', department: '360732-MIIT', mode: 'NO_APPLICATION' });
      expect(combined.nodes.map((n: any) => n.id)).toEqual(expect.arrayContaining(['XG-2026-001', 'XG-2026-027']));
      expect(combined.nodes.every((n: any) => n.department === '360732-MIIT' && n.mode === 'NO_APPLICATION')).toBe(true);
    });

    test('pagination: pages of a ranked and an unranked list join up without gaps or repeats', async () => {
      for (const filter of [{}, { keyword: '奖励 补贴' }]) {
        const all = await search(filter, 100);
        const seen: string[] = [];
        let after: string | null = null;
        do {
          const body: any = await as(null, SEARCH, { filter, first: 7, after });
          expect(body.errors).toBeUndefined();
          seen.push(...body.data.policies.nodes.map((n: any) => n.id));
          after = body.data.policies.pageInfo.hasNextPage ? body.data.policies.pageInfo.endCursor : null;
        } while (after);
        expect(seen).toEqual(all.nodes.map((n: any) => n.id));
      }
    });

    test('the public never sees a draft or a consultation; the owner and the sign-off departments do', async () => {
      expect((await as(null, ONE, { id: 'XG-2026-031' })).data.policy).toBeNull();
      expect((await search({ status: 'DRAFT' })).totalCount).toBe(0);
      expect((await search({ status: 'CONSULTATION' })).totalCount).toBe(0);
      const scitech = { role: 'DEPARTMENT_REVIEWER', department: '360732-SCITECH', region: '360732' };
      expect((await as(scitech, ONE, { id: 'XG-2026-031' })).data.policy.status).toBe('DRAFT');
      expect((await search({ status: 'CONSULTATION' }, 50, FINANCE)).nodes.map((n: any) => n.id)).toEqual(['XG-2026-032', 'XG-2026-033']);
      expect((await search({ status: 'DRAFT' }, 50, COMMERCE)).totalCount).toBe(0); // another department's draft
      expect((await as(COMMERCE, ONE, { id: 'XG-2026-031' })).data.policy).toBeNull();
    });

    test('a page of 20 costs as many SQL statements as a page of 3, ranked or not', async () => {
      const db = graph.subgraphs.policies.db;
      const count = async (filter: Record<string, unknown>, first: number) => {
        const before = db.statements.length;
        const page = await search(filter, first);
        expect(page.nodes.length).toBe(first);
        return db.statements.slice(before).filter((sql) => !/kit_/.test(sql)).length;
      };
      for (const filter of [{}, { keyword: '奖励 补贴' }]) expect(await count(filter, 20)).toBe(await count(filter, 3));
      expect(await count({ keyword: '奖励 补贴' }, 3)).toBeLessThanOrEqual(3); // index look-up, the policies, their versions
    });

    test('Policy is an entity by id: _entities gives the public a published policy and no draft', async () => {
      const { body } = await postGraphql(graph.subgraphs.policies.http.url, {
        query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Policy { id title } } }',
        variables: { r: [{ __typename: 'Policy', id: 'XG-2026-002' }, { __typename: 'Policy', id: 'XG-2026-031' }, { __typename: 'Policy', id: 'XG-2099-999' }] },
      }, { [IDENTITY_HEADER]: await graph.signIdentity({ role: null }, 'policies') });
      expect(body.errors).toBeUndefined();
      expect(body.data._entities).toEqual([{ id: 'XG-2026-002', title: '高新技术企业认定奖励' }, null, null]);
    });

    test('a code already used: ALREADY_EXISTS', async () => {
      const body = await as(MIIT, 'mutation($input: CreatePolicyInput!) { createPolicyDraft(input: $input) { id } }', { input: { id: 'XG-2026-001', department: '360732-MIIT', mode: 'INSTANT', guide: guide() } });
      expect(body.errors[0].extensions.code).toBe('ALREADY_EXISTS');
    });

    test('the service guide is served whole', async () => {
      const body = await as(null, `{ policy(id: "XG-2026-003") { mode current { reviewDays paymentDays legalBasis { title documentNumber } materials { name heldByGovernment } conditions amountRule signOffs { department } } } }`);
      expect(body.errors).toBeUndefined();
      const c = body.data.policy.current;
      expect(c).toMatchObject({ reviewDays: 5, paymentDays: 1, legalBasis: { documentNumber: '兴府发〔2025〕8号' }, amountRule: { kind: 'FIXED', amountFen: 30_000_000 } }); // 30 万元
      expect(c.materials.some((m: any) => m.heldByGovernment)).toBe(true);
      expect(c.signOffs).toEqual([]); // sign-offs are for staff
    });
  });

  describe('lifecycle with the three sign-offs and versions', () => {
    const id = 'XG-2026-040';
    const create = 'mutation($input: CreatePolicyInput!) { createPolicyDraft(input: $input) { id status current { number state } } }';
    const step = (name: string, args = '') => `mutation($id: String!) { ${name}(id: $id${args}) { ${VIEW} } }`;
    const sign = (decision: string, comments?: string) => `mutation($id: String!) { signOffPolicy(id: $id, decision: ${decision}${comments ? `, comments: "${comments}"` : ''}) { ${VIEW} } }`;

    test('draft → consultation → returned with comments → resubmitted → three approvals → published → revised as version 2', async () => {
      let body = await as(MIIT, create, { input: { id, department: '360732-MIIT', mode: 'INSTANT', guide: guide() } });
      expect(body.errors).toBeUndefined();
      expect(body.data.createPolicyDraft).toMatchObject({ status: 'DRAFT', current: { number: 1, state: 'DRAFT' } });
      expect((await as(null, ONE, { id })).data.policy).toBeNull();

      // Sign-offs and publishing need a submitted version.
      expect((await as(NDRC, sign('APPROVED'), { id })).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_TRANSITION' });
      body = await as(MIIT, step('submitPolicyForConsultation'), { id });
      expect(body.data.submitPolicyForConsultation).toMatchObject({ status: 'CONSULTATION', current: { state: 'CONSULTATION' } });
      // Immutable once submitted.
      expect((await as(MIIT, 'mutation($id: String!, $g: PolicyGuideInput!) { updatePolicyDraft(id: $id, guide: $g) { id } }', { id, g: guide() })).errors[0].extensions.reason).toBe('INVALID_TRANSITION');

      expect((await as(NDRC, sign('APPROVED'), { id })).errors).toBeUndefined();
      // Publishing before all three have approved is refused, naming who is missing.
      body = await as(MIIT, step('publishPolicy'), { id });
      expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_TRANSITION' });
      expect(body.errors[0].extensions.missing).toEqual(['FINANCE', 'APPROVAL']);
      expect(body.errors[0].message).toContain('县财政局');
      // A department signs once per round; another county's NDRC does not sign at all.
      expect((await as(NDRC, sign('APPROVED'), { id })).errors[0].extensions.reason).toBe('INVALID_TRANSITION');
      expect((await as(YUDU_NDRC, sign('APPROVED'), { id })).errors[0].extensions.code).toBe('FORBIDDEN');
      expect((await as(YUDU_NDRC, sign('APPROVED'), { id: 'XG-2026-001' })).errors[0].extensions.code).toBe('FORBIDDEN');
      // Returning needs comments, and sends the draft back with them visible.
      expect((await as(FINANCE, sign('RETURNED'), { id })).errors[0].extensions.code).toBe('BAD_USER_INPUT');
      body = await as(FINANCE, sign('RETURNED', '资金来源未明确，请补充县财政预算安排'), { id });
      expect(body.errors).toBeUndefined();
      const returned = (await as(MIIT, `query($id: String!) { policy(id: $id) { status current { state signOffs { department decision comments round } } } }`, { id })).data.policy;
      expect(returned.status).toBe('DRAFT');
      expect(returned.current.signOffs).toEqual(
        expect.arrayContaining([{ department: 'FINANCE', decision: 'RETURNED', comments: '资金来源未明确，请补充县财政预算安排', round: 1 }]),
      );

      // Fixed and resubmitted: a new round, so the first round's approval does not count.
      expect((await as(MIIT, 'mutation($id: String!, $g: PolicyGuideInput!) { updatePolicyDraft(id: $id, guide: $g) { id } }', { id, g: guide({ amountText: '一次性补贴 5 万元，资金由县财政预算安排' }) })).errors).toBeUndefined();
      expect((await as(MIIT, step('submitPolicyForConsultation'), { id })).errors).toBeUndefined();
      expect((await as(FINANCE, sign('APPROVED'), { id })).errors).toBeUndefined();
      expect((await as(APPROVAL, sign('APPROVED'), { id })).errors).toBeUndefined();
      expect((await as(MIIT, step('publishPolicy'), { id })).errors[0].extensions.missing).toEqual(['NDRC']); // round 1's approval does not count
      expect((await as(NDRC, sign('APPROVED'), { id })).errors).toBeUndefined();
      body = await as(MIIT, step('publishPolicy'), { id });
      expect(body.errors).toBeUndefined();
      expect(body.data.publishPolicy).toMatchObject({ status: 'PUBLISHED', current: { number: 1, state: 'PUBLISHED' } });
      expect((await as(null, ONE, { id })).data.policy).toMatchObject({ status: 'PUBLISHED', title: '测试用小微企业数字化改造补贴', pendingVersion: null });
      expect((await search({ keyword: '数字化改造' })).nodes.map((n: any) => n.id)).toContain(id);

      // A change to a published policy is version 2; version 1 stays served until 2 is published.
      body = await as(MIIT, `mutation($id: String!, $g: PolicyGuideInput!) { updatePolicyDraft(id: $id, guide: $g) { ${VIEW} } }`, { id, g: guide({ title: '测试用小微企业数字化改造补贴（2026年修订）' }) });
      expect(body.errors).toBeUndefined();
      expect(body.data.updatePolicyDraft).toMatchObject({ status: 'PUBLISHED', current: { number: 1 }, pendingVersion: { number: 2, state: 'DRAFT' } });
      let pub = (await as(null, ONE, { id })).data.policy;
      expect(pub).toMatchObject({ title: '测试用小微企业数字化改造补贴', current: { number: 1, state: 'PUBLISHED' }, pendingVersion: null });
      expect(pub.versions.map((v: any) => v.number)).toEqual([1]);
      await as(MIIT, step('submitPolicyForConsultation'), { id });
      for (const who of [NDRC, FINANCE, APPROVAL]) expect((await as(who, sign('APPROVED'), { id })).errors).toBeUndefined();
      pub = (await as(null, ONE, { id })).data.policy;
      expect(pub.current.number).toBe(1); // still, until published
      expect((await as(MIIT, step('publishPolicy'), { id })).errors).toBeUndefined();
      pub = (await as(null, ONE, { id })).data.policy;
      expect(pub).toMatchObject({ title: '测试用小微企业数字化改造补贴（2026年修订）', current: { number: 2, state: 'PUBLISHED' } });
      expect(pub.versions).toEqual([
        { number: 1, state: 'SUPERSEDED', title: '测试用小微企业数字化改造补贴' },
        { number: 2, state: 'PUBLISHED', title: '测试用小微企业数字化改造补贴（2026年修订）' },
      ]);
      // Each version keeps its identity: whatever was decided under 1 still points at XG-2026-040@1.
      const v1 = await as(null, `query($id: String!) { policy(id: $id) { versions { id number } } }`, { id });
      expect(v1.data.policy.versions[0]).toEqual({ id: `${id}@1`, number: 1 });

      // suspended → resumed → repealed; the public sees the status.
      const suspended = await as(MIIT, `mutation($id: String!) { suspendPolicy(id: $id, reason: "预算执行情况评估期间暂停受理") { status statusReason } }`, { id });
      expect(suspended.data.suspendPolicy).toEqual({ status: 'SUSPENDED', statusReason: '预算执行情况评估期间暂停受理' });
      expect((await as(null, `query($id: String!) { policy(id: $id) { statusReason } }`, { id })).data.policy.statusReason).toBe('预算执行情况评估期间暂停受理');
      expect((await as(MIIT, step('suspendPolicy'), { id })).errors[0].extensions.reason).toBe('INVALID_TRANSITION');
      expect((await as(MIIT, step('resumePolicy'), { id })).data.resumePolicy.status).toBe('PUBLISHED');
      expect((await as(MIIT, step('repealPolicy'), { id })).data.repealPolicy.status).toBe('REPEALED');
      expect((await as(null, ONE, { id })).data.policy.status).toBe('REPEALED');
      expect((await search({ keyword: '数字化改造' })).nodes.map((n: any) => n.id)).not.toContain(id); // default: published only
    });

    test('only the owning department (and ADMIN of the region) edits; others are refused', async () => {
      const g = { id: 'XG-2026-001', g: guide() };
      const update = 'mutation($id: String!, $g: PolicyGuideInput!) { updatePolicyDraft(id: $id, g: $g) { id } }'.replace('g: $g', 'guide: $g');
      expect((await as(null, update, g)).errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect((await as(COMMERCE, update, g)).errors[0].extensions.code).toBe('FORBIDDEN');
      expect((await as(ADMIN_YUDU, update, g)).errors[0].extensions.code).toBe('FORBIDDEN');
      expect((await as({ role: 'AUDITOR' }, update, g)).errors[0].extensions.code).toBe('FORBIDDEN');
      expect((await as(NDRC, step('suspendPolicy'), { id: 'XG-2026-001' })).errors[0].extensions.code).toBe('FORBIDDEN');
      expect((await as(COMMERCE, create, { input: { id: 'XG-2026-041', department: '360732-MIIT', mode: 'INSTANT', guide: guide() } })).errors[0].extensions.code).toBe('FORBIDDEN');
      // Who before what: bad input from another department is still FORBIDDEN, not judged.
      expect((await as(COMMERCE, create, { input: { id: 'XG-2026-041', department: '360732-MIIT', mode: 'INSTANT', guide: guide({ conditions: { bogus: 1 } }) } })).errors[0].extensions.code).toBe('FORBIDDEN');
      expect((await as({ role: 'ADMIN', region: '360732' }, step('suspendPolicy'), { id: 'XG-2026-001' })).data.suspendPolicy.status).toBe('SUSPENDED');
      expect((await as({ role: 'ADMIN', region: '360732' }, step('resumePolicy'), { id: 'XG-2026-001' })).data.resumePolicy.status).toBe('PUBLISHED');
    });
  });

  describe('validation: every problem at once, with its path; nothing written', () => {
    const create = 'mutation($input: CreatePolicyInput!) { createPolicyDraft(input: $input) { id } }';
    const exists = async (id: string) => (await as(MIIT, ONE, { id })).data.policy !== null;

    test('conditions and amount rule checked on save with the paths of the bad nodes', async () => {
      const bad = guide({
        conditions: { all: [{ indicator: 'regionCode', op: 'eq', value: '360732' }, { indicator: 'tax.profitFen', op: 'gte', value: 1 }] },
        amountRule: { kind: 'BONUS' },
      });
      const body = await as(MIIT, create, { input: { id: 'XG-2026-050', department: '360732-MIIT', mode: 'INSTANT', guide: bad } });
      expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      const fields = body.errors[0].extensions.problems.map((p: any) => p.field);
      expect(fields).toEqual(expect.arrayContaining(['guide.conditions.all[1].indicator', 'guide.amountRule.kind']));
      expect(await exists('XG-2026-050')).toBe(false);
    });

    test('NUL bytes, a 300 KB string, an unknown department, bad shares: clear codes, nothing written', async () => {
      const cases: [string, Record<string, unknown>][] = [
        ['XG-2026-051', { department: '360732-MIIT', guide: guide({ title: '含有\u0000的标题测试' }) }],
        ['XG-2026-052', { department: '360732-MIIT', guide: guide({ beneficiaries: '企'.repeat(100_000) }) }],
        ['XG-2026-053', { department: '360732-XYZ', guide: guide() }],
        ['XG-2026-054', { department: '360732-FINANCE', guide: guide() }],
        ['XG-2026-055', { department: '360732-MIIT', level: 'CITY', cityShareBp: 6000, countyShareBp: 3000, guide: guide() }],
        ['XG-2026-056', { department: '360732-MIIT', guide: guide({ reviewDays: 10 }) }],
      ];
      for (const [id, input] of cases) {
        const body = await as(MIIT, create, { input: { id, mode: 'INSTANT', ...input } });
        expect([id, body.errors?.[0]?.extensions?.code]).toEqual([id, 'BAD_USER_INPUT']);
        expect(body.errors[0].message.length).toBeLessThan(1000);
        expect(await exists(id)).toBe(false);
      }
      const nulKeyword = await as(null, SEARCH, { filter: { keyword: '技\u0000改' } });
      expect(nulKeyword.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      const badId = await as(null, ONE, { id: 'x'.repeat(300) });
      expect(badId.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    });

    test('a city policy with shares summing to 10000 is accepted', async () => {
      const body = await as({ role: 'ADMIN', region: '360732' }, create, { input: { id: 'XG-2026-057', department: '360732-MIIT', mode: 'COMMITMENT', level: 'CITY', cityShareBp: 6000, countyShareBp: 4000, guide: guide() } });
      expect(body.errors).toBeUndefined();
    });
  });
});
