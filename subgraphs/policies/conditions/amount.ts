/**
 * Amount rules: integer fen throughout, rounding down (floor) to the fen wherever a product is
 * not whole — the county never promises a fraction of a fen it cannot pay. A cap applies after
 * rounding. A missing indicator gives amountFen null with the reason, never a guess.
 */
import { indicator } from './indicators';
import { formatBasisPoints, formatMoney, formatValue } from './format';
import { missingText, present, subject } from './evaluate';
import type { AmountResult, AmountRule, EvalContext, IndicatorDef, Indicators } from './types';

/** floor(value × bp / 10000) exactly for any safe integer value ≥ 0, without BigInt. */
export function percentOfFen(valueFen: number, basisPoints: number): number {
  const q = Math.floor(valueFen / 10000);
  const r = valueFen - q * 10000;
  return q * basisPoints + Math.floor((r * basisPoints) / 10000);
}

function capped(raw: number, capFen: number | undefined, text: string): AmountResult {
  if (capFen !== undefined && raw > capFen) return { amountFen: capFen, text: `${text}，超过上限 ${formatMoney(capFen)}，按上限计 ${formatMoney(capFen)}` };
  return { amountFen: raw, text };
}

function read(def: IndicatorDef | undefined, name: string, values: Indicators, ctx: EvalContext): { v: number } | AmountResult {
  if (!def) return { amountFen: null, text: `未知指标“${name}”，无法计算金额` };
  const v = values[name];
  if (v == null) return { amountFen: null, text: `${missingText(def, ctx)}，无法计算金额` };
  if (!present(def, v) || typeof v !== 'number') return { amountFen: null, text: `数据有误：${subject(def, ctx)}的值 ${JSON.stringify(v)} 无法识别，无法计算金额` };
  return { v };
}

export function computeAmount(r: AmountRule, values: Indicators, ctx: EvalContext): AmountResult {
  if (r.kind === 'FIXED') return { amountFen: r.amountFen, text: `定额 ${formatMoney(r.amountFen)}` };
  const def = indicator(r.indicator);
  const got = read(def, r.indicator, values, ctx);
  if (!('v' in got)) return got;
  const v = got.v;
  const d = def!;
  const is = `${subject(d, ctx)} ${formatValue(d, v)}`;
  switch (r.kind) {
    case 'PER_UNIT': {
      const raw = v > 0 ? Math.floor(v * r.unitFen) : 0;
      return capped(raw, r.capFen, `${is} × ${formatMoney(r.unitFen)}/${d.unit ?? '单位'} = ${formatMoney(raw)}`);
    }
    case 'PERCENT': {
      const raw = v > 0 ? percentOfFen(v, r.basisPoints) : 0;
      return capped(raw, r.capFen, `${is} × ${formatBasisPoints(r.basisPoints)} = ${formatMoney(raw)}`);
    }
    case 'TIERS': {
      let hit = -1;
      for (let i = 0; i < r.tiers.length; i++) if (r.tiers[i].min <= v) hit = i;
      if (hit < 0) return { amountFen: 0, text: `${is}，未达到最低档 ${formatValue(d, r.tiers[0].min)}，金额 0元` };
      const t = r.tiers[hit];
      return { amountFen: t.amountFen, text: `${is}，达到“${formatValue(d, t.min)}及以上”档，金额 ${formatMoney(t.amountFen)}` };
    }
    default:
      return { amountFen: null, text: `未知金额规则类型“${String((r as { kind: unknown }).kind)}”` };
  }
}
