import type { EntityManager } from '@mikro-orm/core';
import type { SeedOptions } from '../../../kit/subgraph';
import { addDays, demoPopulation, Dice, DEMO_FROM, DEMO_TODAY, insertRows, recordedOn, shouldSeed } from '../../kit';
import { BankAccount, BankAccountStatus, BankAccountType } from '../bank-account.entity';

const GENERAL_BANKS: [string, string, number][] = [
  ['中国建设银行', '3605', 19],
  ['中国工商银行', '1508', 19],
  ['赣州银行', '8060', 16],
  ['中国农业银行', '1443', 17],
];

/**
 * The registered account (the population's bankAccount) is the basic account: open for ~97 % of
 * the demo enterprises, closed or suspended for a few, missing for a handful; ~20 % also hold a
 * general account elsewhere.
 */
export async function seedPboc(em: EntityManager, { demo, demoEnterprises }: SeedOptions): Promise<void> {
  if (!(await shouldSeed(em, BankAccount, demo))) return;
  const rows: Partial<BankAccount>[] = [];
  let serial = 0;
  for (const e of demoPopulation(demoEnterprises)) {
    const dice = new Dice('pboc', e.creditCode);
    const roll = dice.next();
    const openedOn = addDays(e.registeredOn, dice.int(5, 60));
    const base = { creditCode: e.creditCode, regionCode: e.regionCode, source: 'pboc', holderName: e.name, occurredOn: openedOn };
    if (roll >= 0.005) {
      const status = roll < 0.97 ? BankAccountStatus.OPEN : roll < 0.99 ? BankAccountStatus.CLOSED : BankAccountStatus.SUSPENDED;
      // When it was closed or suspended: within the demo's years, after it was opened.
      const changedOn = status === BankAccountStatus.OPEN ? null : dice.day(openedOn > DEMO_FROM ? openedOn : DEMO_FROM, DEMO_TODAY);
      const endsOn = status === BankAccountStatus.CLOSED ? changedOn : null;
      rows.push({
        ...base, reference: `J${e.regionCode.slice(0, 4)}${String(++serial).padStart(9, '0')}01`, endsOn,
        recordedAt: recordedOn(changedOn ?? openedOn), accountNumber: e.bankAccount, bankName: e.bankName,
        accountType: BankAccountType.BASIC, status,
      });
    }
    if (dice.chance(0.2)) {
      const [brand, prefix, length] = dice.pick(GENERAL_BANKS);
      let number = prefix;
      while (number.length < length) number += String(dice.int(0, 9));
      const generalOpened = addDays(openedOn, dice.int(100, 1500));
      rows.push({
        ...base, occurredOn: generalOpened, reference: `${e.regionCode.slice(0, 4)}${String(++serial).padStart(9, '0')}02`, endsOn: null,
        recordedAt: recordedOn(generalOpened), accountNumber: number, bankName: `${brand}${e.regionCode === '360731' ? '于都' : '兴国'}支行`,
        accountType: BankAccountType.GENERAL, status: BankAccountStatus.OPEN,
      });
    }
  }
  await insertRows(em, BankAccount, rows);
}
