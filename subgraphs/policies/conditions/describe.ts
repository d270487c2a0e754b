/**
 * A condition as Chinese requirements, without any enterprise's values: for the service guide
 * (its "申报条件" can be checked against the JSON) and for listing what an enterprise still lacks.
 */
import { indicator } from './indicators';
import { formatDuration, formatValue } from './format';
import { isRelative } from './relative';
import type { Condition, IndicatorDef, Relative, Value } from './types';

function relativeText(r: Relative): string {
  if (r.relative === 'currentYear') {
    const o = r.offset ?? 0;
    return o === 0 ? '当年' : o === -1 ? '上一年' : o === 1 ? '下一年' : o < 0 ? `当年往前${-o}年` : `当年往后${o}年`;
  }
  const months = (r.offsetYears ?? 0) * 12 + (r.offsetMonths ?? 0);
  return months === 0 ? '今天' : months < 0 ? `今天往前${formatDuration(months)}` : `今天往后${formatDuration(months)}`;
}

function operandText(def: IndicatorDef, x: Value | Relative): string {
  return isRelative(x) ? relativeText(x) : formatValue(def, x);
}

/** '最近年度营业收入' (or '2025年营业收入' with the year). */
function label(def: IndicatorDef, latestYear?: number): string {
  if (def.period !== 'latestYear') return def.label;
  return latestYear === undefined ? `最近年度${def.label}` : `${latestYear}年${def.label}`;
}

const WORDS: Record<string, [string, string]> = {
  // op: [numbers, years and dates]
  gt: ['高于', '晚于'],
  gte: ['不低于', '不早于'],
  lt: ['低于', '早于'],
  lte: ['不高于', '不晚于'],
};

function leafText(c: Condition & { indicator: string; op: string }, latestYear?: number): string {
  const def = indicator(c.indicator);
  if (!def) return `未知指标“${c.indicator}”`;
  const l = label(def, latestYear);
  const leaf = c as unknown as { value?: Value | Relative; min?: Value | Relative; max?: Value | Relative; values?: Value[] };
  const time = def.type === 'year' || def.type === 'date';
  switch (c.op) {
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const v = leaf.value!;
      if (def.name === 'registeredOn' && isRelative(v) && v.relative === 'today') {
        const months = (v.offsetYears ?? 0) * 12 + (v.offsetMonths ?? 0);
        if (months < 0) return c.op === 'lte' ? `注册满${formatDuration(months)}` : c.op === 'lt' ? `注册超过${formatDuration(months)}` : c.op === 'gte' ? `注册不超过${formatDuration(months)}` : `注册未满${formatDuration(months)}`;
      }
      return `${l}${WORDS[c.op][time ? 1 : 0]} ${operandText(def, v)}`;
    }
    case 'eq':
      return def.type === 'boolean' ? `${l}为“${leaf.value ? '是' : '否'}”` : `${l}为${operandText(def, leaf.value!)}`;
    case 'ne':
      return def.type === 'boolean' ? `${l}不为“${leaf.value ? '是' : '否'}”` : `${l}不为${operandText(def, leaf.value!)}`;
    case 'between':
      return `${l}在 ${operandText(def, leaf.min!)} 至 ${operandText(def, leaf.max!)} 之间`;
    case 'in':
      return `${l}为 ${leaf.values!.map((x) => formatValue(def, x)).join('、')} 之一`;
    case 'notIn':
      return `${l}不为 ${leaf.values!.map((x) => formatValue(def, x)).join('、')}`;
    case 'startsWith': {
      const prefix = formatValue(def, leaf.value as string);
      return `${l}以 ${prefix}${prefix.endsWith('）') ? '' : ' '}开头`;
    }
    case 'hasTag':
      return `具有“${formatValue(def, leaf.value as string)}”标签`;
    case 'lacksTag':
      return `不具有“${formatValue(def, leaf.value as string)}”标签`;
    case 'exists':
      return `有${l}数据`;
    default:
      return `未知运算“${c.op}”`;
  }
}

const NEGATED: Record<string, string> = { eq: 'ne', ne: 'eq', in: 'notIn', notIn: 'in', hasTag: 'lacksTag', lacksTag: 'hasTag', gt: 'lte', lte: 'gt', gte: 'lt', lt: 'gte' };

/** '同时满足：A；B' · '满足其一：A；B' · '不得：A' — nested groups in parentheses. */
export function describeCondition(c: Condition, latestYear?: number): string {
  const inner = (x: Condition) => ('all' in x || 'any' in x ? `（${describeCondition(x, latestYear)}）` : describeCondition(x, latestYear));
  if ('all' in c) return c.all.length === 1 ? describeCondition(c.all[0], latestYear) : `同时满足：${c.all.map(inner).join('；')}`;
  if ('any' in c) return c.any.length === 1 ? describeCondition(c.any[0], latestYear) : `满足其一：${c.any.map(inner).join('；')}`;
  if ('not' in c) {
    const n = c.not;
    // A negated leaf reads better as the opposite leaf: not(失信 = 是) is "失信 = 否".
    if ('op' in n && NEGATED[n.op]) {
      const def = indicator(n.indicator);
      if (def?.type === 'boolean' && n.op === 'eq' && typeof (n as { value: unknown }).value === 'boolean') return leafText({ ...n, value: !(n as { value: boolean }).value } as never, latestYear);
      return leafText({ ...n, op: NEGATED[n.op] } as never, latestYear);
    }
    return `不得：${inner(n)}`;
  }
  return leafText(c as Condition & { indicator: string; op: string }, latestYear);
}
