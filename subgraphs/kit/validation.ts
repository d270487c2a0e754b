import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { echo } from '../../platform/errors';
import { toChinaDate } from './calendar';
import { isIndustryCode } from './industry';
import { residentIdProblem } from './resident-id';

/**
 * The one way inputs are validated in every subgraph: class-validator decorators on type-graphql
 * input and args classes, run by type-graphql (`validate` in kit/schema.ts) before a resolver
 * sees the value. Every problem of an argument is reported at once as `BAD_USER_INPUT` with
 * `extensions.problems` (platform/errors.ts formatError). Messages are Chinese and quote at most a
 * short prefix of the value (`echo`).
 *
 * Each decorator is one rule with one message; `label` is the field as a person calls it.
 */

/** Why a piece of text cannot be stored as a name or identifier, or undefined when it can. */
export function unsafeTextProblem(value: string): string | undefined {
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    // C0, DEL, C1: NUL is refused by PostgreSQL text outright; the rest corrupt logs and displays.
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return `含有控制字符（${hex}），请删除后重新填写`;
    // Zero-width characters make two names that look identical differ.
    if ((cp >= 0x200b && cp <= 0x200d) || cp === 0x2060 || cp === 0xfeff) return `含有不可见的零宽字符（${hex}），请删除后重新填写`;
    // Bidi overrides and isolates make text display in another order than it is stored.
    if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) return `含有改变文字方向的控制字符（${hex}），请删除后重新填写`;
    if (cp >= 0xd800 && cp <= 0xdfff) return `含有无效的 Unicode 字符（${hex}）`;
  }
  return undefined;
}

export type Check = (value: unknown, args: ValidationArguments) => string | undefined;

/** Registers a property decorator from a check returning the problem (in Chinese) or undefined. */
export function rule(name: string, check: Check, options?: ValidationOptions) {
  return (target: object, propertyName: string) => {
    const problems = new WeakMap<object, string>();
    registerDecorator({
      name,
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          // null/undefined are GraphQL's business (nullability); type-graphql skips missing properties.
          if (value === null || value === undefined) return true;
          const problem = check(value, args);
          if (problem) problems.set(args.object, problem);
          return !problem;
        },
        defaultMessage: (args?: ValidationArguments) => (args && problems.get(args.object)) ?? '输入无效',
      },
    });
  };
}

const length = (value: string) => [...value].length;

export interface SafeTextOptions {
  /** The field as a person calls it, e.g. 企业名称. */
  label: string;
  /** Maximum characters (code points): the database column's length. */
  max: number;
  /** Minimum characters after trimming blanks; default 1. */
  min?: number;
}

/** A name or identifier: no control, zero-width or bidi characters; `min`–`max` characters. */
export function SafeText({ label, max, min = 1 }: SafeTextOptions) {
  return rule('safeText', (value) => {
    if (typeof value !== 'string') return `${label}应为文本`;
    const unsafe = unsafeTextProblem(value);
    if (unsafe) return `${label}${unsafe}`;
    const n = length(value.trim());
    if (n < min || length(value) > max) return min > 1 ? `${label}应为${min}–${max}个字符，收到${n}个` : `${label}不能为空且不超过${max}个字符，收到${n}个`;
    return undefined;
  });
}

export interface CalendarDateOptions {
  label: string;
  /** Earliest plausible date, YYYY-MM-DD. */
  min: string;
  /** Latest plausible date, YYYY-MM-DD; default today in China (an as-of date after it would be a guess). */
  max?: string;
}

const isCalendarDate = (value: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
};

/** A real calendar date `YYYY-MM-DD` (no 2月30日) within a plausible range. */
export function CalendarDate({ label, min, max }: CalendarDateOptions) {
  return rule('calendarDate', (value) => {
    if (typeof value !== 'string' || !isCalendarDate(value)) return `${label}应为 YYYY-MM-DD 格式的有效日期，收到“${echo(value)}”`;
    const latest = max ?? toChinaDate(new Date());
    if (value < min) return `${label}不能早于 ${min}`;
    if (value > latest) return max ? `${label}不能晚于 ${latest}` : `${label}不能晚于今天（北京时间）`;
    return undefined;
  });
}

/** An integer within `min`–`max`. */
export function IntRange(label: string, min: number, max: number) {
  return rule('intRange', (value) =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? undefined : `${label}应为 ${min} 到 ${max} 之间的整数，收到 ${echo(value)}`,
  );
}

/** A GB/T 2260 administrative division code: six digits. */
export function RegionCode(label = '地区代码') {
  return rule('regionCode', (value) => (typeof value === 'string' && /^\d{6}$/.test(value) ? undefined : `${label}应为6位数字（GB/T 2260），收到“${echo(value)}”`));
}

/** 居民身份证号码 (GB 11643): format, birth date, check character. */
export function ResidentId() {
  return rule('residentId', (value) => (typeof value === 'string' ? residentIdProblem(value) : '身份证号码应为文本'));
}

/** GB/T 4754-2017 section + division, e.g. C39. */
export function IndustryCode() {
  return rule('industryCode', (value) =>
    typeof value === 'string' && isIndustryCode(value) ? undefined : `行业代码“${echo(value)}”不是 GB/T 4754-2017 的门类+大类代码（如 C39）`,
  );
}

/** An industry filter: a section letter (C) or section + division (C39). */
export function IndustryFilter() {
  return rule('industryFilter', (value) =>
    typeof value === 'string' && /^[A-T](\d{2})?$/.test(value) ? undefined : `行业筛选应为门类字母（A–T）或门类+大类（如 C39），收到“${echo(value)}”`,
  );
}

/** A bank account number: 8–32 digits. */
export function BankAccountNumber() {
  return rule('bankAccount', (value) => (typeof value === 'string' && /^\d{8,32}$/.test(value) ? undefined : '银行账号应为8–32位数字'));
}

/**
 * GB 32100: positions 3–8 of a credit code are the region of the registering authority, so a
 * code belongs to the region it is registered in. `regionProperty` names the sibling field.
 */
export function CreditCodeInRegion(regionProperty: string) {
  return rule('creditCodeInRegion', (value, args) => {
    const region = (args.object as Record<string, unknown>)[regionProperty];
    if (typeof value !== 'string' || typeof region !== 'string' || !/^\d{6}$/.test(region)) return undefined; // reported on their own fields
    const coded = value.slice(2, 8);
    return coded === region ? undefined : `统一社会信用代码第3–8位（${coded}）是登记机关所在地区，应与登记地区 ${region} 一致`;
  });
}

/** A list of short texts (material names, process steps …): each a safe, non-blank text of at most `max` characters. */
export const EachText = (label: string, max: number) =>
  rule('eachText', (value) => {
    for (const v of value as unknown[]) {
      if (typeof v !== 'string') return `${label}应为文本`;
      const unsafe = unsafeTextProblem(v);
      if (unsafe) return `${label}${unsafe}`;
      if (!v.trim() || [...v].length > max) return `${label}每项不能为空且不超过${max}个字符`;
    }
    return undefined;
  });

/** A policy's number as the catalog gives it (XG-2026-001): the policies subgraph's key, referenced by the applications. */
export const POLICY_CODE_PATTERN = /^[A-Z]{2,6}-\d{4}-\d{3}$/;
export const PolicyCode = () =>
  rule('policyCode', (value) => (typeof value === 'string' && POLICY_CODE_PATTERN.test(value) ? undefined : `政策编号应形如 XG-2026-001，收到“${echo(value)}”`));

/** An id the platform issued (`randomUUID()`: lowercase): checked before any lookup, in arguments and representations. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
