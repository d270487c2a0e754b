import { regionCovers } from '../../../platform/identity';
import { computeAmount, evaluate, explanationLines, INDICATORS, type AmountRule, type Condition, type EvalContext, type Explanation, type Indicators } from '../conditions';
import { windowEndedBefore } from '../lifecycle';

/** A published policy as the calculator needs it (the served version's conditions and amount rule). */
export interface PublishedPolicy {
  id: string;
  regionCode: string;
  version: number;
  conditions: Condition;
  amountRule: AmountRule;
  /** The served version's application window (YYYY-MM-DD; null: open-ended). */
  windowEnd?: string | null;
}

/**
 * Whether the calculator offers a policy to an enterprise of `regionCode` on `asOf`: the policy's
 * region covers it, and its application window has not ended before `asOf` (it can still apply).
 * A window not yet open is offered: the policy is coming, the enterprise can prepare.
 */
export const offered = (policy: PublishedPolicy, regionCode: unknown, asOf: string): boolean =>
  typeof regionCode === 'string' && regionCovers(policy.regionCode, regionCode) && !windowEndedBefore(policy.windowEnd, asOf);

export type MatchOutcome = 'ELIGIBLE' | 'NEARLY';

export interface Match {
  policyId: string;
  version: number;
  outcome: MatchOutcome;
  estimatedAmountFen: number | null;
  amountText: string;
  unmetConditions: string[];
  unknownConditions: string[];
  explanation: string[];
}

/** The indicator values from the representation the gateway sent (`@requires`), by indicator name. */
export function indicatorValues(enterprise: Record<string, unknown>): Indicators {
  const values: Indicators = {};
  for (const def of Object.values(INDICATORS)) {
    if (def.source === 'application') continue; // declared when applying: unknown here
    const m = /^(\w+)\s*\{\s*(\w+)\s*\}$/.exec(def.field.trim());
    const raw = m ? (enterprise[m[1]] as Record<string, unknown> | null | undefined)?.[m[2]] : enterprise[def.field.trim()];
    values[def.name] = raw as Indicators[string];
  }
  return values;
}

/** The period the money indicators refer to: the tax bureau's latest settled year, else the statistics bureau's. */
export function latestYearOf(enterprise: Record<string, unknown>): number | undefined {
  const year = (parent: string) => (enterprise[parent] as { latestYear?: number | null } | null | undefined)?.latestYear ?? undefined;
  return year('tax') ?? year('statistics');
}

/**
 * How many failed leaves must change for the condition to hold: 0 for MET and for UNKNOWN (it may
 * hold once the data is there), a failed leaf 1, `all` the sum, `any` its cheapest alternative.
 * A failed exclusion (`not`) is not fixable (Infinity): being on a blacklist is not "nearly".
 */
function fixCost(e: Explanation): number {
  if (e.outcome !== 'NOT_MET') return 0;
  const k = kind(e);
  if (k === 'leaf') return 1;
  if (k === 'not') return Infinity;
  const costs = e.children!.map(fixCost);
  return k === 'any' ? Math.min(...costs) : costs.reduce((a, b) => a + b, 0);
}

const kind = (e: Explanation): 'all' | 'any' | 'not' | 'leaf' => {
  const child = e.children?.[0]?.path;
  if (!child) return 'leaf';
  if (child.endsWith('.not')) return 'not';
  return /\.any\[\d+\]$/.test(child) ? 'any' : 'all';
};

/** The leaves that decide the outcome: failed (or unknown) ones under groups that are not met. */
function leaves(e: Explanation, outcome: 'NOT_MET' | 'UNKNOWN', into: string[] = []): string[] {
  if (e.outcome === 'MET') return into;
  const k = kind(e);
  if (k === 'leaf' || k === 'not') {
    if (e.outcome === outcome) into.push(e.text);
    return into;
  }
  for (const c of e.children!) leaves(c, outcome, into);
  return into;
}

/**
 * One enterprise against one policy. ELIGIBLE: the conditions are met. NEARLY ("差一点"): not
 * decided against it — unknown only because data is missing — or exactly one failed condition
 * away (docs/policies.md, "Policy calculator"). Anything else is null (not listed).
 */
export function matchPolicy(policy: PublishedPolicy, values: Indicators, ctx: EvalContext, includeNearly: boolean): Match | null {
  const explanation = evaluate(policy.conditions, values, ctx);
  let outcome: MatchOutcome;
  if (explanation.outcome === 'MET') outcome = 'ELIGIBLE';
  else if (includeNearly && (explanation.outcome === 'UNKNOWN' || fixCost(explanation) === 1)) outcome = 'NEARLY';
  else return null;
  const amount = computeAmount(policy.amountRule, values, ctx);
  return {
    policyId: policy.id,
    version: policy.version,
    outcome,
    estimatedAmountFen: amount.amountFen,
    amountText: amount.text,
    unmetConditions: leaves(explanation, 'NOT_MET'),
    unknownConditions: leaves(explanation, 'UNKNOWN'),
    explanation: explanationLines(explanation),
  };
}

/** ELIGIBLE first, then NEARLY; within each the larger estimated amount first (unknown amounts last), then the policy code. */
export function byRank(a: Match, b: Match): number {
  if (a.outcome !== b.outcome) return a.outcome === 'ELIGIBLE' ? -1 : 1;
  const x = a.estimatedAmountFen ?? -1, y = b.estimatedAmountFen ?? -1;
  return y - x || a.policyId.localeCompare(b.policyId);
}
