import { AppError, ErrorCode } from '../../../platform/errors';
import { addWorkdays, toChinaDate } from '../../kit/calendar';
import { INSTANT_REVIEW_MAX_WORKDAYS, type DeadlineRule, type Mode } from './table';

/** The deadline of a state entered at `at`; `problem` when the official calendar cannot say (never guessed). */
export interface StepDeadline {
  deadline: string | null;
  workdays: number | null;
  problem: string | null;
}

const NONE: StepDeadline = { deadline: null, workdays: null, problem: null };

/** How many working days a rule gives a case of this mode and review time limit; null: none; 'KEEP': the current runs on. */
export function workdaysOf(rule: DeadlineRule, mode: Mode, reviewDays: number): number | null | 'KEEP' {
  switch (rule.kind) {
    case 'NONE':
      return null;
    case 'KEEP':
      return 'KEEP';
    case 'WORKDAYS':
      return rule.workdays;
    case 'REVIEW':
      // 即申即享: the guide's own limit, never more than 5 working days.
      return mode === 'INSTANT' ? Math.min(reviewDays, rule.instantMax ?? INSTANT_REVIEW_MAX_WORKDAYS) : reviewDays;
  }
}

/**
 * `n` working days from the China date of `at` (that day not counted) on the official calendar
 * (kit/calendar.ts: 法定节假日与调休). A year whose State Council notice is not loaded gives no
 * deadline and says so in `problem`: Mon–Fri would be a wrong legal deadline.
 */
export function workdayDeadline(at: Date, n: number): StepDeadline {
  try {
    return { deadline: addWorkdays(toChinaDate(at), n), workdays: n, problem: null };
  } catch (error) {
    if (error instanceof AppError && error.code === ErrorCode.CALENDAR_NOT_PUBLISHED) return { deadline: null, workdays: n, problem: error.message };
    throw error;
  }
}

/** The deadline of the state a transition enters; `current` is kept for KEEP. */
export function deadlineFor(rule: DeadlineRule, application: { mode: Mode; reviewDays: number }, at: Date, current: StepDeadline): StepDeadline {
  const n = workdaysOf(rule, application.mode, application.reviewDays);
  if (n === 'KEEP') return current;
  if (n === null) return NONE;
  return workdayDeadline(at, n);
}
