import type { MikroORM } from '@mikro-orm/core';
import type { Logger } from '../../../platform/logger';
import { outsideMutationScope } from '../audit-trail';
import { asBookkeeping } from './background';
import { Delivery, OutboxEvent, RelayCursor } from './entities';
import { backoffMs, DEFAULT_MAX_ATTEMPTS, describe, handleOnce, storeDeadLetter } from './inbox';
import type { EventMetrics } from './metrics';
import { eventOf, outboxSignal } from './outbox';
import type { Services } from '../services';
import type { Consumer } from './types';

/**
 * The embedded relay: delivers each producer's outbox to the consumers registered in this
 * process, in seq order, from a durable cursor per (producer database, consumer).
 *
 * - Everything up to the cursor is done (handled or dead-lettered); a restart resumes after it.
 * - A failing event is retried with backoff (kit_delivery: RETRY) while the events behind it go
 *   on; those are marked DONE so they are not handed over again, and the cursor waits for the
 *   failing one. After `maxAttempts` it is dead-lettered (kit_dead_letter in the consumer's
 *   database) and the cursor moves on.
 * - On PostgreSQL a seq can become visible after a higher one (transactions commit in another
 *   order than they took their numbers) or never (rolled back): the cursor passes a gap only
 *   once the event after it is older than `gapGraceMs`.
 * - A crash between a handler's commit and the cursor's save hands the event over again: the
 *   inbox skips it (exactly once in effect).
 */
export interface ProducerNode {
  name: string;
  orm: MikroORM;
  metrics: EventMetrics;
}
export interface ConsumerNode {
  subgraph: string;
  consumer: Consumer<unknown>;
  orm: MikroORM;
  metrics: EventMetrics;
  /** Handed to the consumer (the graph client, the clock). */
  services: Services;
}
export interface RelayOptions {
  pollMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  batchSize?: number;
  gapGraceMs?: number;
  log: Logger;
}

export interface Relay {
  /** One pass over every producer and consumer now (tests, and the nudges). */
  runOnce(): Promise<void>;
  stop(): Promise<void>;
}

export function startInProcessRelay(producers: ProducerNode[], consumers: ConsumerNode[], options: RelayOptions): Relay {
  const batchSize = options.batchSize ?? 200;
  const gapGraceMs = options.gapGraceMs ?? 30_000;
  let stopped = false;
  const loops = producers.map((producer) => {
    const cursors = new Map<string, number>();
    let wake: NodeJS.Timeout | undefined;

    const cursorOf = async (consumer: Consumer<unknown>): Promise<number> => {
      let position = cursors.get(consumer.name);
      if (position === undefined) {
        const row = await producer.orm.em.fork().findOne(RelayCursor, { consumer: consumer.name });
        position = row ? Number(row.position) : 0;
        cursors.set(consumer.name, position);
      }
      return position;
    };

    /** One batch for one consumer; returns when to look again for a pending retry (ms from now), if any. */
    const passFor = async (node: ConsumerNode): Promise<{ more: boolean; retryInMs?: number }> => {
      const { consumer } = node;
      const em = producer.orm.em.fork();
      const start = await cursorOf(consumer);
      const rows = await em.find(OutboxEvent, { seq: { $gt: start } }, { orderBy: { seq: 'asc' }, limit: batchSize });
      if (!rows.length) return { more: false };
      const families = new Set(consumer.families);
      const relevant = rows.filter((r) => families.has(r.family));
      const states = new Map<number, Delivery>();
      if (relevant.length) {
        for (const d of await em.find(Delivery, { consumer: consumer.name, seq: { $in: relevant.map((r) => Number(r.seq)) } })) states.set(Number(d.seq), d);
      }
      const maxAttempts = consumer.maxAttempts ?? options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
      let position = start;
      let blocked = false;
      let retryInMs: number | undefined;
      const now = Date.now();
      for (const row of rows) {
        if (stopped) break;
        const seq = Number(row.seq);
        // A gap: an earlier transaction may still commit; the cursor waits for it a while.
        if (!blocked && seq !== position + 1 && now - new Date(row.occurredAt).getTime() < gapGraceMs) {
          blocked = true;
          retryInMs = Math.min(retryInMs ?? Infinity, options.pollMs);
        }
        let done = true;
        if (families.has(row.family)) {
          const state = states.get(seq);
          if (state?.state === 'RETRY' && state.nextAttemptAt && state.nextAttemptAt.getTime() > now) {
            done = false;
            retryInMs = Math.min(retryInMs ?? Infinity, state.nextAttemptAt.getTime() - now);
          } else if (state?.state !== 'DONE' && state?.state !== 'DEAD') {
            const event = eventOf(row);
            try {
              const outcome = await handleOnce(node.orm, consumer, event, node.services);
              node.metrics[outcome === 'handled' ? 'delivered' : 'duplicates'].inc({ consumer: consumer.name });
              if (blocked || state) await saveDelivery(em, state, consumer.name, row, blocked ? 'DONE' : undefined);
            } catch (error) {
              const attempts = (state?.attempts ?? 0) + 1;
              if (attempts >= maxAttempts) {
                await storeDeadLetter(node.orm, consumer, event, attempts, error);
                node.metrics.deadLettered.inc({ consumer: consumer.name });
                await saveDelivery(em, state, consumer.name, row, 'DEAD', attempts, error);
                options.log.error('event dead-lettered', { consumer: consumer.name, eventId: event.id, type: event.type, attempts, error });
              } else {
                const wait = backoffMs(attempts, options.retryBaseMs);
                await saveDelivery(em, state, consumer.name, row, 'RETRY', attempts, error, new Date(Date.now() + wait));
                node.metrics.redelivered.inc({ consumer: consumer.name });
                retryInMs = Math.min(retryInMs ?? Infinity, wait);
                options.log.warn('event handler failed: will retry', { consumer: consumer.name, eventId: event.id, type: event.type, attempts, error });
                done = false;
              }
            }
          }
        }
        if (blocked || !done) {
          blocked = true;
          continue;
        }
        position = seq;
      }
      if (position !== start) {
        await saveCursor(em, consumer.name, start, position);
        cursors.set(consumer.name, position);
      }
      return { more: rows.length === batchSize && position !== start, retryInMs };
    };

    const pass = async () => {
      let nextRetry: number | undefined;
      for (const node of consumers) {
        for (;;) {
          if (stopped) return;
          const { more, retryInMs } = await passFor(node);
          if (retryInMs !== undefined) nextRetry = Math.min(nextRetry ?? Infinity, retryInMs);
          if (!more) break;
        }
      }
      if (nextRetry !== undefined && !stopped) {
        clearTimeout(wake);
        wake = setTimeout(runner.poll, Math.max(1, Math.min(nextRetry, options.pollMs)));
        wake.unref();
      }
    };

    const runner = passRunner(pass, () => stopped, (error) => options.log.error('event relay pass failed', { producer: producer.name, error }));
    const trigger = runner.trigger;

    const onSignal = (name: string) => {
      if (name === producer.name) void trigger();
    };
    outboxSignal.on('commit', onSignal);
    const timer = setInterval(runner.poll, options.pollMs);
    timer.unref();
    producer.metrics.watchPending(() => asBookkeeping(async () => {
      const positions = await Promise.all(consumers.map((c) => cursorOf(c.consumer)));
      const lowest = positions.length ? Math.min(...positions) : Number.MAX_SAFE_INTEGER;
      return producer.orm.em.fork().count(OutboxEvent, { seq: { $gt: lowest } });
    }));
    return {
      trigger,
      async stop() {
        outboxSignal.off('commit', onSignal);
        clearInterval(timer);
        clearTimeout(wake);
        await runner.running();
      },
    };
  });
  return {
    async runOnce() {
      await Promise.all(loops.map((l) => l.trigger()));
    },
    async stop() {
      stopped = true;
      await Promise.all(loops.map((l) => l.stop()));
    },
  };
}

async function saveDelivery(
  em: MikroORM['em'],
  state: Delivery | undefined,
  consumer: string,
  row: OutboxEvent,
  next: Delivery['state'] | undefined,
  attempts?: number,
  error?: unknown,
  nextAttemptAt?: Date,
): Promise<void> {
  const fork = em.fork();
  if (!next) {
    // Delivered at last, with nothing pending before it: the row is no longer needed.
    await fork.nativeDelete(Delivery, { consumer, seq: Number(row.seq) });
    return;
  }
  const data = {
    eventId: row.id,
    state: next,
    attempts: attempts ?? state?.attempts ?? 0,
    nextAttemptAt: nextAttemptAt ?? null,
    lastError: error === undefined ? (state?.lastError ?? null) : describe(error),
  };
  if (state) await fork.nativeUpdate(Delivery, { consumer, seq: Number(row.seq) }, data);
  else await fork.insert(Delivery, { consumer, seq: Number(row.seq), ...data });
}

async function saveCursor(em: MikroORM['em'], consumer: string, from: number, to: number): Promise<void> {
  const fork = em.fork();
  await fork.transactional(async (tx) => {
    const updated = await tx.nativeUpdate(RelayCursor, { consumer }, { position: to });
    if (!updated) await tx.insert(RelayCursor, { consumer, position: to });
    // DONE/DEAD rows behind the cursor have served their purpose.
    await tx.nativeDelete(Delivery, { consumer, seq: { $gt: from, $lte: to }, state: { $in: ['DONE', 'DEAD'] } });
  });
}

/**
 * Runs a relay's `pass` in the background, one at a time: a trigger while a pass runs asks for one
 * more pass after it (a commit during a pass is never missed) and shares its promise. Passes run
 * outside any request's mutation scope and trace, as bookkeeping. Both transports use it.
 */
export function passRunner(pass: () => Promise<void>, stopped: () => boolean, onError: (error: unknown) => void) {
  let running: Promise<void> | undefined;
  let again = false;
  const trigger = (): Promise<void> => {
    if (stopped()) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = outsideMutationScope(() =>
      asBookkeeping(async () => {
        try {
          do {
            again = false;
            await pass();
          } while (again && !stopped());
        } catch (error) {
          if (!stopped()) onError(error);
        } finally {
          running = undefined;
        }
      }),
    );
    return running;
  };
  /**
   * A timer's tick: a pass now unless one is running. Only a commit (`trigger`) asks the running
   * pass to go round again: were ticks to ask too, a pass slower than the poll interval (a busy
   * PostgreSQL, many consumers) would go round for ever and `runOnce` would never return.
   */
  const poll = (): void => {
    if (!running) void trigger();
  };
  return { trigger, poll, running: () => running };
}
