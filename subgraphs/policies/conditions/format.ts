/**
 * How numbers read in explanations: money exact to the fen (never rounded in text), in 万元 from
 * 1万元 up and in 元 below, with thousands separators; percentages from basis points.
 */
import { findIndustry, INDUSTRY_SECTIONS } from '../../kit/industry';
import type { IndicatorDef, Relative, Value } from './types';

/** '1234567' → '1,234,567' (digits only). */
function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Integer a / 10^scale as exact decimal text, trailing zeros dropped: (185025, 2) → '1,850.25'. */
function decimal(n: number, scale: number): string {
  const sign = n < 0 ? '-' : '';
  const s = String(Math.abs(Math.trunc(n))).padStart(scale + 1, '0');
  const whole = group(s.slice(0, s.length - scale));
  const frac = s.slice(s.length - scale).replace(/0+$/, '');
  return sign + whole + (frac ? `.${frac}` : '');
}

const FEN_PER_WAN = 1_000_000;

/** 1,850,250,000 fen → '1,850.25万元'; 500,000 fen → '5,000元'; 12,345 fen → '123.45元'. */
export function formatMoney(fen: number): string {
  if (!Number.isSafeInteger(fen)) return `${fen}分`;
  return Math.abs(fen) >= FEN_PER_WAN ? `${decimal(fen, 6)}万元` : `${decimal(fen, 2)}元`;
}

export function formatNumber(n: number, unit = ''): string {
  if (Number.isSafeInteger(n)) return `${decimal(n, 0)}${unit}`;
  return `${n}${unit}`;
}

/** 1000 → '10%', 1250 → '12.5%', 5 → '0.05%'. */
export function formatBasisPoints(bp: number): string {
  return `${decimal(bp, 2)}%`;
}

export function formatValue(def: IndicatorDef, v: Value): string {
  switch (def.type) {
    case 'money':
      return typeof v === 'number' ? formatMoney(v) : String(v);
    case 'number':
    case 'integer':
      return typeof v === 'number' ? formatNumber(v, def.unit) : String(v);
    case 'year':
      return `${v}年`;
    case 'boolean':
      return v === true ? '是' : v === false ? '否' : String(v);
    case 'enum':
    case 'tags':
      return def.valueLabels?.[String(v)] ?? String(v);
    case 'code':
      return def.name === 'industryCode' ? industryText(String(v)) : String(v);
    default:
      return String(v);
  }
}

/** 'C39' → 'C39（计算机、通信和其他电子设备制造业）', 'C' → 'C（制造业）': clerks do not know codes by heart. */
export function industryText(code: string): string {
  const name = findIndustry(code)?.name ?? INDUSTRY_SECTIONS.find((s) => s.code === code)?.name;
  return name ? `${code}（${name}）` : code;
}

/** Offset in months as Chinese: -18 → '1年6个月'. */
export function formatDuration(months: number): string {
  const m = Math.abs(months);
  const y = Math.floor(m / 12);
  const r = m % 12;
  return `${y ? `${y}年` : ''}${r ? `${r}个月` : ''}` || '0个月';
}

/** A relative operand with its resolved value: '2026年（当年）', '2024-11-26（今天往前2年）'. */
export function formatRelative(def: IndicatorDef, r: Relative, resolved: Value): string {
  const shown = formatValue(def, resolved);
  if (r.relative === 'currentYear') {
    const o = r.offset ?? 0;
    const word = o === 0 ? '当年' : o === -1 ? '上一年' : o === 1 ? '下一年' : o < 0 ? `当年往前${-o}年` : `当年往后${o}年`;
    return `${shown}（${word}）`;
  }
  const months = (r.offsetYears ?? 0) * 12 + (r.offsetMonths ?? 0);
  const word = months === 0 ? '今天' : months < 0 ? `今天往前${formatDuration(months)}` : `今天往后${formatDuration(months)}`;
  return `${shown}（${word}）`;
}
