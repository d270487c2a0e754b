import { AsyncLocalStorage } from 'node:async_hooks';
import { context as otelContext, ROOT_CONTEXT } from '@opentelemetry/api';
import { ChangeSetType, type ChangeSet, type EntityMetadata, type EventSubscriber, type FlushEventArgs, type TransactionEventArgs } from '@mikro-orm/core';
import type { Identity } from '../../platform/identity';
import { maskBankAccount } from './mask';
import { KIT_ENTITIES, OutboxEvent } from './events/entities';
import { newEvent, outboxRow, outboxSignal, PRODUCER, type Producer } from './events/outbox';
import { AUDIT_FAMILY, AUDIT_MUTATION, type Actor, type AuditMutationPayload } from './events/types';

/**
 * The audit trail: every entity change flushed while a GraphQL mutation runs becomes an
 * `audit.mutation` event in the same flush — the same transaction — without the resolver doing
 * anything. Seeds, consumers and anything else outside a mutation emit nothing.
 */

// --- @Sensitive ------------------------------------------------------------------------------
const sensitive = new WeakMap<Function, Map<string, (value: string) => string>>();

/** A generic mask: the first and last 4 characters of a long value, nothing of a short one. */
const defaultMask = (value: string) => maskBankAccount(value);

/**
 * Marks an entity property as sensitive (ID numbers, bank accounts, …): its value is masked in an
 * audit event's before/after. `mask` defaults to keeping the first and last 4 characters.
 */
export function Sensitive(mask: (value: string) => string = defaultMask): PropertyDecorator {
  return (target, property) => {
    const ctor = (target as { constructor: Function }).constructor;
    if (!sensitive.has(ctor)) sensitive.set(ctor, new Map());
    sensitive.get(ctor)!.set(String(property), mask);
  };
}

function sensitiveOf(meta: EntityMetadata): Map<string, (value: string) => string> | undefined {
  return meta.class ? sensitive.get(meta.class) : undefined;
}

// --- the mutation scope --------------------------------------------------------------------
export interface MutationScope {
  identity: Identity;
  /** The mutation field, e.g. 'registerEnterprise'. */
  action: string;
  requestId?: string;
  traceId?: string;
}
const mutationScope = new AsyncLocalStorage<MutationScope>();

/** Runs a mutation's resolver in its scope (kit/schema.ts wraps every Mutation field with it). */
export function runInMutationScope<T>(scope: MutationScope, run: () => T): T {
  return mutationScope.run(scope, run);
}

export function currentMutationScope(): MutationScope | undefined {
  return mutationScope.getStore();
}

/** The actor of work the platform does by itself: `system:<subgraph>-<job>`. */
export type SystemIdentity = Identity & { subject: `system:${string}` };

/**
 * Runs work of the platform itself (a job, kit/jobs.ts) in an audit scope, as a person's mutation
 * runs in its own: what it flushes becomes `audit.mutation` events naming the system actor and
 * `action` (the mutation whose step it takes, e.g. 'expirePolicy'). Outside a scope a job's
 * changes would leave no trail.
 */
export function runAsSystem<T>(identity: SystemIdentity, action: string, run: () => T): T {
  return runInMutationScope({ identity, action }, run);
}

/**
 * Leaves the mutation scope (e.g. relay work nudged from a request): what runs inside emits no
 * audit event and its SQL spans do not join the request's trace.
 */
export function outsideMutationScope<T>(run: () => T): T {
  return mutationScope.exit(() => otelContext.with(ROOT_CONTEXT, run));
}

export function actorOf(identity: Identity): Actor {
  const actor: Actor = { role: identity.role };
  if (identity.subject) actor.subject = identity.subject;
  if (identity.region) actor.region = identity.region;
  if (identity.department) actor.department = identity.department;
  if (identity.creditCode) actor.creditCode = identity.creditCode;
  return actor;
}

// --- the subscriber --------------------------------------------------------------------------
const KIT = new Set<Function>(KIT_ENTITIES);

function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    const helper = (value as { __helper?: { getSerializedPrimaryKey(): string } }).__helper;
    if (helper) return helper.getSerializedPrimaryKey();
  }
  return value;
}

/** The entity's scalar values by property name, sensitive ones masked. */
function snapshot(meta: EntityMetadata, data: Record<string, unknown> | undefined | null): Record<string, unknown> | null {
  if (!data) return null;
  const masks = sensitiveOf(meta);
  const out: Record<string, unknown> = {};
  for (const prop of meta.comparableProps) {
    if (!(prop.name in data)) continue;
    const value = plain(data[prop.name]);
    const mask = masks?.get(prop.name);
    out[prop.name] = mask && typeof value === 'string' ? mask(value) : value;
  }
  return out;
}

const OPERATION: Record<string, AuditMutationPayload['operation'] | undefined> = {
  [ChangeSetType.CREATE]: 'CREATE',
  [ChangeSetType.UPDATE]: 'UPDATE',
  [ChangeSetType.DELETE]: 'DELETE',
};

function auditPayload(cs: ChangeSet<any>, scope: MutationScope, producer: Producer): AuditMutationPayload | undefined {
  const operation = OPERATION[cs.type];
  if (!operation) return undefined;
  const meta = cs.meta;
  const current = { ...(cs.entity as Record<string, unknown>) };
  const before = operation === 'CREATE' ? null : snapshot(meta, (cs.originalEntity as Record<string, unknown>) ?? current);
  const after = operation === 'DELETE' ? null : snapshot(meta, current);
  const pk = cs.getSerializedPrimaryKey?.() ?? meta.primaryKeys.map((k) => plain(current[k])).join(',');
  const source = (after ?? before ?? {}) as Record<string, unknown>;
  const payload: AuditMutationPayload = {
    actor: actorOf(scope.identity),
    action: scope.action,
    subgraph: producer.subgraph,
    entity: meta.className,
    entityId: pk == null ? '' : String(pk),
    operation,
    before,
    after,
  };
  if (producer.department) payload.ownerDepartment = producer.department;
  if (typeof source.creditCode === 'string') payload.enterprise = source.creditCode;
  if (typeof source.regionCode === 'string') payload.region = source.regionCode;
  return payload;
}

const writesOutbox = (uow: FlushEventArgs['uow']) => uow.getChangeSets().some((cs) => cs.meta.class === OutboxEvent);
const outboxTransactions = new WeakSet<object>();

/**
 * Registered by ormOptions on every subgraph's ORM: writes the audit events of a mutation's
 * flush into that flush, and nudges the relays after a commit that wrote outbox rows.
 */
export class KitSubscriber implements EventSubscriber {
  readonly [PRODUCER]: Producer;

  constructor(producer: Producer) {
    this[PRODUCER] = producer;
  }

  async onFlush(args: FlushEventArgs): Promise<void> {
    this.audit(args);
    // Inside a caller's transaction: remember it wrote outbox rows, to nudge the relays on commit.
    const transaction = args.em.getTransactionContext();
    if (transaction && writesOutbox(args.uow)) outboxTransactions.add(transaction as object);
  }

  private audit(args: FlushEventArgs): void {
    const scope = mutationScope.getStore();
    if (!scope) return;
    const producer = this[PRODUCER];
    for (const cs of args.uow.getChangeSets()) {
      if (KIT.has(cs.meta.class)) continue;
      const payload = auditPayload(cs, scope, producer);
      if (!payload) continue;
      const event = newEvent(producer.subgraph, { family: AUDIT_FAMILY, type: AUDIT_MUTATION, payload, requestId: scope.requestId, traceId: scope.traceId });
      args.uow.computeChangeSet(outboxRow(event));
    }
  }

  async afterTransactionCommit(args: TransactionEventArgs): Promise<void> {
    // A flush's own transaction (uow given) or a transaction whose flushes wrote outbox rows.
    const wrote = args.uow ? writesOutbox(args.uow) : args.transaction !== undefined && outboxTransactions.has(args.transaction as object);
    if (wrote) outboxSignal.emit('commit', this[PRODUCER].subgraph);
  }
}
