/**
 * Validation of conditions and amount rules before a policy version is saved: every problem at
 * once, each with the path of the bad node and a Chinese message. A condition that passes here
 * evaluates without throwing (property-tested).
 */
import { findIndustry, INDUSTRY_SECTIONS } from '../../kit/industry';
import { ALL_OPS, indicator, OPS_BY_TYPE } from './indicators';
import type { IndicatorDef, Problem } from './types';

export const MAX_DEPTH = 8;
export const MAX_NODES = 200;
const MAX_OFFSET = 200; // years or months either way; beyond that a relative value is a typo

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CODE_RE = /^[0-9A-Z]{1,12}$/;

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x);

export function isValidDate(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const y = +m[1], mo = +m[2], d = +m[3];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function describe(x: unknown): string {
  if (x === undefined) return '缺少';
  if (x === null) return 'null';
  if (Array.isArray(x)) return '数组';
  if (typeof x === 'object') return '对象';
  return JSON.stringify(x);
}

const TYPE_WORDS: Record<IndicatorDef['type'], string> = {
  number: '数值',
  money: '金额（整数分，不得为负）',
  integer: '整数',
  year: '年份（1900–2200 的整数）',
  date: '日期（YYYY-MM-DD）',
  boolean: '布尔值（true/false）',
  enum: '枚举值',
  code: '代码（1–12 位数字或大写字母）',
  tags: '标签',
};

/** Codes with a known shape: a whole code (eq, in …) or a prefix (startsWith). */
const CODE_RULES: Record<string, { whole: (v: string) => boolean; prefix: (v: string) => boolean; words: string; prefixWords: string }> = {
  industryCode: {
    whole: (v) => findIndustry(v) !== undefined,
    prefix: (v) => INDUSTRY_SECTIONS.some((s) => s.code === v) || findIndustry(v) !== undefined,
    words: 'GB/T 4754-2017 的门类+大类代码（如 C39）',
    prefixWords: '门类字母（A–T）或门类+大类代码（如 C、C39）',
  },
  regionCode: {
    whole: (v) => /^\d{6}$/.test(v),
    prefix: (v) => /^(\d{2}|\d{4}|\d{6})$/.test(v),
    words: '6 位行政区划代码（如 360732）',
    prefixWords: '2、4 或 6 位行政区划代码（省、市、县，如 3607）',
  },
};

/** Problems of one literal value for an indicator (not a relative value). */
function literalProblem(def: IndicatorDef, v: unknown): string | null {
  switch (def.type) {
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? null : 'number';
    case 'money':
      return isInt(v) && v >= 0 ? null : 'money';
    case 'integer':
      return isInt(v) ? null : 'integer';
    case 'year':
      return isInt(v) && v >= 1900 && v <= 2200 ? null : 'year';
    case 'date':
      return isValidDate(v) ? null : 'date';
    case 'boolean':
      return typeof v === 'boolean' ? null : 'boolean';
    case 'enum':
    case 'tags':
      return typeof v === 'string' && def.enumValues!.includes(v) ? null : 'enum';
    case 'code':
      return typeof v === 'string' && CODE_RE.test(v) && (CODE_RULES[def.name]?.whole(v) ?? true) ? null : 'code';
  }
}

function valueMessage(def: IndicatorDef, v: unknown): string {
  if ((def.type === 'enum' || def.type === 'tags') && typeof v === 'string') return `“${def.label}”没有取值 ${JSON.stringify(v)}，可选：${def.enumValues!.join('、')}`;
  if (def.type === 'money' && typeof v === 'number' && v < 0) return `金额不得为负：${v}`;
  const rule = CODE_RULES[def.name];
  if (rule) return `“${def.label}”应为${rule.words}，实际为 ${describe(v)}`;
  return `“${def.label}”的值应为${TYPE_WORDS[def.type]}，实际为 ${describe(v)}`;
}

/** A relative value's own problems, pushed onto out. */
function checkRelative(def: IndicatorDef, v: Record<string, unknown>, path: string, out: Problem[]): void {
  const offsetOk = (x: unknown) => x === undefined || (isInt(x) && Math.abs(x) <= MAX_OFFSET);
  if (v.relative === 'currentYear') {
    if (def.type !== 'year') out.push({ path, message: `“当年”只能用于年份指标，“${def.label}”不是年份` });
    for (const k of Object.keys(v)) if (k !== 'relative' && k !== 'offset') out.push({ path: `${path}.${k}`, message: `相对年份不认识字段“${k}”（只有 offset）` });
    if (!offsetOk(v.offset)) out.push({ path: `${path}.offset`, message: `年份偏移应为 −${MAX_OFFSET}～${MAX_OFFSET} 的整数，实际为 ${describe(v.offset)}` });
  } else if (v.relative === 'today') {
    if (def.type !== 'date') out.push({ path, message: `“今天”只能用于日期指标，“${def.label}”不是日期` });
    for (const k of Object.keys(v)) if (!['relative', 'offsetMonths', 'offsetYears'].includes(k)) out.push({ path: `${path}.${k}`, message: `相对日期不认识字段“${k}”（只有 offsetYears、offsetMonths）` });
    if (!offsetOk(v.offsetYears)) out.push({ path: `${path}.offsetYears`, message: `年数偏移应为 −${MAX_OFFSET}～${MAX_OFFSET} 的整数，实际为 ${describe(v.offsetYears)}` });
    if (!offsetOk(v.offsetMonths)) out.push({ path: `${path}.offsetMonths`, message: `月数偏移应为 −${MAX_OFFSET}～${MAX_OFFSET} 的整数，实际为 ${describe(v.offsetMonths)}` });
  } else {
    out.push({ path: `${path}.relative`, message: `相对值只能是 "currentYear"（当年）或 "today"（今天），实际为 ${describe(v.relative)}` });
  }
}

/** Checks a comparison operand (literal or relative); returns whether it is usable for ordering checks. */
function checkOperand(def: IndicatorDef, v: unknown, path: string, out: Problem[]): boolean {
  if (isObject(v) && 'relative' in v) {
    const before = out.length;
    checkRelative(def, v, path, out);
    return out.length === before;
  }
  if (literalProblem(def, v)) {
    out.push({ path, message: valueMessage(def, v) });
    return false;
  }
  return true;
}

/** Orders two operands of between when both are literal or both relative of the same kind. */
function minAboveMax(min: unknown, max: unknown): boolean {
  if (isObject(min) && isObject(max)) {
    if (min.relative === 'currentYear' && max.relative === 'currentYear') return ((min.offset as number) ?? 0) > ((max.offset as number) ?? 0);
    if (min.relative === 'today' && max.relative === 'today') {
      const months = (r: Record<string, unknown>) => ((r.offsetYears as number) ?? 0) * 12 + ((r.offsetMonths as number) ?? 0);
      return months(min) > months(max);
    }
    return false;
  }
  if (typeof min === 'number' && typeof max === 'number') return min > max;
  if (typeof min === 'string' && typeof max === 'string') return min > max;
  return false;
}

const LEAF_KEYS: Record<string, string[]> = {
  eq: ['value'], ne: ['value'], gt: ['value'], gte: ['value'], lt: ['value'], lte: ['value'],
  between: ['min', 'max'], in: ['values'], notIn: ['values'], startsWith: ['value'], hasTag: ['value'], lacksTag: ['value'], exists: [],
};

function checkLeaf(c: Record<string, unknown>, path: string, out: Problem[]): void {
  const name = c.indicator;
  const def = typeof name === 'string' ? indicator(name) : undefined;
  if (typeof name !== 'string') out.push({ path: `${path}.indicator`, message: `指标名应为字符串，实际为 ${describe(name)}` });
  else if (!def) out.push({ path: `${path}.indicator`, message: `未知指标“${name}”` });
  const op = c.op;
  if (typeof op !== 'string' || !(ALL_OPS as readonly string[]).includes(op)) {
    out.push({ path: `${path}.op`, message: `未知运算“${typeof op === 'string' ? op : describe(op)}”，可用：${ALL_OPS.join('、')}` });
    return;
  }
  for (const k of Object.keys(c)) if (k !== 'indicator' && k !== 'op' && !LEAF_KEYS[op].includes(k)) out.push({ path: `${path}.${k}`, message: `运算 ${op} 不认识字段“${k}”` });
  if (!def) return;
  if (!OPS_BY_TYPE[def.type].includes(op)) {
    out.push({ path: `${path}.op`, message: `“${def.label}”（${TYPE_WORDS[def.type]}）不能用运算 ${op}，可用：${OPS_BY_TYPE[def.type].join('、')}` });
    return;
  }
  switch (op) {
    case 'between': {
      const a = checkOperand(def, c.min, `${path}.min`, out);
      const b = checkOperand(def, c.max, `${path}.max`, out);
      if (a && b && minAboveMax(c.min, c.max)) out.push({ path, message: `区间下限大于上限：${JSON.stringify(c.min)} > ${JSON.stringify(c.max)}` });
      return;
    }
    case 'in':
    case 'notIn': {
      if (!Array.isArray(c.values)) out.push({ path: `${path}.values`, message: `values 应为数组，实际为 ${describe(c.values)}` });
      else if (c.values.length === 0) out.push({ path: `${path}.values`, message: 'values 不能为空' });
      else c.values.forEach((v, i) => {
        if (literalProblem(def, v)) out.push({ path: `${path}.values[${i}]`, message: valueMessage(def, v) });
      });
      return;
    }
    case 'startsWith': {
      const rule = CODE_RULES[def.name];
      if (typeof c.value !== 'string' || !CODE_RE.test(c.value) || (rule && !rule.prefix(c.value))) {
        out.push({ path: `${path}.value`, message: `“${def.label}”的前缀应为${rule?.prefixWords ?? ' 1–12 位数字或大写字母'}，实际为 ${describe(c.value)}` });
      }
      return;
    }
    case 'hasTag':
    case 'lacksTag':
      if (literalProblem(def, c.value)) out.push({ path: `${path}.value`, message: valueMessage(def, c.value) });
      return;
    case 'exists':
      return;
    default:
      checkOperand(def, c.value, `${path}.value`, out);
  }
}

export function validateCondition(c: unknown, path = 'conditions'): Problem[] {
  const out: Problem[] = [];
  let nodes = 0;
  let tooDeep = false;
  const walk = (n: unknown, p: string, depth: number): void => {
    nodes++;
    if (depth > MAX_DEPTH) {
      if (!tooDeep) out.push({ path: p, message: `条件嵌套过深：最多 ${MAX_DEPTH} 层` });
      tooDeep = true;
      return;
    }
    if (!isObject(n)) {
      out.push({ path: p, message: `条件应为对象，实际为 ${describe(n)}` });
      return;
    }
    const kinds = ['all', 'any', 'not', 'indicator'].filter((k) => k in n);
    if (kinds.length !== 1 && !(kinds.length === 0 && 'op' in n)) {
      out.push({ path: p, message: kinds.length === 0 ? '条件应含 all、any、not 或 indicator 之一' : `一个条件只能有 all、any、not、indicator 之一，实际有 ${kinds.join('、')}` });
      return;
    }
    const kind = kinds[0] ?? 'indicator';
    if (kind === 'all' || kind === 'any') {
      for (const k of Object.keys(n)) if (k !== kind) out.push({ path: `${p}.${k}`, message: `${kind} 条件不认识字段“${k}”` });
      const list = n[kind];
      if (!Array.isArray(list)) out.push({ path: `${p}.${kind}`, message: `${kind} 应为条件数组，实际为 ${describe(list)}` });
      else if (list.length === 0) out.push({ path: `${p}.${kind}`, message: `${kind} 不能为空：${kind === 'all' ? '“全部满足”' : '“满足其一”'}至少要有一个条件` });
      else list.forEach((child, i) => walk(child, `${p}.${kind}[${i}]`, depth + 1));
    } else if (kind === 'not') {
      for (const k of Object.keys(n)) if (k !== 'not') out.push({ path: `${p}.${k}`, message: `not 条件不认识字段“${k}”` });
      walk(n.not, `${p}.not`, depth + 1);
    } else checkLeaf(n, p, out);
  };
  walk(c, path, 1);
  if (nodes > MAX_NODES) out.unshift({ path, message: `条件过多：共 ${nodes} 个节点，最多 ${MAX_NODES} 个` });
  return out;
}

const NUMERIC_TYPES = ['number', 'money', 'integer'];

export function validateAmountRule(r: unknown, path = 'amountRule'): Problem[] {
  const out: Problem[] = [];
  if (!isObject(r)) return [{ path, message: `金额规则应为对象，实际为 ${describe(r)}` }];
  const fen = (key: string, optional = false) => {
    const v = r[key];
    if (optional && v === undefined) return;
    if (!isInt(v)) out.push({ path: `${path}.${key}`, message: `${key} 应为整数分，实际为 ${describe(v)}` });
    else if (v < 0) out.push({ path: `${path}.${key}`, message: `金额不得为负：${v}` });
  };
  const keys = (allowed: string[]) => {
    for (const k of Object.keys(r)) if (k !== 'kind' && !allowed.includes(k)) out.push({ path: `${path}.${k}`, message: `${String(r.kind)} 金额规则不认识字段“${k}”` });
  };
  const ind = (types: string[]): IndicatorDef | undefined => {
    const name = r.indicator;
    const def = typeof name === 'string' ? indicator(name) : undefined;
    if (typeof name !== 'string') out.push({ path: `${path}.indicator`, message: `指标名应为字符串，实际为 ${describe(name)}` });
    else if (!def) out.push({ path: `${path}.indicator`, message: `未知指标“${name}”` });
    else if (!types.includes(def.type)) {
      out.push({ path: `${path}.indicator`, message: `“${def.label}”是${TYPE_WORDS[def.type]}，不能用于此金额规则（需要${types.map((t) => TYPE_WORDS[t as IndicatorDef['type']]).join('或')}）` });
      return undefined;
    }
    return def;
  };
  switch (r.kind) {
    case 'FIXED':
      keys(['amountFen']);
      fen('amountFen');
      break;
    case 'PER_UNIT':
      keys(['indicator', 'unitFen', 'capFen']);
      ind(NUMERIC_TYPES);
      fen('unitFen');
      fen('capFen', true);
      break;
    case 'PERCENT':
      keys(['indicator', 'basisPoints', 'capFen']);
      ind(['money']);
      if (!isInt(r.basisPoints) || r.basisPoints < 0 || r.basisPoints > 10000) out.push({ path: `${path}.basisPoints`, message: `比例应为 0–10000 的整数基点（1 基点 = 0.01%），实际为 ${describe(r.basisPoints)}` });
      fen('capFen', true);
      break;
    case 'TIERS': {
      keys(['indicator', 'tiers']);
      const def = ind([...NUMERIC_TYPES, 'year']);
      const tiers = r.tiers;
      if (!Array.isArray(tiers)) out.push({ path: `${path}.tiers`, message: `tiers 应为数组，实际为 ${describe(tiers)}` });
      else if (tiers.length === 0) out.push({ path: `${path}.tiers`, message: 'tiers 不能为空：至少一档' });
      else {
        let prev: number | undefined;
        tiers.forEach((t, i) => {
          const p = `${path}.tiers[${i}]`;
          if (!isObject(t)) return void out.push({ path: p, message: `档位应为对象，实际为 ${describe(t)}` });
          for (const k of Object.keys(t)) if (k !== 'min' && k !== 'amountFen') out.push({ path: `${p}.${k}`, message: `档位不认识字段“${k}”` });
          const min = t.min;
          if (typeof min !== 'number' || !Number.isFinite(min) || (def && literalProblem(def, min))) out.push({ path: `${p}.min`, message: def ? valueMessage(def, min) : `档位下限应为数值，实际为 ${describe(min)}` });
          else {
            if (prev !== undefined && min <= prev) out.push({ path: `${p}.min`, message: `档位须按下限严格递增：${min} 不大于上一档的 ${prev}` });
            prev = min;
          }
          if (!isInt(t.amountFen)) out.push({ path: `${p}.amountFen`, message: `amountFen 应为整数分，实际为 ${describe(t.amountFen)}` });
          else if (t.amountFen < 0) out.push({ path: `${p}.amountFen`, message: `金额不得为负：${t.amountFen}` });
        });
      }
      break;
    }
    default:
      out.push({ path: `${path}.kind`, message: `未知金额规则类型 ${describe(r.kind)}，可用：FIXED、PER_UNIT、PERCENT、TIERS` });
  }
  return out;
}
