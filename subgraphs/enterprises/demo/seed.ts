import type { EntityManager } from '@mikro-orm/core';
import { encodeSet } from '../../kit/set-column';
import { DEPARTMENTS, REGIONS } from '../../../platform/directory';
import { Department, Region } from '../directory.entity';
import { Enterprise, EnterpriseScale } from '../enterprise.entity';
import type { SeedOptions } from '../../kit/subgraph';
import { generateEnterprises } from '../../../demo/population';

/** Reference data always (upserted, so edits to directory.data.ts reach running deployments); demo enterprises once. */
export async function seedEnterprises(em: EntityManager, { demo, demoEnterprises }: SeedOptions): Promise<void> {
  for (const region of REGIONS) await em.upsert(Region, region);
  for (const { functions, ...department } of DEPARTMENTS) {
    await em.upsert(Department, { ...department, functionList: encodeSet(functions) });
  }
  if (!demo || (await em.count(Enterprise, {})) > 0) return;
  for (const seed of generateEnterprises({ count: demoEnterprises })) {
    const { tags, scale, ...rest } = seed;
    em.create(Enterprise, { ...rest, scale: scale as EnterpriseScale, tagList: encodeSet(tags) });
  }
  await em.flush();
}
