import { readFile } from 'node:fs/promises';
import { signDevToken } from '../../gateway/auth';
import type { Config } from '../../platform/config';
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
  request<T = Record<string, any>>(query: string, variables: Record<string, unknown>, options: { purpose: string; region: string }): Promise<T>;
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
  /** Elsewhere: the dev/test HS256 settings, to mint a short-lived ADMIN token for the region asked for. */
  jwt?: Config['jwt'];
}

/**
 * The client for this process, or undefined when it has no way to authenticate: neither a token
 * file nor (outside production) the HS256 secret. Callers then skip their work (docs/matching.md).
 */
export function createGraphClient(options: GraphClientOptions): GraphClient | undefined {
  const token = tokenSource(options);
  if (!token) return undefined;
  return {
    async request<T>(query: string, variables: Record<string, unknown>, { purpose, region }: { purpose: string; region: string }): Promise<T> {
      const response = await fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(region)}`, [PURPOSE_HEADER]: encodePurpose(purpose) },
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

/** Where the bearer token comes from: the token file (always re-read), else a minted dev token per region. */
function tokenSource(options: GraphClientOptions): ((region: string) => Promise<string>) | undefined {
  const file = options.tokenFile;
  if (file) {
    return async () => {
      const token = (await readFile(file, 'utf8')).trim();
      if (!token) throw new GraphRequestError(`graph: the token file ${file} (GRAPH_SERVICE_TOKEN_FILE) is empty`, ['NO_TOKEN']);
      return token;
    };
  }
  const jwt = options.jwt;
  if (!jwt?.secret) return undefined;
  const minted = new Map<string, { token: Promise<string>; reuseUntil: number }>();
  return (region) => {
    const kept = minted.get(region);
    if (kept && kept.reuseUntil > Date.now()) return kept.token;
    const token = signDevToken(jwt, { role: 'ADMIN', region, sub: SERVICE_SUBJECT }, `${MINTED_TTL_SECONDS}s`);
    minted.set(region, { token, reuseUntil: Date.now() + (MINTED_TTL_SECONDS - 60) * 1000 });
    return token;
  };
}

/**
 * The client a process's config gives: the token file, else (outside production) the HS256
 * secret; `url` is GRAPH_URL, else the gateway this process started (`defaultUrl`).
 */
export function graphClientFromConfig(config: Pick<Config, 'graph' | 'jwt' | 'production'>, defaultUrl?: string): GraphClient | undefined {
  const url = config.graph.url ?? defaultUrl;
  if (!url) return undefined;
  return createGraphClient({ url, timeoutMs: config.graph.timeoutMs, tokenFile: config.graph.serviceTokenFile, jwt: config.production ? undefined : config.jwt });
}
