import type { EntityManager } from '@mikro-orm/core';
import { runAsSystem, type SystemIdentity } from '../kit/audit-trail';
import { toChinaDate } from '../kit/calendar';
import type { Job } from '../kit/jobs';
import { transition, windowEndedBefore } from './lifecycle';
import { Policy, PolicyVersion } from './policy.entity';
import { stepPolicy, versionId } from './policy.service';

/** The system actor of the `expire` job, in the audit trail. */
export const EXPIRY_SUBJECT = 'system:policies-expire';
const EXPIRE = 'expirePolicy';

export const expiryReason = (windowEnd: string) => `申报期已于 ${windowEnd} 结束，系统自动到期`;

/**
 * The job acts for the owning department, as its staff would through `expirePolicy`: the same
 * owner check passes, and the department reads the entry in its own audit trail.
 */
const actingFor = (policy: Pick<Policy, 'departmentCode' | 'regionCode'>): SystemIdentity => ({
  role: 'DEPARTMENT_SYSTEM',
  subject: EXPIRY_SUBJECT,
  department: policy.departmentCode,
  region: policy.regionCode,
});

/**
 * Moves every PUBLISHED or SUSPENDED policy whose served version's application window ended before
 * `now`'s date in China to EXPIRED, through the `expirePolicy` step (stepPolicy), audited as the
 * system actor. Idempotent: each policy is judged again under its row lock, so a policy another
 * replica (or a person) expired meanwhile, or whose window a newly published version extended, is
 * left alone. Returns the policies it expired.
 */
export async function expirePolicies(em: EntityManager, now: Date): Promise<string[]> {
  const today = toChinaDate(now);
  const from = transition(EXPIRE).from as Policy['status'][];
  // The served version is the one in state PUBLISHED; a policy without windowEnd never matches.
  const ended = await em.find(PolicyVersion, { state: 'PUBLISHED', windowEnd: { $ne: null, $lt: today } }, { fields: ['policyId', 'windowEnd'] });
  if (!ended.length) return [];
  const windowEnds = new Map(ended.map((v) => [v.policyId, v.windowEnd!]));
  const candidates = await em.find(Policy, { id: { $in: [...windowEnds.keys()] }, status: { $in: from } }, { orderBy: { id: 'asc' } });
  const expired: string[] = [];
  for (const candidate of candidates) {
    const windowEnd = windowEnds.get(candidate.id)!;
    const identity = actingFor(candidate);
    const policy = await em.fork().transactional((tx) =>
      runAsSystem(identity, EXPIRE, () =>
        stepPolicy(tx, identity, { id: candidate.id, action: EXPIRE, reason: expiryReason(windowEnd) }, async (locked) => {
          // Judged again under the lock: still to expire, and still served with that window.
          if (!from.includes(locked.status) || !locked.publishedVersion) return false;
          // Read only, never flushed back: the step changes the policy row alone.
          const served = await tx.findOne(PolicyVersion, { id: versionId(locked.id, locked.publishedVersion) }, { disableIdentityMap: true });
          return served?.windowEnd === windowEnd && windowEndedBefore(windowEnd, today);
        }),
      ),
    );
    if (policy) expired.push(policy.id);
  }
  return expired;
}

/** The policies subgraph's `expire` job, every POLICY_EXPIRY_INTERVAL; `now` is its clock (tests set it). */
export function policyExpiryJob(now: () => Date = () => new Date()): Job {
  return {
    name: 'expire',
    everyMs: (config) => config.policyExpiryIntervalMs,
    run: async (em, log) => {
      const expired = await expirePolicies(em, now());
      if (expired.length) log.info('policies expired: their application window ended', { policies: expired });
    },
  };
}
