import type { EntityManager } from '@mikro-orm/core';
import type { SeedOptions } from '../../../kit/subgraph';
import { addDays, demoEconomy, demoPopulation, Dice, documentNumber, insertRows, recordedOn, shouldSeed } from '../../kit';
import { TaxCreditRating, TaxProfile, TaxYear } from '../tax-profile.entity';

/** Deterministic per enterprise: the same code always gets the same rating, in every run. */
function hash(text: string): number {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h;
}

/**
 * The tax bureau's own records of the demo population (the same deterministic enterprises the
 * registry seeds): about 9 in 10 enterprises have a tax profile; ratings and arrears are skewed
 * like a real county (mostly B, a few C/D carrying arrears). Each profile has its revenue and tax
 * paid for 2021–2025 (from its registration year), consistent with its scale.
 */
export async function seedTax(em: EntityManager, { demo, demoEnterprises }: SeedOptions): Promise<void> {
  if (!(await shouldSeed(em, TaxProfile, demo))) return;
  const profiles: Partial<TaxProfile>[] = [];
  const years: Partial<TaxYear>[] = [];
  let serial = 0;
  for (const enterprise of demoPopulation(demoEnterprises)) {
    const h = hash(enterprise.creditCode);
    if (h % 10 === 9) continue;
    const bucket = (h >>> 4) % 100;
    const rating =
      bucket < 15 ? TaxCreditRating.A : bucket < 70 ? TaxCreditRating.B : bucket < 88 ? TaxCreditRating.M : bucket < 96 ? TaxCreditRating.C : TaxCreditRating.D;
    const owes = rating === TaxCreditRating.D || (rating === TaxCreditRating.C && (h >>> 12) % 2 === 0);
    const dice = new Dice('tax', enterprise.creditCode);
    const lastFiledOn = `2026-${String(1 + ((h >>> 16) % 10)).padStart(2, '0')}-15`;
    const ratedOn = dice.day('2026-04-20', '2026-04-30');
    const arrearsSince = owes ? dice.day('2021-06-01', '2026-06-30') : null;
    profiles.push({
      creditCode: enterprise.creditCode,
      regionCode: enterprise.regionCode,
      creditRating: rating,
      ratingYear: 2025,
      arrearsFen: owes ? ((h >>> 8) % 5_000_000) * 100 + ((h >>> 3) % 100) : 0,
      lastFiledOn,
      ratedOn,
      reference: documentNumber(enterprise.regionCode, '税信评', ratedOn, ++serial),
      arrearsSince,
      arrearsReference: arrearsSince ? documentNumber(enterprise.regionCode, '税欠告', arrearsSince, serial) : null,
      recordedAt: recordedOn(lastFiledOn > ratedOn ? lastFiledOn : ratedOn),
    });
    // Taxes paid: 2.5–6 % of revenue (VAT and income tax net of credits), steady per enterprise.
    const rate = dice.int(250, 600) / 10_000;
    for (const y of demoEconomy(enterprise)) {
      const filedOn = addDays(`${y.year + 1}-05-01`, dice.int(0, 30));
      years.push({
        creditCode: enterprise.creditCode,
        regionCode: enterprise.regionCode,
        source: 'tax',
        reference: documentNumber(enterprise.regionCode, '税汇缴', `${y.year}`, ++serial),
        occurredOn: filedOn,
        endsOn: null,
        recordedAt: recordedOn(filedOn),
        year: y.year,
        revenueFen: y.revenueFen,
        taxPaidFen: Math.round(y.revenueFen * rate),
      });
    }
  }
  await insertRows(em, TaxProfile, profiles);
  await insertRows(em, TaxYear, years);
}
