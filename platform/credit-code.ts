import { GraphQLScalarType, Kind, print } from 'graphql';
import { AppError, ErrorCode, echo } from './errors';

/**
 * 统一社会信用代码 (unified social credit code), GB 32100-2015.
 *
 * Layout (1-based): 1 registering authority · 2 entity type · 3–8 region code ·
 * 9–17 organization code (GB 11714: 8 body chars + 1 check char) · 18 check char.
 */

/** The 31 symbols, in value order; I O Z S V are left out so they cannot be misread as 1 0 2 5 U. */
export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const CREDIT_CODE_LENGTH = 18;

/** GB 11714 organization code: weights for the 8 body chars. */
const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** The symbols people most often type instead of a forbidden letter, to make the message actionable. */
const LIKELY_MEANT: Record<string, string> = { O: '0', I: '1', Z: '2', S: '5' };

export type CreditCodeCheck = { ok: true; code: string } | { ok: false; reason: string };

function charValue(ch: string): number {
  return CREDIT_CODE_CHARSET.indexOf(ch);
}

function isCharsetString(s: string): boolean {
  for (const ch of s) if (charValue(ch) < 0) return false;
  return true;
}

/**
 * Chinese IMEs often produce full-width digits and letters (９１３６…) and users paste codes with
 * surrounding blanks or in lower case; none of that is a real mistake, so we fix it silently.
 */
function normalize(input: string): string {
  return input
    .trim()
    .replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .toUpperCase();
}

/** Check char (position 18) for the first 17 chars. */
export function creditCodeCheckChar(first17: string): string {
  if (first17.length !== CREDIT_CODE_LENGTH - 1 || !isCharsetString(first17)) {
    throw new RangeError(`creditCodeCheckChar needs 17 chars from the GB 32100 charset, got "${first17}"`);
  }
  let sum = 0;
  for (let i = 0; i < first17.length; i++) sum += charValue(first17[i]) * CREDIT_CODE_WEIGHTS[i];
  return CREDIT_CODE_CHARSET[(31 - (sum % 31)) % 31];
}

/**
 * GB 11714 check char for an 8-char organization code body (digits = 0–9, letters A–Z = 10–35).
 * Only used to generate codes: validation does not enforce it, because codes issued since 2015
 * (the "MA…" ones) are only guaranteed to satisfy the GB 32100 check at position 18.
 */
export function organizationCodeCheckChar(body8: string): string {
  if (!/^[0-9A-Z]{8}$/.test(body8)) {
    throw new RangeError(`organizationCodeCheckChar needs 8 chars from 0-9A-Z, got "${body8}"`);
  }
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += parseInt(body8[i], 36) * ORG_CODE_WEIGHTS[i];
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

export function checkCreditCode(input: string): CreditCodeCheck {
  const code = normalize(input);
  if (code.length === 0) return { ok: false, reason: '统一社会信用代码不能为空，请填写营业执照上的18位代码' };

  const chars = [...code]; // by code point, so a stray Chinese character counts as one position
  if (chars.length !== CREDIT_CODE_LENGTH) {
    return { ok: false, reason: `统一社会信用代码应为18位，实际为${chars.length}位` };
  }

  const badIndex = chars.findIndex((ch) => charValue(ch) < 0);
  if (badIndex >= 0) {
    const ch = chars[badIndex];
    const hint = LIKELY_MEANT[ch] ? `，是否应为“${LIKELY_MEANT[ch]}”` : '';
    return {
      ok: false,
      reason:
        `统一社会信用代码第${badIndex + 1}位“${echo(ch)}”不是有效字符：只能是数字0-9或大写字母，` +
        `且不使用I、O、Z、S、V${hint}`,
    };
  }

  const expected = creditCodeCheckChar(code.slice(0, 17));
  if (expected !== code[17]) {
    return { ok: false, reason: `校验位错误：第18位应为“${expected}”，实际为“${code[17]}”，请核对是否输错` };
  }
  return { ok: true, code };
}

/** Normalized code, or an `INVALID_CREDIT_CODE` error whose message says what is wrong. */
export function parseCreditCode(input: unknown): string {
  // Federation representations are `_Any`: the key may be anything a caller sent.
  if (typeof input !== 'string') throw mustBeString(input);
  const result = checkCreditCode(input);
  if (!result.ok) throw new AppError(ErrorCode.INVALID_CREDIT_CODE, result.reason, { value: echo(input) });
  return result.code;
}

export function makeCreditCode(parts: {
  authority: string;
  entityType: string;
  regionCode: string;
  orgBody8: string;
}): string {
  const { authority, entityType, regionCode, orgBody8 } = parts;
  if (authority.length !== 1 || entityType.length !== 1 || !isCharsetString(authority + entityType)) {
    throw new RangeError(`makeCreditCode: authority and entityType must be single charset chars`);
  }
  if (!/^\d{6}$/.test(regionCode)) throw new RangeError(`makeCreditCode: regionCode must be 6 digits, got "${regionCode}"`);
  if (orgBody8.length !== 8 || !isCharsetString(orgBody8)) {
    throw new RangeError(`makeCreditCode: orgBody8 must be 8 charset chars, got "${orgBody8}"`);
  }
  const first17 = authority + entityType + regionCode + orgBody8 + organizationCodeCheckChar(orgBody8);
  return first17 + creditCodeCheckChar(first17);
}

function mustBeString(value: unknown) {
  return new AppError(ErrorCode.INVALID_CREDIT_CODE, '统一社会信用代码必须以字符串形式传入（加引号），例如 "914403001922038216"', {
    value: echo(value),
  });
}

export const CreditCodeScalar = new GraphQLScalarType<string, string>({
  name: 'CreditCode',
  description:
    '统一社会信用代码（GB 32100-2015）：18位，数字和大写字母（不含I、O、Z、S、V），第18位为校验位；' +
    '输入时自动去除首尾空格并转为大写。\n' +
    'Unified social credit code of a Chinese legal entity (GB 32100-2015): 18 characters from ' +
    '0-9 and A-Z without I, O, Z, S, V, the last one a check character. Input is trimmed and upper-cased.',
  serialize(value) {
    if (typeof value !== 'string') throw new TypeError(`CreditCode cannot serialize ${String(value)}`);
    return value;
  },
  parseValue(value) {
    if (typeof value !== 'string') throw mustBeString(value);
    return parseCreditCode(value);
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw mustBeString(print(ast));
    return parseCreditCode(ast.value);
  },
});
