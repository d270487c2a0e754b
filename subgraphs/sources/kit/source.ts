import type { EntityManager, MigrationObject } from '@mikro-orm/core';
import type DataLoader from 'dataloader';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { parseCreditCode } from '../../../platform/credit-code';
import type { Identity } from '../../../platform/identity';
import { type AuditFinding, SourceFindings } from '../../kit/findings';
import { defineSubgraph, type Context, type SeedOptions, type SubgraphDefinition } from '../../kit/subgraph';
import { logSourceRead } from './access';
import type { EnterpriseKey } from './enterprise';
import { recordsLoader, type SourceAnswer } from './loaders';
import type { KeyedRecord } from './record';
import { assertCanReadSource } from './scope';
import type { SourceInfo } from './source-info';
import { parsePopulationRegion, type PopulationMembers } from '../../kit/population';

/** What every source's resolvers see: the kit's `records` loader plus the source's own. */
export type SourceLoaders<R, L = {}> = { records: DataLoader<string, SourceAnswer<R>> } & L;
export type SourceContext<R, L = {}> = Context<SourceLoaders<R, L>>;

/** A finding as a source's mapping writes it; the kit adds the source's name. */
export type Finding = Omit<AuditFinding, 'source'>;

export interface SourceDefinition<R extends KeyedRecord, L extends object> {
  info: SourceInfo;
  /** The `Enterprise` key stub of this source (`enterpriseKeyType()`). */
  enterprise: new () => EnterpriseKey;
  /**
   * The `EnterprisePopulation` stub (`populationKeyType()`) when the source adds a table for a
   * whole region (screening): its reference resolver passes the representation's members on.
   */
  population?: new () => PopulationMembers;
  /** The table the findings come from: loaded for many enterprises in one statement. */
  records: new () => R;
  /**
   * All of an enterprise's records (history included) → its findings, each dated. `asOf` is how
   * current the source is, for a finding that arises from the absence of a record.
   */
  findings(records: R[], context: { creditCode: string; asOf: Date }): Finding[];
  /** The field group (`Enterprise.<fieldPrefix>`) and any queries. */
  resolvers: Function[];
  /** Every entity stored, `records` included. */
  entities: Function[];
  orphanedTypes?: Function[];
  migrations: { sqlite: MigrationObject[]; postgresql: MigrationObject[] };
  loaders?(em: EntityManager, identity: Identity): L;
  seed?(em: EntityManager, options: SeedOptions): Promise<void>;
}

/**
 * Authorizes from the key, then loads (batched) and logs the read: what every field of a source
 * does first. `what` names the field read, e.g. `Enterprise.ecology`.
 */
export async function readSource<R>(ctx: SourceContext<R, any>, source: SourceInfo, creditCode: string, what: string): Promise<SourceAnswer<R>> {
  assertCanReadSource(ctx.identity, source, creditCode);
  const answer = await ctx.loaders.records.load(creditCode);
  logSourceRead(ctx, source, what, [creditCode]);
  return answer;
}

/** `Enterprise.<fieldPrefix>Findings`, the same for every source, from the source's mapping. */
function findingsResolver<R extends KeyedRecord>(definition: SourceDefinition<R, any>): Function {
  const { info } = definition;
  const field = `${info.fieldPrefix}Findings`;
  @Resolver(() => definition.enterprise)
  class SourceFindingsResolver {
    @FieldResolver(() => SourceFindings, {
      name: field,
      nullable: true,
      description: `${info.owner}对该企业的联合审核发现（含历史）；无权查看时为 null 并附错误`,
    })
    async findings(@Root() enterprise: EnterpriseKey, @Ctx() ctx: SourceContext<R>): Promise<SourceFindings> {
      const answer = await readSource(ctx, info, enterprise.creditCode, `Enterprise.${field}`);
      const answeredAt = new Date();
      const asOf = answer.sourceAsOf ?? answeredAt;
      return {
        source: info.name,
        department: info.owner,
        answeredAt,
        asOf,
        findings: definition.findings(answer.records, { creditCode: enterprise.creditCode, asOf }).map((finding) => ({ source: info.name, ...finding })),
      };
    }
  }
  return SourceFindingsResolver;
}

/**
 * A joint-audit source as a subgraph: the key stub, the batched records loader, the findings
 * field and the reference resolver come from here; the source brings its records, its mapping to
 * findings, its field group and its seed.
 */
export function defineSource<R extends KeyedRecord, L extends object = {}>(definition: SourceDefinition<R, L>): SubgraphDefinition<SourceLoaders<R, L>> {
  return defineSubgraph<SourceLoaders<R, L>>({
    name: definition.info.name,
    owner: definition.info.owner,
    department: definition.info.department,
    resolvers: [findingsResolver(definition), ...definition.resolvers] as [Function, ...Function[]],
    orphanedTypes: [definition.enterprise, ...(definition.population ? [definition.population] : []), ...(definition.orphanedTypes ?? [])],
    entities: definition.entities,
    migrations: definition.migrations,
    createLoaders: (em, identity) => ({ records: recordsLoader(em, definition.records), ...(definition.loaders?.(em, identity) ?? ({} as L)) }),
    seed: definition.seed,
    referenceResolvers: {
      // Nothing to load: the fields are resolved from the key; validating it is all there is to do.
      Enterprise: { __resolveReference: (reference: { creditCode: unknown }) => ({ creditCode: parseCreditCode(reference.creditCode) }) },
      // The members are checked where they are read (readPopulation), with the caller's rights.
      ...(definition.population
        ? { EnterprisePopulation: { __resolveReference: (reference: Record<string, unknown>) => ({ regionCode: parsePopulationRegion(reference.regionCode), members: reference.members }) } }
        : {}),
    },
  });
}
