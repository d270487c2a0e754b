/**
 * Three-valued evaluation of a condition for one enterprise's indicator values.
 *  - `evaluate` explains every node in plain Chinese (for the clerk and the enterprise);
 *  - `compile` returns a closure that only answers MET / NOT_MET / UNKNOWN, resolves relative values
 *    once per `today`, short-circuits and allocates nothing per call (for screening 100,000
 *    enterprises). Both share `present` and `holds`, so they cannot disagree (property-tested).
 * Missing data (null/undefined) makes a leaf UNKNOWN — except `exists`, which asks exactly that.
 */
import { ALL_OPS, indicator, SOURCE_NAMES } from './indicators';
import { formatDuration, formatRelative, formatValue } from './format';
import { isRelative, resolve } from './relative';
import type { Condition, EvalContext, Explanation, IndicatorDef, Indicators, LeafCondition, Outcome, Relative, Value } from './types';

type Raw = Indicators[string];
const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether a present value has the shape its indicator's type promises (bad data reads as unknown). */
export function present(def: IndicatorDef, v: Raw): boolean {
  switch (def.type) {
    case 'number':
      return typeof v === 'number' && v === v;
    case 'money':
    case 'integer':
    case 'year':
      return Number.isSafeInteger(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'tags':
      return Array.isArray(v);
    case 'date':
      return typeof v === 'string' && DATE_SHAPE.test(v);
    case 'enum':
      return typeof v === 'string' && def.enumValues!.includes(v);
    default:
      return typeof v === 'string';
  }
}

/** The truth of a leaf for a present, well-typed value and resolved operands. */
function holds(op: string, v: Raw, a: Value | undefined, b: Value | undefined, list: readonly Value[] | undefined): boolean {
  switch (op) {
    case 'eq':
      return v === a;
    case 'ne':
      return v !== a;
    case 'gt':
      return (v as Value) > (a as Value);
    case 'gte':
      return (v as Value) >= (a as Value);
    case 'lt':
      return (v as Value) < (a as Value);
    case 'lte':
      return (v as Value) <= (a as Value);
    case 'between':
      return (v as Value) >= (a as Value) && (v as Value) <= (b as Value);
    case 'in':
      return list!.includes(v as Value);
    case 'notIn':
      return !list!.includes(v as Value);
    case 'startsWith':
      return (v as string).startsWith(a as string);
    case 'hasTag':
      return (v as string[]).includes(a as string);
    case 'lacksTag':
      return !(v as string[]).includes(a as string);
    default:
      return false;
  }
}

function and(children: Outcome[]): Outcome {
  let unknown = false;
  for (const o of children) {
    if (o === 'NOT_MET') return 'NOT_MET';
    if (o === 'UNKNOWN') unknown = true;
  }
  return unknown ? 'UNKNOWN' : 'MET';
}

function or(children: Outcome[]): Outcome {
  let unknown = false;
  for (const o of children) {
    if (o === 'MET') return 'MET';
    if (o === 'UNKNOWN') unknown = true;
  }
  return unknown ? 'UNKNOWN' : 'NOT_MET';
}

const negate = (o: Outcome): Outcome => (o === 'MET' ? 'NOT_MET' : o === 'NOT_MET' ? 'MET' : 'UNKNOWN');

// ---------------------------------------------------------------------------------------------
// compile: the fast path

export type Compiled = (values: Indicators, ctx: EvalContext) => Outcome;

const ALWAYS_UNKNOWN: Compiled = () => 'UNKNOWN';

/** An operand as a function of ctx, cached per `today` when relative. */
function operand(x: Value | Relative | undefined): (ctx: EvalContext) => Value | undefined {
  if (!isRelative(x)) return () => x;
  let today: string | undefined;
  let cached: Value | undefined;
  return (ctx) => {
    if (ctx.today !== today) {
      cached = resolve(x, ctx);
      today = ctx.today;
    }
    return cached;
  };
}

function compileLeaf(c: LeafCondition): Compiled {
  const def = indicator(c.indicator);
  if (!def) return ALWAYS_UNKNOWN;
  const name = c.indicator;
  const op: string = c.op;
  if (!(ALL_OPS as readonly string[]).includes(op)) return ALWAYS_UNKNOWN;
  if (op === 'exists') return (values) => (values[name] == null ? 'NOT_MET' : 'MET');
  const leaf = c as Partial<{ value: Value | Relative; min: Value | Relative; max: Value | Relative; values: Value[] }>;
  const a = operand(op === 'between' ? leaf.min : leaf.value);
  const b = operand(leaf.max);
  const list = leaf.values;
  return (values, ctx) => {
    const v = values[name];
    if (v == null || !present(def, v)) return 'UNKNOWN';
    return holds(op, v, a(ctx), b(ctx), list) ? 'MET' : 'NOT_MET';
  };
}

export function compile(c: Condition): Compiled {
  if ('all' in c) {
    const parts = c.all.map(compile);
    const n = parts.length;
    return (values, ctx) => {
      let unknown = false;
      for (let i = 0; i < n; i++) {
        const o = parts[i](values, ctx);
        if (o === 'NOT_MET') return 'NOT_MET';
        if (o === 'UNKNOWN') unknown = true;
      }
      return unknown ? 'UNKNOWN' : 'MET';
    };
  }
  if ('any' in c) {
    const parts = c.any.map(compile);
    const n = parts.length;
    return (values, ctx) => {
      let unknown = false;
      for (let i = 0; i < n; i++) {
        const o = parts[i](values, ctx);
        if (o === 'MET') return 'MET';
        if (o === 'UNKNOWN') unknown = true;
      }
      return unknown ? 'UNKNOWN' : 'NOT_MET';
    };
  }
  if ('not' in c) {
    const inner = compile(c.not);
    return (values, ctx) => negate(inner(values, ctx));
  }
  return compileLeaf(c);
}

/** The indicator names a condition reads (what matching must fetch). */
export function indicatorsOf(c: Condition, into = new Set<string>()): Set<string> {
  if ('all' in c) c.all.forEach((x) => indicatorsOf(x, into));
  else if ('any' in c) c.any.forEach((x) => indicatorsOf(x, into));
  else if ('not' in c) indicatorsOf(c.not, into);
  else into.add(c.indicator);
  return into;
}

// ---------------------------------------------------------------------------------------------
// evaluate: the explaining path

/** '2025年营业收入' for a latest-year indicator when the year is known, else the label. */
export function subject(def: IndicatorDef, ctx: EvalContext): string {
  return def.period === 'latestYear' && ctx.latestYear !== undefined ? `${ctx.latestYear}年${def.label}` : def.label;
}

export function missingText(def: IndicatorDef, ctx: EvalContext): string {
  return `缺少数据：${SOURCE_NAMES[def.source] ?? def.source}未提供${subject(def, ctx)}`;
}

const ORDERED = ['number', 'money', 'integer', 'year', 'date'];
/** Indicators whose date is a beginning: "注册满1年（2023-05-06 注册）". */
const AGE_VERBS: Record<string, string> = { registeredOn: '注册' };

function explainLeaf(c: LeafCondition, values: Indicators, ctx: EvalContext, path: string): Explanation {
  const def = indicator(c.indicator);
  if (!def) return { outcome: 'UNKNOWN', text: `未知指标“${String(c.indicator)}”`, path };
  const v = values[c.indicator];
  const op: string = c.op;
  if (op === 'exists') {
    return v == null
      ? { outcome: 'NOT_MET', text: missingText(def, ctx), path }
      : { outcome: 'MET', text: `已有${subject(def, ctx)}数据（${SOURCE_NAMES[def.source] ?? def.source}）`, path };
  }
  if (v == null) return { outcome: 'UNKNOWN', text: missingText(def, ctx), path };
  if (!present(def, v)) return { outcome: 'UNKNOWN', text: `数据有误：${subject(def, ctx)}的值 ${JSON.stringify(v)} 无法识别`, path };

  const leaf = c as Partial<{ value: Value | Relative; min: Value | Relative; max: Value | Relative; values: Value[] }>;
  const rawA = op === 'between' ? leaf.min : leaf.value;
  const a = rawA === undefined ? undefined : resolve(rawA, ctx);
  const b = leaf.max === undefined ? undefined : resolve(leaf.max, ctx);
  const outcome: Outcome = holds(op, v, a, b, leaf.values) ? 'MET' : 'NOT_MET';
  const met = outcome === 'MET';
  const subj = subject(def, ctx);
  const ordered = ORDERED.includes(def.type);
  const shown = (x: Value | Relative | undefined, r: Value | undefined) => (x !== undefined && isRelative(x) ? formatRelative(def, x, r!) : formatValue(def, r!));
  const fv = formatValue(def, v as Value);
  const is = ordered ? `${subj} ${fv}` : def.type === 'boolean' ? `${subj}：${fv}` : `${subj}为${fv}`;
  const time = def.type === 'year' || def.type === 'date';
  const [below, equal, above] = time ? ['早于', '等于', '晚于'] : ['低于', '等于', '高于'];

  let text: string;
  switch (op) {
    case 'eq':
    case 'ne':
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const age = AGE_VERBS[def.name];
      if (age && isRelative(rawA) && rawA.relative === 'today' && ['lt', 'lte', 'gt', 'gte'].includes(op)) {
        const months = (rawA.offsetYears ?? 0) * 12 + (rawA.offsetMonths ?? 0);
        if (months < 0) {
          // The fact, whatever the op asked: on or before the date N ago means N reached.
          const old = (v as string) <= (a as string);
          text = `${age}${old ? '满' : '不满'}${formatDuration(months)}（${v} ${age}）`;
          break;
        }
      }
      // Leaf texts state the fact beside the threshold, true whatever the op; the outcome is the verdict
      // (so the same text reads right under a `not`).
      if (def.type === 'boolean') {
        text = is;
        break;
      }
      const target = shown(rawA, a);
      if (!ordered) {
        text = v === a ? is : `${is}，不是${target}`;
        break;
      }
      const x = v as Value, y = a as Value;
      let rel = x < y ? below : x > y ? above : equal;
      if (!met && rel === equal) rel = op === 'gt' ? `未${above}` : op === 'lt' ? `未${below}` : rel;
      text = `${is}，${rel} ${target}`;
      break;
    }
    case 'between': {
      const lo = shown(leaf.min, a), hi = shown(leaf.max, b);
      text = met ? `${is}，在 ${lo} 至 ${hi} 之间` : (v as Value) < (a as Value) ? `${is}，${below}下限 ${lo}` : `${is}，${above}上限 ${hi}`;
      break;
    }
    case 'in':
    case 'notIn': {
      const list = (leaf.values ?? []).map((x) => formatValue(def, x)).join('、');
      const inside = op === 'in' ? met : !met;
      text = `${is}，${inside ? '' : '不'}属于 ${list}`;
      break;
    }
    case 'startsWith': {
      const prefix = formatValue(def, a as Value);
      text = `${is}，${met ? '' : '不'}以 ${prefix}${prefix.endsWith('）') ? '' : ' '}开头`;
      break;
    }
    case 'hasTag':
    case 'lacksTag': {
      const has = op === 'hasTag' ? met : !met;
      const tag = formatValue(def, a as Value);
      text = `${subj}${has ? '' : '不'}含“${tag}”`;
      break;
    }
    default:
      return { outcome: 'UNKNOWN', text: `未知运算“${op}”`, path };
  }
  return { outcome, text, path };
}

export function evaluate(c: Condition, values: Indicators, ctx: EvalContext, path = 'conditions'): Explanation {
  if ('all' in c || 'any' in c) {
    const isAll = 'all' in c;
    const list = isAll ? c.all : c.any;
    const key = isAll ? 'all' : 'any';
    const children = list.map((x, i) => evaluate(x, values, ctx, `${path}.${key}[${i}]`));
    const outcomes = children.map((x) => x.outcome);
    const outcome = isAll ? and(outcomes) : or(outcomes);
    const count = (o: Outcome) => outcomes.filter((x) => x === o).length;
    const n = children.length;
    let text: string;
    if (isAll) {
      text = outcome === 'MET' ? `全部 ${n} 项条件均满足` : outcome === 'NOT_MET' ? `${count('NOT_MET')} 项条件不满足（共 ${n} 项，须全部满足）` : `${count('UNKNOWN')} 项条件无法判断，其余满足（共 ${n} 项，须全部满足）`;
    } else {
      text = outcome === 'MET' ? `满足其中 ${count('MET')} 项（共 ${n} 项，满足一项即可）` : outcome === 'NOT_MET' ? `${n} 项条件均不满足（满足一项即可）` : `未见满足的条件，${count('UNKNOWN')} 项无法判断（共 ${n} 项，满足一项即可）`;
    }
    return { outcome, text, path, children };
  }
  if ('not' in c) {
    const child = evaluate(c.not, values, ctx, `${path}.not`);
    const outcome = negate(child.outcome);
    const text = outcome === 'MET' ? `不属于排除情形：${child.text}` : outcome === 'NOT_MET' ? `属于排除情形：${child.text}` : `无法判断是否属于排除情形：${child.text}`;
    return { outcome, text, path, children: [child] };
  }
  return explainLeaf(c, values, ctx, path);
}

/** Lines for a clerk: the leaves (and refusals) with their outcome, indented under their groups. */
export function explanationLines(e: Explanation, indent = ''): string[] {
  const mark = e.outcome === 'MET' ? '✓' : e.outcome === 'NOT_MET' ? '✗' : '？';
  return [`${indent}${mark} ${e.text}`, ...(e.children ?? []).flatMap((c) => explanationLines(c, `${indent}  `))];
}
