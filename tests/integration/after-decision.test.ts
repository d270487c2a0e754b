import { createLogger } from '../../platform/logger';
import { Application } from '../../subgraphs/applications/application.entity';
import { sweepJointAudits } from '../../subgraphs/applications/joint-audit-step';
import { confirmChunk, resumeStalledConfirmations } from '../../subgraphs/applications/white-list';
import { WhiteListConfirmation } from '../../subgraphs/applications/white-list.entity';
import { OutboxEvent } from '../../subgraphs/kit/events/outbox';
import { GraphRequestError, type GraphClient } from '../../subgraphs/kit/graph-client';
import { describeDb, testDriver } from '../support/db';
import { eventually } from '../support/events';
import { startTestGraph, type TestGraph } from '../support/graph';

/**
 * After the department's decision, through the gateway over the whole graph and its demo data:
 * 免申即享 (a kept screening confirmed by id and digest → cases APPROVED → JOINT_AUDIT → AWAITING_PAYMENT
 * or HELD), the joint audit's HOLD on an enterprise with a blocking finding released or refused by
 * the Approval Bureau with a recorded reason, the enterprise correcting its payee account, a joint
 * audit that cannot reach the graph (the case waits, never skips), and supervision on a clock that
 * crosses 国庆节 2026 (10-01 … 10-07 off, Saturday 10-10 a make-up workday).
 */
const HELD = '913607325556285396'; // 兴国丰泰建材: environmental penalty 2025-12-31, not rectified (≤ 12 months → HOLD)
const CLEAN = '9136073256850595XR'; // 兴国中恒建设: a dishonesty listing lifted in 2025 (INFO → PASS)
const DAY = '2026-09-30'; // a Wednesday, the eve of the National Day holiday

const miit = { role: 'DEPARTMENT_REVIEWER', department: '360732-MIIT', region: '360732' };
const scitech = { role: 'DEPARTMENT_REVIEWER', department: '360732-SCITECH', region: '360732' };
const approval = { role: 'APPROVAL_BUREAU', region: '360732' };
const approvalYudu = { role: 'APPROVAL_BUREAU', region: '360731' };
const SIGNERS = [{ role: 'DEPARTMENT_REVIEWER', department: '360732-NDRC', region: '360732' }, { role: 'FINANCE', region: '360732' }, approval];
type Claims = { role: string; region?: string; department?: string; creditCode?: string };

const guide = (conditions: unknown, over: Record<string, unknown> = {}) => ({
  title: '联合审核测试政策（免申即享）',
  legalBasis: { title: '《兴国县促进工业高质量发展若干政策措施》', documentNumber: '兴府发〔2025〕8号' },
  beneficiaries: '本县特定企业',
  conditionsText: '测试条件',
  conditions,
  amountRule: { kind: 'FIXED', amountFen: 100_000 },
  amountText: '定额 1000 元',
  materials: [],
  processSteps: ['主管部门确认白名单', '联合审核', '直接兑付'],
  contact: '0797-5322000',
  ...over,
});
const region = { indicator: 'regionCode', op: 'eq', value: '360732' };
/** HELD and one other C30 micro enterprise registered in 2013–2014. */
const HOLD_POLICY = { all: [region, { indicator: 'industryCode', op: 'eq', value: 'C30' }, { indicator: 'scale', op: 'in', values: ['MICRO'] }, { indicator: 'registeredOn', op: 'between', min: '2013-01-01', max: '2014-12-31' }] };
/** HELD alone. */
const HELD_ONLY = { all: [region, { indicator: 'industryCode', op: 'eq', value: 'C30' }, { indicator: 'registeredOn', op: 'between', min: '2013-08-01', max: '2013-08-31' }] };
/** CLEAN and one other E47 small enterprise registered in 2008. */
const CLEAN_POLICY = { all: [region, { indicator: 'industryCode', op: 'eq', value: 'E47' }, { indicator: 'scale', op: 'in', values: ['SMALL'] }, { indicator: 'registeredOn', op: 'between', min: '2008-01-01', max: '2008-12-31' }] };

const SCREEN = `query($p: String!, $asOf: String) { enterprisePopulation(regionCode: "360732") {
  screening(policyId: $p, asOf: $asOf) { id digest eligibleCount entries(first: 500) { nodes { creditCode amountFen } } } } }`;
const CONFIRM = `mutation($i: ConfirmWhiteListInput!) { confirmWhiteList(input: $i) {
  screeningId policyId period state eligibleCount created alreadyConfirmed skipped repeated } }`;
const CONFIRMATION = `query($id: ID!) { whiteListConfirmation(screeningId: $id) {
  state created alreadyConfirmed skipped chunks completedAt applications(first: 100) { totalCount nodes { id creditCode status } } } }`;
const CASE = `query($id: ID!) { application(id: $id) {
  id status channel mode creditCode amountFen payeeAccount payeeBank deadline deadlineWorkdays rejectionReason policyExplanation
  jointAudit { verdict asOf reasons findings { source effect reference } }
  timeline { seq action name fromStatus toStatus actorRole note deadline } } }`;
const VERDICT = `query($cc: CreditCode!, $p: String!, $asOf: String) { enterprise(creditCode: $cc) { jointAudit(policyCode: $p, asOf: $asOf) { verdict } } }`;
const RELEASE = 'mutation($id: ID!, $r: String!) { releaseHold(id: $id, reason: $r) { id status deadline timeline { action note } } }';
const REFUSE = 'mutation($id: ID!, $r: String!, $e: String!) { refuseHeld(id: $id, reason: $r, policyExplanation: $e) { id status rejectionReason policyExplanation } }';
const CORRECT = 'mutation($id: ID!, $a: String!, $b: String!) { correctPayeeAccount(id: $id, account: $a, bank: $b) { id payeeAccount payeeBank timeline { action name note } } }';
const SUPERVISION = `query($r: String!, $asOf: String) { supervision(regionCode: $r, asOf: $asOf) {
  asOf nearDeadline { application { id } deadline usedWorkdays remainingWorkdays shareUsed }
  overdueCount overdueByDepartment { department departmentName count cases { application { id } deadline overdueWorkdays } }
  stepDurations { status department count averageWorkdays maxWorkdays slowestApplicationId } } }`;

describeDb(`after the decision: joint audit, HOLD, 免申即享, supervision (${testDriver})`, () => {
  let graph: TestGraph;
  let clock = new Date(`${DAY}T02:00:00Z`); // 10:00 in China
  const at = (iso: string) => (clock = new Date(iso));
  const log = createLogger('silent');
  const orm = () => graph.subgraphs.applications.db.orm;

  const call = async (query: string, variables: Record<string, unknown>, claims: Claims) => (await graph.query(query, variables, await graph.token(claims))).body;
  const ok = async (query: string, variables: Record<string, unknown>, claims: Claims) => {
    const body = await call(query, variables, claims);
    expect(body.errors).toBeUndefined();
    return body.data;
  };
  const codeOf = (body: any) => body.errors?.[0]?.extensions?.code;

  async function publish(id: string, conditions: unknown, mode = 'NO_APPLICATION', over: Record<string, unknown> = {}) {
    await ok('mutation($input: CreatePolicyInput!) { createPolicyDraft(input: $input) { id } }', { input: { id, department: '360732-MIIT', mode, guide: guide(conditions, over) } }, miit);
    await ok(`mutation { submitPolicyForConsultation(id: "${id}") { id } }`, {}, miit);
    for (const signer of SIGNERS) await ok(`mutation { signOffPolicy(id: "${id}", decision: APPROVED) { id } }`, {}, signer);
    await ok(`mutation { publishPolicy(id: "${id}") { id } }`, {}, miit);
  }
  const screen = async (policy: string) => (await ok(SCREEN, { p: policy, asOf: DAY }, miit)).enterprisePopulation.screening;
  /** Confirms a screening and waits until every entry is handled and every case has left the joint audit. */
  async function confirmed(screening: { id: string; digest: string }) {
    await ok(CONFIRM, { i: { screeningId: screening.id, digest: screening.digest } }, miit);
    const done = await eventually(
      () => ok(CONFIRMATION, { id: screening.id }, miit),
      (d) => d.whiteListConfirmation.state === 'COMPLETE' && d.whiteListConfirmation.applications.nodes.every((n: any) => !['APPROVED', 'JOINT_AUDIT'].includes(n.status)),
      60_000,
    );
    return done.whiteListConfirmation;
  }
  const caseOf = async (id: string, claims: Claims = approval) => (await ok(CASE, { id }, claims)).application;
  const stored = (where: Record<string, unknown>) => orm().em.fork().find(Application, where, { orderBy: { creditCode: 'asc' } });

  beforeAll(async () => {
    graph = await startTestGraph({
      env: { SUBGRAPH_TIMEOUT_MS: '60000', SUBGRAPH_TAX_TIMEOUT_MS: '60000', EVENTS_POLL_MS: '100', EVENTS_RETRY_BASE_MS: '100' },
      now: () => clock,
    });
    await publish('XG-2099-901', HOLD_POLICY);
    await publish('XG-2099-902', CLEAN_POLICY);
    await publish('XG-2099-903', HELD_ONLY);
    await publish('XG-2099-905', HOLD_POLICY);
    // 即申即享 without materials: the enterprise applies, the window accepts, the department decides.
    await publish('XG-2099-904', { all: [region] }, 'INSTANT', { title: '联合审核测试政策（即申即享）', reviewDays: 5, windowStart: '2026-01-01', windowEnd: '2026-12-31' });
  }, 180_000);
  afterAll(() => graph?.stop());

  let heldCase: string;
  let otherCase: string;
  let reviewing: string; // an INSTANT case left in the department's review (due 2026-10-13)

  test('免申即享 end to end: screened, confirmed by id and digest, each entry a case APPROVED → JOINT_AUDIT → AWAITING_PAYMENT or HELD', async () => {
    const screening = await screen('XG-2099-901');
    const listed = screening.entries.nodes.map((n: any) => n.creditCode).sort();
    expect(listed).toHaveLength(2);
    expect(listed).toContain(HELD);

    // A wrong digest, another department, a non-department role: refused, nothing stored.
    const wrong = await call(CONFIRM, { i: { screeningId: screening.id, digest: 'f'.repeat(64) } }, miit);
    expect(codeOf(wrong)).toBe('BAD_USER_INPUT');
    expect(wrong.errors[0].extensions.problems).toEqual([{ field: 'digest', message: expect.stringContaining('请重新筛查') }]);
    expect(codeOf(await call(CONFIRM, { i: { screeningId: screening.id, digest: screening.digest } }, scitech))).toBe('FORBIDDEN');
    expect(codeOf(await call(CONFIRM, { i: { screeningId: screening.id, digest: screening.digest } }, approval))).toBe('FORBIDDEN');
    expect(codeOf(await call(CONFIRM, { i: { screeningId: 'not-a-uuid', digest: 'x' } }, miit))).toBe('BAD_USER_INPUT');
    expect(await orm().em.fork().count(WhiteListConfirmation, {})).toBe(0);
    expect(await orm().em.fork().count(Application, { policyId: 'XG-2099-901' })).toBe(0);
    expect(codeOf(await call(CONFIRMATION, { id: screening.id }, miit))).toBe('NOT_FOUND');

    const confirmation = await confirmed(screening);
    expect(confirmation).toMatchObject({ state: 'COMPLETE', created: 2, alreadyConfirmed: 0, skipped: 0, chunks: 1 });
    const byCode = Object.fromEntries(confirmation.applications.nodes.map((n: any) => [n.creditCode, n]));
    heldCase = byCode[HELD].id;
    otherCase = confirmation.applications.nodes.find((n: any) => n.creditCode !== HELD).id;

    // The HOLD: the ecology penalty blocks; findings and reasons kept on the case and shown.
    const held = await caseOf(heldCase);
    expect(held).toMatchObject({ status: 'HELD', channel: 'WHITE_LIST', mode: 'NO_APPLICATION', amountFen: 100_000, deadline: null });
    expect(held.jointAudit).toMatchObject({ verdict: 'HOLD', asOf: DAY });
    expect(held.jointAudit.reasons.join('')).toContain('兴环罚');
    expect(held.jointAudit.findings).toEqual(expect.arrayContaining([expect.objectContaining({ source: 'ecology', effect: 'HOLD' })]));
    expect(held.timeline.map((s: any) => [s.action, s.fromStatus, s.toStatus, s.actorRole])).toEqual([
      ['confirm', null, 'APPROVED', 'DEPARTMENT_REVIEWER'],
      ['audit', 'APPROVED', 'JOINT_AUDIT', 'SYSTEM'],
      ['hold', 'JOINT_AUDIT', 'HELD', 'SYSTEM'],
    ]);
    // The enterprise is told on its case: no application needed, the amount, the (masked) account, how to correct it.
    const told = (await caseOf(heldCase, { role: 'ENTERPRISE', creditCode: HELD })).timeline[0].note;
    expect(told).toMatch(/^免申即享：主管部门已确认贵企业符合“联合审核测试政策（免申即享）”，无需申请。核定金额 1,000.00 元/);
    expect(told).toMatch(/\d{4}\*+\d{4}。如收款账户有误，请在拨付前更正收款账户。$/);

    // The payee account is the register's, stored in full for the payer and masked in every read.
    const account = (await ok('query($cc: CreditCode!) { enterprise(creditCode: $cc) { bankAccount { accountNumber bankName masked } } }', { cc: HELD }, approval)).enterprise.bankAccount;
    expect(account.masked).toBe(false);
    const [row] = await stored({ id: heldCase });
    expect(row).toMatchObject({ payeeAccount: account.accountNumber, payeeBank: account.bankName, period: '2026', screeningId: screening.id });
    expect(held.payeeAccount).toBe(`${account.accountNumber.slice(0, 4)}${'*'.repeat(account.accountNumber.length - 8)}${account.accountNumber.slice(-4)}`);

    // The other case follows its own verdict, asked of the graph as of the same day.
    const other = await caseOf(otherCase);
    const verdict = (await ok(VERDICT, { cc: other.creditCode, p: 'XG-2099-901', asOf: DAY }, approval)).enterprise.jointAudit.verdict;
    expect(other.status).toBe(verdict === 'HOLD' ? 'HELD' : 'AWAITING_PAYMENT');
  }, 120_000);

  test('confirming the same screening again creates nothing; a new screening of the same list finds every case already there', async () => {
    const screening = await screen('XG-2099-901');
    const first = await ok(CONFIRMATION, { id: (await orm().em.fork().findOneOrFail(WhiteListConfirmation, { policyId: 'XG-2099-901' })).screeningId }, miit);
    const earlier = await orm().em.fork().findOneOrFail(WhiteListConfirmation, { policyId: 'XG-2099-901' });
    const again = await ok(CONFIRM, { i: { screeningId: earlier.screeningId, digest: earlier.digest } }, miit);
    expect(again.confirmWhiteList).toMatchObject({ repeated: true, created: 2, state: 'COMPLETE' });
    // The same list screened again (same digest, a new id): every entry already has its case for the period.
    expect(screening.digest).toBe(earlier.digest);
    const second = await confirmed(screening);
    expect(second).toMatchObject({ state: 'COMPLETE', created: 0, alreadyConfirmed: 2 });
    expect(second.applications.totalCount).toBe(0);
    expect(await orm().em.fork().count(Application, { policyId: 'XG-2099-901' })).toBe(2);
    expect(first.whiteListConfirmation.applications.totalCount).toBe(2);
  }, 60_000);

  test('即申即享 after the department approves: straight to the joint audit, then awaiting payment within 1 working day', async () => {
    const hall = { role: 'WINDOW_CLERK', department: '360732-APPROVAL', region: '360732' };
    const submit = async (creditCode: string, by: Claims) =>
      (await ok('mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { id status } }', { input: { policyId: 'XG-2099-904', creditCode, data: {}, materials: [] } }, by)).submitApplication.id as string;
    // At the hall window: the window follows the case it took.
    const id = await submit(CLEAN, hall);
    const accepted = (await ok('mutation($id: ID!) { checkApplication(id: $id, input: { accept: true }) { status deadline deadlineWorkdays } }', { id }, hall)).checkApplication;
    // 5 working days from Wed 09-30: 10-08, 10-09, 10-10 (make-up Saturday), 10-12, 10-13.
    expect(accepted).toEqual({ status: 'IN_REVIEW', deadline: '2026-10-13', deadlineWorkdays: 5 });
    reviewing = await submit(HELD, { role: 'ENTERPRISE', creditCode: HELD });
    await ok('mutation($id: ID!) { checkApplication(id: $id, input: { accept: true }) { status } }', { id: reviewing }, hall);

    const decided = (await ok(
      'mutation($input: DepartmentDecisionInput!) { recordDepartmentDecision(input: $input) { status timeline { action } } }',
      { input: { applicationId: id, decisionId: 'miit-after-0001', outcome: 'APPROVED', amountFen: 100_000, payeeAccount: '6228480000000777', payeeBank: '江西兴国农村商业银行' } },
      { role: 'DEPARTMENT_SYSTEM', department: '360732-MIIT', region: '360732' },
    )).recordDepartmentDecision;
    expect(decided.status).toBe('JOINT_AUDIT');
    expect(decided.timeline.map((s: any) => s.action)).toEqual(['submit', 'accept', 'approve', 'audit']);
    const paid = await eventually(() => caseOf(id), (c) => c.status !== 'JOINT_AUDIT', 60_000);
    expect(paid).toMatchObject({ status: 'AWAITING_PAYMENT', deadline: '2026-10-08', deadlineWorkdays: 1, jointAudit: { verdict: 'PASS', asOf: DAY } });
    expect(paid.timeline.at(-1)).toMatchObject({ action: 'clear', actorRole: 'SYSTEM', toStatus: 'AWAITING_PAYMENT', deadline: '2026-10-08' });
    // The findings are other departments' records (a lifted dishonesty listing here): the bureau reads them, the window does not.
    expect(paid.jointAudit.findings).toEqual([expect.objectContaining({ source: 'credit', effect: 'INFO' })]);
    const window = (await ok('query($id: ID!) { application(id: $id) { jointAudit { verdict reasons findings { source } } jointAuditFindings } }', { id }, hall)).application;
    expect(window).toEqual({ jointAudit: { verdict: 'PASS', reasons: expect.any(Array), findings: null }, jointAuditFindings: null });
  }, 60_000);

  test('HOLD released by the Approval Bureau of the region with a recorded reason; without one, or by anyone else, refused', async () => {
    at('2026-10-09T02:00:00Z'); // Friday after the holiday
    const blank = await call(RELEASE, { id: heldCase, r: '   ' }, approval);
    expect(codeOf(blank)).toBe('BAD_USER_INPUT');
    expect(blank.errors[0].extensions.problems).toEqual([{ field: 'reason', message: '须写明解除暂缓的理由，不能为空' }]);
    expect(codeOf(await call(RELEASE, { id: heldCase, r: '已整改' }, { role: 'ADMIN', region: '360732' }))).toBe('FORBIDDEN');
    expect(codeOf(await call(RELEASE, { id: heldCase, r: '已整改' }, miit))).toBe('FORBIDDEN');
    expect(codeOf(await call(RELEASE, { id: heldCase, r: '已整改' }, { role: 'AUDITOR' }))).toBe('FORBIDDEN');
    // Another county's bureau: as if the case did not exist.
    expect(codeOf(await call(RELEASE, { id: heldCase, r: '已整改' }, approvalYudu))).toBe('NOT_FOUND');
    expect((await stored({ id: heldCase }))[0].status).toBe('HELD');

    const reason = '企业已于 2026-10-08 完成整改并缴清罚款，生态环境局出具整改完成证明';
    const released = (await ok(RELEASE, { id: heldCase, r: reason }, approval)).releaseHold;
    // Payment due in 1 working day: Saturday 10-10 is a make-up workday.
    expect(released).toMatchObject({ status: 'AWAITING_PAYMENT', deadline: '2026-10-10' });
    expect(released.timeline.at(-1)).toEqual({ action: 'release', note: `解除暂缓：${reason}` });
    // A second release: the case is no longer held.
    expect(codeOf(await call(RELEASE, { id: heldCase, r: reason }, approval))).toBe('WRONG_STATE');
    // Funds will read the payee from the event.
    const events = await orm().em.fork().find(OutboxEvent, { type: 'application.awaiting_payment' });
    const mine = events.map((e) => (typeof e.payload === 'string' ? JSON.parse(e.payload) : e.payload)).find((p: any) => p.applicationId === heldCase);
    expect(mine).toMatchObject({ amountFen: 100_000, creditCode: HELD, payeeAccount: expect.stringMatching(/^\d{8,32}$/) });
  }, 60_000);

  test('HOLD refused with a reason and a policy explanation, both shown to the enterprise; without the explanation refused', async () => {
    at('2026-10-09T03:00:00Z');
    const screening = await screen('XG-2099-903');
    const confirmation = await confirmed(screening);
    expect(confirmation.applications.nodes).toEqual([expect.objectContaining({ creditCode: HELD, status: 'HELD' })]);
    const id = confirmation.applications.nodes[0].id;

    const noExplanation = await call(REFUSE, { id, r: '环境违法未整改', e: '' }, approval);
    expect(codeOf(noExplanation)).toBe('BAD_USER_INPUT');
    expect(noExplanation.errors[0].extensions.problems.map((p: any) => p.field)).toEqual(['policyExplanation']);
    const reason = '企业 2025 年受到环境行政处罚，至今未整改';
    const explanation = '依据《兴国县促进工业高质量发展若干政策措施》第十二条，一年内受到环境行政处罚且未整改的企业不予奖励；整改完成后可在下一申报期享受';
    const refused = (await ok(REFUSE, { id, r: reason, e: explanation }, approval)).refuseHeld;
    expect(refused).toMatchObject({ status: 'REJECTED', rejectionReason: reason, policyExplanation: explanation });
    const seen = await caseOf(id, { role: 'ENTERPRISE', creditCode: HELD });
    expect(seen).toMatchObject({ status: 'REJECTED', rejectionReason: reason, policyExplanation: explanation });
    // A refused case's account can no longer change.
    expect(codeOf(await call(CORRECT, { id, a: '6228480000000099', b: '江西银行兴国支行' }, { role: 'ENTERPRISE', creditCode: HELD }))).toBe('WRONG_STATE');
  }, 60_000);

  test('the enterprise corrects the payee account of its own case before payment: validated, on the timeline masked, audited', async () => {
    const enterprise = { role: 'ENTERPRISE', creditCode: HELD };
    const bad = await call(CORRECT, { id: heldCase, a: '6228-4800', b: '' }, enterprise);
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors[0].extensions.problems.map((p: any) => p.field).sort()).toEqual(['account', 'bank']);
    expect(codeOf(await call(CORRECT, { id: heldCase, a: '6228480000000123', b: '江西银行兴国支行' }, { role: 'ENTERPRISE', creditCode: CLEAN }))).toBe('NOT_FOUND');
    expect(codeOf(await call(CORRECT, { id: heldCase, a: '6228480000000123', b: '江西银行兴国支行' }, approval))).toBe('FORBIDDEN');

    const corrected = (await ok(CORRECT, { id: heldCase, a: '6228480000000123', b: '江西银行兴国支行' }, enterprise)).correctPayeeAccount;
    expect(corrected).toMatchObject({ payeeAccount: '6228********0123', payeeBank: '江西银行兴国支行' });
    expect(corrected.timeline.at(-1)).toEqual({ action: 'correctPayee', name: '企业更正收款账户', note: '企业更正收款账户：江西银行兴国支行 6228********0123' });
    expect((await stored({ id: heldCase }))[0]).toMatchObject({ payeeAccount: '6228480000000123', status: 'AWAITING_PAYMENT' });
    const event = (await orm().em.fork().find(OutboxEvent, { type: 'application.payee_corrected' }))[0];
    expect(event).toBeDefined();
    // The audit trail has the change, the account masked.
    const audit = await orm().em.fork().find(OutboxEvent, { type: 'audit.mutation' }, { orderBy: { seq: 'desc' }, limit: 5 });
    const change = audit.map((e) => (typeof e.payload === 'string' ? JSON.parse(e.payload) : e.payload)).find((p: any) => p.action === 'correctPayeeAccount' && p.entity === 'Application');
    expect(change).toMatchObject({ actor: { role: 'ENTERPRISE', creditCode: HELD }, after: { payeeAccount: '6228********0123' } });
  }, 60_000);

  test('the joint audit never skipped: with the graph unreachable the cases wait in JOINT_AUDIT; retried and swept, they go on', async () => {
    at('2026-10-09T04:00:00Z');
    const services = graph.services;
    const real = services.graph!;
    let down = true;
    // The edge of the world: the gateway unreachable for the joint audit's query only.
    const flaky: GraphClient = {
      request: (query, variables, options) => (down && query.includes('ApplicationJointAudit') ? Promise.reject(new GraphRequestError('graph: connect ECONNREFUSED', ['UNREACHABLE'])) : real.request(query, variables, options)),
    };
    services.graph = flaky;
    try {
      const screening = await screen('XG-2099-902');
      await ok(CONFIRM, { i: { screeningId: screening.id, digest: screening.digest } }, miit);
      const waiting = await eventually(() => stored({ policyId: 'XG-2099-902' }), (rows) => rows.length === 2 && rows.every((r) => r.status === 'JOINT_AUDIT'), 30_000);
      // Several attempts later, still waiting: never cleared, never held for an outage.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect((await stored({ policyId: 'XG-2099-902' })).map((r) => r.status)).toEqual(['JOINT_AUDIT', 'JOINT_AUDIT']);
      // The sweep cannot either, while the graph is down.
      const swept = await sweepJointAudits(orm().em.fork(), { ...services, now: () => new Date(clock.getTime() + 3_600_000) }, log);
      expect(Object.values(swept)).toEqual(['failed', 'failed']);
      down = false;
      // Back: the consumer's next retry (or the sweep) clears them.
      const after = await eventually(() => stored({ policyId: 'XG-2099-902' }), (rows) => rows.every((r) => r.status !== 'JOINT_AUDIT'), 60_000);
      const clean = after.find((r) => r.creditCode === CLEAN)!;
      expect(clean).toMatchObject({ status: 'AWAITING_PAYMENT', jointAuditVerdict: 'PASS', deadline: '2026-10-10' });
      expect(waiting.map((r) => r.id).sort()).toEqual(after.map((r) => r.id).sort());
    } finally {
      services.graph = real;
    }
  }, 120_000);

  test('a confirmation whose chunk event was given up on is resumed; the resumed and the original event make each case once', async () => {
    // The relays stopped (as if the consumer had given up): the confirmation is recorded, its first chunk waits in the outbox.
    await graph.stopEvents();
    const fresh = await screen('XG-2099-905');
    const started = (await ok(CONFIRM, { i: { screeningId: fresh.id, digest: fresh.digest } }, miit)).confirmWhiteList;
    expect(started).toMatchObject({ state: 'IN_PROGRESS', created: 0, repeated: false });
    // Confirming again soon after changes nothing; once stalled (the job, or the department confirming again) it is resumed.
    expect(await resumeStalledConfirmations(orm().em.fork(), clock)).toEqual([]);
    expect(await resumeStalledConfirmations(orm().em.fork(), new Date(clock.getTime() + 16 * 60_000))).toEqual([fresh.id]);
    const chunks = (await orm().em.fork().find(OutboxEvent, { type: 'white_list.chunk' })).map((e) => (typeof e.payload === 'string' ? JSON.parse(e.payload) : e.payload));
    expect(chunks.filter((p: any) => p.screeningId === fresh.id)).toEqual([expect.objectContaining({ after: null, chunk: 1 }), expect.objectContaining({ after: null, chunk: 1 })]);
    await graph.startEvents();
    const done = await confirmed(fresh);
    expect(done).toMatchObject({ state: 'COMPLETE', created: 2, alreadyConfirmed: 0, chunks: 1 });
    expect(await orm().em.fork().count(Application, { policyId: 'XG-2099-905' })).toBe(2);
  }, 120_000);

  test('a long list goes in chunks: each one transaction with its cases, its progress and the next chunk\'s event', async () => {
    // Two pages as the graph would hand them (the consumer's prepare), applied by the chunk step itself.
    await graph.stopEvents();
    try {
      const screeningId = '6f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f';
      const confirmation = Object.assign(new WhiteListConfirmation(), {
        screeningId, digest: 'c'.repeat(64), policyId: 'XG-2099-906', policyVersion: 1, policyTitle: '分批确认测试', reviewDays: 5, department: '360732-MIIT', regionCode: '360732',
        evaluatedOn: DAY, period: '2026', eligibleCount: 3, confirmedByRole: 'DEPARTMENT_REVIEWER', confirmedBy: 'dev-department_reviewer', confirmedAt: clock, progressedAt: clock, state: 'IN_PROGRESS',
      });
      const em = orm().em.fork();
      em.persist(confirmation);
      await em.flush();
      const payee = (creditCode: string) => ({ creditCode, name: '分批测试企业', regionCode: '360732', bankAccount: { bankName: '江西银行', accountNumber: '6228480000000888', masked: false } });
      const chunk = (prepared: Parameters<typeof confirmChunk>[2]) =>
        orm().em.fork().transactional(async (tx) => confirmChunk(tx, await tx.findOneOrFail(WhiteListConfirmation, { screeningId }), prepared, clock));
      const first = await chunk({ entries: [{ creditCode: CLEAN, amountFen: 50_000, amountText: '500 元' }, { creditCode: '91360732MA35G8KX15', amountFen: null, amountText: '无法计算' }], hasNextPage: true, endCursor: 'k:91360732MA35G8KX15', payees: [payee(CLEAN)] });
      expect(first.map((f) => f.kind)).toEqual(['create', 'skip']);
      const halfway = await orm().em.fork().findOneOrFail(WhiteListConfirmation, { screeningId });
      expect(halfway).toMatchObject({ state: 'IN_PROGRESS', cursor: 'k:91360732MA35G8KX15', chunks: 1, created: 1, skipped: 1, skippedEntries: [{ creditCode: '91360732MA35G8KX15', reason: expect.stringContaining('金额无法计算') }] });
      const next = (await orm().em.fork().find(OutboxEvent, { type: 'white_list.chunk' })).map((e) => (typeof e.payload === 'string' ? JSON.parse(e.payload) : e.payload)).filter((p: any) => p.screeningId === screeningId);
      expect(next).toEqual([{ screeningId, policyId: 'XG-2099-906', after: 'k:91360732MA35G8KX15', chunk: 2 }]);
      expect(await orm().em.fork().count(Application, { policyId: 'XG-2099-906' })).toBe(1);

      await chunk({ entries: [{ creditCode: HELD, amountFen: 50_000, amountText: '500 元' }], hasNextPage: false, endCursor: `k:${HELD}`, payees: [payee(HELD)] });
      expect(await orm().em.fork().findOneOrFail(WhiteListConfirmation, { screeningId })).toMatchObject({ state: 'COMPLETE', chunks: 2, created: 2, skipped: 1, cursor: `k:${HELD}` });
      const cases = await stored({ policyId: 'XG-2099-906' });
      expect(cases.map((c) => [c.creditCode, c.status, c.channel, c.amountFen])).toEqual([
        [HELD, 'JOINT_AUDIT', 'WHITE_LIST', 50_000],
        [CLEAN, 'JOINT_AUDIT', 'WHITE_LIST', 50_000],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
    } finally {
      await graph.startEvents();
    }
    // The chunk's event, delivered now, finds the confirmation complete and does nothing; the cases go through their joint audit.
    await eventually(() => stored({ policyId: 'XG-2099-906' }), (rows) => rows.every((r) => r.status !== 'JOINT_AUDIT'), 60_000);
    expect(await orm().em.fork().count(Application, { policyId: 'XG-2099-906' })).toBe(2);
  }, 120_000);

  test('supervision: near the deadline at 80 %, overdue by department the day after, across the holiday; step durations in working days', async () => {
    at('2026-10-09T05:00:00Z');
    const open = (await stored({ status: 'AWAITING_PAYMENT' })).map((r) => ({ id: r.id, deadline: r.deadline }));
    expect(open.length).toBeGreaterThanOrEqual(2);
    const dueOn = (day: string) => open.filter((o) => o.deadline === day).map((o) => o.id).sort();
    // Cleared on 09-30: due 10-08 (the holiday is no working day). Released or cleared on 10-09: due 10-10 (make-up Saturday).
    expect(dueOn('2026-10-10')).toContain(heldCase);

    const on = async (asOf: string) => (await ok(SUPERVISION, { r: '360732', asOf }, approval)).supervision;
    // During the holiday nothing of a 1-working-day step is used: nothing near, nothing overdue.
    const holiday = await on('2026-10-05');
    expect(holiday.nearDeadline.filter((c: any) => open.some((o) => o.id === c.application.id))).toEqual([]);
    expect(holiday.overdueCount).toBe(0);
    // On the make-up Saturday the cases due that day are near (1 of 1 working days used); those due 10-08 are overdue.
    const saturday = await on('2026-10-10');
    expect(saturday.nearDeadline.map((c: any) => c.application.id).sort()).toEqual(expect.arrayContaining(dueOn('2026-10-10')));
    expect(saturday.nearDeadline.find((c: any) => c.application.id === heldCase)).toEqual({ application: { id: heldCase }, deadline: '2026-10-10', usedWorkdays: 1, remainingWorkdays: 0, shareUsed: 1 });
    const miitOverdue = saturday.overdueByDepartment.find((g: any) => g.department === '360732-MIIT');
    expect(miitOverdue?.cases.map((c: any) => c.application.id).sort() ?? []).toEqual(dueOn('2026-10-08'));
    // The INSTANT case under review (5 working days, due 10-13): 3 used on the make-up Saturday, not yet near.
    expect(saturday.nearDeadline.some((c: any) => c.application.id === reviewing)).toBe(false);
    // Monday 10-12: 4 of its 5 working days used (80 %): near; everything still awaiting payment is overdue, grouped under the department.
    const monday = await on('2026-10-12');
    expect(monday.nearDeadline.find((c: any) => c.application.id === reviewing)).toEqual({ application: { id: reviewing }, deadline: '2026-10-13', usedWorkdays: 4, remainingWorkdays: 1, shareUsed: 0.8 });
    expect(monday.nearDeadline.filter((c: any) => open.some((o) => o.id === c.application.id))).toEqual([]);
    const group = monday.overdueByDepartment.find((g: any) => g.department === '360732-MIIT');
    expect(group).toMatchObject({ departmentName: '县工信局', count: open.length });
    expect(group.cases.find((c: any) => c.application.id === heldCase)).toMatchObject({ deadline: '2026-10-10', overdueWorkdays: 1 });
    // Wednesday 10-14: the review is overdue too, one working day over.
    const wednesday = await on('2026-10-14');
    expect(wednesday.overdueByDepartment.find((g: any) => g.department === '360732-MIIT').cases.find((c: any) => c.application.id === reviewing)).toEqual({ application: { id: reviewing }, deadline: '2026-10-13', overdueWorkdays: 1 });

    // HELD from 09-30 to 10-09: two working days (10-08, 10-09); the joint audit itself within the day.
    const held = monday.stepDurations.find((d: any) => d.status === 'HELD' && d.department === '360732-MIIT');
    expect(held).toMatchObject({ count: 2, maxWorkdays: 2, slowestApplicationId: heldCase });
    expect(monday.stepDurations.find((d: any) => d.status === 'JOINT_AUDIT')).toMatchObject({ maxWorkdays: 0 });

    // Only the Approval Bureau, ADMIN and the auditor supervise, each within its region.
    expect(codeOf(await call(SUPERVISION, { r: '360732', asOf: '2026-10-12' }, miit))).toBe('FORBIDDEN');
    expect(codeOf(await call(SUPERVISION, { r: '360732', asOf: '2026-10-12' }, approvalYudu))).toBe('FORBIDDEN');
    expect((await ok(SUPERVISION, { r: '360732', asOf: '2026-10-12' }, { role: 'AUDITOR' })).supervision.overdueCount).toBe(monday.overdueCount);
    expect(codeOf(await call(SUPERVISION, { r: '360732', asOf: '2026-02-30' }, approval))).toBe('BAD_USER_INPUT');
  }, 60_000);
});
