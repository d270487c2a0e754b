import { randomUUID } from 'node:crypto';
import { auditSubgraph } from '../../subgraphs/audit';
import { AuditCheckpoint } from '../../subgraphs/audit/audit-entry.entity';
import { appendAuditEvent, verifyChain } from '../../subgraphs/audit/chain';
import { auditSigner } from '../../subgraphs/audit/signing-key';
import { startJobs, type JobsRuntime } from '../../subgraphs/kit/jobs';
import type { Services } from '../../subgraphs/kit/services';
import type { Config } from '../../platform/config';
import { testConfig } from '../support/graph';
import { createLogger } from '../../platform/logger';
import { describeDb, openTestDatabase, testDriver, type TestDatabase } from '../support/db';
import { eventually } from '../support/events';

/** The kit's periodic jobs, on the one that matters today: the audit store signs a quiet tail. */
describeDb(`periodic jobs: the audit chain head is signed on a timer (${testDriver})`, () => {
  let db: TestDatabase;
  let jobs: JobsRuntime | undefined;
  beforeAll(async () => {
    db = await openTestDatabase(auditSubgraph);
  });
  afterAll(async () => {
    await jobs?.stop();
    await db?.close();
  });

  // Appends that never sign by themselves (no count or age is ever due): only the job signs.
  const append = (n: number) =>
    db.orm.em.fork().transactional(async (em) => {
      for (let i = 0; i < n; i++) {
        await appendAuditEvent(
          em,
          {
            id: randomUUID(),
            family: 'access',
            type: 'access.read',
            source: 'tax',
            occurredAt: new Date().toISOString(),
            payload: { actor: { role: 'AUDITOR' }, subgraph: 'tax', what: 'Enterprise.tax', enterprises: ['91360732MA00000012'], unmasked: [] },
          },
          { checkpointEvery: 1_000_000, checkpointMaxAgeMs: Infinity, signer: auditSigner() },
        );
      }
    });
  const checkpoints = () => db.orm.em.fork().find(AuditCheckpoint, {}, { orderBy: { seq: 'asc' } });

  test('a head that moved is signed within an interval; an unchanged head is not signed again', async () => {
    expect(auditSubgraph.jobs?.map((j) => j.name)).toEqual(['checkpoint']);
    const fast = { ...auditSubgraph, jobs: auditSubgraph.jobs!.map((job) => ({ ...job, everyMs: 30 })) };
    jobs = startJobs([{ definition: fast, orm: db.orm }], createLogger('silent'));

    await append(3);
    expect((await eventually(checkpoints, (list) => list.length === 1))[0].seq).toBe(3);
    // Several more intervals with nothing new: still one checkpoint.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await checkpoints()).toHaveLength(1);

    await append(2);
    expect((await eventually(checkpoints, (list) => list.length === 2))[1].seq).toBe(5);
    const report = await verifyChain(db.orm.em.fork(), {});
    expect(report).toMatchObject({ ok: true, lastCheckpointSeq: 5, lastCheckpointVerified: true });
  });

  test('stop waits for a run in flight and schedules nothing after', async () => {
    await jobs!.stop();
    await append(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await checkpoints()).map((c) => c.seq)).toEqual([3, 5]);
  });

  test('a failing job is logged and runs again at its next interval', async () => {
    let runs = 0;
    const lines: string[] = [];
    const log = createLogger('error', { service: 'test' }, (line) => void lines.push(line));
    const flaky = {
      ...auditSubgraph,
      jobs: [{ name: 'flaky', everyMs: 20, run: async () => { runs += 1; if (runs === 1) throw new Error('database busy'); } }],
    };
    const runtime = startJobs([{ definition: flaky, orm: db.orm }], log);
    await eventually(() => runs, (n) => n >= 3);
    await runtime.stop();
    expect(runs).toBeGreaterThanOrEqual(3);
    expect(lines.filter((l) => l.includes('job failed'))).toHaveLength(1);
    expect(lines[0]).toContain('"job":"flaky"');
  });

  test('a job reads its interval from the config and gets the services (graph client, clock)', async () => {
    const seen: string[] = [];
    const signals: AbortSignal[] = [];
    const services = { now: () => new Date('2026-11-26T00:00:00Z') };
    const configured = {
      ...auditSubgraph,
      jobs: [{ name: 'configured', everyMs: (config: Config) => config.push.rescreenIntervalMs / 3600, run: async (_em: unknown, _log: unknown, given: Services) => {
      seen.push(given.now!().toISOString());
      signals.push(given.signal!);
    } }],
    };
    const config = testConfig({ PUSH_RESCREEN_INTERVAL: '90' }); // 90 s / 3600 = 25 ms
    const runtime = startJobs([{ definition: configured, orm: db.orm }], createLogger('silent'), { services, config });
    await eventually(() => seen.length, (n) => n >= 2);
    await runtime.stop();
    expect(seen[0]).toBe('2026-11-26T00:00:00.000Z');
    expect(signals.every((s) => s.aborted)).toBe(true); // stop() aborts the runs' signal
    expect(() => startJobs([{ definition: configured, orm: db.orm }], createLogger('silent'))).toThrow(/needs the config/);
  });
});
