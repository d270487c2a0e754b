import type { FindingCategory, FindingSeverity } from '../kit/findings';
import { describeRule, type AuditRule } from './rules';
import { AUDIT_SOURCES, type AuditSource } from './sources';

/**
 * The verdict as a pure function of what the sources said, the policy's rules and the date:
 * no database, no clock, no network. Everything the joint audit decides is decided here.
 */

export type Outcome = 'PASS' | 'WARN' | 'HOLD';
export type Effect = 'HOLD' | 'WARN' | 'INFO';

/** A finding as it arrives in the `@requires` representation (timestamps as ISO text). */
export interface FindingInput {
  source?: string;
  category: FindingCategory;
  severity: FindingSeverity;
  occurredOn: string;
  endsOn?: string | null;
  reference: string;
  reason: string;
  recordedAt: string | Date;
}
export interface SourceFindingsInput {
  source?: string;
  department?: string;
  answeredAt: string | Date;
  asOf: string | Date;
  findings: FindingInput[];
}

export interface JudgedFinding extends Omit<FindingInput, 'recordedAt' | 'source'> {
  source: string;
  recordedAt: Date;
  department: string;
  effect: Effect;
  /** The rule that decided the effect; none for INFO. */
  rule: AuditRule | null;
  /** Still in effect at asOf. */
  inEffect: boolean;
}
export interface SourceStatus {
  source: string;
  department: string;
  status: 'ANSWERED' | 'UNAVAILABLE';
  answeredAt: Date | null;
  asOf: Date | null;
}
export interface Verdict {
  asOf: string;
  verdict: Outcome;
  findings: JudgedFinding[];
  sources: SourceStatus[];
  reasons: string[];
}

/** YYYY-MM-DD `months` calendar months before `date` (31 March − 1 month = 28/29 February). */
export function monthsBefore(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const index = y * 12 + (m - 1) - months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

/** Had not ended before asOf (lifted, rectified or repaid on asOf or later, or never). */
const inEffectOn = (finding: FindingInput, asOf: string) => !finding.endsOn || finding.endsOn >= asOf;

/** Does `rule` apply to this finding of `source` as of `asOf`? */
export function ruleMatches(rule: AuditRule, source: AuditSource, finding: FindingInput, asOf: string): boolean {
  if (rule.source !== source.name || rule.category !== finding.category) return false;
  if (rule.activeOnly && !inEffectOn(finding, asOf)) return false;
  // Within N months: after the same day N months before asOf.
  if (rule.withinMonths !== null && finding.occurredOn <= monthsBefore(asOf, rule.withinMonths)) return false;
  return true;
}

const RANK: Record<Effect, number> = { HOLD: 2, WARN: 1, INFO: 0 };

/** The strongest rule that applies (HOLD over WARN; the first listed among equals). */
function strongest(rules: readonly AuditRule[], source: AuditSource, finding: FindingInput, asOf: string): AuditRule | null {
  let best: AuditRule | null = null;
  for (const rule of rules) {
    if (ruleMatches(rule, source, finding, asOf) && (!best || RANK[rule.effect] > RANK[best.effect])) best = rule;
  }
  return best;
}

const toDate = (value: string | Date) => (value instanceof Date ? value : new Date(value));

/**
 * `answers[source.field]` is what each source said; null or missing means it could not be
 * checked (down, timed out, refused): that source is UNAVAILABLE and the verdict is HOLD — never a
 * PASS on missing data. Findings dated after asOf did not exist yet and are left out.
 */
export function decide(answers: Record<string, SourceFindingsInput | null | undefined>, rules: readonly AuditRule[], asOf: string, sources: readonly AuditSource[] = AUDIT_SOURCES): Verdict {
  const statuses: SourceStatus[] = [];
  const findings: JudgedFinding[] = [];
  const unavailable: string[] = [];
  for (const source of sources) {
    const answer = answers[source.field];
    if (!answer || !Array.isArray(answer.findings)) {
      statuses.push({ source: source.name, department: source.department, status: 'UNAVAILABLE', answeredAt: null, asOf: null });
      unavailable.push(`无法核查：${source.department} 未响应，不能判定为通过，请稍后重新核查`);
      continue;
    }
    statuses.push({ source: source.name, department: source.department, status: 'ANSWERED', answeredAt: toDate(answer.answeredAt), asOf: toDate(answer.asOf) });
    const own = answer.findings
      .filter((f) => f.occurredOn <= asOf)
      .map((f): JudgedFinding => {
        const rule = strongest(rules, source, f, asOf);
        return { ...f, source: source.name, recordedAt: toDate(f.recordedAt), department: source.department, effect: rule?.effect ?? 'INFO', rule, inEffect: inEffectOn(f, asOf) };
      })
      .sort((a, b) => RANK[b.effect] - RANK[a.effect] || b.occurredOn.localeCompare(a.occurredOn));
    findings.push(...own);
  }
  const held = findings.filter((f) => f.effect === 'HOLD');
  const warned = findings.filter((f) => f.effect === 'WARN');
  const verdict: Outcome = unavailable.length || held.length ? 'HOLD' : warned.length ? 'WARN' : 'PASS';
  const reasons = [...unavailable, ...held.map((f) => findingReason('暂缓', f)), ...warned.map((f) => findingReason('提示', f))];
  if (verdict === 'PASS') reasons.push(`${sources.length} 个数据来源均已核查，截至 ${asOf} 未发现影响兑现的记录`);
  return { asOf, verdict, findings, sources: statuses, reasons };
}

function findingReason(prefix: string, f: JudgedFinding): string {
  const ended = f.inEffect ? '' : `，已于 ${f.endsOn} 解除或整改`;
  return `${prefix}：${f.department} ${f.reason}（${f.reference}，${f.occurredOn}${ended}）。依据规则：${describeRule(f.rule!)}`;
}
