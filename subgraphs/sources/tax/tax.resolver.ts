import type { FilterQuery } from '@mikro-orm/core';
import { Args, Arg, Ctx, Directive, Field, FieldResolver, InputType, Int, Query, Resolver, Root } from 'type-graphql';
import { forbidden } from '../../../platform/errors';
import type { Identity } from '../../../platform/identity';
import { canReadEnterpriseRecord, enterpriseScope, Guard, regionOfCreditCode, requireAuthenticated } from '../../kit/scope';
import { RegionCode } from '../../kit/validation';
import { ConnectionType, PageArgs, paginate } from '../../kit/pagination';
import { FenScalar } from '../../kit/money';
import { alignColumns, populationKeyType, PopulationTableScalar, type PopulationMembers, type PopulationTable } from '../../kit/population';
import { num, populationRows, readPopulation } from '../kit/population';
import { logSourceRead, readSource, SOURCE_READERS, sourceInfo, type SourceContext } from '../kit';
import { EnterpriseReference } from './enterprise.reference';
import type { TaxLoaders } from './loaders';
import { TaxCreditRating, TaxProfile, TaxYear } from './tax-profile.entity';

export const tax = sourceInfo({ name: 'tax', fieldPrefix: 'tax', department: 'TAX', owner: '县税务局' });
type Ctx = SourceContext<TaxProfile, TaxLoaders>;

/** Taxpayer information is confidential (税收征管法 §8): the front-desk window does not need it. */
const TAX_READERS = SOURCE_READERS;

/**
 * Decided from the owner's key (the region is in the credit code), before any row is loaded:
 * the refusal is the same whether or not the enterprise has a tax profile.
 */
function assertTaxReader(identity: Identity): void {
  requireAuthenticated(identity);
  if (!TAX_READERS.has(identity.role)) throw forbidden('无权查看纳税信息');
}

function assertCanReadTax(identity: Identity, owner: { creditCode: string; regionCode: string }): void {
  assertTaxReader(identity);
  if (!canReadEnterpriseRecord(identity, owner)) throw forbidden('无权查看该企业的纳税信息');
}

@InputType({ description: '纳税人筛选' })
class TaxpayerFilter {
  @Field(() => TaxCreditRating, { nullable: true })
  rating?: TaxCreditRating;

  @Field(() => String, { nullable: true, description: '地区代码，须在调用者所属地区范围内' })
  @RegionCode()
  regionCode?: string;

  @Field(() => Boolean, { nullable: true, description: 'true：只看有欠税的' })
  hasArrears?: boolean;
}

const TaxProfileConnection = ConnectionType(TaxProfile, 'TaxProfile', '纳税人分页列表');

@Resolver(() => TaxProfile)
export class TaxProfileResolver {
  @Query(() => TaxProfileConnection, { description: '纳税人列表（联合审核、资金监管用），范围限调用者所属地区' })
  @Guard(assertTaxReader)
  async taxpayers(
    @Arg('filter', () => TaxpayerFilter, { nullable: true }) filter: TaxpayerFilter | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Ctx,
  ) {
    const { identity } = ctx;
    const conditions: FilterQuery<TaxProfile>[] = [...enterpriseScope(identity, filter?.regionCode)];
    if (filter?.rating) conditions.push({ creditRating: filter.rating });
    if (filter?.hasArrears !== undefined && filter.hasArrears !== null) {
      conditions.push({ arrearsFen: filter.hasArrears ? { $gt: 0 } : 0 });
    }
    const connection = await paginate(ctx.em, TaxProfile, { $and: conditions }, { key: 'creditCode', first: page.first, after: page.after, max: 500 });
    logSourceRead(ctx, tax, 'Query.taxpayers', connection.nodes.map((p) => p.creditCode));
    return connection;
  }

  @FieldResolver(() => EnterpriseReference, { description: '纳税人企业（由 enterprises 子图解析）' })
  enterprise(@Root() profile: TaxProfile): EnterpriseReference {
    return { creditCode: profile.creditCode };
  }

  @FieldResolver(() => [TaxYear], { description: '历年营业收入与实缴税款（2021–2025），按年度倒序' })
  years(@Root() profile: TaxProfile, @Ctx() ctx: Ctx): Promise<TaxYear[]> {
    return ctx.loaders.years.load(profile.creditCode);
  }

  @FieldResolver(() => Int, { nullable: true, description: '最近一个已汇算清缴的年度' })
  async latestYear(@Root() profile: TaxProfile, @Ctx() ctx: Ctx): Promise<number | null> {
    return (await ctx.loaders.years.load(profile.creditCode))[0]?.year ?? null;
  }

  @FieldResolver(() => FenScalar, { nullable: true, description: '最近年度营业收入（分）' })
  async revenueFen(@Root() profile: TaxProfile, @Ctx() ctx: Ctx): Promise<number | null> {
    return (await ctx.loaders.years.load(profile.creditCode))[0]?.revenueFen ?? null;
  }

  @FieldResolver(() => FenScalar, { nullable: true, description: '最近年度实缴税款（分）' })
  async taxPaidFen(@Root() profile: TaxProfile, @Ctx() ctx: Ctx): Promise<number | null> {
    return (await ctx.loaders.years.load(profile.creditCode))[0]?.taxPaidFen ?? null;
  }
}

@Resolver(() => EnterpriseReference)
export class EnterpriseTaxResolver {
  @FieldResolver(() => TaxProfile, { nullable: true, description: '纳税信息（县税务局）；无记录时为 null' })
  async tax(@Root() enterprise: EnterpriseReference, @Ctx() ctx: Ctx): Promise<TaxProfile | null> {
    assertCanReadTax(ctx.identity, { creditCode: enterprise.creditCode, regionCode: regionOfCreditCode(enterprise.creditCode) });
    const profile = (await readSource<TaxProfile>(ctx, tax, enterprise.creditCode, 'Enterprise.tax')).records[0] ?? null;
    // The profile's own region (where it is administered) is checked too.
    if (profile) assertCanReadTax(ctx.identity, profile);
    return profile;
  }
}

export const Population = populationKeyType();

@Resolver(() => Population)
export class PopulationTaxResolver {
  @FieldResolver(() => PopulationTableScalar, { nullable: true, description: '全地区企业的纳税指标（latestYear revenueFen taxPaidFen creditRating），与 members 对齐；无纳税记录为 null' })
  @Directive('@requires(fields: "members")')
  @Directive('@inaccessible')
  async tax(@Root() population: PopulationMembers, @Ctx() ctx: Ctx): Promise<PopulationTable> {
    const { codes, readable } = readPopulation(ctx, tax, population, 'EnterprisePopulation.tax');
    const profiles = await populationRows<{ creditCode: string; regionCode: string; creditRating: string }>(ctx.em, TaxProfile, readable, ['creditCode', 'regionCode', 'creditRating']);
    const years = await populationRows<{ creditCode: string; year: unknown; revenueFen: unknown; taxPaidFen: unknown }>(ctx.em, TaxYear, readable, ['creditCode', 'year', 'revenueFen', 'taxPaidFen'], { latestBy: 'year' });
    const latest = new Map<string, { year: number; revenueFen: number | null; taxPaidFen: number | null }>();
    for (const y of years) {
      const year = num(y.year)!;
      const seen = latest.get(y.creditCode);
      if (!seen || year > seen.year) latest.set(y.creditCode, { year, revenueFen: num(y.revenueFen), taxPaidFen: num(y.taxPaidFen) });
    }
    // As `Enterprise.tax`: no profile, or one administered outside the caller's region, is null.
    const rows = new Map<string, { creditRating: string; year: number | null; revenueFen: number | null; taxPaidFen: number | null }>();
    for (const p of profiles) {
      if (!canReadEnterpriseRecord(ctx.identity, p)) continue;
      const y = latest.get(p.creditCode);
      rows.set(p.creditCode, { creditRating: p.creditRating, year: y?.year ?? null, revenueFen: y?.revenueFen ?? null, taxPaidFen: y?.taxPaidFen ?? null });
    }
    return alignColumns(codes, rows, { latestYear: (r) => r.year, revenueFen: (r) => r.revenueFen, taxPaidFen: (r) => r.taxPaidFen, creditRating: (r) => r.creditRating });
  }
}
