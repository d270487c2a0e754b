import type { SqlEntityManager } from '@mikro-orm/knex';
import { Arg, Ctx, Directive, Field, FieldResolver, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { assertCanReadPopulation, rawTable, parsePopulationRegion, PopulationTableScalar, type PopulationKey, type PopulationTable } from '../kit/population';
import { regionCondition } from '../kit/scope';
import { decodeSet } from '../kit/set-column';
import type { Context } from '../kit/subgraph';
import { Enterprise } from './enterprise.entity';
import type { EnterpriseLoaders } from './loaders';

type Ctx = Context<EnterpriseLoaders>;

@ObjectType('EnterprisePopulation', { description: '一个地区（县或市）的全部企业，作为政策筛查（免申即享白名单、精准推送）的对象' })
@Directive('@key(fields: "regionCode")')
export class EnterprisePopulation implements PopulationKey {
  @Field({ description: '地区代码（县或市；市含所辖各县）' })
  regionCode!: string;
}

/** The registry's columns, in the order of `members`. */
interface RegistryRow {
  creditCode: string;
  regionCode: string;
  industryCode: string;
  scale: string;
  tagList: string;
  registeredOn: string;
}

/**
 * The region's enterprises in credit-code order, once per request: plain rows (no entity
 * hydration or ORM result mapping — 100,000 of them), one statement; the county is an equality,
 * the city a code range (scope.ts `regionCondition`, so an index serves both).
 */
export function populationLoader(em: SqlEntityManager) {
  const cache = new Map<string, Promise<RegistryRow[]>>();
  return (regionCode: string): Promise<RegistryRow[]> => {
    let rows = cache.get(regionCode);
    if (!rows) {
      const { table, column } = rawTable(em, Enterprise);
      const region = (regionCondition(regionCode) as { regionCode: string | { $gte: string; $lt: string } }).regionCode;
      const fields: (keyof RegistryRow)[] = ['creditCode', 'regionCode', 'industryCode', 'scale', 'tagList', 'registeredOn'];
      let query = em
        .getKnex()
        .from(table)
        .select(Object.fromEntries(fields.map((f) => [f, column(f)])))
        .orderBy(column('creditCode'));
      query = typeof region === 'string' ? query.where(column('regionCode'), region) : query.where(column('regionCode'), '>=', region.$gte).where(column('regionCode'), '<', region.$lt);
      rows = em.getConnection().execute(query) as Promise<RegistryRow[]>;
      cache.set(regionCode, rows);
    }
    return rows;
  };
}

/** Resolves `EnterprisePopulation` for the gateway (representations are `_Any`: checked like input). */
export function resolvePopulationReference(reference: { regionCode: unknown }, ctx: Ctx): PopulationKey {
  const regionCode = parsePopulationRegion(reference.regionCode);
  assertCanReadPopulation(ctx.identity, regionCode);
  return { regionCode };
}

@Resolver(() => EnterprisePopulation)
export class EnterprisePopulationResolver {
  @Query(() => EnterprisePopulation, { description: '一个地区的全部企业（工作人员限本地区，审计全部），用于政策筛查：如 enterprisePopulation(regionCode: "360732") { screening(policyId: …) { … } }' })
  enterprisePopulation(@Arg('regionCode', () => String) regionCode: string, @Ctx() ctx: Ctx): PopulationKey {
    return resolvePopulationReference({ regionCode }, ctx);
  }

  @FieldResolver(() => Int, { description: '企业数' })
  async size(@Root() population: PopulationKey, @Ctx() ctx: Ctx): Promise<number> {
    return (await ctx.loaders.population(population.regionCode)).length;
  }

  @Directive('@inaccessible')
  @FieldResolver(() => PopulationTableScalar, { description: '企业的统一社会信用代码（creditCode 列，按代码排序）：各数据来源按此顺序对齐' })
  async members(@Root() population: PopulationKey, @Ctx() ctx: Ctx): Promise<PopulationTable> {
    const rows = await ctx.loaders.population(population.regionCode);
    return { creditCode: rows.map((r) => r.creditCode) };
  }

  @Directive('@inaccessible')
  @FieldResolver(() => PopulationTableScalar, { description: '企业登记指标（regionCode industryCode scale tags registeredOn），与 members 对齐' })
  async registry(@Root() population: PopulationKey, @Ctx() ctx: Ctx): Promise<PopulationTable> {
    const rows = await ctx.loaders.population(population.regionCode);
    return {
      regionCode: rows.map((r) => r.regionCode),
      industryCode: rows.map((r) => r.industryCode),
      scale: rows.map((r) => r.scale),
      tags: rows.map((r) => decodeSet(r.tagList)),
      registeredOn: rows.map((r) => r.registeredOn),
    };
  }
}
