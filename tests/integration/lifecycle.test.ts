import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDepartmentSystem, type RunningDepartmentSystem } from '../../examples/department-system';
import { createGateway } from '../../gateway';
import { createSubgraphServer } from '../../subgraphs/kit/server';
import { dropDatabase, DEFAULT_TEST_DATABASE_URL } from '../../subgraphs/kit/pg-admin';
import { subgraphs } from '../../subgraphs/registry';
import { describeDb, openTestDatabase, testDriver, type TestDatabase } from '../support/db';
import { testConfig } from '../support/graph';

/** Readiness and stopping, in process, over real databases (the process-level tests are in process.test.ts). */
describeDb(`readiness and stopping (${testDriver})`, () => {
  const config = testConfig();
  // 县人社局's own system is in the supergraph too: the gateway is ready only with it.
  let hrss: RunningDepartmentSystem;
  beforeAll(async () => {
    hrss = await startDepartmentSystem({ port: 0, databasePath: join(mkdtempSync(join(tmpdir(), 'qinqing-hrss-')), 'hrss.sqlite'), gatewayPublicKey: config.gatewayIdentity.publicKey, log: () => undefined });
  });
  afterAll(() => hrss?.stop());
  const urlsOf = (started: { name: string; http: { url: string } }[]) => ({ ...Object.fromEntries(started.map((s) => [s.name, s.http.url])), hrss: hrss.url });

  async function startSubgraphs() {
    const started = [];
    for (const definition of subgraphs) {
      const db = await openTestDatabase(definition, { demo: false });
      const server = await createSubgraphServer(definition, db.orm, config);
      started.push({ name: definition.name, db, server, http: await server.listen(0) });
    }
    return started;
  }

  /** Takes the database away from under a running subgraph: dropped (PostgreSQL) or closed (SQLite). */
  async function loseDatabase(db: TestDatabase) {
    if (testDriver === 'postgresql') {
      await dropDatabase(process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL, db.orm.config.get('dbName')!);
    } else {
      await db.orm.close(true);
    }
  }

  test('with its database gone, a subgraph and the gateway say not ready and name it', async () => {
    const started = await startSubgraphs();
    const gateway = await createGateway(config, { serviceUrls: urlsOf(started) });
    const gatewayHttp = await gateway.listen(0, '127.0.0.1');
    const ready = (url: string) => fetch(url.replace('/graphql', '/ready')).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
    try {
      const enterprises = started.find((s) => s.name === 'enterprises')!;
      expect(await ready(enterprises.http.url)).toEqual({ status: 200, body: { status: 'ready', service: 'enterprises', ready: true, draining: false, database: 'ok' } });
      expect(await ready(gatewayHttp.url)).toMatchObject({ status: 200, body: { status: 'ready', subgraphs: { enterprises: 'ok', tax: 'ok' } } });

      await loseDatabase(enterprises.db);
      expect(await ready(enterprises.http.url)).toMatchObject({ status: 503, body: { status: 'not ready', service: 'enterprises', database: 'unreachable' } });
      expect(await ready(gatewayHttp.url)).toMatchObject({
        status: 503,
        body: { status: 'not ready', subgraphs: { enterprises: 'database unreachable', tax: 'ok' } },
      });
    } finally {
      await gateway.stop();
      for (const s of started) {
        await s.server.stop();
        await s.db.close().catch(() => undefined);
      }
    }
  });

  test('stopping: readiness turns 503 at once, the port is released, a second stop() resolves', async () => {
    const started = await startSubgraphs();
    const gateway = await createGateway(config, { serviceUrls: urlsOf(started) });
    const http = await gateway.listen(0, '127.0.0.1');
    try {
      expect((await gateway.readiness()).ready).toBe(true);
      const stopping = gateway.stop();
      expect(await gateway.readiness()).toMatchObject({ ready: false, draining: true });
      await stopping;
      await gateway.stop();
      expect(http.server.listening).toBe(false);

      const tax = started.find((s) => s.name === 'tax')!;
      const subgraphStopping = tax.server.stop();
      expect(await tax.server.readiness()).toMatchObject({ ready: false, draining: true });
      await subgraphStopping;
      await tax.server.stop();
      expect(tax.http.server.listening).toBe(false);
    } finally {
      for (const s of started) {
        await s.server.stop();
        await s.db.close();
      }
    }
  });
});
