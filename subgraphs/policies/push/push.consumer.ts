import { toChinaDate } from '../../kit/calendar';
import type { Consumer } from '../../kit/events/types';
import { nowOf } from '../../kit/services';
import { Policy } from '../policy.entity';
import { POLICIES_FAMILY, POLICY_PUBLISHED, type PolicyPublishedPayload } from './events';
import { writeMessages } from './messages';
import { fetchWhiteList, type WhiteList } from './screening';

/**
 * 精准推送 on publication: screens the policy's region through the graph (outside the
 * transaction: it takes seconds) and messages every ELIGIBLE enterprise, in the transaction of the
 * kit's inbox insert. A repeat of the event is skipped by the inbox; a retry after a failure
 * screens again and writes only what is missing (writeMessages is insert-if-absent).
 */
export const pushConsumer: Consumer<WhiteList | undefined> = {
  name: 'push',
  families: [POLICIES_FAMILY],
  async prepare(em, event, services) {
    // Without a graph client there is nothing to ask (main.ts warned once at start).
    if (event.type !== POLICY_PUBLISHED || !services.graph) return undefined;
    const { policyId } = event.payload as unknown as PolicyPublishedPayload;
    const policy = await em.findOne(Policy, { id: policyId });
    // Suspended or repealed since it was published: nobody is told (a resumption is covered by the re-screening job).
    if (policy?.status !== 'PUBLISHED') return undefined;
    return fetchWhiteList(services.graph, policy, toChinaDate(nowOf(services)), `政策精准推送：${policy.id}`);
  },
  async handle(em, _event, services, list) {
    if (list) await writeMessages(em, list, 'PUBLISHED', nowOf(services));
  },
};
