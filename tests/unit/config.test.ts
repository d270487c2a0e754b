import { ConfigError, DEV_INTERNAL_SECRET, loadConfig } from '../../platform/config';

describe('configuration', () => {
  test('development needs nothing: SQLite under data/, port 4000, dev keys, demo data', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 4000, subgraphPortBase: 4001, dataDir: 'data', demoData: true, production: false });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.internalSecret).toBe(DEV_INTERNAL_SECRET);
  });

  test('every problem is listed at once, so a deployment is fixed in one pass', () => {
    let error: unknown;
    try {
      loadConfig({ NODE_ENV: 'production', PORT: 'eighty', SUBGRAPH_TAX_URL: 'tax-host:4002', SUBGRAPH_TAX_TIMEOUT_MS: 'soon', DATABASE_URL: 'mysql://x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'SUBGRAPH_TAX_URL', 'SUBGRAPH_TAX_TIMEOUT_MS', 'DATABASE_URL', 'INTERNAL_IDENTITY_SECRET', 'JWT_JWKS_URL']) expect(problems).toContain(name);
  });

  test('production with its own keys and PostgreSQL starts without demo data', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://app@db/qinqing',
      INTERNAL_IDENTITY_SECRET: 'x'.repeat(40),
      JWT_JWKS_URL: 'https://idp.example.gov.cn/.well-known/jwks.json',
      SUBGRAPH_ENTERPRISES_URL: 'http://enterprises:4000/graphql',
      SUBGRAPH_TAX_TIMEOUT_MS: '1500',
    });
    expect(config.subgraphTimeouts).toEqual({ tax: 1500 });
    expect(config.demoData).toBe(false);
    expect(config.jwt.secret).toBeUndefined();
    expect(config.subgraphUrls).toEqual({ enterprises: 'http://enterprises:4000/graphql' });
  });

  test('query limits and cache ceilings: unset means the defaults; a bad value is named', () => {
    expect(loadConfig({})).toMatchObject({ queryLimits: { maxDirectives: undefined }, queryCacheMaxBytes: 16 * 2 ** 20, persistedQueries: true });
    const config = loadConfig({ QUERY_MAX_DIRECTIVES: '10', QUERY_MAX_COST: '900', QUERY_CACHE_MAX_BYTES: '1000000', PERSISTED_QUERIES: 'false' });
    expect(config).toMatchObject({ queryLimits: { maxDirectives: 10, maxCost: 900 }, queryCacheMaxBytes: 1_000_000, persistedQueries: false });
    expect(() => loadConfig({ QUERY_MAX_DIRECTIVES: '0', QUERY_CACHE_MAX_BYTES: 'lots' })).toThrow(/QUERY_MAX_DIRECTIVES[\s\S]*QUERY_CACHE_MAX_BYTES/);
  });
});
