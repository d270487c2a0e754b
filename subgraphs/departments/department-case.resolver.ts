import { randomUUID } from 'node:crypto';
import { LockMode, type EntityManager, type FilterQuery } from '@mikro-orm/core';
import { GraphQLJSON } from 'graphql-scalars';
import { Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { AppError, ErrorCode, forbidden, invalidInput, notFound, type FieldProblem } from '../../platform/errors';
import type { Identity } from '../../platform/identity';
import { recordAccess } from '../kit/access';
import { emit } from '../kit/events/outbox';
import { maskBankAccount } from '../kit/mask';
import { paginate } from '../kit/pagination';
import { Guard, requireRole } from '../kit/scope';
import type { Context } from '../kit/subgraph';
import { assertMayWork, canSeeCase, isStaff, requireCaseReader, requireStaffWriter, STAFF_ROLES } from './access';
import { ApplicationReference } from './application.stub';
import {
  CASE_STATUS_NAMES,
  DepartmentCase,
  DepartmentCaseRecord,
  OPEN_STATUSES,
  type DepartmentCaseStatus,
  type DepartmentRecordKind,
} from './department-case.entity';
import {
  AssignArgs,
  CaseIdArgs,
  DecideArgs,
  DepartmentCaseConnection,
  DepartmentCasePayee,
  DepartmentCasesArgs,
  EvaluationArgs,
  SiteSurveyArgs,
  type DecideDepartmentCaseInput,
  type SiteSurveyInput,
} from './department-case.types';
import { DEPARTMENT_DECIDED, DEPARTMENT_RECORDED, DEPARTMENTS_FAMILY, type DepartmentCaseEventPayload } from './events';
import type { DepartmentsLoaders } from './loaders';

type Ctx = Context<DepartmentsLoaders>;
const MAX_PAGE = 100;

/** `WRONG_STATE`: "案件当前状态为X，不能Y" (the same words as the applications subgraph's). */
export const wrongState = (kase: DepartmentCase, action: string) =>
  new AppError(ErrorCode.WRONG_STATE, `案件当前状态为“${CASE_STATUS_NAMES[kase.status]}”，不能${action}`, { status: kase.status });

/** The inbox: the department's staff (their own department only) and the auditor (any). */
function requireInboxReader(identity: Identity): void {
  requireRole(identity, ...STAFF_ROLES, 'AUDITOR');
}

/** Reads of a case by someone outside its department, and payee accounts served unmasked, go to the access log. */
function noteRead(ctx: Ctx, kase: DepartmentCase, what: string, unmasked?: string[]): void {
  if (!unmasked?.length && isStaff(ctx.identity) && ctx.identity.department === kase.department) return;
  recordAccess(ctx, { what, enterprises: [kase.creditCode], ...(unmasked?.length ? { unmasked } : {}) });
}

/**
 * A case for the department's staff to work on, locked for the transaction (PostgreSQL `FOR
 * UPDATE`; SQLite has one writer): two reviewers deciding at once decide once. Another
 * department's case is as absent as a missing one.
 */
async function caseToWork(em: EntityManager, identity: Identity, id: string): Promise<DepartmentCase> {
  const kase = await em.findOne(DepartmentCase, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!kase || kase.department !== identity.department) throw notFound('部门办件', id);
  assertMayWork(identity, kase);
  return kase;
}

function assertOpen(kase: DepartmentCase, action: string): void {
  if (!OPEN_STATUSES.includes(kase.status)) throw wrongState(kase, action);
}

/** A reviewer working an unassigned case takes it. */
function takeIfUnassigned(kase: DepartmentCase, identity: Identity, now: Date): void {
  if (identity.role === 'DEPARTMENT_REVIEWER' && !kase.assignee && identity.subject) {
    kase.assignee = identity.subject;
    kase.assignedAt = now;
  }
}

/** What the outcome requires, checked all at once (一次性告知); the field rules ran before. */
export function decisionProblems(input: DecideDepartmentCaseInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const given = (v: string | null | undefined) => typeof v === 'string' && v.trim().length > 0;
  if (input.outcome === 'APPROVED') {
    if (input.amountFen == null) problems.push({ field: 'input.amountFen', message: '批准须填写核定金额（分）' });
    else if (input.amountFen <= 0) problems.push({ field: 'input.amountFen', message: `核定金额应大于0分，收到${input.amountFen}` });
    if (!given(input.payeeAccount)) problems.push({ field: 'input.payeeAccount', message: '批准须填写收款账号' });
    if (given(input.reason)) problems.push({ field: 'input.reason', message: '批准时不填写不予批准的理由' });
    if (given(input.policyExplanation)) problems.push({ field: 'input.policyExplanation', message: '批准时不填写政策解释（不予批准时告知企业）' });
  } else {
    if (!given(input.reason)) problems.push({ field: 'input.reason', message: '不予批准须写明理由' });
    if (!given(input.policyExplanation)) problems.push({ field: 'input.policyExplanation', message: '不予批准须附政策解释，告知企业依据哪条政策、为何不符合' });
    for (const field of ['amountFen', 'payeeAccount', 'payeeBank'] as const) {
      if (input[field] != null) problems.push({ field: `input.${field}`, message: '不予批准时不填写金额和收款账户' });
    }
  }
  return problems;
}

@Resolver(() => DepartmentCase)
export class DepartmentCaseResolver {
  @Query(() => DepartmentCaseConnection, { description: '部门办件箱：本部门的办件（部门审核人员、部门系统；审计可查看各部门），按受理回执编号排序' })
  @Guard(requireInboxReader)
  async departmentCases(@Args(() => DepartmentCasesArgs) args: DepartmentCasesArgs, @Ctx() ctx: Ctx) {
    const { identity } = ctx;
    let department = args.department ?? undefined;
    if (isStaff(identity)) {
      if (department && department !== identity.department) throw forbidden(`只能查看本部门（${identity.department}）的办件`);
      department = identity.department;
    }
    const where: FilterQuery<DepartmentCase> = {
      ...(department ? { department } : {}),
      ...(args.status ? { status: args.status } : {}),
      ...(args.assignee ? { assignee: args.assignee } : {}),
    };
    const page = await paginate(ctx.em, DepartmentCase, where, { key: 'receiptNumber', first: args.first, after: args.after, max: MAX_PAGE });
    for (const kase of page.nodes) noteRead(ctx, kase, 'DepartmentCase');
    return page;
  }

  @Query(() => DepartmentCase, { nullable: true, description: '一件部门办件：本部门人员、本地区审批局、审计可查看；其他人视为不存在' })
  @Guard(requireCaseReader)
  async departmentCase(@Args(() => CaseIdArgs) { id }: CaseIdArgs, @Ctx() ctx: Ctx) {
    const kase = await ctx.loaders.caseById.load(id);
    if (!kase || !canSeeCase(ctx.identity, kase)) return null;
    noteRead(ctx, kase, 'DepartmentCase');
    return kase;
  }

  @FieldResolver(() => GraphQLJSON, { description: '企业填写的申报表（办事指南要求的数据）' })
  formData(@Root() kase: DepartmentCase): Record<string, unknown> {
    return kase.formData;
  }

  @FieldResolver(() => DepartmentCasePayee, { nullable: true, description: '收款账户（批准时）：本部门人员和审批局明文，审计掩码' })
  payee(@Root() kase: DepartmentCase, @Ctx() ctx: Ctx): DepartmentCasePayee | null {
    if (!kase.payeeAccount) return null;
    const clear = (isStaff(ctx.identity) && ctx.identity.department === kase.department) || ctx.identity.role === 'APPROVAL_BUREAU';
    if (clear) noteRead(ctx, kase, 'DepartmentCase.payee', ['payee.account']);
    return { bank: kase.payeeBank, account: clear ? kase.payeeAccount : maskBankAccount(kase.payeeAccount), masked: !clear };
  }

  @FieldResolver(() => [DepartmentCaseRecord], { description: '现场核查、评估、专家评审记录（先后顺序）' })
  records(@Root() kase: DepartmentCase, @Ctx() ctx: Ctx): Promise<DepartmentCaseRecord[]> {
    return ctx.loaders.records.load(kase.id);
  }

  @FieldResolver(() => ApplicationReference, { description: '对应的申请（受理平台）' })
  application(@Root() kase: DepartmentCase): ApplicationReference {
    return { id: kase.applicationId };
  }

  @Mutation(() => DepartmentCase, { description: '分派办件给审核人员（本部门审核人员或部门系统）；决定作出后不能改派' })
  @Guard(requireStaffWriter)
  async assignDepartmentCase(@Args(() => AssignArgs) { id, reviewer }: AssignArgs, @Ctx() ctx: Ctx) {
    return ctx.em.transactional(async (em) => {
      // Reassigning is how a case moves between reviewers: any staff of the department may.
      const kase = await em.findOne(DepartmentCase, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!kase || kase.department !== ctx.identity.department) throw notFound('部门办件', id);
      assertOpen(kase, '分派');
      const now = new Date();
      kase.assignee = reviewer.trim();
      kase.assignedAt = now;
      if (kase.status === 'RECEIVED') kase.status = 'ASSIGNED';
      kase.updatedAt = now;
      await em.flush();
      return kase;
    });
  }

  @Mutation(() => DepartmentCase, { description: '登记现场核查记录（日期、人员、情况、结论）；承诺兑现的记入受理平台办件进度' })
  @Guard(requireStaffWriter)
  async recordSiteSurvey(@Args(() => SiteSurveyArgs) { id, input }: SiteSurveyArgs, @Ctx() ctx: Ctx) {
    return this.record(ctx, id, 'SITE_SURVEY', input, 'SURVEYING', '登记现场核查');
  }

  @Mutation(() => DepartmentCase, { description: '登记评估或专家评审记录（日期、人员、意见、结论）；承诺兑现的记入受理平台办件进度' })
  @Guard(requireStaffWriter)
  async recordEvaluation(@Args(() => EvaluationArgs) { id, input }: EvaluationArgs, @Ctx() ctx: Ctx) {
    return this.record(ctx, id, input.kind, input, 'EVALUATING', '登记评审');
  }

  private record(ctx: Ctx, id: string, kind: DepartmentRecordKind, input: SiteSurveyInput, status: DepartmentCaseStatus, action: string) {
    return ctx.em.transactional(async (em) => {
      const kase = await caseToWork(em, ctx.identity, id);
      assertOpen(kase, action);
      const now = new Date();
      const record = em.create(DepartmentCaseRecord, {
        id: randomUUID(),
        caseId: kase.id,
        kind,
        date: input.date,
        people: input.people.map((p) => p.trim()),
        findings: input.findings.trim(),
        conclusion: input.conclusion.trim(),
        recordedBy: ctx.identity.subject ?? null,
        recordedAt: now,
        pushedAt: null,
        pushError: null,
      });
      takeIfUnassigned(kase, ctx.identity, now);
      kase.status = status;
      kase.updatedAt = now;
      // COMMITMENT: the application's timeline shows the department's progress (the push consumer
      // calls recordDepartmentProgress). INSTANT cases keep their records here.
      if (kase.mode === 'COMMITMENT') {
        const payload: DepartmentCaseEventPayload = { caseId: kase.id, applicationId: kase.applicationId, department: kase.department, recordId: record.id };
        emit(em, { family: DEPARTMENTS_FAMILY, type: DEPARTMENT_RECORDED, payload, requestId: ctx.requestId, traceId: ctx.traceId });
      }
      await em.flush();
      return kase;
    });
  }

  @Mutation(() => DepartmentCase, {
    description:
      '作出审核决定并回传受理平台（自动、幂等）：批准须有核定金额和收款账户，不予批准须有理由和政策解释。受理平台拒收时（pushError）可修改后重新决定',
  })
  @Guard(requireStaffWriter)
  async decideDepartmentCase(@Args(() => DecideArgs) { id, input }: DecideArgs, @Ctx() ctx: Ctx) {
    return ctx.em.transactional(async (em) => {
      const kase = await caseToWork(em, ctx.identity, id);
      // A decision the applications subgraph refused may be made again (a new decision id); any other is final.
      const refusedBefore = kase.status === 'DECIDED' && kase.pushError !== null;
      if (!refusedBefore) assertOpen(kase, '作出决定');
      const problems = decisionProblems(input);
      if (problems.length) throw invalidInput(problems);
      const now = new Date();
      const approved = input.outcome === 'APPROVED';
      takeIfUnassigned(kase, ctx.identity, now);
      Object.assign(kase, {
        status: 'DECIDED',
        decisionId: randomUUID(),
        outcome: input.outcome,
        amountFen: approved ? input.amountFen! : null,
        payeeAccount: approved ? input.payeeAccount! : null,
        payeeBank: approved ? input.payeeBank?.trim() || null : null,
        reason: approved ? null : input.reason!.trim(),
        policyExplanation: approved ? null : input.policyExplanation!.trim(),
        note: input.note?.trim() || null,
        decidedAt: now,
        decidedBy: ctx.identity.subject ?? null,
        pushedAt: null,
        pushError: null,
        updatedAt: now,
      });
      // The result goes back through the outbox, in this transaction: the decision is never
      // stored without its push, nor pushed without being stored (push.consumer.ts).
      const payload: DepartmentCaseEventPayload = { caseId: kase.id, applicationId: kase.applicationId, department: kase.department, decisionId: kase.decisionId! };
      emit(em, { family: DEPARTMENTS_FAMILY, type: DEPARTMENT_DECIDED, payload, requestId: ctx.requestId, traceId: ctx.traceId });
      await em.flush();
      return kase;
    });
  }
}
