import type { EntityManager } from '@mikro-orm/core';
import { actorOf } from './audit-trail';
import { newEvent, outboxRow, type Producer } from './events/outbox';
import { ACCESS_FAMILY, ACCESS_READ, type AccessReadPayload } from './events/types';
import type { Context } from './subgraph';

/**
 * The access log (X-Road style): reads of another department's records and fields served
 * unmasked are recorded per request and written by the kit at the end of the request, as one
 * `access.read` event per (what, purpose) with the enterprises batched — a constant number of
 * SQL statements however many enterprises were read.
 */
export interface AccessEntry {
  what: string;
  enterprises: string[];
  /**
   * A bulk read of every enterprise of a region (screening) names the region instead of 100,000
   * credit codes: one event stays small enough for any transport and the audit store.
   */
  region?: string;
  unmasked?: string[];
  purpose?: string;
}

interface Pending {
  what: string;
  region?: string;
  purpose?: string;
  enterprises: Set<string>;
  unmasked: Set<string>;
}

const buffers = new WeakMap<object, Map<string, Pending>>();

/** Buffers an access for this request; nothing is written until the request ends. */
export function recordAccess(ctx: Context<any>, entry: AccessEntry): void {
  let buffer = buffers.get(ctx);
  if (!buffer) buffers.set(ctx, (buffer = new Map()));
  const purpose = entry.purpose ?? ctx.purpose;
  const key = `${entry.what}\n${purpose ?? ''}\n${entry.region ?? ''}`;
  let pending = buffer.get(key);
  if (!pending) buffer.set(key, (pending = { what: entry.what, region: entry.region, purpose, enterprises: new Set(), unmasked: new Set() }));
  for (const code of entry.enterprises) pending.enterprises.add(code);
  for (const field of entry.unmasked ?? []) pending.unmasked.add(field);
}

/** The access events buffered for a request, as outbox rows; empties the buffer. */
function takeAccessEvents(ctx: Context<any>, producer: Producer) {
  const buffer = buffers.get(ctx);
  if (!buffer?.size) return [];
  buffers.delete(ctx);
  return [...buffer.values()].map((p) => {
    const payload: AccessReadPayload = {
      actor: actorOf(ctx.identity),
      subgraph: producer.subgraph,
      what: p.what,
      enterprises: [...p.enterprises].sort(),
      unmasked: [...p.unmasked].sort(),
    };
    if (p.purpose) payload.purpose = p.purpose;
    if (p.region) payload.region = p.region;
    if (producer.department) payload.ownerDepartment = producer.department;
    return outboxRow(newEvent(producer.subgraph, { family: ACCESS_FAMILY, type: ACCESS_READ, payload, requestId: ctx.requestId, traceId: ctx.traceId }));
  });
}

/**
 * Writes a request's buffered access events in one transaction on a fresh fork (the request's
 * own EntityManager may hold a failed mutation's leftovers). Called by the kit's server at the
 * end of every request; a no-op without accesses.
 */
export async function writeAccessEvents(ctx: Context<any>, em: EntityManager, producer: Producer): Promise<number> {
  const rows = takeAccessEvents(ctx, producer);
  if (!rows.length) return 0;
  const fork = em.fork({ clear: true });
  for (const row of rows) fork.persist(row);
  await fork.flush();
  return rows.length;
}

export { PURPOSE_HEADER, PURPOSE_MAX_LENGTH, purposeProblem } from '../../platform/purpose';
