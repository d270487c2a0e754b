import fc from 'fast-check';
import { computeAmount, formatBasisPoints, formatMoney, percentOfFen, validateAmountRule, type AmountRule, type EvalContext } from '../../subgraphs/policies/conditions';

const CTX: EvalContext = { today: '2026-11-26', latestYear: 2025 };
const WAN = 1_000_000; // fen in 1万元

describe('money in explanations: exact to the fen', () => {
  it.each([
    [0, '0元'],
    [1, '0.01元'],
    [10, '0.1元'],
    [50_000, '500元'],
    [999_999, '9,999.99元'],
    [1_000_000, '1万元'],
    [1_000_001, '1.000001万元'],
    [18_502_500, '18.5025万元'],
    [1_850_250_000, '1,850.25万元'],
    [123_456_789_012, '123,456.789012万元'],
    [Number.MAX_SAFE_INTEGER, '9,007,199,254.740991万元'],
  ])('%d fen reads %s', (fen, text) => {
    expect(formatMoney(fen)).toBe(text);
  });

  it.each([
    [1000, '10%'],
    [1250, '12.5%'],
    [5, '0.05%'],
    [10000, '100%'],
    [0, '0%'],
  ])('%d basis points read %s', (bp, text) => {
    expect(formatBasisPoints(bp)).toBe(text);
  });
});

describe('TIERS: the highest tier whose min ≤ value', () => {
  const rule: AmountRule = {
    kind: 'TIERS',
    indicator: 'tax.revenueFen',
    tiers: [
      { min: 500 * WAN, amountFen: 2 * WAN },
      { min: 1000 * WAN, amountFen: 5 * WAN },
      { min: 2000 * WAN, amountFen: 10 * WAN },
    ],
  };
  it.each<[number, number, string]>([
    [1000 * WAN, 5 * WAN, '2025年营业收入 1,000万元，达到“1,000万元及以上”档，金额 5万元'],
    [1000 * WAN - 1, 2 * WAN, '2025年营业收入 999.999999万元，达到“500万元及以上”档，金额 2万元'],
    [500 * WAN, 2 * WAN, '2025年营业收入 500万元，达到“500万元及以上”档，金额 2万元'],
    [500 * WAN - 1, 0, '2025年营业收入 499.999999万元，未达到最低档 500万元，金额 0元'],
    [0, 0, '2025年营业收入 0元，未达到最低档 500万元，金额 0元'],
    [2000 * WAN, 10 * WAN, '2025年营业收入 2,000万元，达到“2,000万元及以上”档，金额 10万元'],
    [2000 * WAN - 1, 5 * WAN, '2025年营业收入 1,999.999999万元，达到“1,000万元及以上”档，金额 5万元'],
    [900_000 * WAN, 10 * WAN, '2025年营业收入 900,000万元，达到“2,000万元及以上”档，金额 10万元'],
  ])('revenue %d fen → %d fen', (revenue, amountFen, text) => {
    expect(computeAmount(rule, { 'tax.revenueFen': revenue }, CTX)).toEqual({ amountFen, text });
  });

  it('tiers over an integer indicator (employees)', () => {
    const byStaff: AmountRule = { kind: 'TIERS', indicator: 'statistics.employees', tiers: [{ min: 0, amountFen: 0 }, { min: 50, amountFen: 3 * WAN }] };
    expect(computeAmount(byStaff, { 'statistics.employees': 50 }, CTX)).toEqual({ amountFen: 3 * WAN, text: '从业人员数 50人，达到“50人及以上”档，金额 3万元' });
    expect(computeAmount(byStaff, { 'statistics.employees': 49 }, CTX).amountFen).toBe(0);
  });
});

describe('PERCENT: basis points, floor to the fen, then the cap', () => {
  // 技改补贴: 10% of the declared equipment investment, at most 200万元.
  const jiGai: AmountRule = { kind: 'PERCENT', indicator: 'application.investmentFen', basisPoints: 1000, capFen: 200 * WAN };
  it('a fen fraction is dropped, never rounded up', () => {
    expect(computeAmount(jiGai, { 'application.investmentFen': 123_456_789 }, CTX)).toEqual({ amountFen: 12_345_678, text: '项目设备投资额 123.456789万元 × 10% = 12.345678万元' });
  });
  it('the cap applies after rounding; exactly on the cap is not "over"', () => {
    expect(computeAmount(jiGai, { 'application.investmentFen': 2500 * WAN }, CTX)).toEqual({ amountFen: 200 * WAN, text: '项目设备投资额 2,500万元 × 10% = 250万元，超过上限 200万元，按上限计 200万元' });
    expect(computeAmount(jiGai, { 'application.investmentFen': 2000 * WAN }, CTX)).toEqual({ amountFen: 200 * WAN, text: '项目设备投资额 2,000万元 × 10% = 200万元' });
    expect(computeAmount(jiGai, { 'application.investmentFen': 2000 * WAN + 10 }, CTX).amountFen).toBe(200 * WAN);
  });
  it('missing investment: no amount, and why', () => {
    expect(computeAmount(jiGai, {}, CTX)).toEqual({ amountFen: null, text: '缺少数据：企业申报未提供项目设备投资额，无法计算金额' });
  });
  it.each([
    [9_999, 1, 0],
    [10_000, 1, 1],
    [19_999, 3333, 6665],
    [1, 10000, 1],
    [Number.MAX_SAFE_INTEGER, 10000, Number.MAX_SAFE_INTEGER],
    [Number.MAX_SAFE_INTEGER, 1, 900_719_925_474],
  ])('floor(%d × %d bp) = %d', (value, bp, expected) => {
    expect(percentOfFen(value, bp)).toBe(expected);
  });
  it('equals exact BigInt arithmetic for every safe value and basis point', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 0, max: 10000 }), (v, bp) => BigInt(percentOfFen(v, bp)) === (BigInt(v) * BigInt(bp)) / 10000n),
      { numRuns: 2000 },
    );
  });
});

describe('PER_UNIT and FIXED', () => {
  // 稳岗补贴: 500元 per employee, at most 5万元.
  const wenGang: AmountRule = { kind: 'PER_UNIT', indicator: 'statistics.employees', unitFen: 50_000, capFen: 5 * WAN };
  it.each<[number, number, string]>([
    [80, 4 * WAN, '从业人员数 80人 × 500元/人 = 4万元'],
    [100, 5 * WAN, '从业人员数 100人 × 500元/人 = 5万元'],
    [101, 5 * WAN, '从业人员数 101人 × 500元/人 = 5.05万元，超过上限 5万元，按上限计 5万元'],
    [120, 5 * WAN, '从业人员数 120人 × 500元/人 = 6万元，超过上限 5万元，按上限计 5万元'],
    [1, 50_000, '从业人员数 1人 × 500元/人 = 500元'],
    [0, 0, '从业人员数 0人 × 500元/人 = 0元'],
  ])('%d employees → %d fen', (employees, amountFen, text) => {
    expect(computeAmount(wenGang, { 'statistics.employees': employees }, CTX)).toEqual({ amountFen, text });
  });
  it('missing or malformed data: null with the reason', () => {
    expect(computeAmount(wenGang, { 'statistics.employees': null }, CTX)).toEqual({ amountFen: null, text: '缺少数据：统计局未提供从业人员数，无法计算金额' });
    expect(computeAmount(wenGang, { 'statistics.employees': '80' }, CTX)).toEqual({ amountFen: null, text: '数据有误：从业人员数的值 "80" 无法识别，无法计算金额' });
  });
  it('no cap, no limit', () => {
    expect(computeAmount({ kind: 'PER_UNIT', indicator: 'statistics.employees', unitFen: 1 }, { 'statistics.employees': 12_345 }, CTX).amountFen).toBe(12_345);
  });
  it('FIXED needs no data', () => {
    expect(computeAmount({ kind: 'FIXED', amountFen: 10 * WAN }, {}, CTX)).toEqual({ amountFen: 10 * WAN, text: '定额 10万元' });
  });
});

describe('amount rule validation', () => {
  it.each<[string, unknown, { path: string; message: string }[]]>([
    ['a valid tier table', { kind: 'TIERS', indicator: 'tax.revenueFen', tiers: [{ min: 0, amountFen: 0 }, { min: 1, amountFen: 5 }] }, []],
    ['percent over 100%', { kind: 'PERCENT', indicator: 'tax.revenueFen', basisPoints: 10001 }, [{ path: 'amountRule.basisPoints', message: '比例应为 0–10000 的整数基点（1 基点 = 0.01%），实际为 10001' }]],
    ['percent of a non-money indicator', { kind: 'PERCENT', indicator: 'statistics.employees', basisPoints: 100 }, [{ path: 'amountRule.indicator', message: '“从业人员数”是整数，不能用于此金额规则（需要金额（整数分，不得为负））' }]],
    ['negative fixed amount', { kind: 'FIXED', amountFen: -100 }, [{ path: 'amountRule.amountFen', message: '金额不得为负：-100' }]],
    ['yuan with a fraction', { kind: 'FIXED', amountFen: 10.5 }, [{ path: 'amountRule.amountFen', message: 'amountFen 应为整数分，实际为 10.5' }]],
    ['negative cap and unknown indicator', { kind: 'PER_UNIT', indicator: 'staff', unitFen: 100, capFen: -1 }, [
      { path: 'amountRule.indicator', message: '未知指标“staff”' },
      { path: 'amountRule.capFen', message: '金额不得为负：-1' },
    ]],
    ['tiers not ascending, negative amount', { kind: 'TIERS', indicator: 'tax.revenueFen', tiers: [{ min: 100, amountFen: 1 }, { min: 100, amountFen: 2 }, { min: 50, amountFen: -3 }] }, [
      { path: 'amountRule.tiers[1].min', message: '档位须按下限严格递增：100 不大于上一档的 100' },
      { path: 'amountRule.tiers[2].min', message: '档位须按下限严格递增：50 不大于上一档的 100' },
      { path: 'amountRule.tiers[2].amountFen', message: '金额不得为负：-3' },
    ]],
    ['empty tiers', { kind: 'TIERS', indicator: 'tax.revenueFen', tiers: [] }, [{ path: 'amountRule.tiers', message: 'tiers 不能为空：至少一档' }]],
    ['negative money tier', { kind: 'TIERS', indicator: 'tax.revenueFen', tiers: [{ min: -1, amountFen: 1 }] }, [{ path: 'amountRule.tiers[0].min', message: '金额不得为负：-1' }]],
    ['unknown kind', { kind: 'LUMP' }, [{ path: 'amountRule.kind', message: '未知金额规则类型 "LUMP"，可用：FIXED、PER_UNIT、PERCENT、TIERS' }]],
    ['an extra field', { kind: 'FIXED', amountFen: 1, currency: 'CNY' }, [{ path: 'amountRule.currency', message: 'FIXED 金额规则不认识字段“currency”' }]],
    ['not an object', 'FIXED 10000', [{ path: 'amountRule', message: '金额规则应为对象，实际为 "FIXED 10000"' }]],
  ])('%s', (_name, rule, problems) => {
    expect(validateAmountRule(rule)).toEqual(problems);
  });

  it('never throws, whatever JSON arrives', () => {
    fc.assert(fc.property(fc.anything(), (x) => Array.isArray(validateAmountRule(x))));
  });
});
