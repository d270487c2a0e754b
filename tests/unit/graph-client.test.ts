import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuthenticator } from '../../gateway/auth';
import { loadConfig } from '../../platform/config';
import { decodePurpose } from '../../platform/purpose';
import { createGraphClient, graphClientFromConfig, GraphRequestError, SERVICE_SUBJECT } from '../../subgraphs/kit/graph-client';

/**
 * The graph client's token paths and error handling, against a local HTTP endpoint that checks the
 * bearer token as the gateway does (createAuthenticator) and answers what the test asks.
 */
const jwt = { secret: 's'.repeat(40), issuer: 'qinqing-hub', audience: 'qinqing-hub', maxLifetimeSeconds: 12 * 3600 };

describe('the graph client of background work', () => {
  let server: Server;
  let url: string;
  const seen: { authorization?: string; purpose?: string; body: any }[] = [];
  let answer: (req: IncomingMessage) => { status: number; body: string; delayMs?: number } = () => ({ status: 200, body: JSON.stringify({ data: { ok: true } }) });

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      let text = '';
      for await (const chunk of req) text += chunk;
      seen.push({ authorization: req.headers.authorization, purpose: req.headers['x-qinqing-purpose'] as string, body: JSON.parse(text) });
      const { status, body, delayMs } = answer(req);
      setTimeout(() => res.writeHead(status, { 'content-type': 'application/json' }).end(body), delayMs ?? 0).unref();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    seen.length = 0;
    answer = () => ({ status: 200, body: JSON.stringify({ data: { ok: true } }) });
  });

  test('with the dev/test secret it mints a short-lived ADMIN token for the region asked, which the gateway accepts', async () => {
    const client = createGraphClient({ url, timeoutMs: 5_000, jwt })!;
    expect(await client.request('{ ok }', {}, { purpose: '政策精准推送：XG-2026-040', region: '360732' })).toEqual({ ok: true });
    await client.request('{ ok }', { a: 1 }, { purpose: '政策精准推送：XG-2026-040', region: '360700' });
    const authenticate = await createAuthenticator(jwt);
    const [county, city] = await Promise.all(seen.map((s) => authenticate(s.authorization)));
    expect(county).toMatchObject({ role: 'ADMIN', region: '360732', subject: SERVICE_SUBJECT });
    expect(city).toMatchObject({ role: 'ADMIN', region: '360700', subject: SERVICE_SUBJECT });
    // The purpose travels percent-encoded, as the gateway expects; the body is the operation.
    expect(decodePurpose(seen[0].purpose).purpose).toBe('政策精准推送：XG-2026-040');
    expect(seen[1].body).toEqual({ query: '{ ok }', variables: { a: 1 } });
    // Minted once per region and reused while it lives (5 minutes).
    await client.request('{ ok }', {}, { purpose: 'p', region: '360732' });
    expect(seen[2].authorization).toBe(seen[0].authorization);
    const claims = JSON.parse(Buffer.from(seen[0].authorization!.split('.')[1], 'base64url').toString());
    expect(claims.exp - claims.iat).toBe(300);
  });

  test('a token file is read on every call (the deployment rotates it) and wins over the secret', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'graph-token-')), 'token');
    writeFileSync(file, 'first-token\n');
    const client = createGraphClient({ url, timeoutMs: 5_000, tokenFile: file, jwt })!;
    await client.request('{ ok }', {}, { purpose: 'p', region: '360732' });
    writeFileSync(file, 'second-token');
    await client.request('{ ok }', {}, { purpose: 'p', region: '360732' });
    expect(seen.map((s) => s.authorization)).toEqual(['Bearer first-token', 'Bearer second-token']);
    writeFileSync(file, '  \n');
    await expect(client.request('{ ok }', {}, { purpose: 'p', region: '360732' })).rejects.toMatchObject({ codes: ['NO_TOKEN'] });
  });

  test('no token file and no secret (or production without a file): no client', () => {
    expect(createGraphClient({ url, timeoutMs: 5_000 })).toBeUndefined();
    const dataDir = mkdtempSync(join(tmpdir(), 'graph-config-'));
    const base = { DATA_DIR: dataDir, GRAPH_URL: url };
    // Outside production the dev secret mints; GRAPH_URL unset falls back to the gateway the process started.
    expect(graphClientFromConfig(loadConfig({ ...base, JWT_SECRET: jwt.secret }))).toBeDefined();
    expect(graphClientFromConfig(loadConfig({ DATA_DIR: dataDir, JWT_SECRET: jwt.secret }))).toBeUndefined();
    expect(graphClientFromConfig(loadConfig({ DATA_DIR: dataDir, JWT_SECRET: jwt.secret }), url)).toBeDefined();
    // A subgraph started alone has no secret unless given one.
    expect(graphClientFromConfig(loadConfig(base, 'subgraph'))).toBeUndefined();
    const production = { ...base, NODE_ENV: 'production', DATABASE_URL: 'postgres://app@db/q', JWT_SECRET: jwt.secret, GATEWAY_PUBLIC_KEY: undefined, GATEWAY_JWKS_URL: 'https://gw.example/.well-known/jwks.json' };
    expect(graphClientFromConfig(loadConfig(production, 'subgraph'))).toBeUndefined();
    expect(graphClientFromConfig(loadConfig({ ...production, GRAPH_SERVICE_TOKEN_FILE: '/run/secrets/graph-token' }, 'subgraph'))).toBeDefined();
    expect(loadConfig(base).graph).toEqual({ url, timeoutMs: 120_000 });
    expect(loadConfig(base).push.rescreenIntervalMs).toBe(24 * 3600 * 1000);
    expect(() => loadConfig({ ...base, PUSH_RESCREEN_INTERVAL: '30d' })).toThrow(/PUSH_RESCREEN_INTERVAL/);
  });

  test('as a department: a minted DEPARTMENT_SYSTEM token of that department (dev/test), the service identity otherwise', async () => {
    const client = createGraphClient({ url, timeoutMs: 5_000, jwt })!;
    const as = { role: 'DEPARTMENT_SYSTEM', department: '360732-MIIT', subject: 'service:departments' } as const;
    await client.request('{ ok }', {}, { purpose: '部门审核结果回传', region: '360732', as });
    await client.request('{ ok }', {}, { purpose: '部门审核结果回传', region: '360732', as: { ...as, department: '360732-COMMERCE' } });
    await client.request('{ ok }', {}, { purpose: 'p', region: '360732' });
    await client.request('{ ok }', {}, { purpose: '部门审核结果回传', region: '360732', as });
    const authenticate = await createAuthenticator(jwt);
    const [miit, commerce, service] = await Promise.all(seen.slice(0, 3).map((s) => authenticate(s.authorization)));
    // Checked as the gateway checks any caller: a department the platform knows, inside its region.
    expect(miit).toEqual({ role: 'DEPARTMENT_SYSTEM', department: '360732-MIIT', region: '360732', subject: 'service:departments' });
    expect(commerce).toMatchObject({ role: 'DEPARTMENT_SYSTEM', department: '360732-COMMERCE' });
    // The process's own identity is untouched by the department tokens; each identity's token is reused.
    expect(service).toMatchObject({ role: 'ADMIN', region: '360732', subject: SERVICE_SUBJECT });
    expect(seen[3].authorization).toBe(seen[0].authorization);
    // A code the platform does not know names no token (nor a file: no path out of the directory).
    await expect(client.request('{ ok }', {}, { purpose: 'p', region: '360732', as: { ...as, department: '../token' } })).rejects.toMatchObject({ codes: ['NO_TOKEN'] });
    expect(seen).toHaveLength(4);
  });

  test('as the payer: a minted APPROVAL_BUREAU token of the county (the applications subgraph reading payee accounts)', async () => {
    const client = createGraphClient({ url, timeoutMs: 5_000, jwt })!;
    await client.request('{ ok }', {}, { purpose: '免申即享白名单确认', region: '360732', as: { role: 'APPROVAL_BUREAU', department: '360732-APPROVAL', subject: 'service:applications' } });
    const payer = await (await createAuthenticator(jwt))(seen[0].authorization);
    expect(payer).toEqual({ role: 'APPROVAL_BUREAU', department: '360732-APPROVAL', region: '360732', subject: 'service:applications' });
  });

  test("production: a department's token is its file in GRAPH_SERVICE_TOKEN_DIR, re-read on every call; never the service token instead", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'graph-tokens-'));
    const serviceFile = join(dir, 'service');
    writeFileSync(serviceFile, 'service-token');
    writeFileSync(join(dir, '360732-MIIT'), 'miit-token-1\n');
    const as = { role: 'DEPARTMENT_SYSTEM', department: '360732-MIIT', subject: 'service:departments' } as const;
    const client = createGraphClient({ url, timeoutMs: 5_000, tokenFile: serviceFile, tokenDir: dir })!;
    await client.request('{ ok }', {}, { purpose: 'p', region: '360732', as });
    writeFileSync(join(dir, '360732-MIIT'), 'miit-token-2');
    await client.request('{ ok }', {}, { purpose: 'p', region: '360732', as });
    await client.request('{ ok }', {}, { purpose: 'p', region: '360732' });
    expect(seen.map((s) => s.authorization)).toEqual(['Bearer miit-token-1', 'Bearer miit-token-2', 'Bearer service-token']);
    // A department without a file: refused before any call, whatever else is configured (the secret too).
    const failure = (p: Promise<unknown>) => p.then(() => undefined, (e) => e as GraphRequestError);
    const missing = await failure(client.request('{ ok }', {}, { purpose: 'p', region: '360732', as: { ...as, department: '360732-COMMERCE' } }));
    expect(missing).toMatchObject({ codes: ['NO_TOKEN'] });
    expect(missing!.message).toContain('GRAPH_SERVICE_TOKEN_DIR');
    const withSecret = createGraphClient({ url, timeoutMs: 5_000, tokenDir: dir, jwt })!;
    expect(await failure(withSecret.request('{ ok }', {}, { purpose: 'p', region: '360732', as: { ...as, department: '360732-COMMERCE' } }))).toMatchObject({ codes: ['NO_TOKEN'] });
    // Only a directory: the departments' calls work, the service's own identity has no token.
    const departmentsOnly = createGraphClient({ url, timeoutMs: 5_000, tokenDir: dir })!;
    expect(await failure(departmentsOnly.request('{ ok }', {}, { purpose: 'p', region: '360732' }))).toMatchObject({ codes: ['NO_TOKEN'] });
    expect(seen).toHaveLength(3);
    // The config: GRAPH_SERVICE_TOKEN_DIR alone gives a production process a client.
    const dataDir = mkdtempSync(join(tmpdir(), 'graph-config-'));
    const production = { DATA_DIR: dataDir, GRAPH_URL: url, NODE_ENV: 'production', DATABASE_URL: 'postgres://app@db/q', GATEWAY_JWKS_URL: 'https://gw.example/.well-known/jwks.json' };
    expect(loadConfig({ ...production, GRAPH_SERVICE_TOKEN_DIR: dir }, 'subgraph').graph.serviceTokenDir).toBe(dir);
    expect(graphClientFromConfig(loadConfig({ ...production, GRAPH_SERVICE_TOKEN_DIR: dir }, 'subgraph'))).toBeDefined();
  });

  test('EXTERNAL_DEPARTMENTS: known department codes, comma-separated; default the two HRSS; empty means none', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'graph-config-'));
    expect(loadConfig({ DATA_DIR: dataDir }).departments.external).toEqual(['360732-HRSS', '360731-HRSS']);
    expect(loadConfig({ DATA_DIR: dataDir, EXTERNAL_DEPARTMENTS: ' 360732-MIIT , 360732-MIIT,360731-AGRI ' }).departments.external).toEqual(['360732-MIIT', '360731-AGRI']);
    expect(loadConfig({ DATA_DIR: dataDir, EXTERNAL_DEPARTMENTS: '' }).departments.external).toEqual([]);
    expect(() => loadConfig({ DATA_DIR: dataDir, EXTERNAL_DEPARTMENTS: '360732-HRSS,360799-XYZ' })).toThrow(/EXTERNAL_DEPARTMENTS: must be department codes the platform knows/);
  });

  test('GraphQL errors, a non-GraphQL answer and the timeout are thrown with their codes', async () => {
    const client = createGraphClient({ url, timeoutMs: 300, jwt })!;
    const failure = (p: Promise<unknown>) => p.then(() => undefined, (e) => e as GraphRequestError);
    answer = () => ({ status: 200, body: JSON.stringify({ data: null, errors: [{ message: '无权访问', extensions: { code: 'FORBIDDEN' } }, { message: 'x', extensions: { code: 'BAD_USER_INPUT' } }] }) });
    const refused = await failure(client.request('{ ok }', {}, { purpose: 'p', region: '360732' }));
    expect(refused).toBeInstanceOf(GraphRequestError);
    expect(refused).toMatchObject({ codes: ['FORBIDDEN', 'BAD_USER_INPUT'], status: 200 });
    expect(refused!.message).toContain('FORBIDDEN: 无权访问');
    answer = () => ({ status: 502, body: '<html>bad gateway</html>' });
    expect(await failure(client.request('{ ok }', {}, { purpose: 'p', region: '360732' }))).toMatchObject({ codes: ['HTTP_502'], status: 502 });
    answer = () => ({ status: 200, body: JSON.stringify({ data: { ok: true } }), delayMs: 2_000 });
    expect(await failure(client.request('{ ok }', {}, { purpose: 'p', region: '360732' }))).toMatchObject({ codes: ['TIMEOUT'] });
  });
});
