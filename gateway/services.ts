import type { Config } from '../subgraphs/kit/config';
import { subgraphs } from '../subgraphs/registry';
import type { ServiceEndpoint } from './index';

/**
 * Where each subgraph listens: `SUBGRAPH_<NAME>_URL` when deployed apart, else the one-process
 * default `http://127.0.0.1:<SUBGRAPH_PORT_BASE + i>/graphql` in registry order. The only place
 * that knows ports.
 */
export function subgraphPort(config: Config, name: string): number {
  const index = subgraphs.findIndex((s) => s.name === name);
  if (index < 0) throw new Error(`unknown subgraph ${name}`);
  return config.subgraphPortBase === 0 ? 0 : config.subgraphPortBase + index;
}

export function serviceEndpoints(config: Config): ServiceEndpoint[] {
  return subgraphs.map((s) => ({
    name: s.name,
    url: config.subgraphUrls[s.name] ?? `http://127.0.0.1:${subgraphPort(config, s.name)}/graphql`,
  }));
}
