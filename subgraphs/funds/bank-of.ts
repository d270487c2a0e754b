import type { EntityManager } from '@mikro-orm/core';
import { nowOf, type Services } from '../kit/services';
import { createBankAdapter, type BankAdapter } from './bank';

/**
 * The bank adapter `BANK_ADAPTER` names (platform/config.ts, default `simulated`), on this subgraph's database: the
 * simulation keeps its books in the funds database's `sim_bank_*` tables, each call on a fresh
 * EntityManager (never inside the caller's transaction).
 */
export function bankOf(em: EntityManager, services: Services): BankAdapter {
  return createBankAdapter(services.config?.funds.bankAdapter, () => em.fork(), { now: () => nowOf(services) });
}
