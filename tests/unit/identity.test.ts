import { SignJWT } from 'jose';
import {
  identityFromClaims,
  regionCovers,
  signInternalIdentity,
  verifyInternalIdentity,
} from '../../platform/identity';
import { maskBankAccount, maskIdNumber, maskPersonName } from '../../subgraphs/kit/mask';
import { canReadEnterpriseRecord, enterpriseScope, requireWriter } from '../../subgraphs/kit/scope';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const code = (e: unknown) => (e as { extensions?: { code?: string } }).extensions?.code;

describe('identity between gateway and subgraphs', () => {
  test('what the gateway signs, a subgraph reads back', async () => {
    const header = await signInternalIdentity({ role: 'WINDOW_CLERK', region: '360732', subject: 'clerk-7' }, SECRET);
    expect(await verifyInternalIdentity(header, SECRET)).toMatchObject({ role: 'WINDOW_CLERK', region: '360732', subject: 'clerk-7' });
  });

  test('no header is the public; a forged, foreign or expired one is refused', async () => {
    expect((await verifyInternalIdentity(undefined, SECRET)).role).toBeNull();
    const foreign = await signInternalIdentity({ role: 'ADMIN', region: '360700' }, 'another-secret-another-secret-another-secret');
    await expect(verifyInternalIdentity(foreign, SECRET)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    const expired = await new SignJWT({ role: 'ADMIN', region: '360700' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('qinqing-gateway')
      .setAudience('qinqing-subgraphs')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 10)
      .sign(new TextEncoder().encode(SECRET));
    await expect(verifyInternalIdentity(expired, SECRET)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    await expect(verifyInternalIdentity('not.a.jwt', SECRET)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  test('claims are validated: unknown roles, an enterprise without a valid code, an official without a region', () => {
    for (const claims of [{ role: 'SUPERUSER' }, { role: 'ENTERPRISE' }, { role: 'ENTERPRISE', creditCode: '914403001922038217' }, { role: 'FINANCE' }]) {
      let error: unknown;
      try {
        identityFromClaims(claims);
      } catch (e) {
        error = e;
      }
      expect(code(error)).toBe('UNAUTHENTICATED');
    }
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
