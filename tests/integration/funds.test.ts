import { randomUUID } from 'node:crypto';
import { makeCreditCode } from '../../platform/credit-code';
import { emit } from '../../subgraphs/kit/events';
import { OutboxEvent } from '../../subgraphs/kit/events/outbox';
import { PaymentOrder } from '../../subgraphs/funds/entities';
import { describeDb } from '../support/db';
import { eventually } from '../support/events';
import { startTestGraph, type TestGraph } from '../support/graph';

/**
 * The funds subgraph through the gateway over the real graph: FINANCE sets a city policy's budget
 * (its shares read through the graph), a case awaiting payment becomes an order by event, waits
 * until the budget is moved to the payer, and the Approval Bureau pays it through the simulated
 * bank. The money rules under concurrency and faults: tests/db/funds-money.test.ts.
 */
describeDb('funds: budgets and payment orders through the gateway', () => {
  let graph: TestGraph;
  let finance: string;
  let approval: string;
  let enterprise: string;
  const CREDIT = makeCreditCode({ authority: '9', entityType: '1', regionCode: '360732', orgBody8: 'FD000001' });
  const codeOf = (body: any) => body.errors?.[0]?.extensions?.code;

  beforeAll(async () => {
    graph = await startTestGraph({ now: () => new Date('2026-09-29T02:00:00Z') });
    finance = await graph.token({ role: 'FINANCE', region: '360732' });
    approval = await graph.token({ role: 'APPROVAL_BUREAU', region: '360732' });
    enterprise = await graph.token({ role: 'ENTERPRISE', creditCode: CREDIT });
  });
  afterAll(() => graph?.stop());

  /** What the applications subgraph emits when a case clears the joint audit (basePayload + awaitingPaymentPayload). */
  const awaitingPayment = (applicationId: string, amountFen: number) =>
    graph.subgraphs.applications.db.orm.em.fork().transactional(async (em) => {
      emit(em, {
        family: 'applications',
        type: 'application.awaiting_payment',
        payload: {
          applicationId, receiptNumber: '360732-20260929-000777', policyId: 'XG-2026-030', policyVersion: 1, policyTitle: '首台（套）', mode: 'INSTANT',
          department: '360732-MIIT', regionCode: '360732', creditCode: CREDIT, enterpriseName: '兴国测试装备有限公司', channel: 'ONLINE', status: 'AWAITING_PAYMENT',
          deadline: '2026-09-30', amountFen, payeeAccount: '6228480000000777', payeeBank: '江西兴国农村商业银行', jointAuditVerdict: 'PASS',
        },
      });
    });
  const order = (applicationId: string) => graph.subgraphs.funds.db.orm.em.fork().findOne(PaymentOrder, { applicationId });

  test('a city policy: budget split by shares, an order waits until the budget is moved, then is paid once with the county taking the odd fen', async () => {
    const SET = 'mutation($i: SetBudgetInput!) { setBudget(input: $i) { id level assignedFen remainingFen cityShareBp movedToPayer } }';
    const input = { policyId: 'XG-2026-030', fiscalYear: 2026, amountFen: 100_001, reason: '兴财预〔2026〕12号' };
    expect(codeOf((await graph.query(SET, { i: input }, approval)).body)).toBe('FORBIDDEN');
    expect(codeOf((await graph.query(SET, { i: { ...input, reason: '  ' } }, finance)).body)).toBe('BAD_USER_INPUT');
    expect(codeOf((await graph.query(SET, { i: { ...input, policyId: 'XG-2026-999' } }, finance)).body)).toBe('NOT_FOUND');
    const set = await graph.query(SET, { i: input }, finance);
    expect(set.body.errors).toBeUndefined();
    const budgets = set.body.data.setBudget;
    expect(budgets.map((b: any) => [b.level, b.assignedFen, b.cityShareBp, b.movedToPayer])).toEqual([
      ['CITY', 50_000, 5000, false],
      ['COUNTY', 50_001, 5000, false],
    ]);

    const applicationId = randomUUID();
    await awaitingPayment(applicationId, 12_345);
    const waiting = await eventually(() => order(applicationId), (o) => !!o);
    expect(waiting!.status).toBe('WAITING_BUDGET');
    expect(waiting!.waitingReason).toContain('尚未归集');
    // The same case delivered again (a replay): still one order.
    await awaitingPayment(applicationId, 12_345);
    await new Promise((r) => setTimeout(r, 500));
    expect(await graph.subgraphs.funds.db.orm.em.fork().count(PaymentOrder, { applicationId })).toBe(1);

    for (const b of budgets) {
      const moved = await graph.query('mutation($id: ID!) { moveBudgetToPayer(id: $id) { movedToPayer } }', { id: b.id }, finance);
      expect(moved.body.data.moveBudgetToPayer.movedToPayer).toBe(true);
    }
    const pending = await order(applicationId);
    expect([pending!.status, pending!.cityFen, pending!.countyFen]).toEqual(['PENDING', 6172, 6173]);

    const SEND = 'mutation($id: ID!) { sendPaymentOrder(id: $id) { status amountFen cityFen countyFen bankReference attempts payeeAccount } }';
    expect(codeOf((await graph.query(SEND, { id: pending!.id }, finance)).body)).toBe('FORBIDDEN');
    const sent = await graph.query(SEND, { id: pending!.id }, approval);
    expect(sent.body.errors).toBeUndefined();
    expect(sent.body.data.sendPaymentOrder).toMatchObject({ status: 'SETTLED', amountFen: 12_345, cityFen: 6172, countyFen: 6173, attempts: 1, payeeAccount: '6228480000000777' });
    // Sent again: the same settled order, no second payment.
    expect((await graph.query(SEND, { id: pending!.id }, approval)).body.data.sendPaymentOrder).toMatchObject({ status: 'SETTLED', attempts: 1 });

    const read = await graph.query('{ budgets(fiscalYear: 2026, policyId: "XG-2026-030") { nodes { level spentFen heldFen remainingFen entries { kind amountFen } } } }', undefined, finance);
    const byLevel = Object.fromEntries(read.body.data.budgets.nodes.map((b: any) => [b.level, b]));
    expect(byLevel.CITY).toMatchObject({ spentFen: 6172, heldFen: 0, remainingFen: 43_828 });
    // (The test clock stands still: entries of one instant come in no particular order.)
    expect(byLevel.COUNTY.entries.map((e: any) => `${e.kind} ${e.amountFen}`).sort()).toEqual(['ASSIGN 50001', 'HOLD 6173', 'SPEND 6173']);

    // The enterprise sees its own order, the account masked; the settled event carries the proof for the applications subgraph.
    const mine = await graph.query('{ paymentOrders(first: 5) { totalCount nodes { status payeeAccount } } }', undefined, enterprise);
    expect(mine.body.data.paymentOrders.nodes).toEqual([{ status: 'SETTLED', payeeAccount: expect.not.stringContaining('62284800000') }]);
    const events = await graph.subgraphs.funds.db.orm.em.fork().find(OutboxEvent, { type: 'payment.settled' });
    const payload = events.map((e) => (typeof e.payload === 'string' ? JSON.parse(e.payload) : e.payload)).find((p: any) => p.applicationId === applicationId);
    expect(payload).toMatchObject({ orderId: pending!.id, amountFen: 12_345, cityFen: 6172, countyFen: 6173, bankReference: sent.body.data.sendPaymentOrder.bankReference });

    const report = await graph.query('mutation { reconcilePayments(date: "2026-09-29") { checked fixed differences { kind } } }', undefined, approval);
    expect(report.body.data.reconcilePayments).toEqual({ checked: 1, fixed: 0, differences: [] });
  });

  test('一站兑付 end to end: an application approved and audited becomes an order, paid once through the bank, and the case is PAID then ARCHIVED with a dossier that verifies', async () => {
    const CLEAN = '9136073256850595XR'; // no finding that blocks (a dishonesty listing lifted in 2025)
    const hall = await graph.token({ role: 'WINDOW_CLERK', department: '360732-APPROVAL', region: '360732' });
    const miit = await graph.token({ role: 'DEPARTMENT_SYSTEM', department: '360732-MIIT', region: '360732' });
    const auditor = await graph.token({ role: 'AUDITOR' });
    const materials = [await graph.uploadMaterial(CLEAN, '专精特新认定文件'), await graph.uploadMaterial(CLEAN, '专精特新中小企业奖励申报表')];
    const submitted = await graph.query('mutation($i: SubmitApplicationInput!) { submitApplication(input: $i) { id } }', { i: { policyId: 'XG-2026-003', creditCode: CLEAN, data: {}, materials } }, hall);
    expect(submitted.body.errors).toBeUndefined();
    const id = submitted.body.data.submitApplication.id;
    expect((await graph.query('mutation($id: ID!) { checkApplication(id: $id, input: { accept: true }) { status } }', { id }, hall)).body.data.checkApplication.status).toBe('IN_REVIEW');
    const decision = { applicationId: id, decisionId: 'funds-e2e-0001', outcome: 'APPROVED', amountFen: 200_000, payeeAccount: '6228480000000888', payeeBank: '江西兴国农村商业银行' };
    expect((await graph.query('mutation($i: DepartmentDecisionInput!) { recordDepartmentDecision(input: $i) { status } }', { i: decision }, miit)).body.errors).toBeUndefined();
    const CASE = 'query($id: ID!) { application(id: $id) { status timeline { action } } }';
    const awaiting = await eventually(async () => (await graph.query(CASE, { id }, auditor)).body.data.application, (a) => a.status !== 'APPROVED' && a.status !== 'JOINT_AUDIT', 30_000);
    expect(awaiting.status).toBe('AWAITING_PAYMENT');

    // The county's budget for the policy, set and moved to the payer: the waiting order is held and can be paid.
    const set = await graph.query('mutation($i: SetBudgetInput!) { setBudget(input: $i) { id } }', { i: { policyId: 'XG-2026-003', fiscalYear: 2026, amountFen: 1_000_000, reason: '兴财预〔2026〕3号' } }, finance);
    expect(set.body.errors).toBeUndefined();
    for (const b of set.body.data.setBudget) await graph.query('mutation($id: ID!) { moveBudgetToPayer(id: $id) { movedToPayer } }', { id: b.id }, finance);
    const pending = await eventually(() => order(id), (o) => o?.status === 'PENDING', 30_000);
    const sent = await graph.query('mutation($id: ID!) { sendPaymentOrder(id: $id) { status amountFen } }', { id: pending!.id }, approval);
    expect(sent.body.data.sendPaymentOrder).toEqual({ status: 'SETTLED', amountFen: 200_000 });

    const archived = await eventually(async () => (await graph.query(CASE, { id }, auditor)).body.data.application, (a) => a.status === 'ARCHIVED', 30_000);
    expect(archived.timeline.map((s: { action: string }) => s.action).slice(-4)).toEqual(['audit', 'clear', 'pay', 'archive']);
    const dossier = await graph.query('query($id: ID!) { archivedDossier(applicationId: $id) { sha256 verified } }', { id }, auditor);
    expect(dossier.body.data.archivedDossier).toMatchObject({ verified: true, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // Sent again: still one settled payment, the case stays archived.
    expect((await graph.query('mutation($id: ID!) { sendPaymentOrder(id: $id) { status attempts } }', { id: pending!.id }, approval)).body.data.sendPaymentOrder).toEqual({ status: 'SETTLED', attempts: 1 });
    expect(await graph.subgraphs.funds.db.orm.em.fork().count(PaymentOrder, { applicationId: id })).toBe(1);
  }, 90_000);
});
