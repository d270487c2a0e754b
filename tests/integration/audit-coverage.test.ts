import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, Kind, parse } from 'graphql';
import { readSupergraphConfig } from '../../scripts/schema-pipeline';
import { subgraphs } from '../../subgraphs/registry';
import { creditCodeCheckChar } from '../../platform/credit-code';
import { residentIdCheckChar } from '../../subgraphs/kit/resident-id';
import { PolicyMessage } from '../../subgraphs/policies/push';
import { DepartmentCase } from '../../subgraphs/departments/department-case.entity';
import { Application } from '../../subgraphs/applications/application.entity';
import { BudgetIndicator, PaymentOrder } from '../../subgraphs/funds/entities';
import { describeDb, testDriver } from '../support/db';
import { eventually } from '../support/events';
import { startTestGraph, type TestGraph } from '../support/graph';

/**
 * Every mutation of the published API, end to end: performed through the gateway it lands in the
 * audit store (audit subgraph) as a MUTATION entry; refused, it leaves none. A mutation added to
 * any subgraph without a row here fails this test — the audit trail covers it by construction
 * (kit/audit-trail.ts), and this proves it per mutation.
 */
type Claims = { role: string; region?: string; department?: string; creditCode?: string };
interface Row {
  /** Performed successfully by `caller`; must change state. */
  ok: { caller: Claims; query: string; variables?: Record<string, unknown> };
  /** Refused (forbidden or bad input): must leave no audit entry. */
  refused: { caller: Claims; query: string; variables?: Record<string, unknown> };
}

const registration = {
  creditCode: '91360732MA35G8KW3' + creditCodeCheckChar('91360732MA35G8KW3'),
  name: '兴国县审计覆盖测试有限公司',
  legalRepresentative: '王小明',
  legalRepresentativeIdNumber: '36073219900101003' + residentIdCheckChar('36073219900101003'),
  registeredOn: '2024-06-01',
  regionCode: '360732',
  industryCode: 'C39',
  scale: 'SMALL',
  tags: [],
  address: '江西省赣州市兴国县潋江镇将军大道8号',
  bankName: '江西兴国农村商业银行营业部',
  bankAccount: '6228480011223344',
};
const samr = { role: 'DEPARTMENT_SYSTEM', department: '360732-SAMR', region: '360732' };
const approval = { role: 'APPROVAL_BUREAU', region: '360732' };

const miit = { role: 'DEPARTMENT_REVIEWER', department: '360732-MIIT', region: '360732' };
const commerce = { role: 'DEPARTMENT_REVIEWER', department: '360732-COMMERCE', region: '360732' };
const policyGuide = {
  title: '审计覆盖测试政策',
  legalBasis: { title: '《兴国县促进工业高质量发展若干政策措施》', documentNumber: '兴府发〔2025〕8号' },
  beneficiaries: '本县企业',
  conditionsText: '在兴国县登记注册',
  conditions: { indicator: 'regionCode', op: 'eq', value: '360732' },
  amountRule: { kind: 'FIXED', amountFen: 100_000 },
  amountText: '1000 元',
  materials: [],
  processSteps: ['申报'],
  contact: '0797-5322000',
};
// 精准推送: a message to the registered enterprise (written in beforeAll, as the push consumer would), marked read by it.
const messageId = '3f1c2b9a-5d7e-4c1a-9b2e-7a6d5c4b3a21';
const markRead = 'mutation($ids: [ID!]!) { markPolicyMessagesRead(ids: $ids) { id readAt } }';
const createPolicy = 'mutation($input: CreatePolicyInput!) { createPolicyDraft(input: $input) { id } }';
const updatePolicy = 'mutation($id: String!, $g: PolicyGuideInput!) { updatePolicyDraft(id: $id, guide: $g) { id } }';
const policyStep = (mutation: string, id: string, args = '') => ({ query: `mutation { ${mutation}(id: "${id}"${args}) { id } }` });

// The departments subgraph: a case of 360732-MIIT (written in beforeAll, as the dispatch consumer would), worked by MIIT's reviewer.
const caseId = '7b0e4f3c-2a91-4d6e-8c15-3f9a0b7d2e64';
const caseOp = (mutation: string, args = '') => ({ query: `mutation { ${mutation}(id: "${caseId}"${args}) { id } }` });
const record = ', input: { date: "2025-06-02", people: ["张工"], findings: "与申报一致", conclusion: "属实" }';
const reject = ', input: { outcome: REJECTED, reason: "未达到条件", policyExplanation: "依据政策第五条" }';
// Applications: two cases of the registered enterprise put in the applications database by the
// test (a COMMITMENT case awaiting the formal check, one returned for correction); submit makes its own.
const inReview = 'a1c2e3f4-0000-4000-8000-000000000001';
const returned = 'a1c2e3f4-0000-4000-8000-000000000002';
const self = () => ({ role: 'ENTERPRISE', creditCode: registration.creditCode });
const otherEnterprise = { role: 'ENTERPRISE', creditCode: '91360732300673434K' };
const submit = 'mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { id } }';
const submission = { policyId: 'XG-2026-003', creditCode: registration.creditCode, materials: [] };
const check = (id: string) => ({ query: `mutation { checkApplication(id: "${id}", input: { accept: true }) { id } }` });
const resubmit = (id: string) => ({ query: `mutation { resubmitApplication(id: "${id}", input: { materials: [] }) { id } }` });
const progress = (id: string) => ({ query: `mutation { recordDepartmentProgress(input: { applicationId: "${id}", progressId: "coverage-0001", kind: "SITE_SURVEY", note: "现场核查" }) { id } }` });
const decide = (id: string, explanation: string) => ({
  query: `mutation { recordDepartmentDecision(input: { applicationId: "${id}", decisionId: "coverage-0001", outcome: REJECTED, reason: "审计覆盖", policyExplanation: "${explanation}" }) { id } }`,
});

// After the decision (docs/after-decision.md): two cases held by the joint audit and one awaiting
// payment, put in the applications database by the test; a kept screening of 县工信局's 免申即享
// policy XG-2026-001 (a short list: new above-scale firms of the year), screened in beforeAll (its id and digest read when the row runs).
const heldToRelease = 'a1c2e3f4-0000-4000-8000-000000000003';
const heldToRefuse = 'a1c2e3f4-0000-4000-8000-000000000004';
const payable = 'a1c2e3f4-0000-4000-8000-000000000005';
const kept = { id: '', digest: '' };
const confirm = 'mutation($i: ConfirmWhiteListInput!) { confirmWhiteList(input: $i) { state } }';
const hold = (mutation: string, id: string, args: string) => ({ query: `mutation { ${mutation}(id: "${id}"${args}) { id } }` });
const correct = `mutation { correctPayeeAccount(id: "${payable}", account: "6228480011225566", bank: "江西兴国农村商业银行潋江支行") { id } }`;

// Funds: a moved 2026 budget holding two PENDING orders, an unmoved one, and a FAILED order (written in beforeAll).
const fundsBudget = 'f1000000-0000-4000-8000-000000000001';
const fundsUnmoved = 'f1000000-0000-4000-8000-000000000002';
const pendingOrder = 'f2000000-0000-4000-8000-000000000001';
const pendingOrder2 = 'f2000000-0000-4000-8000-000000000002';
const failedOrder = 'f2000000-0000-4000-8000-000000000003';
const finance = { role: 'FINANCE', region: '360732' };
const setBudget = (reason: string) => ({ query: `mutation { setBudget(input: { policyId: "XG-2026-004", fiscalYear: 2026, amountFen: 100000, reason: "${reason}" }) { id } }` });
const orderOp = (mutation: string, id: string) => ({ query: `mutation { ${mutation}(id: "${id}") { id status } }` });

// Rows run in this order: signAuditCheckpoint needs entries the others appended.
const ROWS: Record<string, Row> = {
  registerEnterprise: {
    ok: { caller: samr, query: 'mutation($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { creditCode } }', variables: { input: registration } },
    refused: {
      caller: samr,
      query: 'mutation($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { creditCode } }',
      variables: { input: { ...registration, creditCode: registration.creditCode.slice(0, 17) + (registration.creditCode.endsWith('0') ? '1' : '0') } },
    },
  },
  setJointAuditRules: {
    ok: {
      caller: approval,
      query: 'mutation { setJointAuditRules(policyCode: "AUDIT-COVERAGE", rules: [{ source: "ecology", category: ENVIRONMENTAL_PENALTY, withinMonths: 12, effect: HOLD }]) { isDefault } }',
    },
    refused: {
      caller: { role: 'AUDITOR' },
      query: 'mutation { setJointAuditRules(policyCode: "AUDIT-COVERAGE-2", rules: [{ source: "ecology", category: ENVIRONMENTAL_PENALTY, effect: HOLD }]) { isDefault } }',
    },
  },
  // The policy catalog: a new draft through its lifecycle; the demo's XG-2026-032 (NDRC and FINANCE have approved) signed and published.
  createPolicyDraft: {
    ok: { caller: miit, query: createPolicy, variables: { input: { id: 'XG-2026-090', department: '360732-MIIT', mode: 'INSTANT', guide: policyGuide } } },
    refused: { caller: commerce, query: createPolicy, variables: { input: { id: 'XG-2026-091', department: '360732-MIIT', mode: 'INSTANT', guide: policyGuide } } },
  },
  updatePolicyDraft: {
    ok: { caller: miit, query: updatePolicy, variables: { id: 'XG-2026-090', g: { ...policyGuide, amountText: '1000 元（修订）' } } },
    refused: { caller: commerce, query: updatePolicy, variables: { id: 'XG-2026-090', g: policyGuide } },
  },
  submitPolicyForConsultation: {
    ok: { caller: miit, ...policyStep('submitPolicyForConsultation', 'XG-2026-090') },
    refused: { caller: commerce, ...policyStep('submitPolicyForConsultation', 'XG-2026-090') },
  },
  signOffPolicy: {
    ok: { caller: approval, ...policyStep('signOffPolicy', 'XG-2026-032', ', decision: APPROVED') },
    refused: { caller: miit, ...policyStep('signOffPolicy', 'XG-2026-032', ', decision: APPROVED') },
  },
  publishPolicy: {
    ok: { caller: miit, ...policyStep('publishPolicy', 'XG-2026-032') },
    refused: { caller: miit, ...policyStep('publishPolicy', 'XG-2026-090') }, // not signed off
  },
  suspendPolicy: { ok: { caller: miit, ...policyStep('suspendPolicy', 'XG-2026-001') }, refused: { caller: commerce, ...policyStep('suspendPolicy', 'XG-2026-001') } },
  resumePolicy: { ok: { caller: miit, ...policyStep('resumePolicy', 'XG-2026-001') }, refused: { caller: commerce, ...policyStep('resumePolicy', 'XG-2026-001') } },
  expirePolicy: { ok: { caller: miit, ...policyStep('expirePolicy', 'XG-2026-011') }, refused: { caller: commerce, ...policyStep('expirePolicy', 'XG-2026-011') } },
  repealPolicy: { ok: { caller: miit, ...policyStep('repealPolicy', 'XG-2026-011') }, refused: { caller: commerce, ...policyStep('repealPolicy', 'XG-2026-011') } },
  markPolicyMessagesRead: {
    ok: { caller: { role: 'ENTERPRISE', creditCode: registration.creditCode }, query: markRead, variables: { ids: [messageId] } },
    // Another enterprise: the message is not its own (NOT_FOUND), nothing changes.
    refused: { caller: { role: 'ENTERPRISE', creditCode: '91360732300673434K' }, query: markRead, variables: { ids: [messageId] } },
  },
  // Another department's case is as absent as a missing one (NOT_FOUND); a rejection without its reason is refused.
  assignDepartmentCase: { ok: { caller: miit, ...caseOp('assignDepartmentCase', ', reviewer: "dev-department_reviewer"') }, refused: { caller: commerce, ...caseOp('assignDepartmentCase', ', reviewer: "x"') } },
  recordSiteSurvey: { ok: { caller: miit, ...caseOp('recordSiteSurvey', record) }, refused: { caller: commerce, ...caseOp('recordSiteSurvey', record) } },
  recordEvaluation: { ok: { caller: miit, ...caseOp('recordEvaluation', record) }, refused: { caller: commerce, ...caseOp('recordEvaluation', record) } },
  decideDepartmentCase: { ok: { caller: miit, ...caseOp('decideDepartmentCase', reject) }, refused: { caller: miit, ...caseOp('decideDepartmentCase', ', input: { outcome: REJECTED }') } },
  submitApplication: {
    ok: { caller: self(), query: submit, variables: { input: submission } },
    refused: { caller: otherEnterprise, query: submit, variables: { input: submission } },
  },
  checkApplication: { ok: { caller: approval, ...check(inReview) }, refused: { caller: commerce, ...check(inReview) } },
  resubmitApplication: { ok: { caller: self(), ...resubmit(returned) }, refused: { caller: otherEnterprise, ...resubmit(returned) } },
  recordDepartmentProgress: { ok: { caller: miit, ...progress(inReview) }, refused: { caller: commerce, ...progress(inReview) } },
  recordDepartmentDecision: { ok: { caller: miit, ...decide(inReview, '依据第五条') }, refused: { caller: miit, ...decide(inReview, ' ') } },
  confirmWhiteList: {
    ok: { caller: miit, query: confirm, get variables() { return { i: { screeningId: kept.id, digest: kept.digest } }; } },
    refused: { caller: commerce, query: confirm, get variables() { return { i: { screeningId: kept.id, digest: kept.digest } }; } },
  },
  releaseHold: { ok: { caller: approval, ...hold('releaseHold', heldToRelease, ', reason: "已整改"') }, refused: { caller: approval, ...hold('releaseHold', heldToRelease, ', reason: " "') } },
  refuseHeld: { ok: { caller: approval, ...hold('refuseHeld', heldToRefuse, ', reason: "未整改", policyExplanation: "依据第十二条"') }, refused: { caller: miit, ...hold('refuseHeld', heldToRefuse, ', reason: "未整改", policyExplanation: "依据第十二条"') } },
  correctPayeeAccount: { ok: { caller: self(), query: correct }, refused: { caller: otherEnterprise, query: correct } },
  // 年度关账 (funds/clearing): a year with no orders closes; the Approval Bureau may not close one.
  closeFiscalYear: {
    ok: { caller: { role: 'FINANCE', region: '360732' }, query: 'mutation { closeFiscalYear(fiscalYear: 2098, regionCode: "360732") { id } }' },
    refused: { caller: approval, query: 'mutation { closeFiscalYear(fiscalYear: 2098, regionCode: "360732") { id } }' },
  },
  setBudget: { ok: { caller: finance, ...setBudget('兴财预〔2026〕1号') }, refused: { caller: approval, ...setBudget('兴财预〔2026〕1号') } },
  adjustBudget: {
    ok: { caller: finance, query: `mutation { adjustBudget(id: "${fundsBudget}", deltaFen: 100, reason: "追加") { id } }` },
    refused: { caller: finance, query: `mutation { adjustBudget(id: "${fundsBudget}", deltaFen: 100, reason: " ") { id } }` },
  },
  moveBudgetToPayer: {
    ok: { caller: finance, query: `mutation { moveBudgetToPayer(id: "${fundsUnmoved}") { id movedToPayer } }` },
    refused: { caller: approval, query: `mutation { moveBudgetToPayer(id: "${fundsUnmoved}") { id movedToPayer } }` },
  },
  sendPaymentOrder: { ok: { caller: approval, ...orderOp('sendPaymentOrder', pendingOrder) }, refused: { caller: finance, ...orderOp('sendPaymentOrder', pendingOrder) } },
  sendPaymentOrders: {
    ok: { caller: approval, query: `mutation { sendPaymentOrders(ids: ["${pendingOrder2}"]) { id status } }` },
    refused: { caller: approval, query: 'mutation { sendPaymentOrders(ids: []) { id } }' },
  },
  retryPaymentOrder: { ok: { caller: approval, ...orderOp('retryPaymentOrder', failedOrder) }, refused: { caller: finance, ...orderOp('retryPaymentOrder', failedOrder) } },
  reconcilePayments: {
    ok: { caller: approval, query: 'mutation { reconcilePayments(date: "2026-09-29") { checked } }' },
    refused: { caller: { role: 'AUDITOR' }, query: 'mutation { reconcilePayments(date: "2026-09-29") { checked } }' },
  },
  simulateBankFault: {
    ok: { caller: { role: 'ADMIN', region: '360732' }, query: 'mutation { simulateBankFault(input: { kind: FAIL, orderId: "f2000000-0000-4000-8000-0000000000ff" }) { kind } }' },
    refused: { caller: { role: 'AUDITOR' }, query: 'mutation { simulateBankFault(input: { kind: FAIL, orderId: "f2000000-0000-4000-8000-0000000000ff" }) { kind } }' },
  },
  signAuditCheckpoint: {
    ok: { caller: { role: 'ADMIN', region: '360732' }, query: 'mutation { signAuditCheckpoint { seq } }' },
    refused: { caller: { role: 'AUDITOR' }, query: 'mutation { signAuditCheckpoint { seq } }' },
  },
};

/**
 * Mutations of the external department systems (in schema/supergraph.yaml, not in the registry —
 * 县人社局's `hrss`) change the department's own records, which it audits itself; what such a
 * system changes on the platform goes through recordDepartmentDecision, audited here
 * (docs/department-contract.md, “Audit”).
 */
const externalMutations = (): string[] => {
  const schemaDir = join(__dirname, '..', '..', 'schema');
  const external = Object.keys(readSupergraphConfig(schemaDir).subgraphs).filter((name) => !subgraphs.some((s) => s.name === name));
  return external.flatMap((name) => {
    const document = parse(readFileSync(join(schemaDir, 'subgraphs', `${name}.graphql`), 'utf8'));
    return document.definitions.flatMap((d) => ((d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION) && d.name.value === 'Mutation' ? (d.fields ?? []).map((f) => f.name.value) : []));
  });
};

const apiMutations = (): string[] => {
  const schema = buildSchema(readFileSync(join(__dirname, '..', '..', 'schema', 'published', 'api.graphql'), 'utf8'));
  const external = externalMutations();
  return Object.keys(schema.getMutationType()?.getFields() ?? {})
    .filter((name) => !external.includes(name))
    .sort();
};

test('every mutation of the published API has a row here (the external department systems’ own aside)', () => {
  expect(externalMutations()).toEqual(['recordEmploymentReview']);
  expect(Object.keys(ROWS).sort()).toEqual(apiMutations());
});

describeDb(`every mutation lands in the audit store; a refused one does not (${testDriver})`, () => {
  let graph: TestGraph;
  beforeAll(async () => {
    // A day inside the demo policies' 2026 window: the submission row must not expire with the calendar.
    graph = await startTestGraph({ now: () => new Date('2026-09-29T02:00:00Z') });
    const message = Object.assign(new PolicyMessage(), {
      id: messageId, creditCode: registration.creditCode, policyId: 'XG-2026-004', version: 1, kind: 'PUBLISHED', title: '新政策推送：审计覆盖', body: '审计覆盖测试', amountFen: 100_000, createdAt: new Date(), readAt: null,
    });
    await graph.subgraphs.policies.db.orm.em.fork().insert(PolicyMessage, message);
    const kase = Object.assign(new DepartmentCase(), {
      id: caseId, applicationId: '0c6d2a8e-9f41-4b7a-a3e5-1d2c3b4a5f60', receiptNumber: '360732-20260105-900002', policyId: 'XG-2026-003', policyVersion: 1, policyTitle: '审计覆盖',
      mode: 'INSTANT', department: '360732-MIIT', regionCode: '360732', creditCode: registration.creditCode, enterpriseName: registration.name, channel: 'HALL_WINDOW',
      acceptedAt: new Date(), receivedAt: new Date(), deadline: null, materials: [], tolerated: [], formData: {}, status: 'RECEIVED', assignee: null, assignedAt: null,
      decisionId: null, outcome: null, amountFen: null, payeeAccount: null, payeeBank: null, reason: null, policyExplanation: null, note: null,
      decidedAt: null, decidedBy: null, pushedAt: null, pushError: null, updatedAt: new Date(),
    });
    await graph.subgraphs.departments.db.orm.em.fork().insert(DepartmentCase, kase);
    const at = new Date();
    const applicationOf = (id: string, status: string, policyId: string, receiptNumber: string) =>
      Object.assign(new Application(), {
        id, receiptNumber, policyId, policyVersion: 1, policyTitle: '审计覆盖', mode: 'COMMITMENT', department: '360732-MIIT', regionCode: '360732', creditCode: registration.creditCode,
        enterpriseName: registration.name, channel: 'ONLINE', intakeDepartment: null, status, period: '2026-01-01', data: {}, reviewDays: 15, stepCount: 0, stateEnteredAt: at, submittedAt: at, updatedAt: at,
      });
    await graph.subgraphs.applications.db.orm.em.fork().insert(Application, applicationOf(inReview, 'SUBMITTED', 'XG-2026-004', '360732-20260101-990001'));
    await graph.subgraphs.applications.db.orm.em.fork().insert(Application, applicationOf(returned, 'RETURNED', 'XG-2026-012', '360732-20260101-990002'));
    await graph.subgraphs.applications.db.orm.em.fork().insert(Application, applicationOf(heldToRelease, 'HELD', 'XG-2026-016', '360732-20260101-990003'));
    await graph.subgraphs.applications.db.orm.em.fork().insert(Application, applicationOf(heldToRefuse, 'HELD', 'XG-2026-020', '360732-20260101-990004'));
    await graph.subgraphs.applications.db.orm.em.fork().insert(Application, applicationOf(payable, 'AWAITING_PAYMENT', 'XG-2026-023', '360732-20260101-990005'));
    const funds = graph.subgraphs.funds.db.orm.em.fork();
    const budgetOf = (id: string, policyId: string, moved: boolean, heldFen: number) =>
      Object.assign(new BudgetIndicator(), { id, policyId, fiscalYear: 2026, level: 'COUNTY', regionCode: '360732', department: '360732-MIIT', assignedFen: 1_000_000, heldFen, spentFen: 0, cityShareBp: null, movedToPayer: moved, movedAt: moved ? at : null, createdAt: at, updatedAt: at });
    await funds.insert(BudgetIndicator, budgetOf(fundsBudget, 'XG-2026-023', true, 2000));
    await funds.insert(BudgetIndicator, budgetOf(fundsUnmoved, 'XG-2026-005', false, 0));
    const orderOf = (id: string, status: string) =>
      Object.assign(new PaymentOrder(), {
        id, applicationId: id.replace('f2', 'e2'), receiptNumber: null, policyId: 'XG-2026-023', fiscalYear: 2026, regionCode: '360732', department: '360732-MIIT', creditCode: registration.creditCode,
        enterpriseName: registration.name, amountFen: 1000, cityFen: 0, countyFen: 1000, payeeAccount: '6228480011223344', payeeBank: '江西兴国农村商业银行营业部', status, waitingReason: null,
        holding: status === 'PENDING', bankReference: null, bankReason: status === 'FAILED' ? '收款账户已冻结' : null, attempts: status === 'FAILED' ? 1 : 0, deadline: '2026-09-30', createdAt: at, sentAt: null, settledAt: null, updatedAt: at,
      });
    for (const [id, status] of [[pendingOrder, 'PENDING'], [pendingOrder2, 'PENDING'], [failedOrder, 'FAILED']]) await funds.insert(PaymentOrder, orderOf(id, status));
    const screened = await graph.query('{ enterprisePopulation(regionCode: "360732") { screening(policyId: "XG-2026-001") { id digest eligibleCount } } }', {}, await graph.token(miit));
    const { id, digest, eligibleCount } = screened.body.data.enterprisePopulation.screening;
    Object.assign(kept, { id, digest });
    // A short list: its cases' own audit events must not queue the rows after it.
    expect(eligibleCount).toBeLessThan(20);
  });
  afterAll(() => graph?.stop());

  const entries = async (action: string) => {
    const auditor = await graph.token({ role: 'AUDITOR' });
    const { body } = await graph.query(
      'query($action: String) { auditEvents(first: 100, filter: { kind: MUTATION, action: $action }) { nodes { action requestId actor { role } } } }',
      { action },
      auditor,
    );
    expect(body.errors).toBeUndefined();
    return body.data.auditEvents.nodes as { action: string; requestId: string; actor: { role: string } }[];
  };

  for (const [action, row] of Object.entries(ROWS)) {
    test(action, async () => {
      const refusedId = `coverage-${action}-refused`;
      const okId = `coverage-${action}-ok`;
      const refused = await graph.query(row.refused.query, row.refused.variables ?? {}, await graph.token(row.refused.caller), { 'x-request-id': refusedId });
      // Refused with a code a person can act on (FORBIDDEN, BAD_USER_INPUT, INVALID_CREDIT_CODE …).
      expect(refused.body.errors?.[0]?.extensions?.code).toMatch(/^[A-Z_]+$/);
      expect(refused.body.errors[0].extensions.code).not.toBe('INTERNAL_SERVER_ERROR');
      const ok = await graph.query(row.ok.query, row.ok.variables ?? {}, await graph.token(row.ok.caller), { 'x-request-id': okId });
      expect(ok.body.errors).toBeUndefined();
      // Events of one producer arrive in order: once the accepted one is stored, a refused one
      // (emitted earlier) would be stored too.
      // A delivery that failed (e.g. a busy database) is retried with backoff: allow for one retry.
      const stored = await eventually(() => entries(action), (list) => list.some((e) => e.requestId === okId), 90_000);
      expect(stored.find((e) => e.requestId === okId)!.actor.role).toBe(row.ok.caller.role);
      expect(stored.some((e) => e.requestId === refusedId)).toBe(false);
    }, 120_000);
  }
});
