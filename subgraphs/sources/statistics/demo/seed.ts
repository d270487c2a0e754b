import type { EntityManager } from '@mikro-orm/core';
import type { SeedOptions } from '../../../kit/subgraph';
import { addDays, demoEconomy, demoPopulation, Dice, DEMO_FROM, DEMO_TODAY, documentNumber, insertRows, recordedOn, shouldSeed } from '../../kit';
import { StatisticsRecord, StatisticsRecordKind } from '../statistics-record.entity';

const VIOLATIONS = ['虚报统计资料', '迟报统计资料', '拒报统计资料', '未按规定设置原始记录和统计台账'];

/**
 * Annual reports 2021–2025 for every demo enterprise (from its registration year), 规上 from the
 * year it entered (the population's ABOVE_SCALE tag says who is 规上 now); ~1 % with violations.
 */
export async function seedStatistics(em: EntityManager, { demo, demoEnterprises }: SeedOptions): Promise<void> {
  if (!(await shouldSeed(em, StatisticsRecord, demo))) return;
  const rows: Partial<StatisticsRecord>[] = [];
  let serial = 0;
  for (const e of demoPopulation(demoEnterprises)) {
    const dice = new Dice('statistics', e.creditCode);
    const registered = Number(e.registeredOn.slice(0, 4));
    // 规上 now (the population's tag) since a year after registration (the same year for one set up in 2025), as early as 2012.
    const since = e.tags.includes('ABOVE_SCALE') ? dice.int(Math.min(2025, Math.max(registered + 1, 2012)), 2025) : null;
    for (const y of demoEconomy(e)) {
      const occurredOn = `${y.year + 1}-03-31`;
      rows.push({
        creditCode: e.creditCode, regionCode: e.regionCode, source: 'statistics', kind: StatisticsRecordKind.ANNUAL,
        reference: documentNumber(e.regionCode, '统年报', `${y.year}`, ++serial), occurredOn, endsOn: null, recordedAt: recordedOn(occurredOn),
        year: y.year, employees: y.employees, outputValueFen: Math.round((y.revenueFen * dice.int(90, 110)) / 100), aboveScale: since !== null && y.year >= since,
        aboveScaleSince: since !== null && y.year >= since ? since : null, description: null,
      });
    }
    if (dice.chance(e.tags.includes('ABOVE_SCALE') ? 0.05 : 0.008)) {
      const occurredOn = dice.day(e.registeredOn > DEMO_FROM ? e.registeredOn : DEMO_FROM, DEMO_TODAY);
      const ended = dice.chance(0.8) ? addDays(occurredOn, dice.int(30, 120)) : null;
      const endsOn = ended && ended < DEMO_TODAY ? ended : null;
      rows.push({
        creditCode: e.creditCode, regionCode: e.regionCode, source: 'statistics', kind: StatisticsRecordKind.VIOLATION,
        reference: documentNumber(e.regionCode, '统罚', occurredOn, ++serial), occurredOn, endsOn, recordedAt: recordedOn(endsOn ?? occurredOn),
        year: null, employees: null, outputValueFen: null, aboveScale: null, aboveScaleSince: null, description: dice.pick(VIOLATIONS),
      });
    }
  }
  await insertRows(em, StatisticsRecord, rows);
}
