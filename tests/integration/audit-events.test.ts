import { creditCodeCheckChar } from '../../platform/credit-code';
import { OutboxEvent } from '../../subgraphs/kit/events/entities';
import type { AccessReadPayload, AuditMutationPayload } from '../../subgraphs/kit/events/types';
import { residentIdCheckChar } from '../../subgraphs/kit/resident-id';
import { connect } from 'nats';
import { streamName } from '../../subgraphs/kit/events/nats';
import { describeDb, testDriver } from '../support/db';
import { deleteStreams, eventually, testEventsConfig } from '../support/events';
import { startTestGraph, type TestGraph } from '../support/graph';

/** Audit events for mutations and access events for reads, through the whole graph (CONTRACT §2). */
describeDb(`audit and access events (${testDriver})`, () => {
  let graph: TestGraph;
  beforeAll(async () => {
    graph = await startTestGraph();
  });
  afterAll(() => graph?.stop());

  const outbox = (family: string) =>
    graph.subgraphs.enterprises.db.orm.em.fork().find(OutboxEvent, { family }, { orderBy: { seq: 'asc' } });

  describe('every mutation emits an audit event in its own transaction', () => {
    const input = {
      creditCode: '91360732MA35G8KY2' + creditCodeCheckChar('91360732MA35G8KY2'),
      name: '兴国县审计事件测试有限公司',
      legalRepresentative: '李小红',
      legalRepresentativeIdNumber: '36073219880307002' + residentIdCheckChar('36073219880307002'),
      registeredOn: '2024-05-06',
      regionCode: '360732',
      industryCode: 'I65',
      scale: 'SMALL',
      tags: ['TECH_SME'],
      address: '江西省赣州市兴国县潋江镇将军大道2号',
      bankName: '江西兴国农村商业银行营业部',
      bankAccount: '6228480087654321',
    };
    const mutation = `mutation($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { creditCode } }`;

    test('demo seeds emit nothing: they are no mutation', async () => {
      expect(await outbox('audit')).toEqual([]);
    });

    test('registerEnterprise: one audit.mutation event with actor, action, request id and masked sensitive fields', async () => {
      const samr = await graph.token({ role: 'DEPARTMENT_SYSTEM', department: '360732-SAMR', region: '360732' });
      const created = await graph.query(mutation, { input }, samr, { 'x-request-id': 'audit-event-test-1' });
      expect(created.body.errors).toBeUndefined();
      const events = await outbox('audit');
      expect(events).toHaveLength(1);
      const [event] = events;
      expect(event).toMatchObject({ type: 'audit.mutation', source: 'enterprises', requestId: 'audit-event-test-1' });
      const payload = event.payload as unknown as AuditMutationPayload;
      expect(payload).toMatchObject({
        actor: { role: 'DEPARTMENT_SYSTEM', department: '360732-SAMR', region: '360732' },
        action: 'registerEnterprise',
        subgraph: 'enterprises',
        ownerDepartment: 'SAMR',
        entity: 'Enterprise',
        entityId: input.creditCode,
        operation: 'CREATE',
        enterprise: input.creditCode,
        region: '360732',
        before: null,
      });
      expect(payload.after).toMatchObject({
        creditCode: input.creditCode,
        name: input.name,
        legalRepresentative: '李*红',
        legalRepresentativeIdNumber: `${input.legalRepresentativeIdNumber.slice(0, 6)}********${input.legalRepresentativeIdNumber.slice(-4)}`,
        bankAccount: '6228********4321',
      });
      // The clear values appear nowhere in the event.
      const text = JSON.stringify(event.payload);
      expect(text).not.toContain(input.legalRepresentativeIdNumber);
      expect(text).not.toContain(input.bankAccount);
    });

    test("the subgraph's /metrics shows the outbox", async () => {
      const text = await (await fetch(new URL('/metrics', graph.subgraphs.enterprises.http.url))).text();
      expect(text).toMatch(/^qinqing_events_outbox_pending\{service="enterprises"\} \d+$/m);
    });

    test('a failed mutation emits nothing: refused, invalid or already existing', async () => {
      const before = (await outbox('audit')).length;
      const samr = await graph.token({ role: 'DEPARTMENT_SYSTEM', department: '360732-SAMR', region: '360732' });
      const tax = await graph.token({ role: 'DEPARTMENT_SYSTEM', department: '360732-TAX', region: '360732' });
      expect((await graph.query(mutation, { input }, samr)).body.errors[0].extensions.code).toBe('ALREADY_EXISTS');
      expect((await graph.query(mutation, { input: { ...input, creditCode: '91360732MA35G8KT2' + creditCodeCheckChar('91360732MA35G8KT2') } }, tax)).body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect((await graph.query(mutation, { input: { ...input, bankAccount: 'abc' } }, samr)).body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      // The same name under another code.
      const racing = { ...input, creditCode: '91360732MA35G8KW2' + creditCodeCheckChar('91360732MA35G8KW2') };
      expect((await graph.query(mutation, { input: racing }, samr)).body.errors[0].extensions.code).toBe('ALREADY_EXISTS');
      expect((await outbox('audit')).length).toBe(before);
    });
  });

  describe('fields served unmasked to a non-owner are logged as access events', () => {
    let creditCodes: string[];
    beforeAll(async () => {
      const auditor = await graph.token({ role: 'AUDITOR' });
      const { body } = await graph.query('{ enterprises(first: 50, filter: { regionCode: "360732" }) { nodes { creditCode } } }', undefined, auditor);
      creditCodes = body.data.enterprises.nodes.map((n: { creditCode: string }) => n.creditCode);
    });
    const accessEvents = async (requestId: string) => (await outbox('access')).filter((e) => e.requestId === requestId);

    test('the payer reads a bank account and an ID number: logged with the purpose the caller stated', async () => {
      const payer = await graph.token({ role: 'APPROVAL_BUREAU', department: '360732-APPROVAL', region: '360732' });
      const q = `query($c: CreditCode!) { enterprise(creditCode: $c) { bankAccount { accountNumber masked } legalRepresentative { idNumber masked } } }`;
      const { body } = await graph.query(q, { c: creditCodes[0] }, payer, { 'x-request-id': 'access-1', 'x-qinqing-purpose': encodeURIComponent('兑付审核：案件 XG-2026-001') });
      expect(body.data.enterprise.bankAccount.masked).toBe(false);
      const events = await accessEvents('access-1');
      expect(events.map((e) => (e.payload as unknown as AccessReadPayload).what).sort()).toEqual(['Enterprise.bankAccount', 'Enterprise.legalRepresentative']);
      const bank = events.find((e) => (e.payload as unknown as AccessReadPayload).what === 'Enterprise.bankAccount')!;
      expect(bank).toMatchObject({ type: 'access.read', source: 'enterprises' });
      expect(bank.payload).toEqual({
        actor: { role: 'APPROVAL_BUREAU', department: '360732-APPROVAL', region: '360732', subject: expect.any(String) },
        purpose: '兑付审核：案件 XG-2026-001',
        subgraph: 'enterprises',
        ownerDepartment: 'SAMR',
        what: 'Enterprise.bankAccount',
        enterprises: [creditCodes[0]],
        unmasked: ['bankAccount.accountNumber'],
      });
    });

    test('nothing is logged for the enterprise itself, for masked values or when the field is not asked for', async () => {
      const self = await graph.token({ role: 'ENTERPRISE', creditCode: creditCodes[1] });
      const clerk = await graph.token({ role: 'WINDOW_CLERK', region: '360732' });
      const payer = await graph.token({ role: 'APPROVAL_BUREAU', department: '360732-APPROVAL', region: '360732' });
      const q = `query($c: CreditCode!) { enterprise(creditCode: $c) { bankAccount { accountNumber masked } legalRepresentative { idNumber } } }`;
      await graph.query(q, { c: creditCodes[1] }, self, { 'x-request-id': 'access-self' });
      expect(await accessEvents('access-self')).toEqual([]);
      // The clerk sees the ID number (logged) but only a masked account (not logged).
      const read = await graph.query(q, { c: creditCodes[1] }, clerk, { 'x-request-id': 'access-clerk' });
      expect(read.body.errors).toBeUndefined();
      expect((await accessEvents('access-clerk')).map((e) => (e.payload as unknown as AccessReadPayload).what)).toEqual(['Enterprise.legalRepresentative']);
      await graph.query(`query($c: CreditCode!) { enterprise(creditCode: $c) { bankAccount { bankName } } }`, { c: creditCodes[1] }, payer, { 'x-request-id': 'access-bankname' });
      expect(await accessEvents('access-bankname')).toEqual([]);
    });

    test('a list is one event per field with the enterprises batched, in a constant number of statements', async () => {
      const payer = await graph.token({ role: 'APPROVAL_BUREAU', department: '360732-APPROVAL', region: '360732' });
      const statements = graph.subgraphs.enterprises.db.statements;
      const writes = async (first: number, requestId: string) => {
        const from = statements.length;
        const { body } = await graph.query(`{ enterprises(first: ${first}, filter: { regionCode: "360732" }) { nodes { bankAccount { accountNumber } } } }`, undefined, payer, { 'x-request-id': requestId });
        expect(body.errors).toBeUndefined();
        return statements.slice(from).filter((s) => /kit_outbox/.test(s)).length;
      };
      const few = await writes(5, 'access-list-5');
      const many = await writes(50, 'access-list-50');
      expect(many).toBe(few);
      const [event] = await accessEvents('access-list-50');
      expect((event.payload as unknown as AccessReadPayload).enterprises).toEqual([...creditCodes].sort());
    });

    test('the gateway refuses a purpose that is too long or holds control characters', async () => {
      const payer = await graph.token({ role: 'APPROVAL_BUREAU', department: '360732-APPROVAL', region: '360732' });
      for (const purpose of [encodeURIComponent('案'.repeat(201)), encodeURIComponent('a\u0001b'), 'a\tb', '100%']) {
        const { status, body } = await graph.query('{ regions { code } }', undefined, payer, { 'x-qinqing-purpose': purpose });
        expect(status).toBe(400);
        expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
        expect(body.errors[0].message).toContain('x-qinqing-purpose');
      }
    });
  });
});

describeDb(`the test graph over NATS JetStream (${testDriver})`, () => {
  let graph: TestGraph;
  const events = testEventsConfig('nats');
  beforeAll(async () => {
    graph = await startTestGraph({ env: { NATS_URL: events.natsUrl!, NATS_STREAM_PREFIX: events.streamPrefix, EVENTS_POLL_MS: '50' } });
  });
  afterAll(async () => {
    await graph?.stop();
    await deleteStreams(events.streamPrefix);
  });

  test("a mutation's audit event is published to the family's stream and marked published", async () => {
    expect(graph.events.transport).toBe('nats');
    const samr = await graph.token({ role: 'DEPARTMENT_SYSTEM', department: '360732-SAMR', region: '360732' });
    const creditCode = '91360732MA35G8KU2' + creditCodeCheckChar('91360732MA35G8KU2');
    const input = {
      creditCode,
      name: '兴国县消息总线测试有限公司',
      legalRepresentative: '王五',
      legalRepresentativeIdNumber: '36073219880307003' + residentIdCheckChar('36073219880307003'),
      registeredOn: '2024-05-06',
      regionCode: '360732',
      industryCode: 'I65',
      scale: 'SMALL',
      address: '江西省赣州市兴国县潋江镇将军大道3号',
      bankName: '江西兴国农村商业银行营业部',
      bankAccount: '6228480011112222',
    };
    const { body } = await graph.query(`mutation($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { creditCode } }`, { input }, samr);
    expect(body.errors).toBeUndefined();
    const em = () => graph.subgraphs.enterprises.db.orm.em.fork();
    const [row] = await eventually(() => em().find(OutboxEvent, { family: 'audit', publishedAt: { $ne: null } }), (rows) => rows.length === 1);
    expect((row.payload as unknown as AuditMutationPayload).entityId).toBe(creditCode);
    const nc = await connect({ servers: events.natsUrl });
    try {
      const stream = await (await nc.jetstreamManager()).streams.info(streamName(events.streamPrefix, 'audit'));
      expect(stream.state.messages).toBe(1);
      const message = await (await nc.jetstreamManager()).streams.getMessage(streamName(events.streamPrefix, 'audit'), { seq: 1 });
      expect(message.subject).toBe(`${events.streamPrefix}.audit.audit.mutation`);
      expect(message.header.get('Nats-Msg-Id')).toBe(row.id);
      expect(JSON.parse(message.string())).toMatchObject({ id: row.id, type: 'audit.mutation', source: 'enterprises' });
    } finally {
      await nc.close();
    }
  });
});
