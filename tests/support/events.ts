import { randomBytes } from 'node:crypto';
import { connect } from 'nats';
import type { Registry } from 'prom-client';
import type { EventsConfig } from '../../subgraphs/kit/events';

export const NATS_TEST_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** Waits for a condition the system reaches by itself (a delivery); fails after `timeoutMs`, never asserts on time. */
export async function eventually<T>(read: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not reached within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Fast relays for tests; on NATS a random stream prefix so no two runs share streams. */
export function testEventsConfig(transport: 'in-process' | 'nats', overrides: Partial<EventsConfig> = {}): EventsConfig {
  return {
    natsUrl: transport === 'nats' ? NATS_TEST_URL : undefined,
    streamPrefix: `T${randomBytes(6).toString('hex').toUpperCase()}`,
    pollMs: 50,
    maxAttempts: 3,
    retryBaseMs: 20,
    ackWaitMs: 1_000,
    ...overrides,
  };
}

/** Deletes every stream of a test prefix. */
export async function deleteStreams(prefix: string): Promise<void> {
  const nc = await connect({ servers: NATS_TEST_URL });
  try {
    const jsm = await nc.jetstreamManager();
    for await (const stream of jsm.streams.list()) {
      if (stream.config.name.startsWith(`${prefix}_`)) await jsm.streams.delete(stream.config.name);
    }
  } finally {
    await nc.close();
  }
}

/** The value of a counter/gauge in a registry (summed over labels matching `labels`). */
export async function metricValue(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  return values.filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l)).reduce((sum, v) => sum + v.value, 0);
}
