/**
 * The condition language and amount rules of the policy catalog (issue 8, CONTRACT8): plain data
 * stored as JSON with each policy version, validated on save, evaluated per enterprise.
 */

export type IndicatorType = 'number' | 'money' | 'integer' | 'year' | 'date' | 'boolean' | 'enum' | 'code' | 'tags';

export interface IndicatorDef {
  name: string; // 'tax.revenueFen'
  label: string; // '营业收入' (Chinese, used in explanations)
  type: IndicatorType;
  enumValues?: string[]; // for enum / tags
  /** Chinese names of enum / tag values for explanations (defaults to the value itself). */
  valueLabels?: Record<string, string>;
  /** Unit printed after numbers and integers ('人'); money and years have their own. */
  unit?: string;
  period?: 'latestYear'; // value refers to the source's latest complete year (explanations say "2025年")
  /** Where the value comes from in the graph: owning subgraph and field path on Enterprise. */
  source: string; // 'enterprises' | 'tax' | 'statistics' | 'credit' | 'application'
  field: string; // 'tax { revenueFen }' style selection for @requires later
}

export type Value = number | string | boolean;
export type Relative =
  | { relative: 'currentYear'; offset?: number }
  | { relative: 'today'; offsetMonths?: number; offsetYears?: number };

export type CompareOp = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte';
export type Op = CompareOp | 'between' | 'in' | 'notIn' | 'startsWith' | 'hasTag' | 'lacksTag' | 'exists';

export type AllCondition = { all: Condition[] };
export type AnyCondition = { any: Condition[] };
export type NotCondition = { not: Condition };
export type CompareCondition = { indicator: string; op: CompareOp; value: Value | Relative };
export type BetweenCondition = { indicator: string; op: 'between'; min: Value | Relative; max: Value | Relative }; // inclusive
export type InCondition = { indicator: string; op: 'in' | 'notIn'; values: Value[] };
export type StartsWithCondition = { indicator: string; op: 'startsWith'; value: string }; // industry code / region prefix
export type TagCondition = { indicator: string; op: 'hasTag' | 'lacksTag'; value: string };
export type ExistsCondition = { indicator: string; op: 'exists' }; // data present

export type LeafCondition = CompareCondition | BetweenCondition | InCondition | StartsWithCondition | TagCondition | ExistsCondition;
export type Condition = AllCondition | AnyCondition | NotCondition | LeafCondition;

export type AmountRule =
  | { kind: 'FIXED'; amountFen: number }
  | { kind: 'PER_UNIT'; indicator: string; unitFen: number; capFen?: number } // e.g. 稳岗: per employee
  | { kind: 'PERCENT'; indicator: string; basisPoints: number; capFen?: number } // 1 bp = 0.01 %, floor to fen
  | { kind: 'TIERS'; indicator: string; tiers: { min: number; amountFen: number }[] }; // highest tier whose min ≤ value

/** One refusal: where (like 'conditions.all[1].value') and why, in Chinese. */
export interface Problem {
  path: string;
  message: string;
}

export type Indicators = Record<string, Value | string[] | null | undefined>; // null/undefined = data missing

export interface EvalContext {
  today: string; // YYYY-MM-DD, Asia/Shanghai
  latestYear?: number;
}

export type Outcome = 'MET' | 'NOT_MET' | 'UNKNOWN';

export interface Explanation {
  outcome: Outcome;
  text: string; // plain Chinese
  path: string;
  children?: Explanation[];
}

export interface AmountResult {
  amountFen: number | null;
  text: string;
}
