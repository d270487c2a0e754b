import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import type { ClearingReport } from './clearing';
import { CLEARING_COLUMNS } from './columns';

/** 元 with thousands separators and two decimals, negative in red: the format finance sheets use. */
const YUAN_FORMAT = '#,##0.00;[Red]-#,##0.00';

/**
 * Writes the clearing as an XLSX workbook streamed with exceljs's WorkbookWriter: each row is
 * committed (written out) as soon as it is added, so memory does not grow with the report. Money
 * cells are numbers in 元 (fen / 100, exact to the fen for any budget below 2^53 fen) formatted
 * with two decimals, so a clerk can sum them; text cells are string cells, never formulas, so a
 * policy title starting with "=" stays text. Resolves when `out` has finished.
 */
export async function writeClearingXlsx(report: ClearingReport, out: Writable, meta: { fiscalYear: number; regionCode: string }): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'qinqing-hub funds';
  workbook.created = new Date();
  const sheet = workbook.addWorksheet(`${meta.fiscalYear}年度清算`, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = CLEARING_COLUMNS.map((column) => ({
    header: column.header,
    width: column.width,
    style: column.kind === 'money' ? { numFmt: YUAN_FORMAT } : {},
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  for (const line of [...report.lines, report.total]) {
    const row = sheet.addRow(
      CLEARING_COLUMNS.map((column) => {
        if (column.kind === 'text') return column.value(line) ?? '';
        if (column.kind === 'money') return column.value(line) / 100;
        return column.value(line);
      }),
    );
    if (line === report.total) row.font = { bold: true };
    row.commit();
  }
  sheet.commit();
  await workbook.commit();
  await finished(out);
}
