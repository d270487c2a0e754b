import { INDICATORS, type Condition, type InCondition } from '../../subgraphs/policies/conditions';
import { REQUIRED_FIELDS } from '../../subgraphs/policies/matching/enterprise.stub';
import { byRank, indicatorValues, latestYearOf, matchPolicy, offered, type Match, type PublishedPolicy } from '../../subgraphs/policies/matching/match';

const CTX = { today: '2026-10-31', latestYear: 2025 };
const policy = (conditions: Condition, amountFen = 100): PublishedPolicy => ({ id: 'XG-2026-900', regionCode: '360732', version: 2, conditions, amountRule: { kind: 'FIXED', amountFen } });
const region = { indicator: 'regionCode', op: 'eq', value: '360732' } as const;
const employees = (n: number) => ({ indicator: 'statistics.employees', op: 'gte', value: n }) as const;
const rating: InCondition = { indicator: 'tax.creditRating', op: 'in', values: ['A', 'B'] };
const values = { regionCode: '360732', 'statistics.employees': 6, 'tax.creditRating': 'M', 'credit.onDishonestyList': false };

describe('the policy calculator: ELIGIBLE and NEARLY', () => {
  test('MET is ELIGIBLE, with the amount and no unmet conditions', () => {
    expect(matchPolicy(policy({ all: [region, employees(5)] }), values, CTX, true)).toMatchObject({ outcome: 'ELIGIBLE', version: 2, estimatedAmountFen: 100, unmetConditions: [], unknownConditions: [] });
  });

  test('one failed condition is NEARLY; two are not listed; includeNearly false lists neither', () => {
    const one = matchPolicy(policy({ all: [region, rating] }), values, CTX, true)!;
    expect(one).toMatchObject({ outcome: 'NEARLY', unmetConditions: ['纳税信用级别为M级，不属于 A级、B级'] });
    expect(matchPolicy(policy({ all: [region, rating, employees(10)] }), values, CTX, true)).toBeNull();
    expect(matchPolicy(policy({ all: [region, rating] }), values, CTX, false)).toBeNull();
  });

  test('any: its cheapest alternative counts; a failed exclusion (not) never is nearly', () => {
    expect(matchPolicy(policy({ all: [region, { any: [rating, { all: [rating, employees(10)] }] }] }), values, CTX, true)?.outcome).toBe('NEARLY');
    const excluded = { not: { indicator: 'credit.onDishonestyList', op: 'eq', value: false } } as const;
    expect(matchPolicy(policy({ all: [region, excluded] }), values, CTX, true)).toBeNull();
  });

  test('missing data is UNKNOWN: NEARLY, listed under unknownConditions', () => {
    const m = matchPolicy(policy({ all: [region, { indicator: 'tax.revenueFen', op: 'gte', value: 100 }] }), values, CTX, true)!;
    expect(m.outcome).toBe('NEARLY');
    expect(m.unmetConditions).toEqual([]);
    expect(m.unknownConditions).toHaveLength(1);
    expect(m.unknownConditions[0]).toContain('营业收入');
  });

  test('order: ELIGIBLE first, then by amount (unknown last), then code', () => {
    const m = (policyId: string, outcome: Match['outcome'], estimatedAmountFen: number | null) => ({ policyId, outcome, estimatedAmountFen }) as Match;
    const sorted = [m('C', 'NEARLY', 900), m('B', 'ELIGIBLE', null), m('A', 'ELIGIBLE', 5), m('D', 'ELIGIBLE', 5), m('E', 'ELIGIBLE', 7)].sort(byRank);
    expect(sorted.map((x) => x.policyId)).toEqual(['E', 'A', 'D', 'B', 'C']);
  });
});

describe('application windows', () => {
  // A county policy of 兴国县 whose window is 2026-03-01 … 2026-09-30.
  const windowed = { ...policy({ all: [region] }), windowEnd: '2026-09-30' };
  test('offered up to and on the last day; not once the window has ended (the enterprise can no longer apply)', () => {
    expect(offered(windowed, '360732', '2026-09-29')).toBe(true);
    expect(offered(windowed, '360732', '2026-09-30')).toBe(true);
    expect(offered(windowed, '360732', '2026-10-01')).toBe(false);
    expect(offered(windowed, '360732', '2026-10-31')).toBe(false);
  });
  test('a window not open yet is offered (it is coming); no end date is always offered; the region still decides', () => {
    // asOf 2026-02-15, before the window opens on 2026-03-01: listed.
    expect(offered(windowed, '360732', '2026-02-15')).toBe(true);
    expect(offered({ ...windowed, windowEnd: null }, '360732', '2099-12-31')).toBe(true);
    expect(offered(windowed, '360731', '2026-09-01')).toBe(false);
    expect(offered({ ...windowed, regionCode: '360700' }, '360731', '2026-09-01')).toBe(true);
    expect(offered(windowed, undefined, '2026-09-01')).toBe(false);
  });
});

describe('indicators through the graph', () => {
  test('the @requires field set is built from the INDICATORS registry (application indicators excluded)', () => {
    expect(REQUIRED_FIELDS).toBe(
      'regionCode industryCode scale tags registeredOn tax { latestYear revenueFen taxPaidFen creditRating } statistics { latestYear aboveScale aboveScaleSince employees outputValueFen } credit { onDishonestyList publicCreditRating }',
    );
    for (const def of Object.values(INDICATORS)) {
      const leaf = def.field.replace(/.*\{\s*(\w+)\s*\}.*/, '$1');
      if (def.source === 'application') expect(def.field).toBe('');
      else expect(REQUIRED_FIELDS).toMatch(new RegExp(`\\b${leaf}\\b`));
    }
  });

  test('a representation becomes indicator values; refused or missing sources are null', () => {
    const rep = { creditCode: 'x', regionCode: '360732', industryCode: 'C20', scale: 'SMALL', tags: ['HIGH_TECH'], registeredOn: '2010-01-01', tax: null, statistics: { latestYear: 2025, employees: 8, aboveScale: false } };
    const v = indicatorValues(rep);
    expect(v).toMatchObject({ regionCode: '360732', tags: ['HIGH_TECH'], 'statistics.employees': 8, 'statistics.aboveScale': false });
    expect(v['tax.revenueFen']).toBeUndefined();
    expect(v['credit.onDishonestyList']).toBeUndefined();
    expect('application.investmentFen' in v).toBe(false);
    expect(latestYearOf(rep)).toBe(2025);
    expect(latestYearOf({ tax: { latestYear: 2024 }, statistics: { latestYear: 2025 } })).toBe(2024);
  });
});
