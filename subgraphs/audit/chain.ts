import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import canonicalize from 'canonicalize';
import { AuditCheckpoint, AuditEntry, AuditEntryEnterprise, AuditKind } from './audit-entry.entity';
import type { DomainEvent } from '../kit/events/types';
import { auditSigner, checkpointEvery, checkpointMaxAgeMs, type AuditSigner } from './signing-key';

/** What the store appends: any kit event (audit.mutation, access.read), its payload read defensively. */
export type AuditedEvent = DomainEvent<Record<string, unknown>>;

export const GENESIS_HASH = '0'.repeat(64);

/** PostgreSQL: one transaction-scoped advisory lock serializes every append (SQLite has one writer). */
const CHAIN_LOCK_KEY = 0x61756469; // 'audi'

const text = (value: unknown, max: number): string | null =>
  typeof value === 'string' && value.length ? value.slice(0, max) : value === undefined || value === null ? null : String(value).slice(0, max);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
const record = (value: unknown): Record<string, unknown> | null =>
  value && typeof value === 'object' && !Array.isArray(value) ? (JSON.parse(JSON.stringify(value)) as Record<string, unknown>) : null;

/** The document an entry's hash covers: every column but `hash` itself, absent values as null. */
export function hashedDocument(entry: AuditEntry): Record<string, unknown> {
  return {
    seq: entry.seq,
    eventId: entry.eventId,
    kind: entry.kind,
    eventType: entry.eventType,
    source: entry.source,
    actor: {
      subject: entry.actorSubject ?? null,
      role: entry.actorRole ?? null,
      region: entry.actorRegion ?? null,
      department: entry.actorDepartment ?? null,
      creditCode: entry.actorCreditCode ?? null,
    },
    action: entry.action,
    operation: entry.operation ?? null,
    entity: entry.entity ?? null,
    entityId: entry.entityId ?? null,
    enterprises: entry.enterprises ?? [],
    regionCode: entry.regionCode ?? null,
    ownerDepartment: entry.ownerDepartment ?? null,
    purpose: entry.purpose ?? null,
    unmasked: entry.unmasked ?? [],
    before: entry.before ?? null,
    after: entry.after ?? null,
    occurredAt: new Date(entry.occurredAt).toISOString(),
    recordedAt: new Date(entry.recordedAt).toISOString(),
    requestId: entry.requestId ?? null,
    traceId: entry.traceId ?? null,
  };
}

export function entryHash(prevHash: string, entry: AuditEntry): string {
  return createHash('sha256').update(prevHash).update(canonicalize(hashedDocument(entry))!).digest('hex');
}

/** A producer's clock reading, or undefined when it is not a time (the entry then takes the store's). */
function validDate(value: unknown): Date | undefined {
  const date = typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

/** The region all the named enterprises share (GB 32100 positions 3–8), if they share one. */
function commonRegion(creditCodes: string[]): string | null {
  const regions = new Set(creditCodes.map((c) => c.slice(2, 8)));
  return regions.size === 1 ? [...regions][0] : null;
}

/** An audit/access event as the columns of an entry (seq and hashes are set by `appendAuditEvent`). */
export function entryFields(event: AuditedEvent): Omit<AuditEntry, 'seq' | 'prevHash' | 'hash' | 'recordedAt'> {
  const p = event.payload ?? {};
  const actor = (p.actor ?? {}) as Record<string, unknown>;
  const access = event.family === 'access';
  const enterprises = [...new Set(access ? strings(p.enterprises) : strings(p.enterprise ? [p.enterprise] : []))].sort();
  return {
    eventId: event.id,
    kind: access ? AuditKind.ACCESS : AuditKind.MUTATION,
    eventType: text(event.type, 64) ?? 'unknown',
    source: text(event.source ?? p.subgraph, 64) ?? 'unknown',
    actorSubject: text(actor.subject, 128),
    actorRole: text(actor.role, 32),
    actorRegion: text(actor.region, 6),
    actorDepartment: text(actor.department, 32),
    actorCreditCode: text(actor.creditCode, 18),
    action: text(access ? p.what : p.action, 200) ?? 'unknown',
    operation: access ? null : text(p.operation, 16),
    entity: access ? null : text(p.entity, 100),
    entityId: access ? null : text(p.entityId, 200),
    enterprises,
    regionCode: text(p.region, 6) ?? commonRegion(enterprises),
    ownerDepartment: text(p.ownerDepartment, 32),
    purpose: text(p.purpose, 200),
    unmasked: strings(p.unmasked),
    before: record(p.before),
    after: record(p.after),
    occurredAt: validDate(event.occurredAt) ?? new Date(),
    requestId: text(event.requestId, 64),
    traceId: text(event.traceId, 64),
  };
}

async function lockChain(em: EntityManager): Promise<void> {
  if (em.config.get('driver') !== PostgreSqlDriver) return;
  await em.getConnection().execute('select pg_advisory_xact_lock(?)', [CHAIN_LOCK_KEY], 'all', em.getTransactionContext());
}

async function chainHead(em: EntityManager): Promise<{ seq: number; hash: string }> {
  // Raw rows, not entities: a partially loaded entity in the identity map would shadow full loads.
  const head = await hashAt(em, undefined);
  return head ?? { seq: 0, hash: GENESIS_HASH };
}

/** (seq, hash) of entry `seq`, or of the head when `seq` is undefined. */
async function hashAt(em: EntityManager, seq: number | undefined): Promise<{ seq: number; hash: string } | undefined> {
  const qb = (em as SqlEntityManager).createQueryBuilder(AuditEntry).select(['seq', 'hash']);
  if (seq === undefined) qb.orderBy({ seq: 'desc' });
  else qb.where({ seq });
  const row = await qb.limit(1).execute('get');
  return row ? { seq: Number(row.seq), hash: row.hash } : undefined;
}

/**
 * Appends one event to the chain; runs inside the consumer's transaction (`em` is transactional).
 * Serialized by the chain lock, so two concurrent appends never read the same head. An event id
 * already stored is skipped: the result is `null`.
 */
export async function appendAuditEvent(
  em: EntityManager,
  event: AuditedEvent,
  options: { checkpointEvery?: number; checkpointMaxAgeMs?: number; signer?: AuditSigner; now?: Date } = {},
): Promise<AuditEntry | null> {
  if (!em.isInTransaction()) return em.transactional((tx) => appendAuditEvent(tx, event, options));
  await lockChain(em);
  if ((await em.count(AuditEntry, { eventId: event.id })) > 0) return null;
  const head = await chainHead(em);
  const now = options.now ?? new Date();
  const entry = Object.assign(new AuditEntry(), entryFields(event), { seq: head.seq + 1, prevHash: head.hash, recordedAt: now });
  entry.hash = entryHash(entry.prevHash, entry);
  // Plain inserts, no unit of work: an append costs the same however many came before in this `em`.
  await em.insert(AuditEntry, entry);
  if (entry.enterprises.length) await em.insertMany(AuditEntryEnterprise, entry.enterprises.map((creditCode) => ({ creditCode, seq: entry.seq })));
  // Signed after N entries, or when the last signature is older than the maximum age: at low
  // volume nearly every entry is signed at once, at high volume one in N.
  const [last] = await em.find(AuditCheckpoint, {}, { orderBy: { seq: 'desc' }, limit: 1, fields: ['seq', 'signedAt'], disableIdentityMap: true });
  const due =
    entry.seq - (last?.seq ?? 0) >= (options.checkpointEvery ?? checkpointEvery()) ||
    now.getTime() - (last ? new Date(last.signedAt).getTime() : 0) >= (options.checkpointMaxAgeMs ?? checkpointMaxAgeMs());
  if (due) await em.insert(AuditCheckpoint, signCheckpoint(entry.seq, entry.hash, options.signer, now));
  return entry;
}

const checkpointMessage = (c: { seq: number; hash: string; signedAt: Date }) =>
  canonicalize({ seq: c.seq, hash: c.hash, signedAt: new Date(c.signedAt).toISOString() })!;

export function signCheckpoint(seq: number, hash: string, signer: AuditSigner = auditSigner(), signedAt = new Date()): AuditCheckpoint {
  const checkpoint = Object.assign(new AuditCheckpoint(), { seq, hash, signedAt, keyId: signer.keyId });
  checkpoint.signature = signer.sign(checkpointMessage(checkpoint));
  return checkpoint;
}

/** Signs the current head now (unless it is signed already); null on an empty chain. */
export async function checkpointNow(em: EntityManager, signer?: AuditSigner): Promise<AuditCheckpoint | null> {
  return em.transactional(async (tx) => {
    await lockChain(tx);
    const head = await chainHead(tx);
    if (head.seq === 0) return null;
    const existing = await tx.findOne(AuditCheckpoint, { seq: head.seq });
    if (existing) return existing;
    const checkpoint = signCheckpoint(head.seq, head.hash, signer);
    tx.persist(checkpoint);
    await tx.flush();
    return checkpoint;
  });
}

export interface ChainReport {
  ok: boolean;
  checkedEntries: number;
  firstBrokenSeq: number | null;
  problem: string | null;
  lastCheckpointSeq: number | null;
  lastCheckpointVerified: boolean | null;
}

const VERIFY_PAGE = 1000;

/**
 * Recomputes the chain from `from` to `to` (inclusive; defaults: the whole chain) page by page,
 * then checks the latest signed checkpoint: its signature, and that the table still holds its
 * (seq, hash) — a truncated or rewritten tail fails here even when the rest links up.
 */
export async function verifyChain(em: EntityManager, range: { from?: number | null; to?: number | null } = {}, signer: AuditSigner = auditSigner()): Promise<ChainReport> {
  const from = Math.max(1, range.from ?? 1);
  const head = await chainHead(em);
  const to = Math.min(range.to ?? head.seq, head.seq);
  let checked = 0;
  const broken = (seq: number, problem: string) => ({ ok: false, checkedEntries: checked, firstBrokenSeq: seq, problem });
  let result: Omit<ChainReport, 'lastCheckpointSeq' | 'lastCheckpointVerified'> | undefined;
  let prevHash = GENESIS_HASH;
  if (from > 1) {
    const previous = await hashAt(em, from - 1);
    if (!previous) result = broken(from - 1, `第 ${from - 1} 条记录缺失：链在此断开`);
    else prevHash = previous.hash;
  }
  let expected = from;
  while (!result && expected <= to) {
    const page = await em.find(AuditEntry, { seq: { $gte: expected, $lte: to } }, { orderBy: { seq: 'asc' }, limit: VERIFY_PAGE });
    em.clear();
    if (!page.length) {
      result = broken(expected, `第 ${expected} 条记录缺失：链在此断开`);
      break;
    }
    for (const entry of page) {
      if (entry.seq !== expected) {
        result = broken(expected, `第 ${expected} 条记录缺失（被删除）：链在此断开`);
        break;
      }
      if (entry.prevHash !== prevHash) {
        result = broken(entry.seq, `第 ${entry.seq} 条的前一哈希与第 ${entry.seq - 1} 条的哈希不符：前面的记录被改动、删除或插入`);
        break;
      }
      if (entryHash(entry.prevHash, entry) !== entry.hash) {
        result = broken(entry.seq, `第 ${entry.seq} 条的内容与其哈希不符：该记录在入链后被直接修改`);
        break;
      }
      checked++;
      prevHash = entry.hash;
      expected++;
    }
  }
  result ??= { ok: true, checkedEntries: checked, firstBrokenSeq: null, problem: null };

  const [checkpoint] = await em.find(AuditCheckpoint, {}, { orderBy: { seq: 'desc' }, limit: 1 });
  if (!checkpoint) return { ...result, lastCheckpointSeq: null, lastCheckpointVerified: null };
  const signed = checkpoint.keyId === signer.keyId && signer.verify(checkpointMessage(checkpoint), checkpoint.signature);
  const at = checkpoint.seq <= head.seq ? await hashAt(em, checkpoint.seq) : undefined;
  let problem: string | undefined;
  if (!signed) {
    problem =
      checkpoint.keyId === signer.keyId
        ? `第 ${checkpoint.seq} 条处的检查点签名无效：检查点被改写`
        : `第 ${checkpoint.seq} 条处的检查点不是用当前平台审计密钥（${signer.keyId}）签名的（${checkpoint.keyId}）：检查点被改写或密钥已更换`;
  } else if (!at) {
    problem = `链尾被截断：最近的签名检查点记到第 ${checkpoint.seq} 条，日志中只剩到第 ${head.seq} 条`;
  } else if (at.hash !== checkpoint.hash) {
    problem = `第 ${checkpoint.seq} 条的哈希与签名检查点不符：该处之前的链被整体改写`;
  }
  if (!problem) return { ...result, lastCheckpointSeq: checkpoint.seq, lastCheckpointVerified: true };
  const seq = Math.min(checkpoint.seq, head.seq + 1);
  return {
    ok: false,
    checkedEntries: result.checkedEntries,
    firstBrokenSeq: result.firstBrokenSeq !== null ? Math.min(result.firstBrokenSeq, seq) : seq,
    problem: result.problem ? `${result.problem}；${problem}` : problem,
    lastCheckpointSeq: checkpoint.seq,
    lastCheckpointVerified: false,
  };
}
