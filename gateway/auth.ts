import { createRemoteJWKSet, importSPKI, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyResult } from 'jose';
import type { Config } from '../platform/config';
import { unauthenticated } from '../platform/errors';
import { ANONYMOUS, identityFromClaims, type Identity } from '../platform/identity';
import { JWKS_MAX_AGE_MS, verifiedCache, type Verified } from '../platform/verified-cache';

/** Clocks of the identity provider and the gateway may differ a little. */
const CLOCK_SKEW_SECONDS = 60;

/** Tokens kept verified when JWT_CACHE_MAX is not given. */
export const DEFAULT_TOKEN_CACHE_MAX = 10_000;

const BEARER = /^Bearer\s+(\S+)$/i;

const hours = (seconds: number) => `${Math.round((seconds / 3600) * 10) / 10} 小时`;

/**
 * What a user token must say about time beyond a valid signature: an `exp`, a lifetime within
 * the configured maximum (a stolen token lives at most that long) and no `iat` in the future.
 */
export function checkTokenTimes(payload: JWTPayload, maxLifetimeSeconds: number, now = Math.floor(Date.now() / 1000)): void {
  if (typeof payload.exp !== 'number') throw unauthenticated('令牌缺少过期时间 (exp)：请使用有有效期的令牌');
  if (payload.iat !== undefined && payload.iat > now + CLOCK_SKEW_SECONDS) {
    throw unauthenticated('令牌的签发时间 (iat) 在未来：请检查签发方的系统时钟');
  }
  const lifetime = payload.exp - (payload.iat ?? now);
  if (lifetime > maxLifetimeSeconds) {
    throw unauthenticated(`令牌有效期 (exp) 过长：${hours(lifetime)}，平台上限为 ${hours(maxLifetimeSeconds)} (JWT_MAX_LIFETIME)`);
  }
}

/** Test seams: a clock, and jose's JWKS refresh settings. */
export interface AuthenticatorOptions {
  /** Epoch ms; both the verification (`exp`, `iat`) and the token cache read it. */
  now?: () => number;
  jwks?: { cacheMaxAge?: number; cooldownDuration?: number };
}

/**
 * Verifies the caller's bearer token: HS256 with a shared secret (dev default), a PEM public key,
 * or a JWKS URL (production identity provider). No token means the anonymous public; a token that
 * does not verify, or whose claims do not hold, is refused (401), never treated as anonymous.
 *
 * A verified token's identity is kept (JWT_CACHE_MAX tokens, LRU) until its `exp`, so a caller's
 * next requests skip the signature and claim checks; see platform/verified-cache.ts for why a
 * cached token is never served after `exp` nor after its key left the JWKS.
 */
export async function createAuthenticator(
  jwt: Config['jwt'],
  { now = Date.now, jwks: jwksOptions }: AuthenticatorOptions = {},
): Promise<(authorization: string | undefined) => Promise<Identity>> {
  const options = { issuer: jwt.issuer, audience: jwt.audience, clockTolerance: CLOCK_SKEW_SECONDS };
  let keys: JWTVerifyGetKey | undefined;
  let verify: (token: string) => Promise<JWTVerifyResult>;
  if (jwt.jwksUrl) {
    const remote = createRemoteJWKSet(new URL(jwt.jwksUrl), { cacheMaxAge: JWKS_MAX_AGE_MS, ...jwksOptions });
    keys = remote;
    verify = (token) => jwtVerify(token, remote, { ...options, currentDate: new Date(now()) });
  } else if (jwt.publicKey) {
    const key = await importSPKI(jwt.publicKey, 'RS256').catch(() => importSPKI(jwt.publicKey!, 'ES256'));
    verify = (token) => jwtVerify(token, key, { ...options, algorithms: ['RS256', 'ES256'], currentDate: new Date(now()) });
  } else {
    if (!jwt.secret) throw new Error('no way to verify callers: set JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL');
    const key = new TextEncoder().encode(jwt.secret);
    verify = (token) => jwtVerify(token, key, { ...options, algorithms: ['HS256'], currentDate: new Date(now()) });
  }
  const cache = verifiedCache<Identity>({ max: jwt.cacheMax ?? DEFAULT_TOKEN_CACHE_MAX, now, keys });
  const verifyInFull = async (token: string): Promise<Verified<Identity>> => {
    let result: JWTVerifyResult;
    try {
      result = await verify(token);
    } catch (error) {
      const expired = (error as { code?: string }).code === 'ERR_JWT_EXPIRED';
      throw unauthenticated(expired ? '登录已过期，请重新登录' : '身份令牌无效：签名、签发方或受众不符');
    }
    const { payload } = result;
    checkTokenTimes(payload, jwt.maxLifetimeSeconds, Math.floor(now() / 1000));
    // Frozen: one cached identity serves every request of the token.
    const identity = Object.freeze(identityFromClaims(payload));
    return { value: identity, exp: payload.exp!, protectedHeader: result.protectedHeader, key: (result as { key?: unknown }).key };
  };
  return async (authorization) => {
    if (!authorization) return ANONYMOUS;
    const match = BEARER.exec(authorization);
    if (!match) throw unauthenticated('Authorization 头格式应为 “Bearer <令牌>”');
    return cache(match[1], verifyInFull);
  };
}

/** Dev tokens for `npm run token` and tests: signed with the configured HS256 secret. */
export async function signDevToken(
  jwt: Config['jwt'],
  claims: { role: string; creditCode?: string; department?: string; region?: string; sub?: string },
  expiresIn = '8h',
): Promise<string> {
  if (!jwt.secret) throw new Error('dev tokens need JWT_SECRET (HS256); this deployment verifies tokens from an identity provider');
  const { sub, ...rest } = claims;
  return new SignJWT(rest)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(jwt.issuer)
    .setAudience(jwt.audience)
    .setSubject(sub ?? `dev-${claims.role.toLowerCase()}`)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(jwt.secret));
}
