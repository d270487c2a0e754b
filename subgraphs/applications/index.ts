import { defineSubgraph, type Context } from '../kit/subgraph';
import { Application, ApplicationMaterial, ApplicationStep, ReceiptCounter } from './application.entity';
import { ApplicationResolver, EnterpriseApplicationsResolver } from './application.resolver';
import { EnterpriseReference, PolicyReference } from './application.types';
import { parseCreditCode } from '../../platform/credit-code';
import { applicationView } from './application.view';
import { createApplicationsLoaders, type ApplicationsLoaders } from './loaders';
import { materialUploads, MaterialUpload } from './materials';
import { postgresqlMigrations, sqliteMigrations } from './migrations';
import { canReadApplication } from './scope';
import { AfterDecisionResolver } from './hold.resolver';
import { jointAuditConsumer, jointAuditSweepJob } from './joint-audit-step';
import { SupervisionResolver } from './supervision.resolver';
import { whiteListConsumer, whiteListResumeJob } from './white-list';
import { WhiteListConfirmation } from './white-list.entity';
import { WhiteListResolver } from './white-list.resolver';
import { ArchiveResolver } from './archive/archive.resolver';
import { ArchivedDossier } from './archive/dossier.entity';
import { paymentSettledConsumer } from './archive/payment-settled';
import { UUID } from '../kit/validation';


/**
 * 县行政审批局 — 一窗受理, the front store: applications through every channel (online, the hall
 * window, the Development Zone window), the formal check, the declarative workflow of the three
 * modes (workflow/), the timeline, and the department's result coming back through the graph.
 */
export const applicationsSubgraph = defineSubgraph<ApplicationsLoaders>({
  name: 'applications',
  owner: '县行政审批局（一窗受理）',
  department: 'APPROVAL',
  resolvers: [ApplicationResolver, EnterpriseApplicationsResolver, AfterDecisionResolver, WhiteListResolver, SupervisionResolver, ArchiveResolver],
  orphanedTypes: [PolicyReference, EnterpriseReference],
  entities: [Application, ApplicationStep, ApplicationMaterial, ReceiptCounter, MaterialUpload, WhiteListConfirmation, ArchivedDossier],
  // Materials are uploaded beside the graph: POST /uploads, GET /uploads/<id> (materials/, docs/uploads.md).
  uploads: materialUploads,
  // After the decision: the joint audit of every approved case, and 免申即享 white lists made into cases chunk by chunk.
  // Payment (issue 10): funds' payment.settled pays the case, archives its dossier and archives the case.
  consumers: [jointAuditConsumer, whiteListConsumer, paymentSettledConsumer],
  // Cases whose joint audit could not run (graph or a source down past the consumer's retries) are
  // audited again; white-list confirmations whose chunk event was given up on are resumed.
  jobs: [jointAuditSweepJob, whiteListResumeJob],
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
