import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { EntityManager } from '@mikro-orm/core';
import { currentTraceId } from '../../../platform/telemetry';
import { OutboxEvent } from './entities';
import type { DomainEvent, EventInput } from './types';

export { OutboxEvent };

/** Who produces on a database; carried by the kit's subscriber that ormOptions registers (audit-trail.ts). */
export interface Producer {
  subgraph: string;
  department?: string;
}
/** The property of the kit's subscriber that names its producer (a symbol: no import cycle, no clash). */
export const PRODUCER = Symbol.for('qinqing.kit.producer');

export function producerOf(em: EntityManager): Producer {
  for (const subscriber of em.config.get('subscribers') ?? []) {
    const producer = (subscriber as { [PRODUCER]?: Producer })[PRODUCER];
    if (producer) return producer;
  }
  throw new Error('emit: this EntityManager was not opened through the kit (ormOptions)');
}

/** Rows for an event; used by `emit` and by the audit subscriber inside a flush. */
export function outboxRow<P>(event: DomainEvent<P>): OutboxEvent {
  const row = new OutboxEvent();
  row.id = event.id;
  row.family = event.family;
  row.type = event.type;
  row.source = event.source;
  row.occurredAt = new Date(event.occurredAt);
  row.requestId = event.requestId;
  row.traceId = event.traceId;
  row.payload = event.payload as Record<string, unknown>;
  row.publishedAt = null;
  return row;
}

export function newEvent<P>(source: string, input: EventInput<P>): DomainEvent<P> {
  return {
    id: randomUUID(),
    family: input.family,
    type: input.type,
    source,
    occurredAt: new Date().toISOString(),
    requestId: input.requestId,
    traceId: input.traceId ?? currentTraceId(),
    payload: input.payload,
  };
}

/** The DomainEvent an outbox row stands for. */
export function eventOf(row: OutboxEvent): DomainEvent {
  return {
    id: row.id,
    family: row.family,
    type: row.type,
    source: row.source,
    occurredAt: new Date(row.occurredAt).toISOString(),
    ...(row.requestId ? { requestId: row.requestId } : {}),
    ...(row.traceId ? { traceId: row.traceId } : {}),
    payload: typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload,
  };
}

/**
 * Persists an outbox row on `em`: it is written by the caller's next flush, in the same
 * transaction as the change it describes (flushMode is 'commit': nothing is written without a
 * flush). Returns the event.
 */
export function emit<P>(em: EntityManager, input: EventInput<P>): DomainEvent<P> {
  const event = newEvent(producerOf(em).subgraph, input);
  em.persist(outboxRow(event));
  return event;
}

/**
 * Nudges the relays of a subgraph right after a commit that wrote outbox rows, so delivery does
 * not wait for the next poll. Keyed by subgraph name: one process may run several graphs in
 * tests, which then all look (harmlessly) at their outbox.
 */
export const outboxSignal = new EventEmitter().setMaxListeners(0);
