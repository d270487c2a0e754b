import fc from 'fast-check';
import { computeAmount, evaluate, explanationLines, type AmountRule, type Condition, type Indicators } from '../../subgraphs/policies/conditions';
import type { PublishedPolicy } from '../../subgraphs/policies/matching/match';
import { explainEntry, INDICATOR_COLUMNS, POPULATION_TABLES, screenPopulation, whiteListDigest, type Population } from '../../subgraphs/policies/matching/screen';
import { SCREENING_REQUIRES } from '../../subgraphs/policies/matching';
import { conditionArb, ctxArb, valuesArb } from '../support/condition-arbitraries';

/** Columns from per-enterprise indicator values, as the owners' tables would carry them. */
function populationOf(enterprises: Indicators[], latestYears: (number | null)[]): Population {
  const tables: Record<string, Record<string, unknown[]>> = {};
  const creditCodes = enterprises.map((_, i) => `91360732MA${String(i).padStart(7, '0')}X`.slice(0, 18));
  for (const ref of INDICATOR_COLUMNS) {
    ((tables[ref.table] ??= {})[ref.column] = enterprises.map((v) => v[ref.name] ?? null));
  }
  tables.statistics.latestYear = latestYears;
  return { creditCodes, tables };
}

const AMOUNT_RULES: AmountRule[] = [
  { kind: 'FIXED', amountFen: 10_000_000 },
  { kind: 'PER_UNIT', indicator: 'statistics.employees', unitFen: 50_000, capFen: 500_000 },
  { kind: 'PERCENT', indicator: 'tax.revenueFen', basisPoints: 100, capFen: 3_000_000 },
  { kind: 'TIERS', indicator: 'tax.revenueFen', tiers: [{ min: 1_000_000, amountFen: 2_000_000 }, { min: 1_000_000_000, amountFen: 5_000_000 }] },
];

const policy = (conditions: Condition, amountRule: AmountRule): PublishedPolicy => ({ id: 'XG-2026-099', regionCode: '360732', version: 3, conditions, amountRule });

describe('screening equals evaluating each enterprise alone', () => {
  it('over random enterprises and random conditions (fast-check)', () => {
    fc.assert(
      fc.property(
        conditionArb,
        fc.constantFrom(...AMOUNT_RULES),
        fc.array(valuesArb, { minLength: 0, maxLength: 25 }),
        fc.array(fc.constantFrom(2024, 2025, null), { minLength: 25, maxLength: 25 }),
        ctxArb,
        (conditions, amountRule, enterprises, years, { today }) => {
          const p = policy(conditions, amountRule);
          const population = populationOf(enterprises, years.slice(0, enterprises.length));
          const result = screenPopulation(p, population, '360732', today);

          // The calculator's answer for each enterprise alone: the policy is offered in its region only.
          const expected = { eligible: [] as unknown[], unknown: [] as unknown[] };
          let screened = 0;
          enterprises.forEach((drawn, i) => {
            // As the calculator sees an enterprise: indicators declared when applying are missing.
            const values = Object.fromEntries(Object.entries(drawn).filter(([name]) => !name.startsWith('application.')));
            const region = values.regionCode;
            if (typeof region !== 'string' || !region.startsWith('360732')) return;
            screened++;
            const latestYear = (Number.isSafeInteger(values['tax.latestYear']) ? (values['tax.latestYear'] as number) : undefined) ?? years[i] ?? undefined;
            const ctx = { today, latestYear };
            const explanation = evaluate(conditions, values, ctx);
            if (explanation.outcome === 'NOT_MET') return;
            const amount = computeAmount(amountRule, values, ctx);
            const entry = { creditCode: population.creditCodes[i], index: i, outcome: explanation.outcome === 'MET' ? 'ELIGIBLE' : 'UNKNOWN', amountFen: amount.amountFen };
            (explanation.outcome === 'MET' ? expected.eligible : expected.unknown).push(entry);
            // Each entry explains itself exactly as the calculator would.
            const explained = explainEntry(p, population, entry as never, today);
            expect(explained.explanation).toEqual(explanationLines(explanation));
            expect(explained.amountText).toBe(amount.text);
          });
          expect(result.screened).toBe(screened);
          expect(result.eligible).toEqual(expected.eligible);
          expect(result.unknown).toEqual(expected.unknown);
          expect(result.totalAmountFen).toBe(result.eligible.reduce((sum, e) => sum + (e.amountFen ?? 0), 0));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('a missing table (a source that failed or refused) makes its conditions unknown, never a yes', () => {
    const p = policy({ all: [{ indicator: 'regionCode', op: 'eq', value: '360732' }, { indicator: 'tax.creditRating', op: 'in', values: ['A', 'B'] }] }, { kind: 'FIXED', amountFen: 100 });
    const population = populationOf([{ regionCode: '360732', 'tax.creditRating': 'A' }], [2025]);
    expect(screenPopulation(p, population, '360732', '2026-11-26').eligible).toHaveLength(1);
    const withoutTax = { ...population, tables: { ...population.tables, tax: null } };
    const result = screenPopulation(p, withoutTax, '360732', '2026-11-26');
    expect(result.eligible).toHaveLength(0);
    expect(result.unknown.map((e) => e.creditCode)).toEqual(population.creditCodes);
    expect(explainEntry(p, withoutTax, result.unknown[0], '2026-11-26').explanation).toContain('  ？ 缺少数据：税务局未提供纳税信用级别');
  });
});

describe('the white list digest', () => {
  const p = { id: 'XG-2026-005', version: 1 };
  const list = [
    { creditCode: '913607323006734348', amountFen: 300000 },
    { creditCode: '91360732302414479X', amountFen: null },
  ];
  it('is the same for the same list and changes with who, how much, the version or the day', () => {
    const d = whiteListDigest(p, '360732', '2026-11-26', list);
    expect(d).toMatch(/^[0-9a-f]{64}$/);
    expect(whiteListDigest(p, '360732', '2026-11-26', list.map((e) => ({ ...e })))).toBe(d);
    expect(whiteListDigest(p, '360732', '2026-11-26', [list[0]])).not.toBe(d);
    expect(whiteListDigest(p, '360732', '2026-11-26', [{ ...list[0], amountFen: 300001 }, list[1]])).not.toBe(d);
    expect(whiteListDigest({ ...p, version: 2 }, '360732', '2026-11-26', list)).not.toBe(d);
    expect(whiteListDigest(p, '360732', '2026-11-25', list)).not.toBe(d);
  });
});

describe('what screening requires', () => {
  it('is built from the indicator registry: the members and one table per owner', () => {
    expect(POPULATION_TABLES).toEqual(['registry', 'tax', 'statistics', 'credit']);
    expect(SCREENING_REQUIRES).toBe('members registry tax statistics credit');
  });
});
