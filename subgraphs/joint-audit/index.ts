import { parseCreditCode } from '../../platform/credit-code';
import { SourceFindings } from '../kit/findings';
import { defineSubgraph } from '../kit/subgraph';
import { EnterpriseReference } from './enterprise.reference';
import { EnterpriseJointAuditResolver, JointAuditRulesResolver } from './joint-audit.resolver';
import { createJointAuditLoaders, type JointAuditLoaders } from './loaders';
import { postgresqlMigrations, sqliteMigrations } from './migrations';
import { JointAuditPolicyRules } from './policy-rules.entity';

/**
 * 县行政审批局 — the joint audit (联合审核): `Enterprise.jointAudit(policyCode, asOf)` decides
 * PASS / WARN / HOLD from every source's findings (`@requires`) and the policy's rules
 * (configuration in this subgraph's database, defaults otherwise). It owns no source data.
 */
export const jointAuditSubgraph = defineSubgraph<JointAuditLoaders>({
  name: 'joint-audit',
  owner: '县行政审批局',
  department: 'APPROVAL',
  resolvers: [EnterpriseJointAuditResolver, JointAuditRulesResolver],
  orphanedTypes: [EnterpriseReference, SourceFindings],
  entities: [JointAuditPolicyRules],
  migrations: { sqlite: sqliteMigrations, postgresql: postgresqlMigrations },
  createLoaders: (em) => createJointAuditLoaders(em),
  referenceResolvers: {
    // The representation carries the required findings: validated key, the rest handed on as is.
    Enterprise: {
      __resolveReference: (reference: Record<string, unknown>) => ({ ...reference, creditCode: parseCreditCode(reference.creditCode) }),
    },
  },
});
