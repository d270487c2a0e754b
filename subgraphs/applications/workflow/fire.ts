import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { AppError, ErrorCode, forbidden, invalidInput, unauthenticated } from '../../../platform/errors';
import { DEPARTMENTS, departmentRegion } from '../../../platform/directory';
import { regionCovers } from '../../../platform/identity';
import { emit } from '../../kit/events/outbox';
import type { DomainEvent } from '../../kit/events/types';
import { Application, ApplicationStep } from '../application.entity';
import { deadlineFor } from './deadline';
import { REQUIREMENTS, type Given } from './requirements';
import { APPLICATIONS_FAMILY, MODE_NAMES, requirementsOf, STATUS_NAMES, transitionOf, type Party, type Transition, type WorkflowAction } from './table';

/** Who fires a transition: a person's or system's identity (role null is refused), or the platform itself (`SYSTEM`). */
export interface WorkflowActor {
  role: Party | null;
  subject?: string;
  department?: string;
  region?: string;
  creditCode?: string;
}

export interface FireOptions {
  actor: WorkflowActor;
  /** When it happens (the caller's clock: tests set it). */
  at: Date;
  /** Shown on the timeline. */
  note?: string | null;
  /** What the transition's requirements are checked against (requirements.ts). */
  given?: Given;
  /** Kept on the step (e.g. the missing list, the evaluation kind). */
  details?: Record<string, unknown>;
  /**
   * Writes the step's own fields (amount, reason …) once every check has passed, before the event
   * is built: a refused transition changes nothing.
   */
  apply?: (application: Application) => void;
  /** Added to the event's payload when the transition emits one. */
  eventPayload?: Record<string, unknown>;
  requestId?: string;
}

export interface Fired {
  transition: Transition;
  step: ApplicationStep;
  event?: DomainEvent;
}

const INTAKE_DEPARTMENTS = new Set(DEPARTMENTS.filter((d) => d.functions.includes('INTAKE')).map((d) => d.code));

/** Why `actor` may not act as `party` on this case, or undefined when it may (the relation in table.ts PARTIES). */
function relationProblem(party: Party, actor: WorkflowActor, application: Application): string | undefined {
  switch (party) {
    case 'SYSTEM':
      return undefined;
    case 'ENTERPRISE':
      return actor.creditCode === application.creditCode ? undefined : '企业用户只能办理本企业的案件';
    case 'WINDOW_CLERK': {
      const department = actor.department;
      if (!department || !INTAKE_DEPARTMENTS.has(department)) return '窗口人员须属于受理部门（县行政审批局或经开区管委会）';
      if (departmentRegion(department) !== application.regionCode) return `该企业不在窗口所属地区（${departmentRegion(department)}）`;
      if (application.intakeDepartment && application.intakeDepartment !== department) return '该案件由其他窗口受理，应由受理窗口办理';
      return undefined;
    }
    case 'APPROVAL_BUREAU':
      return actor.region && regionCovers(actor.region, application.regionCode) ? undefined : `该案件不在您所属地区（${actor.region ?? '无'}）范围内`;
    case 'DEPARTMENT_REVIEWER':
    case 'DEPARTMENT_SYSTEM':
      return actor.department === application.department ? undefined : `该案件的主管部门为 ${application.department}，只能由该部门办理`;
    default:
      return '该角色不参与办件流程';
  }
}

export function wrongState(application: Application, transition: Transition): AppError {
  const current = application.status ? STATUS_NAMES[application.status] : '未创建';
  return new AppError(ErrorCode.WRONG_STATE, `案件当前状态为${current}，不能${transition.name}`, {
    status: application.status ?? null,
    action: transition.action,
  });
}

/**
 * Fires one transition of the workflow on an application: the state (WRONG_STATE), the mode
 * (WRONG_STATE), the actor (FORBIDDEN), the requirements (BAD_USER_INPUT, every problem at once),
 * in that order; then `apply`, the new status, stateEnteredAt and deadline, the timeline step and
 * the transition's event — all on `em`, written by the caller's flush in one transaction.
 * Nothing is changed when a check fails. For a transition that creates the application
 * (`from: null`) pass a new Application with its intake fields set and no status.
 */
export function fire(em: EntityManager, application: Application, action: WorkflowAction, options: FireOptions): Fired {
  const transition = transitionOf(action);
  const creating = transition.from === null;
  const from = application.status ?? null;
  if (creating ? from !== null : from === null || !transition.from!.includes(from)) throw wrongState(application, transition);
  if (!transition.modes.includes(application.mode)) {
    throw new AppError(ErrorCode.WRONG_STATE, `该政策为${MODE_NAMES[application.mode]}，没有“${transition.name}”这一步`, { mode: application.mode, action });
  }

  const { actor } = options;
  if (!actor.role) throw unauthenticated();
  if (!transition.by.includes(actor.role)) {
    throw forbidden(`无权${transition.name}：需要以下角色之一：${transition.by.join('、')}`);
  }
  const relation = relationProblem(actor.role, actor, application);
  if (relation) throw forbidden(`无权${transition.name}：${relation}`);

  const given = options.given ?? {};
  const problems = requirementsOf(transition, application.mode).flatMap((name) => {
    const rule = REQUIREMENTS[name];
    const message = rule.check(given);
    return message ? [{ field: rule.field, message }] : [];
  });
  if (problems.length) throw invalidInput(problems);

  // Every check passed: from here on the case changes.
  options.apply?.(application);
  const current = { deadline: application.deadline ?? null, workdays: application.deadlineWorkdays ?? null, problem: application.deadlineProblem ?? null };
  const next = deadlineFor(transition.deadline, application, options.at, current);
  if (from !== transition.to) application.stateEnteredAt = options.at;
  application.status = transition.to;
  application.deadline = next.deadline;
  application.deadlineWorkdays = next.workdays;
  application.deadlineProblem = next.problem;
  application.updatedAt = options.at;
  application.stepCount = (application.stepCount ?? 0) + 1;
  if (creating) em.persist(application);

  const step = new ApplicationStep();
  step.id = randomUUID();
  step.application = application;
  step.seq = application.stepCount;
  step.action = action;
  step.fromStatus = from;
  step.toStatus = transition.to;
  step.actorRole = actor.role;
  step.actorSubject = actor.subject ?? null;
  step.actorDepartment = actor.department ?? null;
  step.at = options.at;
  step.note = options.note ?? null;
  step.deadline = next.deadline;
  const details = { ...(options.details ?? {}), ...(next.problem ? { deadlineProblem: next.problem } : {}) };
  step.details = Object.keys(details).length ? details : null;
  em.persist(step);

  const event = transition.emits
    ? emit(em, {
        family: APPLICATIONS_FAMILY,
        type: transition.emits,
        requestId: options.requestId,
        payload: { ...basePayload(application), ...(options.eventPayload ?? {}) },
      })
    : undefined;
  return { transition, step, event };
}

/** What every application event carries; a transition's caller adds its own (materials, amount …). */
export function basePayload(application: Application): Record<string, unknown> {
  return {
    applicationId: application.id,
    receiptNumber: application.receiptNumber,
    policyId: application.policyId,
    policyVersion: application.policyVersion,
    policyTitle: application.policyTitle,
    mode: application.mode,
    department: application.department,
    regionCode: application.regionCode,
    creditCode: application.creditCode,
    enterpriseName: application.enterpriseName,
    channel: application.channel,
    status: application.status,
    deadline: application.deadline ?? null,
  };
}
