import { randomUUID } from 'node:crypto';
import { auditSubgraph } from '../../subgraphs/audit';
import { AuditCheckpoint, AuditEntry, AuditEntryEnterprise } from '../../subgraphs/audit/audit-entry.entity';
import { appendAuditEvent, checkpointNow, entryHash, verifyChain, type AuditedEvent } from '../../subgraphs/audit/chain';
import { auditSigner, createAuditSigner } from '../../subgraphs/audit/signing-key';
import { generateKeyPairSync } from 'node:crypto';
import { describeDb, openTestDatabase, testDriver, type TestDatabase } from '../support/db';

const ENTERPRISE = '91360732MA00000012';

function mutationEvent(over: Partial<AuditedEvent> = {}, payload: Record<string, unknown> = {}): AuditedEvent {
  return {
    id: randomUUID(),
    family: 'audit',
    type: 'audit.mutation',
    source: 'enterprises',
    occurredAt: new Date().toISOString(),
    requestId: 'req-1',
    traceId: 'trace-1',
    payload: {
      actor: { subject: 'samr-1', role: 'DEPARTMENT_SYSTEM', region: '360732', department: '360732-SAMR' },
      action: 'registerEnterprise',
      subgraph: 'enterprises',
      ownerDepartment: 'SAMR',
      entity: 'Enterprise',
      entityId: ENTERPRISE,
      operation: 'CREATE',
      enterprise: ENTERPRISE,
      region: '360732',
      before: null,
      after: { name: '兴国测试有限公司', legalRepresentativeIdNumber: '3607**********1234' },
      ...payload,
    },
    ...over,
  };
}

const accessEvent = (enterprises: string[]): AuditedEvent => ({
  id: randomUUID(),
  family: 'access',
  type: 'access.read',
  source: 'tax',
  occurredAt: new Date().toISOString(),
  payload: {
    actor: { subject: 'clerk-1', role: 'WINDOW_CLERK', region: '360732' },
    purpose: '案件 2026-001',
    subgraph: 'tax',
    ownerDepartment: 'TAX',
    what: 'Enterprise.tax',
    enterprises,
    unmasked: [],
  },
});

describeDb(`audit chain (${testDriver})`, () => {
  let db: TestDatabase;
  const signer = auditSigner();
  const append = (event: AuditedEvent, checkpointEvery = 1000, checkpointMaxAgeMs = Infinity, now?: Date) =>
    db.orm.em.fork().transactional((em) => appendAuditEvent(em, event, { checkpointEvery, checkpointMaxAgeMs, signer, now }));
  const execute = (sql: string) => db.orm.em.getConnection().execute(testDriver === 'postgresql' ? sql.replace(/\b(audit_\w+)/g, '"audit".$1') : sql);
  const verify = (range: { from?: number; to?: number } = {}) => verifyChain(db.orm.em.fork(), range, signer);

  beforeEach(async () => {
    db = await openTestDatabase(auditSubgraph);
  });
  afterEach(() => db.close());

  test('entries link up from the genesis hash; the chain verifies and so do ranges of it', async () => {
    for (let i = 0; i < 5; i++) await append(mutationEvent());
    await append(accessEvent([ENTERPRISE, '91360732MA0000002X']));
    const entries = await db.orm.em.fork().find(AuditEntry, {}, { orderBy: { seq: 'asc' } });
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(entries[0].prevHash).toBe('0'.repeat(64));
    for (let i = 1; i < entries.length; i++) expect(entries[i].prevHash).toBe(entries[i - 1].hash);
    expect(entries[5]).toMatchObject({ kind: 'ACCESS', action: 'Enterprise.tax', purpose: '案件 2026-001', ownerDepartment: 'TAX', regionCode: '360732' });
    expect(await verify()).toEqual({ ok: true, checkedEntries: 6, firstBrokenSeq: null, problem: null, lastCheckpointSeq: null, lastCheckpointVerified: null });
    expect(await verify({ from: 3, to: 4 })).toMatchObject({ ok: true, checkedEntries: 2 });
    // The enterprise index: one row per (enterprise, entry).
    expect(await db.orm.em.fork().count(AuditEntryEnterprise, { creditCode: ENTERPRISE })).toBe(6);
  });

  test('an event delivered twice is stored once', async () => {
    const event = mutationEvent();
    expect(await append(event)).not.toBeNull();
    expect(await append(event)).toBeNull();
    expect(await db.orm.em.fork().count(AuditEntry, {})).toBe(1);
  });

  test('the same event delivered twice at once is stored once', async () => {
    const event = mutationEvent();
    const results = await Promise.all([append(event), append(event), append(event)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await db.orm.em.fork().count(AuditEntry, {})).toBe(1);
  });

  test('a row changed directly in the database is found, with its seq', async () => {
    for (let i = 0; i < 6; i++) await append(mutationEvent());
    await execute(`update audit_entry set actor_subject = 'someone-else' where seq = 4`);
    const report = await verify();
    expect(report).toMatchObject({ ok: false, firstBrokenSeq: 4, checkedEntries: 3 });
    expect(report.problem).toContain('第 4 条');
    // A row rewritten with a recomputed hash breaks the next link instead.
    expect(await verify({ from: 5 })).toMatchObject({ ok: true });
  });

  test('a deleted row in the middle breaks the chain at its seq', async () => {
    for (let i = 0; i < 5; i++) await append(mutationEvent());
    await execute(`delete from audit_entry where seq = 3`);
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: 3 });
  });

  test('every N entries a signed checkpoint; a truncated tail is found through it', async () => {
    for (let i = 0; i < 7; i++) await append(mutationEvent(), 3);
    const checkpoints = await db.orm.em.fork().find(AuditCheckpoint, {}, { orderBy: { seq: 'asc' } });
    expect(checkpoints.map((c) => c.seq)).toEqual([3, 6]);
    expect(await verify()).toMatchObject({ ok: true, lastCheckpointSeq: 6, lastCheckpointVerified: true });
    // Deleting the last rows leaves a chain that links up: only the checkpoint tells.
    await execute(`delete from audit_entry where seq >= 5`);
    const report = await verify();
    expect(report).toMatchObject({ ok: false, firstBrokenSeq: 5, lastCheckpointSeq: 6, lastCheckpointVerified: false });
    expect(report.problem).toContain('截断');
  });

  test('a signature at most the maximum age after the last: at low volume every entry is sealed soon', async () => {
    const t = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 9, minutes));
    await append(mutationEvent(), 100, 5 * 60_000, t(0)); // no checkpoint yet: sealed at once
    await append(mutationEvent(), 100, 5 * 60_000, t(1));
    await append(mutationEvent(), 100, 5 * 60_000, t(2));
    await append(mutationEvent(), 100, 5 * 60_000, t(6)); // 6 minutes after the last signature
    const checkpoints = await db.orm.em.fork().find(AuditCheckpoint, {}, { orderBy: { seq: 'asc' } });
    expect(checkpoints.map((c) => c.seq)).toEqual([1, 4]);
    expect(await verify()).toMatchObject({ ok: true, lastCheckpointSeq: 4, lastCheckpointVerified: true });
  });

  test('a chain rewritten from a row on, every hash recomputed, links up: the signed checkpoint does not', async () => {
    for (let i = 0; i < 5; i++) await append(mutationEvent());
    await checkpointNow(db.orm.em.fork(), signer); // seals seq 5
    // Whoever can write the database but not sign: change entry 3, recompute 3..5 so they link.
    const em = db.orm.em.fork();
    const rows = await em.find(AuditEntry, { seq: { $gte: 3 } }, { orderBy: { seq: 'asc' } });
    let prev = (await em.findOneOrFail(AuditEntry, { seq: 2 })).hash;
    for (const row of rows) {
      if (row.seq === 3) row.actorSubject = 'someone-else';
      row.prevHash = prev;
      row.hash = entryHash(prev, row);
      prev = row.hash;
      await execute(`update audit_entry set actor_subject = '${row.actorSubject}', prev_hash = '${row.prevHash}', hash = '${row.hash}' where seq = ${row.seq}`);
    }
    const report = await verify();
    expect(report).toMatchObject({ ok: false, checkedEntries: 5, lastCheckpointSeq: 5, lastCheckpointVerified: false, firstBrokenSeq: 5 });
    expect(report.problem).toContain('签名检查点不符');
  });

  test('a rewritten tail (hashes recomputed) is found by the checkpoint hash and signature', async () => {
    for (let i = 0; i < 4; i++) await append(mutationEvent());
    const checkpoint = await checkpointNow(db.orm.em.fork(), signer);
    expect(checkpoint?.seq).toBe(4);
    // The checkpoint's hash changed to match a rewritten tail: the signature no longer holds.
    await execute(`update audit_checkpoint set hash = '${'f'.repeat(64)}' where seq = 4`);
    expect(await verify()).toMatchObject({ ok: false, lastCheckpointVerified: false, firstBrokenSeq: 4 });
    // A checkpoint signed by a key that is not the platform's is not trusted.
    const forger = createAuditSigner(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    await execute(`delete from audit_checkpoint`);
    await checkpointNow(db.orm.em.fork(), forger);
    const report = await verify();
    expect(report).toMatchObject({ ok: false, lastCheckpointVerified: false });
    expect(report.problem).toContain('密钥');
  });

  test('concurrent appends keep one chain: no seq twice, every link holds', async () => {
    await Promise.all(Array.from({ length: 20 }, () => append(mutationEvent())));
    const entries = await db.orm.em.fork().find(AuditEntry, {}, { orderBy: { seq: 'asc' } });
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await verify()).toMatchObject({ ok: true, checkedEntries: 20 });
  });
});
