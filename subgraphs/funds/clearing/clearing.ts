import { DEPARTMENTS } from '../../../platform/directory';

/**
 * 年度清算 (annual clearing) as plain arithmetic over rows: the funds subgraph loads a year's
 * indicators, their ledger entries and the year's payment orders, and this module adds them up per
 * department and policy. Kept free of the ORM so the figures are unit-tested on their own and the
 * GraphQL query and both exports (CSV, XLSX) show the very same numbers.
 */

export type ClearingLevel = 'CITY' | 'COUNTY';
export type ClearingEntryKind = 'ASSIGN' | 'ADJUST' | 'HOLD' | 'RELEASE' | 'SPEND';
export type ClearingOrderStatus = 'WAITING_BUDGET' | 'PENDING' | 'SENT' | 'SETTLED' | 'FAILED' | 'RETURNED';

export interface ClearingIndicatorRow {
  id: string;
  policyId: string;
  level: ClearingLevel;
  department: string | null;
}

export interface ClearingEntryRow {
  indicatorId: string;
  kind: ClearingEntryKind;
  /** Signed for ADJUST, positive for every other kind. */
  amountFen: number;
}

export interface ClearingOrderRow {
  policyId: string;
  department: string | null;
  status: ClearingOrderStatus;
  amountFen: number;
  cityFen: number;
  countyFen: number;
}

/** One line of the clearing: a policy of a department. Every figure is integer fen. */
export interface ClearingLine {
  department: string | null;
  departmentName: string | null;
  policyId: string;
  policyTitle: string | null;
  /** 预算指标: assigned plus adjustments, from the ledger (ASSIGN + ADJUST), both levels. */
  budgetFen: number;
  cityBudgetFen: number;
  countyBudgetFen: number;
  /** 已支付: the SETTLED orders' amounts. */
  paidFen: number;
  /** 其中市级承担 / 县级承担: the SETTLED orders' city and county parts (paid = city + county). */
  cityPaidFen: number;
  countyPaidFen: number;
  /** 在途占用: orders holding budget, not yet settled (PENDING, SENT). */
  heldFen: number;
  /** 待支付: awarded but neither paid nor holding budget (WAITING_BUDGET, FAILED, RETURNED). */
  outstandingFen: number;
  /** 结余: budget − held − paid. */
  remainingFen: number;
  /** SPEND entries of the ledger; equal to paidFen when the ledger and the orders agree. */
  ledgerSpentFen: number;
  paidCount: number;
  heldCount: number;
  outstandingCount: number;
}

export interface ClearingReport {
  lines: ClearingLine[];
  total: ClearingLine;
}

const HOLDING: ReadonlySet<ClearingOrderStatus> = new Set(['PENDING', 'SENT']);
const OUTSTANDING: ReadonlySet<ClearingOrderStatus> = new Set(['WAITING_BUDGET', 'FAILED', 'RETURNED']);

const DEPARTMENT_NAMES = new Map(DEPARTMENTS.map((d) => [d.code, d.name]));

/** The directory's name of a department code (`360732-EDZ` → 兴国经济开发区管理委员会). */
export function departmentName(code: string | null): string | null {
  return code ? (DEPARTMENT_NAMES.get(code) ?? null) : null;
}

function emptyLine(department: string | null, policyId: string): ClearingLine {
  return {
    department,
    departmentName: departmentName(department),
    policyId,
    policyTitle: null,
    budgetFen: 0,
    cityBudgetFen: 0,
    countyBudgetFen: 0,
    paidFen: 0,
    cityPaidFen: 0,
    countyPaidFen: 0,
    heldFen: 0,
    outstandingFen: 0,
    remainingFen: 0,
    ledgerSpentFen: 0,
    paidCount: 0,
    heldCount: 0,
    outstandingCount: 0,
  };
}

const FIGURES = [
  'budgetFen',
  'cityBudgetFen',
  'countyBudgetFen',
  'paidFen',
  'cityPaidFen',
  'countyPaidFen',
  'heldFen',
  'outstandingFen',
  'remainingFen',
  'ledgerSpentFen',
  'paidCount',
  'heldCount',
  'outstandingCount',
] as const satisfies readonly (keyof ClearingLine)[];

function add(sum: number, fen: number): number {
  const next = sum + fen;
  // Integer fen stays exact only below 2^53: a total past it is refused, never rounded.
  if (!Number.isSafeInteger(next)) throw new RangeError(`清算合计超出可精确表示的金额范围：${sum} + ${fen}`);
  return next;
}

/**
 * Adds up a year's rows per (department, policy), sorted by department then policy, with a total
 * line. The orders' department is the one the case was decided by; an indicator's is its policy's
 * department (the two agree for a policy; a line is keyed by both so neither hides the other).
 */
export function computeClearing(input: {
  indicators: readonly ClearingIndicatorRow[];
  entries: readonly ClearingEntryRow[];
  orders: readonly ClearingOrderRow[];
  policyTitles?: ReadonlyMap<string, string>;
}): ClearingReport {
  const lines = new Map<string, ClearingLine>();
  const lineOf = (department: string | null, policyId: string) => {
    const key = `${department ?? ''}\u0000${policyId}`;
    let line = lines.get(key);
    if (!line) lines.set(key, (line = emptyLine(department, policyId)));
    return line;
  };
  const indicators = new Map(input.indicators.map((i) => [i.id, i]));
  for (const i of input.indicators) lineOf(i.department, i.policyId);

  for (const entry of input.entries) {
    const indicator = indicators.get(entry.indicatorId);
    // Entries of indicators outside the loaded scope (another region, another year) do not count.
    if (!indicator) continue;
    const line = lineOf(indicator.department, indicator.policyId);
    if (entry.kind === 'ASSIGN' || entry.kind === 'ADJUST') {
      line.budgetFen = add(line.budgetFen, entry.amountFen);
      if (indicator.level === 'CITY') line.cityBudgetFen = add(line.cityBudgetFen, entry.amountFen);
      else line.countyBudgetFen = add(line.countyBudgetFen, entry.amountFen);
    } else if (entry.kind === 'SPEND') line.ledgerSpentFen = add(line.ledgerSpentFen, entry.amountFen);
  }

  for (const order of input.orders) {
    const line = lineOf(order.department, order.policyId);
    if (order.status === 'SETTLED') {
      line.paidFen = add(line.paidFen, order.amountFen);
      line.cityPaidFen = add(line.cityPaidFen, order.cityFen);
      line.countyPaidFen = add(line.countyPaidFen, order.countyFen);
      line.paidCount += 1;
    } else if (HOLDING.has(order.status)) {
      line.heldFen = add(line.heldFen, order.amountFen);
      line.heldCount += 1;
    } else if (OUTSTANDING.has(order.status)) {
      line.outstandingFen = add(line.outstandingFen, order.amountFen);
      line.outstandingCount += 1;
    }
  }

  const sorted = [...lines.values()].sort(
    (a, b) => (a.department ?? '').localeCompare(b.department ?? '') || a.policyId.localeCompare(b.policyId),
  );
  const total = emptyLine(null, '');
  for (const line of sorted) {
    line.policyTitle = input.policyTitles?.get(line.policyId) ?? null;
    line.remainingFen = line.budgetFen - line.heldFen - line.paidFen;
    for (const figure of FIGURES) total[figure] = add(total[figure], line[figure]);
  }
  total.departmentName = '合计';
  return { lines: sorted, total };
}

/** Integer fen as yuan text with exactly two decimals, computed on integers (no float rounding). */
export function fenToYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
