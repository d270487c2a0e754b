/**
 * The condition language's API as this subgraph uses it (CONTRACT8). Until helper E's
 * `./conditions` lands this is a minimal stand-in with the same names and signatures; after the
 * merge it only re-exports `./conditions`.
 */
export type Value = number | string | boolean;
export type Relative = { relative: 'currentYear'; offset?: number } | { relative: 'today'; offsetMonths?: number; offsetYears?: number };
export type Condition = Record<string, unknown>;
export type AmountRule = Record<string, unknown> & { kind: string };
export interface Problem {
  path: string;
  message: string;
}

const INDICATORS: Record<string, string> = {
  regionCode: 'code', industryCode: 'code', scale: 'enum', tags: 'tags', registeredOn: 'date',
  'tax.revenueFen': 'money', 'tax.taxPaidFen': 'money', 'tax.creditRating': 'enum', 'tax.latestYear': 'year',
  'statistics.aboveScale': 'boolean', 'statistics.aboveScaleSince': 'year', 'statistics.employees': 'integer',
  'statistics.outputValueFen': 'money', 'credit.onDishonestyList': 'boolean', 'credit.publicCreditRating': 'enum',
};
const OPS = new Set(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'in', 'notIn', 'startsWith', 'hasTag', 'lacksTag', 'exists']);
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function validateCondition(c: unknown, path = 'conditions'): Problem[] {
  if (!isObj(c)) return [{ path, message: '条件应为对象' }];
  if ('all' in c || 'any' in c) {
    const key = 'all' in c ? 'all' : 'any';
    const list = c[key];
    if (!Array.isArray(list)) return [{ path: `${path}.${key}`, message: '应为条件列表' }];
    return list.flatMap((x, i) => validateCondition(x, `${path}.${key}[${i}]`));
  }
  if ('not' in c) return validateCondition(c.not, `${path}.not`);
  const problems: Problem[] = [];
  if (typeof c.indicator !== 'string' || !(c.indicator in INDICATORS)) problems.push({ path: `${path}.indicator`, message: `未知指标“${String(c.indicator)}”` });
  if (typeof c.op !== 'string' || !OPS.has(c.op)) problems.push({ path: `${path}.op`, message: `未知比较方式“${String(c.op)}”` });
  return problems;
}

export function validateAmountRule(r: unknown, path = 'amountRule'): Problem[] {
  if (!isObj(r)) return [{ path, message: '金额规则应为对象' }];
  switch (r.kind) {
    case 'FIXED':
      return Number.isSafeInteger(r.amountFen) && (r.amountFen as number) > 0 ? [] : [{ path: `${path}.amountFen`, message: '金额应为正整数（分）' }];
    case 'PER_UNIT':
    case 'PERCENT':
    case 'TIERS':
      return typeof r.indicator === 'string' && r.indicator in INDICATORS ? [] : [{ path: `${path}.indicator`, message: `未知指标“${String(r.indicator)}”` }];
    default:
      return [{ path: `${path}.kind`, message: `未知金额规则类型“${String(r.kind)}”` }];
  }
}
