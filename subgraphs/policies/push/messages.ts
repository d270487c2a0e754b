import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { POLICY_MODE_NAMES, Policy, PolicyVersion } from '../policy.entity';
import { versionId } from '../policy.service';
import { PolicyMessage, type PolicyMessageKind } from './policy-message.entity';
import type { WhiteList, WhiteListEntry } from './screening';

/** Rows per INSERT: well under SQLite's and PostgreSQL's bound-parameter limits at 10 columns. */
const INSERT_BATCH = 500;

/** What the enterprise should do next, by how the policy pays (兑现方式). */
export function nextStep(mode: Policy['mode'], version: Pick<PolicyVersion, 'windowStart' | 'windowEnd'>): string {
  if (mode === 'NO_APPLICATION') return '无需申请，主管部门确认白名单后直接兑付。';
  const { windowStart: start, windowEnd: end } = version;
  if (start && end) return `请在申报期内（${start}至${end}）申请。`;
  if (start) return `请在申报期内（${start}起）申请。`;
  if (end) return `请在申报期内（截至${end}）申请。`;
  return '请按办事指南提出申请。';
}

/** The message one white-list entry gets, in Chinese. */
export function composeMessage(
  policy: Pick<Policy, 'id' | 'mode'>,
  version: Pick<PolicyVersion, 'number' | 'title' | 'windowStart' | 'windowEnd'>,
  entry: WhiteListEntry,
  kind: PolicyMessageKind,
  evaluatedOn: string,
  now: Date,
): PolicyMessage {
  const message = new PolicyMessage();
  message.id = randomUUID();
  message.creditCode = entry.creditCode;
  message.policyId = policy.id;
  message.version = version.number;
  message.kind = kind;
  message.title = `${kind === 'PUBLISHED' ? '新政策推送' : '您已符合政策条件'}：${version.title}`;
  message.body =
    `贵企业符合《${version.title}》（${policy.id}，${POLICY_MODE_NAMES[policy.mode]}）的条件（按${evaluatedOn}的数据判断）。` +
    `预计金额：${entry.amountText}。${nextStep(policy.mode, version)}`;
  message.amountFen = entry.amountFen;
  message.createdAt = now;
  message.readAt = null;
  return message;
}

/**
 * Writes one message per white-list entry that has none for this policy yet, and returns how many
 * were new. Insert-if-absent on the unique (policy_id, credit_code), never a prior read: two
 * replicas, a replayed event and the re-screening job may all run at once and an enterprise still
 * hears about a policy once. The policy must still be PUBLISHED (it may have been suspended since
 * the screening); nothing is written otherwise.
 */
export async function writeMessages(em: EntityManager, list: WhiteList, kind: PolicyMessageKind, now: Date): Promise<number> {
  const policy = await em.findOne(Policy, { id: list.policyId });
  if (policy?.status !== 'PUBLISHED' || !list.entries.length) return 0;
  const version = await em.findOneOrFail(PolicyVersion, { id: versionId(policy.id, list.version) });
  let written = 0;
  for (let i = 0; i < list.entries.length; i += INSERT_BATCH) {
    const rows = list.entries.slice(i, i + INSERT_BATCH).map((entry) => ({ ...composeMessage(policy, version, entry, kind, list.evaluatedOn, now) }));
    const result = await (em as SqlEntityManager).createQueryBuilder(PolicyMessage).insert(rows).onConflict(['policyId', 'creditCode']).ignore().execute('run');
    written += result.affectedRows;
  }
  return written;
}
