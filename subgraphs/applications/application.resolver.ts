import type { FilterQuery } from '@mikro-orm/core';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ValidateNested } from 'class-validator';
import { echo, invalidInput, notFound } from '../../platform/errors';
import { Guard, requireWriter } from '../kit/scope';
import { PageArgs, paginate } from '../kit/pagination';
import { rule, UUID } from '../kit/validation';
import type { Context } from '../kit/subgraph';
import { Application } from './application.entity';
import { ApplicationFilter, ApplicationsArgs, CheckApplicationInput, DepartmentDecisionInput, DepartmentProgressInput, ResubmitApplicationInput, SubmitApplicationInput } from './application.inputs';
import { ApplicationConnection, ApplicationMaterialView, ApplicationReceipt, ApplicationStepView, ApplicationView, EnterpriseReference, PolicyReference } from './application.types';
import { applicationView, materialView, receiptView, stepView } from './application.view';
import { submitApplication } from './intake';
import type { ApplicationsLoaders } from './loaders';
import { applicationScope, canReadApplication, requireApplicationReader } from './scope';
import { checkApplication, recordDepartmentDecision, recordDepartmentProgress, resubmitApplication } from './transitions';

type Ctx = Context<ApplicationsLoaders>;
const RECEIPT = /^\d{6}-\d{8}-\d{6}$/;
const MAX_PAGE = 100;

/** A case the caller may read, else NOT_FOUND whether or not it exists (no existence oracle). */
export async function loadReadable(ctx: Ctx, id: string) {
  requireApplicationReader(ctx.identity);
  const application = UUID.test(id) ? await ctx.loaders.application.load(id) : null;
  if (!application || !canReadApplication(ctx.identity, application)) throw notFound('办件', echo(id));
  return application;
}

const ReceiptNumberRule = () =>
  rule('receiptNumber', (value) => (typeof value === 'string' && RECEIPT.test(value) ? undefined : `受理回执编号应形如 360732-20261126-000042，收到“${echo(value)}”`));

@ArgsType()
class ReceiptArgs {
  @Field({ description: '受理回执编号' }) @ReceiptNumberRule() receiptNumber!: string;
}

@ArgsType()
class IdArgs {
  @Field(() => ID) id!: string;
}

@ArgsType()
class CheckArgs extends IdArgs {
  @Field(() => CheckApplicationInput) @ValidateNested() input!: CheckApplicationInput;
}

@ArgsType()
class ResubmitArgs extends IdArgs {
  @Field(() => ResubmitApplicationInput) @ValidateNested() input!: ResubmitApplicationInput;
}

/** The filter as conditions; a department asked for outside the caller's scope simply finds nothing. */
function filterConditions(filter: ApplicationFilter | undefined): FilterQuery<Application>[] {
  const f = filter ?? {};
  const where: FilterQuery<Application>[] = [];
  if (f.status) where.push({ status: f.status });
  if (f.department) where.push({ department: f.department });
  if (f.creditCode) where.push({ creditCode: f.creditCode });
  if (f.policyId) where.push({ policyId: f.policyId });
  if (f.channel) where.push({ channel: f.channel });
  return where;
}

function listApplications(ctx: Ctx, args: PageArgs, where: FilterQuery<Application>[]) {
  const scope = applicationScope(ctx.identity);
  return paginate(ctx.em, Application, { $and: [scope, ...where] }, { key: 'receiptNumber', first: args.first, after: args.after, max: MAX_PAGE }).then((page) => ({
    ...page,
    nodes: page.nodes.map(applicationView),
  }));
}

@Resolver(() => ApplicationView)
export class ApplicationResolver {
  @Query(() => ApplicationView, { description: '办事进度查询：一件办件（企业只见本企业的，窗口只见本窗口受理的，部门只见本部门的）' })
  @Guard(requireApplicationReader)
  async application(@Arg('id', () => ID) id: string, @Ctx() ctx: Ctx) {
    return applicationView(await loadReadable(ctx, id));
  }

  @Query(() => ApplicationView, { description: '凭受理回执编号查询办件（范围同 application）' })
  @Guard(requireApplicationReader)
  async applicationByReceipt(@Args(() => ReceiptArgs) { receiptNumber }: ReceiptArgs, @Ctx() ctx: Ctx) {
    const application = await ctx.em.findOne(Application, { receiptNumber });
    if (!application || !canReadApplication(ctx.identity, application)) throw notFound('办件', receiptNumber);
    return applicationView(application);
  }

  @Query(() => ApplicationConnection, {
    description: '办件列表（按受理回执编号排序）。企业：本企业的；窗口：本窗口受理的及本地区待形式审查的网上申报；主管部门（含部门业务系统拉取）：本部门的；行政审批局、管理员：本地区的；审计：全部',
  })
  @Guard(requireApplicationReader)
  async applications(@Args(() => ApplicationsArgs) args: ApplicationsArgs, @Ctx() ctx: Ctx) {
    return listApplications(ctx, args, filterConditions(args.filter));
  }

  @Mutation(() => ApplicationView, { description: '提交申请（企业网上申报，或窗口代为申报并出具受理回执）。政策锁定为当前施行版本；拒绝时不保存任何东西' })
  @Guard((identity) => requireWriter(identity, 'ENTERPRISE', 'WINDOW_CLERK'))
  async submitApplication(@Arg('input', () => SubmitApplicationInput) input: SubmitApplicationInput, @Ctx() ctx: Ctx) {
    return applicationView(await submitApplication(ctx, input));
  }

  @Mutation(() => ApplicationView, { description: '补正后重新提交（已退回的办件）' })
  @Guard((identity) => requireWriter(identity, 'ENTERPRISE', 'WINDOW_CLERK'))
  async resubmitApplication(@Args(() => ResubmitArgs) { id, input }: ResubmitArgs, @Ctx() ctx: Ctx) {
    return applicationView(await resubmitApplication(ctx, id, input));
  }

  @Mutation(() => ApplicationView, { description: '形式审查：受理（分送主管部门，可容缺），或退回并一次性告知所缺的全部材料' })
  @Guard((identity) => requireWriter(identity, 'WINDOW_CLERK', 'APPROVAL_BUREAU'))
  async checkApplication(@Args(() => CheckArgs) { id, input }: CheckArgs, @Ctx() ctx: Ctx) {
    return applicationView(await checkApplication(ctx, id, input));
  }

  @Mutation(() => ApplicationView, { description: '主管部门（业务系统或审核人员）推送审核结果；按 decisionId 幂等' })
  @Guard((identity) => requireWriter(identity, 'DEPARTMENT_SYSTEM', 'DEPARTMENT_REVIEWER'))
  async recordDepartmentDecision(@Arg('input', () => DepartmentDecisionInput) input: DepartmentDecisionInput, @Ctx() ctx: Ctx) {
    return applicationView(await recordDepartmentDecision(ctx, input));
  }

  @Mutation(() => ApplicationView, { description: '承诺兑现：记录评审、专家评审或现场核查；按 progressId 幂等' })
  @Guard((identity) => requireWriter(identity, 'DEPARTMENT_SYSTEM', 'DEPARTMENT_REVIEWER'))
  async recordDepartmentProgress(@Arg('input', () => DepartmentProgressInput) input: DepartmentProgressInput, @Ctx() ctx: Ctx) {
    return applicationView(await recordDepartmentProgress(ctx, input));
  }

  @FieldResolver(() => [ApplicationMaterialView])
  async materials(@Root() root: ApplicationView, @Ctx() ctx: Ctx) {
    return (await ctx.loaders.materials.load(root.id)).map(materialView);
  }

  @FieldResolver(() => [ApplicationStepView], { description: '办事进度：每一步的办理人、时间、意见与进入状态的期限（当前步骤的期限另见 deadline）' })
  async timeline(@Root() root: ApplicationView, @Ctx() ctx: Ctx) {
    return (await ctx.loaders.steps.load(root.id)).map(stepView);
  }

  @FieldResolver(() => ApplicationReceipt, { description: '受理回执：回执编号、收到的材料、形式审查的期限' })
  async receipt(@Root() root: ApplicationView, @Ctx() ctx: Ctx) {
    const [application, materials] = await Promise.all([ctx.loaders.application.load(root.id), ctx.loaders.materials.load(root.id)]);
    const steps = await ctx.loaders.steps.load(root.id);
    return receiptView(application!, materials, steps[0]);
  }

  @FieldResolver(() => PolicyReference, { description: '申请的政策（由政策库子图提供）' })
  policy(@Root() root: ApplicationView) {
    return { id: root.policyId };
  }

  @FieldResolver(() => EnterpriseReference, { description: '申请企业（由企业库子图提供）' })
  enterprise(@Root() root: ApplicationView) {
    return { creditCode: root.creditCode };
  }
}

@ArgsType()
class EnterpriseApplicationsArgs extends PageArgs {
  @Field(() => ApplicationFilter, { nullable: true }) @ValidateNested() filter?: ApplicationFilter;
}

@Resolver(() => EnterpriseReference)
export class EnterpriseApplicationsResolver {
  @FieldResolver(() => ApplicationConnection, { description: '该企业的办件（范围同 applications）' })
  @Guard(requireApplicationReader)
  async applications(@Root() enterprise: EnterpriseReference, @Args(() => EnterpriseApplicationsArgs) args: EnterpriseApplicationsArgs, @Ctx() ctx: Ctx) {
    if (args.filter?.creditCode && args.filter.creditCode !== enterprise.creditCode) throw invalidInput([{ field: 'filter.creditCode', message: '在企业下查询办件时不能再按其他企业筛选' }]);
    return listApplications(ctx, args, [{ creditCode: enterprise.creditCode }, ...filterConditions(args.filter)]);
  }
}
