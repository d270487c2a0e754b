import { defineSubgraph } from '../kit/subgraph';
import { ApplicationPaymentResolver, PaymentOrderFieldsResolver } from './payment.resolver';
import { ApplicationReference, applicationReference } from './application.stub';
import { BudgetEntry, BudgetIndicator, PaymentOrder, ReconciliationReport } from './entities';
import { createFundsLoaders, type FundsLoaders } from './loaders';
import { postgresqlMigrations, sqliteMigrations } from './migrations';

/**
 * 一站兑付: budgets (预算指标, a ledger per policy, year, level and region) and payment orders
 * (支付令) the one payer, the Approval Bureau, sends to the agent bank (docs/funds.md).
 */
export const fundsSubgraph = defineSubgraph<FundsLoaders>({
  name: 'funds',
  owner: '县财政局（预算）· 县行政审批局（兑付）',
  department: 'FINANCE',
  resolvers: [PaymentOrderFieldsResolver, ApplicationPaymentResolver],
  orphanedTypes: [ApplicationReference],
  entities: [BudgetIndicator, BudgetEntry, PaymentOrder, ReconciliationReport],
  migrations: { sqlite: sqliteMigrations, postgresql: postgresqlMigrations },
  createLoaders: (em) => createFundsLoaders(em),
  referenceResolvers: {
    Application: { __resolveReference: (reference: Record<string, unknown>) => applicationReference(reference) },
  },
});
