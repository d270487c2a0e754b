/** Relative values ("当年", "今天往前1年") resolved against the evaluation context. */
import { daysInMonth } from './validate';
import type { EvalContext, Relative, Value } from './types';

export function isRelative(x: unknown): x is Relative {
  return typeof x === 'object' && x !== null && 'relative' in x;
}

/**
 * Shifts a YYYY-MM-DD date by whole months; a day the target month lacks becomes its last day
 * (2024-02-29 minus one year is 2023-02-28, as 民法典 第二百零三条 counts periods).
 */
export function shiftMonths(date: string, months: number): string {
  const y0 = +date.slice(0, 4), m0 = +date.slice(5, 7), d0 = +date.slice(8, 10);
  const total = y0 * 12 + (m0 - 1) + months;
  const y = Math.floor(total / 12);
  const m = total - y * 12 + 1;
  const d = Math.min(d0, daysInMonth(y, m));
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

export function resolveRelative(r: Relative, ctx: EvalContext): Value {
  if (r.relative === 'currentYear') return +ctx.today.slice(0, 4) + (r.offset ?? 0);
  return shiftMonths(ctx.today, (r.offsetYears ?? 0) * 12 + (r.offsetMonths ?? 0));
}

/** Literal operands pass through; relative ones are resolved. */
export function resolve(x: Value | Relative, ctx: EvalContext): Value {
  return isRelative(x) ? resolveRelative(x, ctx) : x;
}
