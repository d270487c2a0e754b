import { performance } from 'node:perf_hooks';

/**
 * The payments phase of `npm run bench` ("1,000 payments settled": `npm run bench -- --only
 * applications --applications 1000`), run in the applications phase's graph right after it: the
 * cases it brought past the joint audit are AWAITING_PAYMENT, and the funds subgraph's consumer
 * has made one payment order per case (WAITING_BUDGET: the bench policy has no budget yet).
 *
 *  1. orders   — until every case awaiting payment has its order;
 *  2. budget   — 县财政局 sets the bench policy's budget and moves it to the payer (归集): the
 *                waiting orders are held (PENDING);
 *  3. send     — the Approval Bureau sends them, 100 ids per sendPaymentOrders, every batch sent
 *                TWICE at once (duplicate pay requests) to the simulated bank;
 *  4. settled  — until every order is SETTLED;
 *  5. checks   — duplicates (settled orders per case beyond one, and reconciliation's differences
 *                with the bank's statement: a second transfer would be a line without its order),
 *                and the annual clearing's paid figure against the settled orders.
 */

type Claims = { role: string; region?: string; department?: string; creditCode?: string; sub?: string };

export interface PaymentsSetup {
  gatewayUrl: string;
  token(claims: Claims): Promise<string>;
  say(line: string): void;
  policyId: string;
  department: string;
  region: string;
  /** Cases awaiting payment after the applications phase. */
  awaiting: number;
  /** Batches in flight at once (each sent twice). */
  concurrency: number;
  timeoutMs?: number;
}

export interface PaymentsReport {
  orders: number;
  settled: number;
  /** From the first send to the last order settled. */
  seconds: number;
  paymentsPerSecond: number;
  /** Settled orders per case beyond one, plus reconciliation differences: must be 0. */
  duplicates: number;
  reconciliationDifferences: number;
  /** The annual clearing's paid figure and count equal the settled orders'. */
  clearingAgrees: boolean;
  steps: { step: string; seconds: number }[];
  failed: number;
  problems: string[];
}

const BATCH = 100;

async function post<T>(url: string, token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const text = await response.text();
  let body: { data?: T; errors?: unknown[] } | undefined;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (response.status !== 200 || !body?.data || body.errors) throw new Error(`HTTP ${response.status} ${text.slice(0, 400)}`);
  return body.data;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs / 1000} s (last: ${JSON.stringify(value).slice(0, 200)})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

type Order = { id: string; applicationId: string; status: string; amountFen: number };

/** Every order of the policy (optionally of one status), as the bureau lists them. */
async function listOrders(setup: PaymentsSetup, bureau: string, status?: string): Promise<Order[]> {
  const found: Order[] = [];
  type Page = { paymentOrders: { nodes: Order[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
  for (let after: string | null = null; ; ) {
    const page: Page = await post<Page>(
      setup.gatewayUrl,
      bureau,
      'query($f: PaymentOrderFilter, $a: String) { paymentOrders(first: 100, after: $a, filter: $f) { nodes { id applicationId status amountFen } pageInfo { hasNextPage endCursor } } }',
      { f: { policyId: setup.policyId, ...(status ? { status } : {}) }, a: after },
    );
    found.push(...page.paymentOrders.nodes);
    if (!page.paymentOrders.pageInfo.hasNextPage) return found;
    after = page.paymentOrders.pageInfo.endCursor;
  }
}

const chinaToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** Runs the phase; failures are counted and reported (the bench then exits 1), never thrown past here. */
export async function runPayments(setup: PaymentsSetup): Promise<PaymentsReport> {
  const timeoutMs = setup.timeoutMs ?? Math.max(120_000, setup.awaiting * 300);
  const problems: string[] = [];
  const report: PaymentsReport = { orders: 0, settled: 0, seconds: NaN, paymentsPerSecond: NaN, duplicates: NaN, reconciliationDifferences: NaN, clearingAgrees: false, steps: [], failed: 0, problems };
  const step = (name: string, since: number) => report.steps.push({ step: name, seconds: (performance.now() - since) / 1000 });
  try {
    const bureau = await setup.token({ role: 'APPROVAL_BUREAU', region: setup.region, sub: 'bench:approval' });
    const finance = await setup.token({ role: 'FINANCE', region: setup.region, sub: 'bench:finance' });
    let t = performance.now();
    setup.say(`  payments: waiting for ${setup.awaiting} payment orders (one per case awaiting payment)…`);
    await until(() => listOrders(setup, bureau), (orders) => orders.length >= setup.awaiting, timeoutMs, 'payment orders');
    const orders = await listOrders(setup, bureau);
    report.orders = orders.length;
    step('awaiting payment → orders', t);

    t = performance.now();
    const fiscalYear = Number(chinaToday().slice(0, 4));
    const total = orders.reduce((sum, o) => sum + o.amountFen, 0);
    setup.say(`  payments: 县财政局 sets ${total} fen for ${setup.policyId} (${fiscalYear}) and moves it to the payer…`);
    const set = await post<{ setBudget: { id: string }[] }>(setup.gatewayUrl, finance, 'mutation($i: SetBudgetInput!) { setBudget(input: $i) { id } }', {
      i: { policyId: setup.policyId, fiscalYear, amountFen: total, reason: '基准测试预算', regionCode: setup.region },
    });
    for (const budget of set.setBudget) await post(setup.gatewayUrl, finance, 'mutation($id: ID!) { moveBudgetToPayer(id: $id) { id } }', { id: budget.id });
    const pending = await listOrders(setup, bureau, 'PENDING');
    if (pending.length !== orders.length) problems.push(`${orders.length - pending.length} orders not held after the budget moved`);
    step('budget set and moved → orders held', t);

    const batches: string[][] = [];
    for (let i = 0; i < pending.length; i += BATCH) batches.push(pending.slice(i, i + BATCH).map((o) => o.id));
    setup.say(`  payments: sending ${pending.length} orders in ${batches.length} batches, each twice at once, ${setup.concurrency} batches at a time…`);
    const began = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(setup.concurrency, batches.length) }, async () => {
        while (next < batches.length) {
          const ids = batches[next++];
          const send = () => post(setup.gatewayUrl, bureau, 'mutation($ids: [ID!]!) { sendPaymentOrders(ids: $ids) { id status } }', { ids });
          const results = await Promise.allSettled([send(), send()]);
          for (const r of results) if (r.status === 'rejected') problems.push(String(r.reason).slice(0, 300));
        }
      }),
    );
    step('send (every batch twice)', began);
    await until(() => listOrders(setup, bureau, 'SETTLED'), (settled) => settled.length >= pending.length, timeoutMs, 'settled');
    report.seconds = (performance.now() - began) / 1000;
    step('first send → all settled', began);

    const settled = await listOrders(setup, bureau, 'SETTLED');
    report.settled = settled.length;
    report.paymentsPerSecond = settled.length / report.seconds;
    const reconciled = await post<{ reconcilePayments: { differences: unknown[] } }>(setup.gatewayUrl, bureau, 'mutation($d: String!) { reconcilePayments(date: $d) { checked differences { kind } } }', { d: chinaToday() });
    report.reconciliationDifferences = reconciled.reconcilePayments.differences.length;
    report.duplicates = settled.length - new Set(settled.map((o) => o.applicationId)).size + report.reconciliationDifferences;
    const clearing = await post<{ annualClearing: { lines: { policyId: string; paidFen: number; paidCount: number }[] } }>(
      setup.gatewayUrl,
      finance,
      'query($y: Int!, $r: String!, $d: String) { annualClearing(fiscalYear: $y, regionCode: $r, department: $d) { lines { policyId paidFen paidCount } } }',
      { y: fiscalYear, r: setup.region, d: setup.department },
    );
    const line = clearing.annualClearing.lines.find((l) => l.policyId === setup.policyId);
    report.clearingAgrees = !!line && line.paidCount === settled.length && line.paidFen === settled.reduce((sum, o) => sum + o.amountFen, 0);
    if (!report.clearingAgrees) problems.push(`annual clearing disagrees with the settled orders: ${JSON.stringify(line)}`);
    if (report.duplicates) problems.push(`${report.duplicates} duplicate payments or reconciliation differences`);
  } catch (error) {
    problems.push((error as Error).message.slice(0, 500));
  }
  report.failed = problems.length ? 1 : 0;
  return report;
}

const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

export function renderPayments(r: PaymentsReport): string[] {
  const lines = [
    `payments: ${r.settled} of ${r.orders} payment orders settled in ${fmt(r.seconds)} s (${fmt(r.paymentsPerSecond, 1)} payments/s), duplicates = ${Number.isFinite(r.duplicates) ? r.duplicates : 'n/a'} (reconciliation differences ${Number.isFinite(r.reconciliationDifferences) ? r.reconciliationDifferences : 'n/a'}), clearing ${r.clearingAgrees ? 'agrees' : 'DISAGREES'}`,
    ...r.steps.map((s) => `  ${s.step.padEnd(40)} ${fmt(s.seconds).padStart(8)} s`),
  ];
  if (r.problems.length) lines.push(`  FAILED: ${r.problems.join(' | ').slice(0, 1000)}`);
  return lines;
}
