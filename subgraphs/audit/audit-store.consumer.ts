import type { Consumer } from '../kit/events/types';
import { appendAuditEvent } from './chain';

/**
 * The durable consumer that stores every audit and access event of the graph in the chain. The
 * kit runs `handle` in a transaction on the audit database together with the inbox insert of the
 * event id, so a redelivered event is skipped there; `appendAuditEvent` skips a stored id too.
 */
export const auditStoreConsumer: Consumer = {
  name: 'audit-store',
  families: ['audit', 'access'],
  async handle(em, event) {
    await appendAuditEvent(em, event);
  },
};
