import type { FilterQuery } from '@mikro-orm/core';
import { Arg, Args, ArgsType, Ctx, Field, Mutation, Query, Resolver } from 'type-graphql';
import { AppError, ErrorCode, invalidInput } from '../../platform/errors';
import { regionCondition, Guard, requireWriter } from '../kit/scope';
import type { Context } from '../kit/subgraph';
import { checkPageSize, decodeCursor, encodeCursor } from '../kit/pagination';
import { PolicyCode, SafeText } from '../kit/validation';
import { emit } from '../kit/events/outbox';
import { POLICIES_FAMILY, POLICY_PUBLISHED, type PolicyPublishedPayload } from './push/events';
import { isPolicyOwnerDepartment, SIGN_OFF_DEPARTMENTS, SIGN_OFF_NAMES, signerDepartment, transition } from './lifecycle';
import { Policy, PolicySignOff, PolicyVersion, SignOffDecision } from './policy.entity';
import {
  allApproved,
  assertCanSee,
  applyGuide,
  assertOwner,
  createProblems,
  guideProblems,
  invalidTransition,
  loadPolicy,
  policyViews,
  PUBLIC_STATUSES,
  refreshIndex,
  regionOfDepartment,
  signer,
  stepPolicy,
  versionId,
  workingVersion,
} from './policy.service';
import { CreatePolicyInput, PoliciesArgs, PolicyConnection, PolicyGuideInput, PolicyView, GuideText } from './policy.types';
import { queryGroups, searchIndex } from './search';

type Ctx = Context<unknown>;
const MAX_PAGE = 100;
const STAFF_WRITERS = ['DEPARTMENT_REVIEWER', 'DEPARTMENT_SYSTEM', 'ADMIN'] as const;
const SIGNERS = ['DEPARTMENT_REVIEWER', 'DEPARTMENT_SYSTEM', 'FINANCE', 'APPROVAL_BUREAU'] as const;

@ArgsType()
class PolicyIdArgs {
  @Field({ description: '政策编号' })
  @PolicyCode()
  id!: string;
}

@ArgsType()
class UpdatePolicyArgs extends PolicyIdArgs {
  @Field(() => PolicyGuideInput)
  guide!: PolicyGuideInput;
}

@ArgsType()
class SignOffArgs extends PolicyIdArgs {
  @Field(() => SignOffDecision)
  decision!: SignOffDecision;

  @Field(() => String, { nullable: true, description: '会签意见；退回时必填' })
  @GuideText('会签意见', 2000)
  comments?: string | null;
}

@ArgsType()
class ReasonArgs extends PolicyIdArgs {
  @Field(() => String, { nullable: true, description: '原因' })
  @SafeText({ label: '原因', max: 500 })
  reason?: string | null;
}

/**
 * Which policies a caller may list: anything once published, for everyone (no login); drafts and
 * consultations of the departments and regions the caller acts for.
 */
function visibility(ctx: Ctx): FilterQuery<Policy> {
  const id = ctx.identity;
  const pub: FilterQuery<Policy> = { status: { $in: PUBLIC_STATUSES } };
  if (!id.role) return pub;
  if (id.role === 'AUDITOR') return {};
  const mine: FilterQuery<Policy>[] = [];
  if (id.role === 'ADMIN' && id.region) mine.push(regionCondition(id.region) as FilterQuery<Policy>);
  if ((id.role === 'DEPARTMENT_REVIEWER' || id.role === 'DEPARTMENT_SYSTEM') && id.department) mine.push({ departmentCode: id.department });
  const region = id.department ? regionOfDepartment(id.department) : id.region;
  if (region && signerDepartment(id, region)) mine.push({ regionCode: region });
  return mine.length ? { $or: [pub, ...mine] } : pub;
}

/** Cursor of a ranked page: the rank key of the last row, so the next page starts right after it. */
const rankKey = (matched: number, score: number, id: string) => `${String(999 - matched).padStart(3, '0')}.${String(99_999_999 - score).padStart(8, '0')}.${id}`;

@Resolver(() => PolicyView)
export class PolicyResolver {
  @Query(() => PolicyConnection, { description: '一网查询：检索政策（无需登录）。有关键词时按相关度排序，否则按编号' })
  async policies(@Args(() => PoliciesArgs) args: PoliciesArgs, @Ctx() ctx: Ctx) {
    const first = checkPageSize(args.first, MAX_PAGE);
    const after = args.after ? decodeCursor(args.after) : undefined;
    const f = args.filter ?? {};
    const where: FilterQuery<Policy>[] = [visibility(ctx), { status: f.status ?? 'PUBLISHED' }];
    if (f.department) where.push({ departmentCode: f.department });
    if (f.mode) where.push({ mode: f.mode });
    if (f.industry) {
      // A section (C) lists policies for the section or any of its divisions; a division (C39) those for it or its section.
      const section = f.industry.slice(0, 1);
      const match = f.industry.length === 1 ? { $like: `%,${section}%` } : { $like: `%,${f.industry},%` };
      where.push({ $or: [{ industryList: '' }, { industryList: match }, { industryList: { $like: `%,${section},%` } }] });
    }
    if (f.scale) where.push({ $or: [{ scaleList: '' }, { scaleList: { $like: `%,${f.scale},%` } }] });
    if (f.tag) where.push({ tagList: { $like: `%,${f.tag},%` } });

    const groups = f.keyword ? queryGroups(f.keyword) : undefined;
    if (!groups) {
      const pageWhere = after ? [...where, { id: { $gt: after } }] : where;
      const [rows, totalCount] = await Promise.all([
        ctx.em.find(Policy, { $and: pageWhere }, { orderBy: { id: 'asc' }, limit: first + 1 }),
        ctx.em.count(Policy, { $and: where }),
      ]);
      const nodes = await policyViews(ctx.em, ctx.identity, rows.slice(0, first));
      return { nodes, totalCount, pageInfo: { hasNextPage: rows.length > first, endCursor: nodes.length ? encodeCursor(nodes[nodes.length - 1].id) : null } };
    }
    // Ranked: the index gives the candidates and their scores; the filters run in SQL on them.
    const hits = await searchIndex(ctx.em, groups);
    const allowed = hits.length ? await ctx.em.find(Policy, { $and: [...where, { id: { $in: hits.map((h) => h.policyId) } }] }) : [];
    const byId = new Map(allowed.map((p) => [p.id, p]));
    const ranked = hits
      .filter((h) => byId.has(h.policyId))
      .map((h) => ({ ...h, key: rankKey(h.matched, h.score, h.policyId) }))
      .sort((a, b) => (a.key < b.key ? -1 : 1));
    const rest = after ? ranked.filter((h) => h.key > after) : ranked;
    const page = rest.slice(0, first);
    const nodes = await policyViews(ctx.em, ctx.identity, page.map((h) => byId.get(h.policyId)!), new Map(page.map((h) => [h.policyId, h.score])));
    return { nodes, totalCount: ranked.length, pageInfo: { hasNextPage: rest.length > first, endCursor: page.length ? encodeCursor(page[page.length - 1].key) : null } };
  }

  @Query(() => PolicyView, { nullable: true, description: '一项政策（无需登录）；草稿仅可办理的工作人员可见' })
  async policy(@Args(() => PolicyIdArgs) { id }: PolicyIdArgs, @Ctx() ctx: Ctx) {
    const policy = await ctx.em.findOne(Policy, { id });
    if (!policy) return null;
    try {
      assertCanSee(ctx.identity, policy);
    } catch {
      return null; // a draft the caller may not see is as absent as a missing one
    }
    return (await policyViews(ctx.em, ctx.identity, [policy]))[0];
  }

  @Mutation(() => PolicyView, { description: '新建政策草稿：主管部门工作人员（部门审核、部门系统）或本地区管理员' })
  @Guard((identity) => requireWriter(identity, ...STAFF_WRITERS))
  async createPolicyDraft(@Arg('input', () => CreatePolicyInput) input: CreatePolicyInput, @Ctx() ctx: Ctx) {
    // Who before what: another department's staff are refused before their input is judged.
    if (isPolicyOwnerDepartment(input.department)) assertOwner(ctx.identity, { departmentCode: input.department, regionCode: regionOfDepartment(input.department)! });
    const problems = createProblems(input);
    if (problems.length) throw invalidInput(problems);
    const regionCode = regionOfDepartment(input.department)!;
    return ctx.em.transactional(async (em) => {
      if (await em.findOne(Policy, { id: input.id })) throw new AppError(ErrorCode.ALREADY_EXISTS, `政策编号 ${input.id} 已被使用`);
      const now = new Date();
      const policy = em.create(Policy, {
        id: input.id,
        departmentCode: input.department,
        regionCode,
        level: input.level,
        cityShareBp: input.level === 'CITY' ? input.cityShareBp : null,
        countyShareBp: input.level === 'CITY' ? input.countyShareBp : null,
        mode: input.mode,
        status: 'DRAFT',
        publishedVersion: null,
        workingVersion: 1,
        industryList: '',
        scaleList: '',
        tagList: '',
        createdAt: now,
        updatedAt: now,
      });
      const v = em.create(PolicyVersion, { id: versionId(input.id, 1), policyId: input.id, number: 1, state: 'DRAFT', round: 0, createdBy: ctx.identity.subject ?? null, createdAt: now } as PolicyVersion);
      applyGuide(v, input.guide, input.mode);
      await refreshIndex(em, policy, v);
      await em.flush();
      return (await policyViews(em, ctx.identity, [policy]))[0];
    });
  }

  @Mutation(() => PolicyView, { description: '修改政策：草稿直接修改；已发布的政策新建版本（原版本在新版本发布前继续施行）' })
  @Guard((identity) => requireWriter(identity, ...STAFF_WRITERS))
  async updatePolicyDraft(@Args(() => UpdatePolicyArgs) args: UpdatePolicyArgs, @Ctx() ctx: Ctx) {
    return ctx.em.transactional(async (em) => {
      const policy = await loadPolicy(em, args.id);
      assertOwner(ctx.identity, policy);
      const problems = guideProblems(args.guide, policy.mode);
      if (problems.length) throw invalidInput(problems);
      let v: PolicyVersion;
      if (policy.workingVersion) {
        v = await workingVersion(em, policy, 'updatePolicyDraft');
      } else {
        if (policy.status === 'REPEALED') throw invalidTransition(`政策 ${policy.id} 已废止，不能修改`, policy.status);
        const n = (await em.count(PolicyVersion, { policyId: policy.id })) + 1;
        v = em.create(PolicyVersion, { id: versionId(policy.id, n), policyId: policy.id, number: n, state: 'DRAFT', round: 0, createdBy: ctx.identity.subject ?? null, createdAt: new Date() } as PolicyVersion);
        policy.workingVersion = n;
      }
      applyGuide(v, args.guide, policy.mode);
      policy.updatedAt = new Date();
      if (!policy.publishedVersion) await refreshIndex(em, policy, v);
      await em.flush();
      return (await policyViews(em, ctx.identity, [policy]))[0];
    });
  }

  @Mutation(() => PolicyView, { description: '提交会签（县发改委、县财政局、县行政审批局）：提交后该版本不可修改' })
  @Guard((identity) => requireWriter(identity, ...STAFF_WRITERS))
  async submitPolicyForConsultation(@Args(() => PolicyIdArgs) { id }: PolicyIdArgs, @Ctx() ctx: Ctx) {
    return ctx.em.transactional(async (em) => {
      const policy = await loadPolicy(em, id);
      assertOwner(ctx.identity, policy);
      const v = await workingVersion(em, policy, 'submitPolicyForConsultation');
      v.state = 'CONSULTATION';
      v.round += 1;
      v.submittedAt = new Date();
      if (!policy.publishedVersion) policy.status = 'CONSULTATION';
      policy.updatedAt = new Date();
      await em.flush();
      return (await policyViews(em, ctx.identity, [policy]))[0];
    });
  }

  @Mutation(() => PolicyView, { description: '会签：同意或退回（附意见）。由本县发改委、财政局、行政审批局办理' })
  @Guard((identity) => requireWriter(identity, ...SIGNERS))
  async signOffPolicy(@Args(() => SignOffArgs) args: SignOffArgs, @Ctx() ctx: Ctx) {
    if (args.decision === 'RETURNED' && !args.comments?.trim()) throw invalidInput([{ field: 'comments', message: '退回时须填写会签意见' }]);
    return ctx.em.transactional(async (em) => {
      const policy = await loadPolicy(em, args.id);
      const department = signer(ctx.identity, policy);
      const v = await workingVersion(em, policy, `signOffPolicy:${args.decision}`);
      const key = `${v.id}#${v.round}:${department}`;
      if (await em.findOne(PolicySignOff, { id: key })) throw invalidTransition(`${department} 已在本轮会签中签署过意见`, v.state);
      em.create(PolicySignOff, { id: key, versionId: v.id, round: v.round, department, decision: args.decision, comments: args.comments ?? null, signedBy: ctx.identity.subject ?? null, signedAt: new Date() });
      if (args.decision === 'RETURNED') {
        v.state = transition('signOffPolicy:RETURNED').to as PolicyVersion['state'];
        if (!policy.publishedVersion) policy.status = 'DRAFT';
      }
      policy.updatedAt = new Date();
      await em.flush();
      return (await policyViews(em, ctx.identity, [policy]))[0];
    });
  }

  @Mutation(() => PolicyView, { description: '发布：须县发改委、县财政局、县行政审批局在本轮会签中均已同意；新版本发布后替代原版本' })
  @Guard((identity) => requireWriter(identity, ...STAFF_WRITERS))
  async publishPolicy(@Args(() => PolicyIdArgs) { id }: PolicyIdArgs, @Ctx() ctx: Ctx) {
    return ctx.em.transactional(async (em) => {
      const policy = await loadPolicy(em, id);
      assertOwner(ctx.identity, policy);
      const v = await workingVersion(em, policy, 'publishPolicy');
      const signOffs = await em.find(PolicySignOff, { versionId: v.id, round: v.round });
      if (!allApproved(signOffs, v)) {
        const missing = SIGN_OFF_DEPARTMENTS.filter((d) => !signOffs.some((s) => s.department === d && s.decision === 'APPROVED'));
        throw invalidTransition(`政策 ${id} 尚未完成会签，不能发布：待${missing.map((d) => `${SIGN_OFF_NAMES[d]}（${d}）`).join('、')}同意`, v.state, { missing });
      }
      if (policy.publishedVersion) {
        const old = await em.findOneOrFail(PolicyVersion, { id: versionId(id, policy.publishedVersion) });
        old.state = 'SUPERSEDED';
      }
      v.state = 'PUBLISHED';
      v.publishedAt = new Date();
      policy.publishedVersion = v.number;
      policy.workingVersion = null;
      if (policy.status === 'DRAFT' || policy.status === 'CONSULTATION') policy.status = 'PUBLISHED';
      policy.updatedAt = new Date();
      await refreshIndex(em, policy, v);
      // 精准推送 (push/): the push consumer screens the region and messages who qualifies. Same flush as the change.
      const payload: PolicyPublishedPayload = { policyId: policy.id, version: v.number, region: policy.regionCode, mode: policy.mode };
      emit(em, { family: POLICIES_FAMILY, type: POLICY_PUBLISHED, payload, requestId: ctx.requestId, traceId: ctx.traceId });
      await em.flush();
      return (await policyViews(em, ctx.identity, [policy]))[0];
    });
  }

  @Mutation(() => PolicyView, { description: '暂停施行（可恢复）' })
  @Guard((identity) => requireWriter(identity, ...STAFF_WRITERS))
  suspendPolicy(@Args(() => ReasonArgs) args: ReasonArgs, @Ctx() ctx: Ctx) {
    return this.policyStep(args, 'suspendPolicy', ctx);
  }

  @Mutation(() => PolicyView, { description: '恢复施行' })
  @Guard((identity) => requireWriter(identity, ...STAFF_WRITERS))
  resumePolicy(@Args(() => ReasonArgs) args: ReasonArgs, @Ctx() ctx: Ctx) {
    return this.policyStep(args, 'resumePolicy', ctx);
  }

  @Mutation(() => PolicyView, { description: '到期失效' })
  @Guard((identity) => requireWriter(identity, ...STAFF_WRITERS))
  expirePolicy(@Args(() => ReasonArgs) args: ReasonArgs, @Ctx() ctx: Ctx) {
    return this.policyStep(args, 'expirePolicy', ctx);
  }

  @Mutation(() => PolicyView, { description: '废止' })
  @Guard((identity) => requireWriter(identity, ...STAFF_WRITERS))
  repealPolicy(@Args(() => ReasonArgs) args: ReasonArgs, @Ctx() ctx: Ctx) {
    return this.policyStep(args, 'repealPolicy', ctx);
  }

  private policyStep({ id, reason }: ReasonArgs, action: string, ctx: Ctx) {
    return ctx.em.transactional(async (em) => {
      const policy = (await stepPolicy(em, ctx.identity, { id, action, reason }))!;
      return (await policyViews(em, ctx.identity, [policy]))[0];
    });
  }
}

