import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { Config } from '../../platform/config';
import type { Logger } from '../../platform/logger';
import type { Services } from './services';
import type { SubgraphDefinition } from './subgraph';

/**
 * Periodic work a subgraph does by itself (e.g. the audit store signing its chain head). Each
 * run gets a fresh EntityManager; it runs outside any request, so it emits no audit event unless
 * it acts in a system audit scope (`runAsSystem`, kit/audit-trail.ts). With several replicas every
 * replica runs it: a job must be idempotent (check, then act, under a lock).
 */
export interface Job {
  name: string;
  /** Milliseconds between the end of one run and the start of the next; a function reads it from the config. */
  everyMs: number | ((config: Config) => number);
  /** `services`: the graph client and the clock (kit/services.ts); tests call `run` with their own. */
  run(em: EntityManager, log: Logger, services: Services): Promise<void>;
}

export interface JobsRuntime {
  /** Stops the timers and waits for runs in flight. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts every job of every subgraph this process runs (main.ts, after the databases are open).
 * `config` is needed by jobs whose interval is a setting.
 */
export function startJobs(
  subgraphs: { definition: SubgraphDefinition<any>; orm: MikroORM }[],
  log: Logger,
  { services = {}, config }: { services?: Services; config?: Config } = {},
): JobsRuntime {
  let stopped = false;
  // Runs in flight see `services.signal` aborted on stop and end at their next step.
  const abort = new AbortController();
  const given: Services = { ...services, signal: abort.signal };
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  for (const { definition, orm } of subgraphs) {
    for (const job of definition.jobs ?? []) {
      const jobLog = log.child({ service: definition.name, job: job.name });
      if (typeof job.everyMs === 'function' && !config) throw new Error(`job ${job.name}: its interval is a setting: startJobs needs the config`);
      const everyMs = typeof job.everyMs === 'function' ? job.everyMs(config!) : job.everyMs;
      const schedule = () => {
        if (stopped) return;
        // unref: a timer alone never keeps the process up (shutdown owns that).
        const timer = setTimeout(() => {
          timers.delete(timer);
          const run = job
            .run(orm.em.fork(), jobLog, given)
            .catch((error) => jobLog.error('job failed; next run as scheduled', { error }))
            .finally(() => {
              running.delete(run);
              schedule();
            });
          running.add(run);
        }, everyMs);
        timer.unref();
        timers.add(timer);
      };
      schedule();
    }
  }
  let stopping: Promise<void> | undefined;
  return {
    stop: () =>
      (stopping ??= (async () => {
        stopped = true;
        abort.abort();
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        await Promise.allSettled([...running]);
      })()),
  };
}
