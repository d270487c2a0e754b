import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import { createGateway, type Gateway } from '../../gateway';
import { signDevToken } from '../../gateway/auth';
import { IDENTITY_HEADER } from '../../platform/identity';
import { describeDb } from '../support/db';
import { postGraphql, startTestGraph, type TestGraph } from '../support/graph';

/** A pass-through in front of a subgraph that records the identity header of every call. */
async function recordingProxy(target: string, seen: string[]): Promise<{ url: string; server: Server }> {
  const server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const header = req.headers[IDENTITY_HEADER];
    if (typeof header === 'string') seen.push(header);
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([name, value]) => typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name)),
    ) as Record<string, string>;
    const upstream = await fetch(target, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` };
}

/**
 * Waits until the wall clock enters its next second: a header minted after that would carry
 * another `iat`, so an identical header can only be a reused one (EdDSA signatures are deterministic).
 */
async function nextSecond(): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  while (Math.floor(Date.now() / 1000) === now) await new Promise((resolve) => setTimeout(resolve, 25));
}

/**
 * The signed identity is per caller, not per request (issue 6): the gateway reuses one header per
 * (caller, subgraph) and the subgraphs still refuse anything it did not sign for them.
 */
describeDb('identity headers reused per caller and subgraph', () => {
  let graph: TestGraph;
  let gateway: Gateway;
  let gatewayUrl: string;
  const proxies: Server[] = [];
  const seen: Record<string, string[]> = { enterprises: [], tax: [] };
  const both = `{ taxpayers(first: 2, filter: { regionCode: "360732" }) { nodes { creditCode enterprise { name } } } }`;
  const publicQuery = '{ regions { code } }';

  beforeAll(async () => {
    graph = await startTestGraph();
    const serviceUrls: Record<string, string> = {};
    for (const name of Object.keys(seen)) {
      const proxy = await recordingProxy(graph.subgraphs[name].http.url, seen[name]);
      proxies.push(proxy.server);
      serviceUrls[name] = proxy.url;
    }
    // A gateway of the same key whose subgraph calls go through the recording proxies.
    gateway = await createGateway(graph.config, { serviceUrls });
    gatewayUrl = (await gateway.listen(0, '127.0.0.1')).url;
  });
  afterAll(async () => {
    await gateway?.stop();
    await Promise.all(proxies.map((p) => new Promise((resolve) => p.close(resolve))));
    await graph?.stop();
  });

  /** Runs one query through the recording gateway; returns the header each subgraph got for it. */
  async function headersFor(query: string, token?: string): Promise<Record<string, string | undefined>> {
    const before = Object.fromEntries(Object.entries(seen).map(([name, list]) => [name, list.length]));
    const { status, body } = await postGraphql(gatewayUrl, { query }, token ? { authorization: `Bearer ${token}` } : {});
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const got: Record<string, string | undefined> = {};
    for (const [name, list] of Object.entries(seen)) {
      const fresh = new Set(list.slice(before[name]));
      expect(fresh.size).toBeLessThanOrEqual(1); // one request: one header per subgraph
      got[name] = [...fresh][0];
    }
    return got;
  }

  test('the same caller gets the same header at a subgraph request after request, a different one per subgraph', async () => {
    const auditor = await graph.token({ role: 'AUDITOR' });
    const first = await headersFor(both, auditor);
    await nextSecond();
    const second = await headersFor(both, auditor);
    expect(first.enterprises).toBeDefined();
    expect(first.tax).toBeDefined();
    expect(second).toEqual(first);
    expect(first.enterprises).not.toBe(first.tax);
    expect(decodeJwt(first.enterprises!)).toMatchObject({ aud: 'enterprises', role: 'AUDITOR' });
    expect(decodeJwt(first.tax!)).toMatchObject({ aud: 'tax', role: 'AUDITOR' });
    // Another token saying exactly the same (here: a different expiry) is the same caller.
    const sameCaller = await signDevToken(graph.config.jwt, { role: 'AUDITOR' }, '7h');
    expect(sameCaller).not.toBe(auditor);
    expect((await headersFor(both, sameCaller)).enterprises).toBe(first.enterprises);
  });

  test('another caller gets its own header; every anonymous request shares one', async () => {
    const auditor = await headersFor(both, await graph.token({ role: 'AUDITOR' }));
    const finance = await headersFor(both, await graph.token({ role: 'FINANCE', region: '360732' }));
    expect(finance.enterprises).not.toBe(auditor.enterprises);
    expect(decodeJwt(finance.enterprises!)).toMatchObject({ aud: 'enterprises', role: 'FINANCE', region: '360732' });
    const anonymous = await headersFor(publicQuery);
    expect(anonymous.enterprises).toBeDefined();
    await nextSecond();
    expect((await headersFor(publicQuery)).enterprises).toBe(anonymous.enterprises);
    expect(decodeJwt(anonymous.enterprises!)).toMatchObject({ aud: 'enterprises', role: null });
  });

  test('a subgraph that has verified (and cached) a header still refuses it altered, or sent to another subgraph', async () => {
    const finance = await headersFor(both, await graph.token({ role: 'FINANCE', region: '360732' }));
    const header = finance.enterprises!;
    const count = '{ enterprises(first: 1) { totalCount } }';
    const enterprisesUrl = graph.subgraphs.enterprises.http.url;
    expect((await postGraphql(enterprisesUrl, { query: count }, { [IDENTITY_HEADER]: header })).body.data.enterprises.totalCount).toBeGreaterThan(0);
    const [protectedPart, , signature] = header.split('.');
    const widened = Buffer.from(JSON.stringify({ ...decodeJwt(header), role: 'AUDITOR' })).toString('base64url');
    for (const refused of [`${protectedPart}.${widened}.${signature}`, header.slice(0, -1)]) {
      const { status, body } = await postGraphql(enterprisesUrl, { query: count }, { [IDENTITY_HEADER]: refused });
      expect(status).toBe(401);
      expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    const atTax = await postGraphql(graph.subgraphs.tax.http.url, { query: '{ taxpayers(first: 1) { totalCount } }' }, { [IDENTITY_HEADER]: header });
    expect(atTax.status).toBe(401);
    expect(atTax.body.errors[0].message).toContain('tax');
  });
});
