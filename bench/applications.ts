import { performance } from 'node:perf_hooks';
import { renderPayments, type PaymentsReport } from './payments';

/**
 * The applications phase of `npm run bench` (bench/gateway.ts starts the graph): the throughput of
 * the 一窗受理 → 前店后厂 loop, submit → dispatched → decided, through the gateway as its users
 * drive it:
 *
 *  1. submit   — each of N enterprises of 兴国县 submits one application (ENTERPRISE, online) to an
 *                INSTANT policy made for the bench (no materials, so no uploads);
 *  2. accept   — the Approval Bureau accepts each (checkApplication accept: true): the case is
 *                dispatched to 县工信局 through the outbox (application.accepted);
 *  3. dispatched — until every case is in the department's inbox (departments subgraph);
 *  4. decide   — 县工信局's system decides each in its back office (decideDepartmentCase, APPROVED):
 *                the result goes back through the graph (recordDepartmentDecision) …
 *  5. decided  — … until every application has its decision (out of IN_REVIEW), and
 *  6. audited  — until every case has passed the joint audit (out of APPROVED / JOINT_AUDIT).
 *
 * Requests are sent `concurrency` at a time from the bench process; each step's wall time, the
 * requests' p50/p99, and cases per second are reported. The graph is one process (`node
 * dist/main.js`: every subgraph, the gateway and the in-process event relays), as `npm start`
 * runs it: the relay that dispatches reaches only consumers in its own process (docs/events.md).
 */

type Claims = { role: string; region?: string; department?: string; creditCode?: string; sub?: string };

export interface ApplicationsSetup {
  gatewayUrl: string;
  token(claims: Claims): Promise<string>;
  say(line: string): void;
  /** Applications submitted (one per enterprise). */
  cases: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** How long to wait for the asynchronous steps (dispatch, the department's push, the joint audit). */
  timeoutMs?: number;
}

export interface StepReport {
  step: string;
  requests: number;
  seconds: number;
  perSecond: number;
  p50Ms: number | null;
  p99Ms: number | null;
  failed: number;
}

export interface ApplicationsReport {
  policyId: string;
  cases: number;
  concurrency: number;
  steps: StepReport[];
  /** From the first submission to the last decision on the applications: cases per second end to end. */
  endToEndSeconds: number;
  casesPerSecond: number;
  /** Cases by status at the end. */
  statuses: Record<string, number>;
  failed: number;
  problems: string[];
  /** The payments phase over these cases (bench/payments.ts), unless `--skip payments`. */
  payments?: PaymentsReport;
}

export const POLICY_ID = 'XG-2099-950';
export const DEPARTMENT = '360732-MIIT';
export const REGION = '360732';

class GraphError extends Error {}

async function post<T>(url: string, token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const text = await response.text();
  let body: { data?: T; errors?: unknown[] } | undefined;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (response.status !== 200 || !body?.data || body.errors) throw new GraphError(`HTTP ${response.status} ${text.slice(0, 400)}`);
  return body.data;
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : null);

/** Runs `work` over `items`, `concurrency` at a time; times each call; failures are counted, not thrown. */
async function pool<T, R>(items: T[], concurrency: number, work: (item: T) => Promise<R>, problems: string[]): Promise<{ results: (R | undefined)[]; latencies: number[]; failed: number; seconds: number }> {
  const results: (R | undefined)[] = new Array(items.length);
  const latencies: number[] = [];
  let failed = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        const t = performance.now();
        try {
          results[i] = await work(items[i]);
          latencies.push(performance.now() - t);
        } catch (error) {
          failed++;
          if (problems.length < 10) problems.push((error as Error).message.slice(0, 300));
        }
      }
    }),
  );
  return { results, latencies: latencies.sort((a, b) => a - b), failed, seconds: (performance.now() - started) / 1000 };
}

const stepOf = (step: string, requests: number, run: { latencies: number[]; failed: number; seconds: number }): StepReport => ({
  step,
  requests,
  seconds: run.seconds,
  perSecond: requests / run.seconds,
  p50Ms: percentile(run.latencies, 50),
  p99Ms: percentile(run.latencies, 99),
  failed: run.failed,
});

/** Polls `read` until `done`; returns the seconds it took from `since`, or throws after the timeout. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, since: number, timeoutMs: number, what: string): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return (performance.now() - since) / 1000;
    if (Date.now() > deadline) throw new GraphError(`${what}: not reached within ${timeoutMs / 1000} s (last: ${JSON.stringify(value).slice(0, 200)})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The bench's INSTANT policy of 县工信局: every enterprise of the county qualifies, no materials, this year's window. */
async function publishPolicy(setup: ApplicationsSetup): Promise<void> {
  const year = new Date().getFullYear();
  const owner = await setup.token({ role: 'DEPARTMENT_REVIEWER', department: DEPARTMENT, region: REGION });
  const guide = {
    title: '工业企业稳产奖励（基准测试）',
    legalBasis: { title: '《兴国县促进工业高质量发展若干政策措施》', documentNumber: '兴府发〔2025〕8号' },
    beneficiaries: '兴国县登记注册的企业',
    conditionsText: '在兴国县登记注册',
    conditions: { indicator: 'regionCode', op: 'eq', value: REGION },
    amountRule: { kind: 'FIXED', amountFen: 100_000 },
    amountText: '定额 1000 元',
    materials: [],
    processSteps: ['网上申报', '窗口受理', '主管部门审核', '联合审核', '拨付'],
    contact: '0797-5322000',
    reviewDays: 5,
    windowStart: `${year}-01-01`,
    windowEnd: `${year}-12-31`,
  };
  await post(setup.gatewayUrl, owner, 'mutation($input: CreatePolicyInput!) { createPolicyDraft(input: $input) { id } }', { input: { id: POLICY_ID, department: DEPARTMENT, mode: 'INSTANT', guide } });
  await post(setup.gatewayUrl, owner, `mutation { submitPolicyForConsultation(id: "${POLICY_ID}") { id } }`);
  for (const signer of [{ role: 'DEPARTMENT_REVIEWER', department: `${REGION}-NDRC`, region: REGION }, { role: 'FINANCE', region: REGION }, { role: 'APPROVAL_BUREAU', region: REGION }]) {
    await post(setup.gatewayUrl, await setup.token(signer), `mutation { signOffPolicy(id: "${POLICY_ID}", decision: APPROVED) { id } }`);
  }
  await post(setup.gatewayUrl, owner, `mutation { publishPolicy(id: "${POLICY_ID}") { id } }`);
}

/** `cases` enterprises of the county, with their registered account (read as the payer, unmasked). */
async function enterprises(setup: ApplicationsSetup, payer: string): Promise<{ creditCode: string; account: string; bank: string }[]> {
  const found: { creditCode: string; account: string; bank: string }[] = [];
  type Page = { enterprises: { nodes: { creditCode: string; bankAccount: { accountNumber: string; bankName: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
  for (let after: string | null = null; found.length < setup.cases; ) {
    const page: Page = await post<Page>(
      setup.gatewayUrl,
      payer,
      'query($a: String, $r: String) { enterprises(first: 100, after: $a, filter: { regionCode: $r }) { nodes { creditCode bankAccount { accountNumber bankName } } pageInfo { hasNextPage endCursor } } }',
      { a: after, r: REGION },
    );
    found.push(...page.enterprises.nodes.map((n) => ({ creditCode: n.creditCode, account: n.bankAccount.accountNumber, bank: n.bankAccount.bankName })));
    if (!page.enterprises.pageInfo.hasNextPage) break;
    after = page.enterprises.pageInfo.endCursor;
  }
  return found.slice(0, setup.cases);
}

/** Counts of the bench policy's applications by status, as the Approval Bureau lists them. */
async function statusCounts(setup: ApplicationsSetup, bureau: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const status of ['SUBMITTED', 'IN_REVIEW', 'APPROVED', 'JOINT_AUDIT', 'AWAITING_PAYMENT', 'HELD', 'REJECTED']) {
    const data = await post<{ applications: { totalCount: number } }>(setup.gatewayUrl, bureau, 'query($f: ApplicationFilter) { applications(first: 1, filter: $f) { totalCount } }', { f: { policyId: POLICY_ID, status } });
    if (data.applications.totalCount) counts[status] = data.applications.totalCount;
  }
  return counts;
}

/** Runs the phase; failures are counted and reported (the bench then exits 1), never thrown past here. */
export async function runApplications(setup: ApplicationsSetup): Promise<ApplicationsReport> {
  const timeoutMs = setup.timeoutMs ?? Math.max(120_000, setup.cases * 500);
  const problems: string[] = [];
  const report: ApplicationsReport = { policyId: POLICY_ID, cases: setup.cases, concurrency: setup.concurrency, steps: [], endToEndSeconds: NaN, casesPerSecond: NaN, statuses: {}, failed: 0, problems };
  try {
    const bureau = await setup.token({ role: 'APPROVAL_BUREAU', region: REGION });
    const system = await setup.token({ role: 'DEPARTMENT_SYSTEM', department: DEPARTMENT, region: REGION, sub: 'bench:miit-system' });
    setup.say(`  ${DEPARTMENT} publishes ${POLICY_ID} (INSTANT, no materials)…`);
    await publishPolicy(setup);
    const applicants = await enterprises(setup, bureau);
    if (applicants.length < setup.cases) setup.say(`  only ${applicants.length} enterprises in ${REGION}: ${applicants.length} cases`);
    report.cases = applicants.length;
    const tokens = await Promise.all(applicants.map((a) => setup.token({ role: 'ENTERPRISE', creditCode: a.creditCode })));

    const began = performance.now();
    setup.say(`  submit: ${applicants.length} applications, ${setup.concurrency} at a time…`);
    const submitted = await pool(
      applicants.map((a, i) => ({ ...a, token: tokens[i] })),
      setup.concurrency,
      async (a) =>
        (await post<{ submitApplication: { id: string } }>(setup.gatewayUrl, a.token, 'mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { id } }', {
          input: { policyId: POLICY_ID, creditCode: a.creditCode, data: {}, materials: [] },
        })).submitApplication.id,
      problems,
    );
    report.steps.push(stepOf('submit', applicants.length, submitted));
    const ids = submitted.results.filter((id): id is string => typeof id === 'string');

    setup.say('  accept (dispatch through the outbox)…');
    const acceptStart = performance.now();
    const accepted = await pool(ids, setup.concurrency, (id) => post(setup.gatewayUrl, bureau, 'mutation($id: ID!) { checkApplication(id: $id, input: { accept: true }) { status } }', { id }), problems);
    report.steps.push(stepOf('accept', ids.length, accepted));
    const inbox = () => post<{ departmentCases: { totalCount: number } }>(setup.gatewayUrl, system, `query { departmentCases(department: "${DEPARTMENT}", first: 1) { totalCount } }`);
    const dispatchedIn = await until(inbox, (d) => d.departmentCases.totalCount >= ids.length, acceptStart, timeoutMs, 'dispatched');
    report.steps.push({ step: 'accepted → in the department inbox', requests: ids.length, seconds: dispatchedIn, perSecond: ids.length / dispatchedIn, p50Ms: null, p99Ms: null, failed: 0 });

    // The department's cases, with the applicant's account to pay to.
    const cases: { id: string; creditCode: string }[] = [];
    type Inbox = { departmentCases: { nodes: { id: string; creditCode: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
    for (let after: string | null = null; ; ) {
      const page: Inbox = await post<Inbox>(setup.gatewayUrl, system, `query($a: String) { departmentCases(department: "${DEPARTMENT}", first: 100, after: $a) { nodes { id creditCode } pageInfo { hasNextPage endCursor } } }`, { a: after });
      cases.push(...page.departmentCases.nodes);
      if (!page.departmentCases.pageInfo.hasNextPage) break;
      after = page.departmentCases.pageInfo.endCursor;
    }
    const accounts = new Map(applicants.map((a) => [a.creditCode, a]));
    setup.say(`  decide: ${cases.length} decisions in ${DEPARTMENT}'s back office, pushed back through the graph…`);
    const decideStart = performance.now();
    const decided = await pool(
      cases,
      setup.concurrency,
      (c) =>
        post(setup.gatewayUrl, system, 'mutation($id: ID!, $input: DecideDepartmentCaseInput!) { decideDepartmentCase(id: $id, input: $input) { status } }', {
          id: c.id,
          input: { outcome: 'APPROVED', amountFen: 100_000, payeeAccount: accounts.get(c.creditCode)?.account, payeeBank: accounts.get(c.creditCode)?.bank, note: '基准测试：审核通过' },
        }),
      problems,
    );
    report.steps.push(stepOf('decide', cases.length, decided));
    const reviewing = () => statusCounts(setup, bureau);
    const decidedIn = await until(reviewing, (c) => !c.IN_REVIEW && !c.SUBMITTED, decideStart, timeoutMs, 'decided');
    report.steps.push({ step: 'decided → on the application', requests: ids.length, seconds: decidedIn, perSecond: ids.length / decidedIn, p50Ms: null, p99Ms: null, failed: 0 });
    report.endToEndSeconds = (performance.now() - began) / 1000;
    report.casesPerSecond = ids.length / report.endToEndSeconds;
    const auditedIn = await until(reviewing, (c) => !c.APPROVED && !c.JOINT_AUDIT, decideStart, timeoutMs, 'joint audit');
    report.steps.push({ step: 'decided → past the joint audit', requests: ids.length, seconds: auditedIn, perSecond: ids.length / auditedIn, p50Ms: null, p99Ms: null, failed: 0 });
    report.statuses = await reviewing();
  } catch (error) {
    problems.push((error as Error).message.slice(0, 500));
  }
  report.failed = report.steps.reduce((n, s) => n + s.failed, 0) + (problems.length && !report.steps.some((s) => s.failed) ? 1 : 0);
  return report;
}

const fmt = (n: number | null, digits = 2) => (n === null || !Number.isFinite(n) ? 'n/a' : n.toFixed(digits));

export function renderApplications(r: ApplicationsReport): string[] {
  const lines = [
    `applications: submit → dispatched → decided, ${r.cases} cases of ${r.policyId} (INSTANT, ${DEPARTMENT}), ${r.concurrency} requests at a time, one-process graph (in-process relays)`,
    `  ${'step'.padEnd(34)} ${'requests'.padStart(8)} ${'seconds'.padStart(8)} ${'per s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'failed'.padStart(6)}`,
    ...r.steps.map((s) => `  ${s.step.padEnd(34)} ${String(s.requests).padStart(8)} ${fmt(s.seconds).padStart(8)} ${fmt(s.perSecond, 1).padStart(8)} ${fmt(s.p50Ms, 0).padStart(8)} ${fmt(s.p99Ms, 0).padStart(8)} ${String(s.failed).padStart(6)}`),
    `  end to end (first submission → last decision on the application): ${fmt(r.endToEndSeconds)} s, ${fmt(r.casesPerSecond, 1)} cases/s`,
    `  final states: ${Object.entries(r.statuses).map(([s, n]) => `${s} ${n}`).join(', ') || 'n/a'}`,
  ];
  if (r.problems.length) lines.push(`  FAILED: ${r.problems.join(' | ').slice(0, 1000)}`);
  if (r.payments) lines.push(...renderPayments(r.payments));
  return lines;
}
