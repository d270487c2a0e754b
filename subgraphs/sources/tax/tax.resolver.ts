import type { FilterQuery } from '@mikro-orm/core';
import { Args, Arg, Ctx, Field, FieldResolver, InputType, Query, Resolver, Root } from 'type-graphql';
import { forbidden } from '../../../platform/errors';
import type { Identity, Role } from '../../../platform/identity';
import { canReadEnterpriseRecord, enterpriseScope, Guard, regionOfCreditCode, requireAuthenticated } from '../../kit/scope';
import { RegionCode } from '../../kit/validation';
import { ConnectionType, PageArgs, paginate } from '../../kit/pagination';
import type { Context } from '../../kit/subgraph';
import { EnterpriseReference } from './enterprise.reference';
import type { TaxLoaders } from './loaders';
import { TaxCreditRating, TaxProfile } from './tax-profile.entity';

type Ctx = Context<TaxLoaders>;

/** Taxpayer information is confidential (税收征管法 §8): the front-desk window does not need it. */
const TAX_READERS: ReadonlySet<Role> = new Set<Role>(['ENTERPRISE', 'APPROVAL_BUREAU', 'FINANCE', 'DEPARTMENT_REVIEWER', 'DEPARTMENT_SYSTEM', 'ADMIN', 'AUDITOR']);

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
    return paginate(ctx.em, TaxProfile, { $and: conditions }, { key: 'creditCode', first: page.first, after: page.after, max: 500 });
  }

  @FieldResolver(() => EnterpriseReference, { description: '纳税人企业（由 enterprises 子图解析）' })
  enterprise(@Root() profile: TaxProfile): EnterpriseReference {
    return { creditCode: profile.creditCode };
  }
}

@Resolver(() => EnterpriseReference)
export class EnterpriseTaxResolver {
  @FieldResolver(() => TaxProfile, { nullable: true, description: '纳税信息（县税务局）；无记录时为 null' })
  async tax(@Root() enterprise: EnterpriseReference, @Ctx() ctx: Ctx): Promise<TaxProfile | null> {
    assertCanReadTax(ctx.identity, { creditCode: enterprise.creditCode, regionCode: regionOfCreditCode(enterprise.creditCode) });
    const profile = await ctx.loaders.profile.load(enterprise.creditCode);
    // The profile's own region (where it is administered) is checked too.
    if (profile) assertCanReadTax(ctx.identity, profile);
    return profile;
  }
}
