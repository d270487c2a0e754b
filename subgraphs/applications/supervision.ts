import { toChinaDate, workdaysBetween } from '../kit/calendar';

/**
 * 办件督办 — the arithmetic of supervision, apart from the database and GraphQL: where a case stands
 * against its stored deadline on a day, and how long each step took, in working days on the
 * official calendar (kit/calendar.ts). Everything is computed from what is stored (the deadline and
 * its length in working days on the case, the timestamps of its steps), so the answer is the same
 * right after a restart: nothing is kept in memory or scheduled.
 */

/** A case is "near its deadline" once this share of its step's working days is used. */
export const NEAR_DEADLINE_SHARE = 0.8;

export interface DeadlineStanding {
  /** Working days of the step already used on `asOf` (0 … deadlineWorkdays). */
  usedWorkdays: number;
  /** Working days left after `asOf` up to and including the deadline (0 once it is reached). */
  remainingWorkdays: number;
  /** Working days past the deadline on `asOf` (0 unless overdue; 0 also for a weekend right after it). */
  overdueWorkdays: number;
  /** usedWorkdays / deadlineWorkdays, 0 … 1. */
  shareUsed: number;
  /** The deadline day has passed. */
  overdue: boolean;
  /** Not overdue, and at least NEAR_DEADLINE_SHARE of the working days used (the deadline day itself always is). */
  near: boolean;
}

/**
 * Where a step with `deadline` (the last working day allowed, YYYY-MM-DD) of `deadlineWorkdays`
 * working days stands on `asOf`. Counted back from the deadline, not forward from when the state
 * was entered: a COMMITMENT case's evaluation keeps the deadline its review started with.
 */
export function deadlineStanding(deadline: string, deadlineWorkdays: number, asOf: string): DeadlineStanding {
  const days = Math.max(1, deadlineWorkdays);
  if (asOf > deadline) {
    return { usedWorkdays: days, remainingWorkdays: 0, overdueWorkdays: workdaysBetween(deadline, asOf), shareUsed: 1, overdue: true, near: false };
  }
  const remaining = Math.min(days, workdaysBetween(asOf, deadline));
  const used = days - remaining;
  const shareUsed = used / days;
  return { usedWorkdays: used, remainingWorkdays: remaining, overdueWorkdays: 0, shareUsed, overdue: false, near: shareUsed >= NEAR_DEADLINE_SHARE };
}

/** One step of a case's timeline, as supervision reads it (application_step). */
export interface TimelineStep {
  application: string;
  seq: number;
  toStatus: string;
  at: Date;
}

export interface StepDuration {
  status: string;
  department: string;
  /** Steps that ended (the case left the state) within the period. */
  count: number;
  averageWorkdays: number;
  maxWorkdays: number;
  /** The case that took longest in this state (for a follow-up). */
  slowestApplication: string;
}

/**
 * How long each state lasted, in working days from the China date it was entered to the China date
 * it was left (same day = 0), per (state, owning department): count, average and maximum. A
 * step that leaves a case in the same state (a COMMITMENT case's second evaluation, a corrected
 * account) does not end it. States not yet left are not counted: they are what `deadlineStanding`
 * watches. Only states left on or after `from` and on or before `to` (China dates) are counted.
 */
export function stepDurations(steps: readonly TimelineStep[], departmentOf: (application: string) => string | undefined, period: { from: string; to: string }): StepDuration[] {
  const byCase = new Map<string, TimelineStep[]>();
  for (const step of steps) {
    const list = byCase.get(step.application);
    if (list) list.push(step);
    else byCase.set(step.application, [step]);
  }
  const groups = new Map<string, { status: string; department: string; count: number; total: number; max: number; slowest: string }>();
  for (const [application, list] of byCase) {
    const department = departmentOf(application);
    if (!department) continue;
    list.sort((a, b) => a.seq - b.seq);
    let current: { status: string; since: string } | undefined;
    for (const step of list) {
      const day = toChinaDate(step.at);
      if (current && step.toStatus === current.status) continue;
      if (current && day >= period.from && day <= period.to) {
        const workdays = workdaysBetween(current.since, day);
        const key = `${current.status}\n${department}`;
        const group = groups.get(key) ?? { status: current.status, department, count: 0, total: 0, max: -1, slowest: application };
        group.count += 1;
        group.total += workdays;
        if (workdays > group.max) {
          group.max = workdays;
          group.slowest = application;
        }
        groups.set(key, group);
      }
      current = { status: step.toStatus, since: day };
    }
  }
  return [...groups.values()]
    .map((g) => ({ status: g.status, department: g.department, count: g.count, averageWorkdays: Math.round((g.total / g.count) * 100) / 100, maxWorkdays: g.max, slowestApplication: g.slowest }))
    .sort((a, b) => a.status.localeCompare(b.status) || a.department.localeCompare(b.department));
}

/** A case with a running deadline, as supervision reads it. */
export interface OpenCase {
  id: string;
  department: string;
  deadline: string;
  deadlineWorkdays: number;
}

export interface SupervisionSummary<C extends OpenCase> {
  near: (C & { standing: DeadlineStanding })[];
  overdueByDepartment: { department: string; cases: (C & { standing: DeadlineStanding })[] }[];
}

/** Sorts the open cases into near their deadline (soonest first) and overdue by department (most overdue first). */
export function superviseOpenCases<C extends OpenCase>(cases: readonly C[], asOf: string): SupervisionSummary<C> {
  const near: (C & { standing: DeadlineStanding })[] = [];
  const overdue = new Map<string, (C & { standing: DeadlineStanding })[]>();
  for (const c of cases) {
    const standing = deadlineStanding(c.deadline, c.deadlineWorkdays, asOf);
    const item = { ...c, standing };
    if (standing.overdue) {
      const list = overdue.get(c.department);
      if (list) list.push(item);
      else overdue.set(c.department, [item]);
    } else if (standing.near) near.push(item);
  }
  near.sort((a, b) => a.deadline.localeCompare(b.deadline) || a.id.localeCompare(b.id));
  const overdueByDepartment = [...overdue.entries()]
    .map(([department, list]) => ({ department, cases: list.sort((a, b) => a.deadline.localeCompare(b.deadline) || a.id.localeCompare(b.id)) }))
    .sort((a, b) => b.cases.length - a.cases.length || a.department.localeCompare(b.department));
  return { near, overdueByDepartment };
}
