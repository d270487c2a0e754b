import type { EntityManager } from '@mikro-orm/core';
import type { Role } from '../../../platform/identity';

/**
 * One fact a subgraph publishes, written to its outbox in the transaction of the change it
 * describes and delivered at least once to every consumer of its family.
 */
export interface DomainEvent<P = Record<string, unknown>> {
  /** randomUUID(); the NATS `Nats-Msg-Id` (deduplication) and the inbox key (idempotence). */
  id: string;
  /** One JetStream stream per family: 'audit', 'access', later 'applications', 'funds'… */
  family: string;
  /** 'audit.mutation', 'access.read', later 'application.accepted'… */
  type: string;
  /** The producing subgraph's name. */
  source: string;
  /** ISO timestamp. */
  occurredAt: string;
  requestId?: string;
  traceId?: string;
  payload: P;
}

/** What a producer passes to `emit`; the kit adds id, source and time. */
export interface EventInput<P = Record<string, unknown>> {
  family: string;
  type: string;
  payload: P;
  requestId?: string;
  traceId?: string;
}

/** A subgraph's reader of events (SubgraphDefinition.consumers). */
export interface Consumer {
  /** Durable consumer name, unique in the graph, e.g. 'audit-store'. */
  name: string;
  /** The families (streams) it reads. */
  families: string[];
  /** Deliveries before the event goes to the dead letters (default 5). */
  maxAttempts?: number;
  /**
   * Runs inside a transaction on the consumer subgraph's own database, together with the inbox
   * insert of (consumer, event.id): an event already in the inbox is skipped (idempotent).
   */
  handle(em: EntityManager, event: DomainEvent): Promise<void>;
}

/** Who did or read something, as the events carry it. */
export interface Actor {
  subject?: string;
  role: Role | null;
  region?: string;
  department?: string;
  creditCode?: string;
}

/** family 'audit', type 'audit.mutation': one per entity change flushed by a mutation. */
export interface AuditMutationPayload {
  actor: Actor;
  /** The mutation field, e.g. 'registerEnterprise'. */
  action: string;
  subgraph: string;
  ownerDepartment?: string;
  /** Entity class name. */
  entity: string;
  /** Primary key as a string. */
  entityId: string;
  operation: 'CREATE' | 'UPDATE' | 'DELETE';
  /** The entity's creditCode, if it has one. */
  enterprise?: string;
  /** The entity's regionCode, if it has one. */
  region?: string;
  /** Sensitive fields (@Sensitive) masked. */
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** family 'access', type 'access.read': one per (request, subgraph, what), enterprises batched. */
export interface AccessReadPayload {
  actor: Actor;
  /** The `x-qinqing-purpose` header or a `purpose` argument. */
  purpose?: string;
  subgraph: string;
  ownerDepartment?: string;
  /** e.g. 'Enterprise.ecologyFindings', 'Enterprise.bankAccount'. */
  what: string;
  /** Credit codes read. */
  enterprises: string[];
  /** A bulk read of every enterprise of this region (screening): `enterprises` is then empty. */
  region?: string;
  /** Fields served unmasked, e.g. ['bankAccount.accountNumber']. */
  unmasked: string[];
}

export const AUDIT_FAMILY = 'audit';
export const AUDIT_MUTATION = 'audit.mutation';
export const ACCESS_FAMILY = 'access';
export const ACCESS_READ = 'access.read';
