import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { createAuthenticator, signDevToken } from '../../gateway/auth';

const jwtOptions = { issuer: 'https://idp.ganzhou.gov.cn', audience: 'qinqing-hub' };
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
