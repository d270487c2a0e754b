import { toChinaDate } from '../kit/calendar';
import type { Job } from '../kit/jobs';
import { nowOf } from '../kit/services';
import { bankOf } from './bank-of';
import { reconcile } from './payment.service';

/** 日终对账: once a day, yesterday's statement (China date) and every order still SENT. Idempotent (applying an answer twice changes nothing). */
export const reconcileJob: Job = {
  name: 'funds-daily-reconciliation',
  everyMs: 24 * 60 * 60_000,
  async run(em, log, services) {
    const yesterday = toChinaDate(new Date(nowOf(services).getTime() - 24 * 60 * 60_000));
    const report = await reconcile(em, bankOf(em, services), yesterday, 'system:funds-reconciliation', () => nowOf(services));
    if (report.differences.length) log.warn('reconciliation found differences', { date: yesterday, differences: report.differences.length });
    else log.info('reconciliation done', { date: yesterday, checked: report.checked, fixed: report.fixed });
  },
};
