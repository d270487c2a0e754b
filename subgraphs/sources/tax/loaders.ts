import type { EntityManager } from '@mikro-orm/core';
import { entityLoader } from '../../kit/loaders';
import { TaxProfile } from './tax-profile.entity';

export function createTaxLoaders(em: EntityManager) {
  return { profile: entityLoader(em, TaxProfile, 'creditCode') };
}
export type TaxLoaders = ReturnType<typeof createTaxLoaders>;
