import type { FlattenedJWSInput, JWTHeaderParameters, JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';

/**
 * No verified token is trusted from memory longer than this after its verification, whatever its
 * `exp`: a belt on top of the rules below (the gateway's keys do not change without a restart;
 * a JWKS is re-read by jose within this time, see JWKS_MAX_AGE_MS).
 */
export const VERIFIED_CACHE_MAX_AGE_MS = 5 * 60_000;

/** How long jose trusts a fetched JWKS before fetching it again: a key removed from it is refused after at most this. */
export const JWKS_MAX_AGE_MS = VERIFIED_CACHE_MAX_AGE_MS;

/** What one full verification of a token established. */
export interface Verified<T> {
  value: T;
  /** The token's `exp` (seconds since the epoch): the entry is never served at or after it. */
  exp: number;
  /** With a JWKS: the token's protected header and the key jose resolved it to (`jwtVerify(…).key`). */
  protectedHeader?: JWTHeaderParameters;
  key?: unknown;
}

interface Entry<T> {
  value: T;
  /** Epoch ms: served strictly before this only. */
  until: number;
  protectedHeader?: JWTHeaderParameters;
  key?: unknown;
}

export interface VerifiedCacheOptions {
  /** Entries kept, least recently used dropped first; 0 turns the cache off. */
  max: number;
  /** Wall clock, epoch ms (tests pass their own). */
  now?: () => number;
  /**
   * The JWKS tokens are verified against. A hit is then served only while the JWKS still resolves
   * the token's header to the very key it was verified with: once jose has re-read a JWKS without
   * that key (rotation), the token is verified again — and refused — exactly as without a cache.
   */
  keys?: JWTVerifyGetKey;
}

export type VerifiedCache<T> = ((token: string, verify: (token: string) => Promise<Verified<T>>) => Promise<T>) & {
  readonly size: number;
};

/**
 * Remembers what verifying a token (a caller's JWT, a gateway identity header) established, keyed
 * by the token string, until the token's `exp` (never past it, never longer than
 * VERIFIED_CACHE_MAX_AGE_MS). Only successes are kept: a token that fails is verified (and
 * refused) every time, and an attacker without a signing key cannot put anything in it.
 */
export function verifiedCache<T extends {}>({ max, now = Date.now, keys }: VerifiedCacheOptions): VerifiedCache<T> {
  // lru-cache's TTL only frees memory; `until` below is what decides, so a cached clock or a
  // timer resolution can never stretch an entry past `exp`.
  const lru = max > 0 ? new LRUCache<string, Entry<T>>({ max, perf: { now } }) : undefined;

  const sameKey = async (entry: Entry<T>, token: string): Promise<boolean> => {
    if (!keys) return true;
    if (!entry.protectedHeader) return false;
    const [protectedPart, payload, signature] = token.split('.');
    const input: FlattenedJWSInput = { protected: protectedPart, payload, signature };
    try {
      return (await keys(entry.protectedHeader, input)) === entry.key;
    } catch {
      return false; // no such key any more (or the JWKS cannot be read): verify in full
    }
  };

  const lookup = async (token: string, verify: (token: string) => Promise<Verified<T>>): Promise<T> => {
    const entry = lru?.get(token);
    if (entry) {
      if (entry.until > now() && (await sameKey(entry, token))) return entry.value;
      if (lru!.peek(token) === entry) lru!.delete(token);
    }
    const verified = await verify(token);
    if (lru) {
      const at = now();
      const until = Math.min(verified.exp * 1000, at + VERIFIED_CACHE_MAX_AGE_MS);
      if (until > at) lru.set(token, { value: verified.value, until, protectedHeader: verified.protectedHeader, key: verified.key }, { ttl: until - at });
    }
    return verified.value;
  };
  return Object.defineProperty(lookup, 'size', { get: () => lru?.size ?? 0 }) as VerifiedCache<T>;
}
