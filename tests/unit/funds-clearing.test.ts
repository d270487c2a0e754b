import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { computeClearing, fenToYuan, type ClearingEntryRow, type ClearingIndicatorRow, type ClearingOrderRow, type ClearingOrderStatus } from '../../subgraphs/funds/clearing/clearing';
import { CLEARING_HEADERS, guardFormula } from '../../subgraphs/funds/clearing/columns';
import { writeClearingCsv } from '../../subgraphs/funds/clearing/csv';
import { writeClearingXlsx } from '../../subgraphs/funds/clearing/xlsx';

/** RFC 4180 as Excel reads it: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += c;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}

async function collect(write: (out: PassThrough) => Promise<void>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  await write(out);
  return Buffer.concat(chunks);
}

const MIIT = '360732-MIIT';
const EDZ = '360732-EDZ';

/** A small year: a city policy of MIIT split over two indicators, a county policy of the EDZ. */
function sampleYear() {
  const indicators: ClearingIndicatorRow[] = [
    { id: 'c1', policyId: 'XG-2026-001', level: 'CITY', department: MIIT },
    { id: 'k1', policyId: 'XG-2026-001', level: 'COUNTY', department: MIIT },
    { id: 'k2', policyId: 'XG-2026-008', level: 'COUNTY', department: EDZ },
  ];
  const entries: ClearingEntryRow[] = [
    { indicatorId: 'c1', kind: 'ASSIGN', amountFen: 600_000_01 },
    { indicatorId: 'k1', kind: 'ASSIGN', amountFen: 400_000_00 },
    { indicatorId: 'k1', kind: 'ADJUST', amountFen: -100_00 },
    { indicatorId: 'k2', kind: 'ASSIGN', amountFen: 50_000_00 },
    { indicatorId: 'c1', kind: 'HOLD', amountFen: 60_00 },
    { indicatorId: 'c1', kind: 'SPEND', amountFen: 60_00 },
    { indicatorId: 'k1', kind: 'HOLD', amountFen: 41_01 },
    { indicatorId: 'k1', kind: 'SPEND', amountFen: 41_01 },
    // An entry of an indicator outside the year's scope is not counted.
    { indicatorId: 'other-year', kind: 'ASSIGN', amountFen: 1 },
  ];
  const orders: ClearingOrderRow[] = [
    { policyId: 'XG-2026-001', department: MIIT, status: 'SETTLED', amountFen: 101_01, cityFen: 60_00, countyFen: 41_01 },
    { policyId: 'XG-2026-001', department: MIIT, status: 'SENT', amountFen: 10_00, cityFen: 6_00, countyFen: 4_00 },
    { policyId: 'XG-2026-001', department: MIIT, status: 'RETURNED', amountFen: 3_00, cityFen: 1_80, countyFen: 1_20 },
    { policyId: 'XG-2026-008', department: EDZ, status: 'WAITING_BUDGET', amountFen: 60_000_00, cityFen: 0, countyFen: 60_000_00 },
    { policyId: 'XG-2026-008', department: EDZ, status: 'PENDING', amountFen: 7_00, cityFen: 0, countyFen: 7_00 },
  ];
  return { indicators, entries, orders, policyTitles: new Map([['XG-2026-001', '=HYPERLINK("http://x","规上,工业\n"企业"奖励")'], ['XG-2026-008', '招商引资项目落户奖励']]) };
}

describe('computeClearing', () => {
  it('adds budget, paid (city and county parts), held, outstanding and remaining per department and policy, with a total', () => {
    const report = computeClearing(sampleYear());
    expect(report.lines.map((l) => [l.department, l.policyId])).toEqual([
      [EDZ, 'XG-2026-008'],
      [MIIT, 'XG-2026-001'],
    ]);
    const [edz, miit] = report.lines;
    expect(miit).toMatchObject({
      departmentName: '兴国县工业和信息化局',
      budgetFen: 600_000_01 + 400_000_00 - 100_00,
      cityBudgetFen: 600_000_01,
      countyBudgetFen: 399_900_00,
      paidFen: 101_01,
      cityPaidFen: 60_00,
      countyPaidFen: 41_01,
      ledgerSpentFen: 101_01,
      heldFen: 10_00,
      outstandingFen: 3_00,
      remainingFen: 600_000_01 + 400_000_00 - 100_00 - 10_00 - 101_01,
      paidCount: 1,
      heldCount: 1,
      outstandingCount: 1,
    });
    expect(edz).toMatchObject({ departmentName: '兴国经济开发区管理委员会', budgetFen: 50_000_00, paidFen: 0, heldFen: 7_00, outstandingFen: 60_000_00, remainingFen: 49_993_00 });
    expect(report.total).toMatchObject({ departmentName: '合计', budgetFen: miit.budgetFen + edz.budgetFen, paidFen: 101_01, heldFen: 17_00, outstandingFen: 60_003_00 });
  });

  it('over random years every figure is the sum of its rows and budget = paid + held + remaining', () => {
    const status = fc.constantFrom<ClearingOrderStatus>('WAITING_BUDGET', 'PENDING', 'SENT', 'SETTLED', 'FAILED', 'RETURNED');
    const policy = fc.constantFrom('P1', 'P2', 'P3');
    const department = fc.constantFrom('360732-MIIT', '360732-EDZ', null);
    fc.assert(
      fc.property(
        fc.array(fc.record({ policyId: policy, department, level: fc.constantFrom<'CITY' | 'COUNTY'>('CITY', 'COUNTY'), assign: fc.integer({ min: 0, max: 1e12 }), adjust: fc.integer({ min: -1e6, max: 1e6 }) }), { maxLength: 8 }),
        fc.array(fc.record({ policyId: policy, department, status, amountFen: fc.integer({ min: 1, max: 1e10 }), cityBp: fc.integer({ min: 0, max: 10000 }) }), { maxLength: 40 }),
        (budgets, rawOrders) => {
          const indicators = budgets.map((b, i) => ({ id: `i${i}`, policyId: b.policyId, level: b.level, department: b.department }));
          const entries: ClearingEntryRow[] = budgets.flatMap((b, i) => [
            { indicatorId: `i${i}`, kind: 'ASSIGN' as const, amountFen: b.assign },
            { indicatorId: `i${i}`, kind: 'ADJUST' as const, amountFen: b.adjust },
          ]);
          const orders = rawOrders.map((o) => {
            // The funds rounding rule: the city part is floored, the county takes the odd fen.
            const cityFen = Math.floor((o.amountFen * o.cityBp) / 10000);
            return { policyId: o.policyId, department: o.department, status: o.status, amountFen: o.amountFen, cityFen, countyFen: o.amountFen - cityFen };
          });
          const report = computeClearing({ indicators, entries, orders });
          const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
          for (const line of report.lines) {
            const mine = orders.filter((o) => o.department === line.department && o.policyId === line.policyId);
            const settled = mine.filter((o) => o.status === 'SETTLED');
            expect(line.paidFen).toBe(sum(settled.map((o) => o.amountFen)));
            expect(line.cityPaidFen + line.countyPaidFen).toBe(line.paidFen);
            expect(line.heldFen).toBe(sum(mine.filter((o) => o.status === 'PENDING' || o.status === 'SENT').map((o) => o.amountFen)));
            expect(line.paidFen + line.heldFen + line.outstandingFen).toBe(sum(mine.map((o) => o.amountFen)));
            expect(line.budgetFen).toBe(line.paidFen + line.heldFen + line.remainingFen);
            expect(line.budgetFen).toBe(line.cityBudgetFen + line.countyBudgetFen);
          }
          expect(report.total.paidFen).toBe(sum(orders.filter((o) => o.status === 'SETTLED').map((o) => o.amountFen)));
          expect(report.total.budgetFen).toBe(sum(budgets.map((b) => b.assign + b.adjust)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a total past 2^53 fen instead of rounding it', () => {
    const indicators: ClearingIndicatorRow[] = [{ id: 'a', policyId: 'P', level: 'COUNTY', department: null }];
    const entries: ClearingEntryRow[] = [
      { indicatorId: 'a', kind: 'ASSIGN', amountFen: Number.MAX_SAFE_INTEGER },
      { indicatorId: 'a', kind: 'ADJUST', amountFen: 1 },
    ];
    expect(() => computeClearing({ indicators, entries, orders: [] })).toThrow(RangeError);
  });

  it('fen as yuan text is exact to the fen', () => {
    expect([0, 1, 99, 100, 123456789, -5, Number.MAX_SAFE_INTEGER].map(fenToYuan)).toEqual(['0.00', '0.01', '0.99', '1.00', '1234567.89', '-0.05', '90071992547409.91']);
  });
});

describe('clearing CSV', () => {
  it('is UTF-8 with a BOM, Chinese headers, exact yuan figures and a 合计 line', async () => {
    const report = computeClearing(sampleYear());
    const bytes = await collect((out) => writeClearingCsv(report, out));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes.toString('utf8').slice(1));
    expect(rows[0]).toEqual(CLEARING_HEADERS);
    expect(rows[0]).toContain('预算指标（元）');
    expect(rows).toHaveLength(1 + report.lines.length + 1);
    const miit = rows.find((r) => r[0] === MIIT)!;
    const at = (header: string) => CLEARING_HEADERS.indexOf(header);
    expect(miit[at('预算指标（元）')]).toBe('999900.01');
    expect(miit[at('已支付（元）')]).toBe('101.01');
    expect(miit[at('市级承担（元）')]).toBe('60.00');
    expect(miit[at('县级承担（元）')]).toBe('41.01');
    expect(rows.at(-1)![at('部门名称')]).toBe('合计');
    expect(rows.at(-1)![at('待支付（元）')]).toBe('60003.00');
  });

  it('quotes commas, quotes and line breaks, and opens a title starting with = as text', async () => {
    const report = computeClearing(sampleYear());
    const text = (await collect((out) => writeClearingCsv(report, out))).toString('utf8');
    const rows = parseCsv(text.slice(1));
    const miit = rows.find((r) => r[0] === MIIT)!;
    // The whole title survives as one cell, guarded by a leading apostrophe.
    expect(miit[CLEARING_HEADERS.indexOf('政策名称')]).toBe(`'=HYPERLINK("http://x","规上,工业\n"企业"奖励")`);
    expect(rows.every((r) => r.length === CLEARING_HEADERS.length)).toBe(true);
  });

  it('guards every formula lead character, leaves other text alone', () => {
    expect(['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1'].map(guardFormula)).toEqual(["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\t=1", "'\r=1"]);
    expect(['规上工业', 'a=b', ''].map(guardFormula)).toEqual(['规上工业', 'a=b', '']);
  });
});

describe('clearing XLSX', () => {
  it('re-read with exceljs gives the headers, the same figures to the fen, and text (not formula) cells', async () => {
    const report = computeClearing(sampleYear());
    const bytes = await collect((out) => writeClearingXlsx(report, out, { fiscalYear: 2026, regionCode: '360732' }));
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('2026年度清算')!;
    expect(sheet).toBeDefined();
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(CLEARING_HEADERS);
    expect(sheet.rowCount).toBe(1 + report.lines.length + 1);
    const col = (header: string) => CLEARING_HEADERS.indexOf(header) + 1;
    for (const [index, line] of [...report.lines, report.total].entries()) {
      const row = sheet.getRow(index + 2);
      expect(Math.round((row.getCell(col('预算指标（元）')).value as number) * 100)).toBe(line.budgetFen);
      expect(Math.round((row.getCell(col('已支付（元）')).value as number) * 100)).toBe(line.paidFen);
      expect(Math.round((row.getCell(col('市级承担（元）')).value as number) * 100)).toBe(line.cityPaidFen);
      expect(Math.round((row.getCell(col('县级承担（元）')).value as number) * 100)).toBe(line.countyPaidFen);
      expect(Math.round((row.getCell(col('结余（元）')).value as number) * 100)).toBe(line.remainingFen);
      expect(row.getCell(col('已支付笔数')).value).toBe(line.paidCount);
      expect(row.getCell(col('预算指标（元）')).numFmt).toContain('#,##0.00');
    }
    const title = sheet.getRow(3).getCell(col('政策名称'));
    expect(title.type).toBe(ExcelJS.ValueType.String);
    expect(title.value).toBe('=HYPERLINK("http://x","规上,工业\n"企业"奖励")');
    expect(sheet.getRow(sheet.rowCount).getCell(col('部门名称')).value).toBe('合计');
  });
});
