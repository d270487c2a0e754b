import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { signDevToken } from '../gateway/auth';
import { loadConfig } from '../platform/config';
import { createIdentitySigner, IDENTITY_HEADER, type Identity } from '../platform/identity';
import { DEFAULT_DEMO_ENTERPRISES } from '../demo/population';
import { subgraphs } from '../subgraphs/registry';
// After the registry (whose kit modules load reflect-metadata, which type-graphql's decorators of the stub need).
import { REQUIRED_FIELDS } from '../subgraphs/policies/matching/enterprise.stub';
import type { LoadResult, LoadSpec } from './loader';
import { freePort, sampleProcess, startNode, waitReady, type Child } from './processes';
import { renderScreening, runScreening, type ScreeningReport } from './screening';
import { DEPARTMENT as APPLICATIONS_DEPARTMENT, REGION as APPLICATIONS_REGION, renderApplications, runApplications, type ApplicationsReport } from './applications';
import { runPayments } from './payments';

/**
 * `npm run bench [-- --peers] [-- --rounds 3] [-- --duration 5] [-- --connections 10,50] [-- --skip screening] [-- --applications 200] [-- --only applications] [-- --json]`
 *
 * Starts every subgraph (`node dist/main.js <name>`, SQLite with the demo data in a temporary
 * DATA_DIR) and the gateways as processes of their own: ours (`node dist/main.js gateway`) and,
 * with --peers, a bare stock @apollo/gateway and Hive Gateway (bench/peers/). Then, in interleaved
 * rounds, loads each workload against each target from a separate load-generator process
 * (bench/loader.ts, autocannon), the direct subgraph calls included (the limit). Reports medians
 * of requests/s, p50/p99, errors, each gateway's CPU per request and RSS (from /proc) and the
 * ratios, and each workload against its baseline (the policy calculator against the same indicator
 * fetch). Then the screening phase (bench/screening.ts): a city's white list over 100,000
 * enterprises beside the population tables moved unevaluated. Then the applications phase
 * (bench/applications.ts): submit → dispatched → decided through a one-process graph. Exits 1 if
 * any request failed or answered GraphQL errors. See docs/benchmarks.md.
 */

// ---------------------------------------------------------------------------------------------
// Workloads. The extension point: later work appends to `workloads`.
// ---------------------------------------------------------------------------------------------

export interface GraphqlRequest {
  query: string;
  variables?: Record<string, unknown>;
}

/** One call to a subgraph, as the gateway would make it for (part of) a workload. */
export interface DirectCall {
  /** A name from subgraphs/registry.ts. */
  subgraph: string;
  request: GraphqlRequest;
}

/** Data found in the running graph before loading it, that workloads may refer to. */
export interface Fixture {
  /** A demo enterprise the bench caller may read, with a tax profile when one exists. */
  creditCode: string;
  /** The credit codes `taxpayers(first: 100)` answers the bench caller, in order. */
  taxpayerCreditCodes: string[];
  /** Up to 1,000 enterprises the bench caller may audit (fewer with a smaller --enterprises). */
  auditCreditCodes: string[];
}

export interface Workload {
  name: string;
  /** What a client sends a gateway (ours and every peer get the very same request). */
  gateway(fixture: Fixture): GraphqlRequest;
  /**
   * The same work asked of the owning subgraph(s) directly. One call: compared as is. Several
   * calls (a federated query): each is loaded on its own and the "direct" figure is their sum
   * (time per request added up, so requests/s = 1 / Σ(1/rps)); an estimate, labelled as such.
   * Omitted: the workload is measured through the gateways only.
   */
  direct?(fixture: Fixture): DirectCall[];
  /**
   * At most this many concurrent requests, whatever `--connections` says: for a batch job (the
   * joint audit of a screening's 1,000 enterprises) that is not interactive traffic.
   */
  maxConnections?: number;
  /**
   * The workload this one is compared with, measured in the same rounds (e.g. the policy
   * calculator against the same indicator fetch without it): the ratios table shows p50, p99 and
   * requests/s of this one ÷ the baseline's.
   */
  baseline?: string;
  /** A phase `--skip` can leave out (`joint-audit`, `calculator`); unset: always loaded. */
  phase?: Phase;
}

/** Parts of the bench `--skip` can leave out: the joint audit's workload, the calculator's two, the screening phase, the applications phase, the payments after it. */
const PHASES = ['joint-audit', 'calculator', 'screening', 'applications', 'payments'] as const;
type Phase = (typeof PHASES)[number];

const ENTERPRISE_FIELDS = `creditCode name scale tags registeredOn
    legalRepresentative { name masked }
    region { name }
    industry { name }`;

const ENTERPRISE_PAGE = `query EnterprisePage($cc: CreditCode!) {
  enterprise(creditCode: $cc) {
    ${ENTERPRISE_FIELDS}
  }
}`;

const ENTERPRISE_PAGE_WITH_TAX = `query EnterprisePageWithTax($cc: CreditCode!) {
  enterprise(creditCode: $cc) {
    ${ENTERPRISE_FIELDS}
    tax { creditRating arrearsFen }
  }
}`;

const LIST_100 = `query EnterpriseList100 {
  enterprises(first: 100) {
    totalCount
    nodes { creditCode name scale industryCode regionCode }
    pageInfo { endCursor }
  }
}`;

const TAXPAYERS_100 = `query Taxpayers100 {
  taxpayers(first: 100) {
    totalCount
    nodes { creditCode creditRating arrearsFen enterprise { name scale industryCode regionCode } }
    pageInfo { endCursor }
  }
}`;

/** What the gateway asks the tax subgraph for TAXPAYERS_100: the enterprise as its key only. */
const TAXPAYERS_100_TAX_PART = `query Taxpayers100 {
  taxpayers(first: 100) {
    totalCount
    nodes { creditCode creditRating arrearsFen enterprise { __typename creditCode } }
    pageInfo { endCursor }
  }
}`;

/** What the gateway sends the tax subgraph for `enterprise { tax { ... } }` (the entity fetch). */
const TAX_ENTITY = `query TaxOfEnterprise($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Enterprise { tax { creditRating arrearsFen } }
  }
}`;

/** What the gateway sends the enterprises subgraph for the enterprises of TAXPAYERS_100. */
const ENTERPRISE_ENTITIES = `query EnterprisesOfTaxpayers($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Enterprise { name scale industryCode regionCode }
  }
}`;

/** A screening's joint audit: every source's findings (@requires) and the verdict, for 1,000 enterprises at once. */
const JOINT_AUDIT_1000 = `query JointAudit1000($codes: [CreditCode!]!) {
  enterprisesByCreditCodes(creditCodes: $codes) {
    creditCode
    jointAudit(policyCode: "BENCH-1") { verdict reasons }
  }
}`;

/**
 * The policy calculator's baseline: exactly the indicator fields its `@requires` fetches
 * (REQUIRED_FIELDS, built from the INDICATORS registry), asked without the calculator.
 */
const INDICATOR_FETCH = `query EnterpriseIndicators($cc: CreditCode!) {
  enterprise(creditCode: $cc) { ${REQUIRED_FIELDS} }
}`;

/** The policy calculator for one enterprise over every published policy of the catalog. */
const CALCULATOR = `query PolicyCalculator($cc: CreditCode!) {
  enterprise(creditCode: $cc) {
    eligiblePolicies(includeNearly: true) {
      policy { id title mode }
      version outcome estimatedAmountFen amountText unmetConditions unknownConditions explanation evaluatedOn
    }
  }
}`;

const representations = (codes: string[]) => codes.map((creditCode) => ({ __typename: 'Enterprise', creditCode }));

export const workloads: Workload[] = [
  {
    name: 'enterprise page',
    gateway: (f) => ({ query: ENTERPRISE_PAGE, variables: { cc: f.creditCode } }),
    direct: (f) => [{ subgraph: 'enterprises', request: { query: ENTERPRISE_PAGE, variables: { cc: f.creditCode } } }],
  },
  {
    name: '100-row list',
    gateway: () => ({ query: LIST_100 }),
    direct: () => [{ subgraph: 'enterprises', request: { query: LIST_100 } }],
  },
  {
    name: 'enterprise + tax (2 subgraphs)',
    gateway: (f) => ({ query: ENTERPRISE_PAGE_WITH_TAX, variables: { cc: f.creditCode } }),
    direct: (f) => [
      { subgraph: 'enterprises', request: { query: ENTERPRISE_PAGE, variables: { cc: f.creditCode } } },
      { subgraph: 'tax', request: { query: TAX_ENTITY, variables: { representations: representations([f.creditCode]) } } },
    ],
  },
  {
    name: 'taxpayers(first: 100) + enterprise',
    gateway: () => ({ query: TAXPAYERS_100 }),
    direct: (f) => [
      { subgraph: 'tax', request: { query: TAXPAYERS_100_TAX_PART } },
      { subgraph: 'enterprises', request: { query: ENTERPRISE_ENTITIES, variables: { representations: representations(f.taxpayerCreditCodes) } } },
    ],
  },
  {
    // No direct figure: the work is the federation itself (every source's batched _entities, then
    // the joint audit's @requires fetch with 1,000 representations).
    name: 'joint audit of 1,000 enterprises',
    gateway: (f) => ({ query: JOINT_AUDIT_1000, variables: { codes: f.auditCreditCodes } }),
    // One screening at a time: each keeps every source and the gateway busy for a second or so.
    maxConnections: 1,
    phase: 'joint-audit',
  },
  {
    // The baseline of the calculator: enterprises, tax, statistics and credit, one fetch each.
    name: 'indicators of one enterprise',
    gateway: (f) => ({ query: INDICATOR_FETCH, variables: { cc: f.creditCode } }),
    phase: 'calculator',
  },
  {
    // The same fetch (as @requires), then every published policy evaluated in the policies subgraph.
    name: 'policy calculator (eligiblePolicies)',
    gateway: (f) => ({ query: CALCULATOR, variables: { cc: f.creditCode } }),
    baseline: 'indicators of one enterprise',
    phase: 'calculator',
  },
];

// ---------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------

/** The bench caller: an approval-bureau official of 兴国县, where the demo enterprises are. */
const CALLER = { role: 'APPROVAL_BUREAU', region: '360732' } as const;
const CALLER_IDENTITY: Identity = { role: CALLER.role, region: CALLER.region, subject: 'dev-approval_bureau' };

const GATEWAYS = ['ours', 'stock', 'hive'] as const;
const TARGETS = [...GATEWAYS, 'direct'] as const;
type GatewayName = (typeof GATEWAYS)[number];
type TargetName = (typeof TARGETS)[number];
const TARGET_LABELS: Record<TargetName, string> = {
  ours: 'ours',
  stock: 'stock @apollo/gateway',
  hive: 'Hive Gateway',
  direct: 'direct',
};

/** The screening phase screens a city's population: the demo's 100,000 across 360732, 360731 and 360700. */
const SCREENING_ENTERPRISES = 100_000;

/** A direct call's identity header lives 60 s (platform/identity.ts) and is minted once per run, so runs stay shorter. */
const MAX_DURATION_S = 50;
const MAX_CONNECTIONS = 200;
const MAX_WARMUP_S = 10;

interface Settings {
  targets: TargetName[];
  rounds: number;
  duration: number;
  /** One full set of rounds per level. */
  connections: number[];
  warmup: number;
  /** Demo population size; 100,000 shows how lists and lookups hold up at city scale. */
  enterprises: number;
  logLevel: string;
  json: boolean;
  /** Phases left out (`--skip`). */
  skip: Phase[];
  /** The screening phase's own population (a graph of its own when it differs from `enterprises`). */
  screeningEnterprises: number;
  /** Whole white lists read, one after the other (and as many baseline fetches). */
  screeningRepetitions: number;
  /** The applications phase: cases submitted, decided and audited … */
  applications: number;
  /** … with this many requests in flight. */
  applicationsConcurrency: number;
  /** `--only applications`: the applications phase alone (no loads, no screening). */
  onlyApplications: boolean;
}

class UsageError extends Error {}

const USAGE = `usage: npm run bench -- [options]
  --peers                 also load a stock @apollo/gateway and Hive Gateway (same as --targets ours,stock,hive,direct)
  --targets LIST          comma-separated, of ${TARGETS.join(', ')} (default ours,direct)
  --rounds N              interleaved rounds, medians reported (1-20, default 3)
  --duration SECONDS      measured load per target, workload and round (1-${MAX_DURATION_S}, default 5)
  --warmup SECONDS        unmeasured load before each measured one (0-${MAX_WARMUP_S}, default 1)
  --connections LIST      concurrent connections, e.g. 10 or 10,50 (1-${MAX_CONNECTIONS}, default 10)
  --enterprises N         demo enterprises (100-200000, default ${DEFAULT_DEMO_ENTERPRISES})
  --log-level LEVEL       LOG_LEVEL of our gateway and the subgraphs (default warn: no line per request)
  --skip LIST             leave out phases: ${PHASES.join(', ')} (default: run all)
  --screening-enterprises N   the screening phase's population (1000-200000, default ${SCREENING_ENTERPRISES})
  --screening-repetitions N   whole white lists read, beside as many baseline fetches (1-10, default 3)
  --applications N        the applications phase: cases submitted → dispatched → decided (10-5000, default 200; fewer if the county has fewer enterprises)
  --applications-concurrency N   its requests in flight (1-100, default 10)
  --only applications     the applications phase alone (a small check: --only applications --applications 20 --enterprises 400)
  --json                  one JSON document on stdout instead of the tables`;

function parseSettings(argv: string[]): Settings {
  const { values } = parseArgs({
    args: argv,
    options: {
      peers: { type: 'boolean', default: false },
      targets: { type: 'string' },
      rounds: { type: 'string', default: '3' },
      duration: { type: 'string', default: '5' },
      connections: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '1' },
      enterprises: { type: 'string', default: String(DEFAULT_DEMO_ENTERPRISES) },
      'log-level': { type: 'string', default: 'warn' },
      skip: { type: 'string', default: '' },
      'screening-enterprises': { type: 'string', default: String(SCREENING_ENTERPRISES) },
      'screening-repetitions': { type: 'string', default: '3' },
      applications: { type: 'string', default: '200' },
      'applications-concurrency': { type: 'string', default: '10' },
      only: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) throw new UsageError('');
  const int = (name: string, raw: string, min: number, max: number) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${raw}"`);
    return n;
  };
  const list = (raw: string) => raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (values.peers && values.targets) throw new UsageError('--peers and --targets: give one of them');
  const targets = values.targets ? list(values.targets) : values.peers ? [...TARGETS] : ['ours', 'direct'];
  const unknown = targets.filter((t) => !(TARGETS as readonly string[]).includes(t));
  if (unknown.length || !targets.length) throw new UsageError(`--targets: unknown "${unknown.join(',')}"; use ${TARGETS.join(', ')}`);
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(values['log-level']!)) throw new UsageError('--log-level: debug, info, warn, error or silent');
  const skip = list(values.skip!);
  const unknownPhase = skip.filter((p) => !(PHASES as readonly string[]).includes(p));
  if (unknownPhase.length) throw new UsageError(`--skip: unknown "${unknownPhase.join(',')}"; use ${PHASES.join(', ')}`);
  if (values.only !== undefined && values.only !== 'applications') throw new UsageError(`--only: only "applications" can run alone, got "${values.only}"`);
  if (values.only && skip.includes('applications')) throw new UsageError('--only applications and --skip applications: give one of them');
  return {
    // Kept in TARGETS order, so tables read the same whatever order they were given in.
    targets: TARGETS.filter((t) => targets.includes(t)),
    rounds: int('rounds', values.rounds!, 1, 20),
    duration: int('duration', values.duration!, 1, MAX_DURATION_S),
    connections: [...new Set(list(values.connections!).map((c) => int('connections', c, 1, MAX_CONNECTIONS)))],
    warmup: int('warmup', values.warmup!, 0, MAX_WARMUP_S),
    enterprises: int('enterprises', values.enterprises!, 100, 200_000),
    logLevel: values['log-level']!,
    json: values.json!,
    skip: PHASES.filter((p) => skip.includes(p)),
    screeningEnterprises: int('screening-enterprises', values['screening-enterprises']!, 1000, 200_000),
    screeningRepetitions: int('screening-repetitions', values['screening-repetitions']!, 1, 10),
    applications: int('applications', values.applications!, 10, 5000),
    applicationsConcurrency: int('applications-concurrency', values['applications-concurrency']!, 1, 100),
    onlyApplications: values.only === 'applications',
  };
}

/** The repository: dist/bench/gateway.js is two levels below it (bench/ one, under ts-node). */
function repoRoot(): string {
  for (const root of [join(__dirname, '..', '..'), join(__dirname, '..')]) {
    if (existsSync(join(root, 'schema', 'supergraph.graphql')) && existsSync(join(root, 'bench', 'peers', 'package.json'))) return root;
  }
  throw new Error(`the repository (schema/supergraph.graphql, bench/peers/) not found above ${__dirname}`);
}

/** Compiled entry points: the bench always runs built code (`npm run bench` builds first). */
const DIST = join(__dirname, '..');

// ---------------------------------------------------------------------------------------------
// The processes
// ---------------------------------------------------------------------------------------------

interface Keys {
  gatewayPrivateKey: string;
  gatewayPublicKey: string;
  jwtSecret: string;
}

/** Fresh keys for this run, handed to every process that needs them: nothing under data/ is read or written. */
function makeKeys(): Keys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    gatewayPrivateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    gatewayPublicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    jwtSecret: randomBytes(32).toString('base64url'),
  };
}

interface RunningGateway {
  name: GatewayName;
  url: string;
  child: Child;
  version: string;
}

const ok = (url: string, init?: RequestInit) => fetch(url, { ...init, signal: AbortSignal.timeout(2000) }).then((r) => r.status === 200);
const typenameProbe = (url: string) => () =>
  ok(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });

function packageVersion(packageJson: string): string {
  try {
    return (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** bench/peers/ is installed on first use, from its own lock file; never by the project's `npm ci`. */
async function ensurePeersInstalled(peersDir: string, say: (line: string) => void): Promise<void> {
  if (existsSync(join(peersDir, 'node_modules', '@graphql-hive', 'gateway', 'package.json'))) return;
  say(`installing the peer gateways into ${peersDir} (npm ci, once)…`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  // Its output goes to stderr: stdout is the results (--json).
  const child = spawn(npm, ['ci', '--no-audit', '--no-fund', '--prefix', peersDir], { stdio: ['ignore', process.stderr, process.stderr] });
  const code = await new Promise<number | null>((resolve, reject) => child.once('error', reject).once('exit', resolve));
  if (code !== 0) throw new Error(`npm ci in ${peersDir} failed (exit ${code})`);
}

// ---------------------------------------------------------------------------------------------
// Measuring
// ---------------------------------------------------------------------------------------------

interface Target {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * One request first: the workload must answer 200 with data and no GraphQL errors before it is
 * loaded. A second chance for a process's very first request of a kind (cold JIT and page cache
 * can push a bulk request past a deadline); the second must be clean.
 */
async function check(label: string, target: Target): Promise<string | undefined> {
  return (await checkOnce(label, target)) && checkOnce(label, target);
}

async function checkOnce(label: string, target: Target): Promise<string | undefined> {
  const response = await fetch(target.url, { method: 'POST', headers: target.headers, body: target.body });
  const text = await response.text();
  let body: { data?: unknown; errors?: unknown[] } | undefined;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (response.status !== 200 || !body || body.errors || !body.data || Object.values(body.data).some((v) => v === null)) {
    return `${label}: HTTP ${response.status} ${text.slice(0, 500)}`;
  }
  return undefined;
}

/** Runs the load generator as a child process and returns what it measured. */
function runLoader(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [join(DIST, 'bench', 'loader.js'), JSON.stringify(spec)],
      { timeout: (spec.seconds + 60) * 1000, maxBuffer: 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`load generator failed: ${error.message}\n${stderr}`));
        try {
          resolve(JSON.parse(stdout) as LoadResult);
        } catch {
          reject(new Error(`load generator printed no result: ${stdout}\n${stderr}`));
        }
      },
    );
  });
}

/** One measured load, with the CPU each process spent on it and the gateway's RSS afterwards. */
interface Measurement extends LoadResult {
  /** CPU of the gateway process per request, ms (undefined for direct calls). */
  gatewayCpuMs?: number;
  /** CPU of all subgraph processes together per request, ms. */
  subgraphCpuMs: number;
  /** GraphQL requests the subgraphs served per request: below the plan's count when a gateway deduplicates. */
  subgraphCalls: number;
  gatewayRssBytes?: number;
}

interface SubgraphProcess {
  child: Child;
  /** Its /metrics, which counts the GraphQL requests it served. */
  metricsUrl: string;
}

interface Sampled {
  gateway?: Child;
  subgraphs: SubgraphProcess[];
}

const cpuOf = (children: Child[]) => children.reduce((sum, c) => sum + (sampleProcess(c.pid)?.cpuMs ?? NaN), 0);

/** GraphQL requests the subgraphs have served so far (qinqing_graphql_requests_total); NaN if unreadable. */
async function subgraphRequests(subgraphs: SubgraphProcess[]): Promise<number> {
  let total = 0;
  for (const { metricsUrl } of subgraphs) {
    const text = await fetch(metricsUrl, { signal: AbortSignal.timeout(2000) })
      .then((r) => (r.ok ? r.text() : ''))
      .catch(() => '');
    const values = [...text.matchAll(/^qinqing_graphql_requests_total(?:\{[^}]*\})? (\S+)$/gm)].map((m) => Number(m[1]));
    if (!values.length) return NaN;
    total += values.reduce((a, b) => a + b, 0);
  }
  return total;
}

async function measure(spec: LoadSpec, processes: Sampled): Promise<Measurement> {
  const subgraphChildren = processes.subgraphs.map((s) => s.child);
  const callsBefore = await subgraphRequests(processes.subgraphs);
  const gatewayBefore = processes.gateway ? cpuOf([processes.gateway]) : NaN;
  const subgraphsBefore = cpuOf(subgraphChildren);
  const result = await runLoader(spec);
  const gatewayAfter = processes.gateway ? sampleProcess(processes.gateway.pid) : undefined;
  const subgraphsAfter = cpuOf(subgraphChildren);
  const callsAfter = await subgraphRequests(processes.subgraphs);
  // Per request sent: the servers also worked on those still in flight when the load stopped.
  const perRequest = (n: number) => (result.sent ? n / result.sent : NaN);
  return {
    ...result,
    gatewayCpuMs: gatewayAfter ? perRequest(gatewayAfter.cpuMs - gatewayBefore) : undefined,
    subgraphCpuMs: perRequest(subgraphsAfter - subgraphsBefore),
    subgraphCalls: perRequest(callsAfter - callsBefore),
    gatewayRssBytes: gatewayAfter?.rssBytes,
  };
}

/** One target's figures for one workload and round; a direct row of several calls is their sum. */
interface RoundResult extends Omit<Measurement, 'sent' | 'seconds'> {
  connections: number;
  round: number;
  workload: string;
  target: TargetName;
  /** For a summed direct row: each call's own figures. */
  parts?: (Measurement & { subgraph: string })[];
}

function sumParts(parts: (Measurement & { subgraph: string })[]): Omit<RoundResult, 'connections' | 'round' | 'workload' | 'target'> {
  if (parts.length === 1) {
    const [p] = parts;
    return { requests: p.requests, rps: p.rps, p50: p.p50, p99: p.p99, errors: p.errors, non2xx: p.non2xx, graphqlErrors: p.graphqlErrors, subgraphCpuMs: p.subgraphCpuMs, subgraphCalls: p.subgraphCalls };
  }
  const sum = (f: (p: Measurement) => number) => parts.reduce((s, p) => s + f(p), 0);
  return {
    requests: Math.min(...parts.map((p) => p.requests)),
    rps: 1 / sum((p) => 1 / p.rps),
    p50: sum((p) => p.p50),
    p99: sum((p) => p.p99),
    errors: sum((p) => p.errors),
    non2xx: sum((p) => p.non2xx),
    graphqlErrors: sum((p) => p.graphqlErrors),
    subgraphCpuMs: sum((p) => p.subgraphCpuMs),
    subgraphCalls: sum((p) => p.subgraphCalls),
    parts,
  };
}

// ---------------------------------------------------------------------------------------------
// Summaries
// ---------------------------------------------------------------------------------------------

function median(values: number[]): number {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!v.length) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

interface Summary {
  connections: number;
  workload: string;
  target: TargetName;
  rounds: number;
  /** Medians over the rounds. */
  rps: number;
  p50: number;
  p99: number;
  gatewayCpuMs: number;
  subgraphCpuMs: number;
  subgraphCalls: number;
  /** Totals over the rounds. */
  requests: number;
  failed: number;
  non2xx: number;
  /** The gateway's largest RSS seen after a load of this workload. */
  gatewayRssBytes: number;
  /** Smallest and largest requests/s of the rounds: the scatter. */
  rpsRange: [number, number];
}

function summarize(results: RoundResult[]): Summary[] {
  const groups = new Map<string, RoundResult[]>();
  for (const r of results) {
    const key = `${r.connections}\u0000${r.workload}\u0000${r.target}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((rs) => ({
    connections: rs[0].connections,
    workload: rs[0].workload,
    target: rs[0].target,
    rounds: rs.length,
    rps: median(rs.map((r) => r.rps)),
    p50: median(rs.map((r) => r.p50)),
    p99: median(rs.map((r) => r.p99)),
    gatewayCpuMs: median(rs.map((r) => r.gatewayCpuMs ?? NaN)),
    subgraphCpuMs: median(rs.map((r) => r.subgraphCpuMs)),
    subgraphCalls: median(rs.map((r) => r.subgraphCalls)),
    requests: rs.reduce((s, r) => s + r.requests, 0),
    failed: rs.reduce((s, r) => s + r.errors + r.graphqlErrors, 0),
    non2xx: rs.reduce((s, r) => s + r.non2xx, 0),
    gatewayRssBytes: Math.max(...rs.map((r) => r.gatewayRssBytes ?? NaN).filter(Number.isFinite)),
    rpsRange: [Math.min(...rs.map((r) => r.rps)), Math.max(...rs.map((r) => r.rps))],
  }));
}

interface Ratios {
  connections: number;
  workload: string;
  /** Our requests/s ÷ theirs: above 1 we serve more. Undefined when that target was not run. */
  oursPerStock?: number;
  oursPerHive?: number;
  oursPerDirect?: number;
  /** Our p50 ÷ the direct call's: 1 adds no latency. */
  p50OursPerDirect?: number;
}

function ratios(summaries: Summary[]): Ratios[] {
  const out: Ratios[] = [];
  for (const ours of summaries.filter((s) => s.target === 'ours')) {
    const other = (t: TargetName) => summaries.find((s) => s.connections === ours.connections && s.workload === ours.workload && s.target === t);
    const per = (t: TargetName) => (other(t) ? ours.rps / other(t)!.rps : undefined);
    out.push({
      connections: ours.connections,
      workload: ours.workload,
      oursPerStock: per('stock'),
      oursPerHive: per('hive'),
      oursPerDirect: per('direct'),
      p50OursPerDirect: other('direct') ? ours.p50 / other('direct')!.p50 : undefined,
    });
  }
  return out;
}

/** A workload against its baseline (Workload.baseline), same target and connections: this ÷ baseline. */
interface BaselineRatio {
  connections: number;
  target: TargetName;
  workload: string;
  baseline: string;
  p50: number;
  p99: number;
  rps: number;
}

function baselineRatios(summaries: Summary[], list: Workload[]): BaselineRatio[] {
  const out: BaselineRatio[] = [];
  for (const s of summaries) {
    const baseline = list.find((w) => w.name === s.workload)?.baseline;
    const b = baseline && summaries.find((x) => x.workload === baseline && x.target === s.target && x.connections === s.connections);
    if (!b) continue;
    out.push({ connections: s.connections, target: s.target, workload: s.workload, baseline: b.workload, p50: s.p50 / b.p50, p99: s.p99 / b.p99, rps: s.rps / b.rps });
  }
  return out;
}

const fmt = (n: number | undefined, digits: number) => (n !== undefined && Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const num = (n: number | undefined, digits = 3) => (n !== undefined && Number.isFinite(n) ? Math.round(n * 10 ** digits) / 10 ** digits : null);

function table(header: string[], lines: string[][], numericFrom: number): string {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const render = (cells: string[]) => cells.map((c, i) => (i >= numericFrom ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [render(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(render)].join('\n');
}

function renderResults(summaries: Summary[]): string {
  let previous = '';
  const lines = summaries.map((s) => {
    const failed = s.failed + s.non2xx;
    const row = [
      s.workload === previous ? '' : s.workload,
      s.target === 'direct' && workloads.find((w) => w.name === s.workload)?.direct?.(DUMMY_FIXTURE).length !== 1 ? 'direct Σ' : TARGET_LABELS[s.target],
      fmt(s.rps, 0),
      `${fmt(s.rpsRange[0], 0)}–${fmt(s.rpsRange[1], 0)}`,
      fmt(s.p50, 2),
      fmt(s.p99, 2),
      failed ? `${failed} (${((failed / Math.max(1, s.requests)) * 100).toFixed(1)}%)` : '0',
      fmt(s.gatewayCpuMs, 2),
      fmt(s.subgraphCpuMs, 2),
      fmt(s.subgraphCalls, 2),
      s.target === 'direct' ? 'n/a' : fmt(mib(s.gatewayRssBytes), 0),
    ];
    previous = s.workload;
    return row;
  });
  return table(['workload', 'target', 'req/s', 'range', 'p50 ms', 'p99 ms', 'failed', 'gw CPU ms/req', 'sg CPU ms/req', 'sg calls/req', 'gw RSS MiB'], lines, 2);
}

function renderBaselineRatios(rs: BaselineRatio[]): string {
  return table(
    ['workload', 'baseline', 'target', 'p50 ratio', 'p99 ratio', 'req/s ratio'],
    rs.map((r) => [r.workload, r.baseline, TARGET_LABELS[r.target], fmt(r.p50, 2), fmt(r.p99, 2), fmt(r.rps, 2)]),
    3,
  );
}

function renderRatios(rs: Ratios[]): string {
  return table(
    ['workload', 'ours/stock', 'ours/Hive', 'ours/direct', 'p50 ours/direct'],
    rs.map((r) => [r.workload, fmt(r.oursPerStock, 2), fmt(r.oursPerHive, 2), fmt(r.oursPerDirect, 2), fmt(r.p50OursPerDirect, 2)]),
    1,
  );
}

/** Only to count a workload's direct calls for a label. */
const DUMMY_FIXTURE: Fixture = { creditCode: '', taxpayerCreditCodes: [], auditCreditCodes: [] };

// ---------------------------------------------------------------------------------------------
// Starting the graph
// ---------------------------------------------------------------------------------------------

interface StartedSubgraphs {
  subgraphUrls: Record<string, string>;
  subgraphProcesses: SubgraphProcess[];
  /** The committed supergraph with its `@join__graph` URLs routed to these processes. */
  supergraphPath: string;
}

/**
 * Every subgraph as a process of its own, on a port of its own, over SQLite files in `dataDir`,
 * seeded with `enterprises` demo enterprises; and the supergraph every gateway then reads.
 */
async function startSubgraphs(run: {
  settings: Settings;
  enterprises: number;
  dataDir: string;
  keys: Keys;
  root: string;
  children: Child[];
  say: (line: string) => void;
}): Promise<StartedSubgraphs> {
  const { settings, enterprises, dataDir, keys, root, children, say } = run;
  mkdirSync(dataDir, { recursive: true });
  const readyTimeoutMs = readyTimeout(enterprises);
  say(`starting ${subgraphs.length} subgraph processes (${enterprises} demo enterprises, SQLite in ${dataDir})…`);
  const subgraphUrls: Record<string, string> = {};
  const subgraphProcesses: SubgraphProcess[] = [];
  await Promise.all(
    subgraphs.map(async ({ name }) => {
      const port = await freePort();
      const child = startNode(`subgraph ${name}`, [join(DIST, 'main.js'), name], {
        NODE_ENV: 'development',
        LOG_LEVEL: settings.logLevel,
        HOST: '127.0.0.1',
        PORT: String(port),
        DATA_DIR: dataDir,
        DEMO_DATA: 'true',
        DEMO_ENTERPRISES: String(enterprises),
        GATEWAY_PUBLIC_KEY: keys.gatewayPublicKey,
      });
      children.push(child);
      subgraphProcesses.push({ child, metricsUrl: `http://127.0.0.1:${port}/metrics` });
      subgraphUrls[name] = `http://127.0.0.1:${port}/graphql`;
      await waitReady(child, () => ok(`http://127.0.0.1:${port}/ready`), readyTimeoutMs);
    }),
  );

  // 县人社局's own system (examples/department-system) is in the supergraph too, and a gateway is
  // ready only with every subgraph. No bench query reaches it, so it is not among the measured processes.
  const hrssPort = await freePort();
  const hrss = startNode('subgraph hrss (examples/department-system)', [join(DIST, 'examples', 'department-system', 'main.js')], {
    HOST: '127.0.0.1',
    PORT: String(hrssPort),
    HRSS_DATABASE: join(dataDir, 'hrss.sqlite'),
    GATEWAY_PUBLIC_KEY: keys.gatewayPublicKey,
  });
  children.push(hrss);
  subgraphUrls.hrss = `http://127.0.0.1:${hrssPort}/graphql`;
  await waitReady(hrss, () => ok(`http://127.0.0.1:${hrssPort}/ready`), readyTimeoutMs);

  // Every gateway reads the same supergraph: the committed one, routed to these subgraph processes.
  const supergraphPath = join(dataDir, 'supergraph.graphql');
  writeFileSync(
    supergraphPath,
    readFileSync(join(root, 'schema', 'supergraph.graphql'), 'utf8').replace(
      /(@join__graph\(name: "([^"]+)", url: ")[^"]*("\))/g,
      (whole, head: string, name: string, tail: string) => (subgraphUrls[name] ? `${head}${subgraphUrls[name]}${tail}` : whole),
    ),
  );
  return { subgraphUrls, subgraphProcesses, supergraphPath };
}

/** Seeding a large demo population takes a while before a subgraph answers /ready. */
const readyTimeout = (enterprises: number) => Math.max(120_000, enterprises * 10);

/** What every gateway process gets, ours and the peers. */
const commonGatewayEnv = (port: number, supergraphPath: string, keys: Keys): Record<string, string> => ({
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  PORT: String(port),
  SUPERGRAPH_PATH: supergraphPath,
  GATEWAY_PRIVATE_KEY: keys.gatewayPrivateKey,
});

/** What our gateway process gets besides the settings every gateway gets (commonGatewayEnv). */
function ourGatewayEnv(settings: Settings, dataDir: string, keys: Keys, subgraphUrls: Record<string, string>): Record<string, string> {
  return {
    LOG_LEVEL: settings.logLevel,
    DATA_DIR: dataDir,
    JWT_SECRET: keys.jwtSecret,
    ...Object.fromEntries(Object.entries(subgraphUrls).map(([name, url]) => [`SUBGRAPH_${name.toUpperCase().replace(/-/g, '_')}_URL`, url])),
  };
}

/**
 * The screening phase's gateway gives every subgraph this long (SUBGRAPH_TIMEOUT_MS): one
 * screening moves a whole city's indicator tables (tens of MB) through it; the default 3 s is for
 * interactive queries.
 */
const SCREENING_SUBGRAPH_TIMEOUT_MS = 120_000;

/** Our gateway for the screening phase: the usual one with SCREENING_SUBGRAPH_TIMEOUT_MS. Returns its /graphql URL. */
async function startScreeningGateway(settings: Settings, dataDir: string, keys: Keys, graph: StartedSubgraphs, children: Child[]): Promise<string> {
  const port = await freePort();
  const child = startNode('gateway ours (screening)', [join(DIST, 'main.js'), 'gateway'], {
    ...commonGatewayEnv(port, graph.supergraphPath, keys),
    ...ourGatewayEnv(settings, dataDir, keys, graph.subgraphUrls),
    SUBGRAPH_TIMEOUT_MS: String(SCREENING_SUBGRAPH_TIMEOUT_MS),
  });
  children.push(child);
  await waitReady(child, () => ok(`http://127.0.0.1:${port}/ready`), 120_000);
  return `http://127.0.0.1:${port}/graphql`;
}

/**
 * The applications phase's graph: one process (`node dist/main.js`) with every subgraph, the
 * gateway and the in-process event relays, as `npm start` runs it — the dispatch of an accepted
 * application reaches the departments subgraph's consumer only in the same process (without
 * NATS). Subgraphs on ephemeral ports; a longer subgraph deadline (the joint audit under load).
 * Returns the gateway's /graphql URL.
 */
async function startOneProcessGraph(settings: Settings, dataDir: string, keys: Keys, root: string, children: Child[]): Promise<string> {
  mkdirSync(dataDir, { recursive: true });
  const port = await freePort();
  const child = startNode('graph (one process)', [join(DIST, 'main.js')], {
    NODE_ENV: 'development',
    LOG_LEVEL: settings.logLevel,
    HOST: '127.0.0.1',
    PORT: String(port),
    SUBGRAPH_PORT_BASE: '0',
    DATA_DIR: dataDir,
    DEMO_DATA: 'true',
    DEMO_ENTERPRISES: String(settings.enterprises),
    SUPERGRAPH_PATH: join(root, 'schema', 'supergraph.graphql'),
    GATEWAY_PRIVATE_KEY: keys.gatewayPrivateKey,
    JWT_SECRET: keys.jwtSecret,
    SUBGRAPH_TIMEOUT_MS: '30000',
  });
  children.push(child);
  await waitReady(child, () => ok(`http://127.0.0.1:${port}/ready`), readyTimeout(settings.enterprises));
  return `http://127.0.0.1:${port}/graphql`;
}

/** The applications phase in a graph of its own (stopped afterwards). */
async function applicationsPhase(settings: Settings, dataDir: string, keys: Keys, root: string, say: (line: string) => void): Promise<ApplicationsReport> {
  const children: Child[] = [];
  try {
    say(`applications phase: one process with every subgraph and the gateway (${settings.enterprises} demo enterprises)…`);
    const url = await startOneProcessGraph(settings, join(dataDir, 'applications'), keys, root, children);
    const jwt = loadConfig({ NODE_ENV: 'test', JWT_SECRET: keys.jwtSecret, GATEWAY_PRIVATE_KEY: keys.gatewayPrivateKey, DATA_DIR: dataDir }, 'gateway').jwt;
    const token = (claims: Parameters<typeof signDevToken>[1]) => signDevToken(jwt, claims);
    const report = await runApplications({ gatewayUrl: url, token, say, cases: settings.applications, concurrency: settings.applicationsConcurrency });
    // The payments phase over the same graph: the cases awaiting payment are paid ("1,000 payments settled" with --applications 1000).
    if (!settings.skip.includes('payments') && report.statuses.AWAITING_PAYMENT) {
      report.payments = await runPayments({ gatewayUrl: url, token, say, policyId: report.policyId, department: APPLICATIONS_DEPARTMENT, region: APPLICATIONS_REGION, awaiting: report.statuses.AWAITING_PAYMENT, concurrency: 2 });
      report.failed += report.payments.failed;
    }
    return report;
  } finally {
    await Promise.all(children.map((c) => c.stop()));
  }
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  let settings: Settings;
  try {
    settings = parseSettings(process.argv.slice(2));
  } catch (error) {
    const usage = error instanceof UsageError || String((error as { code?: string }).code).startsWith('ERR_PARSE_ARGS');
    if (!usage) throw error;
    const message = (error as Error).message;
    process.stderr.write(`${message ? `${message}\n` : ''}${USAGE}\n`);
    return message ? 2 : 0; // --help: exit 0
  }
  const say = (line: string) => process.stderr.write(`${line}\n`);
  const root = repoRoot();
  const peersDir = join(root, 'bench', 'peers');
  const dataDir = mkdtempSync(join(tmpdir(), 'qinqing-bench-'));
  const children: Child[] = [];
  const stopAll = () => Promise.all(children.map((c) => c.stop()));
  const interrupted = () =>
    void stopAll().finally(() => {
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(130);
    });
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const skipped: { target: TargetName; reason: string }[] = [];
  const loadAverageStart = loadavg();
  try {
    const keys = makeKeys();
    if (settings.onlyApplications) {
      const applications = await applicationsPhase(settings, dataDir, keys, root, say);
      if (settings.json) process.stdout.write(`${JSON.stringify({ date: new Date().toISOString(), node: process.version, applications, ok: !applications.failed }, null, 2)}\n`);
      else process.stdout.write(['', ...renderApplications(applications), '', applications.failed ? 'FAILED' : 'ok: no errors', ''].join('\n'));
      return applications.failed ? 1 : 0;
    }
    const wanted = new Set(settings.targets);
    const active = workloads.filter((w) => !w.phase || !settings.skip.includes(w.phase));
    if (wanted.has('hive')) {
      try {
        await ensurePeersInstalled(peersDir, say);
      } catch (error) {
        skipped.push({ target: 'hive', reason: (error as Error).message });
        wanted.delete('hive');
        say(`Hive Gateway skipped: ${(error as Error).message}`);
      }
    }

    const graph = await startSubgraphs({ settings, enterprises: settings.enterprises, dataDir, keys, root, children, say });
    const { subgraphUrls, subgraphProcesses, supergraphPath } = graph;

    const gatewayEnv = (port: number) => commonGatewayEnv(port, supergraphPath, keys);
    const ourVersion = `${packageVersion(join(root, 'package.json'))}, @apollo/gateway ${packageVersion(join(root, 'node_modules', '@apollo', 'gateway', 'package.json'))}`;
    const gatewaySpecs: Record<GatewayName, (port: number) => { args: string[]; env: Record<string, string>; probe: (url: string) => () => Promise<boolean>; version: string }> = {
      ours: (port) => ({
        args: [join(DIST, 'main.js'), 'gateway'],
        env: { ...gatewayEnv(port), ...ourGatewayEnv(settings, dataDir, keys, subgraphUrls) },
        // Its /ready asks every subgraph's /ready too.
        probe: (url) => () => ok(new URL('/ready', url).href),
        version: ourVersion,
      }),
      stock: (port) => ({
        args: [join(DIST, 'bench', 'peers', 'apollo.js')],
        env: { ...gatewayEnv(port), BENCH_IDENTITY: JSON.stringify(CALLER_IDENTITY) },
        probe: typenameProbe,
        version: `@apollo/gateway ${packageVersion(join(root, 'node_modules', '@apollo', 'gateway', 'package.json'))}, @apollo/server ${packageVersion(join(root, 'node_modules', '@apollo', 'server', 'package.json'))}`,
      }),
      hive: (port) => ({
        args: [join(DIST, 'bench', 'peers', 'hive.js')],
        env: { ...gatewayEnv(port), BENCH_IDENTITY: JSON.stringify(CALLER_IDENTITY), PEERS_DIR: peersDir },
        probe: typenameProbe,
        version: `@graphql-hive/gateway ${packageVersion(join(peersDir, 'node_modules', '@graphql-hive', 'gateway', 'package.json'))}`,
      }),
    };
    // Ours is always started: the fixture is found through it, and the ratios are about it.
    const gatewayNames = GATEWAYS.filter((g) => g === 'ours' || wanted.has(g));
    say(`starting the gateway processes: ${gatewayNames.map((g) => TARGET_LABELS[g]).join(', ')}…`);
    const gateways: RunningGateway[] = [];
    await Promise.all(
      gatewayNames.map(async (name) => {
        const port = await freePort();
        const spec = gatewaySpecs[name](port);
        const url = `http://127.0.0.1:${port}/graphql`;
        const child = startNode(`gateway ${name}`, spec.args, spec.env);
        children.push(child);
        try {
          await waitReady(child, spec.probe(url), readyTimeout(settings.enterprises));
          gateways.push({ name, url, child, version: spec.version });
        } catch (error) {
          if (name === 'ours') throw error;
          skipped.push({ target: name, reason: (error as Error).message });
          wanted.delete(name);
          say(`${TARGET_LABELS[name]} skipped: ${(error as Error).message}`);
          await child.stop();
        }
      }),
    );
    gateways.sort((a, b) => GATEWAYS.indexOf(a.name) - GATEWAYS.indexOf(b.name));
    const ours = gateways.find((g) => g.name === 'ours')!;

    // The same bearer token goes to every gateway; only ours checks it (the peers vouch for BENCH_IDENTITY).
    const jwt = loadConfig({ NODE_ENV: 'test', JWT_SECRET: keys.jwtSecret, GATEWAY_PRIVATE_KEY: keys.gatewayPrivateKey, DATA_DIR: dataDir }, 'gateway').jwt;
    const gatewayHeaders = { 'content-type': 'application/json', authorization: `Bearer ${await signDevToken(jwt, CALLER)}` };
    // Signed with the gateways' key for the one subgraph called (aud = its name), as a gateway does.
    const signer = await createIdentitySigner(keys.gatewayPrivateKey);
    const gatewayTarget = (url: string, request: GraphqlRequest): Target => ({ url, headers: gatewayHeaders, body: JSON.stringify(request) });
    const directTarget = async (call: DirectCall): Promise<Target> => {
      const url = subgraphUrls[call.subgraph];
      if (!url) throw new Error(`workload names an unknown subgraph "${call.subgraph}"`);
      return {
        url,
        headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: await signer.sign(CALLER_IDENTITY, call.subgraph) },
        body: JSON.stringify(call.request),
      };
    };

    // A demo enterprise the caller may read, one with a tax profile, so the federated workload
    // really crosses to the tax subgraph for data; and what taxpayers(first: 100) answers.
    const post = async <T>(target: Target): Promise<{ data?: T; errors?: unknown }> =>
      (await fetch(target.url, { method: 'POST', headers: target.headers, body: target.body })).json() as Promise<{ data?: T; errors?: unknown }>;
    const found = await post<{ enterprises: { nodes: { creditCode: string; tax: unknown }[] } }>(
      gatewayTarget(ours.url, { query: '{ enterprises(first: 20) { nodes { creditCode tax { creditRating } } } }' }),
    );
    const nodes = found.data?.enterprises.nodes ?? [];
    if (found.errors || !nodes.length) throw new Error(`could not find a demo enterprise: ${JSON.stringify(found).slice(0, 500)}`);
    const taxpayers = await post<{ taxpayers: { nodes: { creditCode: string }[] } }>(
      await directTarget({ subgraph: 'tax', request: { query: '{ taxpayers(first: 100) { nodes { creditCode } } }' } }),
    );
    if (taxpayers.errors || !taxpayers.data) throw new Error(`could not list taxpayers: ${JSON.stringify(taxpayers).slice(0, 500)}`);
    const auditCreditCodes: string[] = [];
    for (let after: string | null = null; auditCreditCodes.length < 1000; ) {
      type Page = { enterprises: { nodes: { creditCode: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
      const page: { data?: Page; errors?: unknown } = await post<Page>(
        gatewayTarget(ours.url, { query: 'query($a: String) { enterprises(first: 100, after: $a) { nodes { creditCode } pageInfo { hasNextPage endCursor } } }', variables: { a: after } }),
      );
      if (page.errors || !page.data) throw new Error(`could not list enterprises: ${JSON.stringify(page).slice(0, 500)}`);
      auditCreditCodes.push(...page.data.enterprises.nodes.map((n) => n.creditCode).slice(0, 1000 - auditCreditCodes.length));
      if (!page.data.enterprises.pageInfo.hasNextPage) break;
      after = page.data.enterprises.pageInfo.endCursor;
    }
    const fixture: Fixture = {
      creditCode: (nodes.find((n) => n.tax) ?? nodes[0]).creditCode,
      taxpayerCreditCodes: taxpayers.data.taxpayers.nodes.map((n) => n.creditCode),
      auditCreditCodes,
    };

    // Every workload answers correctly on every target before any is loaded.
    const problems: string[] = [];
    for (const w of active) {
      for (const g of gateways) {
        const p = await check(`${w.name} via ${TARGET_LABELS[g.name]}`, gatewayTarget(g.url, w.gateway(fixture)));
        if (p) problems.push(p);
      }
      if (!wanted.has('direct')) continue;
      for (const call of w.direct?.(fixture) ?? []) {
        const q = await check(`${w.name} direct ${call.subgraph}`, await directTarget(call));
        if (q) problems.push(q);
      }
    }
    if (problems.length) {
      say(`bench aborted, a workload does not answer cleanly:\n  - ${problems.join('\n  - ')}`);
      return 1;
    }

    const rssReady = Object.fromEntries(gateways.map((g) => [g.name, sampleProcess(g.child.pid)?.rssBytes ?? NaN]));
    const targets = settings.targets.filter((t) => wanted.has(t) && (t === 'direct' || gateways.some((g) => g.name === t)));
    const loads = (connections: number, target: Target, seconds: number): LoadSpec => ({ ...target, connections, seconds });
    const measured = async (label: string, connections: number, target: () => Promise<Target> | Target, processes: Sampled) => {
      if (settings.warmup > 0) await runLoader(loads(connections, await target(), settings.warmup));
      say(`  ${label}`);
      // Minted afresh for each run: a direct call's identity header expires after 60 s.
      return measure(loads(connections, await target(), settings.duration), processes);
    };

    const perRound = active.reduce((n, w) => n + targets.reduce((m, t) => m + (t === 'direct' ? (w.direct?.(fixture).length ?? 0) : 1), 0), 0);
    say(
      `loading ${active.length} workloads × ${targets.length} targets, ${settings.rounds} interleaved rounds at ${settings.connections.join(' and ')} connections ` +
        `(about ${Math.ceil((perRound * settings.rounds * settings.connections.length * (settings.duration + settings.warmup + 1)) / 60)} min):`,
    );
    const results: RoundResult[] = [];
    for (const connections of settings.connections) {
      for (let round = 1; round <= settings.rounds; round++) {
        for (const [wi, w] of active.entries()) {
          // Rotated each round and workload, so no target always follows the same one.
          const order = targets.map((_, i) => targets[(i + round + wi) % targets.length]);
          const conns = Math.min(connections, w.maxConnections ?? connections);
          for (const t of order) {
            const base = { connections, round, workload: w.name, target: t };
            const tag = `[${conns} conn, round ${round}/${settings.rounds}] ${w.name}`;
            if (t === 'direct') {
              const calls = w.direct?.(fixture) ?? [];
              if (!calls.length) continue;
              const parts: (Measurement & { subgraph: string })[] = [];
              for (const call of calls) {
                const m = await measured(`${tag}: direct ${call.subgraph}`, conns, () => directTarget(call), { subgraphs: subgraphProcesses });
                parts.push({ subgraph: call.subgraph, ...m });
              }
              results.push({ ...base, ...sumParts(parts) });
            } else {
              const g = gateways.find((x) => x.name === t)!;
              const m = await measured(`${tag}: ${TARGET_LABELS[t]}`, conns, () => gatewayTarget(g.url, w.gateway(fixture)), {
                gateway: g.child,
                subgraphs: subgraphProcesses,
              });
              results.push({ ...base, ...m });
            }
          }
        }
      }
    }

    const summaries = summarize(results).sort(
      (a, b) =>
        a.connections - b.connections ||
        active.findIndex((w) => w.name === a.workload) - active.findIndex((w) => w.name === b.workload) ||
        TARGETS.indexOf(a.target) - TARGETS.indexOf(b.target),
    );
    const ratioRows = ratios(summaries);
    const baselineRows = baselineRatios(summaries, active);
    const rssEnd = Object.fromEntries(gateways.map((g) => [g.name, sampleProcess(g.child.pid)?.rssBytes ?? NaN]));

    // The screening phase: a city's population (a graph of its own when its size differs), one
    // white list at a time, through our gateway with a longer subgraph deadline.
    let screening: ScreeningReport | undefined;
    if (!settings.skip.includes('screening')) {
      let screeningGraph = graph;
      let screeningDir = dataDir;
      // A graph of its own when the population differs from the loads'.
      if (settings.screeningEnterprises !== settings.enterprises) {
        say(`screening phase: stopping the graph, starting it again with ${settings.screeningEnterprises} demo enterprises…`);
        await stopAll();
        children.length = 0;
        screeningDir = join(dataDir, 'screening');
        screeningGraph = await startSubgraphs({ settings, enterprises: settings.screeningEnterprises, dataDir: screeningDir, keys, root, children, say });
      }
      const url = await startScreeningGateway(settings, screeningDir, keys, screeningGraph, children);
      say(`screening phase (gateway SUBGRAPH_TIMEOUT_MS=${SCREENING_SUBGRAPH_TIMEOUT_MS}):`);
      const screeningUrls = screeningGraph.subgraphUrls;
      screening = await runScreening({
        gatewayUrl: url,
        token: (claims) => signDevToken(jwt, claims),
        direct: async (subgraph, claims, query, variables) =>
          fetch(screeningUrls[subgraph], {
            method: 'POST',
            headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: await signer.sign({ ...claims, role: claims.role as Identity['role'], subject: 'bench' }, subgraph) },
            body: JSON.stringify({ query, variables }),
          }),
        say,
        repetitions: settings.screeningRepetitions,
        enterprises: settings.screeningEnterprises,
      });
    }
    // The applications phase: a graph of its own, one process (the loads' subgraph processes stopped first).
    let applications: ApplicationsReport | undefined;
    if (!settings.skip.includes('applications')) {
      await stopAll();
      children.length = 0;
      applications = await applicationsPhase(settings, dataDir, keys, root, say);
    }
    const failed = results.some((r) => r.errors || r.non2xx || r.graphqlErrors) || !!screening?.failed || !!applications?.failed;
    const cpu = cpus();
    const machine = {
      cpus: cpu.length,
      model: cpu[0]?.model ?? 'unknown',
      platform: process.platform,
      arch: process.arch,
      memoryMiB: mib(totalmem()),
      loadAverageStart: loadAverageStart.map((n) => num(n, 2)),
      loadAverageEnd: loadavg().map((n) => num(n, 2)),
    };
    const runSettings = {
      targets,
      rounds: settings.rounds,
      durationSeconds: settings.duration,
      warmupSeconds: settings.warmup,
      connections: settings.connections,
      enterprises: settings.enterprises,
      logLevel: settings.logLevel,
      skip: settings.skip,
      screeningEnterprises: settings.screeningEnterprises,
      screeningRepetitions: settings.screeningRepetitions,
      applications: settings.applications,
      applicationsConcurrency: settings.applicationsConcurrency,
    };
    if (settings.json) {
      const out = {
        date: new Date().toISOString(),
        node: process.version,
        machine,
        settings: runSettings,
        gateways: gateways.map((g) => ({
          target: g.name,
          version: g.version,
          rssReadyMiB: num(mib(rssReady[g.name])),
          rssAfterLoadMiB: num(mib(rssEnd[g.name])),
        })),
        skipped,
        fixture: { creditCode: fixture.creditCode, taxpayers: fixture.taxpayerCreditCodes.length, audited: fixture.auditCreditCodes.length },
        summaries: summaries.map((s) => ({
          ...s,
          rps: num(s.rps),
          p50: num(s.p50),
          p99: num(s.p99),
          gatewayCpuMs: num(s.gatewayCpuMs),
          subgraphCpuMs: num(s.subgraphCpuMs),
          subgraphCalls: num(s.subgraphCalls),
          gatewayRssMiB: num(mib(s.gatewayRssBytes)),
          gatewayRssBytes: undefined,
          rpsRange: s.rpsRange.map((n) => num(n)),
        })),
        baselineRatios: baselineRows.map((r) => ({ ...r, p50: num(r.p50), p99: num(r.p99), rps: num(r.rps) })),
        screening: screening && { ...screening, subgraphTimeoutMs: SCREENING_SUBGRAPH_TIMEOUT_MS },
        applications,
        ratios: ratioRows.map((r) => ({
          ...r,
          oursPerStock: num(r.oursPerStock),
          oursPerHive: num(r.oursPerHive),
          oursPerDirect: num(r.oursPerDirect),
          p50OursPerDirect: num(r.p50OursPerDirect),
        })),
        rounds: results.map((r) => ({ ...r, gatewayRssBytes: undefined, gatewayRssMiB: r.gatewayRssBytes === undefined ? undefined : num(mib(r.gatewayRssBytes)) })),
        ok: !failed,
      };
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    } else {
      const out = [
        '',
        `qinqing-hub gateway bench — ${new Date().toISOString()}, node ${process.version}, ${machine.cpus}× ${machine.model}, load average ${machine.loadAverageStart.join(' ')} → ${machine.loadAverageEnd.join(' ')}`,
        `${settings.rounds} interleaved rounds × ${settings.duration}s per target after ${settings.warmup}s warm-up, caller ${CALLER.role} ${CALLER.region}, ${settings.enterprises} demo enterprises`,
        ...gateways.map(
          (g) => `  ${TARGET_LABELS[g.name].padEnd(22)} ${g.version}; RSS ${fmt(mib(rssReady[g.name]), 0)} MiB ready, ${fmt(mib(rssEnd[g.name]), 0)} MiB after all load`,
        ),
        ...skipped.map((s) => `  ${TARGET_LABELS[s.target].padEnd(22)} SKIPPED: ${s.reason.split('\n')[0]}`),
      ];
      for (const connections of settings.connections) {
        out.push(
          '',
          `${connections} connections: medians of ${settings.rounds} round${settings.rounds > 1 ? 's' : ''} (range: lowest–highest req/s)`,
          '',
          renderResults(summaries.filter((s) => s.connections === connections)),
          '',
          'ratios of requests/s (above 1: ours serves more) and of p50 (1: no added latency):',
          '',
          renderRatios(ratioRows.filter((r) => r.connections === connections)),
        );
        const against = baselineRows.filter((r) => r.connections === connections);
        if (against.length) out.push('', 'against the baseline, same target and rounds (p50, p99: 1 = as fast as the baseline; req/s below 1 = fewer):', '', renderBaselineRatios(against));
      }
      if (screening) out.push('', ...renderScreening(screening, SCREENING_SUBGRAPH_TIMEOUT_MS));
      if (applications) out.push('', ...renderApplications(applications));
      out.push(
        '',
        'failed: connection errors, timeouts, non-2xx and answers with GraphQL errors, over all rounds.',
        'gw CPU: user+system CPU of the gateway process per request; sg CPU: of all subgraph processes together (from /proc).',
        'sg calls: GraphQL requests the subgraphs served per request (their /metrics); fewer than the plan has = deduplicated.',
        'direct Σ: the subgraph calls the gateway makes, loaded one by one and added up (an estimate).',
        'Each server, and the load generator, is a process of its own; on a small machine they still share the cores.',
        '',
        failed ? 'FAILED: some requests errored, were not 2xx, or answered GraphQL errors (the screening and applications phases included)' : 'ok: no errors',
        '',
      );
      process.stdout.write(out.join('\n'));
    }
    return failed ? 1 : 0;
  } finally {
    await stopAll();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exitCode = 1;
  },
);
