import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  compile,
  describeCondition,
  evaluate,
  explanationLines,
  indicatorsOf,
  INDICATORS,
  shiftMonths,
  validateCondition,
  type Condition,
  type EvalContext,
  type Indicators,
} from '../../subgraphs/policies/conditions';
import { conditionArb, ctxArb, leafArb, valuesArb } from '../support/condition-arbitraries';

const CTX: EvalContext = { today: '2026-11-26', latestYear: 2025 };
const WAN = 1_000_000; // fen in 1万元

/** Evaluates and checks that the compiled closure agrees. */
function run(c: Condition, values: Indicators, ctx: EvalContext = CTX) {
  expect(validateCondition(c)).toEqual([]);
  const e = evaluate(c, values, ctx);
  expect(compile(c)(values, ctx)).toBe(e.outcome);
  return e;
}

describe('every op, worked by hand', () => {
  const rev = (op: string, value: number): Condition => ({ indicator: 'tax.revenueFen', op, value }) as Condition;
  it.each<[string, Condition, Indicators, string, string]>([
    ['gte, below', rev('gte', 2000 * WAN), { 'tax.revenueFen': 1850 * WAN }, 'NOT_MET', '2025年营业收入 1,850万元，低于 2,000万元'],
    ['gte, exactly on', rev('gte', 2000 * WAN), { 'tax.revenueFen': 2000 * WAN }, 'MET', '2025年营业收入 2,000万元，等于 2,000万元'],
    ['gt, exactly on', rev('gt', 2000 * WAN), { 'tax.revenueFen': 2000 * WAN }, 'NOT_MET', '2025年营业收入 2,000万元，未高于 2,000万元'],
    ['gt, one fen above', rev('gt', 2000 * WAN), { 'tax.revenueFen': 2000 * WAN + 1 }, 'MET', '2025年营业收入 2,000.000001万元，高于 2,000万元'],
    ['lt, fen kept in the text', rev('lt', 2000 * WAN), { 'tax.revenueFen': 1_850_250_000 }, 'MET', '2025年营业收入 1,850.25万元，低于 2,000万元'],
    ['lt, exactly on', rev('lt', 2000 * WAN), { 'tax.revenueFen': 2000 * WAN }, 'NOT_MET', '2025年营业收入 2,000万元，未低于 2,000万元'],
    ['lte, above', rev('lte', 2000 * WAN), { 'tax.revenueFen': 2000 * WAN + 1 }, 'NOT_MET', '2025年营业收入 2,000.000001万元，高于 2,000万元'],
    ['lte, small amounts in 元', rev('lte', 500_000), { 'tax.revenueFen': 12_345 }, 'MET', '2025年营业收入 123.45元，低于 5,000元'],
    ['eq', { indicator: 'statistics.employees', op: 'eq', value: 120 }, { 'statistics.employees': 120 }, 'MET', '从业人员数 120人，等于 120人'],
    ['ne', { indicator: 'statistics.employees', op: 'ne', value: 100 }, { 'statistics.employees': 1200 }, 'MET', '从业人员数 1,200人，高于 100人'],
    ['ne, equal', { indicator: 'statistics.employees', op: 'ne', value: 100 }, { 'statistics.employees': 100 }, 'NOT_MET', '从业人员数 100人，等于 100人'],
    ['between, on the lower bound', { indicator: 'statistics.employees', op: 'between', min: 20, max: 300 }, { 'statistics.employees': 20 }, 'MET', '从业人员数 20人，在 20人 至 300人 之间'],
    ['between, on the upper bound', { indicator: 'statistics.employees', op: 'between', min: 20, max: 300 }, { 'statistics.employees': 300 }, 'MET', '从业人员数 300人，在 20人 至 300人 之间'],
    ['between, one below', { indicator: 'statistics.employees', op: 'between', min: 20, max: 300 }, { 'statistics.employees': 19 }, 'NOT_MET', '从业人员数 19人，低于下限 20人'],
    ['between, one above', { indicator: 'statistics.employees', op: 'between', min: 20, max: 300 }, { 'statistics.employees': 301 }, 'NOT_MET', '从业人员数 301人，高于上限 300人'],
    ['in', { indicator: 'scale', op: 'in', values: ['SMALL', 'MICRO'] }, { scale: 'SMALL' }, 'MET', '企业规模为小型，属于 小型、微型'],
    ['in, outside', { indicator: 'scale', op: 'in', values: ['SMALL', 'MICRO'] }, { scale: 'LARGE' }, 'NOT_MET', '企业规模为大型，不属于 小型、微型'],
    ['notIn', { indicator: 'tax.creditRating', op: 'notIn', values: ['C', 'D'] }, { 'tax.creditRating': 'A' }, 'MET', '纳税信用级别为A级，不属于 C级、D级'],
    ['notIn, inside', { indicator: 'tax.creditRating', op: 'notIn', values: ['C', 'D'] }, { 'tax.creditRating': 'D' }, 'NOT_MET', '纳税信用级别为D级，属于 C级、D级'],
    ['eq enum, other', { indicator: 'credit.publicCreditRating', op: 'eq', value: 'A' }, { 'credit.publicCreditRating': 'B' }, 'NOT_MET', '公共信用综合评价等级为B级，不是A级'],
    ['ne enum', { indicator: 'scale', op: 'ne', value: 'LARGE' }, { scale: 'LARGE' }, 'NOT_MET', '企业规模为大型'],
    ['startsWith industry', { indicator: 'industryCode', op: 'startsWith', value: 'C' }, { industryCode: 'C39' }, 'MET', '行业代码为C39（计算机、通信和其他电子设备制造业），以 C（制造业）开头'],
    ['startsWith industry, other', { indicator: 'industryCode', op: 'startsWith', value: 'C' }, { industryCode: 'F51' }, 'NOT_MET', '行业代码为F51（批发业），不以 C（制造业）开头'],
    ['startsWith region', { indicator: 'regionCode', op: 'startsWith', value: '3607' }, { regionCode: '360732' }, 'MET', '所在地区代码为360732，以 3607 开头'],
    ['eq code', { indicator: 'regionCode', op: 'eq', value: '360732' }, { regionCode: '360731' }, 'NOT_MET', '所在地区代码为360731，不是360732'],
    ['hasTag', { indicator: 'tags', op: 'hasTag', value: 'HIGH_TECH' }, { tags: ['SRDI', 'HIGH_TECH'] }, 'MET', '企业标签含“高新技术企业”'],
    ['hasTag, none', { indicator: 'tags', op: 'hasTag', value: 'HIGH_TECH' }, { tags: [] }, 'NOT_MET', '企业标签不含“高新技术企业”'],
    ['lacksTag', { indicator: 'tags', op: 'lacksTag', value: 'LISTED' }, { tags: ['HIGH_TECH'] }, 'MET', '企业标签不含“上市企业”'],
    ['lacksTag, has it', { indicator: 'tags', op: 'lacksTag', value: 'LISTED' }, { tags: ['LISTED'] }, 'NOT_MET', '企业标签含“上市企业”'],
    ['exists', { indicator: 'statistics.employees', op: 'exists' }, { 'statistics.employees': 0 }, 'MET', '已有从业人员数数据（统计局）'],
    ['exists, missing (not unknown: it asks exactly that)', { indicator: 'statistics.employees', op: 'exists' }, {}, 'NOT_MET', '缺少数据：统计局未提供从业人员数'],
    ['boolean eq', { indicator: 'statistics.aboveScale', op: 'eq', value: true }, { 'statistics.aboveScale': false }, 'NOT_MET', '规模以上企业（统计局名录）：否'],
    ['boolean ne', { indicator: 'credit.onDishonestyList', op: 'ne', value: true }, { 'credit.onDishonestyList': false }, 'MET', '列入失信被执行人名单：否'],
    ['year vs relative', { indicator: 'statistics.aboveScaleSince', op: 'gte', value: { relative: 'currentYear', offset: -2 } }, { 'statistics.aboveScaleSince': 2023 }, 'NOT_MET', '进入规上年份 2023年，早于 2024年（当年往前2年）'],
    ['year vs last year', { indicator: 'tax.latestYear', op: 'eq', value: { relative: 'currentYear', offset: -1 } }, { 'tax.latestYear': 2025 }, 'MET', '最近纳税申报年度 2025年，等于 2025年（上一年）'],
    ['date vs literal', { indicator: 'registeredOn', op: 'gt', value: '2020-01-01' }, { registeredOn: '2019-12-31' }, 'NOT_MET', '注册日期 2019-12-31，早于 2020-01-01'],
    ['date vs today', { indicator: 'registeredOn', op: 'lte', value: { relative: 'today' } }, { registeredOn: '2026-11-27' }, 'NOT_MET', '注册日期 2026-11-27，晚于 2026-11-26（今天）'],
  ])('%s', (_name, c, values, outcome, text) => {
    const e = run(c, values);
    expect(e).toEqual({ outcome, text, path: 'conditions' });
  });

  it('a latest-year indicator without a known year reads without one', () => {
    expect(run({ indicator: 'tax.revenueFen', op: 'gte', value: 2000 * WAN }, { 'tax.revenueFen': 1850 * WAN }, { today: '2026-11-26' }).text).toBe('营业收入 1,850万元，低于 2,000万元');
  });
});

describe('relative dates and years', () => {
  it.each([
    ['2024-02-29', -12, '2023-02-28'],
    ['2024-02-29', -48, '2020-02-29'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2026-01-31', -1, '2025-12-31'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2024-03-31', -1, '2024-02-29'],
    ['2026-01-15', -13, '2024-12-15'],
    ['2025-12-31', 1, '2026-01-31'],
    ['2026-11-26', -18, '2025-05-26'],
    ['2026-11-26', 0, '2026-11-26'],
  ])('%s shifted by %d months is %s', (date, months, expected) => {
    expect(shiftMonths(date, months)).toBe(expected);
  });

  const yearOld: Condition = { indicator: 'registeredOn', op: 'lte', value: { relative: 'today', offsetYears: -1 } };
  it.each<[string, string, string, string]>([
    ['2026-11-26', '2025-11-26', 'MET', '注册满1年（2025-11-26 注册）'],
    ['2026-11-26', '2025-11-27', 'NOT_MET', '注册不满1年（2025-11-27 注册）'],
    ['2026-11-26', '2023-05-06', 'MET', '注册满1年（2023-05-06 注册）'],
    // A leap-day registration: no 2025-02-29, so the anniversary counts from 03-01.
    ['2025-02-28', '2024-02-29', 'NOT_MET', '注册不满1年（2024-02-29 注册）'],
    ['2025-03-01', '2024-02-29', 'MET', '注册满1年（2024-02-29 注册）'],
    // On a leap day, one year back is 02-28.
    ['2024-02-29', '2023-02-28', 'MET', '注册满1年（2023-02-28 注册）'],
    ['2024-02-29', '2023-03-01', 'NOT_MET', '注册不满1年（2023-03-01 注册）'],
    // Across the year boundary.
    ['2026-01-01', '2025-01-01', 'MET', '注册满1年（2025-01-01 注册）'],
    ['2026-01-01', '2025-01-02', 'NOT_MET', '注册不满1年（2025-01-02 注册）'],
  ])('today %s, registered %s: %s', (today, registeredOn, outcome, text) => {
    expect(run(yearOld, { registeredOn }, { today })).toEqual({ outcome, text, path: 'conditions' });
  });

  it('"registered at most 3 years and 6 months" reads the other way', () => {
    const young: Condition = { indicator: 'registeredOn', op: 'gte', value: { relative: 'today', offsetYears: -3, offsetMonths: -6 } };
    expect(run(young, { registeredOn: '2023-05-26' }).text).toBe('注册满3年6个月（2023-05-26 注册）');
    expect(run(young, { registeredOn: '2023-05-26' }).outcome).toBe('MET');
    expect(run(young, { registeredOn: '2023-05-25' })).toMatchObject({ outcome: 'NOT_MET', text: '注册满3年6个月（2023-05-25 注册）' });
    expect(run(young, { registeredOn: '2024-01-01' })).toMatchObject({ outcome: 'MET', text: '注册不满3年6个月（2024-01-01 注册）' });
  });

  const newThisYear: Condition = { indicator: 'statistics.aboveScaleSince', op: 'eq', value: { relative: 'currentYear' } };
  it.each<[string, number, string, string]>([
    ['2025-12-31', 2025, 'MET', '进入规上年份 2025年，等于 2025年（当年）'],
    ['2026-01-01', 2025, 'NOT_MET', '进入规上年份 2025年，早于 2026年（当年）'],
    ['2026-01-01', 2026, 'MET', '进入规上年份 2026年，等于 2026年（当年）'],
  ])('"当年" on %s for a 规上 entry in %d', (today, since, outcome, text) => {
    expect(run(newThisYear, { 'statistics.aboveScaleSince': since }, { today })).toEqual({ outcome, text, path: 'conditions' });
  });

  it('the compiled closure follows a change of today', () => {
    const f = compile(newThisYear);
    expect(f({ 'statistics.aboveScaleSince': 2025 }, { today: '2025-12-31' })).toBe('MET');
    expect(f({ 'statistics.aboveScaleSince': 2025 }, { today: '2026-01-01' })).toBe('NOT_MET');
  });
});

describe('three-valued logic: missing data is unknown, never a guess', () => {
  const known: Condition = { indicator: 'scale', op: 'eq', value: 'SMALL' };
  const failing: Condition = { indicator: 'scale', op: 'eq', value: 'LARGE' };
  const missing: Condition = { indicator: 'statistics.employees', op: 'gte', value: 10 };
  const values = { scale: 'SMALL' };

  it.each<[string, Condition, string, string]>([
    ['all: met and unknown', { all: [known, missing] }, 'UNKNOWN', '1 项条件无法判断，其余满足（共 2 项，须全部满足）'],
    ['all: unknown and not met', { all: [missing, failing] }, 'NOT_MET', '1 项条件不满足（共 2 项，须全部满足）'],
    ['all: met', { all: [known, known] }, 'MET', '全部 2 项条件均满足'],
    ['any: unknown and met', { any: [missing, known] }, 'MET', '满足其中 1 项（共 2 项，满足一项即可）'],
    ['any: unknown and not met', { any: [missing, failing] }, 'UNKNOWN', '未见满足的条件，1 项无法判断（共 2 项，满足一项即可）'],
    ['any: none met', { any: [failing, failing] }, 'NOT_MET', '2 项条件均不满足（满足一项即可）'],
    ['not: unknown', { not: missing }, 'UNKNOWN', '无法判断是否属于排除情形：缺少数据：统计局未提供从业人员数'],
  ])('%s', (_name, c, outcome, text) => {
    const e = run(c, values);
    expect([e.outcome, e.text]).toEqual([outcome, text]);
  });

  it('the unknown leaf says which source lacks what', () => {
    const e = run({ all: [known, missing] }, values);
    expect(e.children![1]).toEqual({ outcome: 'UNKNOWN', text: '缺少数据：统计局未提供从业人员数', path: 'conditions.all[1]' });
    expect(run(missing, { 'statistics.employees': null }).outcome).toBe('UNKNOWN');
  });

  it('a value of the wrong shape is unknown too, and says so', () => {
    expect(run(missing, { 'statistics.employees': '120' })).toEqual({ outcome: 'UNKNOWN', text: '数据有误：从业人员数的值 "120" 无法识别', path: 'conditions' });
    expect(run({ indicator: 'tags', op: 'hasTag', value: 'SRDI' }, { tags: 'SRDI' }).outcome).toBe('UNKNOWN');
    expect(run({ indicator: 'tax.revenueFen', op: 'gte', value: 1 }, { 'tax.revenueFen': 1.5 }).outcome).toBe('UNKNOWN');
    expect(run({ indicator: 'registeredOn', op: 'lte', value: '2025-01-01' }, { registeredOn: '2020/01/01' }).text).toBe('数据有误：注册日期的值 "2020/01/01" 无法识别');
    expect(run({ indicator: 'scale', op: 'ne', value: 'LARGE' }, { scale: 'HUGE' }).outcome).toBe('UNKNOWN');
  });
});

describe('realistic policies, explained as a clerk reads them', () => {
  // 入规奖励: 当年新进入规上, not on the dishonesty list.
  const ruGui: Condition = {
    all: [
      { indicator: 'statistics.aboveScale', op: 'eq', value: true },
      { indicator: 'statistics.aboveScaleSince', op: 'eq', value: { relative: 'currentYear' } },
      { not: { indicator: 'credit.onDishonestyList', op: 'eq', value: true } },
    ],
  };

  it('入规奖励: a new 规上 enterprise qualifies', () => {
    const e = run(ruGui, { 'statistics.aboveScale': true, 'statistics.aboveScaleSince': 2026, 'credit.onDishonestyList': false });
    expect(explanationLines(e)).toEqual([
      '✓ 全部 3 项条件均满足',
      '  ✓ 规模以上企业（统计局名录）：是',
      '  ✓ 进入规上年份 2026年，等于 2026年（当年）',
      '  ✓ 不属于排除情形：列入失信被执行人名单：否',
      '    ✗ 列入失信被执行人名单：否',
    ]);
  });

  it('入规奖励: 规上 since 2024 does not; on the dishonesty list neither', () => {
    const old = run(ruGui, { 'statistics.aboveScale': true, 'statistics.aboveScaleSince': 2024, 'credit.onDishonestyList': false });
    expect(old.outcome).toBe('NOT_MET');
    expect(old.children!.map((c) => [c.outcome, c.text])).toEqual([
      ['MET', '规模以上企业（统计局名录）：是'],
      ['NOT_MET', '进入规上年份 2024年，早于 2026年（当年）'],
      ['MET', '不属于排除情形：列入失信被执行人名单：否'],
    ]);
    const dishonest = run(ruGui, { 'statistics.aboveScale': true, 'statistics.aboveScaleSince': 2026, 'credit.onDishonestyList': true });
    expect(dishonest.children![2]).toMatchObject({ outcome: 'NOT_MET', text: '属于排除情形：列入失信被执行人名单：是', path: 'conditions.all[2]' });
  });

  it('入规奖励 without statistics data: unknown, naming the source', () => {
    const e = run(ruGui, { 'credit.onDishonestyList': false });
    expect(e.outcome).toBe('UNKNOWN');
    expect(e.text).toBe('2 项条件无法判断，其余满足（共 3 项，须全部满足）');
    expect(e.children![1].text).toBe('缺少数据：统计局未提供进入规上年份');
  });

  // 高新技术企业认定奖励: 高新 in this county, tax credit A or B, revenue at least 500万元.
  const gaoXin: Condition = {
    all: [
      { indicator: 'tags', op: 'hasTag', value: 'HIGH_TECH' },
      { indicator: 'regionCode', op: 'eq', value: '360732' },
      { indicator: 'tax.creditRating', op: 'in', values: ['A', 'B'] },
      { indicator: 'tax.revenueFen', op: 'gte', value: 500 * WAN },
    ],
  };
  it('高新技术企业认定奖励', () => {
    const e = run(gaoXin, { tags: ['HIGH_TECH', 'SRDI'], regionCode: '360732', 'tax.creditRating': 'M', 'tax.revenueFen': 1_850_250_000 });
    expect(explanationLines(e)).toEqual([
      '✗ 1 项条件不满足（共 4 项，须全部满足）',
      '  ✓ 企业标签含“高新技术企业”',
      '  ✓ 所在地区代码为360732',
      '  ✗ 纳税信用级别为M级，不属于 A级、B级',
      '  ✓ 2025年营业收入 1,850.25万元，高于 500万元',
    ]);
  });

  // 稳岗补贴: at least 10 employees, registered a year, not dishonest; or any 规上 enterprise.
  const wenGang: Condition = {
    any: [
      {
        all: [
          { indicator: 'statistics.employees', op: 'gte', value: 10 },
          { indicator: 'registeredOn', op: 'lte', value: { relative: 'today', offsetYears: -1 } },
          { indicator: 'credit.onDishonestyList', op: 'eq', value: false },
        ],
      },
      { indicator: 'statistics.aboveScale', op: 'eq', value: true },
    ],
  };
  it('稳岗补贴: qualifies by the first branch while 规上 status is unknown', () => {
    const e = run(wenGang, { 'statistics.employees': 8, registeredOn: '2023-05-06', 'credit.onDishonestyList': false });
    expect(explanationLines(e)).toEqual([
      '？ 未见满足的条件，1 项无法判断（共 2 项，满足一项即可）',
      '  ✗ 1 项条件不满足（共 3 项，须全部满足）',
      '    ✗ 从业人员数 8人，低于 10人',
      '    ✓ 注册满1年（2023-05-06 注册）',
      '    ✓ 列入失信被执行人名单：否',
      '  ？ 缺少数据：统计局未提供规模以上企业（统计局名录）',
    ]);
    expect(run(wenGang, { 'statistics.employees': 120, registeredOn: '2023-05-06', 'credit.onDishonestyList': false }).outcome).toBe('MET');
  });

  // 技改补贴: 规上 manufacturing (section C).
  const jiGai: Condition = { all: [{ indicator: 'statistics.aboveScale', op: 'eq', value: true }, { indicator: 'industryCode', op: 'startsWith', value: 'C' }] };
  it('技改补贴', () => {
    const e = run(jiGai, { 'statistics.aboveScale': true, industryCode: 'C39' });
    expect(e.children!.map((c) => `${c.path} ${c.text}`)).toEqual(['conditions.all[0] 规模以上企业（统计局名录）：是', 'conditions.all[1] 行业代码为C39（计算机、通信和其他电子设备制造业），以 C（制造业）开头']);
    expect([...indicatorsOf({ all: [jiGai, wenGang] })].sort()).toEqual(['credit.onDishonestyList', 'industryCode', 'registeredOn', 'statistics.aboveScale', 'statistics.employees']);
  });
});

describe('validation: every problem at once, each with its path', () => {
  it('a condition with many faults', () => {
    const bad = {
      all: [
        { indicator: 'tax.revenueFen', op: 'gte', value: 2000 * WAN },
        { indicator: 'tax.profitFen', op: 'gte', value: 1 },
        { indicator: 'tax.revenueFen', op: 'gte', value: '2000万' },
        { indicator: 'scale', op: 'gt', value: 'SMALL' },
        { indicator: 'scale', op: 'roughly', value: 'SMALL' },
        { any: [] },
        { indicator: 'statistics.employees', op: 'between', min: 300, max: 20 },
        { indicator: 'registeredOn', op: 'lte', value: { relative: 'yesterday' } },
        { indicator: 'registeredOn', op: 'lte', value: { relative: 'today', offsetYears: 1.5 } },
        { indicator: 'registeredOn', op: 'lte', value: { relative: 'currentYear' } },
        { indicator: 'tax.taxPaidFen', op: 'gt', value: -1 },
        { indicator: 'scale', op: 'in', values: ['SMALL', 'TINY'] },
        { indicator: 'tags', op: 'hasTag', value: 'UNICORN' },
        { not: { indicator: 'registeredOn', op: 'eq', value: '2025-02-29' } },
        { indicator: 'industryCode', op: 'startsWith', value: 'c3' },
        { indicator: 'statistics.aboveScale', op: 'eq', value: 'true', extra: 1 },
        'scale = SMALL',
        { all: [], any: [] },
      ],
    };
    const problems = validateCondition(bad);
    expect(problems.map((p) => p.path)).toEqual([
      'conditions.all[1].indicator',
      'conditions.all[2].value',
      'conditions.all[3].op',
      'conditions.all[4].op',
      'conditions.all[5].any',
      'conditions.all[6]',
      'conditions.all[7].value.relative',
      'conditions.all[8].value.offsetYears',
      'conditions.all[9].value',
      'conditions.all[10].value',
      'conditions.all[11].values[1]',
      'conditions.all[12].value',
      'conditions.all[13].not.value',
      'conditions.all[14].value',
      'conditions.all[15].extra',
      'conditions.all[15].value',
      'conditions.all[16]',
      'conditions.all[17]',
    ]);
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p.message]));
    expect(byPath['conditions.all[1].indicator']).toBe('未知指标“tax.profitFen”');
    expect(byPath['conditions.all[2].value']).toBe('“营业收入”的值应为金额（整数分，不得为负），实际为 "2000万"');
    expect(byPath['conditions.all[3].op']).toBe('“企业规模”（枚举值）不能用运算 gt，可用：eq、ne、in、notIn、exists');
    expect(byPath['conditions.all[6]']).toBe('区间下限大于上限：300 > 20');
    expect(byPath['conditions.all[9].value']).toBe('“当年”只能用于年份指标，“注册日期”不是年份');
    expect(byPath['conditions.all[10].value']).toBe('金额不得为负：-1');
    expect(byPath['conditions.all[11].values[1]']).toBe('“企业规模”没有取值 "TINY"，可选：LARGE、MEDIUM、SMALL、MICRO');
    expect(byPath['conditions.all[13].not.value']).toBe('“注册日期”的值应为日期（YYYY-MM-DD），实际为 "2025-02-29"');
    for (const p of problems) expect(p.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('industry and region codes must be real codes or prefixes', () => {
    expect(validateCondition({ any: [
      { indicator: 'industryCode', op: 'in', values: ['C39', 'C99'] },
      { indicator: 'industryCode', op: 'startsWith', value: 'C3' },
      { indicator: 'industryCode', op: 'startsWith', value: 'F51' },
      { indicator: 'regionCode', op: 'startsWith', value: '360' },
      { indicator: 'regionCode', op: 'eq', value: '3607' },
    ] })).toEqual([
      { path: 'conditions.any[0].values[1]', message: '“行业代码”应为GB/T 4754-2017 的门类+大类代码（如 C39），实际为 "C99"' },
      { path: 'conditions.any[1].value', message: '“行业代码”的前缀应为门类字母（A–T）或门类+大类代码（如 C、C39），实际为 "C3"' },
      { path: 'conditions.any[3].value', message: '“所在地区代码”的前缀应为2、4 或 6 位行政区划代码（省、市、县，如 3607），实际为 "360"' },
      { path: 'conditions.any[4].value', message: '“所在地区代码”应为6 位行政区划代码（如 360732），实际为 "3607"' },
    ]);
  });

  it('too deep: 8 levels pass, 9 do not', () => {
    let c: unknown = { indicator: 'scale', op: 'exists' };
    for (let i = 1; i < 8; i++) c = { not: c };
    expect(validateCondition(c)).toEqual([]);
    expect(validateCondition({ not: c })).toEqual([{ path: 'conditions.not.not.not.not.not.not.not.not', message: '条件嵌套过深：最多 8 层' }]);
  });

  it('too many nodes: 200 pass, 201 do not', () => {
    const leaves = (n: number) => Array.from({ length: n }, () => ({ indicator: 'scale', op: 'exists' }));
    expect(validateCondition({ all: leaves(199) })).toEqual([]);
    expect(validateCondition({ all: leaves(200) })).toEqual([{ path: 'conditions', message: '条件过多：共 201 个节点，最多 200 个' }]);
  });

  it('between with relative bounds is ordered too; a custom root path is kept', () => {
    expect(validateCondition({ indicator: 'statistics.aboveScaleSince', op: 'between', min: { relative: 'currentYear' }, max: { relative: 'currentYear', offset: -1 } }, 'versions[0].conditions')).toEqual([
      { path: 'versions[0].conditions', message: expect.stringContaining('区间下限大于上限') },
    ]);
  });

  it('never throws, whatever JSON arrives', () => {
    fc.assert(fc.property(fc.anything(), (x) => Array.isArray(validateCondition(x))));
    fc.assert(fc.property(fc.anything(), (x) => validateCondition(x).length > 0 || typeof x === 'object'));
  });
});

// ------------------------------------------------------------------------------------------------
// Properties over random conditions on the registry and random indicator values.

describe('properties', () => {
  it('generated conditions are valid (the generator is honest)', () => {
    fc.assert(fc.property(fc.letrec<{ c: Condition }>((tie) => ({ c: fc.oneof({ depthSize: 'small' }, leafArb, tie('c').map((not) => ({ not }))) })).c, (c) => validateCondition(c).length === 0));
  });

  it('evaluate is total on validated conditions, compile agrees, every node explains itself', () => {
    fc.assert(
      fc.property(conditionArb, valuesArb, ctxArb, (c, values, ctx) => {
        const e = evaluate(c, values, ctx);
        expect(compile(c)(values, ctx)).toBe(e.outcome);
        const walk = (x: typeof e): void => {
          expect(x.text.length).toBeGreaterThan(0);
          x.children?.forEach(walk);
        };
        walk(e);
      }),
      { numRuns: 500 },
    );
  });

  it('not(not c) ≡ c', () => {
    fc.assert(fc.property(conditionArb, valuesArb, ctxArb, (c, values, ctx) => evaluate({ not: { not: c } }, values, ctx).outcome === evaluate(c, values, ctx).outcome), { numRuns: 300 });
  });

  it('De Morgan under three-valued logic', () => {
    fc.assert(
      fc.property(fc.array(conditionArb, { minLength: 1, maxLength: 3 }), valuesArb, ctxArb, (cs, values, ctx) => {
        const nots = cs.map((c) => ({ not: c }));
        expect(evaluate({ not: { all: cs } }, values, ctx).outcome).toBe(evaluate({ any: nots }, values, ctx).outcome);
        expect(evaluate({ not: { any: cs } }, values, ctx).outcome).toBe(evaluate({ all: nots }, values, ctx).outcome);
      }),
      { numRuns: 300 },
    );
  });
});

describe('docs/conditions.md stays true', () => {
  const doc = readFileSync(join(__dirname, '../../docs/conditions.md'), 'utf8');
  it('lists every indicator of the registry with its label and type', () => {
    for (const def of Object.values(INDICATORS)) expect(doc).toMatch(new RegExp(`\\| \`${def.name.replace('.', '\\.')}\` \\| ${def.label.replace(/[()（）]/g, '.')}.* \\| ${def.type}`));
  });
  it('its JSON condition examples are valid', () => {
    const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]) as unknown).filter((x) => typeof x === 'object' && x !== null && !Array.isArray(x));
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    for (const b of blocks) expect(validateCondition(b)).toEqual([]);
  });
});

describe('describeCondition: the requirements as the service guide states them', () => {
  it.each<[string, Condition, string]>([
    ['入规奖励', { all: [{ indicator: 'statistics.aboveScale', op: 'eq', value: true }, { indicator: 'statistics.aboveScaleSince', op: 'eq', value: { relative: 'currentYear' } }, { not: { indicator: 'credit.onDishonestyList', op: 'eq', value: true } }] },
      '同时满足：规模以上企业（统计局名录）为“是”；进入规上年份为当年；列入失信被执行人名单为“否”'],
    ['高新 with revenue', { all: [{ indicator: 'tags', op: 'hasTag', value: 'HIGH_TECH' }, { indicator: 'tax.creditRating', op: 'in', values: ['A', 'B'] }, { indicator: 'tax.revenueFen', op: 'gte', value: 500 * WAN }] },
      '同时满足：具有“高新技术企业”标签；纳税信用级别为 A级、B级 之一；2025年营业收入不低于 500万元'],
    ['稳岗 with a nested any', { all: [{ indicator: 'registeredOn', op: 'lte', value: { relative: 'today', offsetYears: -1 } }, { any: [{ indicator: 'statistics.employees', op: 'gte', value: 10 }, { indicator: 'scale', op: 'in', values: ['MEDIUM', 'LARGE'] }] }] },
      '同时满足：注册满1年；（满足其一：从业人员数不低于 10人；企业规模为 中型、大型 之一）'],
    ['技改', { all: [{ indicator: 'industryCode', op: 'startsWith', value: 'C' }, { not: { indicator: 'tax.revenueFen', op: 'lt', value: 2000 * WAN } }] },
      '同时满足：行业代码以 C（制造业）开头；2025年营业收入不低于 2,000万元'],
    ['a negated group', { not: { all: [{ indicator: 'scale', op: 'eq', value: 'MICRO' }, { indicator: 'statistics.employees', op: 'between', min: 0, max: 9 }] } },
      '不得：（同时满足：企业规模为微型；从业人员数在 0人 至 9人 之间）'],
  ])('%s', (_name, c, text) => {
    expect(validateCondition(c)).toEqual([]);
    expect(describeCondition(c, 2025)).toBe(text);
  });
  it('without the year, a latest-year indicator says so', () => {
    expect(describeCondition({ indicator: 'tax.taxPaidFen', op: 'gt', value: 0 })).toBe('最近年度纳税额高于 0元');
  });
  it('never throws on a valid condition', () => {
    fc.assert(fc.property(conditionArb, (c) => describeCondition(c).length > 0), { numRuns: 300 });
  });
});
