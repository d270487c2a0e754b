import { parseCreditCode } from '../../../platform/credit-code';
import { defineSubgraph } from '../../kit/subgraph';
import { seedTax } from './demo/seed';
import { EnterpriseReference } from './enterprise.reference';
import { createTaxLoaders, type TaxLoaders } from './loaders';
import { postgresqlMigrations, sqliteMigrations } from './migrations';
import { TaxProfile } from './tax-profile.entity';
import { EnterpriseTaxResolver, TaxProfileResolver } from './tax.resolver';

/**
 * 县税务局 — a joint-audit source, and the worked example of a department's own subgraph built with
 * the kit: it owns its records (TaxProfile) and adds `Enterprise.tax` by credit code.
 */
export const taxSubgraph = defineSubgraph<TaxLoaders>({
  name: 'tax',
  owner: '县税务局',
  department: 'TAX',
  resolvers: [TaxProfileResolver, EnterpriseTaxResolver],
  orphanedTypes: [EnterpriseReference],
  entities: [TaxProfile],
  migrations: { sqlite: sqliteMigrations, postgresql: postgresqlMigrations },
  createLoaders: (em) => createTaxLoaders(em),
  seed: seedTax,
  referenceResolvers: {
    // Nothing to load: `tax` is resolved from the key; validating the key is all there is to do.
    Enterprise: {
      __resolveReference: (reference: { creditCode: unknown }) => ({ creditCode: parseCreditCode(reference.creditCode) }),
    },
  },
});
