import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The relays' own bookkeeping (reading the outbox past a cursor, saving cursors, delivery states
 * and publish marks) runs in the background at any moment. Its statements are traced like any
 * other but not handed to `onStatement` (kit/orm.ts), which tests use to count what a request
 * costs. A consumer's handler, inbox insert and dead letters are work, and are reported.
 */
const bookkeeping = new AsyncLocalStorage<true>();

export const asBookkeeping = <T>(run: () => T): T => bookkeeping.run(true, run);
export const asWork = <T>(run: () => T): T => bookkeeping.exit(run);
export const inBookkeeping = (): boolean => bookkeeping.getStore() === true;
