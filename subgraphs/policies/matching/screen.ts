/**
 * Screening (筛查): one published policy over every enterprise of a region — the 免申即享 white
 * list a department confirms, and the audience of 精准推送. Pure: the population's columns in,
 * entries out. `compile()` decides each enterprise without building any text; explanations are
 * written only for the entries a caller reads (`explainEntry`), by the same `evaluate` the
 * calculator uses, so a white-list entry reads exactly like the enterprise's own calculator.
 */
import { createHash } from 'node:crypto';
import { regionCovers } from '../../../platform/identity';
import type { PopulationTable } from '../../kit/population';
import { compile, computeAmount, evaluate, explanationLines, INDICATORS, type EvalContext, type Indicators } from '../conditions';
import type { PublishedPolicy } from './match';

/** The owner tables of a population by the field that brought them (`registry` for the enterprises' own fields). */
export interface Population {
  creditCodes: readonly string[];
  tables: Readonly<Record<string, PopulationTable | null | undefined>>;
}

/** Where each indicator sits in a population: table and column, from the INDICATORS registry. */
export interface ColumnRef {
  name: string;
  table: string;
  column: string;
}

export const REGISTRY_TABLE = 'registry';

/** `tax { revenueFen }` → tax.revenueFen; a top-level enterprise field → registry.<field>. */
export const INDICATOR_COLUMNS: readonly ColumnRef[] = Object.values(INDICATORS)
  .filter((def) => def.source !== 'application') // declared when applying: unknown here
  .map((def) => {
    const m = /^(\w+)\s*\{\s*(\w+)\s*\}$/.exec(def.field.trim());
    return m ? { name: def.name, table: m[1], column: m[2] } : { name: def.name, table: REGISTRY_TABLE, column: def.field.trim() };
  });

/** The tables screening requires besides `members`: `@requires(fields: "members registry tax statistics credit")`. */
export const POPULATION_TABLES: readonly string[] = [...new Set(INDICATOR_COLUMNS.map((c) => c.table))];

const cell = (population: Population, table: string, column: string, i: number): unknown => population.tables[table]?.[column]?.[i] ?? null;

/** The i-th enterprise's indicator values, exactly as `indicatorValues` reads one enterprise's representation. */
export function populationIndicators(population: Population, i: number, into: Indicators = {}): Indicators {
  for (const ref of INDICATOR_COLUMNS) into[ref.name] = cell(population, ref.table, ref.column, i) as Indicators[string];
  return into;
}

/** The period of its money indicators: the tax bureau's latest settled year, else the statistics bureau's (as `latestYearOf`). */
export function populationLatestYear(population: Population, i: number): number | undefined {
  const year = (table: string) => {
    const v = cell(population, table, 'latestYear', i);
    return Number.isSafeInteger(v) ? (v as number) : undefined;
  };
  return year('tax') ?? year('statistics');
}

export type ScreeningOutcome = 'ELIGIBLE' | 'UNKNOWN';

export interface ScreeningEntry {
  creditCode: string;
  /** Row of the population (to explain it later). */
  index: number;
  outcome: ScreeningOutcome;
  /** What it gets (UNKNOWN: would get once qualified); null when the amount rule's indicator is unknown. */
  amountFen: number | null;
}

export interface ScreeningResult {
  policyId: string;
  version: number;
  regionCode: string;
  evaluatedOn: string;
  /** Enterprises of the population inside the policy's region. */
  screened: number;
  /** ELIGIBLE then UNKNOWN, each in credit-code order. */
  eligible: ScreeningEntry[];
  unknown: ScreeningEntry[];
  totalAmountFen: number;
  digest: string;
}

/**
 * Every enterprise of the population in the policy's region, decided by the compiled condition:
 * MET → ELIGIBLE (the white list) with its amount; UNKNOWN (data missing, or the caller may not
 * read a source) → listed apart for the department to check; NOT_MET → not listed. Members are in
 * credit-code order, so both lists are too.
 */
export function screenPopulation(policy: PublishedPolicy, population: Population, regionCode: string, today: string): ScreeningResult {
  const decide = compile(policy.conditions);
  const regions = population.tables[REGISTRY_TABLE]?.regionCode ?? [];
  const ctx: EvalContext = { today };
  const values: Indicators = {};
  const eligible: ScreeningEntry[] = [];
  const unknown: ScreeningEntry[] = [];
  let screened = 0;
  let totalAmountFen = 0;
  const n = population.creditCodes.length;
  for (let i = 0; i < n; i++) {
    const region = regions[i];
    if (typeof region !== 'string' || !regionCovers(policy.regionCode, region)) continue;
    screened++;
    populationIndicators(population, i, values); // one object reused: no allocation per enterprise
    const outcome = decide(values, ctx);
    if (outcome === 'NOT_MET') continue;
    const creditCode = population.creditCodes[i];
    const { amountFen } = computeAmount(policy.amountRule, values, { today, latestYear: populationLatestYear(population, i) });
    if (outcome === 'UNKNOWN') {
      unknown.push({ creditCode, index: i, outcome, amountFen });
      continue;
    }
    if (amountFen !== null) totalAmountFen += amountFen;
    eligible.push({ creditCode, index: i, outcome: 'ELIGIBLE', amountFen });
  }
  return { policyId: policy.id, version: policy.version, regionCode, evaluatedOn: today, screened, eligible, unknown, totalAmountFen, digest: whiteListDigest(policy, regionCode, today, eligible) };
}

/**
 * SHA-256 (hex) of the white list as a department confirms it: policy, version, region, day and
 * every (credit code, amount) line in credit-code order. Screening the same data again gives the
 * same digest; any change to who or how much gives another.
 */
export function whiteListDigest(policy: Pick<PublishedPolicy, 'id' | 'version'>, regionCode: string, today: string, eligible: readonly Pick<ScreeningEntry, 'creditCode' | 'amountFen'>[]): string {
  const hash = createHash('sha256').update(`${policy.id}@${policy.version}|${regionCode}|${today}\n`);
  for (const e of eligible) hash.update(`${e.creditCode}:${e.amountFen ?? ''}\n`);
  return hash.digest('hex');
}

export interface ExplainedEntry extends ScreeningEntry {
  amountText: string;
  explanation: string[];
}

/** An entry's amount text and explanation lines, as the calculator would give them for this enterprise. */
export function explainEntry(policy: PublishedPolicy, population: Population, entry: ScreeningEntry, today: string): ExplainedEntry {
  const values = populationIndicators(population, entry.index);
  const ctx: EvalContext = { today, latestYear: populationLatestYear(population, entry.index) };
  const amount = computeAmount(policy.amountRule, values, ctx);
  return { ...entry, amountText: amount.text, explanation: explanationLines(evaluate(policy.conditions, values, ctx)) };
}
