import { QueryOrder, type EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import DataLoader from 'dataloader';
import type { KeyedRecord } from './record';

/** An enterprise's records at a source, and how current the source's data is. */
export interface SourceAnswer<R> {
  records: R[];
  /** The latest `recordedAt` of any record of the source (null when it holds none). */
  sourceAsOf: Date | null;
}

/**
 * Per request: every enterprise asked for in the same tick → ONE statement,
 * `… WHERE credit_code IN (…) OR pk IN (SELECT pk … ORDER BY recorded_at DESC LIMIT 1)`: the
 * records of all of them plus the source's newest record, whose time is the source's as-of. So the
 * findings of 1,000 enterprises cost one statement per source.
 */
export function recordsLoader<R extends KeyedRecord>(em: EntityManager, entity: new () => R) {
  return new DataLoader<string, SourceAnswer<R>>(async (keys) => {
    const sql = em as SqlEntityManager;
    const pk = sql.getMetadata().get(entity.name).primaryKeys[0];
    const newest = sql.createQueryBuilder(entity, 'n').select(pk).orderBy({ recordedAt: QueryOrder.DESC } as never).limit(1);
    const rows: R[] = await sql
      .createQueryBuilder(entity, 'r')
      .select('*')
      .where({ $or: [{ creditCode: { $in: [...keys] } }, { [pk]: { $in: newest.getKnexQuery() } }] } as never)
      .getResultList();
    let sourceAsOf: Date | null = null;
    const byKey = new Map<string, R[]>(keys.map((k) => [k, []]));
    for (const row of rows) {
      const at = new Date(row.recordedAt);
      if (!sourceAsOf || at > sourceAsOf) sourceAsOf = at;
      byKey.get(row.creditCode)?.push(row);
    }
    return keys.map((k) => ({ records: byKey.get(k)!, sourceAsOf }));
  });
}

/** The rows of an entity grouped by credit code, one statement per batch (yearly figures and the like). */
export function groupLoader<R extends { creditCode: string }>(em: EntityManager, entity: new () => R, orderBy: Record<string, QueryOrder>) {
  return new DataLoader<string, R[]>(async (keys) => {
    const rows = await em.find(entity, { creditCode: { $in: [...keys] } } as never, { orderBy: orderBy as never });
    const byKey = new Map<string, R[]>(keys.map((k) => [k, []]));
    for (const row of rows) byKey.get(row.creditCode)?.push(row);
    return keys.map((k) => byKey.get(k)!);
  });
}
