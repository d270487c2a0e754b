import type { EntityManager } from '@mikro-orm/core';
import DataLoader from 'dataloader';
import { entityLoader } from '../kit/loaders';
import { BudgetEntry, PaymentOrder } from './entities';

export interface FundsLoaders {
  /** By application id: `Application.payment` for every application of a list, one statement. */
  orderByApplication: DataLoader<string, PaymentOrder | null>;
  /** An indicator's ledger, oldest first. */
  entries: DataLoader<string, BudgetEntry[]>;
}

export function createFundsLoaders(em: EntityManager): FundsLoaders {
  return {
    orderByApplication: entityLoader(em, PaymentOrder, 'applicationId'),
    entries: new DataLoader(async (ids) => {
      const rows = await em.find(BudgetEntry, { indicatorId: { $in: [...ids] } }, { orderBy: { at: 'asc', id: 'asc' } });
      const by = new Map<string, BudgetEntry[]>(ids.map((id) => [id, []]));
      for (const row of rows) by.get(row.indicatorId)!.push(row);
      return ids.map((id) => by.get(id)!);
    }),
  };
}
