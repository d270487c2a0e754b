import { makeCreditCode } from '../../platform/credit-code';
import { AuditEntry } from '../../subgraphs/audit/audit-entry.entity';
import { RelayCursor } from '../../subgraphs/kit/events/entities';
import { residentIdCheckChar } from '../../subgraphs/kit/resident-id';
import { describeDb, testDriver } from '../support/db';
import { deleteStreams, eventually, NATS_TEST_URL } from '../support/events';
import { startTestGraph, type TestGraph } from '../support/graph';

/**
 * End to end: mutations and reads through the gateway land in the audit subgraph's chain by the
 * kit's relays, once each, also across an outage of the audit store — on both transports.
 */
describeDb.each(['in-process', 'nats'] as const)(`the audit trail end to end, %s (${testDriver})`, (transport) => {
  let graph: TestGraph;
  let serial = 0;
  const prefix = `TA${Date.now().toString(36).toUpperCase()}${transport === 'nats' ? 'N' : 'I'}`;
  const registration = () => {
    serial++;
    const id17 = `36073219900101${String(100 + serial).slice(-3)}`;
    return {
      creditCode: makeCreditCode({ authority: '9', entityType: '1', regionCode: '360732', orgBody8: `AT${String(serial).padStart(6, '0')}` }),
      name: `兴国县审计链测试第${serial}号有限公司`,
      legalRepresentative: '王五',
      legalRepresentativeIdNumber: id17 + residentIdCheckChar(id17),
      registeredOn: '2023-03-04',
      regionCode: '360732',
      industryCode: 'I65',
      scale: 'MICRO',
      address: '江西省赣州市兴国县潋江镇审计路1号',
      bankName: '江西兴国农村商业银行',
      bankAccount: '6228480000001234',
    };
  };
  const REGISTER = 'mutation($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { creditCode } }';
  const entries = (where: object = {}) => graph.subgraphs.audit.db.orm.em.fork().find(AuditEntry, where, { orderBy: { seq: 'asc' } });
  const deliver = async (events: TestGraph['events']) => {
    // In-process: deliver now instead of waiting for a poll; NATS: publish now, consumers pull.
    await events.runOnce();
  };

  beforeAll(async () => {
    graph = await startTestGraph({
      demo: false,
      env: { EVENTS_POLL_MS: '50', EVENTS_RETRY_BASE_MS: '20', NATS_STREAM_PREFIX: prefix, ...(transport === 'nats' ? { NATS_URL: NATS_TEST_URL } : {}) },
    });
  });
  afterAll(async () => {
    await graph?.stop();
    if (transport === 'nats') await deleteStreams(prefix);
  });

  test('registerEnterprise through the gateway becomes an audit entry; an unmasked read an access entry', async () => {
    expect(graph.events.transport).toBe(transport);
    const samr = await graph.token({ role: 'DEPARTMENT_SYSTEM', department: '360732-SAMR', region: '360732' });
    const input = registration();
    const created = await graph.query(REGISTER, { input }, samr, { 'x-request-id': `audit-trail-${transport}` });
    expect(created.body.errors).toBeUndefined();
    await deliver(graph.events);
    const [entry] = await eventually(() => entries({ action: 'registerEnterprise', entityId: input.creditCode }), (e) => e.length === 1);
    expect(entry).toMatchObject({
      kind: 'MUTATION',
      source: 'enterprises',
      ownerDepartment: 'SAMR',
      actorDepartment: '360732-SAMR',
      actorRole: 'DEPARTMENT_SYSTEM',
      entity: 'Enterprise',
      operation: 'CREATE',
      enterprises: [input.creditCode],
      regionCode: '360732',
      requestId: `audit-trail-${transport}`,
    });
    // Masked at the source: the clear ID number is nowhere in the log.
    expect(JSON.stringify(entry.after)).not.toContain(input.legalRepresentativeIdNumber);

    const approval = await graph.token({ role: 'APPROVAL_BUREAU', region: '360732' });
    const read = await graph.query('query($cc: CreditCode!) { enterprise(creditCode: $cc) { bankAccount { accountNumber masked } } }', { cc: input.creditCode }, approval, {
      'x-qinqing-purpose': encodeURIComponent('兑现案件 2026-042'),
    });
    expect(read.body.data.enterprise.bankAccount.masked).toBe(false);
    await deliver(graph.events);
    const [access] = await eventually(() => entries({ kind: 'ACCESS', action: 'Enterprise.bankAccount' }), (e) => e.length === 1);
    expect(access).toMatchObject({ actorRole: 'APPROVAL_BUREAU', enterprises: [input.creditCode], unmasked: ['bankAccount.accountNumber'], purpose: '兑现案件 2026-042' });

    // And the auditor sees both through the graph, the chain intact.
    const auditor = await graph.token({ role: 'AUDITOR' });
    const { body } = await graph.query('query($cc: CreditCode!) { auditEvents(filter: { enterprise: $cc }) { nodes { kind action } } verifyAuditChain { ok } }', { cc: input.creditCode }, auditor);
    expect(body.data.auditEvents.nodes).toEqual([
      { kind: 'MUTATION', action: 'registerEnterprise' },
      { kind: 'ACCESS', action: 'Enterprise.bankAccount' },
    ]);
    expect(body.data.verifyAuditChain.ok).toBe(true);
  });

  test('with the audit store down nothing is lost: the events arrive once it is back, none twice', async () => {
    const samr = await graph.token({ role: 'DEPARTMENT_SYSTEM', department: '360732-SAMR', region: '360732' });
    const stored = (await entries()).length;
    await graph.stopEvents();
    const inputs = [registration(), registration(), registration()];
    for (const input of inputs) expect((await graph.query(REGISTER, { input }, samr)).body.errors).toBeUndefined();
    // Down: the mutations succeeded, their events wait in the enterprises outbox.
    expect((await entries()).length).toBe(stored);

    await graph.startEvents();
    await deliver(graph.events);
    const codes = inputs.map((i) => i.creditCode);
    await eventually(() => entries({ action: 'registerEnterprise', entityId: { $in: codes } }), (e) => e.length === 3);
    if (transport === 'in-process') {
      // As if the relay lost its progress: everything is delivered again, and skipped.
      await graph.stopEvents();
      await graph.subgraphs.enterprises.db.orm.em.fork().nativeUpdate(RelayCursor, { consumer: 'audit-store' }, { position: 0 });
      await graph.startEvents();
      await deliver(graph.events);
      await deliver(graph.events);
    }
    const all = await entries();
    expect(all.filter((e) => e.action === 'registerEnterprise' && codes.includes(e.entityId!))).toHaveLength(3);
    expect(new Set(all.map((e) => e.eventId)).size).toBe(all.length);
    const auditor = await graph.token({ role: 'AUDITOR' });
    expect((await graph.query('{ verifyAuditChain { ok checkedEntries } }', {}, auditor)).body.data.verifyAuditChain).toEqual({ ok: true, checkedEntries: all.length });
  });
});
