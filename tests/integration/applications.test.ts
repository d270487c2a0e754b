import { Application, ApplicationMaterial, ApplicationStep, ReceiptCounter } from '../../subgraphs/applications/application.entity';
import { eventOf, OutboxEvent } from '../../subgraphs/kit/events/outbox';
import { describeDb, testDriver } from '../support/db';
import { startTestGraph, type TestGraph } from '../support/graph';

/**
 * 一窗受理 through the gateway: intake online and at the windows (受理回执), the formal check with
 * one complete missing list (一次性告知) and 容缺受理, the department's result pushed back
 * (idempotent), COMMITMENT's credit commitment and evaluation steps, refusals that store nothing,
 * and who sees which case. The clock is fixed on Tuesday 2026-09-29 (China), so deadlines cross the
 * National Day holiday and its make-up Saturday (2026-10-10).
 */
type Claims = { role: string; region?: string; department?: string; creditCode?: string };

const MIIT_SYSTEM: Claims = { role: 'DEPARTMENT_SYSTEM', department: '360732-MIIT', region: '360732' };
const MIIT_REVIEWER: Claims = { role: 'DEPARTMENT_REVIEWER', department: '360732-MIIT', region: '360732' };
const COMMERCE_REVIEWER: Claims = { role: 'DEPARTMENT_REVIEWER', department: '360732-COMMERCE', region: '360732' };
const HALL: Claims = { role: 'WINDOW_CLERK', department: '360732-APPROVAL', region: '360732' };
const EDZ: Claims = { role: 'WINDOW_CLERK', department: '360732-EDZ', region: '360732' };
const YUDU_HALL: Claims = { role: 'WINDOW_CLERK', department: '360731-APPROVAL', region: '360731' };
const BUREAU: Claims = { role: 'APPROVAL_BUREAU', region: '360732' };
const YUDU_BUREAU: Claims = { role: 'APPROVAL_BUREAU', region: '360731' };

const FIELDS = `id receiptNumber policyId policyVersion policyTitle mode department regionCode creditCode enterpriseName channel intakeDepartment
  status statusName period data commitmentSignedAt missingMaterials toleratedMaterials amountFen payeeAccount payeeBank rejectionReason policyExplanation
  stateEnteredAt deadline deadlineWorkdays deadlineProblem materials { name uploadId heldByGovernment }
  timeline { seq action name fromStatus toStatus actorRole actorSubject actorDepartment at note deadline details }`;
const SUBMIT = `mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { ${FIELDS} receipt { receiptNumber channelName intakeDepartmentName received { name heldByGovernment } deadline deadlineWorkdays text } } }`;
const CHECK = `mutation($id: ID!, $input: CheckApplicationInput!) { checkApplication(id: $id, input: $input) { ${FIELDS} } }`;
const RESUBMIT = `mutation($id: ID!, $input: ResubmitApplicationInput!) { resubmitApplication(id: $id, input: $input) { ${FIELDS} } }`;
const DECIDE = `mutation($input: DepartmentDecisionInput!) { recordDepartmentDecision(input: $input) { ${FIELDS} } }`;
const PROGRESS = `mutation($input: DepartmentProgressInput!) { recordDepartmentProgress(input: $input) { ${FIELDS} } }`;
const ONE = `query($id: ID!) { application(id: $id) { ${FIELDS} policy { id title } enterprise { creditCode name } } }`;
const BY_RECEIPT = `query($r: String!) { applicationByReceipt(receiptNumber: $r) { id receiptNumber } }`;
const LIST = `query($f: ApplicationFilter) { applications(first: 100, filter: $f) { totalCount nodes { id creditCode department status channel policyId } } }`;

const upload = (name: string) => ({ name, uploadId: `upl_${Buffer.from(name).toString('hex').slice(0, 24)}` });

describeDb(`applications: intake, formal check, department result (${testDriver})`, () => {
  let graph: TestGraph;
  let clock = new Date('2026-09-29T02:00:00Z');
  let A: string; // 兴国县 enterprises
  let B: string;
  let C: string;
  let D: string;
  const rows = () => graph.subgraphs.applications.db.orm.em.fork();
  const counts = async () => {
    const em = rows();
    return [await em.count(Application), await em.count(ApplicationStep), await em.count(ApplicationMaterial), await em.count(OutboxEvent, { family: 'applications' })];
  };
  const receiptCounters = async () => (await rows().find(ReceiptCounter, {})).map((r) => `${r.key}:${r.last}`).sort();
  const as = async (claims: Claims | null, query: string, variables: Record<string, unknown> = {}) => {
    const { body } = await graph.query(query, variables, claims ? await graph.token(claims) : undefined);
    return body as { data?: any; errors?: any[] };
  };
  const ok = async (claims: Claims, query: string, variables: Record<string, unknown> = {}) => {
    const body = await as(claims, query, variables);
    expect(body.errors).toBeUndefined();
    return body.data;
  };
  const code = (body: { errors?: any[] }) => body.errors?.[0]?.extensions?.code;
  const enterprise = (creditCode: string): Claims => ({ role: 'ENTERPRISE', creditCode });
  const events = async (type: string) => (await rows().find(OutboxEvent, { type }, { orderBy: { seq: 'asc' } })).map(eventOf);

  beforeAll(async () => {
    graph = await startTestGraph({ now: () => clock });
    const auditor = await graph.token({ role: 'AUDITOR' });
    const { body } = await graph.query('{ enterprises(first: 8, filter: { regionCode: "360732" }) { nodes { creditCode } } }', {}, auditor);
    [A, B, C, D] = body.data.enterprises.nodes.map((n: any) => n.creditCode);
  });
  afterAll(() => graph?.stop());

  let instantId: string;
  test('INSTANT online: submit → returned with one complete list → resubmit → accepted (dispatched) → department approves; deadlines on the official calendar', async () => {
    const submitted = (
      await ok(enterprise(A), SUBMIT, {
        input: { policyId: 'XG-2026-003', creditCode: A, data: { 认定年度: 2026, 认定文号: '赣工信字〔2026〕12号' }, materials: [upload('专精特新中小企业奖励申报表')] },
      })
    ).submitApplication;
    instantId = submitted.id;
    expect(submitted).toMatchObject({ status: 'SUBMITTED', mode: 'INSTANT', channel: 'ONLINE', intakeDepartment: null, policyVersion: 1, department: '360732-MIIT', creditCode: A, period: '2026-01-01' });
    expect(submitted.receiptNumber).toMatch(/^360732-20260929-\d{6}$/);
    // Formal check within 2 working days: Wed 9-30, then 10-1…10-7 are 国庆节, so Thu 10-08.
    expect(submitted.deadline).toBe('2026-10-08');
    // The government-held ones are referenced, not uploaded.
    expect(submitted.materials).toEqual([
      { name: '专精特新中小企业奖励申报表', uploadId: expect.any(String), heldByGovernment: false },
      { name: '纳税证明', uploadId: null, heldByGovernment: true },
      { name: '营业执照', uploadId: null, heldByGovernment: true },
    ]);

    // 一次性告知: the computed missing material and the clerk's own item, in one list.
    const returned = (await ok(HALL, CHECK, { id: instantId, input: { accept: false, missing: ['申报表第 3 页缺法定代表人签字'], note: '请一次补齐' } })).checkApplication;
    expect(returned.status).toBe('RETURNED');
    expect(returned.missingMaterials).toEqual(['专精特新认定文件', '申报表第 3 页缺法定代表人签字']);
    expect(returned.deadline).toBeNull();
    expect(returned.timeline[1]).toMatchObject({ action: 'return', fromStatus: 'SUBMITTED', toStatus: 'RETURNED', actorRole: 'WINDOW_CLERK', actorDepartment: '360732-APPROVAL', note: '请一次补齐' });
    expect(returned.timeline[1].details.missing).toEqual(returned.missingMaterials);
    // Returned is not accepted: the department has nothing yet.
    expect(await events('application.accepted')).toHaveLength(0);

    const resubmitted = (await ok(enterprise(A), RESUBMIT, { id: instantId, input: { materials: [upload('专精特新认定文件'), upload('专精特新中小企业奖励申报表')] } })).resubmitApplication;
    expect(resubmitted.status).toBe('SUBMITTED');
    expect(resubmitted.materials.map((m: any) => m.name).sort()).toEqual(['专精特新中小企业奖励申报表', '专精特新认定文件', '纳税证明', '营业执照'].sort());

    const accepted = (await ok(HALL, CHECK, { id: instantId, input: { accept: true, note: '材料齐全，予以受理' } })).checkApplication;
    expect(accepted).toMatchObject({ status: 'IN_REVIEW', missingMaterials: [], deadlineWorkdays: 5 });
    // 5 working days from Tue 9-29: 9-30, 10-08, 10-09, 10-10 (调休上班 Saturday), 10-12.
    expect(accepted.deadline).toBe('2026-10-12');
    const [dispatched] = await events('application.accepted');
    expect(dispatched.payload).toMatchObject({
      applicationId: instantId,
      receiptNumber: submitted.receiptNumber,
      policyId: 'XG-2026-003',
      policyVersion: 1,
      mode: 'INSTANT',
      department: '360732-MIIT',
      creditCode: A,
      channel: 'ONLINE',
      deadline: '2026-10-12',
      tolerated: [],
      data: { 认定年度: 2026, 认定文号: '赣工信字〔2026〕12号' },
    });
    expect(dispatched.payload.materials).toContainEqual({ name: '营业执照', heldByGovernment: true });

    // Another department's system may not decide it, nor see it.
    const foreign = await as({ role: 'DEPARTMENT_SYSTEM', department: '360732-COMMERCE', region: '360732' }, DECIDE, {
      input: { applicationId: instantId, decisionId: 'commerce-0001', outcome: 'APPROVED', amountFen: 100, payeeAccount: '6228480000000001' },
    });
    expect(code(foreign)).toBe('NOT_FOUND');

    const decision = { applicationId: instantId, decisionId: 'miit-2026-000123', outcome: 'APPROVED', amountFen: 30_000_000, payeeAccount: '6228480000001234', payeeBank: '江西兴国农村商业银行' };
    const approved = (await ok(MIIT_SYSTEM, DECIDE, { input: decision })).recordDepartmentDecision;
    expect(approved).toMatchObject({ status: 'APPROVED', amountFen: 30_000_000, payeeBank: '江西兴国农村商业银行', deadline: null });
    expect(approved.payeeAccount).toBe('6228********1234');
    expect(approved.timeline.map((s: any) => s.action)).toEqual(['submit', 'return', 'resubmit', 'accept', 'approve']);
    expect(approved.timeline[4]).toMatchObject({ actorRole: 'DEPARTMENT_SYSTEM', actorDepartment: '360732-MIIT', details: { decisionId: 'miit-2026-000123', amountFen: 30_000_000 } });
    expect((await events('application.approved')).map((e) => e.payload)).toEqual([expect.objectContaining({ applicationId: instantId, amountFen: 30_000_000, decisionId: 'miit-2026-000123' })]);

    // The same push again changes nothing; the same id with other content, or a second decision, is refused.
    const before = await counts();
    const again = (await ok(MIIT_SYSTEM, DECIDE, { input: decision })).recordDepartmentDecision;
    expect(again.timeline).toHaveLength(5);
    expect(await counts()).toEqual(before);
    expect(code(await as(MIIT_SYSTEM, DECIDE, { input: { ...decision, amountFen: 29_000_000 } }))).toBe('ALREADY_EXISTS');
    const second = await as(MIIT_REVIEWER, DECIDE, { input: { ...decision, decisionId: 'miit-2026-000124', outcome: 'REJECTED', reason: '重复', policyExplanation: '—' } });
    expect(code(second)).toBe('WRONG_STATE');
    expect(second.errors![0].message).toBe('案件当前状态为审核通过，不能不予兑现');
    expect(await counts()).toEqual(before);

    // The enterprise follows it: every step with actor, time, note and deadline.
    const seen = (await ok(enterprise(A), ONE, { id: instantId })).application;
    expect(seen.timeline.map((s: any) => [s.seq, s.action, s.actorRole, s.deadline])).toEqual([
      [1, 'submit', 'ENTERPRISE', '2026-10-08'],
      [2, 'return', 'WINDOW_CLERK', null],
      [3, 'resubmit', 'ENTERPRISE', '2026-10-08'],
      [4, 'accept', 'WINDOW_CLERK', '2026-10-12'],
      [5, 'approve', 'DEPARTMENT_SYSTEM', null],
    ]);
    expect(seen.policy).toEqual({ id: 'XG-2026-003', title: '专精特新中小企业奖励' });
    expect(seen.enterprise.creditCode).toBe(A);
  });

  test('容缺受理: only materials the policy version allows; a gap not tolerated is no acceptance', async () => {
    const { id } = (await ok(enterprise(B), SUBMIT, { input: { policyId: 'XG-2026-003', creditCode: B, materials: [upload('专精特新中小企业奖励申报表')] } })).submitApplication;
    const incomplete = await as(HALL, CHECK, { id, input: { accept: true } });
    expect(code(incomplete)).toBe('BAD_USER_INPUT');
    expect(incomplete.errors![0].message).toContain('尚缺必备材料：专精特新认定文件');
    const notAllowed = await as(HALL, CHECK, { id, input: { accept: true, tolerated: ['专精特新认定文件', '专精特新中小企业奖励申报表'] } });
    expect(notAllowed.errors![0].message).toContain('不在该政策允许容缺的范围内：专精特新中小企业奖励申报表');
    expect((await ok(enterprise(B), ONE, { id })).application.status).toBe('SUBMITTED');

    const accepted = (await ok(BUREAU, CHECK, { id, input: { accept: true, tolerated: ['专精特新认定文件'] } })).checkApplication;
    expect(accepted).toMatchObject({ status: 'IN_REVIEW', toleratedMaterials: ['专精特新认定文件'] });
    expect((await events('application.accepted')).find((e) => e.payload.applicationId === id)!.payload.tolerated).toEqual(['专精特新认定文件']);

    // A policy version without 容缺 (外贸出口奖励) accepts none.
    const other = (await ok(enterprise(B), SUBMIT, { input: { policyId: 'XG-2026-006', creditCode: B } })).submitApplication;
    pendingOnline = other.id;
    const refused = await as(HALL, CHECK, { id: other.id, input: { accept: true, tolerated: ['外贸出口奖励申报表'] } });
    expect(refused.errors![0].message).toContain('该政策版本不允许容缺受理');
  });

  let commitmentId: string;
  let pendingOnline: string; // B's online application awaiting the formal check
  test('COMMITMENT at the hall window: 受理回执, the signed credit commitment, evaluation steps, then a rejection the enterprise can read', async () => {
    const input = {
      policyId: 'XG-2026-004',
      creditCode: C,
      data: { 项目名称: '年产 5 万吨新型建材技改项目', 设备投资额分: 600_000_000 },
      materials: [upload('工业企业技术改造补贴申报表'), upload('信用承诺书'), upload('设备购置发票'), { name: '营业执照', heldByGovernment: true }],
    };
    const before = await counts();
    const unsigned = await as(HALL, SUBMIT, { input });
    expect(code(unsigned)).toBe('BAD_USER_INPUT');
    expect(unsigned.errors![0].extensions.problems[0].field).toBe('commitment');
    expect(await counts()).toEqual(before);

    const commitment = { signed: true, text: '本企业承诺所填报信息及提交材料真实、准确、完整，如有虚假，愿退回补贴并承担相应责任。' };
    const submitted = (await ok(HALL, SUBMIT, { input: { ...input, commitment } })).submitApplication;
    commitmentId = submitted.id;
    expect(submitted).toMatchObject({ channel: 'HALL_WINDOW', intakeDepartment: '360732-APPROVAL', mode: 'COMMITMENT', status: 'SUBMITTED', deadline: '2026-10-08' });
    expect(submitted.commitmentSignedAt).toBe('2026-09-29T02:00:00.000Z');
    expect(submitted.timeline[0]).toMatchObject({ actorRole: 'WINDOW_CLERK', actorDepartment: '360732-APPROVAL', details: { channel: 'HALL_WINDOW' } });
    // 受理回执: receipt number, what was received, the deadline.
    expect(submitted.receipt).toMatchObject({ receiptNumber: submitted.receiptNumber, channelName: '政务大厅惠企政策兑现专窗', intakeDepartmentName: '兴国县行政审批局', deadline: '2026-10-08', deadlineWorkdays: 2 });
    expect(submitted.receipt.received.map((m: any) => m.name).sort()).toEqual(['信用承诺书', '工业企业技术改造补贴申报表', '纳税证明', '营业执照', '设备购置发票'].sort());
    expect(submitted.receipt.text).toContain(submitted.receiptNumber);
    expect(submitted.receipt.text).toContain('2026-10-08');
    // The enterprise follows it by the receipt number; another enterprise cannot.
    expect((await ok(enterprise(C), BY_RECEIPT, { r: submitted.receiptNumber })).applicationByReceipt.id).toBe(commitmentId);
    expect(code(await as(enterprise(A), BY_RECEIPT, { r: submitted.receiptNumber }))).toBe('NOT_FOUND');

    const accepted = (await ok(HALL, CHECK, { id: commitmentId, input: { accept: true } })).checkApplication;
    // COMMITMENT: the policy's own 15 working days from Tue 9-29 (国庆 skipped, 10-10 counted).
    expect(accepted).toMatchObject({ status: 'IN_REVIEW', deadlineWorkdays: 15, deadline: '2026-10-26' });

    const survey = { applicationId: commitmentId, progressId: 'miit-survey-0001', kind: 'SITE_SURVEY', note: '现场核查：设备已安装投产' };
    const surveyed = (await ok(MIIT_REVIEWER, PROGRESS, { input: survey })).recordDepartmentProgress;
    expect(surveyed).toMatchObject({ status: 'EVALUATION', deadline: '2026-10-26' });
    const repeated = (await ok(MIIT_REVIEWER, PROGRESS, { input: survey })).recordDepartmentProgress;
    expect(repeated.timeline).toHaveLength(surveyed.timeline.length);
    expect(code(await as(MIIT_REVIEWER, PROGRESS, { input: { ...survey, note: '另一说法' } }))).toBe('ALREADY_EXISTS');
    const reviewed = (await ok(MIIT_SYSTEM, PROGRESS, { input: { applicationId: commitmentId, progressId: 'miit-expert-0001', kind: 'EXPERT_REVIEW', note: '专家评审：3 名专家一致通过' } })).recordDepartmentProgress;
    expect(reviewed.timeline.slice(-2).map((s: any) => [s.action, s.details.kind, s.note])).toEqual([
      ['evaluate', 'SITE_SURVEY', '现场核查：设备已安装投产'],
      ['evaluate', 'EXPERT_REVIEW', '专家评审：3 名专家一致通过'],
    ]);
    // Evaluation belongs to COMMITMENT only.
    const instant = await as(MIIT_REVIEWER, PROGRESS, { input: { ...survey, applicationId: instantId, progressId: 'miit-survey-0002' } });
    expect(code(instant)).toBe('WRONG_STATE');

    // A rejection needs a reason AND a policy explanation: either missing stores nothing.
    const reject = { applicationId: commitmentId, decisionId: 'miit-2026-reject-1', outcome: 'REJECTED' };
    const stored = await counts();
    for (const partial of [{}, { reason: '设备投资额不足 500 万元' }, { reason: '设备投资额不足 500 万元', policyExplanation: '   ' }, { policyExplanation: '依据兴府发〔2025〕8号第五条' }]) {
      const body = await as(MIIT_REVIEWER, DECIDE, { input: { ...reject, ...partial } });
      expect(code(body)).toBe('BAD_USER_INPUT');
    }
    expect(await counts()).toEqual(stored);
    const rejected = (
      await ok(MIIT_REVIEWER, DECIDE, {
        input: { ...reject, reason: '经核查，技改设备投资额为 420 万元，未达 500 万元', policyExplanation: '依据《兴国县促进工业高质量发展若干政策措施》（兴府发〔2025〕8号）第五条，设备投资额须不低于 500 万元；可在追加投资后下一申报期再行申请。' },
      })
    ).recordDepartmentDecision;
    expect(rejected.status).toBe('REJECTED');
    const seen = (await ok(enterprise(C), ONE, { id: commitmentId })).application;
    expect(seen.rejectionReason).toBe('经核查，技改设备投资额为 420 万元，未达 500 万元');
    expect(seen.policyExplanation).toContain('兴府发〔2025〕8号');
    expect((await events('application.rejected')).map((e) => e.payload.applicationId)).toEqual([commitmentId]);
  });

  test('EDZ window: its own channel; the hall window does not see the cases the EDZ window took', async () => {
    const submitted = (await ok(EDZ, SUBMIT, { input: { policyId: 'XG-2026-024', creditCode: D, materials: [upload('工业企业物流费用补贴申报表')] } })).submitApplication;
    expect(submitted).toMatchObject({ channel: 'EDZ_WINDOW', intakeDepartment: '360732-EDZ' });
    expect(submitted.receipt.intakeDepartmentName).toBe('兴国经济开发区管理委员会');
    expect(code(await as(HALL, ONE, { id: submitted.id }))).toBe('NOT_FOUND');
    expect(code(await as(HALL, CHECK, { id: submitted.id, input: { accept: true } }))).toBe('NOT_FOUND');
    // The EDZ window: what it took, and online cases of its county awaiting the formal check.
    expect((await ok(EDZ, LIST, {})).applications.nodes.map((n: any) => n.id).sort()).toEqual([submitted.id, pendingOnline].sort());
  });

  test('refused submissions store nothing: unpublished, no application needed, outside the window, twice in a period, for another enterprise, bad inputs', async () => {
    const before = [await counts(), await receiptCounters()];
    const refusals: [Claims, Record<string, unknown>, string, string?][] = [
      [enterprise(D), { policyId: 'XG-2026-031', creditCode: D }, 'BAD_USER_INPUT', 'POLICY_NOT_PUBLISHED'],
      [enterprise(D), { policyId: 'XG-2026-001', creditCode: D }, 'BAD_USER_INPUT', 'NO_APPLICATION'],
      [enterprise(D), { policyId: 'XG-2099-001', creditCode: D }, 'NOT_FOUND'],
      [enterprise(A), { policyId: 'XG-2026-003', creditCode: A }, 'ALREADY_EXISTS'],
      [enterprise(A), { policyId: 'XG-2026-006', creditCode: B }, 'FORBIDDEN'],
      [YUDU_HALL, { policyId: 'XG-2026-006', creditCode: D }, 'FORBIDDEN'],
      [{ role: 'WINDOW_CLERK', region: '360732' }, { policyId: 'XG-2026-006', creditCode: D }, 'FORBIDDEN'],
      [MIIT_REVIEWER, { policyId: 'XG-2026-006', creditCode: D }, 'FORBIDDEN'],
      [{ role: 'AUDITOR' }, { policyId: 'XG-2026-006', creditCode: D }, 'FORBIDDEN'],
      [enterprise(D), { policyId: 'XG-2026-006', creditCode: D, materials: [{ name: '购房合同', uploadId: 'upl_0000000001' }] }, 'BAD_USER_INPUT'],
      [enterprise(D), { policyId: 'XG-2026-006', creditCode: D, materials: [{ name: '外贸出口奖励申报表', uploadId: '../../etc/passwd' }] }, 'BAD_USER_INPUT'],
      [enterprise(D), { policyId: 'XG-2026-006', creditCode: D, materials: [{ name: '外贸出口奖励申报表' }] }, 'BAD_USER_INPUT'],
      [enterprise(D), { policyId: 'XG-2026-006', creditCode: D, materials: [{ name: '外贸出口奖励申报表', heldByGovernment: true }] }, 'BAD_USER_INPUT'],
      [enterprise(D), { policyId: 'XG-2026-006', creditCode: D, data: [1, 2] }, 'BAD_USER_INPUT'],
      [enterprise(D), { policyId: 'XG-2026-006', creditCode: D, data: { a: { b: { c: { d: { e: 1 } } } } } }, 'BAD_USER_INPUT'],
      [enterprise(D), { policyId: 'XG-2026-006', creditCode: D, data: { 说明: 'x'.repeat(17_000) } }, 'BAD_USER_INPUT'],
      [enterprise(D), { policyId: 'XG-2026-006', creditCode: D, note: '正常\u202e备注' }, 'BAD_USER_INPUT'],
      [null as unknown as Claims, { policyId: 'XG-2026-006', creditCode: D }, 'UNAUTHENTICATED'],
    ];
    for (const [claims, input, expected, reason] of refusals) {
      const body = await as(claims, SUBMIT, { input });
      expect([JSON.stringify(input).slice(0, 80), code(body)]).toEqual([JSON.stringify(input).slice(0, 80), expected]);
      if (reason) expect(body.errors![0].extensions.reason).toBe(reason);
    }
    // Outside the window: the demo policies run 2026-01-01 … 2026-12-31.
    clock = new Date('2027-01-04T02:00:00Z');
    try {
      const late = await as(enterprise(D), SUBMIT, { input: { policyId: 'XG-2026-006', creditCode: D } });
      expect(late.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'OUTSIDE_WINDOW' });
    } finally {
      clock = new Date('2026-09-29T02:00:00Z');
    }
    expect([await counts(), await receiptCounters()]).toEqual(before);
    // The duplicate names the case to the one who may read it.
    const twice = await as(enterprise(A), SUBMIT, { input: { policyId: 'XG-2026-003', creditCode: A } });
    expect(twice.errors![0].message).toContain('受理回执编号 360732-20260929-');
  });

  test('two submissions racing for the same policy period: one case, the other ALREADY_EXISTS; the same decision pushed twice at once: one step', async () => {
    const input = { policyId: 'XG-2026-007', creditCode: D, materials: [upload('电子商务发展奖励申报表')] };
    const bodies = await Promise.all([as(enterprise(D), SUBMIT, { input }), as(enterprise(D), SUBMIT, { input })]);
    expect(bodies.map(code).sort()).toEqual(['ALREADY_EXISTS', undefined]);
    expect(await rows().count(Application, { policyId: 'XG-2026-007', creditCode: D })).toBe(1);
    const id = bodies.find((b) => !b.errors)!.data.submitApplication.id;
    await ok(HALL, CHECK, { id, input: { accept: true } });
    const decision = { applicationId: id, decisionId: 'commerce-2026-0001', outcome: 'APPROVED', amountFen: 1_000_000, payeeAccount: '6228480000009999' };
    const COMMERCE_SYSTEM = { role: 'DEPARTMENT_SYSTEM', department: '360732-COMMERCE', region: '360732' };
    const pushed = await Promise.all([as(COMMERCE_SYSTEM, DECIDE, { input: decision }), as(COMMERCE_SYSTEM, DECIDE, { input: decision })]);
    expect(pushed.map((b) => b.errors)).toEqual([undefined, undefined]);
    expect(await rows().count(ApplicationStep, { application: id, action: 'approve' })).toBe(1);
    expect((await events('application.approved')).filter((e) => e.payload.applicationId === id)).toHaveLength(1);
  });

  test('receipt numbers are consecutive per region and day', async () => {
    const numbers = (await rows().find(Application, { regionCode: '360732' }, { orderBy: { receiptNumber: 'asc' } })).map((a) => a.receiptNumber);
    expect(numbers).toEqual(numbers.map((_, i) => `360732-20260929-${String(i + 1).padStart(6, '0')}`));
  });

  test('scoping: an enterprise sees only its own cases, a department only its own, a window what it took', async () => {
    const all = (await ok({ role: 'AUDITOR' }, LIST)).applications;
    expect(all.totalCount).toBe(6);
    const ofA = (await ok(enterprise(A), LIST)).applications.nodes;
    expect(ofA.map((n: any) => n.creditCode)).toEqual([A]);
    // Asking for another enterprise's cases finds nothing; naming one of them is NOT_FOUND.
    expect((await ok(enterprise(A), LIST, { f: { creditCode: C } })).applications.totalCount).toBe(0);
    expect(code(await as(enterprise(B), ONE, { id: instantId }))).toBe('NOT_FOUND');
    expect(code(await as(enterprise(B), ONE, { id: '00000000-0000-4000-8000-000000000000' }))).toBe('NOT_FOUND');
    // A department (and its system pulling its cases) sees its own only.
    const miit = (await ok(MIIT_SYSTEM, LIST, { f: { department: '360732-MIIT' } })).applications.nodes;
    expect(new Set(miit.map((n: any) => n.department))).toEqual(new Set(['360732-MIIT']));
    expect(miit).toHaveLength(3);
    expect((await ok(COMMERCE_REVIEWER, LIST)).applications.nodes.map((n: any) => n.department)).toEqual(['360732-COMMERCE', '360732-COMMERCE']);
    expect((await ok(COMMERCE_REVIEWER, LIST, { f: { department: '360732-MIIT' } })).applications.totalCount).toBe(0);
    expect(code(await as(COMMERCE_REVIEWER, ONE, { id: instantId }))).toBe('NOT_FOUND');
    // The hall window: what it took, plus online cases of its county awaiting the formal check; not those it accepted online.
    expect((await ok(HALL, LIST)).applications.nodes.map((n: any) => n.id).sort()).toEqual([commitmentId, pendingOnline].sort());
    expect(code(await as(HALL, ONE, { id: instantId }))).toBe('NOT_FOUND');
    // The Approval Bureau: its county; another county's sees nothing.
    expect((await ok(BUREAU, LIST)).applications.totalCount).toBe(6);
    expect((await ok(YUDU_BUREAU, LIST)).applications.totalCount).toBe(0);
    expect(code(await as({ role: 'FINANCE', region: '360732' }, LIST))).toBe('FORBIDDEN');
    // Enterprise.applications: the same scope under the enterprise.
    const q = 'query($cc: CreditCode!) { enterprise(creditCode: $cc) { applications { totalCount nodes { id status } } } }';
    expect((await ok(enterprise(C), q, { cc: C })).enterprise.applications.nodes).toEqual([{ id: commitmentId, status: 'REJECTED' }]);
    expect((await ok(COMMERCE_REVIEWER, q, { cc: C })).enterprise.applications.totalCount).toBe(0);
  });
});
