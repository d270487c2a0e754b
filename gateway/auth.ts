import { createRemoteJWKSet, importSPKI, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import type { Config } from '../platform/config';
import { unauthenticated } from '../platform/errors';
import { ANONYMOUS, identityFromClaims, type Identity } from '../platform/identity';

type Verifier = (token: string) => Promise<Identity>;

/**
 * Verifies the caller's bearer token: HS256 with a shared secret (dev default), a PEM public key,
 * or a JWKS URL (production identity provider). No token means the anonymous public; a token that
 * does not verify is refused (401), never treated as anonymous.
 */
export async function createAuthenticator(jwt: Config['jwt']): Promise<(authorization: string | undefined) => Promise<Identity>> {
  const options = { issuer: jwt.issuer, audience: jwt.audience };
  let verify: Verifier;
  if (jwt.jwksUrl) {
    const keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(jwt.jwksUrl));
    verify = async (token) => identityFromClaims((await jwtVerify(token, keys, options)).payload);
  } else if (jwt.publicKey) {
    const key = await importSPKI(jwt.publicKey, 'RS256').catch(() => importSPKI(jwt.publicKey!, 'ES256'));
    verify = async (token) => identityFromClaims((await jwtVerify(token, key, { ...options, algorithms: ['RS256', 'ES256'] })).payload);
  } else {
    const key = new TextEncoder().encode(jwt.secret);
    verify = async (token) => identityFromClaims((await jwtVerify(token, key, { ...options, algorithms: ['HS256'] })).payload);
  }
  return async (authorization) => {
    if (!authorization) return ANONYMOUS;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) throw unauthenticated('Authorization 头格式应为 “Bearer <令牌>”');
    try {
      return await verify(match[1]);
    } catch (error) {
      if ((error as { extensions?: unknown }).extensions) throw error;
      const expired = (error as { code?: string }).code === 'ERR_JWT_EXPIRED';
      throw unauthenticated(expired ? '登录已过期，请重新登录' : '身份令牌无效：签名、签发方或受众不符');
    }
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
