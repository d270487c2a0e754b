import { QueryOrder, type EntityManager } from '@mikro-orm/core';
import { groupLoader } from '../kit';
import { TaxYear } from './tax-profile.entity';

/** Tax's own loaders beside the kit's `records` (the profiles): the yearly figures, newest first. */
export function createTaxLoaders(em: EntityManager) {
  return { years: groupLoader(em, TaxYear, { year: QueryOrder.DESC }) };
}
export type TaxLoaders = ReturnType<typeof createTaxLoaders>;
