import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  DEV_GATEWAY_KEY_FILE,
  DEV_JWT_SECRET_FILE,
  DEV_KEYS_DIR,
  devGatewayPrivateKey,
  devJwtSecret,
  devKeyPath,
  publicKeyOf,
  readDevKey,
} from './dev-keys';
import { departmentRegion } from './directory';

/** Dev secrets once committed to this repository: public for good, so production refuses them. */
const PUBLISHED_DEV_SECRETS = ['qinqing-hub-dev-only-jwt-secret-change-me-in-production'];

/** Which piece this process runs: which keys it needs depends on it (see productionProblems). */
export type Piece = 'all' | 'gateway' | 'subgraph';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
/** `12h`, `30m`, `90s`, `1d` or plain seconds. */
const durationSeconds = z
  .string()
  .regex(/^\d+[smhd]?$/, 'must be a duration such as 12h, 30m or 3600 (seconds)')
  .transform((v) => Number.parseInt(v, 10) * ({ s: 1, m: 60, h: 3600, d: 86400 }[v.at(-1)!] ?? 1))
  .refine((v) => v > 0, 'must be longer than 0');
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
/** `360732-HRSS,360731-HRSS`: department codes the platform knows, comma-separated; empty = none. */
const departmentList = z
  .string()
  .transform((v) => [...new Set(v.split(',').map((code) => code.trim()).filter(Boolean))])
  .refine((codes) => codes.every((code) => departmentRegion(code)), {
    message: 'must be department codes the platform knows (platform/directory.ts), comma-separated, e.g. 360732-HRSS,360731-HRSS',
  });

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(4000),
  /** Subgraph i (in registry order) listens on SUBGRAPH_PORT_BASE + i when run in one process. */
  SUBGRAPH_PORT_BASE: port.optional(),
  /** 县人社局's own system (examples/department-system), which `npm start` runs beside ours: SUBGRAPH_PORT_BASE + 19 (4020). */
  HRSS_PORT: port.optional(),
  DATA_DIR: z.string().min(1).default('data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (leave unset for the embedded SQLite default)')
    .optional(),
  DEMO_DATA: bool.optional(),
  DEMO_ENTERPRISES: z.coerce.number().int().min(1).max(1_000_000).optional(),
  SUPERGRAPH_PATH: z.string().min(1).default('schema/supergraph.graphql'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_PUBLIC_KEY: z.string().includes('BEGIN PUBLIC KEY', { message: 'must be a PEM public key' }).optional(),
  JWT_JWKS_URL: z.url().optional(),
  JWT_ISSUER: z.string().min(1).default('qinqing-hub'),
  JWT_AUDIENCE: z.string().min(1).default('qinqing-hub'),
  JWT_MAX_LIFETIME: durationSeconds.default(12 * 3600),
  /** The gateway's Ed25519 private key: a PEM, or the path of a PEM file (a mounted secret). */
  GATEWAY_PRIVATE_KEY: z.string().min(1).optional(),
  /** What subgraphs verify `x-qinqing-identity` with: the gateway's public key (PEM or path) … */
  GATEWAY_PUBLIC_KEY: z.string().min(1).optional(),
  /** … or the gateway's `/.well-known/jwks.json`. */
  GATEWAY_JWKS_URL: z.url().optional(),
  // --- per-caller caches (see "Identity between gateway and subgraphs" in docs/architecture.md) ---
  /** Verified caller tokens the gateway keeps until their exp (LRU); 0 = verify every request. */
  JWT_CACHE_MAX: z.coerce.number().int().min(0).default(10_000),
  /** Signed identity headers reused by the gateway, and verified ones kept by each subgraph (LRU); 0 = off. */
  IDENTITY_CACHE_MAX: z.coerce.number().int().min(0).default(10_000),
  SUBGRAPH_TIMEOUT_MS: positiveInt.default(3000),
  // --- gateway → subgraph calls (issue 6; gateway/subgraph-client.ts) ---
  SUBGRAPH_CONNECTIONS: positiveInt.default(32),
  /** Unset: SUBGRAPH_CONNECTIONS (more in flight would only wait inside the pool, unseen). */
  SUBGRAPH_MAX_CONCURRENCY: positiveInt.optional(),
  SUBGRAPH_MAX_QUEUE: z.coerce.number().int().min(0).default(512),
  SUBGRAPH_DEDUP: bool.default(true),
  QUERY_MAX_DEPTH: positiveInt.optional(),
  QUERY_MAX_ALIASES: positiveInt.optional(),
  QUERY_MAX_COST: positiveInt.optional(),
  QUERY_MAX_TOKENS: positiveInt.optional(),
  QUERY_MAX_DIRECTIVES: positiveInt.optional(),
  /** Ceiling of each query cache (documents, plans, persisted queries); 16 MiB. */
  QUERY_CACHE_MAX_BYTES: positiveInt.default(16 * 2 ** 20),
  PERSISTED_QUERIES: bool.default(true),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Optional bearer token `/metrics` then requires (it is meant for the internal network anyway). */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  // --- lifecycle and HTTP (see "Lifecycle" in docs/architecture.md) ---
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: positiveInt.default(65_000),
  HTTP_HEADERS_TIMEOUT_MS: positiveInt.optional(),
  HTTP_REQUEST_TIMEOUT_MS: positiveInt.optional(),
  HTTP_MAX_BODY_BYTES: positiveInt.default(1_000_000),
  /** A subgraph's own ceiling for the gateway's requests: `@requires` fetches carry a region's population tables (screening 100,000 enterprises: about 15 MB). */
  SUBGRAPH_MAX_BODY_BYTES: positiveInt.default(32_000_000),
  // --- material uploads (subgraphs/kit/uploads, docs/uploads.md) ---
  /** Largest file `POST /uploads` takes, checked on the bytes as they stream in (gateway and subgraph); 20 MiB. */
  UPLOAD_MAX_BYTES: positiveInt.max(2 ** 30, 'must be at most 1073741824 (1 GiB): materials are documents and scans').default(20 * 2 ** 20),
  /** Where uploaded files are kept, content-addressed, one folder per subgraph; default `<DATA_DIR>/uploads`. */
  UPLOAD_DIR: z.string().min(1).optional(),
  // --- events (see docs/events.md) ---
  /** Set: events go through NATS JetStream; unset: the in-process relay. */
  NATS_URL: z
    .string()
    .regex(/^(nats|tls|wss?):\/\/[^\s]+$/, 'must be a nats:// URL such as nats://127.0.0.1:4222 (leave unset for the in-process relay)')
    .optional(),
  /** Streams are `<prefix>_<FAMILY>`, subjects `<prefix>.<family>.<type>`. */
  NATS_STREAM_PREFIX: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_-]{0,31}$/, 'must be a letter then up to 31 letters, digits, _ or - (it names streams and subjects)')
    .default('QINQING'),
  EVENTS_POLL_MS: positiveInt.default(1000),
  EVENTS_MAX_ATTEMPTS: positiveInt.default(5),
  EVENTS_RETRY_BASE_MS: positiveInt.default(1000),
  NATS_ACK_WAIT_MS: positiveInt.default(30_000),
  // --- the graph as a client of background work (subgraphs/kit/graph-client.ts, docs/matching.md) ---
  /** The gateway's GraphQL endpoint; unset in `npm start`: the gateway that process starts. */
  GRAPH_URL: z.url().optional(),
  /** Production: a file holding the service's bearer token, re-read on every call (rotated by the deployment). */
  GRAPH_SERVICE_TOKEN_FILE: z.string().min(1).optional(),
  /** Production: a directory of DEPARTMENT_SYSTEM tokens, one file per department code (the departments subgraph pushes results as that department). */
  GRAPH_SERVICE_TOKEN_DIR: z.string().min(1).optional(),
  /** A screening of 100,000 enterprises takes seconds: generous. */
  GRAPH_TIMEOUT_MS: positiveInt.default(120_000),
  /** How often every PUBLISHED policy is screened again for enterprises that newly qualify; at most 7 days (a Node timer). */
  PUSH_RESCREEN_INTERVAL: durationSeconds.refine((v) => v <= 7 * 86400, 'must be at most 7d').default(24 * 3600),
  // --- departments (subgraphs/departments, docs/departments.md) ---
  /** Departments running their own business system: the kit-built back office takes none of their cases. */
  EXTERNAL_DEPARTMENTS: departmentList.default(['360732-HRSS', '360731-HRSS']),
  // --- funds (subgraphs/funds, docs/funds-bank.md) ---
  /** The agent bank's adapter: `simulated` (the default, and the only one so far: its books in the funds database). */
  BANK_ADAPTER: z.enum(['simulated']).default('simulated'),
  // --- periodic jobs (subgraphs/kit/jobs.ts) ---
  /** How often the policies subgraph expires policies whose application window has ended. */
  POLICY_EXPIRY_INTERVAL: durationSeconds.default(3600),
});

/**
 * Rules for production, checked on the raw environment so they are reported together with any
 * malformed value (a zod refinement would only run once everything else parsed).
 */
function productionProblems(env: NodeJS.ProcessEnv, piece: Piece): string[] {
  if (env.NODE_ENV !== 'production') return [];
  const problems: string[] = [];
  if (piece !== 'subgraph' && !env.GATEWAY_PRIVATE_KEY) {
    problems.push('GATEWAY_PRIVATE_KEY: required in production: the Ed25519 key the gateway signs x-qinqing-identity with (a PEM or the path of one; `openssl genpkey -algorithm ed25519`)');
  }
  if (piece === 'subgraph' && !env.GATEWAY_PUBLIC_KEY && !env.GATEWAY_JWKS_URL) {
    problems.push("GATEWAY_JWKS_URL: a subgraph in production needs GATEWAY_JWKS_URL (the gateway's /.well-known/jwks.json) or GATEWAY_PUBLIC_KEY to verify x-qinqing-identity");
  }
  if (piece !== 'subgraph' && !env.JWT_SECRET && !env.JWT_PUBLIC_KEY && !env.JWT_JWKS_URL) {
    problems.push('JWT_JWKS_URL: production needs JWT_JWKS_URL, JWT_PUBLIC_KEY or JWT_SECRET to verify callers');
  }
  if (piece !== 'gateway' && !env.DATABASE_URL) problems.push('DATABASE_URL: production runs on PostgreSQL, not the embedded SQLite');
  return problems;
}

/** A PEM given inline or as a path, parsed and checked to be Ed25519; problems name the setting. */
function readEd25519(name: string, value: string, kind: 'private' | 'public', problems: string[]): { pem: string; key: KeyObject; path?: string } | undefined {
  const path = value.trimStart().startsWith('-----BEGIN') ? undefined : value;
  // Inline PEMs often arrive with their newlines escaped (one-line env files, CI secrets).
  let pem = value.replace(/\\n/g, '\n');
  if (path) {
    try {
      pem = readFileSync(path, 'utf8');
    } catch (error) {
      problems.push(`${name}: cannot read the key file "${path}" (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      return undefined;
    }
  }
  if (kind === 'public' && pem.includes('PRIVATE KEY')) {
    problems.push(`${name}: is a private key; a subgraph needs only the gateway's public key`);
    return undefined;
  }
  try {
    const key = kind === 'private' ? createPrivateKey(pem) : createPublicKey(pem);
    if (key.asymmetricKeyType === 'ed25519') return { pem, key, path };
    problems.push(`${name}: must be an Ed25519 ${kind} key, got ${key.asymmetricKeyType}`);
  } catch {
    problems.push(`${name}: not a PEM ${kind} key${path ? ` (file "${path}")` : ''}`);
  }
  return undefined;
}

const spki = (key: KeyObject) => (key.type === 'public' ? key : createPublicKey(key)).export({ type: 'spki', format: 'der' });
const sameKey = (a: KeyObject, b: KeyObject) => spki(a).equals(spki(b));

/** Production: any generated dev key or published secret, by file or by value, names its setting. */
function devKeyProblems(
  dataDir: string,
  gatewayKeys: { name: string; key?: { key: KeyObject; path?: string } }[],
  jwtSecret: string | undefined,
): string[] {
  const problems: string[] = [];
  // An unreadable or damaged dev key file is no dev key to compare with, not a crash.
  const readable = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch {
      return undefined;
    }
  };
  const devKey = readable(() => createPrivateKey(readDevKey(dataDir, DEV_GATEWAY_KEY_FILE) ?? ''));
  const devSecret = readable(() => readDevKey(dataDir, DEV_JWT_SECRET_FILE)?.trim());
  for (const { name, key } of gatewayKeys) {
    if (!key) continue;
    if (key.path?.split(/[\\/]/).includes(DEV_KEYS_DIR)) {
      problems.push(`${name}: "${key.path}" is a generated dev key (under ${DEV_KEYS_DIR}/); production needs a key of its own`);
    } else if (devKey && sameKey(key.key, devKey)) {
      problems.push(`${name}: is the generated dev key ${devKeyPath(dataDir, DEV_GATEWAY_KEY_FILE)}; production needs a key of its own`);
    }
  }
  if (jwtSecret !== undefined) {
    if (PUBLISHED_DEV_SECRETS.includes(jwtSecret)) problems.push('JWT_SECRET: is the dev secret published in earlier versions of qinqing-hub');
    else if (jwtSecret === devSecret) {
      problems.push(`JWT_SECRET: is the generated dev secret ${devKeyPath(dataDir, DEV_JWT_SECRET_FILE)}`);
    }
  }
  return problems;
}

export interface Config {
  env: 'development' | 'test' | 'production';
  production: boolean;
  host: string;
  port: number;
  subgraphPortBase: number;
  /** Where `npm start` runs the external department system `hrss` (examples/department-system) unless SUBGRAPH_HRSS_URL points elsewhere. */
  hrssPort: number;
  /** `SUBGRAPH_<NAME>_URL` overrides, for pieces deployed apart. */
  subgraphUrls: Record<string, string>;
  /** `SUBGRAPH_<NAME>_TIMEOUT_MS` overrides of `subgraphTimeoutMs` for one subgraph. */
  subgraphTimeouts: Record<string, number>;
  dataDir: string;
  databaseUrl?: string;
  demoData: boolean;
  /** Size of the demo population (DEMO_ENTERPRISES); unset = the kit's default. */
  demoEnterprises?: number;
  supergraphPath: string;
  jwt: {
    secret?: string;
    publicKey?: string;
    jwksUrl?: string;
    issuer: string;
    audience: string;
    /** Longest lifetime (exp - iat) the gateway accepts in a user token, in seconds. */
    maxLifetimeSeconds: number;
    /** Verified tokens kept until their exp (JWT_CACHE_MAX); 0 = none. Unset: gateway/auth.ts's default. */
    cacheMax?: number;
  };
  /** How `x-qinqing-identity` is signed (gateway) and verified (subgraphs). */
  gatewayIdentity: {
    /** PKCS#8 PEM, Ed25519; only where the gateway runs. */
    privateKey?: string;
    /** SPKI PEM; in one process, derived from the private key. */
    publicKey?: string;
    jwksUrl?: string;
    /** Signed headers reused (gateway) / verified headers kept (subgraph), IDENTITY_CACHE_MAX; 0 = none. */
    cacheMax?: number;
  };
  subgraphTimeoutMs: number;
  /** Per subgraph: keep-alive connections, calls in flight, calls queued, deduplication of identical queries. */
  subgraphCalls: { connections: number; maxConcurrency: number; maxQueue: number; dedup: boolean };
  queryLimits: { maxDepth?: number; maxAliases?: number; maxCost?: number; maxTokens?: number; maxDirectives?: number };
  /** Byte ceiling of each query cache: parsed documents, query plans, persisted queries. */
  queryCacheMaxBytes: number;
  /** Automatic persisted queries at the gateway. */
  persistedQueries: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  metricsToken?: string;
  /** SIGTERM/SIGINT: drain, close the database, exit 0 within this; past it exit 1. */
  shutdownTimeoutMs: number;
  http: HttpLimits;
  /** Between runs of the policies subgraph's `expire` job (POLICY_EXPIRY_INTERVAL). */
  policyExpiryIntervalMs: number;
  /** The event relays (subgraphs/kit/events). */
  events: {
    natsUrl?: string;
    streamPrefix: string;
    pollMs: number;
    /** Deliveries before an event is dead-lettered (a consumer's own maxAttempts wins). */
    maxAttempts: number;
    /** First retry after this; doubles per attempt, at most a minute. */
    retryBaseMs: number;
    /** NATS: an unacknowledged message is delivered again after this. */
    ackWaitMs: number;
  };
  /** How background work reaches the graph (kit/graph-client.ts). */
  graph: { url?: string; serviceTokenFile?: string; serviceTokenDir?: string; timeoutMs: number };
  /** The reference department back office (subgraphs/departments). */
  departments: {
    /** EXTERNAL_DEPARTMENTS: departments with their own system; their accepted applications are not taken here. */
    external: string[];
  };
  /** 一站兑付 (subgraphs/funds): BANK_ADAPTER, the agent bank's adapter. */
  funds: { bankAdapter: 'simulated' };
  /** 精准推送 (subgraphs/policies/push): the re-screening job's interval. */
  push: { rescreenIntervalMs: number };
  /** `POST /uploads` (subgraphs/kit/uploads): the size limit and where files are kept. */
  uploads: { maxBytes: number; dir: string };
}

/** Timeouts and limits of every HTTP server in the graph (platform/http.ts applies them). */
export interface HttpLimits {
  /** Idle keep-alive sockets live longer than a load balancer's idle timeout (60 s on AWS ALB). */
  keepAliveTimeoutMs: number;
  /** Node's headersTimeout; must exceed keepAliveTimeoutMs (Node docs) and not exceed requestTimeoutMs. */
  headersTimeoutMs: number;
  /** Whole request (headers and body) must arrive within this: slow bodies are cut off with 408. */
  requestTimeoutMs: number;
  maxBodyBytes: number;
  /**
   * The same for a subgraph's endpoint, called by the gateway only: an `_entities` fetch that
   * `@requires` other subgraphs' data (the joint audit of 1,000 enterprises: ~1–2 MB) is bigger
   * than any client request.
   */
  subgraphMaxBodyBytes: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  keepAliveTimeoutMs: 65_000,
  headersTimeoutMs: 66_000,
  requestTimeoutMs: 120_000,
  maxBodyBytes: 1_000_000,
  subgraphMaxBodyBytes: 32_000_000,
};

/** A start-up failure that names the setting to fix; main.ts prints its message as one line. */
export class StartupError extends Error {
  constructor(
    readonly setting: string,
    detail: string,
  ) {
    super(`${setting}: ${detail}`);
    this.name = 'StartupError';
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration (${problems.length} problem${problems.length > 1 ? 's' : ''}):\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment once, listing every problem at once so a deployment is fixed in one go.
 * `piece` says what this process runs, so it is asked only for the keys it needs. Outside
 * production, missing keys are the dev keys under `<DATA_DIR>/dev-keys/` (created on first use).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, piece: Piece = 'all'): Config {
  const parsed = EnvSchema.safeParse(env);
  const problems: string[] = productionProblems(env, piece);
  if (env.INTERNAL_IDENTITY_SECRET !== undefined) {
    problems.push('INTERNAL_IDENTITY_SECRET: no longer used: the gateway signs with GATEWAY_PRIVATE_KEY, subgraphs verify with GATEWAY_JWKS_URL or GATEWAY_PUBLIC_KEY');
  }
  const subgraphUrls: Record<string, string> = {};
  const subgraphTimeouts: Record<string, number> = {};
  const subgraphName = (envPart: string) => envPart.toLowerCase().replace(/_/g, '-');
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) continue;
    const url = /^SUBGRAPH_([A-Z0-9_]+)_URL$/.exec(key);
    if (url) {
      if (!/^https?:\/\//.test(value)) problems.push(`${key}: must be an http(s) URL, got "${value}"`);
      subgraphUrls[subgraphName(url[1])] = value;
    }
    const timeout = /^SUBGRAPH_([A-Z0-9_]+)_TIMEOUT_MS$/.exec(key);
    if (timeout) {
      if (!/^[1-9]\d*$/.test(value)) problems.push(`${key}: must be a positive number of milliseconds, got "${value}"`);
      subgraphTimeouts[subgraphName(timeout[1])] = Number(value);
    }
  }
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.') || '(env)'}: ${issue.message}`);
  }
  const production = env.NODE_ENV === 'production';
  const dataDir = parsed.success ? parsed.data.DATA_DIR : (env.DATA_DIR ?? 'data');
  const privateKey = env.GATEWAY_PRIVATE_KEY ? readEd25519('GATEWAY_PRIVATE_KEY', env.GATEWAY_PRIVATE_KEY, 'private', problems) : undefined;
  const publicKey = env.GATEWAY_PUBLIC_KEY ? readEd25519('GATEWAY_PUBLIC_KEY', env.GATEWAY_PUBLIC_KEY, 'public', problems) : undefined;
  if (privateKey && publicKey && !sameKey(privateKey.key, publicKey.key)) {
    problems.push('GATEWAY_PUBLIC_KEY: is not the public half of GATEWAY_PRIVATE_KEY; subgraphs would refuse every request');
  }
  if (production) {
    problems.push(
      ...devKeyProblems(dataDir, [{ name: 'GATEWAY_PRIVATE_KEY', key: privateKey }, { name: 'GATEWAY_PUBLIC_KEY', key: publicKey }], env.JWT_SECRET),
    );
  }
  const http = parsed.success ? httpLimits(parsed.data, problems) : DEFAULT_HTTP_LIMITS;
  if (problems.length || !parsed.success) throw new ConfigError(problems);
  const e = parsed.data;
  // Dev keys only where this piece needs them and nothing else was configured.
  const gatewayPrivateKey = privateKey?.pem ?? (piece !== 'subgraph' && !production ? devGatewayPrivateKey(dataDir) : undefined);
  const gatewayPublicKey =
    publicKey?.pem ??
    (e.GATEWAY_JWKS_URL ? undefined : gatewayPrivateKey ? publicKeyOf(gatewayPrivateKey) : production ? undefined : publicKeyOf(devGatewayPrivateKey(dataDir)));
  const jwtSecret = e.JWT_SECRET ?? (e.JWT_PUBLIC_KEY || e.JWT_JWKS_URL || production || piece === 'subgraph' ? undefined : devJwtSecret(dataDir));
  return {
    env: e.NODE_ENV,
    production: e.NODE_ENV === 'production',
    host: e.HOST,
    port: e.PORT,
    subgraphPortBase: e.SUBGRAPH_PORT_BASE ?? (e.PORT === 0 ? 0 : e.PORT + 1),
    // Base + 19: the routing_url of schema/supergraph.yaml (4020) with the default ports, clear of ours (base + i).
    hrssPort: e.HRSS_PORT ?? (() => {
      const base = e.SUBGRAPH_PORT_BASE ?? (e.PORT === 0 ? 0 : e.PORT + 1);
      return base === 0 ? 0 : base + 19;
    })(),
    subgraphUrls,
    subgraphTimeouts,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    demoData: e.DEMO_DATA ?? e.NODE_ENV !== 'production',
    demoEnterprises: e.DEMO_ENTERPRISES,
    supergraphPath: e.SUPERGRAPH_PATH,
    jwt: {
      secret: jwtSecret,
      publicKey: e.JWT_PUBLIC_KEY,
      jwksUrl: e.JWT_JWKS_URL,
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      maxLifetimeSeconds: e.JWT_MAX_LIFETIME,
      cacheMax: e.JWT_CACHE_MAX,
    },
    gatewayIdentity: { privateKey: gatewayPrivateKey, publicKey: gatewayPublicKey, jwksUrl: e.GATEWAY_JWKS_URL, cacheMax: e.IDENTITY_CACHE_MAX },
    subgraphTimeoutMs: e.SUBGRAPH_TIMEOUT_MS,
    subgraphCalls: {
      connections: e.SUBGRAPH_CONNECTIONS,
      maxConcurrency: e.SUBGRAPH_MAX_CONCURRENCY ?? e.SUBGRAPH_CONNECTIONS,
      maxQueue: e.SUBGRAPH_MAX_QUEUE,
      dedup: e.SUBGRAPH_DEDUP,
    },
    queryLimits: {
      maxDepth: e.QUERY_MAX_DEPTH,
      maxAliases: e.QUERY_MAX_ALIASES,
      maxCost: e.QUERY_MAX_COST,
      maxTokens: e.QUERY_MAX_TOKENS,
      maxDirectives: e.QUERY_MAX_DIRECTIVES,
    },
    queryCacheMaxBytes: e.QUERY_CACHE_MAX_BYTES,
    persistedQueries: e.PERSISTED_QUERIES,
    logLevel: e.LOG_LEVEL,
    metricsToken: e.METRICS_TOKEN,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    http,
    policyExpiryIntervalMs: e.POLICY_EXPIRY_INTERVAL * 1000,
    events: {
      natsUrl: e.NATS_URL,
      streamPrefix: e.NATS_STREAM_PREFIX,
      pollMs: e.EVENTS_POLL_MS,
      maxAttempts: e.EVENTS_MAX_ATTEMPTS,
      retryBaseMs: e.EVENTS_RETRY_BASE_MS,
      ackWaitMs: e.NATS_ACK_WAIT_MS,
    },
    graph: { url: e.GRAPH_URL, serviceTokenFile: e.GRAPH_SERVICE_TOKEN_FILE, serviceTokenDir: e.GRAPH_SERVICE_TOKEN_DIR, timeoutMs: e.GRAPH_TIMEOUT_MS },
    departments: { external: e.EXTERNAL_DEPARTMENTS },
    funds: { bankAdapter: e.BANK_ADAPTER },
    push: { rescreenIntervalMs: e.PUSH_RESCREEN_INTERVAL * 1000 },
    uploads: { maxBytes: e.UPLOAD_MAX_BYTES, dir: e.UPLOAD_DIR ?? join(e.DATA_DIR, 'uploads') },
  };
}

/** Unset timeouts follow the keep-alive timeout; set ones must keep Node's ordering. */
function httpLimits(e: z.infer<typeof EnvSchema>, problems: string[]): HttpLimits {
  const keepAliveTimeoutMs = e.HTTP_KEEP_ALIVE_TIMEOUT_MS;
  const headersTimeoutMs = e.HTTP_HEADERS_TIMEOUT_MS ?? keepAliveTimeoutMs + 1_000;
  const requestTimeoutMs = e.HTTP_REQUEST_TIMEOUT_MS ?? Math.max(DEFAULT_HTTP_LIMITS.requestTimeoutMs, headersTimeoutMs);
  if (headersTimeoutMs <= keepAliveTimeoutMs) {
    problems.push(`HTTP_HEADERS_TIMEOUT_MS: must be longer than HTTP_KEEP_ALIVE_TIMEOUT_MS (${headersTimeoutMs} <= ${keepAliveTimeoutMs})`);
  }
  if (requestTimeoutMs < headersTimeoutMs) {
    problems.push(`HTTP_REQUEST_TIMEOUT_MS: must not be shorter than HTTP_HEADERS_TIMEOUT_MS (${requestTimeoutMs} < ${headersTimeoutMs})`);
  }
  return { keepAliveTimeoutMs, headersTimeoutMs, requestTimeoutMs, maxBodyBytes: e.HTTP_MAX_BODY_BYTES, subgraphMaxBodyBytes: e.SUBGRAPH_MAX_BODY_BYTES };
}
