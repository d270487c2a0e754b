/**
 * The agent bank (代理银行) as the funds subgraph sees it. The payer (the Approval Bureau) sends
 * each payment order once per idempotency key — the order id — and the bank books it or not.
 * Everything the funds subgraph knows about money leaving is what this interface answers, so a
 * real bank's adapter (its API, its file exchange) implements exactly this. See docs/funds-bank.md.
 */

/** One payment instruction. `orderId` is the idempotency key: the bank pays an order id at most once. */
export interface BankOrder {
  orderId: string;
  /** Payee's account number (收款账号) and bank (开户行), as the enterprise declared them. */
  payeeAccount: string;
  payeeBank: string;
  /** Integer fen, > 0. */
  amountFen: number;
  /** 附言: what the payee sees on their statement (the policy and case). */
  memo: string;
}

/** What the bank says about an order: booked (SETTLED), refused (FAILED) or booked then sent back (RETURNED). */
export type BankState = 'SETTLED' | 'FAILED' | 'RETURNED';

export interface BankAnswer {
  state: BankState;
  /** The bank's own reference of the transfer (流水号): the payment proof. */
  bankReference: string;
  /** The bank's reason for FAILED or RETURNED. */
  reason?: string;
  /** When the bank booked, refused or returned it. */
  at: Date;
}

/**
 * One line of the payer account's statement (对账单): one per settled transfer (TRANSFER, money
 * out) and one per return (RETURN, money back). Refused orders move no money and have no line.
 * (A type, not an interface: it is assignable to index-signature shapes such as `Record<string, unknown>`.)
 */
export type StatementLine = {
  /** Order of the lines on the statement (increasing). */
  seq: number;
  /** The bank's booking date, YYYY-MM-DD in China (Asia/Shanghai). */
  date: string;
  at: Date;
  kind: 'TRANSFER' | 'RETURN';
  /** What the line tells of its order: TRANSFER → SETTLED (money out), RETURN → RETURNED (money back). */
  state: 'SETTLED' | 'RETURNED';
  orderId: string;
  bankReference: string;
  /** Always positive; `kind` says the direction. */
  amountFen: number;
  payeeAccount: string;
  payeeBank: string;
  memo: string;
  /** RETURN: the bank's reason. */
  reason?: string;
  /** The payer account's balance after this line. */
  balanceAfterFen: number;
};

/**
 * The bank did not answer in time. `booked` is what the bank knows and the caller does not: the
 * caller must treat the order as unknown (SENT) either way and ask `status()` or reconcile with
 * the statement later. (The simulation sets it so tests can say which case they made.)
 */
export class BankTimeout extends Error {
  override readonly name = 'BankTimeout';
  constructor(
    readonly orderId: string,
    readonly booked?: boolean,
  ) {
    super(`代理银行未在规定时间内答复支付指令 ${orderId}：结果未知，须查询或对账后确定`);
  }
}

export interface BankAdapter {
  /**
   * Sends an order. A second send of an id the bank has settled returns that first answer and
   * moves no money; an id whose last attempt FAILED (nothing moved) or was RETURNED (money came
   * back) is attempted afresh under the same id. Throws `BankTimeout` when the answer is unknown.
   */
  send(order: BankOrder): Promise<BankAnswer>;
  /** The bank's current answer for an order id, or null when it never booked nor refused it. */
  status(orderId: string): Promise<BankAnswer | null>;
  /** The payer account's statement lines booked from `fromDate` to `toDate` inclusive (YYYY-MM-DD, China). */
  statement(fromDate: string, toDate: string): Promise<StatementLine[]>;
}
