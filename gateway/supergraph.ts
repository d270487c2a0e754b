import { channel } from 'node:diagnostics_channel';
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import type { SupergraphSdlHook } from '@apollo/gateway';
import type { Logger } from '../platform/logger';

/** What became of one attempt to reload a changed supergraph file. */
export interface SupergraphReload {
  path: string;
  outcome: 'reloaded' | 'rejected' | 'unreadable';
  error?: unknown;
}

/**
 * Every reload attempt is published as a SupergraphReload on this diagnostics_channel (free
 * without subscribers), so tests and tools wait for the attempt instead of guessing its timing.
 */
export const SUPERGRAPH_RELOAD_CHANNEL = 'qinqing-hub:supergraph-reload';
const supergraphReloads = channel(SUPERGRAPH_RELOAD_CHANNEL);

/**
 * Serves the committed supergraph file and swaps in a new one when the file changes. The gateway
 * plans each request against the schema it started with, so requests in flight finish on the old
 * schema and none are dropped. A file that does not compose is logged and the old schema kept.
 */
export function supergraphFromFile(path: string, log: Logger, pollMs = 1000): SupergraphSdlHook & { loaded: () => boolean } {
  let loaded = false;
  const hook = (async ({ update, healthCheck }) => {
    let current = readFileSync(path, 'utf8');
    const onChange = async () => {
      let next: string;
      try {
        next = readFileSync(path, 'utf8');
      } catch (error) {
        log.error('supergraph file unreadable; keeping the loaded schema', { path, error });
        supergraphReloads.publish({ path, outcome: 'unreadable', error } satisfies SupergraphReload);
        return;
      }
      if (next === current) return;
      try {
        await healthCheck(next).catch((error) => log.warn('subgraph health check failed for new supergraph', { error }));
        update(next);
        current = next;
        log.info('supergraph reloaded', { path });
        supergraphReloads.publish({ path, outcome: 'reloaded' } satisfies SupergraphReload);
      } catch (error) {
        log.error('new supergraph rejected; keeping the loaded schema', { path, error });
        supergraphReloads.publish({ path, outcome: 'rejected', error } satisfies SupergraphReload);
      }
    };
    watchFile(path, { interval: pollMs }, () => void onChange());
    loaded = true;
    return {
      supergraphSdl: current,
      cleanup: async () => unwatchFile(path),
    };
  }) as SupergraphSdlHook & { loaded: () => boolean };
  hook.loaded = () => loaded;
  return hook;
}
