import { randomUUID } from 'node:crypto';
import { signDevToken } from '../../gateway/auth';
import { DepartmentCase, DepartmentCaseRecord } from '../../subgraphs/departments/department-case.entity';
import { dispatchConsumer } from '../../subgraphs/departments/dispatch.consumer';
import { pushConsumer, PUSH_SUBJECT } from '../../subgraphs/departments/push.consumer';
import { Delivery, InboxEntry } from '../../subgraphs/kit/events/entities';
import { handleOnce } from '../../subgraphs/kit/events/inbox';
import { eventOf, OutboxEvent } from '../../subgraphs/kit/events/outbox';
import { describeDb, testDriver } from '../support/db';
import { eventually } from '../support/events';
import { startTestGraph, type TestGraph } from '../support/graph';

/**
 * 前店后厂 through the gateway (docs/departments.md): an application accepted at the window
 * arrives once as a case of its department's back office, however the delivery goes (relays
 * stopped and started, the event repeated or replayed); the department's staff work it and
 * decide; the result goes back to the applications subgraph as the department's system, once,
 * surviving the applications subgraph being down; a refused result is kept, not retried; staff of
 * another department see nothing; a department with its own system (HRSS) is not served here.
 */
type Claims = { role: string; department?: string; region?: string; creditCode?: string; sub?: string };
const CLERK: Claims = { role: 'WINDOW_CLERK', department: '360732-APPROVAL', region: '360732' };
const BUREAU: Claims = { role: 'APPROVAL_BUREAU', region: '360732' };
const MIIT_SYSTEM: Claims = { role: 'DEPARTMENT_SYSTEM', department: '360732-MIIT', region: '360732', sub: 'miit-system' };
const reviewer = (sub: string, department = '360732-MIIT'): Claims => ({ role: 'DEPARTMENT_REVIEWER', department, region: '360732', sub });
const ZHANG = reviewer('miit-zhang');
const LI = reviewer('miit-li');
const COMMERCE = reviewer('commerce-wang', '360732-COMMERCE');

// The applications subgraph's API (contract: /work/wt/I9-CONTRACT.md).
const SUBMIT = `mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { id receiptNumber status } }`;
const CHECK = `mutation($id: ID!, $input: CheckApplicationInput!) { checkApplication(id: $id, input: $input) { id status deadline } }`;
const APPLICATION = `query($id: ID!) { application(id: $id) {
  id status amountFen rejectionReason policyExplanation
  timeline { action toStatus actorRole actorSubject actorDepartment note details }
} }`;
const DECISION = `mutation($input: DepartmentDecisionInput!) { recordDepartmentDecision(input: $input) { id status } }`;

const CASE_FIELDS = 'id applicationId receiptNumber policyId mode department regionCode creditCode enterpriseName channel deadline status assignee decisionId outcome amountFen reason policyExplanation pushedAt pushError records { kind date people findings conclusion pushedAt }';
const DECIDE = `mutation($id: ID!, $input: DecideDepartmentCaseInput!) { decideDepartmentCase(id: $id, input: $input) { ${CASE_FIELDS} } }`;
const APPROVE = (amountFen = 300_000) => ({ outcome: 'APPROVED', amountFen, payeeAccount: '6228480000001234', payeeBank: '江西兴国农村商业银行' });
const REJECT = { outcome: 'REJECTED', reason: '未取得省级专精特新中小企业认定', policyExplanation: '《兴国县促进工业高质量发展若干政策措施》第五条：奖励对象为当年新认定的省级及以上专精特新中小企业' };
/** Approved, and whatever follows by itself (the joint audit). */
const AFTER_APPROVAL = ['APPROVED', 'JOINT_AUDIT', 'HELD', 'AWAITING_PAYMENT'];
const SURVEY = { date: '2025-06-02', people: ['张工', '李工'], findings: '技改设备已安装投产，与发票一致', conclusion: '属实' };

describeDb(`前店后厂: the department back office on the kit (${testDriver})`, () => {
  let graph: TestGraph;
  let enterprises: string[] = [];
  let nextEnterprise = 0;
  const tokens = new Map<string, Promise<string>>();
  const token = (claims: Claims) => {
    const key = JSON.stringify(claims);
    if (!tokens.has(key)) tokens.set(key, signDevToken(graph.config.jwt, claims));
    return tokens.get(key)!;
  };
  const ask = async (query: string, variables: Record<string, unknown>, claims: Claims) => (await graph.query(query, variables, await token(claims))).body;
  const ok = async (query: string, variables: Record<string, unknown>, claims: Claims) => {
    const body = await ask(query, variables, claims);
    expect(body.errors).toBeUndefined();
    return body.data;
  };
  const codeOf = (body: { errors?: { extensions?: { code?: string } }[] }) => body.errors?.[0]?.extensions?.code;
  const departments = () => graph.subgraphs.departments.db.orm;
  const applications = () => graph.subgraphs.applications.db.orm;
  const storedCase = (applicationId: string) => departments().em.fork().findOne(DepartmentCase, { applicationId });
  const casesOf = (applicationId: string) => departments().em.fork().count(DepartmentCase, { applicationId });
  const application = async (id: string) => (await ok(APPLICATION, { id }, BUREAU)).application;
  /** The application once it stops moving (the joint audit may follow an approval by itself). */
  /** The application once what follows an approval by itself (the joint audit) has come to rest: to be paid, or held. */
  const settled = (id: string) => eventually(() => application(id), (a) => a.status === 'AWAITING_PAYMENT' || a.status === 'HELD', 30_000);
  const steps = async (id: string, action: string) => (await application(id)).timeline.filter((s: { action: string }) => s.action === action);

  /**
   * Submitted at the county hall's window for a 兴国县 enterprise with every material of the guide
   * (upload ids; government-held ones are referenced by the applications subgraph itself), then
   * accepted there: `application.accepted` is emitted.
   */
  async function accept(policyId: string): Promise<{ id: string; receiptNumber: string; creditCode: string }> {
    const creditCode = enterprises[nextEnterprise++];
    const guide = (await ok('query($id: String!) { policy(id: $id) { mode current { materials { name required heldByGovernment } } } }', { id: policyId }, CLERK)).policy;
    const materials = guide.current.materials
      .filter((m: { required: boolean; heldByGovernment: boolean }) => m.required && !m.heldByGovernment)
      .map((m: { name: string }) => m.name);
    const commitment = guide.mode === 'COMMITMENT' ? { signed: true, text: '本企业承诺所报材料真实有效，如有虚假愿承担相应责任。' } : undefined;
    const input = { policyId, creditCode, data: { 项目名称: '测试项目' }, materials: await Promise.all(materials.map((name: string) => graph.uploadMaterial(creditCode, name))), ...(commitment ? { commitment } : {}) };
    const submitted = (await ok(SUBMIT, { input }, CLERK)).submitApplication;
    const accepted = (await ok(CHECK, { id: submitted.id, input: { accept: true } }, CLERK)).checkApplication;
    expect(accepted.status).toBe('IN_REVIEW');
    return { id: submitted.id, receiptNumber: submitted.receiptNumber, creditCode };
  }
  /** The case the dispatch made of an application, once it has arrived. */
  const arrived = (applicationId: string) => eventually(() => storedCase(applicationId), (c) => !!c, 30_000).then((c) => c!);
  /** The case once the push consumer has written what it pushed. */
  const pushed = (applicationId: string) => eventually(() => storedCase(applicationId), (c) => c?.status === 'PUSHED' || !!c?.pushError, 30_000).then((c) => c!);
  /** The `application.accepted` event of an application, from the applications subgraph's outbox. */
  const acceptedEvent = async (applicationId: string) => {
    const rows = await applications().em.fork().find(OutboxEvent, { type: 'application.accepted' }, { orderBy: { seq: 'asc' } });
    return rows.map(eventOf).find((e) => e.payload.applicationId === applicationId)!;
  };
  const decidedEvent = async (caseId: string) => {
    const rows = await departments().em.fork().find(OutboxEvent, { type: 'department.decided' }, { orderBy: { seq: 'asc' } });
    return rows.map(eventOf).filter((e) => e.payload.caseId === caseId);
  };

  beforeAll(async () => {
    // Fast relays and retries: the outage tests wait for backoff, never for minutes.
    // Inside the demo policies' 2026 application window, whatever day the tests run (a Tuesday, Beijing 10:00).
    graph = await startTestGraph({
      env: { DEMO_ENTERPRISES: '80', EVENTS_POLL_MS: '50', EVENTS_RETRY_BASE_MS: '100', SUBGRAPH_TIMEOUT_MS: '20000', SUBGRAPH_TAX_TIMEOUT_MS: '20000' },
      now: () => new Date('2026-09-29T02:00:00Z'),
    });
    const list = await ok('{ enterprises(first: 40, filter: { regionCode: "360732" }) { nodes { creditCode } } }', {}, { role: 'AUDITOR' });
    enterprises = list.enterprises.nodes.map((n: { creditCode: string }) => n.creditCode);
  }, 180_000);
  afterAll(() => graph?.stop());

  describe('dispatch', () => {
    let first: Awaited<ReturnType<typeof accept>>;

    test('an accepted application arrives once, as a case in its department’s inbox', async () => {
      first = await accept('XG-2026-003');
      const kase = await arrived(first.id);
      const { departmentCases } = await ok(`{ departmentCases(status: RECEIVED, first: 10) { totalCount nodes { ${CASE_FIELDS} application { id status } } } }`, {}, ZHANG);
      const mine = departmentCases.nodes.filter((n: { applicationId: string }) => n.applicationId === first.id);
      expect(mine).toHaveLength(1);
      const app = await application(first.id);
      expect(mine[0]).toMatchObject({
        id: kase.id,
        receiptNumber: first.receiptNumber,
        policyId: 'XG-2026-003',
        mode: 'INSTANT',
        department: '360732-MIIT',
        regionCode: '360732',
        creditCode: first.creditCode,
        channel: 'HALL_WINDOW',
        status: 'RECEIVED',
        assignee: null,
        decisionId: null,
        records: [],
        application: { id: first.id, status: 'IN_REVIEW' },
      });
      expect(mine[0].deadline).toBe((await ok('query($id: ID!) { application(id: $id) { deadline } }', { id: first.id }, BUREAU)).application.deadline);
      expect(app.status).toBe('IN_REVIEW');
      // Application.departmentCase: the department's staff, the bureau, the auditor.
      for (const claims of [ZHANG, MIIT_SYSTEM, BUREAU, { role: 'AUDITOR' }]) {
        const data = await ok('query($id: ID!) { application(id: $id) { departmentCase { id status } } }', { id: first.id }, claims);
        expect(data.application.departmentCase).toEqual({ id: kase.id, status: 'RECEIVED' });
      }
    });

    test('the event delivered again or replayed as a new event adds nothing', async () => {
      const event = await acceptedEvent(first.id);
      expect(await handleOnce(departments(), dispatchConsumer, event, graph.services)).toBe('skipped');
      await Promise.all([
        handleOnce(departments(), dispatchConsumer, { ...event, id: randomUUID() }, graph.services),
        handleOnce(departments(), dispatchConsumer, { ...event, id: randomUUID() }, graph.services).catch(() => 'raced: the unique applicationId refused it'),
      ]);
      expect(await casesOf(first.id)).toBe(1);
    });

    test('dispatch survives the department system being down: delivered when it is back, once', async () => {
      await graph.stopEvents();
      const during = await accept('XG-2026-003');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await casesOf(during.id)).toBe(0);
      await graph.startEvents();
      await arrived(during.id);
      await graph.events.runOnce();
      expect(await casesOf(during.id)).toBe(1);
    });

    test('a department running its own system (HRSS) is not served here', async () => {
      const hrss = await accept('XG-2026-014');
      const event = await acceptedEvent(hrss.id);
      // Handled (the inbox has it) and nothing made of it.
      await eventually(() => departments().em.fork().count(InboxEntry, { consumer: dispatchConsumer.name, eventId: event.id }), (n) => n === 1);
      expect(await casesOf(hrss.id)).toBe(0);
      const data = await ok('query($id: ID!) { application(id: $id) { departmentCase { id } } }', { id: hrss.id }, BUREAU);
      expect(data.application.departmentCase).toBeNull();
    });
  });

  describe('working a case and pushing the result', () => {
    test('approved by the assigned reviewer: pushed as the department’s system, the application APPROVED, once', async () => {
      const app = await accept('XG-2026-003');
      const kase = await arrived(app.id);
      const assigned = await ok('mutation($id: ID!) { assignDepartmentCase(id: $id, reviewer: "miit-zhang") { status assignee } }', { id: kase.id }, MIIT_SYSTEM);
      expect(assigned.assignDepartmentCase).toEqual({ status: 'ASSIGNED', assignee: 'miit-zhang' });
      // Another reviewer of the department may not work a case assigned to someone else.
      const other = await ask(DECIDE, { id: kase.id, input: APPROVE() }, LI);
      expect(codeOf(other)).toBe('FORBIDDEN');
      const decided = (await ok(DECIDE, { id: kase.id, input: APPROVE() }, ZHANG)).decideDepartmentCase;
      expect(decided).toMatchObject({ status: 'DECIDED', outcome: 'APPROVED', amountFen: 300_000, pushedAt: null, pushError: null });
      expect(decided.decisionId).toMatch(/^[0-9a-f-]{36}$/);

      const done = await pushed(app.id);
      expect(done).toMatchObject({ status: 'PUSHED', pushError: null, decisionId: decided.decisionId });
      const after = await application(app.id);
      expect(AFTER_APPROVAL).toContain(after.status);
      expect(after.amountFen).toBe(300_000);
      const approve = after.timeline.filter((s: { action: string }) => s.action === 'approve');
      expect(approve).toHaveLength(1);
      expect(approve[0]).toMatchObject({ toStatus: 'APPROVED', actorRole: 'DEPARTMENT_SYSTEM', actorSubject: PUSH_SUBJECT, actorDepartment: '360732-MIIT' });
      // Final: no second decision here.
      const again = await ask(DECIDE, { id: kase.id, input: REJECT }, ZHANG);
      expect(codeOf(again)).toBe('WRONG_STATE');
      expect(again.errors[0].message).toBe('案件当前状态为“结果已回传”，不能作出决定');
    });

    test('two decisions at once (the system and a reviewer): one is taken, the other meets WRONG_STATE; one result is pushed', async () => {
      const app = await accept('XG-2026-003');
      const kase = await arrived(app.id);
      const [a, b] = await Promise.all([ask(DECIDE, { id: kase.id, input: APPROVE(100_000) }, MIIT_SYSTEM), ask(DECIDE, { id: kase.id, input: REJECT }, ZHANG)]);
      const codes = [codeOf(a), codeOf(b)];
      expect(codes.filter((c) => c === undefined)).toHaveLength(1);
      expect(codes.filter((c) => c === 'WRONG_STATE')).toHaveLength(1);
      const winner = (a.data?.decideDepartmentCase ?? b.data?.decideDepartmentCase) as { outcome: string; decisionId: string };
      expect(await decidedEvent(kase.id)).toHaveLength(1);
      expect(await pushed(app.id)).toMatchObject({ status: 'PUSHED', decisionId: winner.decisionId, outcome: winner.outcome });
      expect(winner.outcome === 'APPROVED' ? AFTER_APPROVAL : ['REJECTED']).toContain((await application(app.id)).status);
    });

    test('pushing the same result twice changes nothing', async () => {
      const app = await accept('XG-2026-003');
      const kase = await arrived(app.id);
      await ok(DECIDE, { id: kase.id, input: APPROVE(250_000) }, MIIT_SYSTEM);
      const done = await pushed(app.id);
      const before = await settled(app.id);
      // The decided event again, as a new event (a replay): the case is PUSHED, nothing is sent.
      const [event] = await decidedEvent(kase.id);
      expect(await handleOnce(departments(), pushConsumer, event, graph.services)).toBe('skipped');
      await handleOnce(departments(), pushConsumer, { ...event, id: randomUUID() }, graph.services);
      // The very same result sent again to the applications subgraph, as the push sends it: unchanged.
      const input = { applicationId: app.id, decisionId: done.decisionId, outcome: 'APPROVED', amountFen: 250_000, payeeAccount: '6228480000001234', payeeBank: '江西兴国农村商业银行' };
      await ok(DECISION, { input }, { role: 'DEPARTMENT_SYSTEM', department: '360732-MIIT', region: '360732', sub: PUSH_SUBJECT });
      expect(await application(app.id)).toEqual(before);
      expect((await storedCase(app.id))!.pushedAt).toEqual(done.pushedAt);
      // The same decision id with other content is not the same result.
      const changed = await ask(DECISION, { input: { ...input, amountFen: 260_000 } }, MIIT_SYSTEM);
      expect(codeOf(changed)).toBe('ALREADY_EXISTS');
      expect(await application(app.id)).toEqual(before);
    });

    test('a rejection without its reason or policy explanation is refused and stores nothing; with both, the enterprise reads them', async () => {
      const app = await accept('XG-2026-003');
      const kase = await arrived(app.id);
      for (const input of [{ outcome: 'REJECTED' }, { outcome: 'REJECTED', reason: '  ', policyExplanation: REJECT.policyExplanation }, { outcome: 'REJECTED', reason: REJECT.reason }]) {
        const refused = await ask(DECIDE, { id: kase.id, input }, ZHANG);
        expect(codeOf(refused)).toBe('BAD_USER_INPUT');
      }
      const both = await ask(DECIDE, { id: kase.id, input: { outcome: 'REJECTED', reason: '' } }, ZHANG);
      // Everything missing at once (一次性告知).
      expect(both.errors[0].extensions.problems.map((p: { field: string }) => p.field).sort()).toEqual(['input.policyExplanation', 'input.reason']);
      const approvalWithoutAccount = await ask(DECIDE, { id: kase.id, input: { outcome: 'APPROVED', amountFen: 0 } }, ZHANG);
      expect(approvalWithoutAccount.errors[0].extensions.problems.map((p: { field: string }) => p.field).sort()).toEqual(['input.amountFen', 'input.payeeAccount']);
      const unchanged = (await storedCase(app.id))!;
      expect(unchanged).toMatchObject({ status: 'RECEIVED', decisionId: null, outcome: null, assignee: null });
      expect(await decidedEvent(kase.id)).toEqual([]);

      await ok(DECIDE, { id: kase.id, input: REJECT }, ZHANG);
      expect(await pushed(app.id)).toMatchObject({ status: 'PUSHED', outcome: 'REJECTED', assignee: 'miit-zhang' });
      const seen = await ok('query($id: ID!) { application(id: $id) { status rejectionReason policyExplanation } }', { id: app.id }, { role: 'ENTERPRISE', creditCode: app.creditCode });
      expect(seen.application).toEqual({ status: 'REJECTED', rejectionReason: REJECT.reason, policyExplanation: REJECT.policyExplanation });
    });

    test('the push survives the applications subgraph being down: retried with backoff, delivered once when it is back', async () => {
      const app = await accept('XG-2026-003');
      const kase = await arrived(app.id);
      const down = graph.subgraphs.applications.http;
      const port = down.port;
      await down.close();
      try {
        await ok(DECIDE, { id: kase.id, input: APPROVE(200_000) }, ZHANG);
        // Failed and waiting for its retry, more than once; the case still waits, nothing is lost.
        const retry = await eventually(
          () => departments().em.fork().findOne(Delivery, { consumer: pushConsumer.name, state: 'RETRY' }),
          (d) => (d?.attempts ?? 0) >= 2,
          30_000,
        );
        expect(retry!.lastError).toMatch(/SUBGRAPH_UNAVAILABLE|HTTP_5|UNREACHABLE/);
        expect(await storedCase(app.id)).toMatchObject({ status: 'DECIDED', pushError: null, pushedAt: null });
      } finally {
        await new Promise<void>((resolve) => down.server.listen(port, '127.0.0.1', resolve));
      }
      expect(await pushed(app.id)).toMatchObject({ status: 'PUSHED', pushError: null });
      expect(await steps(app.id, 'approve')).toHaveLength(1);
      expect((await application(app.id)).amountFen).toBe(200_000);
    });

    test('a result the applications subgraph refuses is kept on the case, not retried; decided again, the new decision is pushed', async () => {
      const app = await accept('XG-2026-003');
      const kase = await arrived(app.id);
      // Over the policy's cap (a fixed 30 万元): the applications subgraph's rule, not the back office's.
      const over = (await ok(DECIDE, { id: kase.id, input: APPROVE(40_000_000) }, ZHANG)).decideDepartmentCase;
      const refused = await pushed(app.id);
      expect(refused).toMatchObject({ status: 'DECIDED', decisionId: over.decisionId, pushedAt: null });
      expect(refused.pushError).toMatch(/^BAD_USER_INPUT: .*上限 30000000 分/);
      expect(await departments().em.fork().count(Delivery, { consumer: pushConsumer.name, state: 'RETRY' })).toBe(0);
      expect((await ok('query($id: ID!) { departmentCase(id: $id) { status pushError } }', { id: kase.id }, ZHANG)).departmentCase).toEqual({ status: 'DECIDED', pushError: refused.pushError });
      expect((await application(app.id)).status).toBe('IN_REVIEW');
      // Decided again: a new decision id, pushed in turn.
      const again = (await ok(DECIDE, { id: kase.id, input: APPROVE(30_000_000) }, ZHANG)).decideDepartmentCase;
      expect(again).toMatchObject({ status: 'DECIDED', pushError: null });
      expect(again.decisionId).not.toBe(over.decisionId);
      expect(await pushed(app.id)).toMatchObject({ status: 'PUSHED', pushError: null, decisionId: again.decisionId });
      expect((await application(app.id)).amountFen).toBe(30_000_000);
      expect(await steps(app.id, 'approve')).toHaveLength(1);
    });

    test('an application already decided through another channel: the back office’s result is refused (WRONG_STATE) and kept', async () => {
      const app = await accept('XG-2026-003');
      const kase = await arrived(app.id);
      // The department's own system decided first, straight through the graph.
      await ok(DECISION, { input: { applicationId: app.id, decisionId: 'miit-system-0001', outcome: 'REJECTED', reason: REJECT.reason, policyExplanation: REJECT.policyExplanation } }, MIIT_SYSTEM);
      await ok(DECIDE, { id: kase.id, input: APPROVE() }, ZHANG);
      const refused = await pushed(app.id);
      expect(refused.status).toBe('DECIDED');
      expect(refused.pushError).toMatch(/^WRONG_STATE: /);
      expect((await application(app.id)).status).toBe('REJECTED');
      expect(await steps(app.id, 'approve')).toHaveLength(0);
    });

    test('COMMITMENT end to end: the survey and the expert review reach the application’s timeline in order, then the decision, the joint audit, to be paid', async () => {
      const app = await accept('XG-2026-004');
      const kase = await arrived(app.id);
      const surveyed = (await ok(`mutation($id: ID!, $input: SiteSurveyInput!) { recordSiteSurvey(id: $id, input: $input) { status assignee } }`, { id: kase.id, input: SURVEY }, ZHANG)).recordSiteSurvey;
      // A reviewer who works an unassigned case takes it.
      expect(surveyed).toEqual({ status: 'SURVEYING', assignee: 'miit-zhang' });
      const reviewed = (await ok(`mutation($id: ID!, $input: EvaluationInput!) { recordEvaluation(id: $id, input: $input) { status records { kind } } }`, { id: kase.id, input: { ...SURVEY, kind: 'EXPERT_REVIEW', people: ['王教授'], findings: '技术方案可行', conclusion: '同意' } }, ZHANG)).recordEvaluation;
      expect(reviewed).toEqual({ status: 'EVALUATING', records: [{ kind: 'SITE_SURVEY' }, { kind: 'EXPERT_REVIEW' }] });
      await eventually(() => departments().em.fork().find(DepartmentCaseRecord, { caseId: kase.id }), (rows) => rows.length === 2 && rows.every((r) => r.pushedAt), 30_000);
      const evaluate = await steps(app.id, 'evaluate');
      expect(evaluate).toHaveLength(2);
      expect(evaluate.map((s: { note: string }) => s.note)).toEqual([expect.stringMatching(/^现场核查（2025-06-02，张工、李工）/), expect.stringMatching(/^专家评审（2025-06-02，王教授）/)]);
      expect((await application(app.id)).status).toBe('EVALUATION');
      await ok(DECIDE, { id: kase.id, input: APPROVE(10_000) }, ZHANG);
      expect(await pushed(app.id)).toMatchObject({ status: 'PUSHED', pushError: null });
      expect(await steps(app.id, 'approve')).toHaveLength(1);
      // Then the joint audit by itself: the COMMITMENT case comes to be paid, or is held with its findings.
      const audited = await eventually(() => application(app.id), (a) => a.status === 'AWAITING_PAYMENT' || a.status === 'HELD', 30_000);
      expect(audited.timeline.map((s: { action: string }) => s.action)).toEqual(['submit', 'accept', 'evaluate', 'evaluate', 'approve', 'audit', audited.status === 'HELD' ? 'hold' : 'clear']);
      // Records after the decision: the case is closed.
      const late = await ask(`mutation($id: ID!, $input: SiteSurveyInput!) { recordSiteSurvey(id: $id, input: $input) { status } }`, { id: kase.id, input: SURVEY }, ZHANG);
      expect(codeOf(late)).toBe('WRONG_STATE');
    });
  });

  describe('another department', () => {
    test('a reviewer of another department sees nothing of these cases and can do nothing to them', async () => {
      const app = await accept('XG-2026-003');
      const kase = await arrived(app.id);
      const refused = await ask('{ departmentCases(department: "360732-MIIT", first: 10) { totalCount } }', {}, COMMERCE);
      expect(codeOf(refused)).toBe('FORBIDDEN');
      const own = await ok('{ departmentCases(first: 100) { nodes { department applicationId } } }', {}, COMMERCE);
      expect(own.departmentCases.nodes.every((n: { department: string }) => n.department === '360732-COMMERCE')).toBe(true);
      expect((await ok('query($id: ID!) { departmentCase(id: $id) { id } }', { id: kase.id }, COMMERCE)).departmentCase).toBeNull();
      const missing = randomUUID();
      for (const [mutation, vars] of [
        ['mutation($id: ID!) { assignDepartmentCase(id: $id, reviewer: "commerce-wang") { id } }', {}],
        ['mutation($id: ID!, $input: SiteSurveyInput!) { recordSiteSurvey(id: $id, input: $input) { id } }', { input: SURVEY }],
        [DECIDE, { input: APPROVE() }],
      ] as const) {
        const theirs = await ask(mutation, { id: kase.id, ...vars }, COMMERCE);
        const absent = await ask(mutation, { id: missing, ...vars }, COMMERCE);
        // As absent as a case that does not exist: the same code, the same words but the id.
        expect(codeOf(theirs)).toBe('NOT_FOUND');
        expect(theirs.errors[0].message.replace(kase.id, 'ID')).toBe(absent.errors[0].message.replace(missing, 'ID'));
      }
      expect(await storedCase(app.id)).toMatchObject({ status: 'RECEIVED', assignee: null, decisionId: null });
      // The enterprise follows its application, not the department's back office.
      const enterprise = await ask('query($id: ID!) { application(id: $id) { status departmentCase { id } } }', { id: app.id }, { role: 'ENTERPRISE', creditCode: app.creditCode });
      expect(enterprise.data.application.status).toBe('IN_REVIEW');
      expect(codeOf(enterprise)).toBe('FORBIDDEN');
    });
  });
});
