import { defineSource, FindingCategory, FindingSeverity, type Finding } from '../kit';
import { seedTax } from './demo/seed';
import { EnterpriseReference } from './enterprise.reference';
import { createTaxLoaders } from './loaders';
import { postgresqlMigrations, sqliteMigrations } from './migrations';
import { TaxCreditRating, TaxProfile, TaxYear } from './tax-profile.entity';
import { EnterpriseTaxResolver, Population, PopulationTaxResolver, tax, TaxProfileResolver } from './tax.resolver';

const yuan = (fen: number) => (fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2 });

function taxFindings(profile: TaxProfile): Finding[] {
  const findings: Finding[] = [];
  if (profile.creditRating === TaxCreditRating.D) {
    findings.push({
      category: FindingCategory.TAX_CREDIT_D,
      severity: FindingSeverity.SERIOUS,
      occurredOn: profile.ratedOn ?? `${profile.ratingYear + 1}-04-30`,
      endsOn: null,
      reference: profile.reference ?? `${profile.ratingYear}年度纳税信用评价`,
      reason: `${profile.ratingYear} 年度纳税信用评价为 D 级`,
      recordedAt: profile.recordedAt,
    });
  }
  if (profile.arrearsFen > 0) {
    findings.push({
      category: FindingCategory.TAX_ARREARS,
      severity: profile.arrearsFen >= 100_000_000 ? FindingSeverity.SERIOUS : FindingSeverity.MINOR,
      occurredOn: profile.arrearsSince ?? profile.lastFiledOn,
      endsOn: null,
      reference: profile.arrearsReference ?? '欠税记录',
      reason: `欠缴税款 ${yuan(profile.arrearsFen)} 元${profile.arrearsSince ? `（自 ${profile.arrearsSince} 起）` : ''}`,
      recordedAt: profile.recordedAt,
    });
  }
  return findings;
}

/**
 * 县税务局 — a joint-audit source, and the worked example of a department's own subgraph: it owns
 * its records (TaxProfile, TaxYear) and adds `Enterprise.tax` and `Enterprise.taxFindings`.
 */
export const taxSubgraph = defineSource({
  info: tax,
  enterprise: EnterpriseReference,
  records: TaxProfile,
  findings: (profiles) => profiles.flatMap(taxFindings),
  population: Population,
  resolvers: [TaxProfileResolver, EnterpriseTaxResolver, PopulationTaxResolver],
  entities: [TaxProfile, TaxYear],
  migrations: { sqlite: sqliteMigrations, postgresql: postgresqlMigrations },
  loaders: (em) => createTaxLoaders(em),
  seed: seedTax,
});
