import type { Consumer } from '../kit/events/types';
import { nowOf } from '../kit/services';
import { APPLICATION_AWAITING_PAYMENT, APPLICATIONS_FAMILY, awaitingPaymentProblem, type AwaitingPaymentPayload } from './events';
import { createOrder } from './payment.service';

/**
 * 生成支付令: a case awaiting payment becomes one payment order, in the transaction of the kit's
 * inbox insert (a repeated event is skipped; a replay as a new event finds the order by its
 * unique applicationId). `maxAttempts: Infinity`: an order is never lost to a dead letter.
 */
export const awaitingPaymentConsumer: Consumer = {
  name: 'funds-payment-orders',
  families: [APPLICATIONS_FAMILY],
  maxAttempts: Infinity,
  async handle(em, event, services) {
    if (event.type !== APPLICATION_AWAITING_PAYMENT) return;
    const problem = awaitingPaymentProblem(event.payload);
    if (problem) throw new Error(problem);
    await createOrder(em, event.payload as unknown as AwaitingPaymentPayload, nowOf(services));
  },
};
