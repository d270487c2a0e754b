import { createHash, randomUUID } from 'node:crypto';
import { Application } from '../../subgraphs/applications/application.entity';
import { ArchivedDossier, ImmutableDossierError } from '../../subgraphs/applications/archive/dossier.entity';
import { ARCHIVE_CONSUMER, paymentSettledConsumer } from '../../subgraphs/applications/archive/payment-settled';
import { InboxEntry, OutboxEvent } from '../../subgraphs/kit/events/entities';
import { handleOnce } from '../../subgraphs/kit/events/inbox';
import type { DomainEvent } from '../../subgraphs/kit/events/types';
import { describeDb, testDriver } from '../support/db';
import { eventually } from '../support/events';
import { startTestGraph, type TestGraph } from '../support/graph';

/**
 * 拨付与归档 (issue 10, the applications side): a 即申即享 case driven through the gateway to
 * AWAITING_PAYMENT, then funds' `payment.settled` delivered to the applications subgraph's consumer
 * with the kit's handleOnce — the edge of this test until the funds subgraph emits it itself. The
 * case is paid and archived in one transaction; its dossier is kept as canonical JSON with its
 * SHA-256, never changed, and a changed row is caught by verification.
 */
const CLEAN = '9136073256850595XR'; // 兴国中恒建设: the joint audit passes (a lifted listing: INFO)
const OTHER = '913607325556285396'; // 兴国丰泰建材: left in the department's review
const DAY = '2026-09-30';

const miit = { role: 'DEPARTMENT_REVIEWER', department: '360732-MIIT', region: '360732' };
const miitSystem = { role: 'DEPARTMENT_SYSTEM', department: '360732-MIIT', region: '360732' };
const approval = { role: 'APPROVAL_BUREAU', region: '360732' };
const hall = { role: 'WINDOW_CLERK', department: '360732-APPROVAL', region: '360732' };
const auditor = { role: 'AUDITOR' };
const SIGNERS = [{ role: 'DEPARTMENT_REVIEWER', department: '360732-NDRC', region: '360732' }, { role: 'FINANCE', region: '360732' }, approval];
type Claims = { role: string; region?: string; department?: string; creditCode?: string };

const guide = {
  title: '拨付归档测试政策（即申即享）',
  legalBasis: { title: '《兴国县促进工业高质量发展若干政策措施》', documentNumber: '兴府发〔2025〕8号' },
  beneficiaries: '本县企业',
  conditionsText: '测试条件',
  conditions: { all: [{ indicator: 'regionCode', op: 'eq', value: '360732' }] },
  amountRule: { kind: 'FIXED', amountFen: 100_001 },
  amountText: '定额 1000.01 元',
  materials: [{ name: '奖励申报表', required: true }],
  processSteps: ['申报', '审核', '联合审核', '拨付'],
  contact: '0797-5322000',
  reviewDays: 5,
  windowStart: '2026-01-01',
  windowEnd: '2026-12-31',
};

const CASE = `query($id: ID!) { application(id: $id) { id status deadline timeline { seq action name fromStatus toStatus actorRole note } } }`;
const DOSSIER = `query($id: ID!) { archivedDossier(applicationId: $id) { applicationId sha256 archivedAt json canonicalJson verified } }`;
const VERIFY = `query($r: String!) { verifyArchivedDossiers(regionCode: $r) { regionCode checked verified failed } }`;

describeDb(`payment and archive: payment.settled → PAID → dossier → ARCHIVED (${testDriver})`, () => {
  let graph: TestGraph;
  const clock = new Date(`${DAY}T02:00:00Z`);
  const orm = () => graph.subgraphs.applications.db.orm;
  const call = async (query: string, variables: Record<string, unknown>, claims: Claims) => (await graph.query(query, variables, await graph.token(claims))).body;
  const ok = async (query: string, variables: Record<string, unknown>, claims: Claims) => {
    const body = await call(query, variables, claims);
    expect(body.errors).toBeUndefined();
    return body.data;
  };
  const codeOf = (body: any) => body.errors?.[0]?.extensions?.code;

  let paidCase: string; // the case that is paid and archived
  let reviewing: string; // a case still in the department's review
  const orderId = randomUUID();

  const settled = (over: Record<string, unknown> = {}, id = randomUUID()): DomainEvent => ({
    id,
    family: 'funds',
    type: 'payment.settled',
    source: 'funds',
    occurredAt: new Date().toISOString(),
    payload: {
      applicationId: paidCase,
      orderId,
      amountFen: 100_001,
      cityFen: 0,
      countyFen: 100_001,
      bankReference: 'SIM-20261008-000001',
      settledAt: '2026-10-08T01:30:00.000Z',
      payeeAccount: '6228********0777',
      ...over,
    },
  });
  const deliver = (event: DomainEvent) => handleOnce(orm(), paymentSettledConsumer, event, graph.services);
  const stored = (id: string) => orm().em.fork().findOneOrFail(Application, { id });
  const dossierRow = (id: string) => orm().em.fork().findOne(ArchivedDossier, { applicationId: id });

  beforeAll(async () => {
    graph = await startTestGraph({
      env: { SUBGRAPH_TIMEOUT_MS: '60000', SUBGRAPH_TAX_TIMEOUT_MS: '60000', EVENTS_POLL_MS: '100', EVENTS_RETRY_BASE_MS: '100' },
      now: () => clock,
    });
    const id = 'XG-2099-910';
    await ok('mutation($input: CreatePolicyInput!) { createPolicyDraft(input: $input) { id } }', { input: { id, department: '360732-MIIT', mode: 'INSTANT', guide } }, miit);
    await ok(`mutation { submitPolicyForConsultation(id: "${id}") { id } }`, {}, miit);
    for (const signer of SIGNERS) await ok(`mutation { signOffPolicy(id: "${id}", decision: APPROVED) { id } }`, {}, signer);
    await ok(`mutation { publishPolicy(id: "${id}") { id } }`, {}, miit);

    const submit = async (creditCode: string) =>
      (await ok('mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { id } }', { input: { policyId: id, creditCode, data: {}, materials: [await graph.uploadMaterial(creditCode, '奖励申报表')] } }, hall)).submitApplication.id as string;
    paidCase = await submit(CLEAN);
    reviewing = await submit(OTHER);
    for (const c of [paidCase, reviewing]) await ok('mutation($id: ID!) { checkApplication(id: $id, input: { accept: true }) { status } }', { id: c }, hall);
    await ok(
      'mutation($input: DepartmentDecisionInput!) { recordDepartmentDecision(input: $input) { status } }',
      { input: { applicationId: paidCase, decisionId: 'miit-archive-0001', outcome: 'APPROVED', amountFen: 100_001, payeeAccount: '6228480000000777', payeeBank: '江西兴国农村商业银行' } },
      miitSystem,
    );
    await eventually(() => stored(paidCase), (a) => a.status === 'AWAITING_PAYMENT', 60_000);
  }, 180_000);
  afterAll(() => graph?.stop());

  test('a payment for a case not awaiting payment, or that does not match the award, is refused and changes nothing', async () => {
    const before = await stored(reviewing);
    const refusals: [string, DomainEvent][] = [
      ['in review', settled({ applicationId: reviewing })],
      ['no such case', settled({ applicationId: randomUUID() })],
      ['amount differs from the award', settled({ amountFen: 100_000, countyFen: 100_000 })],
      ['parts not adding up', settled({ cityFen: 1 })],
      ['negative amount', settled({ amountFen: -1, countyFen: -1 })],
      ['fractional fen', settled({ amountFen: 1000.5, countyFen: 1000.5 })],
      ['a full account number', settled({ payeeAccount: '6228480000000777' })],
      ['a bank reference with markup', settled({ bankReference: '<script>' })],
      ['not a time', settled({ settledAt: 'yesterday' })],
    ];
    for (const [why, event] of refusals) {
      await expect(deliver(event)).rejects.toThrow();
      // Nothing kept, not even the inbox entry: the relay retries, then dead-letters it for an operator.
      expect([why, await orm().em.fork().count(InboxEntry, { consumer: ARCHIVE_CONSUMER, eventId: event.id })]).toEqual([why, 0]);
    }
    expect(await stored(reviewing)).toMatchObject({ status: 'IN_REVIEW', stepCount: before.stepCount });
    expect(await stored(paidCase)).toMatchObject({ status: 'AWAITING_PAYMENT' });
    expect(await dossierRow(reviewing)).toBeNull();
    expect(await dossierRow(paidCase)).toBeNull();
    const refused = await deliver(settled({ applicationId: reviewing })).catch((e) => e);
    expect(refused.extensions?.code ?? refused.code).toBe('WRONG_STATE');
    expect(refused.message).toContain('不是待拨付');
  });

  test('payment.settled pays the case and archives it: PAID then ARCHIVED, the proof on the pay step, application.paid told, the enterprise sees it', async () => {
    expect(await deliver(settled({}, 'aaaaaaaa-0000-4000-8000-000000000001'))).toBe('handled');
    const app = (await ok(CASE, { id: paidCase }, { role: 'ENTERPRISE', creditCode: CLEAN })).application;
    expect(app.status).toBe('ARCHIVED');
    const [pay, archive] = app.timeline.slice(-2);
    expect(pay).toMatchObject({ action: 'pay', name: '拨付', fromStatus: 'AWAITING_PAYMENT', toStatus: 'PAID', actorRole: 'SYSTEM' });
    expect(pay.note).toContain('1000.01 元');
    expect(pay.note).toContain('SIM-20261008-000001');
    expect(archive).toMatchObject({ action: 'archive', fromStatus: 'PAID', toStatus: 'ARCHIVED', actorRole: 'SYSTEM' });

    const em = orm().em.fork();
    const row = await em.findOneOrFail(ArchivedDossier, { applicationId: paidCase });
    expect(archive.note).toContain(row.sha256);
    // The hash leaves this table: the dossier's creation is in the audit trail, as the platform acting for the bureau.
    const audit = (await em.find(OutboxEvent, { type: 'audit.mutation' })).filter((e) => e.payload.entity === 'ArchivedDossier' && e.payload.entityId === paidCase);
    expect(audit).toEqual([expect.objectContaining({ payload: expect.objectContaining({ operation: 'CREATE', action: 'payAndArchive', after: expect.objectContaining({ sha256: row.sha256 }) }) })]);
    const events = await em.find(OutboxEvent, { type: 'application.paid' });
    expect(events.filter((e) => e.payload.applicationId === paidCase)).toEqual([
      expect.objectContaining({ family: 'applications', payload: expect.objectContaining({ status: 'PAID', creditCode: CLEAN, orderId, bankReference: 'SIM-20261008-000001', amountFen: 100_001, countyFen: 100_001 }) }),
    ]);
  });

  test('the dossier: application, materials, every step, the joint audit and the payment proof, as canonical JSON whose SHA-256 verifies', async () => {
    const d = (await ok(DOSSIER, { id: paidCase }, auditor)).archivedDossier;
    expect(d).toMatchObject({ applicationId: paidCase, verified: true });
    expect(createHash('sha256').update(d.canonicalJson, 'utf8').digest('hex')).toBe(d.sha256);
    expect(JSON.parse(d.canonicalJson)).toEqual(d.json);
    // Canonical: keys sorted at every level.
    expect(Object.keys(d.json)).toEqual([...Object.keys(d.json)].sort());
    expect(d.json.application).toMatchObject({ id: paidCase, creditCode: CLEAN, amountFen: 100_001, payeeAccount: '6228********0777', status: 'PAID' });
    expect(d.json.steps.map((s: any) => s.action)).toEqual(['submit', 'accept', 'approve', 'audit', 'clear', 'pay']);
    expect(d.json.steps.find((s: any) => s.action === 'approve')).toMatchObject({ actorRole: 'DEPARTMENT_SYSTEM', actorDepartment: '360732-MIIT' });
    expect(d.json.jointAudit).toMatchObject({ verdict: 'PASS', findings: [expect.objectContaining({ source: 'credit', effect: 'INFO' })] });
    expect(d.json.payment).toEqual({ orderId, bankReference: 'SIM-20261008-000001', amountFen: 100_001, cityFen: 0, countyFen: 100_001, settledAt: '2026-10-08T01:30:00.000Z', payeeAccount: '6228********0777', eventId: 'aaaaaaaa-0000-4000-8000-000000000001' });
    // The material as uploaded: its SHA-256 is the hash of the very bytes the enterprise sent.
    const pdf = Buffer.from('%PDF-1.7\n% 奖励申报表\n%%EOF\n');
    expect(d.json.materials).toEqual([
      { name: '奖励申报表', uploadId: expect.any(String), sha256: createHash('sha256').update(pdf).digest('hex'), mediaType: 'application/pdf', size: pdf.length, heldByGovernment: false },
    ]);
    // Never the full account anywhere in the dossier.
    expect(d.canonicalJson).not.toContain('6228480000000777');

    // The enterprise itself and the county's bureau read it; others find no such case; other roles are refused.
    expect((await ok(DOSSIER, { id: paidCase }, { role: 'ENTERPRISE', creditCode: CLEAN })).archivedDossier.sha256).toBe(d.sha256);
    expect((await ok(DOSSIER, { id: paidCase }, approval)).archivedDossier.verified).toBe(true);
    expect(codeOf(await call(DOSSIER, { id: paidCase }, { role: 'ENTERPRISE', creditCode: OTHER }))).toBe('NOT_FOUND');
    expect(codeOf(await call(DOSSIER, { id: paidCase }, { role: 'APPROVAL_BUREAU', region: '360731' }))).toBe('NOT_FOUND');
    expect(codeOf(await call(DOSSIER, { id: paidCase }, { role: 'FINANCE', region: '360732' }))).toBe('FORBIDDEN');
    expect(codeOf(await call(DOSSIER, { id: 'not-a-uuid' }, auditor))).toBe('BAD_USER_INPUT');
    // A case not yet archived has none.
    expect((await ok(DOSSIER, { id: reviewing }, auditor)).archivedDossier).toBeNull();
  });

  test('the same event twice, the same settlement as a new event: nothing changes; another order for the paid case is refused', async () => {
    const before = await stored(paidCase);
    const row = await dossierRow(paidCase);
    expect(await deliver(settled({}, 'aaaaaaaa-0000-4000-8000-000000000001'))).toBe('skipped');
    expect(await deliver(settled())).toBe('handled');
    await expect(deliver(settled({ orderId: randomUUID(), bankReference: 'SIM-20261008-000002' }))).rejects.toThrow('重复支付');
    expect(await stored(paidCase)).toMatchObject({ status: 'ARCHIVED', stepCount: before.stepCount, updatedAt: before.updatedAt });
    expect(await dossierRow(paidCase)).toEqual(row);
    const em = orm().em.fork();
    expect((await em.find(OutboxEvent, { type: 'application.paid' })).filter((e) => e.payload.applicationId === paidCase)).toHaveLength(1);
  });

  test('an archived dossier is never changed: the ORM refuses update and delete; a row changed behind its back is not verified', async () => {
    expect((await ok(VERIFY, { r: '360732' }, auditor)).verifyArchivedDossiers).toEqual({ regionCode: '360732', checked: 1, verified: 1, failed: [] });
    const original = (await dossierRow(paidCase))!;

    const em = orm().em.fork();
    const row = await em.findOneOrFail(ArchivedDossier, { applicationId: paidCase });
    row.json = row.json.replace('100001', '900001');
    await expect(em.flush()).rejects.toThrow(ImmutableDossierError);
    const em2 = orm().em.fork();
    em2.remove(await em2.findOneOrFail(ArchivedDossier, { applicationId: paidCase }));
    await expect(em2.flush()).rejects.toThrow(ImmutableDossierError);
    expect(await dossierRow(paidCase)).toEqual(original);

    // Someone with database access changes the amount (SQL, bypassing the ORM): found out.
    await orm().em.fork().nativeUpdate(ArchivedDossier, { applicationId: paidCase }, { json: original.json.replace('"amountFen":100001', '"amountFen":900001') });
    const tampered = (await ok(DOSSIER, { id: paidCase }, auditor)).archivedDossier;
    expect(tampered).toMatchObject({ sha256: original.sha256, verified: false });
    expect(tampered.json.application.amountFen).toBe(900_001);
    expect((await ok(VERIFY, { r: '360732' }, approval)).verifyArchivedDossiers).toEqual({ regionCode: '360732', checked: 1, verified: 0, failed: [paidCase] });
    // Only the auditor and the region's bureau verify in bulk.
    expect(codeOf(await call(VERIFY, { r: '360732' }, { role: 'APPROVAL_BUREAU', region: '360731' }))).toBe('FORBIDDEN');
    expect(codeOf(await call(VERIFY, { r: '360732' }, { role: 'ENTERPRISE', creditCode: CLEAN }))).toBe('FORBIDDEN');
  });
  test('a held case released and then paid: concurrent deliveries of its settlement pay and archive it once; its dossier keeps the hold and the release', async () => {
    await ok(
      'mutation($input: DepartmentDecisionInput!) { recordDepartmentDecision(input: $input) { status } }',
      { input: { applicationId: reviewing, decisionId: 'miit-archive-0002', outcome: 'APPROVED', amountFen: 100_001, payeeAccount: '6228480000000888', payeeBank: '江西兴国农村商业银行' } },
      miitSystem,
    );
    await eventually(() => stored(reviewing), (a) => a.status === 'HELD', 60_000);
    await ok('mutation($id: ID!, $r: String!) { releaseHold(id: $id, reason: $r) { status } }', { id: reviewing, r: '处罚已整改到位，经核实同意拨付' }, approval);
    const order = randomUUID();
    const event = () => settled({ applicationId: reviewing, orderId: order, bankReference: 'SIM-20261008-000003', payeeAccount: '6228********0888' });
    const results = await Promise.allSettled([deliver(event()), deliver(event()), deliver(event())]);
    // Each is handled (a racing one finds the case paid by the same order) or, on a write conflict, left for the relay's retry.
    expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
    expect(await stored(reviewing)).toMatchObject({ status: 'ARCHIVED' });
    const steps = (await ok(CASE, { id: reviewing }, approval)).application.timeline.map((s: any) => s.action);
    expect(steps.filter((a: string) => a === 'pay')).toHaveLength(1);
    expect(steps.filter((a: string) => a === 'archive')).toHaveLength(1);
    const d = (await ok(DOSSIER, { id: reviewing }, { role: 'ENTERPRISE', creditCode: OTHER })).archivedDossier;
    expect(d.verified).toBe(true);
    expect(d.json.steps.map((s: any) => s.action)).toEqual(['submit', 'accept', 'approve', 'audit', 'hold', 'release', 'pay']);
    expect(d.json.steps.find((s: any) => s.action === 'release').details.reason).toBe('处罚已整改到位，经核实同意拨付');
    expect(d.json.jointAudit).toMatchObject({ verdict: 'HOLD', findings: expect.arrayContaining([expect.objectContaining({ effect: 'HOLD' })]) });
    expect(d.json.payment).toMatchObject({ orderId: order, bankReference: 'SIM-20261008-000003' });
  }, 90_000);
});
