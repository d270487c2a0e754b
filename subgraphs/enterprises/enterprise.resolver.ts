import { raw, type FilterQuery } from '@mikro-orm/core';
import { Arg, Args, Ctx, Field, FieldResolver, Info, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { recordAccess } from '../kit/access';
import { CreditCodeScalar } from '../../platform/credit-code';
import { AppError, ErrorCode, forbidden, invalidInput, type FieldProblem } from '../../platform/errors';
import { regionCovers, type Identity } from '../../platform/identity';
import { assertCanReadEnterpriseKey, assertCanReadEnterpriseRecord, canReadEnterpriseRecord, enterpriseScope, Guard, requireAuthenticated, requireWriter } from '../kit/scope';
import { maskBankAccount, maskIdNumber, maskPersonName } from '../kit/mask';
import { ConnectionType, PageArgs, paginate } from '../kit/pagination';
import { setContains, encodeSet } from '../kit/set-column';
import type { Context } from '../kit/subgraph';
import { Region } from './directory.entity';
import { departmentAbbr } from '../../platform/directory';
import { Enterprise } from './enterprise.entity';
import { EnterpriseFilter, RegisterEnterpriseInput } from './enterprise.input';
import { findIndustry } from '../kit/industry';
import type { EnterpriseLoaders } from './loaders';

type Ctx = Context<EnterpriseLoaders>;

@ObjectType({ description: '法定代表人。无权查看者得到脱敏后的姓名与证件号。' })
class LegalRepresentative {
  @Field({ description: '姓名' })
  name!: string;

  @Field({ description: '身份证号码' })
  idNumber!: string;

  @Field({ description: '是否已脱敏' })
  masked!: boolean;
}

@ObjectType({ description: '企业银行账户（兑付用）。仅兑付部门与企业本身可见完整账号。' })
class BankAccount {
  @Field({ description: '开户银行' })
  bankName!: string;

  @Field({ description: '账号' })
  accountNumber!: string;

  @Field({ description: '是否已脱敏' })
  masked!: boolean;
}

@ObjectType({ description: '国民经济行业分类（GB/T 4754-2017）' })
class Industry {
  @Field({ description: '代码，如 C39' })
  code!: string;

  @Field({ description: '大类名称' })
  name!: string;

  @Field({ description: '门类字母，如 C' })
  section!: string;

  @Field({ description: '门类名称，如 制造业' })
  sectionName!: string;
}

const EnterpriseConnection = ConnectionType(Enterprise, 'Enterprise', '企业分页列表');

const MAX_PAGE = 100;
/** A bulk look-up (e.g. the joint audit of a screening's 1,000 enterprises) is one statement. */
export const MAX_BY_CREDIT_CODES = 1000;
const isSelf = (identity: Identity, enterprise: Enterprise) =>
  identity.role === 'ENTERPRISE' && identity.creditCode === enterprise.creditCode;

/** The legal representative's identity is personal data: the enterprise, the intake window and the payer need it. */
const seesLegalRepresentative = (identity: Identity, enterprise: Enterprise) =>
  isSelf(identity, enterprise) || identity.role === 'WINDOW_CLERK' || identity.role === 'APPROVAL_BUREAU';

/** The full account number is for paying: the payer and the enterprise itself. */
const seesBankAccount = (identity: Identity, enterprise: Enterprise) =>
  isSelf(identity, enterprise) || identity.role === 'APPROVAL_BUREAU';

/**
 * Whether the query asks for `field` of this object (a fragment counts as asking: not worth
 * resolving it here). An unmasked value that is not sent is no access.
 */
const selects = (info: GraphQLResolveInfo, field: string) =>
  info.fieldNodes.some((node) => node.selectionSet?.selections.some((s) => s.kind !== 'Field' || s.name.value === field));

/** `%`, `_` and `\` in a user's text are literal characters, not LIKE wildcards. */
export const likeContains = (text: string) => `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/** Who may register: an administrator, or the market regulator's own system (…-SAMR). */
function assertCanRegister(identity: Identity): void {
  requireWriter(identity, 'ADMIN', 'DEPARTMENT_SYSTEM');
  if (identity.role === 'DEPARTMENT_SYSTEM' && departmentAbbr(identity.department ?? '') !== 'SAMR') {
    throw forbidden('只有市场监管部门的业务系统可以登记企业');
  }
}

/**
 * The filter's conditions. A function: the name condition is a raw fragment (MikroORM's `$like`
 * has no ESCAPE clause, and SQLite has no default escape character), which is consumed when a
 * query is built, so the list and its count each get their own.
 */
function filterQuery(identity: Identity, filter: EnterpriseFilter = {}): () => FilterQuery<Enterprise> {
  const conditions: FilterQuery<Enterprise>[] = [...enterpriseScope(identity, filter.regionCode)];
  // The industry filter's pattern is validated (IndustryFilter): a letter, or a letter and two digits.
  if (filter.industry) conditions.push({ industryCode: filter.industry.length === 1 ? { $like: `${filter.industry}%` } : filter.industry });
  if (filter.scale) conditions.push({ scale: filter.scale });
  if (filter.tag) conditions.push({ tagList: { $like: setContains(filter.tag) } });
  const name = filter.nameContains;
  return () => ({
    $and: name ? [...conditions, { [raw((alias: string) => `${alias}.name like ? escape '\\'`, [likeContains(name)])]: [] }] : conditions,
  });
}

@Resolver(() => Enterprise)
export class EnterpriseResolver {
  @Query(() => Enterprise, { nullable: true, description: '按统一社会信用代码查询一家企业（企业只能查本企业；工作人员限本地区）' })
  async enterprise(@Arg('creditCode', () => CreditCodeScalar) creditCode: string, @Ctx() ctx: Ctx): Promise<Enterprise | null> {
    // Decided from the key before loading: a refusal must not depend on whether the enterprise exists.
    assertCanReadEnterpriseKey(ctx.identity, creditCode);
    const enterprise = await ctx.loaders.enterprise.load(creditCode);
    if (enterprise) assertCanReadEnterpriseRecord(ctx.identity, enterprise);
    return enterprise;
  }

  @Query(() => [Enterprise], {
    nullable: 'items',
    description: `按统一社会信用代码批量查询企业（最多 ${MAX_BY_CREDIT_CODES} 个，顺序与输入一致，不存在的为 null），如批量联合审核；每个代码都须在调用者可见范围内`,
  })
  @Guard(requireAuthenticated)
  async enterprisesByCreditCodes(@Arg('creditCodes', () => [CreditCodeScalar]) creditCodes: string[], @Ctx() ctx: Ctx): Promise<(Enterprise | null)[]> {
    if (creditCodes.length < 1 || creditCodes.length > MAX_BY_CREDIT_CODES) {
      throw invalidInput([{ field: 'creditCodes', message: `统一社会信用代码应为 1 到 ${MAX_BY_CREDIT_CODES} 个，收到 ${creditCodes.length} 个` }]);
    }
    // Every key before any row (style #14): one code outside the caller's scope refuses the whole request.
    for (const creditCode of creditCodes) assertCanReadEnterpriseKey(ctx.identity, creditCode);
    const enterprises = await ctx.loaders.enterprise.loadMany(creditCodes);
    return enterprises.map((enterprise) => {
      if (enterprise instanceof Error) throw enterprise;
      if (enterprise) assertCanReadEnterpriseRecord(ctx.identity, enterprise);
      return enterprise;
    });
  }

  @Query(() => EnterpriseConnection, { description: '企业列表（游标分页，按信用代码排序），范围限调用者可见的企业' })
  @Guard(requireAuthenticated)
  async enterprises(
    @Arg('filter', () => EnterpriseFilter, { nullable: true }) filter: EnterpriseFilter | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Ctx,
  ) {
    return paginate(ctx.em, Enterprise, filterQuery(ctx.identity, filter ?? {}), {
      key: 'creditCode',
      first: page.first,
      after: page.after,
      max: MAX_PAGE,
    });
  }

  @FieldResolver(() => LegalRepresentative, { description: '法定代表人（按权限脱敏）' })
  legalRepresentative(@Root() enterprise: Enterprise, @Ctx() ctx: Ctx, @Info() info: GraphQLResolveInfo): LegalRepresentative {
    const visible = seesLegalRepresentative(ctx.identity, enterprise);
    // An ID number served unmasked to anyone but the enterprise itself goes into the access log.
    if (visible && !isSelf(ctx.identity, enterprise) && selects(info, 'idNumber')) {
      recordAccess(ctx, { what: 'Enterprise.legalRepresentative', enterprises: [enterprise.creditCode], unmasked: ['legalRepresentative.idNumber'] });
    }
    return {
      name: visible ? enterprise.legalRepresentative : maskPersonName(enterprise.legalRepresentative),
      idNumber: visible ? enterprise.legalRepresentativeIdNumber : maskIdNumber(enterprise.legalRepresentativeIdNumber),
      masked: !visible,
    };
  }

  @FieldResolver(() => BankAccount, { description: '兑付账户（按权限脱敏）' })
  bankAccount(@Root() enterprise: Enterprise, @Ctx() ctx: Ctx, @Info() info: GraphQLResolveInfo): BankAccount {
    const visible = seesBankAccount(ctx.identity, enterprise);
    if (visible && !isSelf(ctx.identity, enterprise) && selects(info, 'accountNumber')) {
      recordAccess(ctx, { what: 'Enterprise.bankAccount', enterprises: [enterprise.creditCode], unmasked: ['bankAccount.accountNumber'] });
    }
    return {
      bankName: enterprise.bankName,
      accountNumber: visible ? enterprise.bankAccount : maskBankAccount(enterprise.bankAccount),
      masked: !visible,
    };
  }

  @FieldResolver(() => Region, { description: '所在地区' })
  async region(@Root() enterprise: Enterprise, @Ctx() ctx: Ctx): Promise<Region | null> {
    return ctx.loaders.region.load(enterprise.regionCode);
  }

  @FieldResolver(() => Industry, { nullable: true, description: '行业' })
  industry(@Root() enterprise: Enterprise): Industry | null {
    const found = findIndustry(enterprise.industryCode);
    return found ? { code: found.code, name: found.name, section: found.section, sectionName: found.sectionName } : null;
  }

  @Mutation(() => Enterprise, { description: '登记企业（市场监管部门系统或管理员）。所有问题一次性列出；失败时不写入任何数据。' })
  @Guard(assertCanRegister)
  async registerEnterprise(@Arg('input', () => RegisterEnterpriseInput) input: RegisterEnterpriseInput, @Ctx() ctx: Ctx): Promise<Enterprise> {
    const identity = ctx.identity;
    // The input's own rules ran before this resolver (kit/validation.ts decorators); these need the caller or the database.
    const problems: FieldProblem[] = [];
    if (identity.region && !regionCovers(identity.region, input.regionCode)) {
      problems.push({ field: 'regionCode', message: `不能登记到其他地区：您所属地区为 ${identity.region}` });
    }
    const region = await ctx.loaders.region.load(input.regionCode);
    if (!region) problems.push({ field: 'regionCode', message: `平台上没有地区代码 ${input.regionCode}` });
    if (problems.length) throw invalidInput(problems);
    const existing = await ctx.em.findOne(Enterprise, { $or: [{ creditCode: input.creditCode }, { name: input.name.trim() }] });
    if (existing) {
      const sameCode = existing.creditCode === input.creditCode;
      // Name the holder only to a caller who may read it: no oracle on another region's register.
      if (!canReadEnterpriseRecord(identity, existing)) {
        throw new AppError(ErrorCode.ALREADY_EXISTS, sameCode ? '该统一社会信用代码已被登记' : '该企业名称已被其他企业使用');
      }
      throw new AppError(ErrorCode.ALREADY_EXISTS, sameCode
        ? `统一社会信用代码 ${input.creditCode} 已登记为“${existing.name}”`
        : `企业名称“${existing.name}”已被 ${existing.creditCode} 使用`, { creditCode: existing.creditCode });
    }
    // Two registrations racing past the check above meet the unique keys: the kit maps that to ALREADY_EXISTS.
    const enterprise = ctx.em.create(Enterprise, {
      creditCode: input.creditCode,
      name: input.name.trim(),
      legalRepresentative: input.legalRepresentative.trim(),
      legalRepresentativeIdNumber: input.legalRepresentativeIdNumber,
      registeredOn: input.registeredOn,
      regionCode: input.regionCode,
      industryCode: input.industryCode,
      scale: input.scale,
      tagList: encodeSet(input.tags),
      address: input.address.trim(),
      bankName: input.bankName.trim(),
      bankAccount: input.bankAccount,
    });
    await ctx.em.flush();
    ctx.log.info('enterprise registered', { creditCode: enterprise.creditCode, by: identity.subject });
    return enterprise;
  }
}
