import { Counter, Gauge, Registry } from 'prom-client';

/**
 * The events' Prometheus series, in a subgraph's own registry (platform/metrics.ts): a producer
 * counts what it published and what waits in its outbox, a consumer what it handled, retried,
 * skipped as a duplicate and dead-lettered.
 */
export interface EventMetrics {
  published: Counter<'family'>;
  delivered: Counter<'consumer'>;
  redelivered: Counter<'consumer'>;
  duplicates: Counter<'consumer'>;
  deadLettered: Counter<'consumer'>;
  /** Scrape-time count of outbox rows not yet published/delivered, set by the relay. */
  watchPending(read: () => Promise<number>): void;
}

const byRegistry = new WeakMap<Registry, EventMetrics>();

/** One set per registry (a relay restarted in the same process reuses it). */
export function eventMetrics(registry: Registry = new Registry()): EventMetrics {
  const existing = byRegistry.get(registry);
  if (existing) return existing;
  const registers = [registry];
  let readPending: (() => Promise<number>) | undefined;
  new Gauge({
    name: 'qinqing_events_outbox_pending',
    help: 'Outbox events not yet published (NATS) or not yet done by every consumer (in-process), read at scrape time',
    registers,
    async collect() {
      if (readPending) this.set(await readPending().catch(() => -1));
    },
  });
  const metrics: EventMetrics = {
    published: new Counter({ name: 'qinqing_events_published_total', help: 'Outbox events published to NATS JetStream (PubAck received), by family', labelNames: ['family'], registers }),
    delivered: new Counter({ name: 'qinqing_events_delivered_total', help: 'Events handled by a consumer (handler committed with its inbox row)', labelNames: ['consumer'], registers }),
    redelivered: new Counter({ name: 'qinqing_events_redelivered_total', help: 'Failed deliveries that will be retried with backoff', labelNames: ['consumer'], registers }),
    duplicates: new Counter({ name: 'qinqing_events_duplicates_total', help: 'Deliveries skipped because the event was already in the inbox', labelNames: ['consumer'], registers }),
    deadLettered: new Counter({ name: 'qinqing_events_dead_lettered_total', help: 'Events a consumer gave up on after its attempts (kit_dead_letter)', labelNames: ['consumer'], registers }),
    watchPending(read) {
      readPending = read;
    },
  };
  byRegistry.set(registry, metrics);
  return metrics;
}
