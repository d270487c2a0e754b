import { generateKeyPairSync } from 'node:crypto';
import { createLocalJWKSet, importPKCS8, jwtVerify, SignJWT } from 'jose';
import {
  ANONYMOUS,
  createIdentitySigner,
  createIdentityVerifier,
  identityFromClaims,
  regionCovers,
} from '../../platform/identity';
import { maskBankAccount, maskIdNumber, maskPersonName } from '../../subgraphs/kit/mask';
import { canReadEnterpriseRecord, enterpriseScope, requireWriter } from '../../subgraphs/kit/scope';

const code = (e: unknown) => (e as { extensions?: { code?: string } }).extensions?.code;
const newKey = () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
};
const refusal = async (p: Promise<unknown>) =>
  p.then(
    () => 'accepted',
    (e) => `${code(e)}: ${(e as Error).message}`,
  );

describe('identity between gateway and subgraphs', () => {
  const key = newKey();

  test('what the gateway signs for a subgraph, that subgraph reads back; the public is signed too', async () => {
    const signer = await createIdentitySigner(key.privateKey);
    const enterprises = await createIdentityVerifier({ publicKey: key.publicKey }, 'enterprises');
    const header = await signer.sign({ role: 'WINDOW_CLERK', region: '360732', subject: 'clerk-7' }, 'enterprises');
    expect(await enterprises(header)).toMatchObject({ role: 'WINDOW_CLERK', region: '360732', subject: 'clerk-7' });
    expect((await enterprises(await signer.sign(ANONYMOUS, 'enterprises'))).role).toBeNull();
  });

  test('refused with 401: none, minted for another subgraph, another key, expired, not a JWT', async () => {
    const signer = await createIdentitySigner(key.privateKey);
    const enterprises = await createIdentityVerifier({ publicKey: key.publicKey }, 'enterprises');
    expect(await refusal(enterprises(undefined))).toMatch(/^UNAUTHENTICATED: 缺少网关签发的身份凭证/);
    expect(await refusal(enterprises(await signer.sign({ role: 'AUDITOR' }, 'tax')))).toMatch(/^UNAUTHENTICATED: .*不是签发给子图 enterprises/);
    const other = await createIdentitySigner(newKey().privateKey);
    expect(await refusal(enterprises(await other.sign({ role: 'AUDITOR' }, 'enterprises')))).toMatch(/^UNAUTHENTICATED: 身份凭证无效/);
    const expired = await new SignJWT({ role: 'AUDITOR' })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setIssuer('qinqing-gateway')
      .setAudience('enterprises')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 120)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(await importPKCS8(key.privateKey, 'EdDSA'));
    expect(await refusal(enterprises(expired))).toMatch(/^UNAUTHENTICATED: 身份凭证已过期/);
    expect(await refusal(enterprises('not.a.jwt'))).toMatch(/^UNAUTHENTICATED: 身份凭证无效/);
    // A department holding an HS256 secret cannot pass one off as the gateway's.
    const hs = await new SignJWT({ role: 'AUDITOR' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('qinqing-gateway')
      .setAudience('enterprises')
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(new TextEncoder().encode(key.publicKey));
    expect(await refusal(enterprises(hs))).toMatch(/^UNAUTHENTICATED/);
  });

  test('the published JWKS (kid, alg, use, no private part) verifies what the gateway signs', async () => {
    const signer = await createIdentitySigner(key.privateKey);
    const [jwk] = signer.jwks.keys;
    expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', kid: expect.any(String) });
    expect(jwk).not.toHaveProperty('d');
    const header = await signer.sign({ role: 'FINANCE', region: '360732' }, 'tax');
    const { payload, protectedHeader } = await jwtVerify(header, createLocalJWKSet(signer.jwks), { audience: 'tax', issuer: 'qinqing-gateway' });
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', kid: jwk.kid });
    expect(payload).toMatchObject({ role: 'FINANCE', region: '360732', aud: 'tax' });
  });
});

describe('claims are validated against what the platform knows', () => {
  const refused = (claims: Record<string, unknown>): string => {
    try {
      identityFromClaims(claims);
      return 'accepted';
    } catch (e) {
      return `${code(e)}: ${(e as Error).message}`;
    }
  };

  test.each([
    [{ role: 'SUPERUSER' }, /role/],
    [{}, /缺少角色 \(role\)/],
    [{ role: null }, /缺少角色 \(role\)/],
    [{ role: 'ENTERPRISE' }, /creditCode/],
    [{ role: 'ENTERPRISE', creditCode: '914403001922038217' }, /creditCode/],
    [{ role: 'FINANCE' }, /region/],
    // A malformed region would otherwise cover a whole province (36…) or city (3607…).
    [{ role: 'FINANCE', region: '36' }, /region/],
    [{ role: 'WINDOW_CLERK', region: '3607' }, /region/],
    [{ role: 'ADMIN', region: '3607320' }, /region/],
    [{ role: 'ADMIN', region: '' }, /region/],
    [{ role: 'APPROVAL_BUREAU', region: '360799' }, /region/],
    [{ role: 'APPROVAL_BUREAU', region: 360732 }, /region/],
    [{ role: 'AUDITOR', region: '36' }, /region/],
    [{ role: 'DEPARTMENT_REVIEWER', region: '360732' }, /department/],
    [{ role: 'DEPARTMENT_REVIEWER', department: '360732-NOPE', region: '360732' }, /department/],
    // A county department cannot claim the city, nor another county.
    [{ role: 'DEPARTMENT_SYSTEM', department: '360732-SAMR', region: '360700' }, /region.*360732-SAMR/],
    [{ role: 'DEPARTMENT_SYSTEM', department: '360732-SAMR', region: '360731' }, /region.*360732-SAMR/],
  ])('%j is refused, naming the claim', (claims, claim) => {
    const result = refused(claims);
    expect(result).toMatch(/^UNAUTHENTICATED: /);
    expect(result).toMatch(claim);
  });

  test('valid claims pass; role null is the public only where allowed (the gateway\'s own header)', () => {
    expect(identityFromClaims({ role: 'DEPARTMENT_SYSTEM', department: '360732-SAMR', region: '360732' })).toMatchObject({ department: '360732-SAMR' });
    expect(identityFromClaims({ role: 'ADMIN', region: '360000' }).region).toBe('360000');
    expect(identityFromClaims({ role: 'AUDITOR' }).role).toBe('AUDITOR');
    expect(identityFromClaims({ role: null }, { allowPublic: true }).role).toBeNull();
  });

  test('a bad value is echoed only as a short prefix', () => {
    expect(refused({ role: 'ADMIN', region: 'x'.repeat(500) }).length).toBeLessThan(120);
  });
});

describe('scope', () => {
  test('a city covers its counties, a province its cities, a county only itself', () => {
    expect(regionCovers('360700', '360732')).toBe(true);
    expect(regionCovers('360000', '360732')).toBe(true);
    expect(regionCovers('360732', '360731')).toBe(false);
    expect(regionCovers('360700', '360800')).toBe(false);
  });

  test('who reads an enterprise-owned record', () => {
    const owner = { creditCode: '914403001922038216', regionCode: '360732' };
    expect(canReadEnterpriseRecord({ role: null }, owner)).toBe(false);
    expect(canReadEnterpriseRecord({ role: 'ENTERPRISE', creditCode: owner.creditCode }, owner)).toBe(true);
    expect(canReadEnterpriseRecord({ role: 'ENTERPRISE', creditCode: '91440300708461136T' }, owner)).toBe(false);
    expect(canReadEnterpriseRecord({ role: 'FINANCE', region: '360731' }, owner)).toBe(false);
    expect(canReadEnterpriseRecord({ role: 'FINANCE', region: '360700' }, owner)).toBe(true);
    expect(canReadEnterpriseRecord({ role: 'AUDITOR' }, owner)).toBe(true);
  });

  test('list scope: own rows, own region, everything; a region outside is refused', () => {
    expect(enterpriseScope({ role: 'ENTERPRISE', creditCode: 'X' })).toEqual([{ creditCode: 'X' }]);
    expect(enterpriseScope({ role: 'ADMIN', region: '360700' }, '360732')).toEqual([{ regionCode: { $gte: '3607', $lt: '3608' } }, { regionCode: '360732' }]);
    expect(enterpriseScope({ role: 'ADMIN', region: '360000' })).toEqual([{ regionCode: { $gte: '36', $lt: '37' } }]);
    expect(enterpriseScope({ role: 'AUDITOR' })).toEqual([]);
    expect(() => enterpriseScope({ role: 'FINANCE', region: '360732' }, '360731')).toThrow(
      expect.objectContaining({ extensions: { code: 'FORBIDDEN' }, message: '无权查看地区 360731 的数据：您所属地区为 360732' }),
    );
    expect(() => enterpriseScope({ role: null })).toThrow(expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } }));
  });

  test('the auditor writes nothing', () => {
    let error: unknown;
    try {
      requireWriter({ role: 'AUDITOR' }, 'ADMIN');
    } catch (e) {
      error = e;
    }
    expect(code(error)).toBe('FORBIDDEN');
  });
});

describe('masking', () => {
  test('keeps enough to recognise, never enough to use', () => {
    expect(maskPersonName('王小明')).toBe('王*明');
    expect(maskPersonName('李四')).toBe('李*');
    expect(maskPersonName('欧阳娜娜')).toBe('欧**娜');
    expect(maskIdNumber('36073219900307001X')).toBe('360732********001X');
    expect(maskBankAccount('6228480012345678')).toBe('6228********5678');
  });
});
