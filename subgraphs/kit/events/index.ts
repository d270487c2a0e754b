import type { MikroORM } from '@mikro-orm/core';
import type { Registry } from 'prom-client';
import type { Config } from '../../../platform/config';
import { createLogger, type Logger } from '../../../platform/logger';
import type { Services } from '../services';
import type { SubgraphDefinition } from '../subgraph';
import { eventMetrics } from './metrics';
import { startNatsRelay } from './nats';
import { startInProcessRelay, type ConsumerNode, type ProducerNode } from './relay';

export { emit } from './outbox';
export type { Consumer, DomainEvent } from './types';

/** One subgraph this process runs: its definition, its open database and its metrics registry. */
export interface EventsSubgraph {
  definition: SubgraphDefinition<any>;
  orm: MikroORM;
  registry?: Registry;
}

export type EventsConfig = Config['events'];

export interface EventsRuntime {
  transport: 'in-process' | 'nats';
  /** Runs the relay once now (delivery or publishing); tests use it instead of waiting for a poll. */
  runOnce(): Promise<void>;
  /** Stops polling and consuming; work in flight finishes. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts the events for every subgraph of this process: each one's outbox is relayed and each
 * one's consumers are fed — in-process by default, through NATS JetStream when `natsUrl` is set.
 * main.ts and the test graph both call this; see docs/events.md.
 */
export async function startEvents(
  subgraphs: EventsSubgraph[],
  config: EventsConfig,
  log: Logger = createLogger('info', { service: 'events' }),
  /** What consumers may use besides their database (the graph client): kit/services.ts. */
  services: Services = {},
): Promise<EventsRuntime> {
  const producers: ProducerNode[] = subgraphs.map((s) => ({ name: s.definition.name, orm: s.orm, metrics: eventMetrics(s.registry) }));
  const consumers: ConsumerNode[] = subgraphs.flatMap((s) =>
    (s.definition.consumers ?? []).map((consumer) => ({ subgraph: s.definition.name, consumer, orm: s.orm, metrics: eventMetrics(s.registry), services })),
  );
  const names = consumers.map((c) => c.consumer.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new Error(`event consumer name "${twice}" is used twice: names must be unique in the graph`);
  const common = { pollMs: config.pollMs, maxAttempts: config.maxAttempts, retryBaseMs: config.retryBaseMs, log };
  const relay = config.natsUrl
    ? await startNatsRelay(producers, consumers, { ...common, url: config.natsUrl, prefix: config.streamPrefix, ackWaitMs: config.ackWaitMs })
    : startInProcessRelay(producers, consumers, common);
  let stopping: Promise<void> | undefined;
  return {
    transport: config.natsUrl ? 'nats' : 'in-process',
    runOnce: () => relay.runOnce(),
    stop: () => (stopping ??= relay.stop()),
  };
}
