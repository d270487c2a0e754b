import { defineSubgraph, type Context } from '../kit/subgraph';
import { Application, ApplicationMaterial, ApplicationStep, ReceiptCounter } from './application.entity';
import { ApplicationResolver, EnterpriseApplicationsResolver } from './application.resolver';
import { EnterpriseReference, PolicyReference } from './application.types';
import { parseCreditCode } from '../../platform/credit-code';
import { applicationView } from './application.view';
import { createApplicationsLoaders, type ApplicationsLoaders } from './loaders';
import { postgresqlMigrations, sqliteMigrations } from './migrations';
import { canReadApplication } from './scope';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * 县行政审批局 — 一窗受理, the front store: applications through every channel (online, the hall
 * window, the Development Zone window), the formal check, the declarative workflow of the three
 * modes (workflow/), the timeline, and the department's result coming back through the graph.
 */
export const applicationsSubgraph = defineSubgraph<ApplicationsLoaders>({
  name: 'applications',
  owner: '县行政审批局（一窗受理）',
  department: 'APPROVAL',
  resolvers: [ApplicationResolver, EnterpriseApplicationsResolver],
  orphanedTypes: [PolicyReference, EnterpriseReference],
  entities: [Application, ApplicationStep, ApplicationMaterial, ReceiptCounter],
  migrations: { sqlite: sqliteMigrations, postgresql: postgresqlMigrations },
  createLoaders: (em) => createApplicationsLoaders(em),
  referenceResolvers: {
    // Enterprise.applications: the key checked like any input; the field scopes what it lists.
    Enterprise: {
      __resolveReference: (reference: Record<string, unknown>) => ({ creditCode: parseCreditCode(reference.creditCode) }),
    },
    Application: {
      // Another subgraph's field on Application (departmentCase …): the caller sees it only if they may read the case.
      async __resolveReference(reference: Record<string, unknown>, ctx: Context<ApplicationsLoaders>) {
        const id = reference.id;
        if (typeof id !== 'string' || !UUID.test(id)) return null;
        const application = await ctx.loaders.application.load(id);
        return application && canReadApplication(ctx.identity, application) ? applicationView(application) : null;
      },
    },
  },
});
