import { randomUUID } from 'node:crypto';
import { makeCreditCode } from '../../platform/credit-code';
import { createLogger } from '../../platform/logger';
import { toChinaDate } from '../../subgraphs/kit/calendar';
import { handleOnce } from '../../subgraphs/kit/events/inbox';
import { eventOf, OutboxEvent } from '../../subgraphs/kit/events/outbox';
import { residentIdCheckChar } from '../../subgraphs/kit/resident-id';
import { computeAmount } from '../../subgraphs/policies/conditions';
import { PolicyMessage, pushConsumer, rescreenJob } from '../../subgraphs/policies/push';
import { newestFirst } from '../../subgraphs/policies/push/loader';
import { fetchWhiteList } from '../../subgraphs/policies/push/screening';
import { describeDb, testDriver } from '../support/db';
import { eventually } from '../support/events';
import { startTestGraph, type TestGraph } from '../support/graph';

/**
 * 精准推送 through the gateway, over a small demo population: publishing a policy messages every
 * enterprise of the screening's white list once; a new version, the event delivered again,
 * concurrent deliveries and the re-screening job send nothing twice; an enterprise that newly
 * qualifies (registered later, or by time passing) gets one NEWLY_ELIGIBLE message; who may read
 * and mark messages.
 */
const miit = { role: 'DEPARTMENT_REVIEWER', department: '360732-MIIT', region: '360732' };
const SIGNERS = [
  { role: 'DEPARTMENT_REVIEWER', department: '360732-NDRC', region: '360732' },
  { role: 'FINANCE', region: '360732' },
  { role: 'APPROVAL_BUREAU', region: '360732' },
];
const samr = { role: 'DEPARTMENT_SYSTEM', department: '360732-SAMR', region: '360732' };

const guide = (over: Record<string, unknown>) => ({
  title: '精准推送测试政策',
  legalBasis: { title: '《兴国县促进工业高质量发展若干政策措施》', documentNumber: '兴府发〔2025〕8号' },
  beneficiaries: '本县小微企业',
  conditionsText: '在兴国县登记注册的微型企业',
  conditions: { all: [{ indicator: 'regionCode', op: 'eq', value: '360732' }, { indicator: 'scale', op: 'in', values: ['MICRO'] }] },
  amountRule: { kind: 'FIXED', amountFen: 100_000 },
  amountText: '定额 1000 元',
  materials: [],
  processSteps: ['主管部门确认白名单', '直接兑付'],
  contact: '0797-5322000',
  ...over,
});

const SCREENING = `query($region: String!, $policy: String!, $asOf: String) { enterprisePopulation(regionCode: $region) {
  screening(policyId: $policy, asOf: $asOf) { version entries(outcome: ELIGIBLE, first: 500) { totalCount nodes { creditCode amountFen } } } } }`;
const MESSAGES = `query($codes: [CreditCode!]!) { enterprisesByCreditCodes(creditCodes: $codes) { creditCode policyMessages(first: 10) { nodes { policyId } } } }`;
const MESSAGE = `query($cc: CreditCode!) { enterprise(creditCode: $cc) { policyMessages(first: 1) { totalCount nodes { id policyId version kind title body amountFen createdAt readAt } } } }`;

// Each re-screening screens the whole demo catalog (about 35 policies) through the gateway: seconds
// alone, much longer while the suite runs in parallel.
const SLOW = 240_000;

describeDb(`精准推送: messages once per policy and enterprise (${testDriver})`, () => {
  let graph: TestGraph;
  let auditor: string;
  const today = toChinaDate(new Date());
  const log = createLogger('silent');
  const policies = () => graph.subgraphs.policies.db.orm;
  const stored = (policyId: string) => policies().em.fork().find(PolicyMessage, { policyId }, { orderBy: { creditCode: 'asc' } });
  const ok = async (query: string, variables: Record<string, unknown>, claims: { role: string; region?: string; department?: string; creditCode?: string }) => {
    const { body } = await graph.query(query, variables, await graph.token(claims));
    expect(body.errors).toBeUndefined();
    return body.data;
  };
  /** The screening's white list, asked by the test itself (an ADMIN of the county). */
  const whiteList = async (policy: string, asOf = today): Promise<string[]> => {
    const data = await ok(SCREENING, { region: '360732', policy, asOf }, { role: 'ADMIN', region: '360732' });
    return data.enterprisePopulation.screening.entries.nodes.map((n: any) => n.creditCode).sort();
  };
  /** The first policy.published event of a policy, from the policies subgraph's outbox. */
  const publishedEvent = async (policyId: string) => {
    const rows = await policies().em.fork().find(OutboxEvent, { type: 'policy.published' }, { orderBy: { seq: 'asc' } });
    return rows.map(eventOf).find((e) => e.payload.policyId === policyId)!;
  };
  /** The consumers' clock: unset is the system's. */
  let clock: Date | undefined;
  const runRescreen = () => rescreenJob.run(policies().em.fork(), log, graph.services);

  async function publish(id: string, mode: string, over: Record<string, unknown> = {}, update = false) {
    if (update) await ok('mutation($id: String!, $g: PolicyGuideInput!) { updatePolicyDraft(id: $id, guide: $g) { id } }', { id, g: guide(over) }, miit);
    else await ok('mutation($input: CreatePolicyInput!) { createPolicyDraft(input: $input) { id } }', { input: { id, department: '360732-MIIT', mode, guide: guide(over) } }, miit);
    await ok(`mutation { submitPolicyForConsultation(id: "${id}") { id } }`, {}, miit);
    for (const signer of SIGNERS) await ok(`mutation { signOffPolicy(id: "${id}", decision: APPROVED) { id } }`, {}, signer);
    await ok(`mutation { publishPolicy(id: "${id}") { id } }`, {}, miit);
  }

  let serial = 0;
  async function register(registeredOn: string, scale = 'MICRO'): Promise<string> {
    serial++;
    const creditCode = makeCreditCode({ authority: '9', entityType: '1', regionCode: '360732', orgBody8: `PUTH${String(serial).padStart(4, '0')}` });
    const input = {
      creditCode,
      name: `兴国县精准推送测试第${serial}号商贸有限公司`,
      legalRepresentative: '张三',
      legalRepresentativeIdNumber: '36073219850101002' + residentIdCheckChar('36073219850101002'),
      registeredOn,
      regionCode: '360732',
      industryCode: 'F52',
      scale,
      address: '江西省赣州市兴国县潋江镇测试路2号',
      bankName: '江西兴国农村商业银行',
      bankAccount: '6228480000000002',
    };
    await ok('mutation($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { creditCode } }', { input }, samr);
    return creditCode;
  }

  beforeAll(async () => {
    // A small population (both counties), and deadlines that suit a whole suite running in parallel.
    graph = await startTestGraph({
      env: { DEMO_ENTERPRISES: '120', SUBGRAPH_TIMEOUT_MS: '60000', SUBGRAPH_TAX_TIMEOUT_MS: '60000', EVENTS_POLL_MS: '100' },
      now: () => clock ?? new Date(),
    });
    auditor = await graph.token({ role: 'AUDITOR' });
  }, 180_000);
  afterAll(() => graph?.stop());

  test('publishing: every enterprise of the white list gets one message, nobody else', async () => {
    await publish('XG-2099-701', 'NO_APPLICATION');
    const expected = await whiteList('XG-2099-701');
    expect(expected.length).toBeGreaterThan(5);
    const messages = await eventually(() => stored('XG-2099-701'), (list) => list.length > 0, 150_000);
    expect(messages.map((m) => m.creditCode)).toEqual(expected);

    // Through the gateway, for every enterprise of the county: the ones on the list have exactly one, the others none.
    const county = (await graph.query('{ enterprises(first: 100, filter: { regionCode: "360732" }) { nodes { creditCode } } }', {}, auditor)).body.data.enterprises.nodes.map((n: any) => n.creditCode);
    const { body } = await graph.query(MESSAGES, { codes: county }, auditor);
    expect(body.errors).toBeUndefined();
    const withMessage = body.data.enterprisesByCreditCodes
      .filter((e: any) => e.policyMessages.nodes.some((m: any) => m.policyId === 'XG-2099-701'))
      .map((e: any) => e.creditCode)
      .sort();
    expect(withMessage).toEqual(expected);
    // The whole county costs the policies subgraph as many statements as one enterprise.
    const statements = async (codes: string[]) => {
      const log = graph.subgraphs.policies.db.statements;
      const before = log.length;
      expect((await graph.query(MESSAGES, { codes }, auditor)).body.errors).toBeUndefined();
      return log.slice(before).filter((sql) => !/kit_/.test(sql)).length;
    };
    expect(await statements(county)).toBe(await statements(county.slice(0, 1)));
    const one = (await ok(MESSAGE, { cc: expected[0] }, { role: 'ENTERPRISE', creditCode: expected[0] })).enterprise.policyMessages.nodes[0];
    expect(one).toMatchObject({ policyId: 'XG-2099-701', version: 1, kind: 'PUBLISHED', amountFen: 100_000, readAt: null, title: '新政策推送：精准推送测试政策' });
    const amountText = computeAmount({ kind: 'FIXED', amountFen: 100_000 }, {}, { today }).text;
    expect(one.body).toBe(`贵企业符合《精准推送测试政策》（XG-2099-701，免申即享）的条件（按${today}的数据判断）。预计金额：${amountText}。无需申请，主管部门确认白名单后直接兑付。`);
  }, SLOW);

  test('once: the event delivered again, replayed, delivered concurrently; a new version; the re-screening job', async () => {
    const before = await stored('XG-2099-701');
    const event = await publishedEvent('XG-2099-701');
    // The same event again: the inbox skips it.
    expect(await handleOnce(policies(), pushConsumer, event, graph.services)).toBe('skipped');
    // Replayed as new events (an operator re-inserting it, another replica), two at once, beside the job.
    await Promise.all([
      handleOnce(policies(), pushConsumer, { ...event, id: randomUUID() }, graph.services),
      handleOnce(policies(), pushConsumer, { ...event, id: randomUUID() }, graph.services),
      runRescreen(),
    ]);
    expect((await stored('XG-2099-701')).map((m) => [m.id, m.creditCode, m.kind])).toEqual(before.map((m) => [m.id, m.creditCode, m.kind]));

    // Version 2 also covers SMALL enterprises: they get one message (version 2), the MICRO ones nothing more.
    await publish('XG-2099-701', 'NO_APPLICATION', { conditions: { all: [{ indicator: 'regionCode', op: 'eq', value: '360732' }, { indicator: 'scale', op: 'in', values: ['MICRO', 'SMALL'] }] } }, true);
    const expected = await whiteList('XG-2099-701');
    expect(expected.length).toBeGreaterThan(before.length);
    const after = await eventually(() => stored('XG-2099-701'), (list) => list.length > before.length, 150_000);
    expect(after.map((m) => m.creditCode)).toEqual(expected);
    const byCode = new Map(after.map((m) => [m.creditCode, m]));
    for (const m of before) expect(byCode.get(m.creditCode)).toMatchObject({ id: m.id, version: 1, kind: 'PUBLISHED' });
    expect(after.filter((m) => m.version === 2).every((m) => m.kind === 'PUBLISHED')).toBe(true);

    await runRescreen();
    expect((await stored('XG-2099-701')).length).toBe(after.length);
  }, SLOW);

  test('messages written concurrently by two deliveries and the job: still one per enterprise', async () => {
    // Start over for this policy: whoever inserts first wins, the others insert nothing.
    await policies().em.fork().nativeDelete(PolicyMessage, { policyId: 'XG-2099-701' });
    const event = await publishedEvent('XG-2099-701');
    await Promise.all([
      handleOnce(policies(), pushConsumer, { ...event, id: randomUUID() }, graph.services),
      handleOnce(policies(), pushConsumer, { ...event, id: randomUUID() }, graph.services),
      runRescreen(),
    ]);
    const list = await stored('XG-2099-701');
    expect(list.map((m) => m.creditCode)).toEqual(await whiteList('XG-2099-701'));
  }, SLOW);

  test('newly qualified by new data: an enterprise registered after publication gets one NEWLY_ELIGIBLE message from the job', async () => {
    const newcomer = await register('2024-03-01');
    expect(await whiteList('XG-2099-701')).toContain(newcomer);
    expect((await stored('XG-2099-701')).some((m) => m.creditCode === newcomer)).toBe(false);
    await runRescreen();
    await runRescreen();
    const mine = (await stored('XG-2099-701')).filter((m) => m.creditCode === newcomer);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ kind: 'NEWLY_ELIGIBLE', version: 2, title: '您已符合政策条件：精准推送测试政策' });
  }, SLOW);

  test('newly qualified by time passing: registered ≥ 1 year is met on a later day of the job', async () => {
    // The screening judges no day after today: publication is screened two months ago (the
    // consumers' clock), the job runs today. Registered 13 months ago: 11 months old then.
    const month = (offset: number) => {
      const d = new Date(`${today}T00:00:00Z`);
      d.setUTCMonth(d.getUTCMonth() + offset);
      return d.toISOString().slice(0, 10);
    };
    const young = await register(month(-13));
    clock = new Date(`${month(-2)}T04:00:00Z`);
    await publish('XG-2099-702', 'INSTANT', {
      conditions: { all: [{ indicator: 'regionCode', op: 'eq', value: '360732' }, { indicator: 'registeredOn', op: 'lte', value: { relative: 'today', offsetYears: -1 } }] },
      amountRule: { kind: 'FIXED', amountFen: 50_000 },
      amountText: '定额 500 元',
      windowStart: '2026-01-01',
      windowEnd: '2027-12-31',
    });
    const first = await eventually(() => stored('XG-2099-702'), (list) => list.length > 0, 150_000);
    clock = undefined;
    expect(first.map((m) => m.creditCode)).toEqual(await whiteList('XG-2099-702', month(-2)));
    expect(first.some((m) => m.creditCode === young)).toBe(false);
    expect(first[0].body).toContain(`按${month(-2)}的数据判断`);
    expect(first[0].body).toContain('（XG-2099-702，即申即享）');
    expect(first[0].body).toContain('请在申报期内（2026-01-01至2027-12-31）申请。');

    await runRescreen();
    const list = await stored('XG-2099-702');
    const mine = list.filter((m) => m.creditCode === young);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ kind: 'NEWLY_ELIGIBLE', amountFen: 50_000 });
    expect(mine[0].body).toContain(`按${today}的数据判断`);
    expect(list.map((m) => m.creditCode)).toEqual(await whiteList('XG-2099-702'));
  }, SLOW);

  test('the screening pages: a small page size collects the same white list', async () => {
    const all = await fetchWhiteList(graph.services.graph!, { id: 'XG-2099-701', regionCode: '360732' }, today, 'test');
    const paged = await fetchWhiteList(graph.services.graph!, { id: 'XG-2099-701', regionCode: '360732' }, today, 'test', 7);
    expect(paged.entries.length).toBeGreaterThan(7);
    expect(paged).toEqual(all);
  }, SLOW);

  describe('reading and marking', () => {
    let target: string;
    /** The target's messages as stored, newest first (the job also messaged it about demo catalog policies). */
    let ids: string[];
    const LIST = 'query($cc: CreditCode!, $unread: Boolean, $first: Int, $after: String) { enterprise(creditCode: $cc) { policyMessages(unreadOnly: $unread, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id policyId readAt createdAt } } } }';
    const MARK = 'mutation($ids: [ID!]!) { markPolicyMessagesRead(ids: $ids) { id readAt } }';
    beforeAll(async () => {
      // An enterprise with messages of both policies.
      const a = new Set((await stored('XG-2099-701')).map((m) => m.creditCode));
      target = (await stored('XG-2099-702')).map((m) => m.creditCode).find((c) => a.has(c))!;
      expect(target).toBeDefined();
      const rows = await policies().em.fork().find(PolicyMessage, { creditCode: target });
      ids = rows.sort(newestFirst).map((m) => m.id);
      expect(ids.length).toBeGreaterThanOrEqual(2);
    });

    test('newest first, paged; the enterprise itself, officials of its county and the auditor may read', async () => {
      const self = await graph.token({ role: 'ENTERPRISE', creditCode: target });
      // Page by page, one at a time: every message once, newest first.
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: any = (await graph.query(LIST, { cc: target, first: 1, after }, self)).body.data.enterprise.policyMessages;
        expect(page.totalCount).toBe(ids.length);
        seen.push(...page.nodes.map((n: any) => n.id));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(seen).toEqual(ids);
      for (const claims of [{ role: 'WINDOW_CLERK', region: '360732' }, { role: 'ADMIN', region: '360700' }, { role: 'AUDITOR' }]) {
        const { body } = await graph.query(LIST, { cc: target }, await graph.token(claims));
        expect(body.data.enterprise.policyMessages.totalCount).toBe(ids.length);
      }
      const other = (await stored('XG-2099-701')).find((m) => m.creditCode !== target)!.creditCode;
      for (const [claims, code] of [
        [undefined, 'UNAUTHENTICATED'],
        [{ role: 'ENTERPRISE', creditCode: other }, 'FORBIDDEN'],
        [{ role: 'APPROVAL_BUREAU', region: '360731' }, 'FORBIDDEN'],
      ] as const) {
        const { body } = await graph.query(LIST, { cc: target }, claims && (await graph.token(claims)));
        expect(body.errors[0].extensions.code).toBe(code);
      }
      const bad = await graph.query(LIST, { cc: target, after: 'bm90LW91cnM' }, self);
      expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    });

    test('marking read: only its own, idempotent; another enterprise\'s id is NOT_FOUND and changes nothing', async () => {
      const self = await graph.token({ role: 'ENTERPRISE', creditCode: target });
      const foreign = (await stored('XG-2099-701')).find((m) => m.creditCode !== target)!;
      const refused = await graph.query(MARK, { ids: [ids[0], foreign.id] }, self);
      expect(refused.body.errors[0].extensions.code).toBe('NOT_FOUND');
      expect((await graph.query(LIST, { cc: target, unread: true }, self)).body.data.enterprise.policyMessages.totalCount).toBe(ids.length);
      expect((await policies().em.fork().findOneOrFail(PolicyMessage, { id: foreign.id })).readAt).toBeNull();

      const marked = (await graph.query(MARK, { ids: [ids[0]] }, self)).body.data.markPolicyMessagesRead;
      expect(marked).toEqual([{ id: ids[0], readAt: expect.any(String) }]);
      const again = (await graph.query(MARK, { ids: [ids[0], ids[0]] }, self)).body.data.markPolicyMessagesRead;
      expect(again).toEqual(marked);
      const unread = (await graph.query(LIST, { cc: target, unread: true, first: 100 }, self)).body.data.enterprise.policyMessages;
      expect(unread.nodes.map((n: any) => n.id)).toEqual(ids.slice(1));

      for (const claims of [{ role: 'AUDITOR' }, { role: 'ADMIN', region: '360732' }, { role: 'WINDOW_CLERK', region: '360732' }]) {
        expect((await graph.query(MARK, { ids: [ids[1]] }, await graph.token(claims))).body.errors[0].extensions.code).toBe('FORBIDDEN');
      }
      expect((await graph.query(MARK, { ids: ['not-a-uuid'] }, self)).body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    });
  });
});
