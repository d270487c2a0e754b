import type { EntityManager } from '@mikro-orm/core';
import { toChinaDate } from '../kit/calendar';
import { Application } from './application.entity';

/**
 * Receipt numbers (受理回执编号) `<region>-<YYYYMMDD>-<6 digits>`: the region of the case, its China
 * date, and a number counting that region's cases of the day from 000001. The next numbers are
 * read from the highest one stored; two transactions racing for the same number meet the unique
 * key and the loser is retried by its caller (a consumer retries by itself). Keyset-friendly:
 * a range on the unique index, no LIKE.
 */
export async function nextReceiptNumbers(em: EntityManager, regionCode: string, at: Date, count: number): Promise<string[]> {
  const prefix = `${regionCode}-${toChinaDate(at).replaceAll('-', '')}-`;
  const [last] = await em.find(Application, { receiptNumber: { $gte: prefix, $lt: `${prefix}~` } }, { fields: ['receiptNumber'], orderBy: { receiptNumber: 'desc' }, limit: 1 });
  const start = last ? Number(last.receiptNumber.slice(prefix.length)) : 0;
  // Also the ones this EntityManager holds but has not flushed yet (several cases in one transaction).
  let pending = 0;
  for (const entity of em.getUnitOfWork().getPersistStack()) {
    if (entity instanceof Application && entity.receiptNumber?.startsWith(prefix)) pending = Math.max(pending, Number(entity.receiptNumber.slice(prefix.length)));
  }
  const from = Math.max(start, pending);
  return Array.from({ length: count }, (_, i) => `${prefix}${String(from + i + 1).padStart(6, '0')}`);
}

/**
 * The policy period a case belongs to (one case per policy, enterprise and period): the served
 * version's application window's first day, or — a policy without a window — the year of the day
 * the case arises.
 */
export function policyPeriod(version: { windowStart?: string | null }, day: string): string {
  return version.windowStart ?? day.slice(0, 4);
}
