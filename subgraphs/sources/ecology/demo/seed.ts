import type { EntityManager } from '@mikro-orm/core';
import type { SeedOptions } from '../../../kit/subgraph';
import { addDays, demoPopulation, Dice, DEMO_FROM, DEMO_TODAY, documentNumber, insertRows, recordedOn, shouldSeed } from '../../kit';
import { EcologyPenalty } from '../penalty.entity';

const VIOLATIONS: [string, string][] = [
  ['超标排放水污染物', '罚款'],
  ['未批先建（未依法报批环境影响评价文件）', '罚款'],
  ['未按规定设置危险废物识别标志', '罚款'],
  ['大气污染防治设施未正常运行', '罚款'],
  ['通过暗管逃避监管排放污染物', '责令停产整治并罚款'],
  ['未取得排污许可证排放污染物', '责令停产整治并罚款'],
  ['扬尘污染防治措施不到位', '罚款'],
];

/** About 5 % of manufacturers, mining and utilities, 1 % of the rest; dated 2021 to 2026. */
export async function seedEcology(em: EntityManager, { demo, demoEnterprises }: SeedOptions): Promise<void> {
  if (!(await shouldSeed(em, EcologyPenalty, demo))) return;
  const rows: Partial<EcologyPenalty>[] = [];
  let serial = 0;
  for (const e of demoPopulation(demoEnterprises)) {
    const dice = new Dice('ecology', e.creditCode);
    const polluting = 'BCD'.includes(e.industryCode[0]);
    if (!dice.chance(polluting ? 0.05 : 0.01)) continue;
    for (let n = dice.chance(0.2) ? 2 : 1; n > 0; n--) {
      const [violation, penalty] = dice.pick(VIOLATIONS);
      const occurredOn = dice.day(DEMO_FROM, DEMO_TODAY);
      const endsOn = dice.chance(0.8) ? addDays(occurredOn, dice.int(20, 180)) : null;
      const closed = endsOn && endsOn < DEMO_TODAY ? endsOn : null;
      rows.push({
        creditCode: e.creditCode,
        regionCode: e.regionCode,
        source: 'ecology',
        reference: documentNumber(e.regionCode, '环罚', occurredOn, ++serial),
        occurredOn,
        endsOn: closed,
        recordedAt: recordedOn(closed ?? occurredOn),
        violation,
        penalty,
        amountFen: dice.int(10, 500) * 100_000 * (penalty.includes('停产') ? 2 : 1),
      });
    }
  }
  await insertRows(em, EcologyPenalty, rows);
}
