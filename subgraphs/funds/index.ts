import { defineSubgraph } from '../kit/subgraph';
import { awaitingPaymentConsumer } from './awaiting-payment.consumer';
import { BudgetResolver } from './budget.resolver';
import { ClearingResolver } from './clearing/clearing.resolver';
import { clearingExport } from './clearing/export';
import { FiscalYearClosure } from './clearing/fiscal-year.entity';
import { ApplicationPaymentResolver, PaymentOrderResolver } from './payment.resolver';
import { reconcileJob } from './reconcile.job';
import { ApplicationReference, applicationReference } from './application.stub';
import { BudgetEntry, BudgetIndicator, PaymentOrder, ReconciliationReport } from './entities';
import { SIMULATED_BANK_ENTITIES, simulateBankFaultResolver } from './bank';
import { bankOf } from './bank-of';
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
  // simulateBankFault (ADMIN, demos): the bank helper's resolver over this subgraph's configured adapter.
  resolvers: [BudgetResolver, PaymentOrderResolver, ApplicationPaymentResolver, ClearingResolver, simulateBankFaultResolver((ctx) => bankOf(ctx.em, ctx.services))],
  consumers: [awaitingPaymentConsumer],
  jobs: [reconcileJob],
  orphanedTypes: [ApplicationReference],
  entities: [BudgetIndicator, BudgetEntry, PaymentOrder, ReconciliationReport, FiscalYearClosure, ...SIMULATED_BANK_ENTITIES],
  migrations: { sqlite: sqliteMigrations, postgresql: postgresqlMigrations },
  createLoaders: (em) => createFundsLoaders(em),
  // 年度清算 as a file (funds/clearing/export.ts): GET /exports/funds/clearing at the gateway.
  exports: { clearing: clearingExport },
  referenceResolvers: {
    Application: { __resolveReference: (reference: Record<string, unknown>) => applicationReference(reference) },
  },
});
