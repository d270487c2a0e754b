import { SignJWT, jwtVerify } from 'jose';
import { checkCreditCode } from './credit-code';
import { unauthenticated } from './errors';

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

const INTERNAL_ISSUER = 'qinqing-gateway';
const INTERNAL_AUDIENCE = 'qinqing-subgraphs';
/** Short-lived: the header is minted per subgraph request, so replaying an old one fails fast. */
const INTERNAL_TTL_SECONDS = 60;

const keyOf = (secret: string) => new TextEncoder().encode(secret);

/** Gateway side: wraps a verified identity for the subgraphs. */
export async function signInternalIdentity(identity: Identity, secret: string): Promise<string> {
  return new SignJWT({
    role: identity.role,
    creditCode: identity.creditCode,
    department: identity.department,
    region: identity.region,
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(INTERNAL_ISSUER)
    .setAudience(INTERNAL_AUDIENCE)
    .setSubject(identity.subject ?? 'anonymous')
    .setIssuedAt()
    .setExpirationTime(`${INTERNAL_TTL_SECONDS}s`)
    .sign(keyOf(secret));
}

/**
 * Subgraph side. No header: the anonymous public. A header that does not verify (forged, expired,
 * signed with another key): refused outright, never downgraded silently.
 */
export async function verifyInternalIdentity(header: string | undefined, secret: string): Promise<Identity> {
  if (!header) return ANONYMOUS;
  try {
    const { payload } = await jwtVerify(header, keyOf(secret), {
      issuer: INTERNAL_ISSUER,
      audience: INTERNAL_AUDIENCE,
      algorithms: ['HS256'],
    });
    return identityFromClaims(payload);
  } catch {
    throw unauthenticated('身份凭证无效或已过期：子图只接受经网关转发的请求');
  }
}

/** Shared by the gateway (user JWT) and subgraphs (internal JWT): claims → Identity, validated. */
export function identityFromClaims(claims: Record<string, unknown>): Identity {
  const role = claims.role ?? null;
  if (role !== null && !Roles.includes(role as Role)) throw unauthenticated(`令牌中的角色无效：${String(role)}`);
  const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
  const identity: Identity = {
    role: role as Role | null,
    subject: str(claims.sub),
    creditCode: str(claims.creditCode),
    department: str(claims.department),
    region: str(claims.region),
  };
  if (identity.role === 'ENTERPRISE') {
    if (!identity.creditCode) throw unauthenticated('企业身份令牌缺少统一社会信用代码 (creditCode)');
    const check = checkCreditCode(identity.creditCode);
    if (!check.ok) throw unauthenticated(`企业身份令牌中的统一社会信用代码无效：${check.reason}`);
    identity.creditCode = check.code;
  }
  if (identity.role && identity.role !== 'ENTERPRISE' && identity.role !== 'AUDITOR' && !identity.region) {
    throw unauthenticated('工作人员令牌缺少所属地区 (region)');
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
