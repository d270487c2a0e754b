import type { EntityManager } from '@mikro-orm/core';
import { AppError, ErrorCode } from '../../../platform/errors';
import { toChinaDate } from '../../kit/calendar';
import { FiscalYearClosure } from './fiscal-year.entity';

/** The code of every refusal because a year is closed (a WRONG_STATE: the year's state refuses it). */
export const FISCAL_YEAR_CLOSED = 'FISCAL_YEAR_CLOSED';

export function fiscalYearClosed(closure: Pick<FiscalYearClosure, 'fiscalYear' | 'regionCode' | 'closedAt'>): AppError {
  return new AppError(
    ErrorCode.WRONG_STATE,
    `${closure.fiscalYear} 年度（地区 ${closure.regionCode}）已于 ${toChinaDate(closure.closedAt)} 关账：不能再调整预算、生成或重发支付令；请使用下一年度的预算`,
    { reason: FISCAL_YEAR_CLOSED, fiscalYear: closure.fiscalYear, regionCode: closure.regionCode },
  );
}

/**
 * Refuses a change of a closed year: every budget move (set, adjust, 归集) and every order that
 * would hold budget (new, released-by-budget, retried) calls this first, in its transaction.
 * Settling or reconciling an order already at the bank is not refused: the bank has paid.
 */
export async function assertFiscalYearOpen(em: EntityManager, fiscalYear: number, regionCode: string): Promise<void> {
  const closure = await em.findOne(FiscalYearClosure, { fiscalYear, regionCode });
  if (closure) throw fiscalYearClosed(closure);
}
