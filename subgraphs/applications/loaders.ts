import type { EntityManager } from '@mikro-orm/core';
import DataLoader from 'dataloader';
import { entityLoader } from '../kit/loaders';
import { Application, ApplicationMaterial, ApplicationStep } from './application.entity';

/** Rows of one child entity grouped by application id: a page of applications costs one statement per child. */
function childrenLoader<T extends { application: Application }>(em: EntityManager, entity: new () => T, orderBy: Record<string, 'asc'>) {
  return new DataLoader<string, T[]>(async (ids) => {
    const rows = await em.find(entity, { application: { $in: [...ids] } } as never, { orderBy: orderBy as never });
    const byApplication = new Map<string, T[]>(ids.map((id) => [id, []]));
    for (const row of rows) byApplication.get(row.application.id)?.push(row);
    // The same order on either driver (PostgreSQL's collation may sort names otherwise).
    const key = Object.keys(orderBy)[0] as keyof T;
    return ids.map((id) => (byApplication.get(id) ?? []).sort((a, b) => (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0)));
  });
}

export function createApplicationsLoaders(em: EntityManager) {
  return {
    application: entityLoader(em, Application, 'id'),
    materials: childrenLoader(em, ApplicationMaterial, { name: 'asc' }),
    steps: childrenLoader(em, ApplicationStep, { seq: 'asc' }),
  };
}
export type ApplicationsLoaders = ReturnType<typeof createApplicationsLoaders>;
