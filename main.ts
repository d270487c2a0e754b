import 'reflect-metadata';
import { accessSync } from 'node:fs';
import { ConfigError, loadConfig, StartupError, type Config } from './platform/config';
import { createLogger, flushLogs } from './platform/logger';
import { initTelemetry, shutdownTelemetry } from './platform/telemetry';
import type { EventsSubgraph } from './subgraphs/kit/events';
import type { ServicesHolder } from './subgraphs/kit/services';

/**
 * `npm start`                 every subgraph and the gateway in one process (the embedded default)
 * `npm start -- gateway`      the gateway alone (the supergraph says where the subgraphs are)
 * `npm start -- <subgraph>`   one subgraph alone, on PORT
 * Only reads config and starts things; the factories live in gateway/ and subgraphs/kit/.
 * Pieces are loaded on demand: the gateway process never loads subgraph code, the ORM or a driver.
 */

/** How often `npm start` lets 县人社局's system pull its cases and push its decisions. */
const HRSS_SYNC_INTERVAL_MS = 15_000;

/** What a running piece needs to stop: drain gracefully, or (past the deadline) cut everything. */
interface Piece {
  kind?: 'gateway' | 'events' | 'subgraph';
  drain(): Promise<void>;
  force(): void;
}

/** Turns a driver's connection failure into one line naming DATABASE_URL (never the password). */
function databaseError(error: unknown, url: string | undefined): unknown {
  if (!url) return error;
  const { hostname, port, pathname } = new URL(url);
  const where = `${hostname}:${port || 5432}`;
  const e = error as { code?: string; message?: string };
  if (e?.code === '3D000') {
    return new StartupError('DATABASE_URL', `database "${decodeURIComponent(pathname.slice(1))}" does not exist on ${where}; it is never created at start: create it or fix the name`);
  }
  if (e?.code === '28P01' || e?.code === '28000') return new StartupError('DATABASE_URL', `${where} refused the credentials (${e.message})`);
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(e?.code ?? '')) {
    return new StartupError('DATABASE_URL', `cannot connect to ${where} (${e.code})`);
  }
  return error;
}

async function main(): Promise<void> {
  const piece = process.argv[2];
  // Observability: the trace resource names the piece (OTEL_SERVICE_NAME overrides it).
  initTelemetry({ serviceName: piece ? `qinqing-hub-${piece}` : 'qinqing-hub' });
  // Each piece is asked only for the keys it needs (the gateway's private key, a subgraph's public one).
  const config = loadConfig(process.env, piece === undefined ? 'all' : piece === 'gateway' ? 'gateway' : 'subgraph');
  const log = createLogger(config.logLevel, { service: 'main' });
  const pieces: Piece[] = [];
  let stopping = false;

  // Installed first, so a signal during start-up is a clean stop too.
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal, deadlineMs: config.shutdownTimeoutMs });
    const cut = () => {
      log.error('shutdown deadline passed: cutting the connections still open', { signal, deadlineMs: config.shutdownTimeoutMs });
      for (const p of pieces) p.force();
      flushLogs();
      process.exit(1);
    };
    setTimeout(cut, config.shutdownTimeoutMs).unref();
    const started = Date.now();
    // Gateway first (pieces is in stop order): its requests in flight still reach the subgraphs.
    for (const p of pieces) await p.drain().catch((error) => log.error('stop failed', { error }));
    // Apollo's drain cuts what is left at the same deadline and then resolves: that is no clean stop.
    if (Date.now() - started >= config.shutdownTimeoutMs) return cut();
    log.info('stopped', { signal });
    // Observability: export the last batched spans and write out buffered log lines.
    await shutdownTelemetry().catch((error) => log.error('trace export failed', { error }));
    flushLogs();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  // The event relays run for every subgraph this process runs, once all are open (kit/events).
  const opened: EventsSubgraph[] = [];
  // What the subgraphs' requests see as Context.services: filled in once the gateway listens.
  const requestServices: ServicesHolder = { current: {} };
  // `gatewayUrl`: the gateway this process started, GRAPH_URL's default.
  const startSubgraphEvents = async (gatewayUrl?: string) => {
    const { startEvents } = await import('./subgraphs/kit/events');
    // Consumers and jobs reach the graph as a client (kit/graph-client.ts); without one, 精准推送 does nothing.
    const { graphClientFromConfig } = await import('./subgraphs/kit/graph-client');
    const services = { graph: graphClientFromConfig(config, gatewayUrl), config };
    requestServices.current = services;
    if (!services.graph) {
      log.warn('background work cannot query the graph: set GRAPH_URL and GRAPH_SERVICE_TOKEN_FILE (outside production: JWT_SECRET); until then 精准推送 sends no messages (docs/matching.md) and department results wait (docs/departments.md)');
    }
    const events = await startEvents(opened, config.events, createLogger(config.logLevel, { service: 'events' }), services);
    // Stopped before the subgraphs' databases close (pieces stop in order, gateway first).
    const index = pieces.findIndex((p) => p.kind === 'subgraph');
    pieces.splice(index < 0 ? pieces.length : index, 0, { kind: 'events', drain: () => events.stop(), force: () => undefined });
    log.info('events started', { transport: events.transport, subgraphs: opened.map((r) => r.definition.name) });
    // Each subgraph's periodic jobs (kit/jobs.ts), stopped with the relays.
    const { startJobs } = await import('./subgraphs/kit/jobs');
    const jobs = startJobs(opened, createLogger(config.logLevel, { service: 'jobs' }), { services, config });
    // Stopped first, while the gateway they call still answers: a run in flight ends at its next step.
    pieces.unshift({ kind: 'events', drain: () => jobs.stop(), force: () => undefined });
    if (piece && events.transport === 'in-process') {
      log.warn('events: the in-process relay reaches only consumers in this process; pieces started apart need NATS_URL (docs/events.md)');
    }
  };

  const startSubgraph = async (name: string, port: number, portSetting: string): Promise<string> => {
    const { findSubgraph } = await import('./subgraphs/registry');
    const { openDatabase } = await import('./subgraphs/kit/orm');
    const { createSubgraphServer } = await import('./subgraphs/kit/server');
    const definition = findSubgraph(name)!;
    const orm = await openDatabase(definition, config, { demo: config.demoData, demoEnterprises: config.demoEnterprises }).catch((error) => {
      throw databaseError(error, config.databaseUrl);
    });
    const server = await createSubgraphServer(definition, orm, config, undefined, requestServices);
    const running = await server.listen(port, config.host).catch(async (error) => {
      await orm.close(true);
      throw error instanceof StartupError ? new StartupError(portSetting, error.message.replace(/^PORT: /, '')) : error;
    });
    opened.push({ definition, orm, registry: server.metrics.registry });
    pieces.push({
      kind: 'subgraph',
      drain: async () => {
        await server.stop();
        await orm.close();
      },
      force: () => running.server.closeAllConnections(),
    });
    log.info('subgraph listening', { subgraph: name, url: running.url, database: config.databaseUrl ? 'postgresql' : 'sqlite' });
    return running.url;
  };

  /** The external department system of the demo (examples/department-system): its own SQLite file, the gateway's public key. */
  const startDepartmentSystem = async () => {
    const { startDepartmentSystem: start } = await import('./examples/department-system');
    const { join } = await import('node:path');
    const hrssLog = createLogger(config.logLevel, { service: 'hrss' });
    const system = await start({
      port: config.hrssPort,
      host: config.host,
      databasePath: join(config.dataDir, 'hrss.sqlite'),
      gatewayPublicKey: config.gatewayIdentity.publicKey,
      gatewayJwksUrl: config.gatewayIdentity.jwksUrl,
      log: (level, message, fields) => hrssLog[level](message, fields),
    }).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'EADDRINUSE' ? new StartupError('HRSS_PORT', `${config.hrssPort} is already in use (or set SUBGRAPH_HRSS_URL to the department's own system)`) : error;
    });
    pieces.push({ kind: 'subgraph', drain: () => system.stop(), force: () => undefined });
    log.info('department system listening', { subgraph: 'hrss', url: system.url });
    return system;
  };

  // serviceUrls override the supergraph's routing URLs (SUBGRAPH_<NAME>_URL, or the subgraphs started here).
  const startGateway = async (cfg: Config, serviceUrls: Record<string, string>) => {
    const { createGateway } = await import('./gateway');
    const gateway = await createGateway(cfg, { serviceUrls });
    const running = await gateway.listen(cfg.port, cfg.host);
    pieces.unshift({ drain: () => gateway.stop(), force: () => running.server.closeAllConnections() });
    return running;
  };

  const requireSupergraph = () => {
    try {
      accessSync(config.supergraphPath);
    } catch {
      throw new StartupError('SUPERGRAPH_PATH', `file not found: ${config.supergraphPath} (run npm run compose, or point SUPERGRAPH_PATH at the composed supergraph)`);
    }
  };

  if (!piece) {
    requireSupergraph();
    const { subgraphs, subgraphPort } = await import('./subgraphs/registry');
    // External subgraphs of the supergraph keep their routing_url unless SUBGRAPH_<NAME>_URL says otherwise.
    const serviceUrls = { ...config.subgraphUrls };
    const portSetting = process.env.SUBGRAPH_PORT_BASE ? 'SUBGRAPH_PORT_BASE' : 'PORT';
    for (const definition of subgraphs) {
      serviceUrls[definition.name] = await startSubgraph(definition.name, subgraphPort(config.subgraphPortBase, definition.name), portSetting);
    }
    // 县人社局's own system (examples/department-system, not the kit) is in the supergraph too, and the
    // gateway is ready only with every subgraph: run it here, unless SUBGRAPH_HRSS_URL names the department's host.
    const hrss = config.subgraphUrls.hrss ? undefined : await startDepartmentSystem();
    if (hrss) serviceUrls.hrss = hrss.url;
    const running = await startGateway(config, serviceUrls);
    // After the gateway: the consumers and jobs call it.
    await startSubgraphEvents(running.url);
    if (hrss && !config.production && config.jwt.secret) {
      // Its worker pulls the cases dispatched to 县人社局 and pushes its decisions back, as the office's
      // DEPARTMENT_SYSTEM (a dev token; the department's own deployment holds a real one).
      const jwt = config.jwt;
      const token = (department: string) =>
        import('./gateway/auth').then(({ signDevToken }) => signDevToken(jwt, { role: 'DEPARTMENT_SYSTEM', department, region: department.slice(0, 6), sub: 'service:hrss' }, '10m'));
      hrss.startSync({ url: running.url, token, timeoutMs: config.graph.timeoutMs }, HRSS_SYNC_INTERVAL_MS);
    }
    const shown = running.url.replace('127.0.0.1', 'localhost');
    process.stdout.write(
      `\n  亲清赣商 qinqing-hub is up: ${subgraphs.length} subgraphs${hrss ? ' + 县人社局 hrss (examples/department-system)' : ''} + gateway\n` +
        `  GraphQL endpoint and IDE:  ${shown}\n` +
        `  A token to paste in the IDE's Headers: npm run token -- --role APPROVAL_BUREAU --region 360732\n` +
        `  Data: ${config.databaseUrl ? 'PostgreSQL' : `SQLite under ${config.dataDir}/`}${config.demoData ? ' (demo data)' : ''}\n\n`,
    );
  } else if (piece === 'gateway') {
    requireSupergraph();
    const running = await startGateway(config, config.subgraphUrls);
    log.info('gateway listening', { url: running.url });
  } else {
    const { findSubgraph, subgraphs } = await import('./subgraphs/registry');
    if (!findSubgraph(piece)) {
      throw new ConfigError([`unknown piece "${piece}": use gateway or one of ${subgraphs.map((s) => s.name).join(', ')}`]);
    }
    await startSubgraph(piece, config.port, 'PORT');
    await startSubgraphEvents();
  }
}

main().catch((error) => {
  // Known start-up failures are one line naming the setting; anything else keeps its stack.
  const known = error instanceof ConfigError || error instanceof StartupError;
  process.stderr.write(`${known ? error.message : (error?.stack ?? error)}\n`);
  process.exit(1);
});
