/**
 * The one registry of named indicators a condition or amount rule may use. The name is what policy
 * JSON says; source and field say where matching fetches the value in the graph (`@requires`).
 * Adding an indicator here is the only way to make it usable in a policy.
 */
import { EnterpriseScale, EnterpriseTag, ENTERPRISE_TAG_NAMES } from '../../kit/enterprise-vocabulary';
import type { IndicatorDef } from './types';

const SCALE_NAMES: Record<string, string> = { LARGE: '大型', MEDIUM: '中型', SMALL: '小型', MICRO: '微型' };
const grades = (values: string[]) => Object.fromEntries(values.map((v) => [v, `${v}级`]));

const DEFS: IndicatorDef[] = [
  { name: 'regionCode', label: '所在地区代码', type: 'code', source: 'enterprises', field: 'regionCode' },
  { name: 'industryCode', label: '行业代码', type: 'code', source: 'enterprises', field: 'industryCode' },
  { name: 'scale', label: '企业规模', type: 'enum', enumValues: Object.values(EnterpriseScale), valueLabels: SCALE_NAMES, source: 'enterprises', field: 'scale' },
  { name: 'tags', label: '企业标签', type: 'tags', enumValues: Object.values(EnterpriseTag), valueLabels: { ...ENTERPRISE_TAG_NAMES }, source: 'enterprises', field: 'tags' },
  { name: 'registeredOn', label: '注册日期', type: 'date', source: 'enterprises', field: 'registeredOn' },
  { name: 'tax.revenueFen', label: '营业收入', type: 'money', period: 'latestYear', source: 'tax', field: 'tax { revenueFen }' },
  { name: 'tax.taxPaidFen', label: '纳税额', type: 'money', period: 'latestYear', source: 'tax', field: 'tax { taxPaidFen }' },
  { name: 'tax.creditRating', label: '纳税信用级别', type: 'enum', enumValues: ['A', 'B', 'M', 'C', 'D'], valueLabels: grades(['A', 'B', 'M', 'C', 'D']), source: 'tax', field: 'tax { creditRating }' },
  { name: 'tax.latestYear', label: '最近纳税申报年度', type: 'year', source: 'tax', field: 'tax { latestYear }' },
  { name: 'statistics.aboveScale', label: '规模以上企业（统计局名录）', type: 'boolean', source: 'statistics', field: 'statistics { aboveScale }' },
  { name: 'statistics.aboveScaleSince', label: '进入规上年份', type: 'year', source: 'statistics', field: 'statistics { aboveScaleSince }' },
  { name: 'statistics.employees', label: '从业人员数', type: 'integer', unit: '人', source: 'statistics', field: 'statistics { employees }' },
  { name: 'statistics.outputValueFen', label: '工业总产值', type: 'money', period: 'latestYear', source: 'statistics', field: 'statistics { outputValueFen }' },
  { name: 'credit.onDishonestyList', label: '列入失信被执行人名单', type: 'boolean', source: 'credit', field: 'credit { onDishonestyList }' },
  { name: 'credit.publicCreditRating', label: '公共信用综合评价等级', type: 'enum', enumValues: ['A', 'B', 'C', 'D'], valueLabels: grades(['A', 'B', 'C', 'D']), source: 'credit', field: 'credit { publicCreditRating }' },
  // Declared by the enterprise in its application (no graph source): matching sees it missing, so
  // the amount of a 技改补贴 stays "unknown until declared" instead of guessed.
  { name: 'application.investmentFen', label: '项目设备投资额', type: 'money', source: 'application', field: '' },
];

export const INDICATORS: Readonly<Record<string, IndicatorDef>> = Object.freeze(Object.fromEntries(DEFS.map((d) => [d.name, Object.freeze(d)])));

/** Who provides each source's data, as a clerk names them ("缺少数据：统计局未提供从业人员数"). */
export const SOURCE_NAMES: Readonly<Record<string, string>> = {
  enterprises: '市场监管局',
  tax: '税务局',
  statistics: '统计局',
  credit: '发改委',
  application: '企业申报',
};

export function indicator(name: string): IndicatorDef | undefined {
  return Object.prototype.hasOwnProperty.call(INDICATORS, name) ? INDICATORS[name] : undefined;
}

/** The ops each indicator type admits. */
export const OPS_BY_TYPE: Readonly<Record<IndicatorDef['type'], readonly string[]>> = {
  number: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'in', 'notIn', 'exists'],
  money: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'in', 'notIn', 'exists'],
  integer: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'in', 'notIn', 'exists'],
  year: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'in', 'notIn', 'exists'],
  date: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'exists'],
  boolean: ['eq', 'ne', 'exists'],
  enum: ['eq', 'ne', 'in', 'notIn', 'exists'],
  code: ['eq', 'ne', 'in', 'notIn', 'startsWith', 'exists'],
  tags: ['hasTag', 'lacksTag', 'exists'],
};

export const ALL_OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'in', 'notIn', 'startsWith', 'hasTag', 'lacksTag', 'exists'] as const;
