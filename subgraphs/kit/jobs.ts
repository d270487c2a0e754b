import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { Config } from '../../platform/config';
import type { Logger } from '../../platform/logger';
import type { SubgraphDefinition } from './subgraph';

/**
 * Periodic work a subgraph does by itself (e.g. the audit store signing its chain head). Each
 * run gets a fresh EntityManager; it runs outside any request, so it emits no audit event unless
 * it acts in a system audit scope (`runAsSystem`, kit/audit-trail.ts). With several replicas every
 * replica runs it: a job must be idempotent (check, then act, under a lock).
 */
export interface Job {
  name: string;
  /** Milliseconds between the end of one run and the start of the next; or read from the config (e.g. POLICY_EXPIRY_INTERVAL). */
  everyMs: number | ((config: Config) => number);
  run(em: EntityManager, log: Logger): Promise<void>;
}

export interface JobsRuntime {
  /** Stops the timers and waits for runs in flight. Idempotent. */
  stop(): Promise<void>;
}

/** Starts every job of every subgraph this process runs (main.ts, after the databases are open). */
export function startJobs(subgraphs: { definition: SubgraphDefinition<any>; orm: MikroORM }[], log: Logger, config?: Config): JobsRuntime {
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  for (const { definition, orm } of subgraphs) {
    for (const job of definition.jobs ?? []) {
      const jobLog = log.child({ service: definition.name, job: job.name });
      if (typeof job.everyMs !== 'number' && !config) throw new Error(`job ${definition.name}/${job.name} reads its interval from the config: pass it to startJobs`);
      const everyMs = typeof job.everyMs === 'number' ? job.everyMs : job.everyMs(config!);
      const schedule = () => {
        if (stopped) return;
        // unref: a timer alone never keeps the process up (shutdown owns that).
        const timer = setTimeout(() => {
          timers.delete(timer);
          const run = job
            .run(orm.em.fork(), jobLog)
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
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        await Promise.allSettled([...running]);
      })()),
  };
}
