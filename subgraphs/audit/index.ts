import { defineSubgraph } from '../kit/subgraph';
import { AuditCheckpoint, AuditEntry, AuditEntryEnterprise } from './audit-entry.entity';
import { auditEventsCsv } from './audit-export';
import { AuditChainResolver, AuditEntryResolver } from './audit.resolver';
import { auditStoreConsumer } from './audit-store.consumer';
import { postgresqlMigrations, sqliteMigrations } from './migrations';
import { checkpointNow } from './chain';
import { auditSigner, checkpointIntervalMs } from './signing-key';

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
  // A quiet tail is signed too: a head that moved since the last checkpoint is signed every
  // interval, so a truncated or rewritten tail older than that is always caught by a signature.
  jobs: [{ name: 'checkpoint', everyMs: checkpointIntervalMs(), run: async (em) => void (await checkpointNow(em)) }],
  // Runs at every start: a missing or dev signing key in production fails the start here.
  seed: async () => {
    auditSigner();
  },
});
