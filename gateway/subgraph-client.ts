import { Pool } from 'undici';
import type { GatewayMetrics } from '../platform/metrics';

/** How the gateway calls subgraphs (config.subgraphCalls: SUBGRAPH_CONNECTIONS, …). */
export interface SubgraphCallOptions {
  /** Keep-alive connections per subgraph. */
  connections: number;
  /** Calls in flight per subgraph; more wait in the queue. */
  maxConcurrency: number;
  /** Calls waiting per subgraph; past it a call is shed at once (OVERLOADED, HTTP 503). */
  maxQueue: number;
  /** Identical concurrent queries share one call. */
  dedup: boolean;
}

/** What a subgraph answered, unparsed: every caller sharing the call parses its own copy. */
export interface SubgraphReply {
  status: number;
  contentType: string;
  text: string;
}

export interface SubgraphCall {
  /** The JSON request body (query, variables, operationName). */
  body: string;
  headers: Record<string, string>;
  /** Absolute deadline (ms since epoch, performance.now() clock); queueing counts. */
  deadline: number;
  /** Calls with the same key while one is in flight share it; none for mutations. */
  dedupKey?: string;
}

/** The call waited past its deadline (in the queue or for the subgraph). */
export class SubgraphTimeoutError extends Error {
  override name = 'TimeoutError';
}

/** The subgraph's queue is full: the gateway sheds the call rather than let it time out late. */
export class SubgraphOverloadedError extends Error {
  override name = 'SubgraphOverloadedError';
}

interface Waiter {
  resolve(): void;
  timer: NodeJS.Timeout;
}

/**
 * One subgraph's HTTP client: an undici Pool of keep-alive connections (its `request`, not the
 * WHATWG fetch layer, which cost ~44 % of the gateway's busy time), a concurrency limit with a
 * bounded queue, and in-flight deduplication. The deadline is the request's headers/body
 * timeouts: undici's own timers, no AbortSignal per call; a timed-out request's socket is closed,
 * so the subgraph sees the call cancelled.
 */
export class SubgraphClient {
  private readonly pool: Pool;
  private readonly path: string;
  private readonly inFlight = new Map<string, Promise<SubgraphReply>>();
  private readonly queue: Waiter[] = [];
  private active = 0;

  constructor(
    readonly serviceName: string,
    url: string,
    private readonly options: SubgraphCallOptions,
    private readonly metrics?: Pick<GatewayMetrics, 'observeDedup' | 'observeShed'>,
  ) {
    const parsed = new URL(url);
    this.path = parsed.pathname + parsed.search;
    this.pool = new Pool(parsed.origin, { connections: options.connections });
  }

  get load() {
    return { inFlight: this.active, queued: this.queue.length };
  }

  call(call: SubgraphCall): Promise<SubgraphReply> {
    if (!this.options.dedup || call.dedupKey === undefined) return this.send(call);
    const shared = this.inFlight.get(call.dedupKey);
    if (shared) {
      this.metrics?.observeDedup(this.serviceName);
      return shared;
    }
    const key = call.dedupKey;
    const reply = this.send(call).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, reply);
    return reply;
  }

  /** Lets calls in flight finish, then closes the connections. */
  close(): Promise<void> {
    return this.pool.close();
  }

  private async send(call: SubgraphCall): Promise<SubgraphReply> {
    await this.acquire(call.deadline);
    try {
      const remaining = Math.max(1, Math.ceil(call.deadline - performance.now()));
      const response = await this.pool.request({
        path: this.path,
        method: 'POST',
        headers: call.headers,
        body: call.body,
        // The whole deadline left, for the headers and for any gap in the body: subgraph answers
        // are small, so in practice one deadline for the call.
        headersTimeout: remaining,
        bodyTimeout: remaining,
      });
      const header = response.headers['content-type'];
      return { status: response.statusCode, contentType: (Array.isArray(header) ? header[0] : header) ?? '', text: await response.body.text() };
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') throw new SubgraphTimeoutError(String((error as Error).message), { cause: error });
      throw error;
    } finally {
      this.release();
    }
  }

  private acquire(deadline: number): Promise<void> | void {
    if (this.active < this.options.maxConcurrency) {
      this.active++;
      return;
    }
    if (this.queue.length >= this.options.maxQueue) {
      this.metrics?.observeShed(this.serviceName);
      throw new SubgraphOverloadedError(`${this.serviceName}: ${this.active} calls in flight, ${this.queue.length} queued`);
    }
    return new Promise<void>((resolve, reject) => {
      // A timer only for a call that has to wait (overload), not one per call.
      const waiter: Waiter = {
        resolve,
        timer: setTimeout(() => {
          this.queue.splice(this.queue.indexOf(waiter), 1);
          reject(new SubgraphTimeoutError(`${this.serviceName}: deadline passed in the queue`));
        }, deadline - performance.now()),
      };
      this.queue.push(waiter);
    });
  }

  private release(): void {
    const next = this.queue.shift();
    if (!next) {
      this.active--;
      return;
    }
    // The slot passes straight to the next waiter.
    clearTimeout(next.timer);
    next.resolve();
  }
}

/** How long a client replaced by a reload keeps serving plans made before it (longer than any deadline). */
const RETIRE_AFTER_MS = 60_000;

/**
 * Every subgraph's client, one per subgraph and URL: a supergraph reload that moves a subgraph
 * gets a new client; the old one is closed a while later (a request planned before the reload
 * may still call it), or at stop.
 */
export class SubgraphClients {
  private readonly clients = new Map<string, { url: string; client: SubgraphClient }>();
  private readonly retired = new Set<SubgraphClient>();

  constructor(
    private readonly options: SubgraphCallOptions,
    private readonly metrics?: Pick<GatewayMetrics, 'observeDedup' | 'observeShed'>,
  ) {}

  get(serviceName: string, url: string): SubgraphClient {
    const current = this.clients.get(serviceName);
    if (current && current.url === url) return current.client;
    if (current) this.retire(current.client);
    const client = new SubgraphClient(serviceName, url, this.options, this.metrics);
    this.clients.set(serviceName, { url, client });
    return client;
  }

  load(): { subgraph: string; inFlight: number; queued: number }[] {
    return [...this.clients.values()].map(({ client }) => ({ subgraph: client.serviceName, ...client.load }));
  }

  async close(): Promise<void> {
    const all = [...[...this.clients.values()].map(({ client }) => client), ...this.retired];
    this.clients.clear();
    this.retired.clear();
    await Promise.all(all.map((client) => client.close().catch(() => undefined)));
  }

  private retire(client: SubgraphClient): void {
    this.retired.add(client);
    setTimeout(() => {
      if (this.retired.delete(client)) void client.close().catch(() => undefined);
    }, RETIRE_AFTER_MS).unref();
  }
}
