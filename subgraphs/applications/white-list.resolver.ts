import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root, registerEnumType } from 'type-graphql';
import { CreditCodeScalar } from '../../platform/credit-code';
import { AppError, ErrorCode, forbidden, notFound } from '../../platform/errors';
import { regionCovers, type Identity } from '../../platform/identity';
import { GraphRequestError } from '../kit/graph-client';
import { paginate, PageArgs } from '../kit/pagination';
import { Guard, requireAuthenticated, requireWriter } from '../kit/scope';
import { nowOf } from '../kit/services';
import type { Context } from '../kit/subgraph';
import { rule, UUID } from '../kit/validation';
import { Application } from './application.entity';
import { ApplicationConnection } from './application.types';
import { applicationView } from './application.view';
import type { ApplicationsLoaders } from './loaders';
import { periodOf, type IntakePolicy } from './intake';
import { applicationScope } from './scope';
import { confirmationRefusal, digestMismatch, notTheDepartment, SCREENING_HEAD_QUERY, type ScreeningHead } from './white-list.rules';
import { ConfirmationState, WhiteListConfirmation } from './white-list.entity';
import { emitChunk, resumeStalledConfirmations, WHITE_LIST_RESUME_AFTER_MS, whiteListPurpose } from './white-list';

type Ctx = Context<ApplicationsLoaders>;


registerEnumType(ConfirmationState, {
  name: 'WhiteListConfirmationState',
  description: '白名单确认的进度',
  valuesConfig: { IN_PROGRESS: { description: '正在逐批生成办件（每批一个事务，进度留存）' }, COMPLETE: { description: '白名单的每一条都已处理' } },
});

@InputType({ description: '确认一次留存的白名单筛查（policyScreening 的 id 与 digest）' })
export class ConfirmWhiteListInput {
  @Field(() => ID, { description: '筛查编号（screening / policyScreening 返回的 id）' })
  @rule('screeningId', (v) => (typeof v === 'string' && UUID.test(v) ? undefined : '筛查编号应为筛查返回的 UUID（小写）'))
  screeningId!: string;

  @Field({ description: '白名单摘要（筛查返回的 digest，64 位十六进制）：确认的正是所读的名单' })
  @rule('digest', (v) => (typeof v === 'string' && /^[0-9a-f]{64}$/.test(v) ? undefined : '白名单摘要应为筛查返回的 digest（64 位小写十六进制）'))
  digest!: string;
}

@ObjectType({ description: '白名单中未生成办件的一条及原因' })
export class WhiteListSkippedEntry {
  @Field(() => CreditCodeScalar) creditCode!: string;
  @Field() reason!: string;
}

@ObjectType('WhiteListConfirmation', { description: '免申即享：主管部门对一次留存筛查的白名单的确认；每条生成一件“审核通过”的办件并自动进入联合审核' })
export class WhiteListConfirmationView {
  @Field(() => ID, { description: '所确认的筛查编号' }) screeningId!: string;
  @Field() digest!: string;
  @Field() policyId!: string;
  @Field(() => Int) policyVersion!: number;
  @Field() policyTitle!: string;
  @Field({ description: '主管部门（确认部门）' }) department!: string;
  @Field({ description: '筛查地区' }) regionCode!: string;
  @Field({ description: '筛查的计算日期' }) evaluatedOn!: string;
  @Field({ description: '政策申报期（同一政策、同一企业、同一申报期只有一件）' }) period!: string;
  @Field(() => ConfirmationState) state!: ConfirmationState;
  @Field(() => Int, { description: '白名单条数' }) eligibleCount!: number;
  @Field(() => Int, { description: '本次确认生成的办件数' }) created!: number;
  @Field(() => Int, { description: '已有办件（此前确认过，或同一申报期已有办件）未再生成的条数' }) alreadyConfirmed!: number;
  @Field(() => Int, { description: '未能生成办件的条数（见 skippedEntries）' }) skipped!: number;
  @Field(() => [WhiteListSkippedEntry]) skippedEntries!: WhiteListSkippedEntry[];
  @Field(() => Int, { description: '已处理的批数（每批至多 500 条，一个事务）' }) chunks!: number;
  @Field({ description: '确认人角色' }) confirmedByRole!: string;
  @Field() confirmedAt!: Date;
  @Field(() => Date, { nullable: true }) completedAt!: Date | null;
  @Field({ description: 'true：此次调用发现该筛查已确认过，未作任何新的确认' }) repeated!: boolean;
}

const view = (c: WhiteListConfirmation, repeated: boolean): WhiteListConfirmationView => ({
  screeningId: c.screeningId,
  digest: c.digest,
  policyId: c.policyId,
  policyVersion: c.policyVersion,
  policyTitle: c.policyTitle,
  department: c.department,
  regionCode: c.regionCode,
  evaluatedOn: c.evaluatedOn,
  period: c.period,
  state: c.state,
  eligibleCount: c.eligibleCount,
  created: c.created,
  alreadyConfirmed: c.alreadyConfirmed,
  skipped: c.skipped,
  skippedEntries: c.skippedEntries ?? [],
  chunks: c.chunks,
  confirmedByRole: c.confirmedByRole,
  confirmedAt: c.confirmedAt,
  completedAt: c.completedAt ?? null,
  repeated,
});

const CONFIRMERS = ['DEPARTMENT_REVIEWER', 'DEPARTMENT_SYSTEM'] as const;
const READERS = new Set(['DEPARTMENT_REVIEWER', 'DEPARTMENT_SYSTEM', 'APPROVAL_BUREAU', 'ADMIN', 'AUDITOR']);

/** Who sees a confirmation: its department, the Approval Bureau and ADMIN of its region, the auditor. */
function canReadConfirmation(identity: Identity, c: WhiteListConfirmation): boolean {
  switch (identity.role) {
    case 'DEPARTMENT_REVIEWER':
    case 'DEPARTMENT_SYSTEM':
      return identity.department === c.department;
    case 'APPROVAL_BUREAU':
    case 'ADMIN':
      return !!identity.region && regionCovers(identity.region, c.regionCode);
    case 'AUDITOR':
      return true;
    default:
      return false;
  }
}

const unavailable = (what: string) =>
  new AppError(ErrorCode.SUBGRAPH_UNAVAILABLE, `暂时无法读取${what}（政策子图或网关无响应），未作任何确认，请稍后重试`, { serviceName: 'policies' });

/** The kept screening's head through the graph, as the platform's service identity for the caller's region. */
async function readScreeningHead(ctx: Ctx, screeningId: string): Promise<ScreeningHead> {
  const graph = ctx.services.graph;
  if (!graph) throw unavailable('留存的筛查');
  try {
    const answer = await graph.request<{ policyScreening: ScreeningHead }>(SCREENING_HEAD_QUERY, { id: screeningId }, { purpose: `免申即享白名单确认：筛查 ${screeningId}`, region: ctx.identity.region! });
    return answer.policyScreening;
  } catch (error) {
    if (error instanceof GraphRequestError && error.codes.includes('NOT_FOUND')) throw notFound('筛查', screeningId);
    ctx.log.warn('confirmWhiteList: the screening could not be read', { screeningId, error });
    throw unavailable('留存的筛查');
  }
}

@Resolver(() => WhiteListConfirmationView)
export class WhiteListResolver {
  @Mutation(() => WhiteListConfirmationView, {
    description:
      '免申即享：主管部门确认一次留存的白名单筛查（编号 + 摘要）。摘要不符（名单已变化）、政策非免申即享、非本部门的政策均拒绝且不写入任何数据。每条有金额的白名单企业生成一件“审核通过”的办件（金额、登记库中的收款账户），自动进入联合审核；逐批生成（每批一个事务，进度留存于确认记录），以 whiteListConfirmation 查询进度。同一筛查重复确认不再生成任何办件（repeated: true）。',
  })
  @Guard((identity) => requireWriter(identity, ...CONFIRMERS))
  async confirmWhiteList(@Arg('input', () => ConfirmWhiteListInput) input: ConfirmWhiteListInput, @Ctx() ctx: Ctx): Promise<WhiteListConfirmationView> {
    const identity = ctx.identity;
    const earlier = await ctx.em.findOne(WhiteListConfirmation, { screeningId: input.screeningId });
    if (earlier) return this.repeat(ctx, earlier, input.digest);

    const head = await readScreeningHead(ctx, input.screeningId);
    const refusal = confirmationRefusal(head, input.digest, identity);
    if (refusal) throw refusal;

    const at = nowOf(ctx.services);
    const confirmation = Object.assign(new WhiteListConfirmation(), {
      screeningId: head.id,
      digest: head.digest,
      policyId: head.policy.id,
      policyVersion: head.version,
      policyTitle: head.policy.current.title,
      reviewDays: head.policy.current.reviewDays,
      department: head.policy.department,
      regionCode: head.regionCode,
      evaluatedOn: head.evaluatedOn,
      // The intake's rule (the version's window, else the year), so a case is one per period across modes.
      period: periodOf({ current: head.policy.current } as IntakePolicy, head.evaluatedOn),
      eligibleCount: head.eligibleCount,
      confirmedByRole: identity.role!,
      confirmedBy: identity.subject ?? null,
      confirmedAt: at,
      progressedAt: at,
      state: ConfirmationState.IN_PROGRESS,
    });
    // The record and its first chunk's event in one transaction: the cases follow chunk by chunk (white-list.ts).
    const fork = ctx.em.fork();
    fork.persist(confirmation);
    emitChunk(fork, confirmation, ctx.requestId);
    try {
      await fork.flush();
    } catch (error) {
      // Confirmed by a concurrent call a moment ago: that one stands.
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      const won = await ctx.em.fork().findOneOrFail(WhiteListConfirmation, { screeningId: input.screeningId });
      return this.repeat(ctx, won, input.digest);
    }
    ctx.log.info('white list confirmed', { screeningId: head.id, policyId: head.policy.id, eligible: head.eligibleCount });
    return view(confirmation, false);
  }

  /** The same screening confirmed again: nothing new; the same digest and department, else refused as a first confirmation would be. */
  private async repeat(ctx: Ctx, earlier: WhiteListConfirmation, digest: string): Promise<WhiteListConfirmationView> {
    if (ctx.identity.department !== earlier.department) throw notTheDepartment(earlier.policyId, earlier.department);
    if (digest !== earlier.digest) throw digestMismatch();
    // Confirming a stalled confirmation again resumes it (the job would, at its next run).
    if (earlier.state === ConfirmationState.IN_PROGRESS) await resumeStalledConfirmations(ctx.em, nowOf(ctx.services), WHITE_LIST_RESUME_AFTER_MS, earlier.screeningId);
    return view(earlier, true);
  }

  @Query(() => WhiteListConfirmationView, { description: '一次白名单确认及其进度（主管部门、本地区行政审批局与管理员、审计）' })
  @Guard((identity) => {
    requireAuthenticated(identity);
    if (!READERS.has(identity.role!)) throw forbidden('无权查看白名单确认：需要主管部门、行政审批局、管理员或审计角色');
  })
  async whiteListConfirmation(@Arg('screeningId', () => ID) screeningId: string, @Ctx() ctx: Ctx): Promise<WhiteListConfirmationView> {
    const confirmation = UUID.test(screeningId) ? await ctx.em.findOne(WhiteListConfirmation, { screeningId }) : null;
    if (!confirmation || !canReadConfirmation(ctx.identity, confirmation)) throw notFound('白名单确认', screeningId.slice(0, 36));
    return view(confirmation, false);
  }

  @FieldResolver(() => ApplicationConnection, { description: '此次确认生成的办件（按调用者可见范围）' })
  async applications(@Root() root: WhiteListConfirmationView, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: Ctx) {
    const connection = await paginate(ctx.em, Application, { $and: [applicationScope(ctx.identity), { screeningId: root.screeningId }] }, { key: 'id', first: page.first, after: page.after, max: 100 });
    return { ...connection, nodes: connection.nodes.map(applicationView) };
  }
}

export { whiteListPurpose };
