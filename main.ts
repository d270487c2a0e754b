import 'reflect-metadata';
import { ConfigError, loadConfig, type Config } from './platform/config';
import { createLogger, flushLogs } from './platform/logger';
import { initTelemetry, shutdownTelemetry } from './platform/telemetry';

/**
 * `npm start`                 every subgraph and the gateway in one process (the embedded default)
 * `npm start -- gateway`      the gateway alone (the supergraph says where the subgraphs are)
 * `npm start -- <subgraph>`   one subgraph alone, on PORT
 * Only reads config and starts things; the factories live in gateway/ and subgraphs/kit/.
 * Pieces are loaded on demand: the gateway process never loads subgraph code, the ORM or a driver.
 */
async function main(): Promise<void> {
  const piece = process.argv[2];
  // Observability: the trace resource names the piece (OTEL_SERVICE_NAME overrides it).
  initTelemetry({ serviceName: piece ? `qinqing-hub-${piece}` : 'qinqing-hub' });
  // Each piece is asked only for the keys it needs (the gateway's private key, a subgraph's public one).
  const config = loadConfig(process.env, piece === undefined ? 'all' : piece === 'gateway' ? 'gateway' : 'subgraph');
  const log = createLogger(config.logLevel, { service: 'main' });
  const stops: (() => Promise<void>)[] = [];

  const startSubgraph = async (name: string, port: number): Promise<string> => {
    const { findSubgraph } = await import('./subgraphs/registry');
    const { openDatabase } = await import('./subgraphs/kit/orm');
    const { createSubgraphServer } = await import('./subgraphs/kit/server');
    const definition = findSubgraph(name)!;
    const orm = await openDatabase(definition, config, { demo: config.demoData, demoEnterprises: config.demoEnterprises });
    const server = await createSubgraphServer(definition, orm, config);
    const running = await server.listen(port, config.host);
    stops.push(async () => {
      await server.stop();
      await orm.close();
    });
    log.info('subgraph listening', { subgraph: name, url: running.url, database: config.databaseUrl ? 'postgresql' : 'sqlite' });
    return running.url;
  };

  // serviceUrls override the supergraph's routing URLs (SUBGRAPH_<NAME>_URL, or the subgraphs started here).
  const startGateway = async (cfg: Config, serviceUrls: Record<string, string>) => {
    const { createGateway } = await import('./gateway');
    const gateway = await createGateway(cfg, { serviceUrls });
    const running = await gateway.listen(cfg.port, cfg.host);
    stops.unshift(() => gateway.stop());
    return running;
  };

  if (!piece) {
    const { subgraphs, subgraphPort } = await import('./subgraphs/registry');
    // External subgraphs of the supergraph keep their routing_url unless SUBGRAPH_<NAME>_URL says otherwise.
    const serviceUrls = { ...config.subgraphUrls };
    for (const definition of subgraphs) {
      serviceUrls[definition.name] = await startSubgraph(definition.name, subgraphPort(config.subgraphPortBase, definition.name));
    }
    const running = await startGateway(config, serviceUrls);
    const shown = running.url.replace('127.0.0.1', 'localhost');
    process.stdout.write(
      `\n  亲清赣商 qinqing-hub is up: ${subgraphs.length} subgraphs + gateway\n` +
        `  GraphQL endpoint and IDE:  ${shown}\n` +
        `  A token to paste in the IDE's Headers: npm run token -- --role APPROVAL_BUREAU --region 360732\n` +
        `  Data: ${config.databaseUrl ? 'PostgreSQL' : `SQLite under ${config.dataDir}/`}${config.demoData ? ' (demo data)' : ''}\n\n`,
    );
  } else if (piece === 'gateway') {
    const running = await startGateway(config, config.subgraphUrls);
    log.info('gateway listening', { url: running.url });
  } else {
    const { findSubgraph, subgraphs } = await import('./subgraphs/registry');
    if (!findSubgraph(piece)) {
      throw new ConfigError([`unknown piece "${piece}": use gateway or one of ${subgraphs.map((s) => s.name).join(', ')}`]);
    }
    await startSubgraph(piece, config.port);
  }

  const shutdown = async (signal: string) => {
    log.info('shutting down', { signal });
    for (const stop of stops) await stop().catch((error) => log.error('stop failed', { error }));
    // Observability: export the last batched spans and write out buffered log lines.
    await shutdownTelemetry().catch((error) => log.error('trace export failed', { error }));
    flushLogs();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : error?.stack ?? error}\n`);
  process.exit(1);
});
