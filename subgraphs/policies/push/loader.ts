import type { EntityManager } from '@mikro-orm/core';
import DataLoader from 'dataloader';
import { PolicyMessage } from './policy-message.entity';

/**
 * Per request: every listed enterprise's messages, newest first, in one statement however many
 * enterprises a query lists. Loaded whole and paged in memory: an enterprise has at most one
 * message per policy (the unique key), so its messages are bounded by the catalog's size.
 */
export function policyMessagesLoader(em: EntityManager): DataLoader<string, PolicyMessage[]> {
  return new DataLoader(async (codes) => {
    const rows = await em.find(PolicyMessage, { creditCode: { $in: [...codes] } });
    const byCode = new Map<string, PolicyMessage[]>(codes.map((c) => [c, []]));
    for (const row of rows) byCode.get(row.creditCode)!.push(row);
    // Sorted here, not in SQL: the cursor compares ids the same way (a database collation may not).
    return codes.map((c) => byCode.get(c)!.sort(newestFirst));
  });
}

/** createdAt descending, then id descending (code-point order). */
export function newestFirst(a: PolicyMessage, b: PolicyMessage): number {
  return b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}
