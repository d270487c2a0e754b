import { defineSource, FindingCategory, FindingSeverity } from '../kit';
import { BankAccount, BankAccountStatus } from './bank-account.entity';
import { seedPboc } from './demo/seed';
import { postgresqlMigrations, sqliteMigrations } from './migrations';
import { BankAccountVerification, BankAccountVerificationResolver, Enterprise, EnterprisePbocResolver, isVerified, pboc, PbocAccounts } from './pboc.resolver';

const STATUS_NAMES: Record<BankAccountStatus, string> = { OPEN: '正常', CLOSED: '已销户', SUSPENDED: '久悬或冻结' };

/** 人民银行兴国县支行: settlement accounts by holder, and the account verification payments need. */
export const pbocSubgraph = defineSource({
  info: pboc,
  enterprise: Enterprise,
  records: BankAccount,
  findings: (accounts, { asOf }) => {
    if (isVerified(accounts)) return [];
    const basic = accounts.find((a) => a.accountType === 'BASIC') ?? accounts[0];
    const today = asOf.toISOString().slice(0, 10);
    return [
      {
        category: FindingCategory.ACCOUNT_NOT_VERIFIED,
        severity: FindingSeverity.SERIOUS,
        occurredOn: basic ? (basic.endsOn ?? basic.recordedAt.toISOString().slice(0, 10)) : today,
        endsOn: null,
        reference: basic?.reference ?? '人民币银行结算账户管理系统查询',
        reason: basic
          ? `企业没有正常状态的结算账户：基本户（${basic.bankName}）状态为${STATUS_NAMES[basic.status]}`
          : '人民银行账户管理系统中没有以该企业为户名的结算账户',
        recordedAt: basic?.recordedAt ?? asOf,
      },
    ];
  },
  resolvers: [EnterprisePbocResolver, BankAccountVerificationResolver],
  orphanedTypes: [PbocAccounts, BankAccountVerification],
  entities: [BankAccount],
  migrations: { sqlite: sqliteMigrations, postgresql: postgresqlMigrations },
  seed: seedPboc,
});
