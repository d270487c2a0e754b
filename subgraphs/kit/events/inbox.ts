import type { MikroORM } from '@mikro-orm/core';
import { outsideMutationScope } from '../audit-trail';
import { asWork } from './background';
import { DeadLetter, InboxEntry } from './entities';
import type { Services } from '../services';
import type { Consumer, DomainEvent } from './types';

export const DEFAULT_MAX_ATTEMPTS = 5;

/**
 * Hands an event to a consumer, exactly once in effect: the handler runs in a transaction on the
 * consumer's database together with the insert of (consumer, event id) into the inbox; an event
 * already there is skipped. Returns 'skipped' for a duplicate; throws what the handler threw.
 * Outside any mutation scope: a consumer's writes are no mutation and make no audit events.
 */
export function handleOnce(orm: MikroORM, consumer: Consumer<unknown>, event: DomainEvent, services: Services = {}): Promise<'handled' | 'skipped'> {
  return outsideMutationScope(() => asWork(async () => {
    let prepared: unknown;
    if (consumer.prepare) {
      // Only reads, outside the transaction; the inbox is asked first so a duplicate costs no preparation.
      if (await orm.em.fork().findOne(InboxEntry, { consumer: consumer.name, eventId: event.id })) return 'skipped' as const;
      prepared = await consumer.prepare(orm.em.fork(), event, services);
    }
    return orm.em.fork().transactional(async (em) => {
      const seen = await em.findOne(InboxEntry, { consumer: consumer.name, eventId: event.id });
      if (seen) return 'skipped' as const;
      const entry = new InboxEntry();
      entry.consumer = consumer.name;
      entry.eventId = event.id;
      entry.handledAt = new Date();
      em.persist(entry);
      // Inserted first: a concurrent second delivery fails on the key and is retried, then skipped.
      await em.flush();
      await consumer.handle(em, event, services, prepared);
      return 'handled' as const;
    });
  }));
}

/** Keeps an event a consumer gave up on, in the consumer's database; idempotent. */
export async function storeDeadLetter(orm: MikroORM, consumer: Consumer<unknown>, event: DomainEvent, attempts: number, error: unknown): Promise<void> {
  await outsideMutationScope(() => asWork(() =>
    orm.em.fork().transactional(async (em) => {
      if (await em.findOne(DeadLetter, { consumer: consumer.name, eventId: event.id })) return;
      const dead = new DeadLetter();
      Object.assign(dead, {
        consumer: consumer.name,
        eventId: event.id,
        family: event.family,
        type: event.type,
        source: event.source,
        event: event as unknown as Record<string, unknown>,
        attempts,
        error: describe(error),
        deadAt: new Date(),
      });
      em.persist(dead);
    })),
  );
}

export function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, 1000);
}

/** Exponential backoff: base, 2·base, 4·base … capped at a minute. */
export function backoffMs(attempt: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), 60_000);
}
