import { describeDb } from '../support/db';
import { startTestGraph, type TestGraph } from '../support/graph';

/** Prometheus text → samples, so tests compare numbers, not lines. */
function parseMetrics(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  const samples = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key] = value;
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** `/metrics` on the gateway and on each subgraph, scraped around real queries. */
describeDb('metrics', () => {
  let graph: TestGraph;
  let auditor: string;
  beforeAll(async () => {
    graph = await startTestGraph({ env: { METRICS_TOKEN: 'metrics-token-for-the-test' } });
    auditor = await graph.token({ role: 'AUDITOR' });
  });
  afterAll(() => graph?.stop());

  const metricsUrl = (graphqlUrl: string) => graphqlUrl.replace(/\/graphql$/, '/metrics');
  const scrape = async (graphqlUrl: string) => {
    const response = await fetch(metricsUrl(graphqlUrl), { headers: { authorization: 'Bearer metrics-token-for-the-test' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parseMetrics(await response.text());
    return (name: string, labels: Record<string, string> = {}) =>
      samples
        .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => (typeof v === 'string' ? s.labels[k] === v : false)))
        .reduce((sum, s) => sum + s.value, 0);
  };
  const gateway = () => scrape(graph.gatewayUrl);
  const enterprises = () => scrape(graph.subgraphs.enterprises.http.url);

  test('a named query moves the request, latency and subgraph fetch counters on the gateway and the subgraph', async () => {
    const [g0, e0] = [await gateway(), await enterprises()];
    const { body } = await graph.query('query MetricsPage { enterprises(first: 2) { nodes { creditCode tax { creditCode } } } }', {}, auditor);
    expect(body.errors).toBeUndefined();
    const [g1, e1] = [await gateway(), await enterprises()];

    expect(g1('qinqing_graphql_requests_total', { service: 'gateway', operation: 'MetricsPage' }) - g0('qinqing_graphql_requests_total', { operation: 'MetricsPage' })).toBe(1);
    expect(g1('qinqing_graphql_request_duration_seconds_count', { operation: 'MetricsPage' }) - g0('qinqing_graphql_request_duration_seconds_count', { operation: 'MetricsPage' })).toBe(1);
    for (const subgraph of ['enterprises', 'tax']) {
      const fetches = (m: typeof g0) => m('qinqing_gateway_subgraph_fetches_total', { subgraph, outcome: 'ok' });
      expect(fetches(g1) - fetches(g0)).toBe(1);
      const timed = (m: typeof g0) => m('qinqing_gateway_subgraph_fetch_duration_seconds_count', { subgraph });
      expect(timed(g1) - timed(g0)).toBe(1);
    }
    // The subgraph counts the operation the gateway sent it (named after the client's).
    const subgraphRequests = (m: typeof e0) => m('qinqing_graphql_requests_total', { service: 'enterprises' });
    expect(subgraphRequests(e1) - subgraphRequests(e0)).toBe(1);
    expect(e1('qinqing_graphql_requests_total', { service: 'enterprises', operation: 'MetricsPage__enterprises__0' })).toBeGreaterThanOrEqual(1);
    expect(g1('qinqing_graphql_requests_in_flight', { service: 'gateway' })).toBe(0);
    // Node's process metrics come along once.
    expect(g1('process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });

  test('errors are counted by code on the gateway and the subgraph that raised them', async () => {
    const [g0, e0] = [await gateway(), await enterprises()];
    const { body } = await graph.query('query Anonymous { enterprises(first: 1) { nodes { creditCode } } }');
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const [g1, e1] = [await gateway(), await enterprises()];
    const unauthenticated = (m: typeof g0) => m('qinqing_graphql_errors_total', { code: 'UNAUTHENTICATED' });
    expect(unauthenticated(g1) - unauthenticated(g0)).toBe(1);
    expect(unauthenticated(e1) - unauthenticated(e0)).toBe(1);
    const fetchErrors = (m: typeof g0) => m('qinqing_gateway_subgraph_fetches_total', { subgraph: 'enterprises', outcome: 'error' });
    expect(fetchErrors(g1) - fetchErrors(g0)).toBe(1);
  });

  test('a query refused by the limits counts as QUERY_TOO_COMPLEX and as a limit refusal', async () => {
    const g0 = await gateway();
    const aliases = Array.from({ length: 60 }, (_, i) => `a${i}: regions { code }`).join(" ");
    const { body } = await graph.query(`query TooMany { ${aliases} }`, {}, auditor);
    expect(body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    const g1 = await gateway();
    expect(g1('qinqing_graphql_errors_total', { code: 'QUERY_TOO_COMPLEX' }) - g0('qinqing_graphql_errors_total', { code: 'QUERY_TOO_COMPLEX' })).toBe(1);
    expect(g1('qinqing_graphql_limit_refusals_total') - g0('qinqing_graphql_limit_refusals_total')).toBe(1);
  });

  test('an operation name that is not an identifier is counted as "other", never as a label of its own', async () => {
    const g0 = await gateway();
    const junk = 'x'.repeat(100);
    await graph.query(`query ${junk} { regions { code } }`, {}, auditor);
    const g1 = await gateway();
    expect(g1('qinqing_graphql_requests_total', { operation: 'other' }) - g0('qinqing_graphql_requests_total', { operation: 'other' })).toBe(1);
    expect(g1('qinqing_graphql_requests_total', { operation: junk })).toBe(0);
  });

  test('the subgraph reports its database pool', async () => {
    const e = await enterprises();
    const states = ['used', 'free', 'pending'].map((state) => e('qinqing_db_pool_connections', { service: 'enterprises', state }));
    expect(states.every((n) => Number.isInteger(n) && n >= 0)).toBe(true);
    expect(states[0] + states[1]).toBeGreaterThan(0);
  });

  test('with METRICS_TOKEN, /metrics refuses a scrape without the bearer token', async () => {
    for (const url of [graph.gatewayUrl, graph.subgraphs.tax.http.url]) {
      expect((await fetch(metricsUrl(url))).status).toBe(401);
      expect((await fetch(metricsUrl(url), { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status).toBe(401);
    }
  });
});
