import autocannon from 'autocannon';

/**
 * The load generator, run by bench/gateway.ts as a child process of its own (never in an event
 * loop it measures): reads one LoadSpec as JSON from argv[2], loads the target with autocannon and
 * prints one LoadResult as JSON on stdout.
 */

export interface LoadSpec {
  url: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  seconds: number;
}

export interface LoadResult {
  /** Completed requests: what requests/s counts. */
  requests: number;
  /** Sent, the ones still in flight when the load stopped included: what the servers worked on. */
  sent: number;
  seconds: number;
  rps: number;
  /** Milliseconds, from every response's own timing. */
  p50: number;
  p99: number;
  /** Connection errors and timeouts. */
  errors: number;
  non2xx: number;
  /** 2xx responses whose body carried GraphQL `errors`. */
  graphqlErrors: number;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Latencies come from autocannon's per-response timings: its own histogram rounds to whole milliseconds. */
export async function load(spec: LoadSpec): Promise<LoadResult> {
  if (new URL(spec.url).hostname !== '127.0.0.1') throw new Error(`refusing to load ${spec.url}: the bench only targets 127.0.0.1`);
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        method: 'POST',
        headers: spec.headers,
        body: spec.body,
        connections: spec.connections,
        duration: spec.seconds,
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
    sent: (result.requests as { sent?: number }).sent ?? result.requests.total,
    seconds: result.duration,
    rps: result.requests.total / result.duration,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors: result.errors,
    non2xx: result.non2xx,
    graphqlErrors: result.mismatches,
  };
}

if (require.main === module) {
  load(JSON.parse(process.argv[2] ?? '') as LoadSpec).then(
    (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
    (error) => {
      process.stderr.write(`${error?.stack ?? error}\n`);
      process.exitCode = 1;
    },
  );
}
