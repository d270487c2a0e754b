import { parseCreditCode } from '../../platform/credit-code';
import { echo, invalidInput } from '../../platform/errors';
import { unsafeTextProblem } from '../kit/validation';
import { assertCanReadEnterpriseKey, assertCanReadEnterpriseRecord } from '../kit/scope';
import { defineSubgraph, type Context } from '../kit/subgraph';
import { seedEnterprises } from './demo/seed';
import { DepartmentResolver, RegionResolver } from './directory.resolver';
import { Department, Region } from './directory.entity';
import { Enterprise } from './enterprise.entity';
import { EnterpriseResolver } from './enterprise.resolver';
import { EnterprisePopulationResolver, resolvePopulationReference } from './population.resolver';
import { createEnterpriseLoaders, type EnterpriseLoaders } from './loaders';
import { postgresqlMigrations, sqliteMigrations } from './migrations';

type Ctx = Context<EnterpriseLoaders>;

/** Representations are `_Any`: a key is checked like any input before it reaches SQL. */
function referenceKey(value: unknown, field: string, valid: (key: string) => boolean): string {
  if (typeof value === 'string' && !unsafeTextProblem(value) && valid(value)) return value;
  throw invalidInput([{ field, message: `实体引用的 ${field} 无效：“${echo(value)}”` }]);
}

/**
 * 企业库 — the enterprise registry (县市场监管局) and the platform directory of regions and
 * departments. Owns `Enterprise`, `Department` and `Region`; other subgraphs extend them by key.
 */
export const enterprisesSubgraph = defineSubgraph<EnterpriseLoaders>({
  name: 'enterprises',
  owner: '县市场监管局（企业登记）/ 县行政审批局（平台目录）',
  department: 'SAMR',
  resolvers: [EnterpriseResolver, DepartmentResolver, RegionResolver, EnterprisePopulationResolver],
  entities: [Enterprise, Department, Region],
  migrations: { sqlite: sqliteMigrations, postgresql: postgresqlMigrations },
  createLoaders: (em) => createEnterpriseLoaders(em),
  seed: seedEnterprises,
  referenceResolvers: {
    // The gateway sends every reference of a query in one _entities call; the loader turns them
    // into one SELECT. Representations are `_Any`, so the credit code is validated here too.
    Enterprise: {
      async __resolveReference(reference: { creditCode: unknown }, ctx: Ctx) {
        const creditCode = parseCreditCode(reference.creditCode);
        // Before loading: the anonymous or an out-of-region caller learns nothing about existence.
        assertCanReadEnterpriseKey(ctx.identity, creditCode);
        const enterprise = await ctx.loaders.enterprise.load(creditCode);
        if (enterprise) assertCanReadEnterpriseRecord(ctx.identity, enterprise);
        return enterprise;
      },
    },
    EnterprisePopulation: { __resolveReference: resolvePopulationReference },
    Department: {
      __resolveReference: (reference: { code: unknown }, ctx: Ctx) => ctx.loaders.department.load(referenceKey(reference.code, 'code', (k) => k.length <= 20)),
    },
    Region: {
      __resolveReference: (reference: { code: unknown }, ctx: Ctx) => ctx.loaders.region.load(referenceKey(reference.code, 'code', (k) => /^\d{6}$/.test(k))),
    },
  },
});
