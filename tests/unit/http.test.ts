import { createHash } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { createGateway, type Gateway } from '../../gateway';
import { ConfigError, loadConfig } from '../../platform/config';
import { isJsonContentType, type RunningServer } from '../../platform/http';
import { testConfig } from '../support/graph';

/**
 * platform/http.ts as the gateway serves it (the subgraphs share the same binding): content types,
 * timeouts, body limit, security headers, and the cancelling of a subgraph call past its deadline.
 * No subgraph is needed: `{ __typename }` is answered by the gateway itself.
 */
async function startGateway(env: Record<string, string> = {}, services: { name: string; url: string }[] = []) {
  const gateway = await createGateway(testConfig(env), { serviceUrls: Object.fromEntries(services.map((s) => [s.name, s.url])) });
  const http = await gateway.listen(0, '127.0.0.1');
  return { gateway, http };
}

const post = (url: string, body: string, contentType: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

describe('HTTP edge of the gateway', () => {
  let gateway: Gateway;
  let http: RunningServer;
  beforeAll(async () => ({ gateway, http } = await startGateway()));
  afterAll(() => gateway.stop());

  test('JSON is recognised by its exact media type, in any letter case, with parameters', async () => {
    for (const type of ['application/json', 'Application/JSON', 'application/json; charset=utf-8', 'APPLICATION/JSON;charset=UTF-8']) {
      const { status, body } = await post(http.url, '{"query":"{ __typename }"}', type);
      expect({ type, status, body }).toEqual({ type, status: 200, body: { data: { __typename: 'Query' } } });
    }
    for (const type of ['application/jsonx', 'text/plain; application/json', 'application/json-patch+json', 'text/plain']) {
      const { status, body } = await post(http.url, '{"query":"{ __typename }"}', type);
      expect({ type, status, data: body.data }).toEqual({ type, status: 400, data: undefined });
      expect(body.errors?.[0]?.message ?? body).toBeTruthy();
    }
    expect(isJsonContentType(undefined)).toBe(false);
  });

  test('every response carries the security headers: GraphQL, /health, /ready, 404, IDE page and assets', async () => {
    const base = http.url.replace('/graphql', '');
    const responses = [
      await fetch(http.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }),
      await fetch(`${base}/health`),
      await fetch(`${base}/ready`),
      await fetch(`${base}/no-such-page`),
      await fetch(http.url, { headers: { accept: 'text/html' } }),
      await fetch(`${base}/ide/graphiql.min.js`),
      await fetch(`${base}/ide/no-such-asset.js`),
    ];
    // /ready is 503 here: no subgraph of the supergraph is running. Its headers are what counts.
    expect(responses.map((r) => r.status)).toEqual([200, 200, 503, 404, 200, 200, 404]);
    for (const r of responses) {
      expect({ url: r.url, xfo: r.headers.get('x-frame-options'), nosniff: r.headers.get('x-content-type-options'), referrer: r.headers.get('referrer-policy') }).toEqual({
        url: r.url,
        xfo: 'DENY',
        nosniff: 'nosniff',
        referrer: 'no-referrer',
      });
      expect(r.headers.get('content-security-policy')).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
    }
  });

  test("the IDE page's CSP allows exactly its own inline script and style (by hash) and this host", async () => {
    const page = await fetch(http.url, { headers: { accept: 'text/html' } });
    const html = await page.text();
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/https?:/);
    const sha = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
    const inline = [...html.matchAll(/<(script|style)>([\s\S]*?)<\/\1>/g)];
    expect(inline.map((m) => m[1]).sort()).toEqual(['script', 'style']);
    for (const [, tag, body] of inline) expect(csp).toMatch(new RegExp(`${tag}-src 'self' ${sha(body).replace(/[+/]/g, '\\$&')}`));
    // Every external script and stylesheet is served by this host.
    for (const [, src] of html.matchAll(/(?:src|href)="(\/ide\/[^"]+)"/g)) {
      expect((await fetch(http.url.replace('/graphql', src))).status).toBe(200);
    }
  });

  test('keep-alive outlives a load balancer idle timeout (60 s); the header timeout exceeds it', () => {
    expect(http.server.keepAliveTimeout).toBe(65_000);
    expect(http.server.headersTimeout).toBeGreaterThan(http.server.keepAliveTimeout);
    expect(http.server.requestTimeout).toBeGreaterThanOrEqual(http.server.headersTimeout);
    expect(() => loadConfig({ HTTP_KEEP_ALIVE_TIMEOUT_MS: '70000', HTTP_HEADERS_TIMEOUT_MS: '60000' })).toThrow(ConfigError);
    expect(() => loadConfig({ HTTP_KEEP_ALIVE_TIMEOUT_MS: '70000', HTTP_HEADERS_TIMEOUT_MS: '60000' })).toThrow(/HTTP_HEADERS_TIMEOUT_MS/);
    expect(loadConfig({ HTTP_KEEP_ALIVE_TIMEOUT_MS: '90000' }).http).toMatchObject({ keepAliveTimeoutMs: 90_000, headersTimeoutMs: 91_000 });
  });

  test('an oversized body is 413 PAYLOAD_TOO_LARGE with a Chinese message naming the limit', async () => {
    const big = JSON.stringify({ query: `{ __typename }`, variables: { pad: 'x'.repeat(1_100_000) } });
    const { status, body } = await post(http.url, big, 'application/json');
    expect(status).toBe(413);
    expect(body.errors[0].extensions).toEqual({ code: 'PAYLOAD_TOO_LARGE', max: 1_000_000 });
    expect(body.errors[0].message).toMatch(/请求体过大：超过 1000000 字节/);
  });
});

describe('HTTP limits are configurable', () => {
  test('HTTP_MAX_BODY_BYTES: also when the body is streamed without a Content-Length', async () => {
    const { gateway, http } = await startGateway({ HTTP_MAX_BODY_BYTES: '2000' });
    try {
      const body = JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(2500) } });
      const small = await post(http.url, JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(1500) } }), 'application/json');
      expect(small.status).toBe(200);
      const sized = await post(http.url, body, 'application/json');
      expect(sized.status).toBe(413);
      expect(sized.body.errors[0].extensions).toEqual({ code: 'PAYLOAD_TOO_LARGE', max: 2000 });
      const stream = new ReadableStream({
        start(controller) {
          for (let i = 0; i < body.length; i += 500) controller.enqueue(new TextEncoder().encode(body.slice(i, i + 500)));
          controller.close();
        },
      });
      const chunked = await fetch(http.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
      expect(chunked.status).toBe(413);
      expect(((await chunked.json()) as any).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    } finally {
      await gateway.stop();
    }
  });

  test('HTTP_REQUEST_TIMEOUT_MS: a body written too slowly is cut off with 408', async () => {
    const { gateway, http } = await startGateway({ HTTP_REQUEST_TIMEOUT_MS: '600', HTTP_HEADERS_TIMEOUT_MS: '400', HTTP_KEEP_ALIVE_TIMEOUT_MS: '300' });
    try {
      expect(http.server.requestTimeout).toBe(600);
      const socket = connect(http.port, '127.0.0.1');
      let received = '';
      socket.setEncoding('utf8').on('data', (chunk) => (received += chunk));
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      socket.write(`POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query":`);
      // …and the other 90 bytes never come.
      await closed;
      expect(received).toMatch(/^HTTP\/1\.1 408 /);
    } finally {
      await gateway.stop();
    }
  });
});

describe('a subgraph call past its deadline', () => {
  test('is cancelled: the hung subgraph sees its connection closed before it answered', async () => {
    let responseClosed!: (finished: boolean) => void;
    const closed = new Promise<boolean>((resolve) => (responseClosed = resolve));
    const hung: Server = createServer((_req, res: ServerResponse) => res.once('close', () => responseClosed(res.writableFinished)));
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(hung.address() as AddressInfo).port}/graphql`;
    const { gateway, http } = await startGateway({ SUBGRAPH_TAX_TIMEOUT_MS: '300' }, [
      { name: 'enterprises', url },
      { name: 'tax', url },
    ]);
    try {
      const response = await post(http.url, JSON.stringify({ query: '{ taxpayers(first: 1) { nodes { creditCode } } }' }), 'application/json');
      expect(response.body.errors[0].extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'tax' });
      expect(response.body.errors[0].message).toMatch(/超时/);
      // The subgraph's response closed without ever being finished: the gateway hung up.
      expect(await closed).toBe(false);
    } finally {
      await gateway.stop();
      hung.closeAllConnections();
      await new Promise<void>((resolve) => hung.close(() => resolve()));
    }
  });
});
