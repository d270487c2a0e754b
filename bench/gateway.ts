import 'reflect-metadata';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createGateway } from '../gateway';
import { signDevToken } from '../gateway/auth';
import { loadConfig, type Config } from '../platform/config';
import { createIdentitySigner, IDENTITY_HEADER, type Identity } from '../platform/identity';
import { openDatabase } from '../subgraphs/kit/orm';
import { createSubgraphServer } from '../subgraphs/kit/server';
import { DEFAULT_DEMO_ENTERPRISES } from '../demo/population';
import { subgraphs } from '../subgraphs/registry';

/**
 * `npm run bench [-- --duration 5] [-- --connections 10] [-- --warmup 1] [-- --json]`
 *
 * Starts the whole graph in this one process (every subgraph over fresh SQLite files with the demo
 * data, and the gateway, all on 127.0.0.1 port 0) and loads each workload with autocannon, side by
 * side: (a) through the gateway with a dev bearer token, (b) the owning subgraph(s) called directly
 * with the identity header the gateway would have minted for each. Reports requests/s, p50/p99 and
 * the gateway's overhead as ratios. Exits 1 if any request failed or answered GraphQL errors.
 * See docs/benchmarks.md.
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
}

export interface Workload {
  name: string;
  /** What a client sends the gateway. */
  gateway(fixture: Fixture): GraphqlRequest;
  /**
   * The same work asked of the owning subgraph(s) directly. One call: compared as is. Several
   * calls (a federated query): each is loaded on its own and the "direct" figure is their sum
   * (time per request added up, so requests/s = 1 / Σ(1/rps)); an estimate, labelled as such.
   * Omitted: the workload is measured through the gateway only.
   */
  direct?(fixture: Fixture): DirectCall[];
}

const ENTERPRISE_PAGE = `query EnterprisePage($cc: CreditCode!) {
  enterprise(creditCode: $cc) {
    creditCode name scale tags registeredOn
    legalRepresentative { name masked }
    region { name }
    industry { name }
  }
}`;

const ENTERPRISE_PAGE_WITH_TAX = `query EnterprisePageWithTax($cc: CreditCode!) {
  enterprise(creditCode: $cc) {
    creditCode name scale tags registeredOn
    legalRepresentative { name masked }
    region { name }
    industry { name }
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

/** What the gateway sends the tax subgraph for `enterprise { tax { ... } }` (the entity fetch). */
const TAX_ENTITY = `query TaxOfEnterprise($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Enterprise { tax { creditRating arrearsFen } }
  }
}`;

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
      {
        subgraph: 'tax',
        request: { query: TAX_ENTITY, variables: { representations: [{ __typename: 'Enterprise', creditCode: f.creditCode }] } },
      },
    ],
  },
];

// ---------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------

/** The bench caller: an approval-bureau official of 兴国县, where the demo enterprises are. */
const CALLER = { role: 'APPROVAL_BUREAU', region: '360732' } as const;
const CALLER_IDENTITY: Identity = { role: CALLER.role, region: CALLER.region, subject: 'dev-approval_bureau' };

/** The identity header lives 60 s (platform/identity.ts) and is minted once per run, so runs stay shorter. */
const MAX_DURATION_S = 50;
const MAX_CONNECTIONS = 100;
const MAX_WARMUP_S = 10;

interface Settings {
  duration: number;
  connections: number;
  warmup: number;
  /** Demo population size; 100,000 shows how lists and lookups hold up at city scale. */
  enterprises: number;
  json: boolean;
}

class UsageError extends Error {}

const USAGE =
  'usage: npm run bench -- [--duration SECONDS (1-50, default 5)] [--connections N (1-100, default 10)] ' +
  '[--warmup SECONDS (0-10, default 1)] [--enterprises N (100-200000, default 2400)] [--json]';

function parseSettings(argv: string[]): Settings {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string', default: '5' },
      connections: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '1' },
      enterprises: { type: 'string', default: String(DEFAULT_DEMO_ENTERPRISES) },
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
  return {
    duration: int('duration', values.duration!, 1, MAX_DURATION_S),
    connections: int('connections', values.connections!, 1, MAX_CONNECTIONS),
    warmup: int('warmup', values.warmup!, 0, MAX_WARMUP_S),
    enterprises: int('enterprises', values.enterprises!, 100, 200_000),
    json: values.json!,
  };
}

/** The committed supergraph: dist/bench/gateway.js is two levels below the repo root (bench/ one, under ts-node). */
function supergraphPath(): string {
  for (const root of [join(__dirname, '..', '..'), join(__dirname, '..')]) {
    const path = join(root, 'schema', 'supergraph.graphql');
    if (existsSync(path)) return path;
  }
  throw new Error(`schema/supergraph.graphql not found above ${__dirname}`);
}

// ---------------------------------------------------------------------------------------------
// The graph, in process
// ---------------------------------------------------------------------------------------------

interface RunningGraph {
  config: Config;
  gatewayUrl: string;
  subgraphUrls: Record<string, string>;
  stop(): Promise<void>;
}

async function startGraph(dataDir: string, enterprises: number): Promise<RunningGraph> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    SUPERGRAPH_PATH: supergraphPath(),
  });
  // Undone in reverse: the gateway first, then each subgraph's server before its database.
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const undo of stops.reverse()) await undo().catch(() => undefined);
  };
  try {
    const subgraphUrls: Record<string, string> = {};
    for (const definition of subgraphs) {
      const orm = await openDatabase(definition, { dataDir }, { demo: true, demoEnterprises: enterprises });
      stops.push(() => orm.close(true));
      const server = await createSubgraphServer(definition, orm, config);
      stops.push(() => server.stop());
      subgraphUrls[definition.name] = (await server.listen(0, '127.0.0.1')).url;
    }
    const gateway = await createGateway(config, { serviceUrls: subgraphUrls });
    stops.push(() => gateway.stop());
    const http = await gateway.listen(0, '127.0.0.1');
    return { config, gatewayUrl: http.url, subgraphUrls, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Measuring
// ---------------------------------------------------------------------------------------------

interface Target {
  url: string;
  headers: Record<string, string>;
  body: string;
}

interface Measurement {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  /** Connection errors and timeouts. */
  errors: number;
  non2xx: number;
  /** 2xx responses whose body carried GraphQL `errors`. */
  graphqlErrors: number;
}

function assertLocal(url: string): void {
  if (new URL(url).hostname !== '127.0.0.1') throw new Error(`refusing to load ${url}: the bench only targets 127.0.0.1`);
}

/** One request first: the workload must answer 200 with data and no GraphQL errors before it is loaded. */
async function check(label: string, target: Target): Promise<string | undefined> {
  assertLocal(target.url);
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

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * Loads one target for `seconds`. Latencies are taken from autocannon's per-response timings
 * (sub-millisecond; its own histogram rounds to whole milliseconds, too coarse for direct calls).
 */
async function load(target: Target, seconds: number, connections: number): Promise<Measurement> {
  assertLocal(target.url);
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: target.url,
        method: 'POST',
        headers: target.headers,
        body: target.body,
        connections,
        duration: seconds,
        timeout: 10,
        verifyBody: (body) => typeof body === 'string' && !body.includes('"errors"'),
      },
      (error, res) => (error ? reject(error) : resolve(res)),
    );
    instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  });
  latencies.sort((a, b) => a - b);
  return {
    requests: result.requests.total,
    seconds: result.duration,
    rps: result.requests.total / result.duration,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors: result.errors,
    non2xx: result.non2xx,
    graphqlErrors: result.mismatches,
  };
}

/** A measurement as reported: per workload and target, without the raw counts. */
interface Row extends Omit<Measurement, 'requests' | 'seconds'> {
  workload: string;
  target: string;
  /** For a derived "direct" row: the calls it sums. */
  parts?: (Measurement & { subgraph: string })[];
}

interface Ratio {
  workload: string;
  /** Gateway requests/s ÷ direct requests/s: 1 is free, 0.5 is half the throughput. */
  rps: number;
  /** Gateway p50 ÷ direct p50: 1 is free, 2 is twice as slow. */
  p50: number;
  p99: number;
  /** The direct side is the sum of several subgraph calls. */
  summed: boolean;
}

const fmt = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

function renderTable(rows: Row[], ratios: Ratio[]): string {
  const header = ['workload', 'target', 'req/s', 'p50 ms', 'p99 ms', 'errors/non-2xx', 'gw/direct req/s', 'gw/direct p50'];
  const lines = rows.map((r) => {
    const ratio = r.target === 'gateway' ? ratios.find((x) => x.workload === r.workload) : undefined;
    return [
      r.workload,
      r.target,
      fmt(r.rps, 0),
      fmt(r.p50, 2),
      fmt(r.p99, 2),
      `${r.errors + r.graphqlErrors}/${r.non2xx}`,
      ratio ? fmt(ratio.rps, 2) : '',
      ratio ? fmt(ratio.p50, 2) : '',
    ];
  });
  const numeric = new Set([2, 3, 4, 5, 6, 7]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const render = (cells: string[]) => cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  return [render(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(render)].join('\n');
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
  const rssStart = process.memoryUsage().rss;
  const dataDir = mkdtempSync(join(tmpdir(), 'qinqing-bench-'));
  let graph: RunningGraph | undefined;
  try {
    say(`starting ${subgraphs.length} subgraphs (${settings.enterprises} demo enterprises, SQLite in ${dataDir}) and the gateway…`);
    graph = await startGraph(dataDir, settings.enterprises);
    const { config } = graph;
    const bearer = await signDevToken(config.jwt, CALLER);
    const gatewayHeaders = { 'content-type': 'application/json', authorization: `Bearer ${bearer}` };
    // Signed with the gateway's key for the one subgraph called (aud = its name), as the gateway does.
    const signer = await createIdentitySigner(config.gatewayIdentity.privateKey!);
    const directHeaders = async (subgraph: string) => ({
      'content-type': 'application/json',
      [IDENTITY_HEADER]: await signer.sign(CALLER_IDENTITY, subgraph),
    });
    const gatewayTarget = (request: GraphqlRequest): Target => ({ url: graph!.gatewayUrl, headers: gatewayHeaders, body: JSON.stringify(request) });
    const directTarget = async (call: DirectCall): Promise<Target> => {
      const url = graph!.subgraphUrls[call.subgraph];
      if (!url) throw new Error(`workload names an unknown subgraph "${call.subgraph}"`);
      return { url, headers: await directHeaders(call.subgraph), body: JSON.stringify(call.request) };
    };

    // A demo enterprise the caller may read; one with a tax profile, so the federated workload
    // really crosses to the tax subgraph for data.
    const found = await fetch(graph.gatewayUrl, {
      method: 'POST',
      headers: gatewayHeaders,
      body: JSON.stringify({ query: '{ enterprises(first: 20) { nodes { creditCode tax { creditRating } } } }' }),
    }).then((r) => r.json() as Promise<{ data?: { enterprises: { nodes: { creditCode: string; tax: unknown }[] } }; errors?: unknown }>);
    const nodes = found.data?.enterprises.nodes ?? [];
    if (found.errors || !nodes.length) throw new Error(`could not find a demo enterprise: ${JSON.stringify(found).slice(0, 500)}`);
    const fixture: Fixture = { creditCode: (nodes.find((n) => n.tax) ?? nodes[0]).creditCode };

    // Every workload answers correctly before any is loaded.
    const problems: string[] = [];
    for (const w of workloads) {
      const p = await check(`${w.name} via gateway`, gatewayTarget(w.gateway(fixture)));
      if (p) problems.push(p);
      for (const call of w.direct?.(fixture) ?? []) {
        const q = await check(`${w.name} direct ${call.subgraph}`, await directTarget(call));
        if (q) problems.push(q);
      }
    }
    if (problems.length) {
      say(`bench aborted, a workload does not answer cleanly:\n  - ${problems.join('\n  - ')}`);
      return 1;
    }

    const rssReady = process.memoryUsage().rss;
    const measure = async (label: string, target: () => Promise<Target> | Target) => {
      if (settings.warmup > 0) await load(await target(), settings.warmup, settings.connections);
      say(`  ${label} (${settings.duration}s, ${settings.connections} connections)`);
      // Mint the target (its identity header) afresh for each run: it expires after 60 s.
      return load(await target(), settings.duration, settings.connections);
    };

    say(`loading ${workloads.length} workloads, fixture enterprise ${fixture.creditCode}, ${settings.warmup}s warm-up each:`);
    const rows: Row[] = [];
    const ratios: Ratio[] = [];
    for (const w of workloads) {
      const gw = await measure(`${w.name} via gateway`, () => gatewayTarget(w.gateway(fixture)));
      rows.push({ workload: w.name, target: 'gateway', ...pick(gw) });
      const calls = w.direct?.(fixture) ?? [];
      if (!calls.length) {
        rows.push({ workload: w.name, target: 'direct', rps: NaN, p50: NaN, p99: NaN, errors: 0, non2xx: 0, graphqlErrors: 0 });
        continue;
      }
      const parts: (Measurement & { subgraph: string })[] = [];
      for (const call of calls) {
        parts.push({ subgraph: call.subgraph, ...(await measure(`${w.name} direct ${call.subgraph}`, () => directTarget(call))) });
      }
      const direct: Row =
        parts.length === 1
          ? { workload: w.name, target: `direct (${parts[0].subgraph})`, ...pick(parts[0]) }
          : {
              workload: w.name,
              target: `direct Σ ${parts.map((p) => p.subgraph).join(' + ')}`,
              rps: 1 / parts.reduce((s, p) => s + 1 / p.rps, 0),
              p50: parts.reduce((s, p) => s + p.p50, 0),
              p99: parts.reduce((s, p) => s + p.p99, 0),
              errors: parts.reduce((s, p) => s + p.errors, 0),
              non2xx: parts.reduce((s, p) => s + p.non2xx, 0),
              graphqlErrors: parts.reduce((s, p) => s + p.graphqlErrors, 0),
              parts,
            };
      rows.push(direct);
      ratios.push({ workload: w.name, rps: gw.rps / direct.rps, p50: gw.p50 / direct.p50, p99: gw.p99 / direct.p99, summed: parts.length > 1 });
    }
    const rssEnd = process.memoryUsage().rss;

    const failed = rows.some((r) => r.errors || r.non2xx || r.graphqlErrors);
    const cpu = cpus();
    const machine = { cpus: cpu.length, model: cpu[0]?.model ?? 'unknown', platform: process.platform, arch: process.arch, memoryMiB: mib(totalmem()) };
    if (settings.json) {
      const out = {
        date: new Date().toISOString(),
        node: process.version,
        machine,
        settings: { durationSeconds: settings.duration, warmupSeconds: settings.warmup, connections: settings.connections },
        fixture,
        memory: { rssStartMiB: mib(rssStart), rssBeforeLoadMiB: mib(rssReady), rssAfterLoadMiB: mib(rssEnd) },
        results: rows.map((r) => ({ ...r, rps: num(r.rps), p50: num(r.p50), p99: num(r.p99) })),
        ratios: ratios.map((r) => ({ ...r, rps: num(r.rps), p50: num(r.p50), p99: num(r.p99) })),
        ok: !failed,
      };
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    } else {
      const out = [
        '',
        `qinqing-hub gateway bench — ${new Date().toISOString()}, node ${process.version}, ${machine.cpus}× ${machine.model}`,
        `${settings.duration}s per target after ${settings.warmup}s warm-up, ${settings.connections} connections, caller ${CALLER.role} ${CALLER.region}`,
        '',
        renderTable(rows, ratios),
        '',
        'gw/direct req/s: gateway throughput as a share of calling the subgraph directly (1 = no overhead).',
        'gw/direct p50:   gateway median latency as a multiple of the direct call (1 = no overhead).',
        'direct Σ: the subgraph calls the gateway makes, loaded one by one and added up (an estimate).',
        'Absolute numbers depend on the machine; load generator, gateway and subgraphs share one process.',
        '',
        `memory (RSS): ${mib(rssStart)} MiB at start, ${mib(rssReady)} MiB with the graph up, ${mib(rssEnd)} MiB after load`,
        failed ? 'FAILED: some requests errored, were not 2xx, or answered GraphQL errors' : 'ok: no errors',
        '',
      ];
      process.stdout.write(out.join('\n'));
    }
    return failed ? 1 : 0;
  } finally {
    await graph?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function pick(m: Measurement) {
  return { rps: m.rps, p50: m.p50, p99: m.p99, errors: m.errors, non2xx: m.non2xx, graphqlErrors: m.graphqlErrors };
}

function num(n: number): number | null {
  return Number.isFinite(n) ? Math.round(n * 1000) / 1000 : null;
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
