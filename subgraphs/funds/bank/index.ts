import { SimulatedBank, type BankDatabase, type SimulatedBankOptions } from './simulated-bank';
import type { BankAdapter } from './adapter';

export * from './adapter';
export * from './simulated-bank';
export * from './simulate.resolver';
export { SIMULATED_BANK_ENTITIES, SimBankAccount, SimBankFault, SimBankLine, SimBankOrder } from './simulated-bank.entities';

/** The adapters `BANK_ADAPTER` may name. A real agent bank's adapter is added here (docs/funds-bank.md). */
export const BANK_ADAPTERS = ['simulated'] as const;
export type BankAdapterName = (typeof BANK_ADAPTERS)[number];

/**
 * The bank adapter configured by `BANK_ADAPTER` (default `simulated`). An unknown name fails the
 * start rather than paying through something nobody chose.
 */
export function createBankAdapter(name: string | undefined, database: BankDatabase, options: SimulatedBankOptions = {}): BankAdapter {
  switch (name ?? 'simulated') {
    case 'simulated':
      return new SimulatedBank(database, options);
    default:
      throw new Error(`BANK_ADAPTER=${name}: unknown bank adapter (known: ${BANK_ADAPTERS.join(', ')})`);
  }
}
