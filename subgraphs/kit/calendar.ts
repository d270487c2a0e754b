import { AppError, ErrorCode, badInput } from '../../platform/errors';

/**
 * The official working-day calendar (法定节假日与调休), from the State Council's yearly notice
 * (国务院办公厅关于部分节假日安排的通知) as shipped in the `chinese-days` package.
 *
 * Statutory time limits ("5 个工作日内") count working days on this calendar, not Mon–Fri: a
 * weekend day can be a make-up workday (调休上班) and a weekday can be a holiday. Dates are plain
 * calendar dates `YYYY-MM-DD` in China time.
 *
 * Every date passed in, and every date examined while counting, must lie in a year whose notice
 * is loaded; otherwise CALENDAR_NOT_PUBLISHED. The package itself silently falls back to Mon–Fri
 * for such years, which would produce wrong legal deadlines, so we never ask it per day.
 */

export type DayKind = 'WORKDAY' | 'WEEKEND' | 'HOLIDAY' | 'MAKEUP_WORKDAY';

export interface CalendarDay {
  date: string;
  workday: boolean;
  kind: DayKind;
  /** Chinese name, e.g. 春节. For a make-up workday: the holiday it makes up for. */
  holidayName?: string;
}

/** Upper bound on `n` in addWorkdays: two years of working days is far beyond any statutory limit. */
export const MAX_WORKDAYS = 366 * 2;

const MS_PER_DAY = 86_400_000;
/** China has kept UTC+8 all year since 1992 (no DST), so fixed arithmetic is exact for our years. */
const CHINA_OFFSET_MS = 8 * 3_600_000;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** Shape of node_modules/chinese-days/dist/chinese-days.json; values look like 'Spring Festival,春节,4'. */
interface RawCalendar {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

interface Calendar {
  /** Keyed by epoch day (days since 1970-01-01) so the counting loops do no string work. */
  holidays: Map<number, string>;
  makeupWorkdays: Map<number, string>;
  years: Set<number>;
}

let loaded: Calendar | undefined;

/** Built once, on first use: the data is ~30 KB of JSON and most processes never need it. */
function calendar(): Calendar {
  if (loaded) return loaded;
  const raw = require('chinese-days/dist/chinese-days.json') as RawCalendar;
  const holidays = new Map<number, string>();
  const makeupWorkdays = new Map<number, string>();
  const years = new Set<number>();
  for (const [date, label] of Object.entries(raw.holidays)) {
    holidays.set(parseDay(date), chineseName(label));
    // Only holidays mark a year as published: every notice gives 元旦 in its own year, whereas a
    // make-up workday may fall in the previous year (2011-12-31 belongs to the 2012 notice).
    years.add(Number(date.slice(0, 4)));
  }
  for (const [date, label] of Object.entries(raw.workdays)) {
    makeupWorkdays.set(parseDay(date), chineseName(label));
  }
  loaded = { holidays, makeupWorkdays, years };
  return loaded;
}

/** 'Spring Festival,春节,4' → '春节'; the whole label if the package ever changes its format. */
function chineseName(label: string): string {
  const parts = label.split(',');
  return parts.length >= 2 && parts[1] ? parts[1] : label;
}

function badDate(date: unknown): AppError {
  return badInput(`日期“${String(date)}”无效：应为 YYYY-MM-DD 格式的真实日历日期`, { date: String(date) });
}

/** `YYYY-MM-DD` → epoch day, rejecting bad formats and impossible dates such as 2026-02-30. */
function parseDay(date: string): number {
  if (typeof date !== 'string' || !DATE_PATTERN.test(date)) throw badDate(date);
  const [year, month, day] = date.split('-').map(Number);
  const probe = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  probe.setUTCFullYear(year, month - 1, day);
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    throw badDate(date);
  }
  return probe.getTime() / MS_PER_DAY;
}

function formatDay(day: number): string {
  const d = new Date(day * MS_PER_DAY);
  const pad = (value: number, width: number) => String(value).padStart(width, '0');
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

const yearOf = (day: number) => new Date(day * MS_PER_DAY).getUTCFullYear();

/** 0 = Sunday … 6 = Saturday; 1970-01-01 was a Thursday. */
const weekdayOf = (day: number) => (((day + 4) % 7) + 7) % 7;

function assertPublished(cal: Calendar, day: number): void {
  const year = yearOf(day);
  if (!cal.years.has(year)) {
    throw new AppError(
      ErrorCode.CALENDAR_NOT_PUBLISHED,
      `系统尚未载入国务院办公厅关于${year}年部分节假日安排的通知，无法按工作日计算涉及${year}年的期限`,
      { year },
    );
  }
}

/** Caller has checked the year is published. */
function isWorkdayUnchecked(cal: Calendar, day: number): boolean {
  if (cal.holidays.has(day)) return false;
  if (cal.makeupWorkdays.has(day)) return true;
  const weekday = weekdayOf(day);
  return weekday !== 0 && weekday !== 6;
}

/** Parses and checks a caller's date: valid and in a published year. */
function publishedDay(cal: Calendar, date: string): number {
  const day = parseDay(date);
  assertPublished(cal, day);
  return day;
}

/**
 * First workday strictly after `day`. Terminates: each step either finds a workday or moves one
 * day on, and past the last published year assertPublished throws.
 */
function nextWorkdayAfter(cal: Calendar, day: number): number {
  let current = day;
  for (;;) {
    current += 1;
    assertPublished(cal, current);
    if (isWorkdayUnchecked(cal, current)) return current;
  }
}

export function isWorkday(date: string): boolean {
  const cal = calendar();
  return isWorkdayUnchecked(cal, publishedDay(cal, date));
}

export function dayKind(date: string): CalendarDay {
  const cal = calendar();
  const day = publishedDay(cal, date);
  const holiday = cal.holidays.get(day);
  if (holiday !== undefined) return { date, workday: false, kind: 'HOLIDAY', holidayName: holiday };
  const makeup = cal.makeupWorkdays.get(day);
  if (makeup !== undefined) return { date, workday: true, kind: 'MAKEUP_WORKDAY', holidayName: makeup };
  const weekday = weekdayOf(day);
  return weekday === 0 || weekday === 6
    ? { date, workday: false, kind: 'WEEKEND' }
    : { date, workday: true, kind: 'WORKDAY' };
}

/**
 * The n-th working day after `start` (start itself not counted): the deadline of "n 个工作日内"
 * counted from `start`. n = 0: `start` if it is a workday, else the next workday.
 */
export function addWorkdays(start: string, n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > MAX_WORKDAYS) {
    throw badInput(`工作日天数无效：应为 0 到 ${MAX_WORKDAYS} 之间的整数，收到 ${String(n)}`, { n });
  }
  const cal = calendar();
  let day = publishedDay(cal, start);
  if (n === 0) return formatDay(isWorkdayUnchecked(cal, day) ? day : nextWorkdayAfter(cal, day));
  for (let counted = 0; counted < n; counted++) day = nextWorkdayAfter(cal, day);
  return formatDay(day);
}

/** First workday strictly after `date`. */
export function nextWorkday(date: string): string {
  const cal = calendar();
  return formatDay(nextWorkdayAfter(cal, publishedDay(cal, date)));
}

/**
 * Working days in (from, to]: how many have elapsed since `from`. 0 if to ≤ from.
 * Inverse of addWorkdays: workdaysBetween(s, addWorkdays(s, n)) === n for n ≥ 1.
 */
export function workdaysBetween(from: string, to: string): number {
  const cal = calendar();
  const first = publishedDay(cal, from);
  const last = publishedDay(cal, to);
  let count = 0;
  // Bounded: both ends are in published years; each day is still checked in case a year is missing.
  for (let day = first + 1; day <= last; day++) {
    assertPublished(cal, day);
    if (isWorkdayUnchecked(cal, day)) count++;
  }
  return count;
}

/** The Asia/Shanghai calendar date of an instant, e.g. for "today" or a receipt timestamp. */
export function toChinaDate(instant: Date): string {
  const ms = instant instanceof Date ? instant.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw badInput('时间无效，无法换算为北京时间日期');
  return formatDay(Math.floor((ms + CHINA_OFFSET_MS) / MS_PER_DAY));
}

/** Years whose notice is loaded, ascending. */
export function publishedYears(): number[] {
  return [...calendar().years].sort((a, b) => a - b);
}

export function isYearPublished(year: number): boolean {
  return calendar().years.has(year);
}
