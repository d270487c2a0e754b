import { randomUUID } from 'node:crypto';
import { connect } from 'nats';
import { Registry } from 'prom-client';
import { createLogger } from '../../platform/logger';
import { deadLetterStream, streamName } from '../../subgraphs/kit/events/nats';
import { startEvents, type EventsRuntime } from '../../subgraphs/kit/events';
import { DeadLetter, InboxEntry, OutboxEvent, RelayCursor } from '../../subgraphs/kit/events/entities';
import { emit } from '../../subgraphs/kit/events/outbox';
import { runInMutationScope } from '../../subgraphs/kit/audit-trail';
import { handleOnce } from '../../subgraphs/kit/events/inbox';
import type { Consumer, DomainEvent } from '../../subgraphs/kit/events/types';
import { SinkRecord, sinkConsumer, sinkSubgraph } from '../fixtures/events/sink';
import { describeDb, openTestDatabase, testDriver, type TestDatabase } from '../support/db';
import { deleteStreams, eventually, metricValue, NATS_TEST_URL, testEventsConfig } from '../support/events';

/** Emits `count` events numbered from `from` on the producer, in flushes of 10. */
async function emitMany(db: TestDatabase, count: number, from = 0, family = 'test'): Promise<DomainEvent[]> {
  const events: DomainEvent[] = [];
  for (let i = 0; i < count; i += 10) {
    const em = db.orm.em.fork();
    for (let j = i; j < Math.min(count, i + 10); j++) events.push(emit(em, { family, type: 'test.ping', payload: { n: from + j } }));
    await em.flush();
  }
  return events;
}

const sinkRows = (db: TestDatabase, consumer: string) => db.orm.em.fork().find(SinkRecord, { consumer }, { orderBy: { id: 'asc' } });

describeDb(`the outbox (${testDriver})`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(sinkSubgraph('outbox_test'));
  });
  afterAll(() => db?.close());

  test('a change and its event are written in one transaction; a failed one writes neither', async () => {
    const ok = await db.orm.em.fork().transactional(async (em) => {
      em.persist(Object.assign(new SinkRecord(), { consumer: 'direct', eventId: 'x', n: 1 }));
      return emit(em, { family: 'test', type: 'test.ping', payload: { n: 1 }, requestId: 'r-1' });
    });
    await expect(
      db.orm.em.fork().transactional(async (em) => {
        em.persist(Object.assign(new SinkRecord(), { consumer: 'direct', eventId: 'y', n: 2 }));
        emit(em, { family: 'test', type: 'test.ping', payload: { n: 2 } });
        await em.flush();
        throw new Error('the mutation fails after its flush');
      }),
    ).rejects.toThrow('the mutation fails');
    const em = db.orm.em.fork();
    expect((await em.find(SinkRecord, { consumer: 'direct' })).map((r) => r.n)).toEqual([1]);
    const rows = await em.find(OutboxEvent, {}, { orderBy: { seq: 'asc' } });
    expect(rows.map((r) => r.id)).toEqual([ok.id]);
    expect(rows[0]).toMatchObject({ family: 'test', type: 'test.ping', source: 'outbox_test', requestId: 'r-1', payload: { n: 1 } });
  });
});

describeDb(`a consumer's prepare step and services (${testDriver})`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(sinkSubgraph('prepare_test'));
  });
  afterAll(() => db?.close());

  test('prepare runs outside the transaction with the services, hands its result to handle, and is skipped for a handled event', async () => {
    const calls: string[] = [];
    let fail = true;
    const services = { now: () => new Date('2026-11-26T00:00:00Z') };
    const consumer: Consumer<number> = {
      name: 'prepared',
      families: ['test'],
      async prepare(em, event, given) {
        calls.push(`prepare in transaction: ${em.isInTransaction()}, now ${given.now!().toISOString().slice(0, 10)}`);
        if (fail) throw new Error('the graph did not answer');
        return (event.payload as { n: number }).n * 10;
      },
      async handle(em, event, _services, prepared) {
        calls.push(`handle in transaction: ${em.isInTransaction()}, prepared ${prepared}`);
        em.persist(Object.assign(new SinkRecord(), { consumer: 'prepared', eventId: event.id, n: prepared }));
      },
    };
    const event: DomainEvent = { id: randomUUID(), family: 'test', type: 'test.ping', source: 'x', occurredAt: new Date().toISOString(), payload: { n: 7 } };
    // A failing prepare writes nothing, not even the inbox row: the retry prepares again.
    await expect(handleOnce(db.orm, consumer as Consumer<unknown>, event, services)).rejects.toThrow('the graph did not answer');
    expect(await db.orm.em.fork().count(InboxEntry, { consumer: 'prepared' })).toBe(0);
    fail = false;
    expect(await handleOnce(db.orm, consumer as Consumer<unknown>, event, services)).toBe('handled');
    expect(await handleOnce(db.orm, consumer as Consumer<unknown>, event, services)).toBe('skipped');
    expect(calls).toEqual([
      'prepare in transaction: false, now 2026-11-26',
      'prepare in transaction: false, now 2026-11-26',
      'handle in transaction: true, prepared 70',
    ]);
    expect((await sinkRows(db, 'prepared')).map((r) => r.n)).toEqual([70]);
  });
});

describeDb(`audit events from the flush (${testDriver})`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(sinkSubgraph('audit_flush_test'));
  });
  afterAll(() => db?.close());
  const scope = { identity: { role: 'ADMIN' as const, subject: 'admin-1' }, action: 'testMutation', requestId: 'req-a' };
  const record = (n: number) => Object.assign(new SinkRecord(), { consumer: 'audit', eventId: `e-${n}`, n });

  test('a mutation writes one audit event per change in its transaction; a rolled-back one writes none', async () => {
    await runInMutationScope(scope, () => db.orm.em.fork().transactional(async (em) => void em.persist(record(1))));
    await expect(
      runInMutationScope(scope, () =>
        db.orm.em.fork().transactional(async (em) => {
          em.persist(record(2));
          await em.flush();
          throw new Error('fails after its flush');
        }),
      ),
    ).rejects.toThrow('fails after its flush');
    // Outside a mutation (seeds, consumers): no audit event.
    await db.orm.em.fork().transactional(async (em) => void em.persist(record(3)));
    const em = db.orm.em.fork();
    expect((await em.find(SinkRecord, { consumer: 'audit' }, { orderBy: { n: 'asc' } })).map((r) => r.n)).toEqual([1, 3]);
    const events = await em.find(OutboxEvent, { family: 'audit' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'audit.mutation', source: 'audit_flush_test', requestId: 'req-a' });
    expect(events[0].payload).toMatchObject({ action: 'testMutation', entity: 'SinkRecord', operation: 'CREATE', actor: { role: 'ADMIN', subject: 'admin-1' }, before: null, after: { n: 1 } });
  });

  test('updates and deletes carry before and after', async () => {
    const em = db.orm.em.fork();
    const row = await em.findOneOrFail(SinkRecord, { consumer: 'audit', n: 3 });
    await runInMutationScope({ ...scope, requestId: 'req-u' }, async () => {
      row.n = 4;
      await em.flush();
      em.remove(row);
      await em.flush();
    });
    const events = await db.orm.em.fork().find(OutboxEvent, { family: 'audit', requestId: 'req-u' }, { orderBy: { seq: 'asc' } });
    expect(events.map((e) => e.payload)).toMatchObject([
      { operation: 'UPDATE', entityId: String(row.id), before: { n: 3 }, after: { n: 4 } },
      { operation: 'DELETE', entityId: String(row.id), before: { n: 4 }, after: null },
    ]);
  });
});

describe.each(['in-process', 'nats'] as const)('events delivered %s', (transport) => {
  describeDb(`(${testDriver})`, () => {
    let producer: TestDatabase;
    let consumerDb: TestDatabase;
    const config = testEventsConfig(transport);
    let gate: Promise<void> | undefined;
    let reached: (() => void) | undefined;
    const registry = new Registry();
    const consumer = sinkConsumer('sink', ['test'], {
      async before(event) {
        if (gate && (event.payload as { n: number }).n === 15) {
          reached?.();
          await gate;
        }
      },
    });
    const poisonConsumer = sinkConsumer('sink-poison', ['poison'], {
      async before(event) {
        if ((event.payload as { n: number }).n === 3) throw new Error('poison: this event can never be handled');
      },
    });
    const producerDef = sinkSubgraph('events_producer');
    const consumerDef = sinkSubgraph('events_consumer', [consumer, poisonConsumer]);
    const start = () =>
      startEvents(
        [
          { definition: producerDef, orm: producer.orm },
          { definition: consumerDef, orm: consumerDb.orm, registry },
        ],
        config,
        createLogger('silent'),
      );

    beforeAll(async () => {
      producer = await openTestDatabase(producerDef);
      consumerDb = await openTestDatabase(consumerDef);
    });
    afterAll(async () => {
      await producer?.close();
      await consumerDb?.close();
      if (transport === 'nats') await deleteStreams(config.streamPrefix);
    });

    test('a consumer stopped mid-stream and restarted handles every event exactly once in effect', async () => {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      const atFifteen = new Promise<void>((resolve) => (reached = resolve));
      let events: EventsRuntime = await start();
      const sent = await emitMany(producer, 40);
      await atFifteen;
      // Stopped while the 15th event is in its handler: it finishes, nothing after it starts.
      const stopping = events.stop();
      release();
      await stopping;
      gate = undefined;
      const before = await sinkRows(consumerDb, 'sink');
      expect(before.length).toBeGreaterThanOrEqual(15);
      expect(before.length).toBeLessThan(40);

      if (transport === 'in-process') {
        // As if the process died before saving its progress: the cursor goes back to the start.
        await producer.orm.em.fork().nativeUpdate(RelayCursor, { consumer: 'sink' }, { position: 0 });
      } else {
        // As if the publisher died before marking its rows: all are published again (Nats-Msg-Id dedup).
        await producer.orm.em.fork().nativeUpdate(OutboxEvent, {}, { publishedAt: null });
      }
      events = await start();
      try {
        const rows = await eventually(() => sinkRows(consumerDb, 'sink'), (r) => r.length >= 40);
        await events.runOnce();
        // One row per event, each event once: the inbox (and on NATS the stream's dedup) dropped the repeats.
        expect((await sinkRows(consumerDb, 'sink')).length).toBe(40);
        expect(new Set(rows.map((r) => r.eventId))).toEqual(new Set(sent.map((e) => e.id)));
        expect(await consumerDb.orm.em.fork().count(InboxEntry, { consumer: 'sink' })).toBe(40);
        // Per producer, in the order they were written (a single writer here).
        if (transport === 'in-process') expect(rows.map((r) => r.n)).toEqual([...Array(40).keys()]);
        // Counted just after the handler's commit: wait for the last one's count.
        await eventually(() => metricValue(registry, 'qinqing_events_delivered_total', { consumer: 'sink' }), (n) => n >= 40);
        expect(await metricValue(registry, 'qinqing_events_delivered_total', { consumer: 'sink' })).toBe(40);
        if (transport === 'in-process') expect(await metricValue(registry, 'qinqing_events_duplicates_total', { consumer: 'sink' })).toBe(before.length);
        if (transport === 'nats') {
          // The stream dropped the re-published copies (Nats-Msg-Id) …
          const nc = await connect({ servers: NATS_TEST_URL });
          try {
            const jsm = await nc.jetstreamManager();
            expect((await jsm.streams.info(streamName(config.streamPrefix, 'test'))).state.messages).toBe(40);
            // … and a copy that got past it (another message id) is skipped by the inbox.
            await nc.jetstream().publish(`${config.streamPrefix}.test.test.ping`, JSON.stringify(sent[0]), { msgID: 'another-id' });
            await eventually(() => metricValue(registry, 'qinqing_events_duplicates_total', { consumer: 'sink' }), (n) => n >= 1);
            expect((await sinkRows(consumerDb, 'sink')).length).toBe(40);
          } finally {
            await nc.close();
          }
        }
      } finally {
        await events.stop();
      }
    });

    test('a commit that wrote events nudges the relay: no waiting for the next poll', async () => {
      const events = await startEvents([{ definition: producerDef, orm: producer.orm }, { definition: consumerDef, orm: consumerDb.orm, registry }], { ...config, pollMs: 3_600_000 }, createLogger('silent'));
      try {
        await events.runOnce();
        // One event flushed on its own, one in an explicit transaction.
        const [first] = await emitMany(producer, 1, 100);
        const second = await producer.orm.em.fork().transactional(async (em) => emit(em, { family: 'test', type: 'test.ping', payload: { n: 101 } }));
        const rows = await eventually(() => sinkRows(consumerDb, 'sink'), (r) => r.some((x) => x.eventId === second.id) && r.some((x) => x.eventId === first.id), 10_000);
        expect(rows.filter((r) => r.n >= 100).map((r) => r.n)).toEqual([100, 101]);
      } finally {
        await events.stop();
      }
    });

    test("the relay's bookkeeping is not counted as statements; the consumer's work is", async () => {
      const events = await startEvents([{ definition: producerDef, orm: producer.orm }, { definition: consumerDef, orm: consumerDb.orm, registry }], { ...config, pollMs: 3_600_000 }, createLogger('silent'));
      try {
        await events.runOnce();
        const [sent] = await emitMany(producer, 1, 200);
        const producerBefore = producer.statements.length;
        const consumerBefore = consumerDb.statements.length;
        await eventually(() => sinkRows(consumerDb, 'sink'), (r) => r.some((x) => x.eventId === sent.id), 10_000);
        await events.runOnce();
        expect(producer.statements.slice(producerBefore)).toEqual([]);
        expect(consumerDb.statements.slice(consumerBefore).some((sql) => /insert into [`"]?(\w+[`"]?\.)?[`"]?kit_inbox/.test(sql))).toBe(true);
        expect(consumerDb.statements.slice(consumerBefore).some((sql) => /insert into [`"]?(\w+[`"]?\.)?[`"]?sink_record/.test(sql))).toBe(true);
      } finally {
        await events.stop();
      }
    });

    test('a poison event lands in the dead letters without blocking the events behind it', async () => {
      const events = await start();
      try {
        const sent = await emitMany(producer, 10, 0, 'poison');
        const dead = await eventually(() => consumerDb.orm.em.fork().find(DeadLetter, { consumer: 'sink-poison' }), (d) => d.length === 1);
        expect(dead[0]).toMatchObject({ eventId: sent[3].id, family: 'poison', attempts: config.maxAttempts });
        expect(dead[0].error).toContain('poison: this event can never be handled');
        expect((dead[0].event as unknown as DomainEvent).payload).toEqual({ n: 3 });
        const rows = await eventually(() => sinkRows(consumerDb, 'sink-poison'), (r) => r.length >= 9);
        expect(rows.map((r) => r.n).sort((a, b) => a - b)).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9]);
        // Counted once the dead letter is stored (the NATS consumer then publishes it to the dead-letter stream).
        await eventually(() => metricValue(registry, 'qinqing_events_dead_lettered_total', { consumer: 'sink-poison' }), (n) => n === 1);
        expect(await metricValue(registry, 'qinqing_events_redelivered_total', { consumer: 'sink-poison' })).toBe(config.maxAttempts - 1);
        if (transport === 'nats') {
          const nc = await connect({ servers: NATS_TEST_URL });
          try {
            const jsm = await nc.jetstreamManager();
            await eventually(async () => (await jsm.streams.info(deadLetterStream(config.streamPrefix))).state.messages, (n) => n === 1);
          } finally {
            await nc.close();
          }
        }
        if (transport === 'in-process') {
          // The cursor moved past the dead event: nothing is left pending for this consumer.
          const last = Math.max(...(await producer.orm.em.fork().find(OutboxEvent, {})).map((r) => Number(r.seq)));
          await eventually(async () => Number((await producer.orm.em.fork().findOne(RelayCursor, { consumer: 'sink-poison' }))?.position), (p) => p === last);
        }
      } finally {
        await events.stop();
      }
    });
  });
});
