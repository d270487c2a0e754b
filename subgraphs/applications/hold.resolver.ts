import { randomUUID } from 'node:crypto';
import { GraphQLJSON } from 'graphql-scalars';
import { Args, ArgsType, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { AppError, ErrorCode } from '../../platform/errors';
import type { Identity } from '../../platform/identity';
import { emit } from '../kit/events/outbox';
import { maskBankAccount } from '../kit/mask';
import { Guard, requireWriter } from '../kit/scope';
import { nowOf } from '../kit/services';
import type { Context } from '../kit/subgraph';
import { BankAccountNumber, rule, SafeText, unsafeTextProblem, UUID } from '../kit/validation';
import { ApplicationStep } from './application.entity';
import { ApplicationView } from './application.types';
import { applicationView } from './application.view';
import { awaitingPaymentPayload } from './joint-audit-step';
import type { ApplicationsLoaders } from './loaders';
import { onApplication } from './transitions';
import { basePayload, fire, type WorkflowActor } from './workflow/fire';
import { ApplicationEvent, APPLICATIONS_FAMILY, STATUS_NAMES, TimelineNote } from './workflow/table';

type Ctx = Context<ApplicationsLoaders>;

const REASON_MAX = 1000;

/**
 * A reason or explanation a person writes (several lines allowed): not blank, at most `max`
 * characters, no control (other than line breaks), zero-width or bidi characters.
 */
export function WrittenText(label: string, max = REASON_MAX) {
  return rule('writtenText', (value) => {
    if (typeof value !== 'string') return `${label}应为文本`;
    const unsafe = unsafeTextProblem(value.replace(/\r?\n/g, ' '));
    if (unsafe) return `${label}${unsafe}`;
    if (!value.trim()) return `须写明${label}，不能为空`;
    if ([...value].length > max) return `${label}不能超过 ${max} 个字符`;
    return undefined;
  });
}

@ArgsType()
class CaseIdArgs {
  @Field(() => ID, { description: '办件编号' })
  @rule('applicationId', (v) => (typeof v === 'string' && UUID.test(v) ? undefined : '办件编号应为 UUID'))
  id!: string;
}

@ArgsType()
class ReleaseHoldArgs extends CaseIdArgs {
  @Field({ description: '解除暂缓的理由（记入办件进度与审计记录）' })
  @WrittenText('解除暂缓的理由')
  reason!: string;
}

@ArgsType()
class RefuseHeldArgs extends CaseIdArgs {
  @Field({ description: '不予兑现的理由（企业可见）' })
  @WrittenText('不予兑现的理由')
  reason!: string;

  @Field({ description: '政策解释：依据政策哪一条、企业可如何补救（企业可见）' })
  @WrittenText('政策解释')
  policyExplanation!: string;
}

@ArgsType()
class CorrectPayeeArgs extends CaseIdArgs {
  @Field({ description: '收款账号（8–32 位数字，以企业为户名的结算账户）' })
  @BankAccountNumber()
  account!: string;

  @Field({ description: '开户银行' })
  @SafeText({ label: '开户银行', max: 100 })
  bank!: string;
}

@ObjectType({ description: '联合审核的一条发现及其影响（审核时留存）' })
export class ApplicationJointAuditFinding {
  @Field() source!: string;
  @Field({ description: '来源部门' }) department!: string;
  @Field() category!: string;
  @Field() severity!: string;
  @Field() occurredOn!: string;
  @Field(() => String, { nullable: true }) endsOn!: string | null;
  @Field({ description: '核查日期时仍然有效' }) inEffect!: boolean;
  @Field({ description: '文号' }) reference!: string;
  @Field() reason!: string;
  @Field({ description: 'HOLD 暂缓 / WARN 提示 / INFO 仅供参考' }) effect!: string;
}

@ObjectType({ description: '办件的联合审核：结论、理由与发现（审核时留存，暂缓时据此核处）' })
export class ApplicationJointAudit {
  @Field({ description: 'PASS 通过 / WARN 提示 / HOLD 暂缓' }) verdict!: string;
  @Field(() => String, { nullable: true, description: '核查日期 YYYY-MM-DD' }) asOf!: string | null;
  @Field(() => Date, { nullable: true, description: '审核完成时间' }) auditedAt!: Date | null;
  @Field(() => [String], { description: '结论的理由（可直接告知企业）' }) reasons!: string[];
  @Field(() => [ApplicationJointAuditFinding], {
    nullable: true,
    description: '各部门的发现；含税务等来源数据，窗口人员不可见（为 null），企业可见本企业的',
  })
  findings!: ApplicationJointAuditFinding[] | null;
}

/** The findings are other departments' records: the roles that read them (the joint audit's), the auditor and the enterprise itself. */
const seesFindings = (identity: Identity) => identity.role !== 'WINDOW_CLERK' && identity.role !== null;

const actorOf = (identity: Identity): WorkflowActor => ({
  role: identity.role,
  subject: identity.subject,
  department: identity.department,
  region: identity.region,
  creditCode: identity.creditCode,
});

/** Statuses past which the payee can no longer change: the money left, or never will. */
const PAYEE_FINAL = new Set<string>(['PAID', 'ARCHIVED', 'REJECTED']);

/**
 * After the department's decision: the Approval Bureau's handling of a joint audit HOLD (release
 * or refuse, each with a recorded reason) and the enterprise's correction of its payee account;
 * `Application.jointAudit` shows what the audit kept. State changes go through the workflow (fire).
 */
@Resolver(() => ApplicationView)
export class AfterDecisionResolver {
  @Mutation(() => ApplicationView, { description: '解除联合审核暂缓（县行政审批局，本地区）：须写明理由；案件转入待拨付（1 个工作日内拨付）' })
  @Guard((identity) => requireWriter(identity, 'APPROVAL_BUREAU'))
  async releaseHold(@Args(() => ReleaseHoldArgs) args: ReleaseHoldArgs, @Ctx() ctx: Ctx) {
    // The case locked in one transaction (onApplication); one the caller may not read is NOT_FOUND.
    const application = await onApplication(ctx, args.id, async (em, application) => {
      fire(em, application, 'release', {
        actor: actorOf(ctx.identity),
        at: nowOf(ctx.services),
        note: `解除暂缓：${args.reason.trim()}`,
        given: { reason: args.reason },
        details: { reason: args.reason.trim(), verdict: application.jointAuditVerdict ?? null },
        eventPayload: awaitingPaymentPayload(application),
        requestId: ctx.requestId,
      });
      return application;
    });
    return applicationView(application);
  }

  @Mutation(() => ApplicationView, { description: '联合审核暂缓后不予兑现（县行政审批局，本地区）：须写明理由与政策解释，企业可见' })
  @Guard((identity) => requireWriter(identity, 'APPROVAL_BUREAU'))
  async refuseHeld(@Args(() => RefuseHeldArgs) args: RefuseHeldArgs, @Ctx() ctx: Ctx) {
    const reason = args.reason.trim();
    const policyExplanation = args.policyExplanation.trim();
    const application = await onApplication(ctx, args.id, async (em, application) => {
      fire(em, application, 'refuse', {
        actor: actorOf(ctx.identity),
        at: nowOf(ctx.services),
        note: `不予兑现：${reason}`,
        given: { reason, policyExplanation },
        details: { reason, policyExplanation, verdict: application.jointAuditVerdict ?? null },
        apply: (a) => {
          a.rejectionReason = reason;
          a.policyExplanation = policyExplanation;
        },
        eventPayload: { reason, policyExplanation },
        requestId: ctx.requestId,
      });
      return application;
    });
    return applicationView(application);
  }

  @Mutation(() => ApplicationView, {
    description: '企业更正本企业办件的收款账户（拨付前）：账号为 8–32 位数字；记入办件进度（脱敏）与审计记录，拨付以更正后的账户为准',
  })
  @Guard((identity) => requireWriter(identity, 'ENTERPRISE'))
  async correctPayeeAccount(@Args(() => CorrectPayeeArgs) args: CorrectPayeeArgs, @Ctx() ctx: Ctx) {
    const application = await onApplication(ctx, args.id, async (em, application) => {
      if (PAYEE_FINAL.has(application.status)) {
        throw new AppError(ErrorCode.WRONG_STATE, `案件当前状态为${STATUS_NAMES[application.status]}，不能更正收款账户`, { status: application.status, action: 'correctPayee' });
      }
      const at = nowOf(ctx.services);
      const before = application.payeeAccount ? maskBankAccount(application.payeeAccount) : null;
      application.payeeAccount = args.account;
      application.payeeBank = args.bank.trim();
      application.updatedAt = at;
      application.stepCount = (application.stepCount ?? 0) + 1;
      // On the timeline, without a change of state (TimelineNote); the account masked there too.
      const step = Object.assign(new ApplicationStep(), {
        id: randomUUID(),
        application,
        seq: application.stepCount,
        action: 'correctPayee' as const,
        fromStatus: application.status,
        toStatus: application.status,
        actorRole: 'ENTERPRISE',
        actorSubject: ctx.identity.subject ?? null,
        actorDepartment: null,
        at,
        note: `${TimelineNote.correctPayee}：${application.payeeBank} ${maskBankAccount(args.account)}`,
        deadline: application.deadline ?? null,
        details: { before, after: maskBankAccount(args.account), bank: application.payeeBank },
      });
      em.persist(step);
      // Whoever pays (issue 10, funds) learns of the new account the way it learned of the case.
      emit(em, {
        family: APPLICATIONS_FAMILY,
        type: ApplicationEvent.payeeCorrected,
        requestId: ctx.requestId,
        payload: { ...basePayload(application), payeeAccount: application.payeeAccount, payeeBank: application.payeeBank },
      });
      return application;
    });
    return applicationView(application);
  }

  @FieldResolver(() => ApplicationJointAudit, { nullable: true, description: '联合审核（结论、理由、发现）；尚未审核时为 null' })
  async jointAudit(@Root() root: ApplicationView, @Ctx() ctx: Ctx): Promise<ApplicationJointAudit | null> {
    if (!root.jointAuditVerdict) return null;
    const steps = await ctx.loaders.steps.load(root.id);
    const decided = [...steps].reverse().find((s) => s.action === 'clear' || s.action === 'hold');
    return {
      verdict: root.jointAuditVerdict,
      asOf: typeof decided?.details?.asOf === 'string' ? decided.details.asOf : null,
      auditedAt: decided?.at ?? null,
      reasons: (root.jointAuditReasons ?? []) as string[],
      findings: seesFindings(ctx.identity) ? ((root.jointAuditFindings ?? []) as ApplicationJointAuditFinding[]) : null,
    };
  }

  @FieldResolver(() => GraphQLJSON, { nullable: true, description: '联合审核的发现（同 jointAudit.findings；窗口人员不可见）' })
  jointAuditFindings(@Root() root: ApplicationView, @Ctx() ctx: Ctx): unknown[] | null {
    return seesFindings(ctx.identity) ? root.jointAuditFindings : null;
  }
}
