import { OutboxEvent } from '../../subgraphs/kit/events/entities';
import { describeDb } from '../support/db';
import { postGraphql, startTestGraph, type TestGraph } from '../support/graph';

/**
 * Screening (免申即享 white list, 精准推送 audience) through the gateway over the demo population:
 * the same answers as the policy calculator asked for each enterprise alone, refusals, paging.
 */
const AS_OF = '2026-10-31';
const REGION = '360732';
const STABLE_JOBS = 'XG-2026-005'; // 企业稳岗补贴: NO_APPLICATION, ≥ 1 employee, 500元 per employee

const SCREEN = `query($region: String!, $policy: String!, $asOf: String, $first: Int, $after: String, $outcome: ScreeningOutcome) {
  enterprisePopulation(regionCode: $region) { regionCode size
    screening(policyId: $policy, asOf: $asOf) { policy { id mode } version regionCode evaluatedOn screened eligibleCount unknownCount totalAmountFen digest
      entries(outcome: $outcome, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { creditCode outcome amountFen amountText explanation enterprise { creditCode name } } } } } }`;

const CALC = `query($codes: [CreditCode!]!, $asOf: String) { enterprisesByCreditCodes(creditCodes: $codes) {
  creditCode regionCode eligiblePolicies(includeNearly: true, asOf: $asOf) { policy { id } outcome estimatedAmountFen amountText explanation } } }`;

describeDb('screening a policy over a whole region, through the gateway', () => {
  let graph: TestGraph;
  let bureau: string;

  beforeAll(async () => {
    graph = await startTestGraph({ env: { SUBGRAPH_TIMEOUT_MS: '60000', SUBGRAPH_TAX_TIMEOUT_MS: '60000' } });
    bureau = await graph.token({ role: 'APPROVAL_BUREAU', region: REGION });
  }, 120_000);
  afterAll(() => graph?.stop());

  const screen = (variables: Record<string, unknown>, token = bureau) => graph.query(SCREEN, { region: REGION, policy: STABLE_JOBS, asOf: AS_OF, ...variables }, token);

  /** Every entry of one outcome, page by page. */
  async function all(outcome: 'ELIGIBLE' | 'UNKNOWN', token = bureau, policy = STABLE_JOBS) {
    const nodes: any[] = [];
    let after: string | null = null;
    for (;;) {
      const { body } = await screen({ outcome, first: 250, after, policy }, token);
      expect(body.errors).toBeUndefined();
      const page = body.data.enterprisePopulation.screening.entries;
      nodes.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) return { nodes, screening: body.data.enterprisePopulation.screening, total: page.totalCount };
      after = page.pageInfo.endCursor;
    }
  }

  test('the white list equals the calculator asked for each enterprise alone', async () => {
    const eligible = await all('ELIGIBLE');
    const unknown = await all('UNKNOWN');
    const s = eligible.screening;
    expect(s).toMatchObject({ policy: { id: STABLE_JOBS, mode: 'NO_APPLICATION' }, version: 1, regionCode: REGION, evaluatedOn: AS_OF });
    expect(s.eligibleCount).toBe(eligible.nodes.length);
    expect(s.unknownCount).toBe(unknown.nodes.length);
    expect(s.eligibleCount).toBeGreaterThan(100);
    expect(s.totalAmountFen).toBe(eligible.nodes.reduce((sum: number, e: any) => sum + (e.amountFen ?? 0), 0));
    // In credit-code order, no entry twice across pages.
    const codes = eligible.nodes.map((e: any) => e.creditCode);
    expect([...codes].sort()).toEqual(codes);
    expect(new Set(codes).size).toBe(codes.length);

    // Every enterprise of the region, through the calculator (the same indicators, one enterprise at a time).
    const population = (await graph.query(`{ enterprisePopulation(regionCode: "${REGION}") { size } }`, {}, bureau)).body.data.enterprisePopulation.size;
    const regionCodes: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { body }: { body: any } = await graph.query(`query($after: String) { enterprises(filter: { regionCode: "${REGION}" }, first: 100, after: $after) { nodes { creditCode } pageInfo { hasNextPage endCursor } } }`, { after }, bureau);
      regionCodes.push(...body.data.enterprises.nodes.map((n: any) => n.creditCode));
      if (!body.data.enterprises.pageInfo.hasNextPage) break;
      after = body.data.enterprises.pageInfo.endCursor;
    }
    expect(regionCodes).toHaveLength(population);
    expect(s.screened).toBe(population);
    const calculated = new Map<string, any>();
    for (let i = 0; i < regionCodes.length; i += 500) {
      const { body } = await graph.query(CALC, { codes: regionCodes.slice(i, i + 500), asOf: AS_OF }, bureau);
      expect(body.errors).toBeUndefined();
      for (const e of body.data.enterprisesByCreditCodes) calculated.set(e.creditCode, e.eligiblePolicies.find((m: any) => m.policy.id === STABLE_JOBS));
    }
    const expectedEligible = regionCodes.filter((c) => calculated.get(c)?.outcome === 'ELIGIBLE').sort();
    // The calculator's NEARLY because data is missing (the whole tree unknown) is screening's UNKNOWN.
    const expectedUnknown = regionCodes.filter((c) => calculated.get(c)?.outcome === 'NEARLY' && calculated.get(c).explanation[0].startsWith('？')).sort();
    expect(codes).toEqual(expectedEligible);
    expect(unknown.nodes.map((e: any) => e.creditCode)).toEqual(expectedUnknown);
    for (const e of eligible.nodes) {
      const c = calculated.get(e.creditCode);
      expect({ amountFen: e.amountFen, amountText: e.amountText, explanation: e.explanation }).toEqual({ amountFen: c.estimatedAmountFen, amountText: c.amountText, explanation: c.explanation });
    }
    // The enterprise behind an entry comes from its owner.
    expect(eligible.nodes[0].enterprise.name).toMatch(/^兴国/);
  }, 300_000);

  test('the same data gives the same digest; another day may not', async () => {
    const a = (await screen({ first: 1 })).body.data.enterprisePopulation.screening;
    const b = (await screen({ first: 1 })).body.data.enterprisePopulation.screening;
    expect(b.digest).toBe(a.digest);
    expect(a.digest).toMatch(/^[0-9a-f]{64}$/);
    const other = (await screen({ first: 1, asOf: '2026-10-30' })).body.data.enterprisePopulation.screening;
    expect(other.digest).not.toBe(a.digest);
  });

  test('a city official screens a county policy over the city: only the county is screened', async () => {
    const city = await graph.token({ role: 'APPROVAL_BUREAU', region: '360700' });
    const county = (await screen({ first: 1 })).body.data.enterprisePopulation.screening;
    const { body } = await graph.query(SCREEN, { region: '360700', policy: STABLE_JOBS, asOf: AS_OF, first: 1 }, city);
    expect(body.errors).toBeUndefined();
    const s = body.data.enterprisePopulation.screening;
    expect(body.data.enterprisePopulation.size).toBeGreaterThan(s.screened);
    expect({ screened: s.screened, eligibleCount: s.eligibleCount, unknownCount: s.unknownCount, totalAmountFen: s.totalAmountFen }).toEqual({
      screened: county.screened,
      eligibleCount: county.eligibleCount,
      unknownCount: county.unknownCount,
      totalAmountFen: county.totalAmountFen,
    });
  });

  test('who may screen: officials of the region and the auditor; not the public, an enterprise, the window or another county', async () => {
    const code = async (token?: string, region = REGION) => (await graph.query(SCREEN, { region, policy: STABLE_JOBS, asOf: AS_OF, first: 1 }, token)).body.errors?.[0]?.extensions?.code;
    expect(await code(undefined)).toBe('UNAUTHENTICATED');
    expect(await code(await graph.token({ role: 'ENTERPRISE', creditCode: '91360732300673434K' }))).toBe('FORBIDDEN');
    expect(await code(await graph.token({ role: 'WINDOW_CLERK', region: REGION }))).toBe('FORBIDDEN');
    expect(await code(await graph.token({ role: 'APPROVAL_BUREAU', region: '360731' }))).toBe('FORBIDDEN');
    expect(await code(await graph.token({ role: 'DEPARTMENT_REVIEWER', department: '360732-HRSS', region: REGION }))).toBeUndefined();
    const audit = await graph.query(SCREEN, { region: REGION, policy: STABLE_JOBS, asOf: AS_OF, first: 1 }, await graph.token({ role: 'AUDITOR' }));
    expect(audit.body.errors).toBeUndefined();
    expect(audit.body.data.enterprisePopulation.screening.eligibleCount).toBe((await screen({ first: 1 })).body.data.enterprisePopulation.screening.eligibleCount);
  });

  test('each source logs one access event naming the region, not every enterprise read', async () => {
    const { body } = await graph.query(SCREEN, { region: REGION, policy: STABLE_JOBS, asOf: AS_OF, first: 1 }, bureau, { 'x-request-id': 'screening-access-1' });
    expect(body.errors).toBeUndefined();
    for (const source of ['tax', 'statistics', 'credit']) {
      const events = await graph.subgraphs[source].db.orm.em.fork().find(OutboxEvent, { family: 'access', requestId: 'screening-access-1' });
      expect(events.map((e) => e.payload)).toEqual([
        expect.objectContaining({ what: `EnterprisePopulation.${source}`, region: REGION, enterprises: [], actor: expect.objectContaining({ role: 'APPROVAL_BUREAU' }) }),
      ]);
    }
  });

  test('bad input is refused with a clear code and nothing else happens', async () => {
    const error = async (variables: Record<string, unknown>) => (await screen({ first: 1, ...variables })).body.errors?.[0];
    expect((await error({ policy: 'XG-2099-999' }))?.extensions.code).toBe('NOT_FOUND');
    expect(await error({ policy: 'YD-2026-001' })).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining('不重叠') });
    expect((await error({ region: '36073' }))?.extensions.code).toBe('BAD_USER_INPUT');
    expect((await error({ region: '360732\u0000' }))?.extensions.code).toBe('BAD_USER_INPUT');
    expect((await error({ region: '999999' }))?.extensions.code).toBe('BAD_USER_INPUT');
    expect((await error({ asOf: '2999-01-01' }))?.message).toContain('不能晚于今天');
    expect((await error({ asOf: '2026-02-30' }))?.extensions.code).toBe('BAD_USER_INPUT');
    expect((await error({ first: 0 }))?.extensions.code).toBe('BAD_USER_INPUT');
    expect((await error({ first: 501 }))?.extensions.code).toBe('BAD_USER_INPUT');
    expect((await screen({ first: 500 })).body.errors).toBeUndefined();
    expect((await error({ after: 'not-a-cursor!' }))?.extensions.code).toBe('BAD_USER_INPUT');
    expect((await error({ policy: 'x'.repeat(300_000) }))?.extensions.code).toMatch(/BAD_USER_INPUT|NOT_FOUND|PAYLOAD_TOO_LARGE|QUERY_TOO_COMPLEX/);
    // The population's tables are not part of the public API: only screening reads them.
    const raw = await graph.query(`{ enterprisePopulation(regionCode: "${REGION}") { members } }`, {}, bureau);
    expect(raw.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  test('a source called directly reads only members the caller may read, whatever the representation claims', async () => {
    const YUDU = '91360731672750023L'; // an enterprise of 于都 smuggled into 兴国's members
    const body = {
      query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on EnterprisePopulation { tax } } }',
      variables: { r: [{ __typename: 'EnterprisePopulation', regionCode: REGION, members: { creditCode: ['91360732300673434K', YUDU] } }] },
    };
    const identity = await graph.signIdentity({ role: 'APPROVAL_BUREAU', region: REGION, subject: 'u1' }, 'tax');
    const { body: answer } = await postGraphql(graph.subgraphs.tax.http.url, body, { 'x-qinqing-identity': identity });
    expect(answer.errors).toBeUndefined();
    const tax = answer.data._entities[0].tax;
    expect(tax.creditRating[0]).toBe('B');
    expect(tax.creditRating[1]).toBeNull();
    expect(tax.revenueFen[1]).toBeNull();
    // Without the gateway's signature nothing is read at all, and a big body is not even read:
    // only the gateway may send a subgraph more than a client may send the gateway.
    expect((await postGraphql(graph.subgraphs.tax.http.url, body)).status).toBe(401);
    const big = { ...body, variables: { r: [{ ...body.variables.r[0], members: { creditCode: Array(150_000).fill('91360732300673434K') } }] } };
    expect((await postGraphql(graph.subgraphs.tax.http.url, big)).status).toBe(413);
    const signed = await postGraphql(graph.subgraphs.tax.http.url, big, { 'x-qinqing-identity': identity });
    expect(signed.status).toBe(200);
    expect(signed.body.data._entities[0].tax.creditRating).toHaveLength(150_000);
  });
});
