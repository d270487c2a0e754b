import { defineSubgraph } from '../kit/subgraph';
import { AuditCheckpoint, AuditEntry, AuditEntryEnterprise } from './audit-entry.entity';
import { auditEventsCsv } from './audit-export';
import { AuditChainResolver, AuditEntryResolver } from './audit.resolver';
import { auditStoreConsumer } from './audit-store.consumer';
import { postgresqlMigrations, sqliteMigrations } from './migrations';
import { auditSigner } from './signing-key';

/**
 * 县审计局 — the audit trail: every audit (mutation) and access event of the graph, stored once
 * in an append-only hash chain with signed checkpoints, read by the auditor (all) and by each
 * department (its own). No operation updates or deletes an entry. See docs/audit.md.
 */
export const auditSubgraph = defineSubgraph({
  name: 'audit',
  owner: '县审计局',
  department: 'AUDIT',
  resolvers: [AuditEntryResolver, AuditChainResolver],
  entities: [AuditEntry, AuditEntryEnterprise, AuditCheckpoint],
  migrations: { sqlite: sqliteMigrations, postgresql: postgresqlMigrations },
  createLoaders: () => undefined,
  consumers: [auditStoreConsumer],
  exports: { 'audit-events.csv': auditEventsCsv },
  // Runs at every start: a missing or dev signing key in production fails the start here.
  seed: async () => {
    auditSigner();
  },
});
