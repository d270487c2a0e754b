import type { SubgraphDefinition } from './kit/subgraph';
import { enterprisesSubgraph } from './enterprises';
import { taxSubgraph } from './tax';

/**
 * Every subgraph this repository ships, in start order. The gateway's service list, the schema
 * pipeline and `npm start` all read this one list; nothing else names the subgraphs.
 */
export const subgraphs: SubgraphDefinition<any>[] = [enterprisesSubgraph, taxSubgraph];

export function findSubgraph(name: string): SubgraphDefinition<any> | undefined {
  return subgraphs.find((s) => s.name === name);
}
