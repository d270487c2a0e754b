import type { EntityManager } from '@mikro-orm/core';
import { entityLoader } from '../kit/loaders';
import { Department, Region } from './directory.entity';
import { Enterprise } from './enterprise.entity';

export function createEnterpriseLoaders(em: EntityManager) {
  return {
    enterprise: entityLoader(em, Enterprise, 'creditCode'),
    region: entityLoader(em, Region, 'code'),
    department: entityLoader(em, Department, 'code'),
  };
}
export type EnterpriseLoaders = ReturnType<typeof createEnterpriseLoaders>;
