import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { signDevToken } from '../../gateway/auth';
import type { Config } from '../../platform/config';
import { departmentRegion } from '../../platform/directory';
import { encodePurpose, PURPOSE_HEADER } from '../../platform/purpose';

/**
 * The graph as a client, for a subgraph's background work (consumers, jobs): a POST to the
 * gateway with a bearer token and a purpose, like any other caller, so the sources apply their
 * reader rules and log the access exactly as for a person. Never a shortcut past the gateway.
 */
export interface GraphClient {
  /**
   * Runs one operation and returns its `data`. `region` is the region the service identity acts
   * for (used when the client mints its own token; a deployment's token file says its own).
   * GraphQL errors, an HTTP failure or the timeout are thrown (`GraphRequestError`).
   */
  request<T = Record<string, any>>(query: string, variables: Record<string, unknown>, options: GraphRequestOptions): Promise<T>;
}

/**
 * A department's own system identity, for work done on a department's behalf (the departments
 * subgraph pushing a decision back to the applications subgraph): the graph's rules then see that
 * department, exactly as for its own system calling in.
 */
export interface DepartmentServiceIdentity {
  /**
   * DEPARTMENT_SYSTEM for a department's system; APPROVAL_BUREAU (department `<county>-APPROVAL`)
   * for the payer's own work (the applications subgraph reading payee accounts of a 免申即享 list).
   */
  role: 'DEPARTMENT_SYSTEM' | 'APPROVAL_BUREAU';
  /** A department code the platform knows, e.g. `360732-MIIT`. */
  department: string;
  /** Who acts, as the audit trail and timelines show it, e.g. `service:departments`. */
  subject: string;
}

export interface GraphRequestOptions {
  /** Recorded with every read of another department's records (the access log). */
  purpose: string;
  /** The region the identity acts for. */
  region: string;
  /** Act as a department's system instead of the process's own service identity (ADMIN). */
  as?: DepartmentServiceIdentity;
}

/** What the graph answered instead of data: its errors' codes (`FORBIDDEN`, `BAD_USER_INPUT` …), or the HTTP status. */
export class GraphRequestError extends Error {
  constructor(
    message: string,
    readonly codes: string[],
    readonly status?: number,
  ) {
    super(message);
    this.name = 'GraphRequestError';
  }
}

/** The subject every minted token carries: the audit trail and the access log show who asked. */
export const SERVICE_SUBJECT = 'service:policies-push';
/** Minted tokens live this long and are reused while they have more than a minute left. */
const MINTED_TTL_SECONDS = 300;

export interface GraphClientOptions {
  /** The gateway's GraphQL endpoint. */
  url: string;
  timeoutMs: number;
  /** Production: a file holding the service token, read on every call (the deployment rotates it). */
  tokenFile?: string;
  /**
   * Production: a directory with one token file per department (`<dir>/360732-MIIT`), each a
   * DEPARTMENT_SYSTEM token of that department, read on every call; used for requests `as` a department.
   */
  tokenDir?: string;
  /** Elsewhere: the dev/test HS256 settings, to mint a short-lived ADMIN token for the region asked for. */
  jwt?: Config['jwt'];
}

/**
 * The client for this process, or undefined when it has no way to authenticate: no token file, no
 * token directory and (outside production) no HS256 secret. Callers then skip their work
 * (docs/matching.md). A request whose identity has no token (`as` a department without a file for
 * it; the service identity with only a directory) is refused with `NO_TOKEN`.
 */
export function createGraphClient(options: GraphClientOptions): GraphClient | undefined {
  const token = tokenSource(options);
  if (!token) return undefined;
  return {
    async request<T>(query: string, variables: Record<string, unknown>, { purpose, region, as }: GraphRequestOptions): Promise<T> {
      const bearer = await token(region, as);
      const response = await fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}`, [PURPOSE_HEADER]: encodePurpose(purpose) },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(options.timeoutMs),
      }).catch((error: Error) => {
        const timeout = error.name === 'TimeoutError';
        throw new GraphRequestError(timeout ? `graph: no answer within ${options.timeoutMs} ms (GRAPH_TIMEOUT_MS)` : `graph: ${error.message}`, [timeout ? 'TIMEOUT' : 'UNREACHABLE']);
      });
      const text = await response.text();
      let body: { data?: T | null; errors?: { message?: string; extensions?: { code?: string } }[] };
      try {
        body = JSON.parse(text);
      } catch {
        throw new GraphRequestError(`graph: HTTP ${response.status} without a GraphQL answer`, [`HTTP_${response.status}`], response.status);
      }
      if (body.errors?.length) {
        const codes = [...new Set(body.errors.map((e) => e.extensions?.code ?? 'UNKNOWN'))];
        throw new GraphRequestError(`graph: ${body.errors.map((e) => `${e.extensions?.code ?? 'UNKNOWN'}: ${e.message}`).join('; ').slice(0, 1000)}`, codes, response.status);
      }
      if (!body.data) throw new GraphRequestError(`graph: HTTP ${response.status} without data`, [`HTTP_${response.status}`], response.status);
      return body.data;
    },
  };
}

/** Reads a token file on every call (the deployment rotates it); empty or missing is `NO_TOKEN`. */
async function readToken(file: string, setting: string): Promise<string> {
  const token = (await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new GraphRequestError(`graph: cannot read the token file ${file} (${setting}): ${error.code ?? error.message}`, ['NO_TOKEN']);
  })).trim();
  if (!token) throw new GraphRequestError(`graph: the token file ${file} (${setting}) is empty`, ['NO_TOKEN']);
  return token;
}

type TokenSource = (region: string, as?: DepartmentServiceIdentity) => Promise<string>;

/**
 * Where the bearer token comes from. The process's own identity: the token file (always re-read),
 * else a minted dev ADMIN token per region. A department's system (`as`): its file in the token
 * directory, else a minted dev DEPARTMENT_SYSTEM token. Files win over the secret; an identity is
 * never stood in for by another (no department file: `NO_TOKEN`, not the service's own token).
 */
function tokenSource(options: GraphClientOptions): TokenSource | undefined {
  const { tokenFile: file, tokenDir: dir, jwt } = options;
  const secret = jwt?.secret ? jwt : undefined;
  if (!file && !dir && !secret) return undefined;
  const minted = new Map<string, { token: Promise<string>; reuseUntil: number }>();
  const mint = (claims: { role: string; region: string; sub: string; department?: string }) => {
    const key = JSON.stringify(claims);
    const kept = minted.get(key);
    if (kept && kept.reuseUntil > Date.now()) return kept.token;
    const token = signDevToken(secret!, claims, `${MINTED_TTL_SECONDS}s`);
    minted.set(key, { token, reuseUntil: Date.now() + (MINTED_TTL_SECONDS - 60) * 1000 });
    return token;
  };
  return async (region, as) => {
    if (!as) {
      if (file) return readToken(file, 'GRAPH_SERVICE_TOKEN_FILE');
      if (secret) return mint({ role: 'ADMIN', region, sub: SERVICE_SUBJECT });
      throw new GraphRequestError('graph: no service token: set GRAPH_SERVICE_TOKEN_FILE', ['NO_TOKEN']);
    }
    // The code names a file: only a department the platform knows (no path out of the directory).
    if (!departmentRegion(as.department)) throw new GraphRequestError(`graph: unknown department ${JSON.stringify(as.department).slice(0, 40)}`, ['NO_TOKEN']);
    if (dir) return readToken(join(dir, as.department), 'GRAPH_SERVICE_TOKEN_DIR');
    if (secret) return mint({ role: as.role, department: as.department, region, sub: as.subject });
    throw new GraphRequestError(`graph: no token for ${as.department}'s system: set GRAPH_SERVICE_TOKEN_DIR (a file <dir>/${as.department})`, ['NO_TOKEN']);
  };
}

/**
 * The client a process's config gives: the token file and directory, else (outside production)
 * the HS256 secret; `url` is GRAPH_URL, else the gateway this process started (`defaultUrl`).
 */
export function graphClientFromConfig(config: Pick<Config, 'graph' | 'jwt' | 'production'>, defaultUrl?: string): GraphClient | undefined {
  const url = config.graph.url ?? defaultUrl;
  if (!url) return undefined;
  return createGraphClient({
    url,
    timeoutMs: config.graph.timeoutMs,
    tokenFile: config.graph.serviceTokenFile,
    tokenDir: config.graph.serviceTokenDir,
    jwt: config.production ? undefined : config.jwt,
  });
}
