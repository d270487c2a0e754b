import { Entity, Enum, Property } from '@mikro-orm/core';
import { registerEnumType } from 'type-graphql';
import { SourceRecord } from '../kit';

export enum BankAccountType {
  /** 基本存款账户: one per enterprise, its main settlement account. */
  BASIC = 'BASIC',
  /** 一般存款账户. */
  GENERAL = 'GENERAL',
}
registerEnumType(BankAccountType, { name: 'BankAccountType', valuesConfig: { BASIC: { description: '基本户' }, GENERAL: { description: '一般户' } } });

export enum BankAccountStatus {
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
  SUSPENDED = 'SUSPENDED',
}
registerEnumType(BankAccountStatus, {
  name: 'BankAccountStatus',
  valuesConfig: { OPEN: { description: '正常' }, CLOSED: { description: '已销户' }, SUSPENDED: { description: '久悬或冻结' } },
});

/**
 * A settlement account as the central bank's account management system (人民币银行结算账户管理系统)
 * knows it. Not a GraphQL type: the number is served masked or unmasked by role, through a view.
 * `occurredOn` opened, `endsOn` closed; `creditCode` is the holder.
 */
@Entity({ tableName: 'bank_account' })
export class BankAccount extends SourceRecord {
  @Property({ type: 'string', length: 32, index: true })
  accountNumber!: string;

  @Property({ type: 'string', length: 100 })
  bankName!: string;

  @Property({ type: 'string', length: 200 })
  holderName!: string;

  @Enum({ items: () => BankAccountType })
  accountType!: BankAccountType;

  @Enum({ items: () => BankAccountStatus })
  status!: BankAccountStatus;
}
