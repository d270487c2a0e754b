import type { EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { entityLoader } from '../kit/loaders';
import { populationLoader } from './population.resolver';
import { Department, Region } from './directory.entity';
import { Enterprise } from './enterprise.entity';

export function createEnterpriseLoaders(em: EntityManager) {
  return {
    enterprise: entityLoader(em, Enterprise, 'creditCode'),
    region: entityLoader(em, Region, 'code'),
    department: entityLoader(em, Department, 'code'),
    population: populationLoader(em as SqlEntityManager),
  };
}
export type EnterpriseLoaders = ReturnType<typeof createEnterpriseLoaders>;
