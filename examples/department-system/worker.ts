import type { CaseRow, Store } from './store';

/**
 * 前店后厂 from the back office's side: this system is not on the platform's event bus, so it pulls
 * the cases dispatched to its department (IN_REVIEW) through the gateway, and pushes each decision
 * back with `recordDepartmentDecision`, as the department's DEPARTMENT_SYSTEM. The push is keyed by
 * the review's decisionId: sending it again after a crash or a timeout changes nothing on the
 * platform, so a decision whose answer was lost is simply sent again on the next run.
 */
export interface GraphAccess {
  /** The gateway's GraphQL endpoint. */
  url: string;
  /** A bearer token of the department's DEPARTMENT_SYSTEM identity (the deployment hands it over). */
  token(department: string): string | Promise<string>;
  /** Each call's deadline (default 30 s). */
  timeoutMs?: number;
}

export interface SyncReport {
  department: string;
  /** Cases new to this system. */
  pulled: number;
  /** Applications whose decision the platform recorded in this run. */
  recorded: string[];
  /** Decisions the platform refused for good (the reviewer must change the review): application id → code. */
  refused: Record<string, string>;
  /** Why the run stopped early (the graph unreachable, the token refused …); retried on the next run. */
  interrupted?: string;
}

/** Codes after which sending the same decision again can never succeed. */
const FINAL_REFUSALS = new Set(['BAD_USER_INPUT', 'ALREADY_EXISTS', 'WRONG_STATE', 'NOT_FOUND']);
const PURPOSE = encodeURIComponent('县人社局就业补贴审核');

export const INBOX_QUERY = `query HrssInbox($department: String!, $after: String) {
  applications(filter: { department: $department, status: IN_REVIEW }, first: 100, after: $after) {
    nodes { id receiptNumber policyId policyTitle department regionCode creditCode enterpriseName deadline }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const DECISION_MUTATION = `mutation HrssDecision($input: DepartmentDecisionInput!) {
  recordDepartmentDecision(input: $input) { id status }
}`;

class GraphCallError extends Error {
  constructor(
    message: string,
    readonly codes: string[],
  ) {
    super(message);
  }
}

async function call<T>(graph: GraphAccess, department: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(graph.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await graph.token(department)}`, 'x-qinqing-purpose': PURPOSE },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(graph.timeoutMs ?? 30_000),
  });
  const body = (await response.json().catch(() => ({}))) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors?.length || !body.data) {
    const codes = (body.errors ?? []).map((e) => e.extensions?.code ?? 'UNKNOWN');
    throw new GraphCallError(`${response.status} ${(body.errors ?? []).map((e) => `${e.extensions?.code}: ${e.message}`).join('; ') || 'no data'}`, codes);
  }
  return body.data;
}

interface InboxNode {
  id: string;
  receiptNumber: string;
  policyId: string;
  policyTitle: string;
  department: string;
  regionCode: string;
  creditCode: string;
  enterpriseName: string;
  deadline: string | null;
}

/** One run for one department: pull its new cases, then push every decision not yet recorded. */
export async function syncDepartment(store: Store, graph: GraphAccess, department: string, now: () => Date = () => new Date()): Promise<SyncReport> {
  const report: SyncReport = { department, pulled: 0, recorded: [], refused: {} };
  try {
    let after: string | null = null;
    do {
      const data: { applications: { nodes: InboxNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await call(graph, department, INBOX_QUERY, { department, after });
      const rows: CaseRow[] = data.applications.nodes
        // The platform scopes the list to the token's department; a stray row is not ours to keep.
        .filter((n) => n.department === department)
        .map((n) => ({
          application_id: n.id,
          department: n.department,
          region_code: n.regionCode,
          receipt_number: n.receiptNumber,
          credit_code: n.creditCode,
          enterprise_name: n.enterpriseName,
          policy_id: n.policyId,
          policy_title: n.policyTitle,
          deadline: n.deadline,
          received_at: now().toISOString(),
        }));
      report.pulled += store.addCases(rows);
      after = data.applications.pageInfo.hasNextPage ? data.applications.pageInfo.endCursor : null;
    } while (after);

    for (const c of store.pendingDecisions(department)) {
      const r = c.review!;
      const input = {
        applicationId: c.application_id,
        decisionId: r.decision_id,
        outcome: r.conclusion === 'QUALIFIED' ? 'APPROVED' : 'REJECTED',
        ...(r.amount_fen !== null ? { amountFen: r.amount_fen } : {}),
        ...(r.payee_account !== null ? { payeeAccount: r.payee_account, payeeBank: r.payee_bank } : {}),
        ...(r.reason !== null ? { reason: r.reason } : {}),
        ...(r.policy_explanation !== null ? { policyExplanation: r.policy_explanation } : {}),
        note: [`县人社局审核：在职 ${r.employed_headcount} 人，社保 ${r.social_insurance_months} 个月`, r.note].filter(Boolean).join('；'),
      };
      try {
        await call(graph, department, DECISION_MUTATION, { input });
        store.markRecorded(c.application_id, r.decision_id, now().toISOString());
        report.recorded.push(c.application_id);
      } catch (error) {
        const final = error instanceof GraphCallError && error.codes.length > 0 && error.codes.every((code) => FINAL_REFUSALS.has(code));
        if (!final) throw error;
        store.markRefused(c.application_id, r.decision_id, error.message.replace(/^\d+ /, ''));
        report.refused[c.application_id] = error.codes[0];
      }
    }
  } catch (error) {
    report.interrupted = error instanceof Error ? error.message : String(error);
  }
  return report;
}
