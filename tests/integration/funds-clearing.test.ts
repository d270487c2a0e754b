import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { BudgetEntry, BudgetIndicator, PaymentOrder, type BudgetEntryKind, type BudgetLevel, type PaymentStatus } from '../../subgraphs/funds/entities';
import { assertFiscalYearOpen } from '../../subgraphs/funds/clearing/fiscal-year';
import { createOrder } from '../../subgraphs/funds/payment.service';
import { CLEARING_HEADERS } from '../../subgraphs/funds/clearing/columns';
import { makeCreditCode } from '../../platform/credit-code';
import { startTestGraph, type TestGraph } from '../support/graph';

/**
 * 年度清算 over the real graph: the figures of `annualClearing` and of both exports (through the
 * gateway) equal the sums of the ledger and the orders written in the funds database; who may read
 * which rows; closing a year and what a closed year refuses.
 *
 * The funds service's budget and payment functions are being built beside this (issue 10); the
 * rows are written here as they would write them (indicator totals kept equal to the ledger).
 */
const MIIT = '360732-MIIT';
const EDZ = '360732-EDZ';
const CITY_POLICY = 'XG-2026-001';
const EDZ_POLICY = 'XG-2026-008';

interface Seeded {
  indicators: BudgetIndicator[];
  entries: BudgetEntry[];
  orders: PaymentOrder[];
}

function seedRows(): Seeded {
  const now = new Date();
  const seeded: Seeded = { indicators: [], entries: [], orders: [] };
  const indicator = (policyId: string, fiscalYear: number, level: BudgetLevel, regionCode: string, department: string, assignFen: number, adjustFen = 0) => {
    const row = Object.assign(new BudgetIndicator(), {
      id: randomUUID(), policyId, fiscalYear, level, regionCode, department,
      assignedFen: assignFen + adjustFen, heldFen: 0, spentFen: 0, movedToPayer: true, movedAt: now, createdAt: now, updatedAt: now,
    });
    seeded.indicators.push(row);
    entry(row, 'ASSIGN', assignFen);
    if (adjustFen) entry(row, 'ADJUST', adjustFen);
    return row;
  };
  const entry = (on: BudgetIndicator, kind: BudgetEntryKind, amountFen: number, orderId: string | null = null) =>
    seeded.entries.push(Object.assign(new BudgetEntry(), { id: randomUUID(), indicatorId: on.id, kind, amountFen, orderId, reason: kind === 'ADJUST' ? '年中追加' : null, actor: 'test', at: now }));
  let serial = 0;
  const order = (status: PaymentStatus, amountFen: number, city: BudgetIndicator | null, county: BudgetIndicator, department: string) => {
    const cityFen = city ? Math.floor((amountFen * 6000) / 10000) : 0;
    const countyFen = amountFen - cityFen;
    const row = Object.assign(new PaymentOrder(), {
      id: randomUUID(), applicationId: randomUUID(), receiptNumber: null, policyId: county.policyId, fiscalYear: county.fiscalYear, regionCode: county.regionCode, department,
      creditCode: makeCreditCode({ authority: '9', entityType: '1', regionCode: '360732', orgBody8: `CL${String(++serial).padStart(6, '0')}` }), enterpriseName: null, amountFen, cityFen, countyFen,
      payeeAccount: '6228480000000001', payeeBank: '江西兴国农村商业银行', status, waitingReason: status === 'WAITING_BUDGET' ? '指标不足' : null,
      holding: status === 'PENDING' || status === 'SENT', bankReference: status === 'SETTLED' ? `B${serial}` : null, bankReason: null,
      attempts: status === 'PENDING' || status === 'WAITING_BUDGET' ? 0 : 1, deadline: '2026-12-01', createdAt: now, sentAt: null, settledAt: status === 'SETTLED' ? now : null, updatedAt: now,
    });
    seeded.orders.push(row);
    // The ledger as the funds service writes it: HOLD when an order reserves, SPEND when it settles, RELEASE when it fails or returns.
    const parts: [BudgetIndicator, number][] = city ? [[city, cityFen], [county, countyFen]] : [[county, countyFen]];
    for (const [on, fen] of parts) {
      if (status === 'WAITING_BUDGET' || fen === 0) continue;
      entry(on, 'HOLD', fen, row.id);
      if (status === 'SETTLED') entry(on, 'SPEND', fen, row.id), (on.spentFen += fen);
      else if (status === 'FAILED' || status === 'RETURNED') entry(on, 'RELEASE', fen, row.id);
      else on.heldFen += fen;
    }
  };
  // 2026, 兴国县: a city policy of MIIT (60 % city), a county policy of the EDZ.
  const city26 = indicator(CITY_POLICY, 2026, 'CITY', '360732', MIIT, 600_000_00);
  const county26 = indicator(CITY_POLICY, 2026, 'COUNTY', '360732', MIIT, 400_000_00, -1_234_56);
  const edz26 = indicator(EDZ_POLICY, 2026, 'COUNTY', '360732', EDZ, 80_000_00);
  order('SETTLED', 123_457, city26, county26, MIIT); // odd fen: the county takes it
  order('SETTLED', 50_000_01, city26, county26, MIIT);
  order('SENT', 7_777, city26, county26, MIIT);
  order('RETURNED', 3_00, city26, county26, MIIT);
  order('SETTLED', 20_000_00, null, edz26, EDZ);
  order('PENDING', 9_99, null, edz26, EDZ);
  order('WAITING_BUDGET', 90_000_00, null, edz26, EDZ);
  order('FAILED', 1_00, null, edz26, EDZ);
  // Another county and another year: never in 兴国's 2026 clearing.
  const yudu = indicator('YD-2026-001', 2026, 'COUNTY', '360731', '360731-MIIT', 5_000_00);
  order('SETTLED', 1_00, null, yudu, '360731-MIIT');
  const old = indicator(EDZ_POLICY, 2025, 'COUNTY', '360732', EDZ, 10_000_00);
  order('SETTLED', 2_500_00, null, old, EDZ);
  return seeded;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('annual clearing (funds)', () => {
  let graph: TestGraph;
  let seeded: Seeded;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    // The graph's clock: late November 2026, the year's clearing season (not yet 31 December).
    graph = await startTestGraph({ now: () => new Date('2026-11-26T02:00:00Z') });
    seeded = seedRows();
    const em = graph.subgraphs.funds.db.orm.em.fork();
    await em.insertMany(BudgetIndicator, seeded.indicators);
    await em.insertMany(BudgetEntry, seeded.entries);
    await em.insertMany(PaymentOrder, seeded.orders);
    const claims = {
      finance: { role: 'FINANCE', region: '360732' },
      financeOther: { role: 'FINANCE', region: '360731' },
      financeCity: { role: 'FINANCE', region: '360700' },
      approval: { role: 'APPROVAL_BUREAU', region: '360732' },
      auditor: { role: 'AUDITOR' },
      miit: { role: 'DEPARTMENT_REVIEWER', department: MIIT, region: '360732' },
      edz: { role: 'DEPARTMENT_REVIEWER', department: EDZ, region: '360732' },
      enterprise: { role: 'ENTERPRISE', creditCode: makeCreditCode({ authority: '9', entityType: '1', regionCode: '360732', orgBody8: 'CL000001' }) },
      clerk: { role: 'WINDOW_CLERK', region: '360732' },
    };
    for (const [name, c] of Object.entries(claims)) tokens[name] = await graph.token(c);
  });
  afterAll(() => graph?.stop());

  const CLEARING = `query($year: Int!, $region: String!, $department: String) {
    annualClearing(fiscalYear: $year, regionCode: $region, department: $department) {
      fiscalYear regionCode department closure { fiscalYear paidFen }
      lines { department departmentName policyId policyTitle budgetFen cityBudgetFen countyBudgetFen paidFen cityPaidFen countyPaidFen heldFen outstandingFen remainingFen ledgerSpentFen paidCount heldCount outstandingCount }
      total { budgetFen paidFen cityPaidFen countyPaidFen heldFen outstandingFen remainingFen }
    } }`;
  const clearing = (token: string, year: number, region: string, department?: string) => graph.query(CLEARING, { year, region, department }, token);

  /** What the clearing must say for one department and policy, summed here from the rows written. */
  function expected(department: string, policyId: string, year = 2026, region = '360732') {
    const indicators = seeded.indicators.filter((i) => i.department === department && i.policyId === policyId && i.fiscalYear === year && i.regionCode === region);
    const ids = new Set(indicators.map((i) => i.id));
    const entries = seeded.entries.filter((e) => ids.has(e.indicatorId));
    const orders = seeded.orders.filter((o) => o.department === department && o.policyId === policyId && o.fiscalYear === year && o.regionCode === region);
    const of = (...statuses: string[]) => orders.filter((o) => statuses.includes(o.status));
    const budgetFen = sum(entries.filter((e) => e.kind === 'ASSIGN' || e.kind === 'ADJUST').map((e) => e.amountFen));
    const paid = of('SETTLED');
    return {
      budgetFen,
      paidFen: sum(paid.map((o) => o.amountFen)),
      cityPaidFen: sum(paid.map((o) => o.cityFen)),
      countyPaidFen: sum(paid.map((o) => o.countyFen)),
      heldFen: sum(of('PENDING', 'SENT').map((o) => o.amountFen)),
      outstandingFen: sum(of('WAITING_BUDGET', 'FAILED', 'RETURNED').map((o) => o.amountFen)),
      // The ledger's own view: spent = SPEND, held = HOLD − RELEASE − SPEND; the indicators' running totals agree.
      ledgerSpentFen: sum(entries.filter((e) => e.kind === 'SPEND').map((e) => e.amountFen)),
      remainingFen: sum(indicators.map((i) => i.assignedFen - i.heldFen - i.spentFen)),
    };
  }

  test('the figures per department and policy equal the sums of the ledger and the orders; other counties and years stay out', async () => {
    const { body } = await clearing(tokens.finance, 2026, '360732');
    expect(body.errors).toBeUndefined();
    const result = body.data.annualClearing;
    expect(result.lines.map((l: any) => [l.department, l.policyId])).toEqual([[EDZ, EDZ_POLICY], [MIIT, CITY_POLICY]]);
    for (const line of result.lines) {
      expect(line).toMatchObject(expected(line.department, line.policyId));
      expect(line.ledgerSpentFen).toBe(line.paidFen);
      expect(line.cityPaidFen + line.countyPaidFen).toBe(line.paidFen);
    }
    const miit = result.lines.find((l: any) => l.department === MIIT);
    expect(miit).toMatchObject({ departmentName: '兴国县工业和信息化局', cityBudgetFen: 600_000_00, countyBudgetFen: 398_765_44, paidCount: 2, heldCount: 1, outstandingCount: 1 });
    // 1234.57 × 60 % = 740.742 → the city pays 740.74, the county 493.83 (the odd fen).
    expect(miit.cityPaidFen).toBe(74_074 + 30_000_00);
    expect(miit.policyTitle).toBe('新升规工业企业奖励（入规奖励）');
    expect(result.total.paidFen).toBe(123_457 + 50_000_01 + 20_000_00);
    expect(result.total.remainingFen).toBe(sum(result.lines.map((l: any) => l.remainingFen)));
    expect(result.closure).toBeNull();
  });

  test('readers: FINANCE, APPROVAL_BUREAU and the auditor see every department; a department (the EDZ too) only its own', async () => {
    for (const who of ['approval', 'auditor', 'financeCity']) {
      const { body } = await clearing(tokens[who], 2026, '360732');
      expect(body.errors).toBeUndefined();
      expect(body.data.annualClearing.lines).toHaveLength(2);
    }
    const miit = await clearing(tokens.miit, 2026, '360732');
    expect(miit.body.data.annualClearing).toMatchObject({ department: MIIT, total: { paidFen: 123_457 + 50_000_01 } });
    expect(miit.body.data.annualClearing.lines.map((l: any) => l.department)).toEqual([MIIT]);
    const edz = await clearing(tokens.edz, 2026, '360732', EDZ);
    expect(edz.body.data.annualClearing.lines.map((l: any) => l.policyId)).toEqual([EDZ_POLICY]);
    const narrowed = await clearing(tokens.finance, 2026, '360732', EDZ);
    expect(narrowed.body.data.annualClearing.lines).toEqual(edz.body.data.annualClearing.lines);
    // Refusals: another department's rows, another county, callers who are no readers, no login.
    expect((await clearing(tokens.miit, 2026, '360732', EDZ)).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await clearing(tokens.financeOther, 2026, '360732')).body.errors[0].extensions.code).toBe('FORBIDDEN');
    for (const who of ['enterprise', 'clerk']) expect((await clearing(tokens[who], 2026, '360732')).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await graph.query(CLEARING, { year: 2026, region: '360732' })).body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    // Bad input is a coded refusal a person can act on.
    for (const [year, region, department] of [[1999, '360732'], [2026, '999999'], [2026, '360732', '360731-MIIT'], [2026, '360732', 'MIIT']] as const) {
      const { body } = await clearing(tokens.finance, year, region, department);
      expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    }
  });

  const origin = () => new URL(graph.gatewayUrl).origin;
  const download = (query: string, token?: string) => fetch(`${origin()}/exports/funds/clearing${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  test('CSV through the gateway: BOM, Chinese headers, the same figures in yuan, a 合计 line', async () => {
    const response = await download('?year=2026&region=360732&format=csv', tokens.finance);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.headers.get('content-disposition')).toContain(encodeURIComponent('2026年度清算'));
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trimEnd().split('\r\n');
    expect(lines[0].split(',')).toEqual(CLEARING_HEADERS);
    const at = (row: string[], header: string) => row[CLEARING_HEADERS.indexOf(header)];
    const miit = lines.map((l) => l.split(',')).find((r) => r[0] === MIIT)!;
    expect(at(miit, '政策名称')).toBe('新升规工业企业奖励（入规奖励）');
    expect(at(miit, '已支付（元）')).toBe('51234.58');
    expect(at(miit, '预算指标（元）')).toBe('998765.44');
    expect(at(lines.at(-1)!.split(','), '部门名称')).toBe('合计');
    // A department's download holds its own rows only.
    const own = await (await download('?year=2026&region=360732', tokens.edz)).text();
    expect(own).toContain(EDZ_POLICY);
    expect(own).not.toContain(CITY_POLICY);
  });

  test('XLSX through the gateway: re-read with exceljs, the headers and every figure to the fen', async () => {
    const response = await download('?year=2026&region=360732&format=xlsx', tokens.auditor);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const sheet = workbook.getWorksheet('2026年度清算')!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(CLEARING_HEADERS);
    const col = (header: string) => CLEARING_HEADERS.indexOf(header) + 1;
    const fen = (row: ExcelJS.Row, header: string) => Math.round((row.getCell(col(header)).value as number) * 100);
    for (const [department, policyId] of [[EDZ, EDZ_POLICY], [MIIT, CITY_POLICY]]) {
      let row: ExcelJS.Row | undefined;
      sheet.eachRow((r) => void (r.getCell(1).value === department && (row = r)));
      const want = expected(department, policyId);
      expect({
        budgetFen: fen(row!, '预算指标（元）'), paidFen: fen(row!, '已支付（元）'), cityPaidFen: fen(row!, '市级承担（元）'), countyPaidFen: fen(row!, '县级承担（元）'),
        heldFen: fen(row!, '在途占用（元）'), outstandingFen: fen(row!, '待支付（元）'), remainingFen: fen(row!, '结余（元）'),
      }).toEqual({ budgetFen: want.budgetFen, paidFen: want.paidFen, cityPaidFen: want.cityPaidFen, countyPaidFen: want.countyPaidFen, heldFen: want.heldFen, outstandingFen: want.outstandingFen, remainingFen: want.remainingFen });
    }
  });

  test('export refusals: no login 401, no reader 403, another department 403, bad query 400 — as JSON, before any file', async () => {
    expect((await download('?year=2026&region=360732')).status).toBe(401);
    const enterprise = await download('?year=2026&region=360732', tokens.enterprise);
    expect(enterprise.status).toBe(403);
    expect(((await enterprise.json()) as any).errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await download('?year=2026&region=360732&department=360732-EDZ', tokens.miit)).status).toBe(403);
    expect((await download('?year=2026&region=360732', tokens.financeOther)).status).toBe(403);
    const bad = await download('?year=26&region=360732&format=pdf', tokens.finance);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).errors[0].extensions.problems.map((p: any) => p.field)).toEqual(['year', 'format']);
  });

  const CLOSE = 'mutation($year: Int!, $region: String!) { closeFiscalYear(fiscalYear: $year, regionCode: $region) { fiscalYear regionCode budgetFen paidFen remainingFen closedBy } }';

  test('closing a year: FINANCE of the county only; before 31 December only with every order settled; then it refuses moves, reads still work', async () => {
    for (const who of ['approval', 'auditor', 'miit', 'enterprise', 'financeOther']) {
      expect((await graph.query(CLOSE, { year: 2025, region: '360732' }, tokens[who])).body.errors[0].extensions.code).toBe('FORBIDDEN');
    }
    expect((await graph.query(CLOSE, { year: 2025, region: '360700' }, tokens.financeCity)).body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    // 2026 is not over and has orders not final (sent, pending, waiting for budget, failed, returned).
    const open = await graph.query(CLOSE, { year: 2026, region: '360732' }, tokens.finance);
    expect(open.body.errors[0]).toMatchObject({ extensions: { code: 'WRONG_STATE', reason: 'ORDERS_NOT_FINAL', open: 5 } });
    const closed = await graph.query(CLOSE, { year: 2025, region: '360732' }, tokens.finance);
    expect(closed.body.errors).toBeUndefined();
    expect(closed.body.data.closeFiscalYear).toMatchObject({ fiscalYear: 2025, regionCode: '360732', budgetFen: 10_000_00, paidFen: 2_500_00, remainingFen: 7_500_00 });
    const again = await graph.query(CLOSE, { year: 2025, region: '360732' }, tokens.finance);
    expect(again.body.errors[0].extensions).toMatchObject({ code: 'WRONG_STATE', reason: 'FISCAL_YEAR_CLOSED' });
    // Reads still work, and say the year is closed.
    const read = await clearing(tokens.auditor, 2025, '360732');
    expect(read.body.data.annualClearing).toMatchObject({ closure: { fiscalYear: 2025, paidFen: 2_500_00 }, total: { paidFen: 2_500_00 } });
    // Budget moves of the closed year are refused through the funds API; the open year's still go through.
    const setOld = await graph.query('mutation($i: SetBudgetInput!) { setBudget(input: $i) { id } }', { i: { policyId: EDZ_POLICY, fiscalYear: 2025, amountFen: 20_000_00, reason: '追加' } }, tokens.finance);
    expect(setOld.body.errors[0].extensions).toMatchObject({ code: 'WRONG_STATE', reason: 'FISCAL_YEAR_CLOSED' });
    const oldBudget = seeded.indicators.find((i) => i.fiscalYear === 2025)!;
    const adjustOld = await graph.query('mutation($id: ID!) { adjustBudget(id: $id, deltaFen: 100, reason: "追加") { id } }', { id: oldBudget.id }, tokens.finance);
    expect(adjustOld.body.errors[0].extensions).toMatchObject({ code: 'WRONG_STATE', reason: 'FISCAL_YEAR_CLOSED' });
    // A case of the closed year coming to be paid holds nothing: its order waits, saying why.
    const late = await graph.subgraphs.funds.db.orm.em.fork().transactional((tx) =>
      createOrder(tx, { applicationId: randomUUID(), policyId: EDZ_POLICY, department: EDZ, regionCode: '360732', creditCode: makeCreditCode({ authority: '9', entityType: '1', regionCode: '360732', orgBody8: 'CL999999' }), amountFen: 1_00, payeeAccount: '6228480000000099', payeeBank: '江西兴国农村商业银行' }, new Date('2025-12-30T02:00:00Z')),
    );
    expect(late).toMatchObject({ fiscalYear: 2025, status: 'WAITING_BUDGET', holding: false });
    expect(late.waitingReason).toContain('已关账');
    const after = await clearing(tokens.auditor, 2025, '360732');
    expect(after.body.data.annualClearing.total).toMatchObject({ budgetFen: 10_000_00, heldFen: 0, outstandingFen: 1_00 });
    // The guard every budget move and order calls: the closed year refuses, the open one and other counties pass.
    const em = graph.subgraphs.funds.db.orm.em.fork();
    await expect(assertFiscalYearOpen(em, 2025, '360732')).rejects.toMatchObject({ extensions: { code: 'WRONG_STATE', reason: 'FISCAL_YEAR_CLOSED' } });
    await expect(assertFiscalYearOpen(em, 2026, '360732')).resolves.toBeUndefined();
    await expect(assertFiscalYearOpen(em, 2025, '360731')).resolves.toBeUndefined();
  });

  // Last: it adds a policy line and orders to 2026 that the tests above do not expect.
  test('over budgets and payments made through the funds API, the clearing line is the sum of the settled payments (city 5:5, odd fen to the county)', async () => {
    const policyId = 'XG-2026-030'; // a city policy of MIIT, shared 5:5
    const set = await graph.query('mutation($i: SetBudgetInput!) { setBudget(input: $i) { id level assignedFen } }', { i: { policyId, fiscalYear: 2026, amountFen: 2_000_000_01, reason: '赣市财预〔2026〕12号' } }, tokens.finance);
    expect(set.body.errors).toBeUndefined();
    for (const budget of set.body.data.setBudget) {
      expect((await graph.query('mutation($id: ID!) { moveBudgetToPayer(id: $id) { movedToPayer } }', { id: budget.id }, tokens.finance)).body.errors).toBeUndefined();
    }
    // Five cases awaiting payment, as the applications subgraph's event brings them (the consumer's service function).
    const amounts = [1_234_57, 100_000_01, 7, 9_999_99, 50_000_00];
    const em = graph.subgraphs.funds.db.orm.em.fork();
    const ids: string[] = [];
    for (const [i, amountFen] of amounts.entries()) {
      const order = await em.fork().transactional((tx) =>
        createOrder(tx, { applicationId: randomUUID(), policyId, department: MIIT, regionCode: '360732', creditCode: makeCreditCode({ authority: '9', entityType: '1', regionCode: '360732', orgBody8: `CP${String(i).padStart(6, '0')}` }), amountFen, payeeAccount: `62284800000100${String(i).padStart(2, '0')}`, payeeBank: '江西兴国农村商业银行' }, new Date('2026-11-26T02:00:00Z')),
      );
      ids.push(order.id);
    }
    // Four are paid by the Approval Bureau; one stays pending (held).
    const sent = await graph.query('mutation($ids: [ID!]!) { sendPaymentOrders(ids: $ids) { id status amountFen cityFen countyFen } }', { ids: ids.slice(0, 4) }, tokens.approval);
    expect(sent.body.errors).toBeUndefined();
    const settled = sent.body.data.sendPaymentOrders.filter((o: any) => o.status === 'SETTLED');
    expect(settled).toHaveLength(4);
    const { body } = await clearing(tokens.finance, 2026, '360732', MIIT);
    const line = body.data.annualClearing.lines.find((l: any) => l.policyId === policyId);
    expect(line).toMatchObject({
      budgetFen: 2_000_000_01,
      cityBudgetFen: 1_000_000_00,
      countyBudgetFen: 1_000_000_01,
      paidFen: sum(settled.map((o: any) => o.amountFen)),
      cityPaidFen: sum(settled.map((o: any) => o.cityFen)),
      countyPaidFen: sum(settled.map((o: any) => o.countyFen)),
      ledgerSpentFen: sum(settled.map((o: any) => o.amountFen)),
      heldFen: 50_000_00,
      remainingFen: 2_000_000_01 - sum(amounts),
      paidCount: 4,
      heldCount: 1,
    });
    // 1234.57 × 50 % → the city 617.28, the county 617.29.
    expect(settled.find((o: any) => o.amountFen === 1_234_57)).toMatchObject({ cityFen: 617_28, countyFen: 617_29 });
    // The funds subgraph's own totals agree with the clearing.
    const budgets = await graph.query('{ budgets(fiscalYear: 2026, policyId: "XG-2026-030", first: 10) { nodes { assignedFen heldFen spentFen remainingFen } } }', {}, tokens.finance);
    const nodes = budgets.body.data.budgets.nodes;
    expect(sum(nodes.map((b: any) => b.spentFen))).toBe(line.paidFen);
    expect(sum(nodes.map((b: any) => b.remainingFen))).toBe(line.remainingFen);
  });
});
