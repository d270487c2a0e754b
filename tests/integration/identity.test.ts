import { generateKeyPairSync } from 'node:crypto';
import { createLocalJWKSet, importPKCS8, jwtVerify, SignJWT } from 'jose';
import { createGateway } from '../../gateway';
import { ANONYMOUS, createIdentitySigner, IDENTITY_HEADER } from '../../platform/identity';
import { createSubgraphServer } from '../../subgraphs/kit/server';
import { enterprisesSubgraph } from '../../subgraphs/enterprises';
import { describeDb } from '../support/db';
import { postGraphql, startTestGraph, testConfig, type TestGraph } from '../support/graph';

/**
 * Identity across the graph: the gateway signs `x-qinqing-identity` for one subgraph at a time
 * with its private key; subgraphs accept nothing else. And the gateway refuses user tokens whose
 * claims do not hold, however well signed.
 */
describeDb('identity the departments cannot forge', () => {
  let graph: TestGraph;
  let enterprisesUrl: string;
  const count = `{ enterprises(first: 1) { totalCount } }`;

  beforeAll(async () => {
    graph = await startTestGraph();
    enterprisesUrl = graph.subgraphs.enterprises.http.url;
  });
  afterAll(() => graph?.stop());

  describe('at a subgraph', () => {
    test('a header minted for tax is refused by enterprises, its own is served', async () => {
      const forTax = await graph.signIdentity({ role: 'AUDITOR' }, 'tax');
      const refused = await postGraphql(enterprisesUrl, { query: count }, { [IDENTITY_HEADER]: forTax });
      expect(refused.status).toBe(401);
      expect(refused.body.errors[0]).toMatchObject({ message: expect.stringContaining('enterprises'), extensions: { code: 'UNAUTHENTICATED' } });
      expect(refused.body.data).toBeUndefined();
      // The same header is good where it was meant to go.
      const atTax = await postGraphql(graph.subgraphs.tax.http.url, { query: `{ taxpayers(first: 1) { totalCount } }` }, { [IDENTITY_HEADER]: forTax });
      expect(atTax.body.data.taxpayers.totalCount).toBeGreaterThan(0);
      const own = await postGraphql(enterprisesUrl, { query: count }, { [IDENTITY_HEADER]: await graph.signIdentity({ role: 'AUDITOR' }, 'enterprises') });
      expect(own.body.data.enterprises.totalCount).toBeGreaterThan(0);
    });

    test('forged with another key, or expired: 401', async () => {
      const otherKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      const forged = await (await createIdentitySigner(otherKey)).sign({ role: 'AUDITOR' }, 'enterprises');
      const now = Math.floor(Date.now() / 1000);
      const expired = await new SignJWT({ role: 'AUDITOR' })
        .setProtectedHeader({ alg: 'EdDSA' })
        .setIssuer('qinqing-gateway')
        .setAudience('enterprises')
        .setIssuedAt(now - 600)
        .setExpirationTime(now - 300)
        .sign(await importPKCS8(graph.config.gatewayIdentity.privateKey!, 'EdDSA'));
      for (const [header, message] of [
        [forged, /身份凭证无效/],
        [expired, /已过期/],
      ] as const) {
        const { status, body } = await postGraphql(enterprisesUrl, { query: count }, { [IDENTITY_HEADER]: header });
        expect(status).toBe(401);
        expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
        expect(body.errors[0].message).toMatch(message);
      }
    });

    test.each([
      ['a list', count],
      ['_entities', `{ _entities(representations: [{ __typename: "Enterprise", creditCode: "91360732MA35QQ7T0X" }]) { ... on Enterprise { name } } }`],
      ['_service', `{ _service { sdl } }`],
      ['__typename', `{ __typename }`],
    ])('an unsigned request is refused with 401: %s', async (_what, query) => {
      const { status, body } = await postGraphql(enterprisesUrl, { query });
      expect(status).toBe(401);
      expect(body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) })]);
      expect(body.errors[0].message).toMatch(/x-qinqing-identity/);
      expect(body.data).toBeUndefined();
    });

    test('the public, through the gateway, is signed too and sees the directory', async () => {
      const { body } = await graph.query('{ regions { code } }');
      expect(body.errors).toBeUndefined();
      expect(body.data.regions.length).toBeGreaterThan(0);
      const signedPublic = await graph.signIdentity(ANONYMOUS, 'enterprises');
      const direct = await postGraphql(enterprisesUrl, { query: '{ regions { code } }' }, { [IDENTITY_HEADER]: signedPublic });
      expect(direct.body.data.regions.length).toBe(body.data.regions.length);
    });
  });

  describe("the gateway's JWKS", () => {
    const jwksUrl = () => graph.gatewayUrl.replace('/graphql', '/.well-known/jwks.json');

    test('serves a public key (kid, alg, use) that verifies what the gateway signs', async () => {
      const response = await fetch(jwksUrl());
      expect(response.status).toBe(200);
      const jwks = (await response.json()) as { keys: Record<string, string>[] };
      expect(jwks.keys).toEqual([expect.objectContaining({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', kid: expect.any(String) })]);
      expect(jwks.keys[0]).not.toHaveProperty('d');
      const header = await graph.signIdentity({ role: 'FINANCE', region: '360732' }, 'tax');
      const { payload } = await jwtVerify(header, createLocalJWKSet(jwks as never), { issuer: 'qinqing-gateway', audience: 'tax' });
      expect(payload).toMatchObject({ role: 'FINANCE', region: '360732' });
    });

    test('a subgraph configured with GATEWAY_JWKS_URL accepts the running gateway\'s requests, and nothing forged', async () => {
      const config = testConfig({ GATEWAY_JWKS_URL: jwksUrl() });
      expect(config.gatewayIdentity.publicKey).toBeUndefined(); // it must fetch the key
      const department = await createSubgraphServer(enterprisesSubgraph, graph.subgraphs.enterprises.db.orm, config);
      const http = await department.listen(0);
      // A second gateway replica with the same key routes `enterprises` to the JWKS-configured subgraph.
      const replica = await createGateway(graph.config, {
        serviceUrls: { enterprises: http.url, tax: graph.subgraphs.tax.http.url },
      });
      const replicaHttp = await replica.listen(0, '127.0.0.1');
      try {
        const auditor = await graph.token({ role: 'AUDITOR' });
        const { body } = await postGraphql(replicaHttp.url, { query: count }, { authorization: `Bearer ${auditor}` });
        expect(body.errors).toBeUndefined();
        expect(body.data.enterprises.totalCount).toBeGreaterThan(0);
        const otherKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
        const forged = await (await createIdentitySigner(otherKey)).sign({ role: 'AUDITOR' }, 'enterprises');
        expect((await postGraphql(http.url, { query: count }, { [IDENTITY_HEADER]: forged })).status).toBe(401);
      } finally {
        await replica.stop();
        await department.stop();
      }
    });
  });

  describe('user tokens: a valid signature is not enough', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const sign = (claims: Record<string, unknown>, times: { iat?: number; exp?: number } = { iat: now(), exp: now() + 3600 }) => {
      const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer('qinqing-hub').setAudience('qinqing-hub').setSubject('u-1');
      if (times.iat !== undefined) jwt.setIssuedAt(times.iat);
      if (times.exp !== undefined) jwt.setExpirationTime(times.exp);
      return jwt.sign(new TextEncoder().encode(graph.config.jwt.secret!));
    };

    test.each([
      ['region "36" (a province prefix)', { role: 'WINDOW_CLERK', region: '36' }, 'region'],
      ['region "3607" (a city prefix)', { role: 'ADMIN', region: '3607' }, 'region'],
      ['region "3607320" (too long)', { role: 'FINANCE', region: '3607320' }, 'region'],
      ['region ""', { role: 'APPROVAL_BUREAU', region: '' }, 'region'],
      ['an unknown six-digit region', { role: 'ADMIN', region: '360799' }, 'region'],
      ['an unknown department', { role: 'DEPARTMENT_REVIEWER', department: '360732-XYZ', region: '360732' }, 'department'],
      ["a county department claiming its city", { role: 'DEPARTMENT_SYSTEM', department: '360732-SAMR', region: '360700' }, 'region'],
      ['no role', { region: '360732' }, 'role'],
    ])('%s → 401, never the public', async (_what, claims, claim) => {
      const { status, body } = await graph.query(count, undefined, await sign(claims));
      expect(status).toBe(401);
      expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(body.errors[0].message).toContain(`(${claim})`);
      expect(body.data).toBeUndefined();
    });

    test.each([
      ['no exp', { iat: now() }, 'exp'],
      ['a lifetime over JWT_MAX_LIFETIME', { iat: now(), exp: now() + 13 * 3600 }, 'exp'],
      ['no iat and a far exp', { exp: now() + 30 * 86400 }, 'exp'],
      ['an iat in the future', { iat: now() + 3600, exp: now() + 7200 }, 'iat'],
    ])('%s → 401', async (_what, times, claim) => {
      const { status, body } = await graph.query(count, undefined, await sign({ role: 'AUDITOR' }, times));
      expect(status).toBe(401);
      expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(body.errors[0].message).toContain(`(${claim})`);
    });

    test('the same claims, well-formed, are served', async () => {
      const { body } = await graph.query(count, undefined, await sign({ role: 'DEPARTMENT_SYSTEM', department: '360732-SAMR', region: '360732' }));
      expect(body.errors).toBeUndefined();
      expect(body.data.enterprises.totalCount).toBeGreaterThan(0);
    });
  });
});
