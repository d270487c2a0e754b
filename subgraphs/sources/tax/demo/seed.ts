import type { EntityManager } from '@mikro-orm/core';
import { generateEnterprises } from '../../../../demo/population';
import type { SeedOptions } from '../../../kit/subgraph';
import { TaxCreditRating, TaxProfile } from '../tax-profile.entity';

/** Deterministic per enterprise: the same code always gets the same rating, in every run. */
function hash(text: string): number {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h;
}

/**
 * The tax bureau's own records of the demo population (the same deterministic enterprises the
 * registry seeds): about 9 in 10 enterprises have a tax profile; ratings and arrears are skewed
 * like a real county (mostly B, a few C/D carrying arrears).
 */
export async function seedTax(em: EntityManager, { demo, demoEnterprises }: SeedOptions): Promise<void> {
  if (!demo || (await em.count(TaxProfile, {})) > 0) return;
  for (const enterprise of generateEnterprises({ count: demoEnterprises })) {
    const h = hash(enterprise.creditCode);
    if (h % 10 === 9) continue;
    const bucket = (h >>> 4) % 100;
    const rating =
      bucket < 15 ? TaxCreditRating.A : bucket < 70 ? TaxCreditRating.B : bucket < 88 ? TaxCreditRating.M : bucket < 96 ? TaxCreditRating.C : TaxCreditRating.D;
    const owes = rating === TaxCreditRating.D || (rating === TaxCreditRating.C && (h >>> 12) % 2 === 0);
    em.create(TaxProfile, {
      creditCode: enterprise.creditCode,
      regionCode: enterprise.regionCode,
      creditRating: rating,
      ratingYear: 2025,
      arrearsFen: owes ? ((h >>> 8) % 5_000_000) * 100 + ((h >>> 3) % 100) : 0,
      lastFiledOn: `2026-${String(1 + ((h >>> 16) % 10)).padStart(2, '0')}-15`,
    });
  }
  await em.flush();
}
