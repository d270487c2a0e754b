/**
 * fast-check arbitraries over the condition language: random valid conditions on the INDICATORS
 * registry and random indicator values (missing and malformed ones included). Shared by the
 * evaluator's properties and screening's (tests/unit/conditions.test.ts, screening.test.ts).
 */
import fc from 'fast-check';
import { INDICATORS, OPS_BY_TYPE, validateCondition, type Condition, type EvalContext, type IndicatorDef, type Indicators, type Relative, type Value } from '../../subgraphs/policies/conditions';

export const DEFS = Object.values(INDICATORS);
export const POOLS: Record<IndicatorDef['type'], (def: IndicatorDef) => fc.Arbitrary<Value>> = {
  number: () => fc.constantFrom(-1.5, 0, 2.25, 10),
  money: () => fc.constantFrom(0, 1, 999_999, 1_000_000, 2_000_000_000),
  integer: () => fc.integer({ min: -2, max: 12 }),
  year: () => fc.integer({ min: 2022, max: 2027 }),
  date: () => fc.constantFrom('2023-02-28', '2024-02-29', '2025-02-28', '2025-03-01', '2025-11-26', '2026-11-26'),
  boolean: () => fc.boolean(),
  enum: (def) => fc.constantFrom(...def.enumValues!),
  code: (def) => (def.name === 'industryCode' ? fc.constantFrom('C39', 'C30', 'F51') : fc.constantFrom('360732', '360731', '360700')),
  tags: (def) => fc.constantFrom(...def.enumValues!),
};
const relativeFor = (def: IndicatorDef): fc.Arbitrary<Relative> | null =>
  def.type === 'year'
    ? fc.record({ relative: fc.constant('currentYear' as const), offset: fc.integer({ min: -3, max: 1 }) })
    : def.type === 'date'
      ? fc.record({ relative: fc.constant('today' as const), offsetYears: fc.integer({ min: -3, max: 0 }), offsetMonths: fc.integer({ min: -13, max: 1 }) })
      : null;

export const leafArb: fc.Arbitrary<Condition> = fc.constantFrom(...DEFS).chain((def) =>
  fc.constantFrom(...OPS_BY_TYPE[def.type]).chain((op): fc.Arbitrary<Condition> => {
    const lit = POOLS[def.type](def);
    const rel = relativeFor(def);
    const operand = rel ? fc.oneof(lit, rel) : lit;
    switch (op) {
      case 'exists':
        return fc.constant({ indicator: def.name, op: 'exists' });
      case 'between':
        return fc.tuple(lit, lit).map(([a, b]) => ({ indicator: def.name, op: 'between', min: a < b ? a : b, max: a < b ? b : a }) as Condition);
      case 'in':
      case 'notIn':
        return fc.uniqueArray(lit, { minLength: 1, maxLength: 3 }).map((values) => ({ indicator: def.name, op, values }) as Condition);
      case 'startsWith':
        return (def.name === 'industryCode' ? fc.constantFrom('C', 'C39', 'F') : fc.constantFrom('36', '3607', '360732')).map((value) => ({ indicator: def.name, op: 'startsWith', value }) as Condition);
      default:
        return operand.map((value) => ({ indicator: def.name, op, value }) as Condition);
    }
  }),
);
export const conditionArb: fc.Arbitrary<Condition> = fc.letrec<{ c: Condition }>((tie) => ({
  c: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc.array(tie('c'), { minLength: 1, maxLength: 3 }).map((all) => ({ all })),
    fc.array(tie('c'), { minLength: 1, maxLength: 3 }).map((any) => ({ any })),
    tie('c').map((not) => ({ not })),
  ),
})).c.filter((c) => validateCondition(c).length === 0);

export const valuesArb: fc.Arbitrary<Indicators> = fc.tuple(
  ...DEFS.map((def) =>
    fc.oneof(
      { weight: 1, arbitrary: fc.constantFrom(null, undefined) },
      { weight: 4, arbitrary: def.type === 'tags' ? fc.subarray(def.enumValues!) : POOLS[def.type](def) },
      // Malformed data from a source: never a throw, always UNKNOWN (or MET for exists).
      { weight: 1, arbitrary: fc.oneof(fc.string(), fc.double(), fc.boolean(), fc.array(fc.string(), { maxLength: 2 })) as fc.Arbitrary<Value | string[]> },
    ),
  ),
).map((vs) => Object.fromEntries(DEFS.map((d, i) => [d.name, vs[i]])));
export const ctxArb: fc.Arbitrary<EvalContext> = fc.record({ today: fc.constantFrom('2024-02-29', '2025-02-28', '2025-12-31', '2026-01-01', '2026-11-26'), latestYear: fc.constantFrom(2024, 2025) });

