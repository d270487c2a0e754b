import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { createAuthenticator, signDevToken } from '../../gateway/auth';

const jwtOptions = { issuer: 'https://idp.ganzhou.gov.cn', audience: 'qinqing-hub', maxLifetimeSeconds: 12 * 3600 };
const code = async (p: Promise<unknown>) => p.then(() => 'OK', (e) => (e as { extensions?: { code?: string } }).extensions?.code);

async function signRs256(privateKey: Parameters<SignJWT['sign']>[0], claims: Record<string, unknown>, kid?: string) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(jwtOptions.issuer)
    .setAudience(jwtOptions.audience)
    .setSubject('u-1')
    .setExpirationTime('5m')
    .sign(privateKey);
}

describe('gateway authentication', () => {
  test('dev HS256 tokens from npm run token verify; no token is the public; a malformed header is refused', async () => {
    const jwt = { secret: 'x'.repeat(40), ...jwtOptions };
    const authenticate = await createAuthenticator(jwt);
    const token = await signDevToken(jwt, { role: 'FINANCE', region: '360732' });
    expect(await authenticate(`Bearer ${token}`)).toMatchObject({ role: 'FINANCE', region: '360732' });
    expect((await authenticate(undefined)).role).toBeNull();
    expect(await code(authenticate(`Token ${token}`))).toBe('UNAUTHENTICATED');
    expect(await code(authenticate(`Bearer ${token}x`))).toBe('UNAUTHENTICATED');
  });

  test('a validly signed token must carry exp, a lifetime within the maximum and no iat in the future', async () => {
    const secret = 'y'.repeat(40);
    const authenticate = await createAuthenticator({ secret, ...jwtOptions });
    const now = Math.floor(Date.now() / 1000);
    const sign = (times: { iat?: number; exp?: number }, claims: Record<string, unknown> = { role: 'FINANCE', region: '360732' }) => {
      const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer(jwtOptions.issuer).setAudience(jwtOptions.audience);
      if (times.iat !== undefined) jwt.setIssuedAt(times.iat);
      if (times.exp !== undefined) jwt.setExpirationTime(times.exp);
      return jwt.sign(new TextEncoder().encode(secret));
    };
    const outcome = async (token: string) =>
      authenticate(`Bearer ${token}`).then(
        (identity) => `ok ${identity.role}`,
        (e) => `${(e as { extensions?: { code?: string } }).extensions?.code}: ${(e as Error).message}`,
      );
    expect(await outcome(await sign({ iat: now, exp: now + 8 * 3600 }))).toBe('ok FINANCE');
    expect(await outcome(await sign({ exp: now + 3600 }))).toBe('ok FINANCE');
    expect(await outcome(await sign({ iat: now }))).toMatch(/^UNAUTHENTICATED: .*\(exp\)/);
    expect(await outcome(await sign({ iat: now, exp: now + 13 * 3600 }))).toMatch(/^UNAUTHENTICATED: .*\(exp\).*JWT_MAX_LIFETIME/);
    expect(await outcome(await sign({ exp: now + 30 * 86400 }))).toMatch(/^UNAUTHENTICATED: .*\(exp\)/);
    expect(await outcome(await sign({ iat: now + 3600, exp: now + 7200 }))).toMatch(/^UNAUTHENTICATED: .*\(iat\)/);
    expect(await outcome(await sign({ iat: now, exp: now + 60 }, { region: '360732' }))).toMatch(/^UNAUTHENTICATED: .*\(role\)/);
    expect(await outcome(await sign({ iat: now, exp: now + 60 }, { role: 'FINANCE', region: '3607' }))).toMatch(/^UNAUTHENTICATED: .*\(region\)/);
  });

  test('production: a PEM public key (RS256) from the identity provider', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const authenticate = await createAuthenticator({ publicKey: await exportSPKI(publicKey), ...jwtOptions });
    const token = await signRs256(privateKey, { role: 'AUDITOR' });
    expect((await authenticate(`Bearer ${token}`)).role).toBe('AUDITOR');
    const other = await generateKeyPair('RS256');
    expect(await code(authenticate(`Bearer ${await signRs256(other.privateKey, { role: 'AUDITOR' })}`))).toBe('UNAUTHENTICATED');
  });

  test('production: keys fetched from a JWKS URL', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
      const authenticate = await createAuthenticator({ jwksUrl: url, ...jwtOptions });
      const token = await signRs256(privateKey, { role: 'WINDOW_CLERK', region: '360732' }, 'k1');
      expect(await authenticate(`Bearer ${token}`)).toMatchObject({ role: 'WINDOW_CLERK', region: '360732' });
      const wrongAudience = await new SignJWT({ role: 'AUDITOR' })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(jwtOptions.issuer)
        .setAudience('another-app')
        .setExpirationTime('5m')
        .sign(privateKey);
      expect(await code(authenticate(`Bearer ${wrongAudience}`))).toBe('UNAUTHENTICATED');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
