import { echo } from '../../platform/errors';
import { UUID } from '../kit/validation';

/** The applications subgraph's family and the event that makes a payment order (described again, not imported). */
export const APPLICATIONS_FAMILY = 'applications';
export const APPLICATION_AWAITING_PAYMENT = 'application.awaiting_payment';

/** This subgraph's family. */
export const FUNDS_FAMILY = 'funds';
/** An order settled: `PaymentSettledPayload`; the applications subgraph fires `pay` on it. */
export const PAYMENT_SETTLED = 'payment.settled';
/** An order waits for budget: `{ orderId, applicationId, policyId, fiscalYear, regionCode, department, reason, missingFen }` (the department and finance are told). */
export const PAYMENT_WAITING_BUDGET = 'payment.waiting_budget';
/** An order failed or was returned by the bank: `{ orderId, applicationId, status, reason, regionCode }` (the payer retries). */
export const PAYMENT_FAILED = 'payment.failed';

export interface PaymentSettledPayload {
  applicationId: string;
  orderId: string;
  amountFen: number;
  cityFen: number;
  countyFen: number;
  bankReference: string;
  settledAt: string;
  /** Masked (maskBankAccount): the account never travels in full in an event. */
  payeeAccount: string;
  payeeBank: string;
  policyId: string;
  regionCode: string;
  creditCode: string;
}

export interface AwaitingPaymentPayload {
  applicationId: string;
  receiptNumber?: string;
  policyId: string;
  department?: string;
  regionCode: string;
  creditCode: string;
  enterpriseName?: string;
  amountFen: number;
  payeeAccount: string;
  payeeBank: string;
}

const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && [...v].length <= max;

/** What is wrong with an `application.awaiting_payment` payload, or undefined (a malformed event is the producer's bug: thrown, retried, logged). */
export function awaitingPaymentProblem(p: Record<string, unknown>): string | undefined {
  const bad = (field: string) => `application.awaiting_payment: ${field} is missing or malformed (${echo(field === 'payeeAccount' ? typeof p[field] : p[field])})`;
  if (typeof p.applicationId !== 'string' || !UUID.test(p.applicationId)) return bad('applicationId');
  if (!isText(p.policyId, 20)) return bad('policyId');
  if (typeof p.regionCode !== 'string' || !/^\d{6}$/.test(p.regionCode)) return bad('regionCode');
  if (typeof p.creditCode !== 'string' || !/^[0-9A-Z]{18}$/.test(p.creditCode)) return bad('creditCode');
  if (typeof p.amountFen !== 'number' || !Number.isSafeInteger(p.amountFen) || p.amountFen <= 0) return bad('amountFen');
  if (!isText(p.payeeAccount, 40)) return bad('payeeAccount');
  if (!isText(p.payeeBank, 100)) return bad('payeeBank');
  if (p.department != null && !isText(p.department, 20)) return bad('department');
  if (p.receiptNumber != null && !isText(p.receiptNumber, 40)) return bad('receiptNumber');
  return undefined;
}
