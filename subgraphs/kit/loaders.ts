import type { EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import DataLoader from 'dataloader';

/**
 * A per-request loader of one entity by a unique key: every `load` in the same tick becomes one
 * `SELECT … WHERE key IN (…)`. This is how `__resolveReference` and list hops stay batched.
 * Create these in a subgraph's `createLoaders`, never at module level (they cache per request).
 */
export function entityLoader<T extends object>(em: EntityManager, entity: new () => T, key: keyof T & string) {
  return new DataLoader<string, T | null>(async (keys) => {
    const rows = await findByKeys(em as SqlEntityManager, entity, key, keys);
    const found = new Map(rows.map((row) => [String(row[key]), row]));
    return keys.map((k) => found.get(k) ?? null);
  });
}

/** Batches up to this many keys reuse a statement; larger ones (rare) are built afresh. */
const MAX_CACHED_KEYS = 100;
/** `entity → "key:count" → SQL with placeholders`: the statement depends on nothing else. */
const statements = new WeakMap<Function, Map<string, string>>();

/**
 * `em.find(entity, { key: { $in: keys } })`, minus rebuilding the same SQL every time: MikroORM's
 * QueryBuilder and knex spent more CPU composing a one-row lookup than SQLite spent answering it.
 * The statement is composed once per shape by the QueryBuilder (same SQL, same schema prefix), run
 * on the request's connection and transaction, and the rows merged into the request's identity
 * map by `em.map`, as `em.find` does. Statements still reach the ORM logger (counts, spans).
 */
async function findByKeys<T extends object>(em: SqlEntityManager, entity: new () => T, key: keyof T & string, keys: readonly string[]): Promise<T[]> {
  const where = { [key]: { $in: [...keys] } } as never;
  if (keys.length > MAX_CACHED_KEYS) return em.find(entity, where);
  let byShape = statements.get(entity);
  if (!byShape) statements.set(entity, (byShape = new Map()));
  const shape = `${key}:${keys.length}`;
  let sql = byShape.get(shape);
  if (sql === undefined) {
    // Knex's `?` placeholders (what QueryBuilder.execute hands the connection), not PostgreSQL's `$1`.
    sql = em.createQueryBuilder(entity).select('*').where(where).toQuery()._sql.sql;
    byShape.set(shape, sql);
  }
  const rows: Record<string, unknown>[] = await em.getConnection('read').execute(sql, [...keys], 'all', em.getTransactionContext());
  return rows.map((row) => em.map(entity, row));
}
