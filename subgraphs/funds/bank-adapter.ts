/**
 * What the payment service needs from a bank (the contract's `BankAdapter`, I10-CONTRACT.md "The
 * bank"). The simulated bank (funds/bank/) and a real agent bank's adapter both satisfy this
 * structurally; the service depends only on this shape.
 */
export interface BankOrder {
  /** The idempotency key: the payment order's id, the same on every retry. */
  orderId: string;
  payeeAccount: string;
  payeeBank: string;
  amountFen: number;
  memo: string;
}

export interface BankAnswer {
  state: 'SETTLED' | 'FAILED' | 'RETURNED';
  bankReference: string;
  reason?: string;
  at: string | Date;
}

export interface StatementLine {
  orderId: string;
  bankReference: string;
  amountFen: number;
  state: 'SETTLED' | 'RETURNED' | string;
  at: string | Date;
  [key: string]: unknown;
}

export interface BankAdapterLike {
  send(order: BankOrder): Promise<BankAnswer>;
  status(orderId: string): Promise<BankAnswer | null>;
  statement(fromDate: string, toDate: string): Promise<StatementLine[]>;
}

/** A timeout is thrown as an error named `BankTimeout` (the bank's class or any error of that name). */
export const isBankTimeout = (error: unknown): boolean => error instanceof Error && (error.name === 'BankTimeout' || error.constructor?.name === 'BankTimeout');
