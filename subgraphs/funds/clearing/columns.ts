import type { ClearingLine } from './clearing';

/** A column of the clearing export: its Chinese header and either text or a fen figure. */
export type ClearingColumn =
  | { header: string; kind: 'text'; value: (line: ClearingLine) => string | null; width: number }
  | { header: string; kind: 'money'; value: (line: ClearingLine) => number; width: number }
  | { header: string; kind: 'count'; value: (line: ClearingLine) => number; width: number };

/** The clearing's columns in the order a 县财政局 clerk reads them; money in 元 with two decimals. */
export const CLEARING_COLUMNS: readonly ClearingColumn[] = [
  { header: '部门代码', kind: 'text', value: (l) => l.department, width: 14 },
  { header: '部门名称', kind: 'text', value: (l) => l.departmentName, width: 28 },
  { header: '政策编号', kind: 'text', value: (l) => l.policyId, width: 14 },
  { header: '政策名称', kind: 'text', value: (l) => l.policyTitle, width: 36 },
  { header: '预算指标（元）', kind: 'money', value: (l) => l.budgetFen, width: 16 },
  { header: '其中市级指标（元）', kind: 'money', value: (l) => l.cityBudgetFen, width: 16 },
  { header: '其中县级指标（元）', kind: 'money', value: (l) => l.countyBudgetFen, width: 16 },
  { header: '已支付（元）', kind: 'money', value: (l) => l.paidFen, width: 16 },
  { header: '市级承担（元）', kind: 'money', value: (l) => l.cityPaidFen, width: 16 },
  { header: '县级承担（元）', kind: 'money', value: (l) => l.countyPaidFen, width: 16 },
  { header: '在途占用（元）', kind: 'money', value: (l) => l.heldFen, width: 16 },
  { header: '待支付（元）', kind: 'money', value: (l) => l.outstandingFen, width: 16 },
  { header: '结余（元）', kind: 'money', value: (l) => l.remainingFen, width: 16 },
  { header: '已支付笔数', kind: 'count', value: (l) => l.paidCount, width: 10 },
  { header: '在途笔数', kind: 'count', value: (l) => l.heldCount, width: 10 },
  { header: '待支付笔数', kind: 'count', value: (l) => l.outstandingCount, width: 10 },
];

export const CLEARING_HEADERS = CLEARING_COLUMNS.map((c) => c.header);

/**
 * CSV injection: a text cell a person chose (a policy title) starting with = + - @ (or a tab or
 * carriage return, which Excel skips before looking) would open in Excel as a formula. Prefixing
 * an apostrophe makes Excel show it as text. Money figures are written by us and never guarded.
 */
export function guardFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
