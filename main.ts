import 'reflect-metadata';
import { createGateway } from './gateway';
import { serviceEndpoints, subgraphPort } from './gateway/services';
import { ConfigError, loadConfig, type Config } from './subgraphs/kit/config';
import { createLogger } from './subgraphs/kit/logger';
import { openDatabase } from './subgraphs/kit/orm';
import { createSubgraphServer } from './subgraphs/kit/server';
import { findSubgraph, subgraphs } from './subgraphs/registry';

/**
 * `npm start`                 every subgraph and the gateway in one process (the embedded default)
 * `npm start -- gateway`      the gateway alone (SUBGRAPH_<NAME>_URL says where the subgraphs are)
 * `npm start -- <subgraph>`   one subgraph alone, on PORT
 * Only reads config and starts things; the factories live in gateway/ and subgraphs/kit/.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel, { service: 'main' });
  const piece = process.argv[2];
  const stops: (() => Promise<void>)[] = [];

  const startSubgraph = async (name: string, port: number) => {
    const definition = findSubgraph(name)!;
    const orm = await openDatabase(definition, config, { demo: config.demoData, demoEnterprises: config.demoEnterprises });
    const server = await createSubgraphServer(definition, orm, config);
    const running = await server.listen(port, config.host);
    stops.push(async () => {
      await server.stop();
      await orm.close();
    });
    log.info('subgraph listening', { subgraph: name, url: running.url, database: config.databaseUrl ? 'postgresql' : 'sqlite' });
  };

  const startGateway = async (cfg: Config) => {
    const gateway = await createGateway(cfg, { services: serviceEndpoints(cfg) });
    const running = await gateway.listen(cfg.port, cfg.host);
    stops.unshift(() => gateway.stop());
    return running;
  };

  if (!piece) {
    for (const definition of subgraphs) await startSubgraph(definition.name, subgraphPort(config, definition.name));
    const running = await startGateway(config);
    const shown = running.url.replace('127.0.0.1', 'localhost');
    process.stdout.write(
      `\n  亲清赣商 qinqing-hub is up: ${subgraphs.length} subgraphs + gateway\n` +
        `  GraphQL endpoint and IDE:  ${shown}\n` +
        `  A token to paste in the IDE's Headers: npm run token -- --role APPROVAL_BUREAU --region 360732\n` +
        `  Data: ${config.databaseUrl ? 'PostgreSQL' : `SQLite under ${config.dataDir}/`}${config.demoData ? ' (demo data)' : ''}\n\n`,
    );
  } else if (piece === 'gateway') {
    const running = await startGateway(config);
    log.info('gateway listening', { url: running.url });
  } else if (findSubgraph(piece)) {
    await startSubgraph(piece, config.port);
  } else {
    throw new ConfigError([`unknown piece "${piece}": use gateway or one of ${subgraphs.map((s) => s.name).join(', ')}`]);
  }

  const shutdown = async (signal: string) => {
    log.info('shutting down', { signal });
    for (const stop of stops) await stop().catch((error) => log.error('stop failed', { error }));
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : error?.stack ?? error}\n`);
  process.exit(1);
});
