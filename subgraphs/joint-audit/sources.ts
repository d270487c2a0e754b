import { FindingCategory } from '../kit/findings';

/** One joint-audit source: a subgraph that adds `Enterprise.<field>: SourceFindings`. */
export interface AuditSource {
  /** Subgraph name. */
  name: string;
  /** `Enterprise.<field>` (CONTRACT §3: `<camelName>Findings`). */
  field: string;
  /** Who answers, as a clerk names it (the department's short name, platform/directory.ts). */
  department: string;
  /** The categories this source reports (rules may only pair a source with these). */
  categories: FindingCategory[];
}

const C = FindingCategory;
const source = (name: string, department: string, categories: FindingCategory[]): AuditSource => ({
  name,
  field: `${name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())}Findings`,
  department,
  categories,
});

/**
 * The sources the joint audit consults: THE list. The `@requires` field set, the per-source
 * statuses and the rule validation are all built from it; a new source is one line here.
 */
export const AUDIT_SOURCES: readonly AuditSource[] = Object.freeze([
  source('credit', '县发改委', [C.SERIOUS_DISHONESTY, C.PUBLIC_CREDIT_LOW]),
  source('tax', '县税务局', [C.TAX_CREDIT_D, C.TAX_ARREARS]),
  source('statistics', '县统计局', [C.STATISTICS_VIOLATION]),
  source('public-security', '县公安局', [C.GANG_RELATED]),
  source('ecology', '县生态环境局', [C.ENVIRONMENTAL_PENALTY]),
  source('work-safety', '县应急管理局', [C.SAFETY_VIOLATION, C.SAFETY_ACCIDENT]),
  source('natural-resources', '县自然资源局', [C.LAND_VIOLATION]),
  source('housing', '县住建局', [C.CONSTRUCTION_VIOLATION]),
  source('pboc', '人民银行兴国县支行', [C.ACCOUNT_NOT_VERIFIED]),
]);

export const findSource = (name: string) => AUDIT_SOURCES.find((s) => s.name === name);

/** Categories some source owns; a category nobody lists (added later by a source) fits any source. */
const OWNED = new Set(AUDIT_SOURCES.flatMap((s) => s.categories));
export const sourceReports = (source: AuditSource, category: FindingCategory) => source.categories.includes(category) || !OWNED.has(category);

/**
 * What the verdict reads of each source's answer. Not `source`/`department`: the list above knows
 * them, and the representations of 1,000 enterprises × 9 sources (what the gateway posts to this
 * subgraph) stay smaller without them (SUBGRAPH_MAX_BODY_BYTES).
 */
const FINDING_FIELDS = 'category severity occurredOn endsOn reference reason recordedAt';
const SOURCE_FIELDS = `answeredAt asOf findings { ${FINDING_FIELDS} }`;

/** `@requires(fields: …)` of `Enterprise.jointAudit`: every source's findings. */
export const REQUIRED_FIELDS = AUDIT_SOURCES.map((s) => `${s.field} { ${SOURCE_FIELDS} }`).join(' ');
