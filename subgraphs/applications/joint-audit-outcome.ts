import { GraphRequestError, type GraphClient } from '../kit/graph-client';

/**
 * The joint audit (联合审核) of an approved case, as the applications subgraph asks it of the graph
 * and reads its answer — apart from the database so it can be tested on its own. The verdict is
 * the joint-audit subgraph's (docs/joint-audit.md); here it only decides the case's next step.
 */
export const JOINT_AUDIT_QUERY = `query ApplicationJointAudit($creditCode: CreditCode!, $policy: String!, $asOf: String) {
  enterprise(creditCode: $creditCode) {
    jointAudit(policyCode: $policy, asOf: $asOf) {
      verdict
      asOf
      reasons
      rulesAreDefault
      findings { source department category severity occurredOn endsOn inEffect reference reason effect }
      sources { source department status answeredAt asOf }
    }
  }
}`;

export type JointAuditVerdict = 'PASS' | 'WARN' | 'HOLD';

export interface KeptFinding {
  source: string;
  department: string;
  category: string;
  severity: string;
  occurredOn: string;
  endsOn: string | null;
  inEffect: boolean;
  reference: string;
  reason: string;
  /** HOLD | WARN | INFO: what the finding did to the verdict. */
  effect: string;
}

export interface KeptSource {
  source: string;
  department: string;
  status: 'ANSWERED' | 'UNAVAILABLE';
  answeredAt: string | null;
  asOf: string | null;
}

/** What the case keeps of one joint audit: shown as `Application.jointAudit`. */
export interface JointAuditResult {
  verdict: JointAuditVerdict;
  asOf: string;
  reasons: string[];
  rulesAreDefault: boolean;
  findings: KeptFinding[];
  sources: KeptSource[];
}

/** The case's next step for a verdict: PASS and WARN clear it for payment, HOLD stops it. */
export const nextActionOf = (verdict: JointAuditVerdict): 'clear' | 'hold' => (verdict === 'HOLD' ? 'hold' : 'clear');

/**
 * A source could not be checked (down, timed out): the joint audit would answer HOLD, but that
 * HOLD says nothing about the enterprise. The case stays in JOINT_AUDIT and the audit is run
 * again (the consumer's retries, then the sweep): a case is neither held for an outage nor ever
 * cleared without every source checked.
 */
export class SourcesUnavailableError extends GraphRequestError {
  constructor(readonly departments: string[]) {
    super(`joint audit: sources not checked (${departments.join('、')}); will retry`, ['SOURCES_UNAVAILABLE']);
    this.name = 'SourcesUnavailableError';
  }
}

/** Reads the graph's answer; throws when there is no verdict or a source was not checked. */
export function readJointAudit(answer: { enterprise: { jointAudit: JointAuditResult | null } | null }): JointAuditResult {
  const audit = answer.enterprise?.jointAudit;
  if (!answer.enterprise) throw new GraphRequestError('joint audit: the enterprise is not in the register (enterprise: null)', ['NOT_FOUND']);
  if (!audit) throw new GraphRequestError('joint audit: no verdict in the answer', ['NO_VERDICT']);
  const unavailable = audit.sources.filter((s) => s.status !== 'ANSWERED');
  if (unavailable.length) throw new SourcesUnavailableError(unavailable.map((s) => s.department));
  if (!['PASS', 'WARN', 'HOLD'].includes(audit.verdict)) throw new GraphRequestError(`joint audit: unknown verdict ${String(audit.verdict)}`, ['NO_VERDICT']);
  return {
    verdict: audit.verdict,
    asOf: audit.asOf,
    reasons: [...audit.reasons],
    rulesAreDefault: audit.rulesAreDefault,
    findings: audit.findings.map((f) => ({
      source: f.source,
      department: f.department,
      category: f.category,
      severity: f.severity,
      occurredOn: f.occurredOn,
      endsOn: f.endsOn ?? null,
      inEffect: f.inEffect,
      reference: f.reference,
      reason: f.reason,
      effect: f.effect,
    })),
    sources: audit.sources.map((s) => ({ source: s.source, department: s.department, status: s.status, answeredAt: s.answeredAt ?? null, asOf: s.asOf ?? null })),
  };
}

/**
 * Runs the joint audit of one case through the graph (the gateway, as any caller; the sources
 * apply their reader rules and log the access with the case as purpose). Network only: no
 * database, so a consumer runs it outside its transaction.
 */
export async function fetchJointAudit(
  graph: GraphClient,
  request: { creditCode: string; policyId: string; regionCode: string; asOf: string; purpose: string },
  options: Record<string, unknown> = {},
): Promise<JointAuditResult> {
  const answer = await graph.request<{ enterprise: { jointAudit: JointAuditResult | null } | null }>(
    JOINT_AUDIT_QUERY,
    { creditCode: request.creditCode, policy: request.policyId, asOf: request.asOf },
    { purpose: request.purpose, region: request.regionCode, ...options },
  );
  return readJointAudit(answer);
}
