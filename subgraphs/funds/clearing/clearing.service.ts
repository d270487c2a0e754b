import { randomUUID } from 'node:crypto';
import type { EntityManager, FilterQuery } from '@mikro-orm/core';
import { REGIONS } from '../../../platform/directory';
import { AppError, ErrorCode, forbidden, invalidInput } from '../../../platform/errors';
import { regionCovers, type Identity } from '../../../platform/identity';
import { toChinaDate } from '../../kit/calendar';
import type { GraphClient } from '../../kit/graph-client';
import type { Logger } from '../../../platform/logger';
import { regionCondition } from '../../kit/scope';
import { BudgetEntry, BudgetIndicator, PaymentOrder, PaymentStatus } from '../entities';
import { computeClearing, type ClearingReport } from './clearing';
import { FiscalYearClosure } from './fiscal-year.entity';
import { fiscalYearClosed } from './fiscal-year';
import type { ClearingScope } from './scope';

/** Ids per `IN (…)`: well under SQLite's and PostgreSQL's parameter limits. */
const IN_CHUNK = 500;

/**
 * Loads a year's indicators, their ledger and the year's orders in the scope (region, and a
 * department when narrowed) and adds them up. Only the columns the sums need are read.
 */
export async function loadClearing(em: EntityManager, scope: ClearingScope, policyTitles?: ReadonlyMap<string, string>): Promise<ClearingReport> {
  const region = regionCondition(scope.regionCode);
  const department = scope.department ? { department: scope.department } : {};
  const indicators = await em.find(
    BudgetIndicator,
    { fiscalYear: scope.fiscalYear, ...region, ...department } as FilterQuery<BudgetIndicator>,
    { fields: ['id', 'policyId', 'level', 'department'], disableIdentityMap: true },
  );
  const entries: Pick<BudgetEntry, 'indicatorId' | 'kind' | 'amountFen'>[] = [];
  const ids = indicators.map((i) => i.id);
  for (let i = 0; i < ids.length; i += IN_CHUNK) {
    const chunk = await em.find(
      BudgetEntry,
      { indicatorId: { $in: ids.slice(i, i + IN_CHUNK) }, kind: { $in: ['ASSIGN', 'ADJUST', 'SPEND'] } },
      { fields: ['id', 'indicatorId', 'kind', 'amountFen'], disableIdentityMap: true },
    );
    entries.push(...chunk);
  }
  const orders = await em.find(
    PaymentOrder,
    { fiscalYear: scope.fiscalYear, ...region, ...department } as FilterQuery<PaymentOrder>,
    { fields: ['id', 'policyId', 'department', 'status', 'amountFen', 'cityFen', 'countyFen'], disableIdentityMap: true },
  );
  return computeClearing({ indicators, entries, orders, policyTitles });
}

const TITLE_BATCH = 50;

/**
 * The policies' titles for the export and the query, read through the graph as a service. Best
 * effort: without them the clearing is still right (a title is a label), so a failure is logged and
 * the titles are left empty rather than the clearing refused.
 */
export async function readPolicyTitles(graph: GraphClient | undefined, policyIds: string[], region: string, log: Logger): Promise<Map<string, string>> {
  const titles = new Map<string, string>();
  if (!graph || !policyIds.length) return titles;
  try {
    for (let i = 0; i < policyIds.length; i += TITLE_BATCH) {
      const batch = policyIds.slice(i, i + TITLE_BATCH);
      const query = `query ClearingPolicyTitles(${batch.map((_, j) => `$p${j}: String!`).join(', ')}) { ${batch.map((_, j) => `p${j}: policy(id: $p${j}) { id title }`).join(' ')} }`;
      const data = await graph.request<Record<string, { id: string; title: string } | null>>(query, Object.fromEntries(batch.map((id, j) => [`p${j}`, id])), {
        purpose: '年度清算：政策名称',
        region,
      });
      for (const policy of Object.values(data)) if (policy) titles.set(policy.id, policy.title);
    }
  } catch (error) {
    log.warn('clearing: policy titles not read', { error: error instanceof Error ? error.message : String(error) });
  }
  return titles;
}

/** Orders not yet final: they still hold budget or may still be paid. */
const NOT_FINAL = [PaymentStatus.WAITING_BUDGET, PaymentStatus.PENDING, PaymentStatus.SENT, PaymentStatus.FAILED, PaymentStatus.RETURNED];

/**
 * 年度关账 by 县财政局 of the region: freezes the year of one county. Allowed after 31 December (China
 * time), or before it when every order of the year is final (settled). Closing twice is refused.
 * The totals of the clearing at that moment are kept on the closure.
 */
export async function closeFiscalYear(em: EntityManager, identity: Identity, input: { fiscalYear: number; regionCode: string }, now: Date): Promise<FiscalYearClosure> {
  const county = REGIONS.find((r) => r.code === input.regionCode);
  if (!county || county.level !== 'COUNTY') throw invalidInput([{ field: 'regionCode', message: `关账按县（区）进行：${input.regionCode} 不是平台已知的县（区）代码` }]);
  if (!identity.region || !regionCovers(identity.region, input.regionCode)) throw forbidden(`无权为地区 ${input.regionCode} 关账：您所属地区为 ${identity.region ?? '未知'}`);
  return em.transactional(async (tx) => {
    // First, the year's indicators closed in this transaction: a budget move racing the close waits
    // for their rows and then finds them closed (its UPDATE requires closed = false), so the totals
    // read below are final. Undone with the rest if the close is refused.
    await tx.nativeUpdate(BudgetIndicator, { fiscalYear: input.fiscalYear, regionCode: input.regionCode }, { closed: true });
    const existing = await tx.findOne(FiscalYearClosure, { fiscalYear: input.fiscalYear, regionCode: input.regionCode });
    if (existing) throw fiscalYearClosed(existing);
    const today = toChinaDate(now);
    if (today <= `${input.fiscalYear}-12-31`) {
      const open = await tx.count(PaymentOrder, { fiscalYear: input.fiscalYear, regionCode: input.regionCode, status: { $in: NOT_FINAL } });
      if (open) {
        throw new AppError(
          ErrorCode.WRONG_STATE,
          `${input.fiscalYear} 年度尚有 ${open} 笔支付令未结清（待预算、待发送、已发送、失败或退回）：12 月 31 日前只有全部支付令已到账才能关账`,
          { reason: 'ORDERS_NOT_FINAL', open },
        );
      }
    }
    const { total } = await loadClearing(tx, { fiscalYear: input.fiscalYear, regionCode: input.regionCode, department: null });
    const closure = tx.create(FiscalYearClosure, {
      id: randomUUID(),
      fiscalYear: input.fiscalYear,
      regionCode: input.regionCode,
      budgetFen: total.budgetFen,
      paidFen: total.paidFen,
      remainingFen: total.remainingFen,
      closedBy: identity.subject ?? String(identity.role),
      closedAt: now,
    });
    await tx.flush();
    return closure;
  });
}
