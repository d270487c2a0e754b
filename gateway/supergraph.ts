import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import type { SupergraphSdlHook } from '@apollo/gateway';
import type { Logger } from '../platform/logger';

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
        return;
      }
      if (next === current) return;
      try {
        await healthCheck(next).catch((error) => log.warn('subgraph health check failed for new supergraph', { error }));
        update(next);
        current = next;
        log.info('supergraph reloaded', { path });
      } catch (error) {
        log.error('new supergraph rejected; keeping the loaded schema', { path, error });
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
