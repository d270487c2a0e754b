import type { SubgraphDefinition } from './kit/subgraph';
import { enterprisesSubgraph } from './enterprises';
import { taxSubgraph } from './sources/tax';
import { creditSubgraph } from './sources/credit';
import { ecologySubgraph } from './sources/ecology';
import { statisticsSubgraph } from './sources/statistics';
import { publicSecuritySubgraph } from './sources/public-security';
import { workSafetySubgraph } from './sources/work-safety';
import { naturalResourcesSubgraph } from './sources/natural-resources';
import { housingSubgraph } from './sources/housing';
import { pbocSubgraph } from './sources/pboc';
import { jointAuditSubgraph } from './joint-audit';
import { auditSubgraph } from './audit';
import { policiesSubgraph } from './policies';
import { applicationsSubgraph } from './applications';
import { departmentsSubgraph } from './departments';
import { fundsSubgraph } from './funds';

/**
 * Every subgraph this repository ships, in start order. The gateway's service list, the schema
 * pipeline and `npm start` all read this one list; nothing else names the subgraphs.
 */
export const subgraphs: SubgraphDefinition<any>[] = [
  enterprisesSubgraph,
  taxSubgraph,
  creditSubgraph,
  ecologySubgraph,
  statisticsSubgraph,
  publicSecuritySubgraph,
  workSafetySubgraph,
  naturalResourcesSubgraph,
  housingSubgraph,
  pbocSubgraph,
  jointAuditSubgraph,
  auditSubgraph,
  policiesSubgraph,
  applicationsSubgraph,
  // After applications (4014): the department back office (4015) takes its accepted applications.
  departmentsSubgraph,
  // After departments (4015): budgets and payment orders (4016).
  fundsSubgraph,
];

export function findSubgraph(name: string): SubgraphDefinition<any> | undefined {
  return subgraphs.find((s) => s.name === name);
}

/**
 * Where each subgraph listens when `npm start` runs them all in one process:
 * `SUBGRAPH_PORT_BASE + i` in registry order (0 in tests: any free port). The only place that
 * knows ports.
 */
export function subgraphPort(portBase: number, name: string): number {
  const index = subgraphs.findIndex((s) => s.name === name);
  if (index < 0) throw new Error(`unknown subgraph ${name}`);
  return portBase === 0 ? 0 : portBase + index;
}
