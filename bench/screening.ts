import { performance } from 'node:perf_hooks';
import { DEPARTMENTS } from '../platform/directory';

/**
 * The screening phase of `npm run bench` (bench/gateway.ts starts the graph): the 免申即享 white
 * list of a city-level NO_APPLICATION policy over every enterprise of the city, read whole through
 * the gateway a page of 500 (the API's largest) at a time, beside the baseline — the same indicator tables fetched
 * from their owners without evaluating them (the tables are `@inaccessible`, so not through the
 * gateway). Requests are sent one after the other from the bench process and timed end to end
 * (what a department's tool waits). See docs/benchmarks.md.
 */

type Claims = { role: string; region?: string; department?: string };

/** A subgraph called straight, with the identity header a gateway would mint for the caller. */
export type DirectCall = (subgraph: string, caller: Claims, query: string, variables: Record<string, unknown>) => Promise<Response>;

export interface ScreeningSetup {
  gatewayUrl: string;
  token(claims: Claims): Promise<string>;
  direct: DirectCall;
  say(line: string): void;
  repetitions: number;
  /** Enterprises the subgraphs seeded. */
  enterprises: number;
}

export interface ScreeningReport {
  enterprises: number;
  region: string;
  caller: Claims;
  policy: { id: string; region: string; level: string; mode: string; created: boolean };
  /** Why the policy is not what the phase asks for (a city policy over the city), if it is not. */
  note?: string;
  size: number;
  screened: number;
  eligibleCount: number;
  unknownCount: number;
  totalAmountFen: string;
  digest: string;
  pages: number;
  /** Seconds for the whole white list (every page), one per repetition. */
  runs: { seconds: number; firstPageSeconds: number; pages: number; entries: number }[];
  /** Seconds to fetch the population's indicator tables from their owners, one per repetition. */
  baseline: { seconds: number; bytes: number }[];
  medianSeconds: number;
  baselineMedianSeconds: number;
  /** Screening ÷ baseline, whole white list; and one page (one screening) ÷ baseline. */
  ratio: number;
  firstPageRatio: number;
  targetSeconds: number;
  failed: number;
  problems: string[];
}

/** The city the demo population lies in: 360732 (half), 360731 and 360700 itself. */
export const SCREENING_REGION = '360700';
export const SCREENING_TARGET_SECONDS = 10;
/** The largest page the API serves (CONTRACT8B said 1,000; the policies subgraph serves at most 500). */
const PAGE = 500;
const POLICY_ID = 'GZ-2026-901';
const FALLBACK_POLICY_ID = 'XG-2026-901';

const ENTRIES = `entries(outcome: ELIGIBLE, first: ${PAGE}, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes { creditCode outcome amountFen amountText explanation enterprise { creditCode name } }
      }`;

/** The rest of the white list: the kept screening read back by id, the region not screened again. */
const SCREENING_PAGE = `query ScreeningPage($id: ID!, $after: String) { policyScreening(id: $id) { ${ENTRIES} } }`;

const SCREENING = `query Screening($region: String!, $policy: String!, $after: String) {
  enterprisePopulation(regionCode: $region) {
    regionCode
    size
    screening(policyId: $policy) {
      id
      policy { id title mode region }
      version evaluatedOn regionCode screened eligibleCount unknownCount totalAmountFen digest
      entries(outcome: ELIGIBLE, first: ${PAGE}, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes { creditCode outcome amountFen amountText explanation enterprise { creditCode name } }
      }
    }
  }
}`;

/**
 * The baseline: the tables are `@inaccessible` (no client reads them through the gateway), so the
 * bench asks their owners for them as the gateway's plan does — `members registry` from
 * enterprises, then `tax`, `statistics`, `credit` in parallel, each given `members` — and leaves
 * out the policies subgraph's step (the evaluation) and the gateway.
 */
const REGISTRY_TABLES = `query PopulationRegistry($r: [_Any!]!) { _entities(representations: $r) { ... on EnterprisePopulation { regionCode size members registry } } }`;
const SOURCE_TABLE = (table: string) => `query PopulationTable($r: [_Any!]!) { _entities(representations: $r) { ... on EnterprisePopulation { ${table} } } }`;
const SOURCES = ['tax', 'statistics', 'credit'] as const;

const median = (values: number[]) => {
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
};

class GraphError extends Error {}

async function post<T>(url: string, token: string, query: string, variables: Record<string, unknown>): Promise<{ data: T; seconds: number; bytes: number }> {
  return answer<T>(() => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) }));
}

/** A GraphQL answer with data and no errors, timed from the request to the last byte. */
async function answer<T>(send: () => Promise<Response>): Promise<{ data: T; seconds: number; bytes: number }> {
  const started = performance.now();
  const response = await send();
  const text = await response.text();
  const seconds = (performance.now() - started) / 1000;
  let body: { data?: T; errors?: unknown[] } | undefined;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (response.status !== 200 || !body?.data || body.errors) throw new GraphError(`HTTP ${response.status} ${text.slice(0, 500)}`);
  return { data: body.data, seconds, bytes: Buffer.byteLength(text) };
}

/** A published city-level NO_APPLICATION policy of the city, from the catalog or made through the API. */
async function cityPolicy(setup: ScreeningSetup): Promise<{ policy: ScreeningReport['policy']; note?: string }> {
  type Node = { id: string; region: string; level: string; mode: string };
  const found = await post<{ policies: { nodes: Node[] } }>(
    setup.gatewayUrl,
    await setup.token({ role: 'AUDITOR' }),
    'query { policies(first: 100, filter: { mode: NO_APPLICATION }) { nodes { id region level mode } } }',
    {},
  );
  const city = found.data.policies.nodes.find((p) => p.region === SCREENING_REGION && p.level === 'CITY');
  if (city) return { policy: { ...city, created: false } };

  // None in the catalog: a city department drafts one, the city's three sign off, it is published.
  const owner = DEPARTMENTS.find((d) => d.regionCode === SCREENING_REGION && d.functions.includes('POLICY_OWNER'));
  // The directory may know no city department: then a county's CITY-level policy, screened over the city (its county's enterprises).
  const department = owner ?? DEPARTMENTS.find((d) => d.code === '360732-MIIT')!;
  const region = department.regionCode;
  const id = owner ? POLICY_ID : FALLBACK_POLICY_ID;
  const note = owner
    ? undefined
    : `platform/directory.ts has no department of ${SCREENING_REGION}: no policy of the city can be made through the API, so the bench screens a CITY-level policy of ${region} (${department.code}) over ${SCREENING_REGION} — the whole city's tables are moved, the enterprises of ${region} evaluated`;
  setup.say(`  no published CITY-level NO_APPLICATION policy of ${SCREENING_REGION}: ${department.code} drafts ${id}, three sign-offs, publish…`);
  const ownerToken = await setup.token({ role: 'DEPARTMENT_REVIEWER', department: department.code, region });
  const guide = {
    title: '赣州市规上企业稳岗奖励（免申即享）',
    legalBasis: { title: '《赣州市稳就业促发展若干政策措施》', documentNumber: '赣市府发〔2025〕12号' },
    beneficiaries: '从业人员 10 人以上、纳税信用 A 级或 B 级、未列入失信被执行人名单的企业',
    conditionsText: '从业人员 10 人以上；纳税信用 A 级或 B 级；未列入失信被执行人名单',
    conditions: {
      all: [
        { indicator: 'statistics.employees', op: 'gte', value: 10 },
        { indicator: 'tax.creditRating', op: 'in', values: ['A', 'B'] },
        { indicator: 'credit.onDishonestyList', op: 'eq', value: false },
      ],
    },
    amountRule: { kind: 'PER_UNIT', indicator: 'statistics.employees', unitFen: 20_000, capFen: 10_000_000 },
    amountText: '每名从业人员 200 元，最高 10 万元，市县按 5:5 分担',
    materials: [],
    processSteps: ['系统比对数据生成名单', '主管部门确认', '公示 5 个工作日', '财政直达拨付'],
    contact: '主管部门，电话 0797-8228901',
  };
  const step = async (token: string, query: string, variables: Record<string, unknown> = {}) => post(setup.gatewayUrl, token, query, variables);
  await step(ownerToken, 'mutation($input: CreatePolicyInput!) { createPolicyDraft(input: $input) { id } }', {
    input: { id, department: department.code, level: 'CITY', cityShareBp: 5000, countyShareBp: 5000, mode: 'NO_APPLICATION', guide },
  });
  await step(ownerToken, `mutation { submitPolicyForConsultation(id: "${id}") { id } }`);
  for (const signer of [{ role: 'DEPARTMENT_REVIEWER', department: `${region}-NDRC`, region }, { role: 'FINANCE', region }, { role: 'APPROVAL_BUREAU', region }]) {
    await step(await setup.token(signer), `mutation { signOffPolicy(id: "${id}", decision: APPROVED) { id } }`);
  }
  await step(ownerToken, `mutation { publishPolicy(id: "${id}") { id status } }`);
  return { policy: { id, region, level: 'CITY', mode: 'NO_APPLICATION', created: true }, note };
}

type ScreeningPage = {
  enterprisePopulation: {
    size: number;
    screening: {
      id: string;
      screened: number;
      eligibleCount: number;
      unknownCount: number;
      totalAmountFen: string;
      digest: string;
      entries: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: { creditCode: string }[] };
    };
  };
};

/** Runs the phase; a failed request is counted and reported (the bench then exits 1), never thrown past here. */
export async function runScreening(setup: ScreeningSetup): Promise<ScreeningReport> {
  // A city official who may read every source (SOURCE_READERS) and screen (the policies subgraph's SCREENERS).
  const caller: Claims = { role: 'APPROVAL_BUREAU', region: SCREENING_REGION };
  const report: ScreeningReport = {
    enterprises: setup.enterprises,
    region: SCREENING_REGION,
    caller,
    policy: { id: '', region: '', level: '', mode: '', created: false },
    size: 0,
    screened: 0,
    eligibleCount: 0,
    unknownCount: 0,
    totalAmountFen: '0',
    digest: '',
    pages: 0,
    runs: [],
    baseline: [],
    medianSeconds: NaN,
    baselineMedianSeconds: NaN,
    ratio: NaN,
    firstPageRatio: NaN,
    targetSeconds: SCREENING_TARGET_SECONDS,
    failed: 0,
    problems: [],
  };
  const failed = (what: string, error: unknown) => {
    report.failed++;
    report.problems.push(`${what}: ${(error as Error).message}`);
    setup.say(`  FAILED ${what}: ${(error as Error).message.slice(0, 300)}`);
  };
  try {
    const { policy, note } = await cityPolicy(setup);
    report.policy = policy;
    if (note) report.note = note;
  } catch (error) {
    failed('setting up the policy', error);
    return report;
  }
  const token = await setup.token(caller);
  const whiteList = async () => {
    const started = performance.now();
    let after: string | null = null;
    let pages = 0;
    let entries = 0;
    let firstPageSeconds = NaN;
    const codes = new Set<string>();
    // One screening (its first page with it), then the kept screening's pages by id.
    const first: { data: ScreeningPage; seconds: number } = await post<ScreeningPage>(setup.gatewayUrl, token, SCREENING, { region: SCREENING_REGION, policy: report.policy.id, after: null });
    firstPageSeconds = first.seconds;
    const { enterprisePopulation: population } = first.data;
    const screening = population.screening;
    Object.assign(report, {
      size: population.size,
      screened: screening.screened,
      eligibleCount: screening.eligibleCount,
      unknownCount: screening.unknownCount,
      totalAmountFen: String(screening.totalAmountFen),
      digest: screening.digest,
    });
    let page = screening.entries;
    for (;;) {
      pages++;
      for (const node of page.nodes) codes.add(node.creditCode);
      entries += page.nodes.length;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
      const next: { data: { policyScreening: { entries: ScreeningPage['enterprisePopulation']['screening']['entries'] } }; seconds: number } = await post(setup.gatewayUrl, token, SCREENING_PAGE, { id: screening.id, after });
      page = next.data.policyScreening.entries;
    }
    // The pages together are the white list: every entry once, as many as the screening counted.
    if (entries !== report.eligibleCount || codes.size !== entries) throw new GraphError(`the pages held ${entries} entries (${codes.size} distinct), the screening counted ${report.eligibleCount}`);
    return { seconds: (performance.now() - started) / 1000, firstPageSeconds, pages, entries };
  };
  type Tables = { _entities: Record<string, unknown>[] };
  const baseline = async () => {
    const started = performance.now();
    const key = { __typename: 'EnterprisePopulation', regionCode: SCREENING_REGION };
    const registry = await answer<Tables>(() => setup.direct('enterprises', caller, REGISTRY_TABLES, { r: [key] }));
    const members = registry.data._entities[0]?.members;
    if (!members) throw new GraphError('enterprises answered no members');
    const sources = await Promise.all(SOURCES.map((table) => answer<Tables>(() => setup.direct(table, caller, SOURCE_TABLE(table), { r: [{ ...key, members }] }))));
    return { seconds: (performance.now() - started) / 1000, bytes: registry.bytes + sources.reduce((n, x) => n + x.bytes, 0) };
  };
  // One unmeasured white list first: the freshly seeded subgraphs are still checkpointing their
  // SQLite files and their code is cold (the first runs measured up to twice the steady state).
  try {
    setup.say('  warm-up: one white list, not measured…');
    await whiteList();
    await baseline();
  } catch (error) {
    failed('warm-up', error);
    return report;
  }
  for (let i = 1; i <= setup.repetitions; i++) {
    // Alternated, so neither always runs on a warmer machine.
    try {
      const base = await baseline();
      report.baseline.push(base);
      setup.say(`  [${i}/${setup.repetitions}] baseline, the population's tables from their owners: ${base.seconds.toFixed(2)} s, ${(base.bytes / 2 ** 20).toFixed(1)} MiB`);
    } catch (error) {
      failed(`baseline ${i}`, error);
    }
    try {
      const run = await whiteList();
      report.runs.push(run);
      report.pages = run.pages;
      setup.say(`  [${i}/${setup.repetitions}] white list of ${report.policy.id}: ${run.entries} entries in ${run.pages} pages, ${run.seconds.toFixed(2)} s (first page ${run.firstPageSeconds.toFixed(2)} s)`);
    } catch (error) {
      failed(`white list ${i}`, error);
    }
  }
  if (report.runs.length) report.medianSeconds = median(report.runs.map((r) => r.seconds));
  if (report.baseline.length) report.baselineMedianSeconds = median(report.baseline.map((b) => b.seconds));
  report.ratio = report.medianSeconds / report.baselineMedianSeconds;
  if (report.runs.length) report.firstPageRatio = median(report.runs.map((r) => r.firstPageSeconds)) / report.baselineMedianSeconds;
  return report;
}

const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** The phase's lines of the text report. */
export function renderScreening(r: ScreeningReport, subgraphTimeoutMs: number): string[] {
  const lines = [
    `screening: ${r.policy.id || '(no policy)'} (${r.policy.level} ${r.policy.mode}, region ${r.policy.region}${r.policy.created ? ', made for the bench through the API' : ''}) over enterprisePopulation(regionCode: "${r.region}"), caller ${r.caller.role} ${r.caller.region}, ${r.enterprises} demo enterprises, gateway SUBGRAPH_TIMEOUT_MS=${subgraphTimeoutMs}`,
  ];
  if (r.note) lines.push(`  note: ${r.note}`);
  lines.push(
    `  population ${r.size}, screened ${r.screened}, ELIGIBLE ${r.eligibleCount} (${r.pages} pages of ${PAGE}), UNKNOWN ${r.unknownCount}, total ${r.totalAmountFen} fen, digest ${r.digest.slice(0, 16)}…`,
    `  whole white list: median ${fmt(r.medianSeconds)} s over ${r.runs.length} (${r.runs.map((x) => fmt(x.seconds)).join(', ')}); one page (one screening): ${fmt(median(r.runs.map((x) => x.firstPageSeconds)))} s`,
    `  baseline, the same tables fetched from their owners (enterprises, then tax, statistics, credit at once), unevaluated: median ${fmt(r.baselineMedianSeconds)} s (${r.baseline.map((x) => fmt(x.seconds)).join(', ')}), ${r.baseline.length ? fmt(r.baseline[0].bytes / 2 ** 20, 1) : 'n/a'} MiB`,
    `  ratio screening ÷ baseline: ${fmt(r.ratio)} (whole white list), ${fmt(r.firstPageRatio)} (one page)`,
    `  target: the whole white list under ${r.targetSeconds} s through the gateway — ${Number.isFinite(r.medianSeconds) ? (r.medianSeconds < r.targetSeconds ? 'met' : 'NOT met') : 'not measured'}`,
  );
  if (r.failed) lines.push(`  FAILED: ${r.failed} — ${r.problems.join(' | ').slice(0, 1000)}`);
  return lines;
}
