import type { EntityManager } from '@mikro-orm/core';
import DataLoader from 'dataloader';

/**
 * A per-request loader of one entity by a unique key: every `load` in the same tick becomes one
 * `SELECT … WHERE key IN (…)`. This is how `__resolveReference` and list hops stay batched.
 * Create these in a subgraph's `createLoaders`, never at module level (they cache per request).
 */
export function entityLoader<T extends object>(em: EntityManager, entity: new () => T, key: keyof T & string) {
  return new DataLoader<string, T | null>(async (keys) => {
    const rows = await em.find(entity, { [key]: { $in: [...keys] } } as never);
    const found = new Map(rows.map((row) => [String(row[key]), row]));
    return keys.map((k) => found.get(k) ?? null);
  });
}
