import type { EntityManager } from '@mikro-orm/core';
import type { SeedOptions } from '../../../kit/subgraph';
import { addDays, demoPopulation, Dice, DEMO_FROM, DEMO_TODAY, documentNumber, insertRows, recordedOn, shouldSeed } from '../../kit';
import { CreditRecord, CreditRecordKind, PublicCreditGrade } from '../credit-record.entity';

const LISTING_REASONS = ['拒不履行法院生效判决（失信被执行人）', '拖欠农民工工资情节严重', '虚开增值税专用发票', '骗取财政补助资金', '食品安全严重违法'];
const DECIDED_BY: Record<string, string> = { '拒不履行法院生效判决（失信被执行人）': '县人民法院', '拖欠农民工工资情节严重': '县人社局', '虚开增值税专用发票': '县税务局', '骗取财政补助资金': '县财政局', '食品安全严重违法': '县市场监管局' };

/**
 * Every enterprise registered before 2026 has a rating (mostly A/B, ~4 % C, ~1 % D, rated in
 * March 2026); about 1.5 % have been on the dishonesty list since 2021, most of them lifted.
 */
export async function seedCredit(em: EntityManager, { demo, demoEnterprises }: SeedOptions): Promise<void> {
  if (!(await shouldSeed(em, CreditRecord, demo))) return;
  const rows: Partial<CreditRecord>[] = [];
  let serial = 0;
  for (const e of demoPopulation(demoEnterprises)) {
    const dice = new Dice('credit', e.creditCode);
    let listed = false;
    if (dice.chance(0.015)) {
      listed = true;
      const reason = dice.pick(LISTING_REASONS);
      const occurredOn = dice.day(e.registeredOn > DEMO_FROM ? e.registeredOn : DEMO_FROM, DEMO_TODAY);
      const lifted = dice.chance(0.6) ? addDays(occurredOn, dice.int(365, 1095)) : null;
      const endsOn = lifted && lifted < DEMO_TODAY ? lifted : null;
      rows.push({
        creditCode: e.creditCode, regionCode: e.regionCode, source: 'credit', kind: CreditRecordKind.DISHONESTY, grade: null,
        reference: documentNumber(e.regionCode, '信用列', occurredOn, ++serial), occurredOn, endsOn,
        recordedAt: recordedOn(endsOn ?? occurredOn), reason, decidedBy: DECIDED_BY[reason],
      });
    }
    if (e.registeredOn >= '2026-01-01') continue;
    const roll = dice.next();
    const grade = listed && !rows[rows.length - 1].endsOn ? PublicCreditGrade.D
      : roll < 0.3 ? PublicCreditGrade.A : roll < 0.95 ? PublicCreditGrade.B : roll < 0.99 ? PublicCreditGrade.C : PublicCreditGrade.D;
    const occurredOn = dice.day('2026-03-01', '2026-03-31');
    rows.push({
      creditCode: e.creditCode, regionCode: e.regionCode, source: 'credit', kind: CreditRecordKind.RATING, grade,
      reference: documentNumber(e.regionCode, '信用评', occurredOn, ++serial), occurredOn, endsOn: null,
      recordedAt: recordedOn(occurredOn), reason: '2025年度公共信用综合评价', decidedBy: '县发改委',
    });
  }
  await insertRows(em, CreditRecord, rows);
}
