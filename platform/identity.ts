import { createPublicKey } from 'node:crypto';
import {
  calculateJwkThumbprint,
  createRemoteJWKSet,
  exportJWK,
  importPKCS8,
  importSPKI,
  jwtVerify,
  SignJWT,
  type JWK,
  type JWTVerifyGetKey,
  type JWTVerifyResult,
} from 'jose';
import { LRUCache } from 'lru-cache';
import { checkCreditCode } from './credit-code';
import { departmentRegion, isKnownRegion } from './directory';
import { unauthenticated } from './errors';
import { verifiedCache, type Verified } from './verified-cache';

/** Who may do what is decided in each subgraph from this identity; the gateway only vouches for it. */
export const Roles = [
  'ENTERPRISE',
  'WINDOW_CLERK',
  'DEPARTMENT_REVIEWER',
  'DEPARTMENT_SYSTEM',
  'APPROVAL_BUREAU',
  'FINANCE',
  'AUDITOR',
  'ADMIN',
] as const;
export type Role = (typeof Roles)[number];

export interface Identity {
  /** `null` for the anonymous public. */
  role: Role | null;
  subject?: string;
  /** ENTERPRISE: the one enterprise this caller is. */
  creditCode?: string;
  /** DEPARTMENT_*: the department code, e.g. `SWJ` (县税务局). */
  department?: string;
  /** Every official is bound to a region: a county (360732) or a city (360700) covering its counties. */
  region?: string;
}

export const ANONYMOUS: Identity = Object.freeze({ role: null });

/** Header the gateway sets on every subgraph request; subgraphs trust nothing else. */
export const IDENTITY_HEADER = 'x-qinqing-identity';
export const REQUEST_ID_HEADER = 'x-request-id';

/** `iss` of every identity header; `aud` is the name of the one subgraph it is minted for. */
export const GATEWAY_ISSUER = 'qinqing-gateway';
export const IDENTITY_ALGORITHM = 'EdDSA';
/** Short-lived, so a header seen once is worthless soon after. */
const INTERNAL_TTL_SECONDS = 60;
/**
 * The gateway reuses a header for one (caller, subgraph) while it has more than this left, so a
 * subgraph still has this long (plus its clock tolerance) to receive and verify it.
 */
export const IDENTITY_REUSE_MARGIN_SECONDS = 15;
/** Clocks of the gateway and a department's host may differ a little. */
const CLOCK_TOLERANCE_SECONDS = 10;
/** Identity headers reused (gateway) or kept verified (subgraph) when IDENTITY_CACHE_MAX is not given. */
export const DEFAULT_IDENTITY_CACHE_MAX = 10_000;

export interface IdentitySigner {
  /** A freshly minted `x-qinqing-identity` for one subgraph: only the subgraph named `audience` accepts it. */
  sign(identity: Identity, audience: string): Promise<string>;
  /**
   * The header for (identity, audience), reused while it has more than
   * IDENTITY_REUSE_MARGIN_SECONDS left (45 of its 60 s): what the gateway sends. Every anonymous
   * request to a subgraph shares one.
   */
  header(identity: Identity, audience: string): Promise<string>;
  /** What the gateway serves at `/.well-known/jwks.json`. */
  jwks: { keys: JWK[] };
}

/** Every claim of an identity header but `iss`/`aud`/times, in one fixed order: also the reuse key. */
const identityClaims = (identity: Identity) => ({
  role: identity.role,
  creditCode: identity.creditCode,
  department: identity.department,
  region: identity.region,
  sub: identity.subject ?? 'anonymous',
});

/** Gateway side: the only holder of the private key, so no subgraph can mint an identity. */
export async function createIdentitySigner(
  privateKeyPem: string,
  { cacheMax = DEFAULT_IDENTITY_CACHE_MAX, now = Date.now }: { cacheMax?: number; /** epoch ms */ now?: () => number } = {},
): Promise<IdentitySigner> {
  const privateKey = await importPKCS8(privateKeyPem, IDENTITY_ALGORITHM);
  const publicJwk = await exportJWK(createPublicKey(privateKeyPem));
  const kid = await calculateJwkThumbprint(publicJwk);
  const mint = (claims: ReturnType<typeof identityClaims>, audience: string, iat: number) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: IDENTITY_ALGORITHM, kid, typ: 'JWT' })
      .setIssuer(GATEWAY_ISSUER)
      .setAudience(audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + INTERNAL_TTL_SECONDS)
      .sign(privateKey);
  const seconds = () => Math.floor(now() / 1000);
  // Key: the audience and every signed claim (identityClaims), so two callers share a header only
  // if it would say exactly the same. The value is the signing promise: concurrent first requests sign once.
  const reused =
    cacheMax > 0 ? new LRUCache<string, { header: Promise<string>; reuseUntil: number }>({ max: cacheMax, perf: { now } }) : undefined;
  return {
    jwks: { keys: [{ ...publicJwk, kid, alg: IDENTITY_ALGORITHM, use: 'sig' }] },
    sign: (identity, audience) => mint(identityClaims(identity), audience, seconds()),
    header(identity, audience) {
      const claims = identityClaims(identity);
      if (!reused) return mint(claims, audience, seconds());
      const key = `${audience}\n${JSON.stringify(claims)}`;
      const entry = reused.get(key);
      const at = now();
      if (entry && entry.reuseUntil > at) return entry.header;
      const iat = Math.floor(at / 1000);
      const reuseUntil = (iat + INTERNAL_TTL_SECONDS - IDENTITY_REUSE_MARGIN_SECONDS) * 1000;
      const header = mint(claims, audience, iat);
      const fresh = { header, reuseUntil };
      reused.set(key, fresh, { ttl: reuseUntil - at });
      header.catch(() => reused.peek(key) === fresh && reused.delete(key));
      return header;
    },
  };
}

/**
 * Subgraph side: `audience` is the subgraph's own name. Every request must carry a header the
 * gateway signed for this subgraph (the public gets one too, with role null): absent, forged,
 * expired or minted for another subgraph is refused (401), never served as the public.
 *
 * The gateway reuses a header for most of its life, so a verified header is kept (`cacheMax`
 * headers, LRU) until its `exp` and the same header is checked once, not per request; never
 * served at or after `exp`, and with a JWKS only while the JWKS still has its key.
 */
export async function createIdentityVerifier(
  source: { publicKey?: string; jwksUrl?: string; cacheMax?: number },
  audience: string,
  { now = Date.now }: { /** epoch ms */ now?: () => number } = {},
): Promise<(header: string | undefined) => Promise<Identity>> {
  if (!source.jwksUrl && !source.publicKey) throw new Error(`subgraph ${audience}: no gateway public key (GATEWAY_PUBLIC_KEY or GATEWAY_JWKS_URL)`);
  const options = {
    issuer: GATEWAY_ISSUER,
    audience,
    algorithms: [IDENTITY_ALGORITHM],
    requiredClaims: ['exp', 'iat'],
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
  };
  let keys: JWTVerifyGetKey | undefined;
  let verify: (header: string) => Promise<JWTVerifyResult>;
  if (source.jwksUrl) {
    const remote = createRemoteJWKSet(new URL(source.jwksUrl));
    keys = remote;
    verify = (header) => jwtVerify(header, remote, { ...options, currentDate: new Date(now()) });
  } else {
    const key = await importSPKI(source.publicKey!, IDENTITY_ALGORITHM);
    verify = (header) => jwtVerify(header, key, { ...options, currentDate: new Date(now()) });
  }
  const cache = verifiedCache<Identity>({ max: source.cacheMax ?? DEFAULT_IDENTITY_CACHE_MAX, now, keys });
  const verifyInFull = async (header: string): Promise<Verified<Identity>> => {
    let result: JWTVerifyResult;
    try {
      result = await verify(header);
    } catch (error) {
      const { code, claim } = error as { code?: string; claim?: string };
      if (code === 'ERR_JWT_EXPIRED') throw unauthenticated('身份凭证已过期：子图只接受网关刚签发的凭证');
      if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && claim === 'aud') throw unauthenticated(`身份凭证不是签发给子图 ${audience} 的`);
      if (source.jwksUrl && (code === 'ERR_JWKS_TIMEOUT' || !code?.startsWith('ERR_J'))) throw unauthenticated('暂时无法获取网关公钥 (GATEWAY_JWKS_URL)，不能验证身份凭证，请稍后重试');
      throw unauthenticated('身份凭证无效：不是网关签发的，或已被篡改');
    }
    // Frozen: one cached identity serves every request carrying the header.
    const identity = Object.freeze(identityFromClaims(result.payload, { allowPublic: true }));
    return { value: identity, exp: result.payload.exp!, protectedHeader: result.protectedHeader, key: (result as { key?: unknown }).key };
  };
  return async (header) => {
    if (!header) throw unauthenticated(`缺少网关签发的身份凭证 (${IDENTITY_HEADER})：子图只接受经网关转发的请求`);
    return cache(header, verifyInFull);
  };
}

/** At most this much of a bad claim is echoed back. */
const echo = (value: unknown) => {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length > 24 ? `${text.slice(0, 24)}…` : text;
};

/**
 * Shared by the gateway (user JWT) and subgraphs (identity header): claims → Identity, each claim
 * checked against what the platform knows, so a malformed one can never widen what a caller sees.
 * `allowPublic`: role null is the anonymous public (only the gateway's own header says so).
 */
export function identityFromClaims(claims: Record<string, unknown>, { allowPublic = false } = {}): Identity {
  const role = claims.role ?? null;
  if (role === null && !allowPublic) throw unauthenticated('令牌缺少角色 (role)');
  if (role !== null && !Roles.includes(role as Role)) throw unauthenticated(`令牌中的角色 (role) 无效：${echo(role)}`);
  const optional = (name: string): string | undefined => {
    const value = claims[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || value.length === 0) throw unauthenticated(`令牌中的 (${name}) 无效：应为非空字符串`);
    return value;
  };
  const identity: Identity = {
    role: role as Role | null,
    subject: typeof claims.sub === 'string' && claims.sub ? claims.sub : undefined,
    creditCode: optional('creditCode'),
    department: optional('department'),
    region: optional('region'),
  };
  if (identity.region !== undefined && !isKnownRegion(identity.region)) {
    throw unauthenticated(`令牌中的地区 (region) 无效：“${echo(identity.region)}”不是平台已知的六位行政区划代码`);
  }
  if (identity.department !== undefined) {
    const home = departmentRegion(identity.department);
    if (!home) throw unauthenticated(`令牌中的部门 (department) 无效：“${echo(identity.department)}”不是平台已知的部门代码`);
    if (identity.region && !regionCovers(home, identity.region)) {
      throw unauthenticated(`令牌中的地区 (region) ${identity.region} 超出部门 ${identity.department} 所属地区 ${home}`);
    }
  }
  if (identity.role === 'ENTERPRISE') {
    if (!identity.creditCode) throw unauthenticated('企业身份令牌缺少统一社会信用代码 (creditCode)');
    const check = checkCreditCode(identity.creditCode);
    if (!check.ok) throw unauthenticated(`企业身份令牌中的统一社会信用代码 (creditCode) 无效：${check.reason}`);
    identity.creditCode = check.code;
  }
  if (identity.role && identity.role !== 'ENTERPRISE' && identity.role !== 'AUDITOR' && !identity.region) {
    throw unauthenticated('工作人员令牌缺少所属地区 (region)');
  }
  if ((identity.role === 'DEPARTMENT_REVIEWER' || identity.role === 'DEPARTMENT_SYSTEM') && !identity.department) {
    throw unauthenticated('部门令牌缺少所属部门 (department)');
  }
  return identity;
}

/**
 * Region codes are GB/T 2260: a city code ends in 00 and covers its counties (3607xx); a province
 * code ends in 0000 and covers its cities. A county official covers their own county only.
 */
export function regionPrefix(scope: string): string {
  if (scope.endsWith('0000')) return scope.slice(0, 2);
  if (scope.endsWith('00')) return scope.slice(0, 4);
  return scope;
}

export function regionCovers(scope: string, target: string): boolean {
  return target.startsWith(regionPrefix(scope));
}
