import type { Config } from '../../platform/config';
import type { GraphClient } from './graph-client';

/**
 * What a subgraph's background work (event consumers, jobs) may use besides its own database,
 * handed in by whoever starts it (main.ts, the test graph): no module-level globals.
 */
export interface Services {
  /** The graph (gateway) as a client; absent when the process has no URL or no way to authenticate (kit/graph-client.ts). */
  graph?: GraphClient;
  /** The clock; tests set it. Unset: the system clock. */
  now?: () => Date;
  /** The process's settings, for work whose behaviour is one (EXTERNAL_DEPARTMENTS, BANK_ADAPTER); unset: each reader's default. */
  config?: Pick<Config, 'departments' | 'funds'>;
  /** Aborted when the process stops (kit/jobs.ts): long work ends at its next step instead of holding the shutdown. */
  signal?: AbortSignal;
}

/** The time background work acts at: the services' clock, else the system's. */
export const nowOf = (services: Services): Date => services.now?.() ?? new Date();

/**
 * The services a subgraph's requests see (`Context.services`), filled in once they exist: the
 * graph client needs the gateway's URL, and the gateway starts after the subgraphs it routes to.
 * Until then requests see no graph client (resolvers that need one refuse clearly).
 */
export interface ServicesHolder {
  current: Services;
}

export const servicesHolder = (initial: Services = {}): ServicesHolder => ({ current: initial });
