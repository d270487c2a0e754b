import { FindingCategory } from '../kit/findings';
import type { FieldProblem } from '../../platform/errors';
import { AUDIT_SOURCES, findSource, sourceReports } from './sources';

export type RuleEffect = 'HOLD' | 'WARN';

/** Which findings block (HOLD) or warn (WARN) for a policy: configuration, not code. */
export interface AuditRule {
  source: string;
  category: FindingCategory;
  /** Only findings that occurred within this many months before asOf; null = any time. */
  withinMonths: number | null;
  /** Only findings still in effect at asOf (not lifted, rectified or repaid). */
  activeOnly: boolean;
  effect: RuleEffect;
}

const C = FindingCategory;
const rule = (source: string, category: FindingCategory, effect: RuleEffect, withinMonths: number | null, activeOnly: boolean): AuditRule => ({
  source,
  category,
  withinMonths,
  activeOnly,
  effect,
});

/**
 * What applies to a policy without rules of its own. A rectified penalty is still a penalty: the
 * dated rules look at what happened in the window (activeOnly false); lists, grades and arrears
 * count while in effect.
 */
export const DEFAULT_RULES: readonly AuditRule[] = Object.freeze([
  rule('credit', C.SERIOUS_DISHONESTY, 'HOLD', null, true),
  rule('credit', C.PUBLIC_CREDIT_LOW, 'WARN', null, true),
  rule('public-security', C.GANG_RELATED, 'HOLD', null, true),
  rule('tax', C.TAX_CREDIT_D, 'HOLD', null, true),
  rule('tax', C.TAX_ARREARS, 'HOLD', null, true),
  rule('ecology', C.ENVIRONMENTAL_PENALTY, 'HOLD', 12, false),
  rule('ecology', C.ENVIRONMENTAL_PENALTY, 'WARN', 36, false),
  rule('work-safety', C.SAFETY_ACCIDENT, 'HOLD', 12, false),
  rule('work-safety', C.SAFETY_VIOLATION, 'WARN', 12, false),
  rule('natural-resources', C.LAND_VIOLATION, 'WARN', 12, false),
  rule('housing', C.CONSTRUCTION_VIOLATION, 'WARN', 12, false),
  rule('statistics', C.STATISTICS_VIOLATION, 'WARN', 12, false),
  rule('pboc', C.ACCOUNT_NOT_VERIFIED, 'HOLD', null, true),
]);

export const CATEGORY_LABELS: Record<FindingCategory, string> = {
  SERIOUS_DISHONESTY: '列入严重失信主体名单',
  PUBLIC_CREDIT_LOW: '公共信用评价等级低',
  TAX_CREDIT_D: '纳税信用级别为 D 级',
  TAX_ARREARS: '欠缴税款',
  STATISTICS_VIOLATION: '统计违法',
  GANG_RELATED: '涉黑涉恶',
  ENVIRONMENTAL_PENALTY: '环境行政处罚',
  SAFETY_VIOLATION: '安全生产违法',
  SAFETY_ACCIDENT: '生产安全事故',
  LAND_VIOLATION: '自然资源（土地）违法',
  CONSTRUCTION_VIOLATION: '住建领域违法',
  ACCOUNT_NOT_VERIFIED: '银行结算账户未通过核验',
};
const label = (category: FindingCategory) => CATEGORY_LABELS[category] ?? category;

/** The rule in a sentence, e.g. "县生态环境局：近 12 个月内有环境行政处罚 → 暂缓". */
export function describeRule(r: AuditRule): string {
  const department = findSource(r.source)?.department ?? r.source;
  const when = r.withinMonths ? `近 ${r.withinMonths} 个月内` : r.activeOnly ? '现仍' : '曾经';
  const state = r.activeOnly && r.withinMonths ? '且仍未解除' : '';
  return `${department}：${when}${label(r.category)}${state} → ${r.effect === 'HOLD' ? '暂缓' : '提示'}`;
}

export const POLICY_CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{1,39}$/;
export const policyCodeProblem = (code: string): string | undefined =>
  POLICY_CODE.test(code) ? undefined : '政策编号应为 2–40 位字母、数字、连字符或下划线，以字母或数字开头';

export const MAX_RULES = 100;

/** Every problem of a rule list at once (一次性告知), each on its field (`rules.2.withinMonths`). */
export function ruleProblems(rules: readonly AuditRule[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (rules.length === 0) problems.push({ field: 'rules', message: '至少需要一条规则；不设规则请不要调用本接口（将使用默认规则）' });
  if (rules.length > MAX_RULES) problems.push({ field: 'rules', message: `规则最多 ${MAX_RULES} 条，收到 ${rules.length} 条` });
  const seen = new Set<string>();
  rules.forEach((r, i) => {
    const at = (field: string) => `rules.${i}.${field}`;
    const source = findSource(r.source);
    if (!source) {
      problems.push({ field: at('source'), message: `第 ${i + 1} 条规则的数据来源“${String(r.source).slice(0, 32)}”未知，应为：${AUDIT_SOURCES.map((s) => s.name).join('、')}` });
    } else if (!sourceReports(source, r.category)) {
      problems.push({ field: at('category'), message: `第 ${i + 1} 条规则：${source.department}不报告“${label(r.category)}”，它报告：${source.categories.map(label).join('、')}` });
    }
    if (r.withinMonths !== null && r.withinMonths !== undefined && !(Number.isInteger(r.withinMonths) && r.withinMonths >= 1 && r.withinMonths <= 120)) {
      problems.push({ field: at('withinMonths'), message: `第 ${i + 1} 条规则的月数应为 1 到 120 之间的整数（不限时间请留空），收到 ${r.withinMonths}` });
    }
    const key = `${r.source}|${r.category}|${r.withinMonths ?? ''}|${r.activeOnly}`;
    if (seen.has(key)) problems.push({ field: `rules.${i}`, message: `第 ${i + 1} 条规则与前面的规则重复` });
    seen.add(key);
  });
  return problems;
}
