import { createRemoteJWKSet, importSPKI, jwtVerify, type JWTVerifyGetKey, type KeyLike } from 'jose';
import { HrssError } from './errors';

/**
 * The department contract's identity header, checked with a standard JWT library (jose), as any
 * department would: `x-qinqing-identity`, EdDSA only, issuer `qinqing-gateway`, audience this
 * subgraph's own name, `exp` and `iat` present, short-lived. Nothing else is trusted.
 */
export const IDENTITY_HEADER = 'x-qinqing-identity';
const ISSUER = 'qinqing-gateway';
/** The gateway signs headers for 60 s and reuses one for 45 s: an older `iat` is not the gateway's doing. */
const MAX_TOKEN_AGE = '120s';
/** Clocks of the gateway's host and ours may differ a little. */
const CLOCK_TOLERANCE_SECONDS = 10;

export const ROLES = ['ENTERPRISE', 'WINDOW_CLERK', 'DEPARTMENT_REVIEWER', 'DEPARTMENT_SYSTEM', 'APPROVAL_BUREAU', 'FINANCE', 'AUDITOR', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

export interface Identity {
  /** null: the anonymous public (the gateway signs a header for it too). */
  role: Role | null;
  subject: string;
  region?: string;
  department?: string;
  creditCode?: string;
}

export type VerifyIdentity = (header: string | undefined) => Promise<Identity>;

const refuse = (message: string) => new HrssError('UNAUTHENTICATED', message);

export async function createIdentityVerifier(options: { audience: string; gatewayJwksUrl?: string; gatewayPublicKey?: string }): Promise<VerifyIdentity> {
  let key: KeyLike | JWTVerifyGetKey;
  if (options.gatewayJwksUrl) key = createRemoteJWKSet(new URL(options.gatewayJwksUrl));
  else if (options.gatewayPublicKey) key = await importSPKI(options.gatewayPublicKey, 'EdDSA');
  else throw new Error('the gateway public key is needed to verify x-qinqing-identity: give gatewayJwksUrl or gatewayPublicKey');

  return async (header) => {
    if (!header) throw refuse(`缺少网关签发的身份凭证 (${IDENTITY_HEADER})：本系统只接受经平台网关转发的请求`);
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(header, key as KeyLike, {
        issuer: ISSUER,
        audience: options.audience,
        algorithms: ['EdDSA'],
        requiredClaims: ['exp', 'iat'],
        maxTokenAge: MAX_TOKEN_AGE,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      }));
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ERR_JWT_EXPIRED') throw refuse('身份凭证已过期：本系统只接受网关刚签发的凭证');
      if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && (error as { claim?: string }).claim === 'aud') throw refuse(`身份凭证不是签发给本系统 (${options.audience}) 的`);
      if (options.gatewayJwksUrl && !code?.startsWith('ERR_J')) throw refuse('暂时无法获取网关公钥，不能验证身份凭证，请稍后重试');
      throw refuse('身份凭证无效：不是平台网关签发的，或已被篡改');
    }
    return identityOf(payload);
  };
}

/** The claims, each checked for its shape: a malformed claim never widens what a caller may see. */
function identityOf(claims: Record<string, unknown>): Identity {
  const text = (name: string, pattern: RegExp): string | undefined => {
    const value = claims[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || !pattern.test(value)) throw refuse(`身份凭证中的 ${name} 无效`);
    return value;
  };
  const role = claims.role ?? null;
  if (role !== null && !ROLES.includes(role as Role)) throw refuse('身份凭证中的角色 (role) 无效');
  const identity: Identity = {
    role: role as Role | null,
    subject: typeof claims.sub === 'string' && claims.sub ? claims.sub.slice(0, 128) : 'anonymous',
    region: text('region', /^\d{6}$/),
    department: text('department', /^\d{6}-[A-Z]{2,12}$/),
    creditCode: text('creditCode', /^[0-9A-HJ-NPQRTUWXY]{18}$/),
  };
  if (identity.role === 'ENTERPRISE' && !identity.creditCode) throw refuse('企业身份凭证缺少统一社会信用代码');
  if ((identity.role === 'DEPARTMENT_REVIEWER' || identity.role === 'DEPARTMENT_SYSTEM') && !identity.department) throw refuse('部门身份凭证缺少部门代码');
  return identity;
}

/** GB/T 2260: a city (3607xx → 360700) covers its counties, a province (360000) its cities, a county itself. */
export function regionCovers(scope: string, target: string): boolean {
  const prefix = scope.endsWith('0000') ? scope.slice(0, 2) : scope.endsWith('00') ? scope.slice(0, 4) : scope;
  return target.startsWith(prefix);
}
