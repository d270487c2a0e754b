import type { Config } from '../../platform/config';
import { createLogger } from '../../platform/logger';
import { auditSubgraph } from '../../subgraphs/audit';
import { AuditEntry } from '../../subgraphs/audit/audit-entry.entity';
import { startEvents, type EventsRuntime } from '../../subgraphs/kit/events';
import { startJobs } from '../../subgraphs/kit/jobs';
import { policiesSubgraph } from '../../subgraphs/policies';
import { EXPIRY_SUBJECT, expirePolicies, policyExpiryJob } from '../../subgraphs/policies/expiry';
import { Policy, PolicyVersion } from '../../subgraphs/policies/policy.entity';
import { describeDb, openTestDatabase, testDriver, type TestDatabase } from '../support/db';
import { eventually, testEventsConfig } from '../support/events';

/**
 * The policies subgraph's `expire` job over the demo catalog: a policy whose application window
 * ended before today (Asia/Shanghai) expires through the `expirePolicy` step, once, with an audit
 * entry naming the system actor in the audit store (the kit's relay delivers it).
 */
describeDb(`policies expire when their application window has ended (${testDriver})`, () => {
  let policies: TestDatabase;
  let audit: TestDatabase;
  let events: EventsRuntime;
  const silent = createLogger('silent');

  // The last day of the window is 2026-03-31 in China: UTC+8, so it ends at 16:00 UTC.
  const LAST_DAY_EVENING = new Date('2026-03-31T15:59:59Z');
  const DAY_AFTER = new Date('2026-03-31T16:00:00Z');
  const REASON = '申报期已于 2026-03-31 结束，系统自动到期';

  const setWindow = (policyId: string, windowEnd: string | null) =>
    policies.orm.em.fork().nativeUpdate(PolicyVersion, { id: `${policyId}@1` }, { windowEnd });
  const setStatus = (policyId: string, status: Policy['status'], statusReason: string | null = null) =>
    policies.orm.em.fork().nativeUpdate(Policy, { id: policyId }, { status, statusReason });
  const policy = (id: string) => policies.orm.em.fork().findOneOrFail(Policy, { id });
  const entries = (where: object = {}) => audit.orm.em.fork().find(AuditEntry, { action: 'expirePolicy', ...where }, { orderBy: { seq: 'asc' } });

  beforeAll(async () => {
    policies = await openTestDatabase(policiesSubgraph, { demo: true });
    audit = await openTestDatabase(auditSubgraph);
    events = await startEvents(
      [
        { definition: policiesSubgraph, orm: policies.orm },
        { definition: auditSubgraph, orm: audit.orm },
      ],
      testEventsConfig('in-process'),
      silent,
    );
    // 001 published and 002 suspended, both ending 2026-03-31; 003 without an end (all year);
    // 004 expired by hand already. Every other demo policy ends 2026-12-31.
    await setWindow('XG-2026-001', '2026-03-31');
    await setWindow('XG-2026-002', '2026-03-31');
    await setStatus('XG-2026-002', 'SUSPENDED', '资金额度已用完');
    await setWindow('XG-2026-003', null);
    await setWindow('XG-2026-004', '2026-03-31');
    await setStatus('XG-2026-004', 'EXPIRED', '主管部门提前终止');
  }, 120_000);
  afterAll(async () => {
    await events?.stop();
    await policies?.close();
    await audit?.close();
  });

  test('before the window ends and on its last day (in China) nothing expires', async () => {
    expect(await expirePolicies(policies.orm.em.fork(), new Date('2026-02-01T00:00:00Z'))).toEqual([]);
    expect(await expirePolicies(policies.orm.em.fork(), LAST_DAY_EVENING)).toEqual([]);
    expect((await policy('XG-2026-001')).status).toBe('PUBLISHED');
    expect((await policy('XG-2026-002')).status).toBe('SUSPENDED');
  });

  test('the day after: published and suspended policies expire with the reason; no end date and already expired are left alone', async () => {
    const before = await policy('XG-2026-004');
    expect(await expirePolicies(policies.orm.em.fork(), DAY_AFTER)).toEqual(['XG-2026-001', 'XG-2026-002']);
    expect(await policy('XG-2026-001')).toMatchObject({ status: 'EXPIRED', statusReason: REASON });
    expect(await policy('XG-2026-002')).toMatchObject({ status: 'EXPIRED', statusReason: REASON });
    expect((await policy('XG-2026-003')).status).toBe('PUBLISHED');
    expect(await policy('XG-2026-004')).toMatchObject({ status: 'EXPIRED', statusReason: '主管部门提前终止', updatedAt: before.updatedAt });
  });

  test('idempotent: run again, and twice at once, nothing is written twice', async () => {
    expect(await expirePolicies(policies.orm.em.fork(), DAY_AFTER)).toEqual([]);
    await setWindow('XG-2026-003', '2026-03-31');
    await setStatus('XG-2026-003', 'PUBLISHED');
    const [a, b] = await Promise.all([expirePolicies(policies.orm.em.fork(), DAY_AFTER), expirePolicies(policies.orm.em.fork(), DAY_AFTER)]);
    expect([...a, ...b]).toEqual(['XG-2026-003']);
  });

  test('audited: one entry per expired policy in the audit store, the system actor acting for the owning department', async () => {
    await events.runOnce();
    const stored = await eventually(() => entries({ entityId: { $in: ['XG-2026-001', 'XG-2026-002', 'XG-2026-003'] } }), (list) => list.length >= 3);
    expect(stored.map((e) => e.entityId).sort()).toEqual(['XG-2026-001', 'XG-2026-002', 'XG-2026-003']);
    const [entry] = stored.filter((e) => e.entityId === 'XG-2026-001');
    expect(entry).toMatchObject({
      kind: 'MUTATION',
      source: 'policies',
      entity: 'Policy',
      operation: 'UPDATE',
      actorSubject: EXPIRY_SUBJECT,
      actorRole: 'DEPARTMENT_SYSTEM',
      actorDepartment: '360732-MIIT',
      regionCode: '360732',
      ownerDepartment: 'NDRC',
    });
    expect(entry.before).toMatchObject({ status: 'PUBLISHED', statusReason: null });
    expect(entry.after).toMatchObject({ status: 'EXPIRED', statusReason: REASON });
    expect((await entries({ entityId: 'XG-2026-004' })).length).toBe(0);
  });

  test('the job runs by itself on its interval from the config, with the clock it is given', async () => {
    await setWindow('XG-2026-006', '2026-03-31');
    const definition = { ...policiesSubgraph, jobs: [policyExpiryJob(() => DAY_AFTER)] };
    expect(policiesSubgraph.jobs?.map((j) => j.name)).toContain('expire');
    const jobs = startJobs([{ definition, orm: policies.orm }], silent, { config: { policyExpiryIntervalMs: 30 } as Config });
    try {
      await eventually(() => policy('XG-2026-006'), (p) => p.status === 'EXPIRED', 10_000);
    } finally {
      await jobs.stop();
    }
    expect((await policy('XG-2026-006')).statusReason).toBe(REASON);
  });

  test('a window without an end never expires, however late', async () => {
    await setWindow('XG-2026-008', null);
    const late = await expirePolicies(policies.orm.em.fork(), new Date('2030-01-01T00:00:00Z'));
    expect(late).not.toContain('XG-2026-008');
    expect(late).toContain('XG-2026-009');
    expect((await policy('XG-2026-008')).status).toBe('PUBLISHED');
  });
});
