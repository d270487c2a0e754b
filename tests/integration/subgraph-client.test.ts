import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGateway, type Gateway } from '../../gateway';
import { IDENTITY_HEADER } from '../../platform/identity';
import { postGraphql, startTestGraph, testConfig, type TestGraph } from '../support/graph';

/**
 * How the gateway calls subgraphs (gateway/subgraph-client.ts): a stand-in in front of the real
 * enterprises subgraph counts the requests and sockets that reach it and can hold them, so the
 * tests see what is merged, what is reused and what is shed.
 */

interface StandIn {
  url: string;
  /** GraphQL requests that reached the subgraph, in order. */
  requests: { identity: string; body: string }[];
  /** TCP connections the gateway opened. */
  sockets: number;
  /** Answers wait until release() (requests already held and later ones). */
  hold(): void;
  release(): void;
  /** Resolves once `n` requests have arrived. */
  arrived(n: number): Promise<void>;
  close(): Promise<void>;
}

async function standIn(target: string): Promise<StandIn> {
  let gate: Promise<void> | undefined;
  let open = () => {};
  const waiters: { n: number; resolve: () => void }[] = [];
  const state = { requests: [] as StandIn['requests'], sockets: 0 };
  const read = async (req: IncomingMessage) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    return body;
  };
  const server: Server = createServer(async (req, res) => {
    const body = await read(req);
    state.requests.push({ identity: String(req.headers[IDENTITY_HEADER] ?? ''), body });
    for (const w of waiters.filter((w) => state.requests.length >= w.n)) w.resolve();
    await gate;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name)) headers[name] = value;
    }
    const answer = await fetch(target, { method: 'POST', headers, body });
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    res.end(await answer.text());
  });
  server.on('connection', () => state.sockets++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    get requests() {
      return state.requests;
    },
    get sockets() {
      return state.sockets;
    },
    hold() {
      gate = new Promise<void>((resolve) => (open = resolve));
    },
    release() {
      open();
      gate = undefined;
    },
    arrived: (n) => (state.requests.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }))),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let graph: TestGraph;
beforeAll(async () => (graph = await startTestGraph()));
afterAll(() => graph.stop());

/** A gateway of its own over the test graph, its enterprises subgraph behind a stand-in. */
async function gatewayVia(env: Record<string, string> = {}) {
  const subgraph = await standIn(graph.subgraphs.enterprises.http.url);
  const gateway: Gateway = await createGateway(testConfig({ SUPERGRAPH_PATH: graph.supergraphPath, ...env }), {
    serviceUrls: { enterprises: subgraph.url, tax: graph.subgraphs.tax.http.url },
  });
  const http = await gateway.listen(0, '127.0.0.1');
  const base = http.url.replace(/\/graphql$/, '');
  const metric = async (name: string) => {
    const text = await (await fetch(`${base}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes('subgraph="enterprises"'));
    return line ? Number(line.split(' ').pop()) : 0;
  };
  /** Waits (by scraping /metrics) until `done()`: the merged requests leave no other trace. */
  const until = async (done: () => Promise<boolean> | boolean) => {
    while (!(await done())) await new Promise((resolve) => setTimeout(resolve, 10));
  };
  return {
    subgraph,
    metric,
    until,
    query: (query: string, token?: string, variables?: Record<string, unknown>) =>
      postGraphql(http.url, { query, variables }, token ? { authorization: `Bearer ${token}` } : {}),
    raw: (query: string, token: string) =>
      fetch(http.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) }),
    async stop() {
      subgraph.release();
      await gateway.stop();
      await subgraph.close();
    },
  };
}

const LIST = '{ enterprises(first: 3) { nodes { creditCode name } } }';

describe('in-flight deduplication', () => {
  test('concurrent identical queries of one caller reach the subgraph once, and each caller gets the whole answer', async () => {
    const via = await gatewayVia();
    try {
      const auditor = await graph.token({ role: 'AUDITOR' });
      via.subgraph.hold();
      const answers = Array.from({ length: 5 }, () => via.query(LIST, auditor));
      // Four joined the first, or (merging broken) five reached the subgraph.
      await via.until(async () => (await via.metric('qinqing_gateway_subgraph_dedup_total')) >= 4 || via.subgraph.requests.length >= 5);
      via.subgraph.release();
      const results = await Promise.all(answers);
      expect(via.subgraph.requests).toHaveLength(1);
      for (const { status, body } of results) {
        expect(status).toBe(200);
        expect(body.errors).toBeUndefined();
        expect(body.data.enterprises.nodes).toHaveLength(3);
      }
      expect(new Set(results.map((r) => JSON.stringify(r.body))).size).toBe(1);
    } finally {
      await via.stop();
    }
  });

  test('different callers are never merged, even for the same query', async () => {
    const via = await gatewayVia();
    try {
      const auditor = await graph.token({ role: 'AUDITOR' });
      const clerk = await graph.token({ role: 'WINDOW_CLERK', region: '360732' });
      via.subgraph.hold();
      const answers = [via.query(LIST, auditor), via.query(LIST, clerk)];
      await via.until(async () => (await via.metric('qinqing_gateway_subgraph_dedup_total')) >= 1 || via.subgraph.requests.length >= 2);
      via.subgraph.release();
      await Promise.all(answers);
      expect(via.subgraph.requests).toHaveLength(2);
      expect(via.subgraph.requests[0].identity).not.toBe(via.subgraph.requests[1].identity);
      expect(await via.metric('qinqing_gateway_subgraph_dedup_total')).toBe(0);
    } finally {
      await via.stop();
    }
  });

  test('mutations are never merged: two identical concurrent registrations both reach the subgraph', async () => {
    const via = await gatewayVia();
    try {
      // The auditor may not write: the subgraph refuses both, which is enough to count them.
      const auditor = await graph.token({ role: 'AUDITOR' });
      const mutation = `mutation { registerEnterprise(input: { creditCode: "91360732MA35XXXX0X", name: "x", legalRepresentative: "x", legalRepresentativeIdNumber: "x", registeredOn: "2020-01-01", regionCode: "360732", industryCode: "C39", scale: SMALL, address: "x", bankName: "x", bankAccount: "1" }) { name } }`;
      via.subgraph.hold();
      const answers = [via.query(mutation, auditor), via.query(mutation, auditor)];
      await via.until(async () => (await via.metric('qinqing_gateway_subgraph_dedup_total')) >= 1 || via.subgraph.requests.length >= 2);
      via.subgraph.release();
      await Promise.all(answers);
      expect(via.subgraph.requests).toHaveLength(2);
      expect(via.subgraph.requests.every((r) => r.body.includes('registerEnterprise'))).toBe(true);
    } finally {
      await via.stop();
    }
  });

  test('SUBGRAPH_DEDUP=false: identical concurrent queries each reach the subgraph', async () => {
    const via = await gatewayVia({ SUBGRAPH_DEDUP: 'false' });
    try {
      const auditor = await graph.token({ role: 'AUDITOR' });
      via.subgraph.hold();
      const answers = [via.query(LIST, auditor), via.query(LIST, auditor)];
      await via.subgraph.arrived(2);
      via.subgraph.release();
      await Promise.all(answers);
      expect(via.subgraph.requests).toHaveLength(2);
    } finally {
      await via.stop();
    }
  });
});

describe('the connection pool', () => {
  test('reuses its keep-alive connection: 10 sequential queries, 1 socket', async () => {
    const via = await gatewayVia();
    try {
      const auditor = await graph.token({ role: 'AUDITOR' });
      for (let i = 0; i < 10; i++) {
        const { status, body } = await via.query(`query($n: Int!) { enterprises(first: $n) { nodes { creditCode } } }`, auditor, { n: 1 + (i % 3) });
        expect({ status, errors: body.errors }).toEqual({ status: 200, errors: undefined });
      }
      expect(via.subgraph.requests).toHaveLength(10);
      expect(via.subgraph.sockets).toBe(1);
    } finally {
      await via.stop();
    }
  });
});

describe('overload', () => {
  test('a full queue sheds at once: HTTP 503 with Retry-After and OVERLOADED, counted in /metrics', async () => {
    const via = await gatewayVia({ SUBGRAPH_MAX_CONCURRENCY: '1', SUBGRAPH_MAX_QUEUE: '0' });
    try {
      const auditor = await graph.token({ role: 'AUDITOR' });
      via.subgraph.hold();
      const first = via.query(LIST, auditor);
      await via.subgraph.arrived(1);
      // A different query (no merging): the one slot is taken and nothing may wait.
      const shed = await via.raw('{ enterprises(first: 2) { nodes { creditCode } } }', auditor);
      expect(shed.status).toBe(503);
      expect(shed.headers.get('retry-after')).toBe('1');
      const body = (await shed.json()) as any;
      expect(body.errors[0].extensions).toMatchObject({ code: 'OVERLOADED', serviceName: 'enterprises', retryAfterSeconds: 1 });
      expect(body.errors[0].message).toMatch(/秒后重试/);
      expect(via.subgraph.requests).toHaveLength(1);
      expect(await via.metric('qinqing_gateway_subgraph_shed_total')).toBe(1);
      expect(await via.metric('qinqing_gateway_subgraph_in_flight')).toBe(1);
      via.subgraph.release();
      expect((await first).status).toBe(200);
    } finally {
      await via.stop();
    }
  });

  test('the deadline counts the time in the queue: a call that waited too long never reaches the subgraph', async () => {
    const via = await gatewayVia({ SUBGRAPH_MAX_CONCURRENCY: '1', SUBGRAPH_MAX_QUEUE: '1', SUBGRAPH_TIMEOUT_MS: '400' });
    try {
      const auditor = await graph.token({ role: 'AUDITOR' });
      via.subgraph.hold();
      const first = via.query(LIST, auditor);
      await via.subgraph.arrived(1);
      const queued = via.query('{ enterprises(first: 2) { nodes { creditCode } } }', auditor);
      await via.until(async () => (await via.metric('qinqing_gateway_subgraph_queue_depth')) === 1);
      const { status, body } = await queued;
      expect(status).toBe(200);
      expect(body.errors[0].extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'enterprises' });
      expect(body.errors[0].message).toMatch(/超时/);
      expect(via.subgraph.requests).toHaveLength(1);
      expect(await via.metric('qinqing_gateway_subgraph_queue_depth')).toBe(0);
      // The held call timed out too (its own deadline).
      expect((await first).body.errors[0].extensions.code).toBe('SUBGRAPH_UNAVAILABLE');
    } finally {
      await via.stop();
    }
  });
});
