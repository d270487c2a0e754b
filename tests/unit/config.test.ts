import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, type Piece } from '../../platform/config';

const newDataDir = () => mkdtempSync(join(tmpdir(), 'qinqing-config-'));
const ed25519 = () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
};

/** The problems loadConfig reports, or [] when it accepts the environment. */
function problemsOf(env: NodeJS.ProcessEnv, piece?: Piece): string[] {
  try {
    loadConfig(env, piece);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
}

const PRODUCTION = { NODE_ENV: 'production', DATABASE_URL: 'postgres://app@db/qinqing', JWT_JWKS_URL: 'https://idp.example.gov.cn/.well-known/jwks.json' };

describe('configuration', () => {
  test('县人社局’s own system runs at base + 19 (4020, its routing_url), follows the ports given, or HRSS_PORT', () => {
    const dataDir = newDataDir();
    expect(loadConfig({ DATA_DIR: dataDir }).hrssPort).toBe(4020);
    expect(loadConfig({ DATA_DIR: dataDir, PORT: '4490' }).hrssPort).toBe(4510);
    expect(loadConfig({ DATA_DIR: dataDir, PORT: '0' }).hrssPort).toBe(0);
    expect(loadConfig({ DATA_DIR: dataDir, HRSS_PORT: '5020' }).hrssPort).toBe(5020);
    expect(problemsOf({ DATA_DIR: dataDir, HRSS_PORT: 'x' })).toEqual([expect.stringMatching(/^HRSS_PORT: /)]);
  });

  test('the agent bank: the simulated bank by default; an adapter that does not exist fails the start naming BANK_ADAPTER', () => {
    const dataDir = newDataDir();
    expect(loadConfig({ DATA_DIR: dataDir }).funds.bankAdapter).toBe('simulated');
    expect(problemsOf({ DATA_DIR: dataDir, BANK_ADAPTER: 'acme-bank' })).toEqual([expect.stringMatching(/^BANK_ADAPTER: /)]);
  });

  test('development needs nothing: SQLite under data/, port 4000, dev keys generated once under DATA_DIR', () => {
    const dataDir = newDataDir();
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config).toMatchObject({ port: 4000, subgraphPortBase: 4001, dataDir, demoData: true, production: false });
    expect(config.databaseUrl).toBeUndefined();
    const keyFile = join(dataDir, 'dev-keys', 'gateway-ed25519.pem');
    expect(config.gatewayIdentity.privateKey).toBe(readFileSync(keyFile, 'utf8'));
    expect(config.gatewayIdentity.publicKey).toContain('BEGIN PUBLIC KEY');
    expect(config.jwt.secret).toBe(readFileSync(join(dataDir, 'dev-keys', 'jwt-secret'), 'utf8').trim());
    expect(config.jwt.secret!.length).toBeGreaterThanOrEqual(32);
    expect(statSync(keyFile).mode & 0o077).toBe(0); // readable by its owner only
    // A restart (or npm run token) finds the same keys; another data directory gets its own.
    expect(loadConfig({ DATA_DIR: dataDir })).toMatchObject({ gatewayIdentity: config.gatewayIdentity, jwt: { secret: config.jwt.secret } });
    expect(loadConfig({ DATA_DIR: newDataDir() }).jwt.secret).not.toBe(config.jwt.secret);
    expect(config.jwt.maxLifetimeSeconds).toBe(12 * 3600);
    expect(config.policyExpiryIntervalMs).toBe(3600 * 1000);
  });

  test('POLICY_EXPIRY_INTERVAL: a duration (30m, 1h, seconds); anything else is named', () => {
    expect(loadConfig({ DATA_DIR: newDataDir(), POLICY_EXPIRY_INTERVAL: '30m' }).policyExpiryIntervalMs).toBe(30 * 60 * 1000);
    expect(loadConfig({ DATA_DIR: newDataDir(), POLICY_EXPIRY_INTERVAL: '90' }).policyExpiryIntervalMs).toBe(90 * 1000);
    expect(problemsOf({ POLICY_EXPIRY_INTERVAL: 'hourly' }).join('\n')).toMatch(/^POLICY_EXPIRY_INTERVAL: /m);
  });

  test('every problem is listed at once, so a deployment is fixed in one pass', () => {
    const problems = problemsOf({
      NODE_ENV: 'production',
      PORT: 'eighty',
      SUBGRAPH_TAX_URL: 'tax-host:4002',
      SUBGRAPH_TAX_TIMEOUT_MS: 'soon',
      DATABASE_URL: 'mysql://x',
      JWT_MAX_LIFETIME: 'forever',
      INTERNAL_IDENTITY_SECRET: 'x'.repeat(40),
    }).join('\n');
    for (const name of ['PORT', 'SUBGRAPH_TAX_URL', 'SUBGRAPH_TAX_TIMEOUT_MS', 'DATABASE_URL', 'JWT_MAX_LIFETIME', 'GATEWAY_PRIVATE_KEY', 'JWT_JWKS_URL', 'INTERNAL_IDENTITY_SECRET']) {
      expect(problems).toContain(name);
    }
  });

  test('production with its own keys and PostgreSQL starts without demo data', () => {
    const dataDir = newDataDir();
    const key = ed25519();
    const config = loadConfig({
      ...PRODUCTION,
      DATA_DIR: dataDir,
      GATEWAY_PRIVATE_KEY: key.privateKey,
      SUBGRAPH_ENTERPRISES_URL: 'http://enterprises:4000/graphql',
      SUBGRAPH_TAX_TIMEOUT_MS: '1500',
      JWT_MAX_LIFETIME: '8h',
    });
    expect(config.subgraphTimeouts).toEqual({ tax: 1500 });
    expect(config.demoData).toBe(false);
    expect(config.jwt).toMatchObject({ secret: undefined, maxLifetimeSeconds: 8 * 3600 });
    expect(config.subgraphUrls).toEqual({ enterprises: 'http://enterprises:4000/graphql' });
    // One process: the subgraphs verify with the public half of the gateway's key.
    expect(config.gatewayIdentity).toEqual({ privateKey: key.privateKey, publicKey: key.publicKey, jwksUrl: undefined, cacheMax: 10_000 });
    expect(() => readFileSync(join(dataDir, 'dev-keys', 'gateway-ed25519.pem'))).toThrow(/ENOENT/); // production generates nothing
  });

  test('each piece is asked for the keys it needs: the gateway its private key, a subgraph the public one', () => {
    const key = ed25519();
    const keyFile = join(newDataDir(), 'gateway.pem');
    writeFileSync(keyFile, key.privateKey);
    expect(problemsOf({ ...PRODUCTION, DATABASE_URL: undefined, GATEWAY_PRIVATE_KEY: keyFile }, 'gateway')).toEqual([]);
    expect(loadConfig({ ...PRODUCTION, GATEWAY_PRIVATE_KEY: keyFile }, 'gateway').gatewayIdentity.privateKey).toBe(key.privateKey);
    // An inline PEM with its newlines escaped, as one-line secret stores hand it over.
    const escaped = loadConfig({ ...PRODUCTION, GATEWAY_PRIVATE_KEY: key.privateKey.replace(/\n/g, '\\n') }, 'gateway');
    expect(escaped.gatewayIdentity.publicKey).toBe(key.publicKey);

    const subgraph = { NODE_ENV: 'production', DATABASE_URL: 'postgres://app@db/qinqing' };
    expect(problemsOf(subgraph, 'subgraph').join('\n')).toMatch(/^GATEWAY_JWKS_URL: /);
    expect(problemsOf({ ...subgraph, GATEWAY_JWKS_URL: 'https://gateway.example.gov.cn/.well-known/jwks.json' }, 'subgraph')).toEqual([]);
    expect(loadConfig({ ...subgraph, GATEWAY_PUBLIC_KEY: key.publicKey }, 'subgraph').gatewayIdentity).toEqual({
      privateKey: undefined,
      publicKey: key.publicKey,
      jwksUrl: undefined,
      cacheMax: 10_000,
    });
  });

  test('keys that are not what they should be are named', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const key = ed25519();
    expect(problemsOf({ GATEWAY_PRIVATE_KEY: rsa, DATA_DIR: newDataDir() })).toEqual(['GATEWAY_PRIVATE_KEY: must be an Ed25519 private key, got rsa']);
    expect(problemsOf({ GATEWAY_PRIVATE_KEY: '/nonexistent/gateway.pem' })).toEqual(['GATEWAY_PRIVATE_KEY: cannot read the key file "/nonexistent/gateway.pem" (ENOENT)']);
    expect(problemsOf({ GATEWAY_PUBLIC_KEY: key.privateKey }, 'subgraph')[0]).toMatch(/^GATEWAY_PUBLIC_KEY: is a private key/);
    expect(problemsOf({ GATEWAY_PRIVATE_KEY: key.privateKey, GATEWAY_PUBLIC_KEY: ed25519().publicKey })[0]).toMatch(/^GATEWAY_PUBLIC_KEY: is not the public half/);
  });
});

describe('production refuses every dev key and secret, naming which', () => {
  const dataDir = newDataDir();
  const dev = loadConfig({ DATA_DIR: dataDir }); // what `npm start` generated in this data directory
  const devKeyFile = join(dataDir, 'dev-keys', 'gateway-ed25519.pem');

  test('the dev key file itself, by path', () => {
    const problems = problemsOf({ ...PRODUCTION, DATA_DIR: newDataDir(), GATEWAY_PRIVATE_KEY: devKeyFile });
    expect(problems).toEqual([`GATEWAY_PRIVATE_KEY: "${devKeyFile}" is a generated dev key (under dev-keys/); production needs a key of its own`]);
  });

  test('a dev key or secret copied by value, all reported together', () => {
    const problems = problemsOf({ ...PRODUCTION, DATA_DIR: dataDir, GATEWAY_PRIVATE_KEY: dev.gatewayIdentity.privateKey, JWT_SECRET: dev.jwt.secret });
    expect(problems).toEqual([
      `GATEWAY_PRIVATE_KEY: is the generated dev key ${devKeyFile}; production needs a key of its own`,
      `JWT_SECRET: is the generated dev secret ${join(dataDir, 'dev-keys', 'jwt-secret')}`,
    ]);
  });

  test("a subgraph given the dev key's public half", () => {
    const problems = problemsOf({ NODE_ENV: 'production', DATABASE_URL: PRODUCTION.DATABASE_URL, DATA_DIR: dataDir, GATEWAY_PUBLIC_KEY: dev.gatewayIdentity.publicKey }, 'subgraph');
    expect(problems).toEqual([`GATEWAY_PUBLIC_KEY: is the generated dev key ${devKeyFile}; production needs a key of its own`]);
  });

  test('the dev secret once published in this repository', () => {
    const problems = problemsOf({ ...PRODUCTION, GATEWAY_PRIVATE_KEY: ed25519().privateKey, JWT_SECRET: 'qinqing-hub-dev-only-jwt-secret-change-me-in-production' });
    expect(problems).toEqual(['JWT_SECRET: is the dev secret published in earlier versions of qinqing-hub']);
  });

  test('outside production the same keys are fine', () => {
    expect(problemsOf({ DATA_DIR: dataDir, GATEWAY_PRIVATE_KEY: devKeyFile, JWT_SECRET: dev.jwt.secret })).toEqual([]);
  });

  test('query limits and cache ceilings: unset means the defaults; a bad value is named', () => {
    expect(loadConfig({})).toMatchObject({ queryLimits: { maxDirectives: undefined }, queryCacheMaxBytes: 16 * 2 ** 20, persistedQueries: true });
    const config = loadConfig({ QUERY_MAX_DIRECTIVES: '10', QUERY_MAX_COST: '900', QUERY_CACHE_MAX_BYTES: '1000000', PERSISTED_QUERIES: 'false' });
    expect(config).toMatchObject({ queryLimits: { maxDirectives: 10, maxCost: 900 }, queryCacheMaxBytes: 1_000_000, persistedQueries: false });
    expect(() => loadConfig({ QUERY_MAX_DIRECTIVES: '0', QUERY_CACHE_MAX_BYTES: 'lots' })).toThrow(/QUERY_MAX_DIRECTIVES[\s\S]*QUERY_CACHE_MAX_BYTES/);
  });

  test('per-caller caches: 10,000 entries each unless set; 0 turns one off; a bad value is named', () => {
    expect(loadConfig({})).toMatchObject({ jwt: { cacheMax: 10_000 }, gatewayIdentity: { cacheMax: 10_000 } });
    expect(loadConfig({ JWT_CACHE_MAX: '0', IDENTITY_CACHE_MAX: '500' })).toMatchObject({ jwt: { cacheMax: 0 }, gatewayIdentity: { cacheMax: 500 } });
    expect(() => loadConfig({ JWT_CACHE_MAX: '-1', IDENTITY_CACHE_MAX: 'many' })).toThrow(/JWT_CACHE_MAX[\s\S]*IDENTITY_CACHE_MAX/);
  });

  test('subgraph calls: the concurrency limit follows the connections unless set; a queue of 0 is allowed; bad values are named', () => {
    expect(loadConfig({}).subgraphCalls).toEqual({ connections: 32, maxConcurrency: 32, maxQueue: 512, dedup: true });
    expect(loadConfig({ SUBGRAPH_CONNECTIONS: '8', SUBGRAPH_MAX_QUEUE: '0', SUBGRAPH_DEDUP: 'false' }).subgraphCalls).toEqual({ connections: 8, maxConcurrency: 8, maxQueue: 0, dedup: false });
    expect(loadConfig({ SUBGRAPH_MAX_CONCURRENCY: '100' }).subgraphCalls.maxConcurrency).toBe(100);
    const problems = problemsOf({ SUBGRAPH_CONNECTIONS: '0', SUBGRAPH_MAX_QUEUE: '-1', SUBGRAPH_DEDUP: 'yes' });
    expect(problems.map((p) => p.split(':')[0])).toEqual(expect.arrayContaining(['SUBGRAPH_CONNECTIONS', 'SUBGRAPH_MAX_QUEUE', 'SUBGRAPH_DEDUP']));
  });

  test('events: in-process unless NATS_URL is set; bad values are named', () => {
    expect(loadConfig({}).events).toEqual({ natsUrl: undefined, streamPrefix: 'QINQING', pollMs: 1000, maxAttempts: 5, retryBaseMs: 1000, ackWaitMs: 30_000 });
    expect(loadConfig({ NATS_URL: 'nats://127.0.0.1:4222', NATS_STREAM_PREFIX: 'T1', EVENTS_MAX_ATTEMPTS: '3' }).events).toMatchObject({ natsUrl: 'nats://127.0.0.1:4222', streamPrefix: 'T1', maxAttempts: 3 });
    const problems = problemsOf({ NATS_URL: 'http://127.0.0.1:4222', NATS_STREAM_PREFIX: 'has.dot', EVENTS_POLL_MS: '0', EVENTS_MAX_ATTEMPTS: 'many' });
    expect(problems.map((p) => p.split(':')[0])).toEqual(expect.arrayContaining(['NATS_URL', 'NATS_STREAM_PREFIX', 'EVENTS_POLL_MS', 'EVENTS_MAX_ATTEMPTS']));
    expect(problems.find((p) => p.startsWith('NATS_URL'))).toMatch(/nats:\/\//);
  });
});
