import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import { createAuthenticator } from '../../gateway/auth';
import { ANONYMOUS, createIdentitySigner, createIdentityVerifier, IDENTITY_REUSE_MARGIN_SECONDS } from '../../platform/identity';
import { VERIFIED_CACHE_MAX_AGE_MS, verifiedCache, type Verified } from '../../platform/verified-cache';

/**
 * The per-caller caches (issue 6): a verified token is remembered, never past its `exp` nor past
 * its key's removal from the JWKS; identity headers are reused per (caller, subgraph) and verified
 * once by the subgraph. Clocks are injected: nothing here waits for time to pass.
 */

const T0 = Date.UTC(2026, 10, 26, 1, 0, 0);
/** A clock the test moves by hand (epoch ms). */
function manualClock(start = T0) {
  let at = start;
  return { now: () => at, advance: (ms: number) => (at += ms), set: (ms: number) => (at = ms) };
}
const seconds = (ms: number) => Math.floor(ms / 1000);
const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e) => `${(e as { extensions?: { code?: string } }).extensions?.code}: ${(e as Error).message}`,
  );

describe('verifiedCache: what it may serve', () => {
  const counted = (exp: number) => {
    const calls: string[] = [];
    const verify = async (token: string): Promise<Verified<{ token: string }>> => {
      calls.push(token);
      return { value: { token }, exp };
    };
    return { calls, verify };
  };

  test('a hit until exp, never at or after it', async () => {
    const clock = manualClock();
    const cache = verifiedCache<{ token: string }>({ max: 10, now: clock.now });
    const exp = seconds(T0) + 30;
    const { calls, verify } = counted(exp);
    await cache('t', verify);
    clock.set(exp * 1000 - 1);
    await cache('t', verify);
    expect(calls).toHaveLength(1); // served from memory just before exp
    clock.set(exp * 1000);
    await cache('t', verify);
    expect(calls).toHaveLength(2); // at exp: verified again (and, a real verifier would refuse it)
  });

  test('never longer than VERIFIED_CACHE_MAX_AGE_MS, whatever the exp', async () => {
    const clock = manualClock();
    const cache = verifiedCache<{ token: string }>({ max: 10, now: clock.now });
    const { calls, verify } = counted(seconds(T0) + 12 * 3600);
    await cache('t', verify);
    clock.advance(VERIFIED_CACHE_MAX_AGE_MS - 1);
    await cache('t', verify);
    expect(calls).toHaveLength(1);
    clock.advance(1);
    await cache('t', verify);
    expect(calls).toHaveLength(2);
  });

  test('a token already past exp is not kept; a failure is not kept; size is bounded; 0 turns it off', async () => {
    const clock = manualClock();
    const cache = verifiedCache<{ token: string }>({ max: 2, now: clock.now });
    const past = counted(seconds(T0) - 1);
    await cache('old', past.verify);
    await cache('old', past.verify);
    expect(past.calls).toHaveLength(2);

    let failures = 0;
    const failing = async (): Promise<Verified<{ token: string }>> => {
      failures++;
      throw new Error('bad signature');
    };
    await expect(cache('bad', failing)).rejects.toThrow('bad signature');
    await expect(cache('bad', failing)).rejects.toThrow('bad signature');
    expect(failures).toBe(2);

    const live = counted(seconds(T0) + 60);
    for (const token of ['a', 'b', 'c']) await cache(token, live.verify);
    expect(cache.size).toBe(2);
    await cache('a', live.verify); // the least recently used went first
    expect(live.calls).toEqual(['a', 'b', 'c', 'a']);

    const off = verifiedCache<{ token: string }>({ max: 0, now: clock.now });
    await off('a', live.verify);
    await off('a', live.verify);
    expect(live.calls).toHaveLength(6);
    expect(off.size).toBe(0);
  });

  test('with a JWKS, a hit needs the JWKS to resolve the header to the very key it was verified with', async () => {
    const clock = manualClock();
    const first = { kind: 'first key' };
    let current: unknown = first;
    const keys = async () => {
      if (!current) throw Object.assign(new Error('no matching key'), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
      return current as KeyLike;
    };
    const cache = verifiedCache<{ token: string }>({ max: 10, now: clock.now, keys });
    const calls: unknown[] = [];
    const verify = async (token: string): Promise<Verified<{ token: string }>> => {
      calls.push(current);
      return { value: { token }, exp: seconds(T0) + 60, protectedHeader: { alg: 'RS256', kid: 'k1' }, key: current };
    };
    await cache('h.p.s', verify);
    await cache('h.p.s', verify);
    expect(calls).toEqual([first]);
    current = { kind: 'same kid, another key' }; // re-read JWKS with a replaced key
    await cache('h.p.s', verify);
    expect(calls).toHaveLength(2);
    current = undefined; // key removed from the JWKS
    await cache('h.p.s', verify);
    expect(calls).toHaveLength(3);
  });
});

describe('gateway: verified caller tokens', () => {
  const jwt = { issuer: 'https://idp.ganzhou.gov.cn', audience: 'qinqing-hub', maxLifetimeSeconds: 12 * 3600 };

  test('a cached token is not served after exp: refused as expired, as an uncached one is', async () => {
    const clock = manualClock();
    const secret = 'z'.repeat(40);
    const authenticate = await createAuthenticator({ secret, ...jwt }, { now: clock.now });
    const iat = seconds(T0);
    const token = await new SignJWT({ role: 'FINANCE', region: '360732' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(jwt.issuer)
      .setAudience(jwt.audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 2)
      .sign(new TextEncoder().encode(secret));
    const first = await authenticate(`Bearer ${token}`);
    expect(first).toMatchObject({ role: 'FINANCE', region: '360732' });
    // The same identity object: served from memory, and frozen so no request can change it for the next.
    expect(await authenticate(`Bearer ${token}`)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    // Within the 60 s clock skew allowed for the identity provider: verified again, still good.
    clock.set((iat + 2) * 1000 + 30_000);
    const again = await authenticate(`Bearer ${token}`);
    expect(again).toEqual(first);
    expect(again).not.toBe(first);
    // Past it: refused, although it verified a moment ago.
    clock.set((iat + 2) * 1000 + 61_000);
    expect(await outcome(authenticate(`Bearer ${token}`))).toBe('UNAUTHENTICATED: 登录已过期，请重新登录');
  });

  test('JWT_CACHE_MAX=0: every request is verified (same answers)', async () => {
    const secret = 'w'.repeat(40);
    const authenticate = await createAuthenticator({ secret, ...jwt, cacheMax: 0 });
    const token = await new SignJWT({ role: 'AUDITOR' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(jwt.issuer)
      .setAudience(jwt.audience)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(secret));
    const a = await authenticate(`Bearer ${token}`);
    const b = await authenticate(`Bearer ${token}`);
    expect(a).toEqual(b);
    expect(a).not.toBe(b);
    expect(await outcome(authenticate(`Bearer ${token}x`))).toMatch(/^UNAUTHENTICATED: /);
  });

  describe('a key rotated out of the JWKS stops being accepted', () => {
    let server: Server;
    let url: string;
    let published: JWK[] = [];
    let fetches = 0;
    const rsa = async (kid: string) => {
      const { publicKey, privateKey } = await generateKeyPair('RS256');
      return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
    };
    const sign = (key: { kid: string; privateKey: KeyLike }, role = 'AUDITOR') =>
      new SignJWT({ role })
        .setProtectedHeader({ alg: 'RS256', kid: key.kid })
        .setIssuer(jwt.issuer)
        .setAudience(jwt.audience)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(key.privateKey);

    beforeAll(async () => {
      // The identity provider's JWKS: whatever `published` holds at the moment it is asked.
      server = createServer((_req, res) => {
        fetches++;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ keys: published }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    test('once a token with the new kid makes the gateway re-read the JWKS', async () => {
      const [k1, k2] = [await rsa('k1'), await rsa('k2')];
      published = [k1.jwk];
      // No cool-down between JWKS reads, so the re-read happens in this test (jose's default: 30 s).
      const authenticate = await createAuthenticator({ jwksUrl: url, ...jwt }, { jwks: { cooldownDuration: 0 } });
      const old = await sign(k1);
      expect(await outcome(authenticate(`Bearer ${old}`))).toBe('ok');
      fetches = 0;
      expect(await outcome(authenticate(`Bearer ${old}`))).toBe('ok');
      expect(fetches).toBe(0); // a hit asks jose's in-memory JWKS, not the network

      published = [k2.jwk]; // rotation: k1 withdrawn
      expect(await outcome(authenticate(`Bearer ${await sign(k2)}`))).toBe('ok'); // unknown kid: jose re-reads the JWKS
      expect(fetches).toBe(1);
      expect(await outcome(authenticate(`Bearer ${old}`))).toBe('UNAUTHENTICATED: 身份令牌无效：签名、签发方或受众不符');
    });

    test('once the JWKS is older than its max age', async () => {
      const [k1, k2] = [await rsa('k1'), await rsa('k2')];
      published = [k1.jwk, k2.jwk];
      // Max age 0: jose re-reads the JWKS on every use (default JWKS_MAX_AGE_MS, 5 min).
      const authenticate = await createAuthenticator({ jwksUrl: url, ...jwt }, { jwks: { cacheMaxAge: 0 } });
      const old = await sign(k1);
      const current = await sign(k2);
      expect(await outcome(authenticate(`Bearer ${old}`))).toBe('ok');
      expect(await outcome(authenticate(`Bearer ${current}`))).toBe('ok');
      published = [k2.jwk];
      expect(await outcome(authenticate(`Bearer ${old}`))).toBe('UNAUTHENTICATED: 身份令牌无效：签名、签发方或受众不符');
      expect(await outcome(authenticate(`Bearer ${current}`))).toBe('ok');
    });

    test('a kid kept for a new key: the old key\'s tokens are refused; a refusal is not remembered', async () => {
      const [before, after] = [await rsa('k1'), await rsa('k1')];
      published = [before.jwk];
      const authenticate = await createAuthenticator({ jwksUrl: url, ...jwt }, { jwks: { cacheMaxAge: 0 } });
      const old = await sign(before);
      const next = await sign(after);
      expect(await outcome(authenticate(`Bearer ${old}`))).toBe('ok');
      expect(await outcome(authenticate(`Bearer ${next}`))).toMatch(/^UNAUTHENTICATED: /); // not published yet
      published = [after.jwk];
      expect(await outcome(authenticate(`Bearer ${old}`))).toMatch(/^UNAUTHENTICATED: /);
      expect(await outcome(authenticate(`Bearer ${next}`))).toBe('ok');
    });
  });
});

describe('identity headers: reused by the gateway, verified once by a subgraph', () => {
  const pem = () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicOf = (privatePem: string) => createPublicKey(privatePem).export({ type: 'spki', format: 'pem' }).toString();
  const finance = { role: 'FINANCE', region: '360732', subject: 'u-1' } as const;

  test('one header per (caller, subgraph), reused while it has more than the margin left', async () => {
    const clock = manualClock();
    const signer = await createIdentitySigner(pem(), { now: clock.now });
    const header = await signer.header(finance, 'enterprises');
    expect(await signer.header({ ...finance }, 'enterprises')).toBe(header); // same claims, another object
    expect(decodeJwt(header)).toMatchObject({ aud: 'enterprises', role: 'FINANCE', region: '360732', sub: 'u-1', exp: seconds(T0) + 60 });
    const forTax = await signer.header(finance, 'tax');
    expect(forTax).not.toBe(header);
    expect(decodeJwt(forTax).aud).toBe('tax');
    for (const other of [
      { ...finance, subject: 'u-2' },
      { ...finance, region: '360731' },
      { role: 'DEPARTMENT_REVIEWER', department: '360732-TAX', region: '360732', subject: 'u-1' },
      { role: 'ENTERPRISE', creditCode: '91360732MA35QQ7T0X', subject: 'u-1' },
    ] as const) {
      const theirs = await signer.header(other, 'enterprises');
      expect(theirs).not.toBe(header);
      expect(decodeJwt(theirs)).toMatchObject({ aud: 'enterprises', sub: other.subject, role: other.role });
    }
    // Every anonymous request shares one header per subgraph.
    expect(await signer.header(ANONYMOUS, 'enterprises')).toBe(await signer.header({ role: null }, 'enterprises'));
    // Concurrent first requests share one signing.
    expect(signer.header({ role: 'AUDITOR', subject: 'a' }, 'tax')).toBe(signer.header({ role: 'AUDITOR', subject: 'a' }, 'tax'));

    // Reused until IDENTITY_REUSE_MARGIN_SECONDS are left, then minted anew.
    const lastReuse = (seconds(T0) + 60 - IDENTITY_REUSE_MARGIN_SECONDS) * 1000 - 1;
    clock.set(lastReuse);
    expect(await signer.header(finance, 'enterprises')).toBe(header);
    expect(decodeJwt(header).exp! * 1000 - lastReuse).toBeGreaterThan(IDENTITY_REUSE_MARGIN_SECONDS * 1000);
    clock.advance(1);
    const renewed = await signer.header(finance, 'enterprises');
    expect(renewed).not.toBe(header);
    expect(decodeJwt(renewed).exp).toBe(seconds(clock.now()) + 60);
  });

  test('IDENTITY_CACHE_MAX=0: a header is minted per call', async () => {
    const clock = manualClock();
    const signer = await createIdentitySigner(pem(), { now: clock.now, cacheMax: 0 });
    const a = await signer.header(finance, 'enterprises');
    clock.advance(1000);
    expect(await signer.header(finance, 'enterprises')).not.toBe(a);
  });

  test('the subgraph keeps a verified header until exp, never after; forged and foreign headers are still refused', async () => {
    const clock = manualClock();
    const key = pem();
    const signer = await createIdentitySigner(key, { now: clock.now });
    const verify = await createIdentityVerifier({ publicKey: publicOf(key) }, 'enterprises', { now: clock.now });
    const header = await signer.header(finance, 'enterprises');
    const identity = await verify(header);
    expect(identity).toMatchObject({ role: 'FINANCE', region: '360732' });
    expect(await verify(header)).toBe(identity); // from memory
    expect(Object.isFrozen(identity)).toBe(true);

    // Tampered after a good one was cached: a different string, verified in full, refused.
    const [h, payload, signature] = header.split('.');
    const widened = Buffer.from(JSON.stringify({ ...decodeJwt(header), role: 'AUDITOR' })).toString('base64url');
    expect(await outcome(verify(`${h}.${widened}.${signature}`))).toMatch(/^UNAUTHENTICATED: 身份凭证无效/);
    const flipped = `${h}.${payload}.${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    expect(await outcome(verify(flipped))).toMatch(/^UNAUTHENTICATED: 身份凭证无效/);
    const forged = await (await createIdentitySigner(pem(), { now: clock.now })).header(finance, 'enterprises');
    expect(await outcome(verify(forged))).toMatch(/^UNAUTHENTICATED: 身份凭证无效/);
    expect(await outcome(verify(await signer.header(finance, 'tax')))).toMatch(/^UNAUTHENTICATED: 身份凭证不是签发给子图 enterprises 的/);

    // At exp the cached entry is gone; within the 10 s clock tolerance the header still verifies in
    // full (a new object); past it, refused as expired.
    const exp = decodeJwt(header).exp!;
    clock.set(exp * 1000 + 5_000);
    const late = await verify(header);
    expect(late).toEqual(identity);
    expect(late).not.toBe(identity);
    clock.set(exp * 1000 + 11_000);
    expect(await outcome(verify(header))).toBe('UNAUTHENTICATED: 身份凭证已过期：子图只接受网关刚签发的凭证');
  });
});
