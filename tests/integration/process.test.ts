import { createServer, get, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { creditCodeCheckChar } from '../../platform/credit-code';
import { DEFAULT_TEST_DATABASE_URL } from '../../subgraphs/kit/pg-admin';
import { subgraphs } from '../../subgraphs/registry';
import { describeDb, testDriver } from '../support/db';
import { postGraphql, startTestGraph, TEST_KEYS, type TestGraph } from '../support/graph';
import { killIfRunning, spawnMain, type MainProcess } from '../support/spawn';

/** `SUBGRAPH_<NAME>_URL` for every subgraph of the registry (the gateway waits for all of them). */
/** Every subgraph of the supergraph: ours and 县人社局's own (examples/department-system). */
const graphSubgraphs = [...subgraphs.map((s) => s.name), 'hrss'];
const subgraphUrls = (url: (name: string) => string) =>
  Object.fromEntries(graphSubgraphs.map((name) => [`SUBGRAPH_${name.toUpperCase().replace(/-/g, '_')}_URL`, url(name)]));

/**
 * The real entrypoint as a child process: signals, exit codes, start-up failures, the gateway
 * deployed alone. Nothing here depends on the database driver except where said, so these run on
 * the sqlite project only (the postgresql project runs the PostgreSQL-only cases).
 */
const onSqlite = testDriver === 'sqlite' ? describe : describe.skip;
const onPostgres = testDriver === 'postgresql' && process.env.QINQING_PG_AVAILABLE !== '0' ? describe : describe.skip;

const CREDIT_CODE = '91360732MA35G8KX2' + creditCodeCheckChar('91360732MA35G8KX2');
// pino writes msg last: find the line, whatever the order of its fields.
const LISTENING = /^(?=.*"msg":"gateway listening").*"url":"([^"]+)"/m;

interface HeldRequest {
  body: string;
  res: ServerResponse;
  closed: Promise<void>;
}

/** A stand-in subgraph that holds every GraphQL request until the test answers it. */
async function heldSubgraph() {
  const queue: HeldRequest[] = [];
  const waiting: ((r: HeldRequest) => void)[] = [];
  const sockets = new Set<Socket>();
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/ready') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready"}');
    let body = '';
    for await (const chunk of req) body += chunk;
    const held = { body, res, closed: new Promise<void>((resolve) => res.once('close', () => resolve())) };
    const next = waiting.shift();
    if (next) next(held);
    else queue.push(held);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    next: () => new Promise<HeldRequest>((resolve) => (queue.length ? resolve(queue.shift()!) : waiting.push(resolve))),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** GET on a connection of its own (no pooled keep-alive socket): the status, or the connection error code. */
const statusOf = (url: string) =>
  new Promise<number | string>((resolve) => {
    get(url, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    }).on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? String(error)));
  });

onSqlite('graceful shutdown of the real process', () => {
  let main: MainProcess | undefined;
  let fake: Awaited<ReturnType<typeof heldSubgraph>> | undefined;
  afterEach(async () => {
    killIfRunning(main);
    await fake?.close();
    main = fake = undefined;
  });

  const startGatewayPiece = async (env: Record<string, string>) => {
    fake = await heldSubgraph();
    main = spawnMain(['gateway'], {
      PORT: '0',
      ...subgraphUrls(() => fake!.url),
      SUBGRAPH_TIMEOUT_MS: '60000',
      ...env,
    });
    const [, url] = await main.waitForOutput(LISTENING);
    return url;
  };

  test('SIGTERM: /ready stops saying ready, the request in flight completes with its data, exit 0', async () => {
    const url = await startGatewayPiece({ SHUTDOWN_TIMEOUT_MS: '30000' });
    expect(await statusOf(url.replace('/graphql', '/ready'))).toBe(200);

    const inFlight = postGraphql(url, { query: '{ taxpayers(first: 1) { nodes { creditCode } } }' });
    const held = await fake!.next();
    expect(held.body).toContain('taxpayers');

    main!.child.kill('SIGTERM');
    await main!.waitForOutput(/"msg":"shutting down"/);
    // Draining: a new connection is refused, or reset if the kernel accepted it as the server
    // closed, or (if it got in before) /ready answers 503. Never 200.
    expect([503, 'ECONNREFUSED', 'ECONNRESET']).toContain(await statusOf(url.replace('/graphql', '/ready')));
    expect(main!.child.exitCode).toBeNull();

    held.res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { taxpayers: { nodes: [{ creditCode: CREDIT_CODE }] } } }));
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ data: { taxpayers: { nodes: [{ creditCode: CREDIT_CODE }] } } });
    expect(await main!.exited).toEqual({ code: 0, signal: null });
    expect(main!.stdout()).toMatch(/"msg":"stopped"/);
  });

  test('past SHUTDOWN_TIMEOUT_MS the connections still open are cut, a line says so, exit 1', async () => {
    const url = await startGatewayPiece({ SHUTDOWN_TIMEOUT_MS: '1000' });
    const inFlight = postGraphql(url, { query: '{ taxpayers(first: 1) { nodes { creditCode } } }' }).then(
      () => 'answered',
      () => 'cut',
    );
    const held = await fake!.next();
    main!.child.kill('SIGTERM');
    expect(await main!.exited).toEqual({ code: 1, signal: null });
    expect(main!.stdout()).toMatch(/^(?=.*"level":"error").*"msg":"shutdown deadline passed[^"]*"/m);
    expect(await inFlight).toBe('cut');
    // The gateway's call to the subgraph went with it.
    await held.closed;
  });

  test('every piece of `npm start` in one process stops cleanly: exit 0, the databases closed', async () => {
    main = spawnMain([], { PORT: '0', DATA_DIR: mkdtempSync(join(tmpdir(), 'qinqing-main-')), DEMO_DATA: 'false' });
    const [, url] = await main.waitForOutput(/GraphQL endpoint and IDE: +(\S+)/);
    const gateway = url.replace('localhost', '127.0.0.1');
    expect(await statusOf(gateway.replace('/graphql', '/ready'))).toBe(200);
    const { body } = await postGraphql(gateway, { query: '{ regions { code } }' });
    expect(body.data.regions.length).toBeGreaterThan(0);
    main.child.kill('SIGINT');
    expect(await main.exited).toEqual({ code: 0, signal: null });
    expect(main.stdout()).toMatch(/^(?=.*"service":"main")(?=.*"signal":"SIGINT").*"msg":"stopped"/m);
  });
});

onSqlite('start-up failures: one line naming the setting, exit 1', () => {
  let main: MainProcess | undefined;
  afterEach(() => killIfRunning(main));

  const failure = async (args: string[], env: Record<string, string>) => {
    main = spawnMain(args, { DATA_DIR: mkdtempSync(join(tmpdir(), 'qinqing-fail-')), DEMO_DATA: 'false', ...env });
    const { code } = await main.exited;
    const lines = main.stderr().trim().split('\n');
    return { code, lines };
  };

  test('database unreachable', async () => {
    const { code, lines } = await failure(['enterprises'], { PORT: '0', DATABASE_URL: 'postgres://postgres@127.0.0.1:5999/qinqing' });
    expect(code).toBe(1);
    expect(lines).toEqual([expect.stringMatching(/^DATABASE_URL: cannot connect to 127\.0\.0\.1:5999 \(ECONNREFUSED\)$/)]);
  });

  test('port taken', async () => {
    const taken: NetServer = createNetServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const { code, lines } = await failure(['gateway'], { PORT: String(port) });
      expect(code).toBe(1);
      expect(lines).toEqual([expect.stringMatching(new RegExp(`^PORT: ${port} is already in use`))]);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });

  test('supergraph missing', async () => {
    const { code, lines } = await failure(['gateway'], { PORT: '0', SUPERGRAPH_PATH: '/nonexistent/supergraph.graphql' });
    expect(code).toBe(1);
    expect(lines).toEqual([expect.stringMatching(/^SUPERGRAPH_PATH: file not found: \/nonexistent\/supergraph\.graphql/)]);
  });
});

onPostgres('start-up on PostgreSQL', () => {
  test('a mistyped database name fails fast, says so, and creates nothing', async () => {
    const adminUrl = process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
    const name = `qinqing_mistyped_${process.pid}`;
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const main = spawnMain(['enterprises'], { PORT: '0', DATABASE_URL: url.toString(), DEMO_DATA: 'false' });
    try {
      const { code } = await main.exited;
      expect(code).toBe(1);
      expect(main.stderr().trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^DATABASE_URL: database "${name}" does not exist on `))]);
      const admin = new Client({ connectionString: adminUrl });
      await admin.connect();
      try {
        expect((await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount).toBe(0);
      } finally {
        await admin.end();
      }
    } finally {
      killIfRunning(main);
    }
  });
});

describeDb('`npm start -- gateway` in front of subgraphs deployed apart', () => {
  let graph: TestGraph;
  let main: MainProcess | undefined;
  beforeAll(async () => {
    // In-process subgraphs (and an unused in-process gateway); the gateway under test is a child.
    if (testDriver === 'sqlite') graph = await startTestGraph();
  });
  afterAll(async () => {
    killIfRunning(main);
    await graph?.stop();
  });

  (testDriver === 'sqlite' ? test : test.skip)('finds them at SUBGRAPH_<NAME>_URL and joins them', async () => {
    main = spawnMain(['gateway'], {
      PORT: '0',
      SUPERGRAPH_PATH: graph.supergraphPath,
      ...subgraphUrls((name) => graph.serviceUrls[name]),
      // The keys the test graph's subgraphs and tokens were made with: one deployment.
      GATEWAY_PRIVATE_KEY: TEST_KEYS.gatewayPrivateKey,
      JWT_SECRET: TEST_KEYS.jwtSecret,
    });
    const [, url] = await main.waitForOutput(LISTENING);
    const ready = await fetch(url.replace('/graphql', '/ready'));
    expect(await ready.json()).toMatchObject({ status: 'ready', subgraphs: Object.fromEntries(graphSubgraphs.map((name) => [name, 'ok'])) });

    const auditor = await graph.token({ role: 'AUDITOR' });
    const { status, body } = await postGraphql(
      url,
      { query: '{ taxpayers(first: 2) { nodes { creditCode enterprise { name region { name } } } } }' },
      { authorization: `Bearer ${auditor}` },
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.taxpayers.nodes).toHaveLength(2);
    for (const node of body.data.taxpayers.nodes) {
      expect(node.enterprise.name).toEqual(expect.any(String));
      expect(['兴国县', '于都县']).toContain(node.enterprise.region.name);
    }
    main.child.kill('SIGTERM');
    expect(await main.exited).toEqual({ code: 0, signal: null });
  });
});
