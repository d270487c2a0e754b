import { z } from 'zod';

/** Signing keys that only exist so `npm start` works out of the box; production refuses them. */
export const DEV_JWT_SECRET = 'qinqing-hub-dev-only-jwt-secret-change-me-in-production';
export const DEV_INTERNAL_SECRET = 'qinqing-hub-dev-only-internal-identity-secret-change-me';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(4000),
  /** Subgraph i (in registry order) listens on SUBGRAPH_PORT_BASE + i when run in one process. */
  SUBGRAPH_PORT_BASE: port.optional(),
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
  INTERNAL_IDENTITY_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SUBGRAPH_TIMEOUT_MS: positiveInt.default(3000),
  QUERY_MAX_DEPTH: positiveInt.optional(),
  QUERY_MAX_ALIASES: positiveInt.optional(),
  QUERY_MAX_COST: positiveInt.optional(),
  QUERY_MAX_TOKENS: positiveInt.optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  // --- lifecycle and HTTP (see "Lifecycle" in docs/architecture.md) ---
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: positiveInt.default(65_000),
  HTTP_HEADERS_TIMEOUT_MS: positiveInt.optional(),
  HTTP_REQUEST_TIMEOUT_MS: positiveInt.optional(),
  HTTP_MAX_BODY_BYTES: positiveInt.default(1_000_000),
});

/**
 * Rules for production, checked on the raw environment so they are reported together with any
 * malformed value (a zod refinement would only run once everything else parsed).
 */
function productionProblems(env: NodeJS.ProcessEnv): string[] {
  if (env.NODE_ENV !== 'production') return [];
  const problems: string[] = [];
  if (!env.INTERNAL_IDENTITY_SECRET) problems.push('INTERNAL_IDENTITY_SECRET: required in production (the dev secret is public)');
  if (!env.JWT_SECRET && !env.JWT_PUBLIC_KEY && !env.JWT_JWKS_URL) {
    problems.push('JWT_JWKS_URL: production needs JWT_JWKS_URL, JWT_PUBLIC_KEY or JWT_SECRET to verify callers');
  }
  if (!env.DATABASE_URL) problems.push('DATABASE_URL: production runs on PostgreSQL, not the embedded SQLite');
  return problems;
}

export interface Config {
  env: 'development' | 'test' | 'production';
  production: boolean;
  host: string;
  port: number;
  subgraphPortBase: number;
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
  jwt: { secret?: string; publicKey?: string; jwksUrl?: string; issuer: string; audience: string };
  internalSecret: string;
  subgraphTimeoutMs: number;
  queryLimits: { maxDepth?: number; maxAliases?: number; maxCost?: number; maxTokens?: number };
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** SIGTERM/SIGINT: drain, close the database, exit 0 within this; past it exit 1. */
  shutdownTimeoutMs: number;
  http: HttpLimits;
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
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  keepAliveTimeoutMs: 65_000,
  headersTimeoutMs: 66_000,
  requestTimeoutMs: 120_000,
  maxBodyBytes: 1_000_000,
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

/** Parses the environment once, listing every problem at once so a deployment is fixed in one go. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  const problems: string[] = productionProblems(env);
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
  const http = parsed.success ? httpLimits(parsed.data, problems) : DEFAULT_HTTP_LIMITS;
  if (problems.length || !parsed.success) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    production: e.NODE_ENV === 'production',
    host: e.HOST,
    port: e.PORT,
    subgraphPortBase: e.SUBGRAPH_PORT_BASE ?? (e.PORT === 0 ? 0 : e.PORT + 1),
    subgraphUrls,
    subgraphTimeouts,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    demoData: e.DEMO_DATA ?? e.NODE_ENV !== 'production',
    demoEnterprises: e.DEMO_ENTERPRISES,
    supergraphPath: e.SUPERGRAPH_PATH,
    jwt: {
      secret: e.JWT_SECRET ?? (e.JWT_PUBLIC_KEY || e.JWT_JWKS_URL ? undefined : DEV_JWT_SECRET),
      publicKey: e.JWT_PUBLIC_KEY,
      jwksUrl: e.JWT_JWKS_URL,
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
    },
    internalSecret: e.INTERNAL_IDENTITY_SECRET ?? DEV_INTERNAL_SECRET,
    subgraphTimeoutMs: e.SUBGRAPH_TIMEOUT_MS,
    queryLimits: {
      maxDepth: e.QUERY_MAX_DEPTH,
      maxAliases: e.QUERY_MAX_ALIASES,
      maxCost: e.QUERY_MAX_COST,
      maxTokens: e.QUERY_MAX_TOKENS,
    },
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    http,
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
  return { keepAliveTimeoutMs, headersTimeoutMs, requestTimeoutMs, maxBodyBytes: e.HTTP_MAX_BODY_BYTES };
}
