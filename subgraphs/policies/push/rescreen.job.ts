import { toChinaDate } from '../../kit/calendar';
import { GraphRequestError } from '../../kit/graph-client';
import type { Job } from '../../kit/jobs';
import { nowOf } from '../../kit/services';
import { Policy } from '../policy.entity';
import { writeMessages } from './messages';
import { fetchWhiteList } from './screening';

/**
 * "An enterprise newly qualifies", whatever the cause (new data, a new registration, time passing:
 * 注册满1年): every PUBLISHED policy is screened again on the job's day and every ELIGIBLE
 * enterprise without a message for it gets one (NEWLY_ELIGIBLE). Every replica runs it; the unique
 * (policy, enterprise) key makes that harmless. One policy failing does not stop the others.
 */
export const rescreenJob: Job = {
  name: 'rescreen',
  everyMs: (config) => config.push.rescreenIntervalMs,
  async run(em, log, services) {
    if (!services.graph) return log.debug('rescreen skipped: no graph client (GRAPH_URL, GRAPH_SERVICE_TOKEN_FILE)');
    const now = nowOf(services);
    const today = toChinaDate(now);
    const policies = await em.find(Policy, { status: 'PUBLISHED', publishedVersion: { $ne: null } }, { orderBy: { id: 'asc' } });
    let sent = 0;
    const failed: { policyId: string; codes: string[] }[] = [];
    for (const policy of policies) {
      // The process is stopping: the rest waits for the next run (it is idempotent).
      if (services.signal?.aborted) return log.info('rescreen stopped early: the process is stopping', { today, sent });
      try {
        const list = await fetchWhiteList(services.graph, policy, today, `政策精准推送（复筛）：${policy.id}`);
        sent += await em.fork().transactional((tx) => writeMessages(tx, list, 'NEWLY_ELIGIBLE', now));
      } catch (error) {
        failed.push({ policyId: policy.id, codes: error instanceof GraphRequestError ? error.codes : ['INTERNAL'] });
        log.error('rescreen: a policy failed, the others go on', { policyId: policy.id, error });
      }
    }
    log.info('rescreen done', { today, policies: policies.length, sent, failed: failed.length });
    if (failed.length) {
      throw new GraphRequestError(`rescreen: ${failed.length} of ${policies.length} policies failed (${failed.map((f) => f.policyId).join(', ')})`, [...new Set(failed.flatMap((f) => f.codes))]);
    }
  },
};
