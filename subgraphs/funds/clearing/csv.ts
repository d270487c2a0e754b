import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { fenToYuan, type ClearingLine, type ClearingReport } from './clearing';
import { CLEARING_COLUMNS, CLEARING_HEADERS, guardFormula } from './columns';

/** One line as CSV cells: text guarded against formulas, money as exact 元 text. */
export function csvCells(line: ClearingLine): string[] {
  return CLEARING_COLUMNS.map((column) => {
    if (column.kind === 'text') return guardFormula(column.value(line) ?? '');
    if (column.kind === 'money') return fenToYuan(column.value(line));
    return String(column.value(line));
  });
}

/**
 * Writes the clearing as CSV a clerk opens in Excel as is: UTF-8 with a BOM (without it Excel reads
 * Chinese as GBK mojibake), Chinese headers, one line per department and policy, a 合计 line last.
 * csv-stringify quotes commas, quotes and line breaks (RFC 4180). Resolves when `out` has finished.
 */
export async function writeClearingCsv(report: ClearingReport, out: Writable): Promise<void> {
  const csv = stringify({ header: true, columns: CLEARING_HEADERS, bom: true, record_delimiter: 'windows' });
  csv.pipe(out);
  for (const line of [...report.lines, report.total]) {
    // Backpressure: wait for a slow client rather than buffer.
    if (!csv.write(csvCells(line))) await once(csv, 'drain');
  }
  csv.end();
  await finished(out);
}
