import { ANONYMOUS, IDENTITY_HEADER, type Identity } from '../../platform/identity';
import { BankTimeout, SimulatedBank, type BankAdapter, type BankOrder } from '../../subgraphs/funds/bank';
import { createSubgraphServer, type SubgraphServer } from '../../subgraphs/kit/server';
import { migrationDrift } from '../../subgraphs/kit/orm';
import { bankTestSubgraph } from '../fixtures/funds/bank-subgraph';
import { describeDb, openTestDatabase, testDriver, type TestDatabase } from '../support/db';
import { signIdentity, testConfig } from '../support/graph';

/**
 * The simulated agent bank on its own tables: money really moves between accounts, the statement
 * has one line per settled transfer and per return, an order id is paid at most once (also when
 * sent 20 times at once), and the faults the funds subgraph must survive happen as told.
 */
describeDb(`the simulated bank keeps accounts and pays an order id once (${testDriver})`, () => {
  let db: TestDatabase;
  let bank: SimulatedBank;
  let server: SubgraphServer;
  // What `simulateBankFault` sees as the configured adapter (a test swaps in a "real" bank).
  let configured: () => BankAdapter = () => bank;
  const config = testConfig();
  // 2026-11-26 10:00 in China; moved forward by tests that need another booking date.
  let clock = new Date('2026-11-26T02:00:00Z');
  const OPENING = 1_000_000_00; // ¥1,000,000
  const TODAY = '2026-11-26';
  let n = 0;
  const order = (amountFen: number, overrides: Partial<BankOrder> = {}): BankOrder => {
    n += 1;
    return { orderId: `PO-${testDriver}-${n}`, payeeAccount: `6228480000${String(n).padStart(6, '0')}`, payeeBank: '中国建设银行兴国支行', amountFen, memo: `XG-2026-001 兑付 第${n}笔`, ...overrides };
  };
  const payerBalance = async () => (await bank.payer()).balanceFen;
  const balance = async (account: string) => (await bank.account(account))?.balanceFen;
  const lines = async (orderId: string) => (await bank.statement('2000-01-01', '2999-12-31')).filter((l) => l.orderId === orderId);

  beforeAll(async () => {
    const definition = bankTestSubgraph(() => configured());
    db = await openTestDatabase(definition);
    bank = new SimulatedBank(db.orm, { openingBalanceFen: OPENING, now: () => clock });
    server = await createSubgraphServer(definition, db.orm, config);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await db?.close();
  });

  const SIMULATE = 'mutation($input: SimulateBankFaultInput!) { simulateBankFault(input: $input) { kind orderId times reason } }';
  const simulate = async (input: Record<string, unknown>, identity: Identity = { role: 'ADMIN', region: '360732', subject: 'demo-admin' }) => {
    const headers = { [IDENTITY_HEADER]: await signIdentity(config, identity, 'bank-test') };
    const response = await server.apollo.executeOperation({ query: SIMULATE, variables: { input } }, { contextValue: await server.contextFor(headers) });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return response.body.singleResult as { data?: any; errors?: any[] };
  };

  test('it fits the shape the funds payment service codes against (structural, checked by the compiler)', () => {
    type FundsLine = { orderId: string; bankReference: string; amountFen: number; state: string; at: string | Date; [key: string]: unknown };
    const adapter: { send(o: BankOrder): Promise<{ state: string; bankReference: string; reason?: string; at: string | Date }>; statement(from: string, to: string): Promise<FundsLine[]> } = bank;
    expect(typeof adapter.statement).toBe('function');
  });

  test('the entities and their tables agree (the funds migrations will generate the same)', async () => {
    expect(await migrationDrift(db.orm)).toEqual([]);
  });

  test('a send settles: the payer is debited, the payee account opened and credited, one statement line', async () => {
    const o = order(123_45);
    const answer = await bank.send(o);
    expect(answer).toMatchObject({ state: 'SETTLED', at: clock });
    expect(answer.bankReference).toMatch(/^SIM20261126[0-9A-F]{16}$/);
    expect(answer.reason).toBeUndefined();
    expect(await payerBalance()).toBe(OPENING - 123_45);
    expect(await bank.account(o.payeeAccount)).toMatchObject({ balanceFen: 123_45, bankName: '中国建设银行兴国支行', payer: false });
    expect(await bank.statement(TODAY, TODAY)).toEqual([
      expect.objectContaining({ kind: 'TRANSFER', date: TODAY, orderId: o.orderId, bankReference: answer.bankReference, amountFen: 123_45, payeeAccount: o.payeeAccount, memo: o.memo, balanceAfterFen: OPENING - 123_45 }),
    ]);
    expect(await bank.status(o.orderId)).toEqual(answer);
    expect(await bank.status('PO-never-sent')).toBeNull();
  });

  test('the same order id sent twice, then 20 times at once, pays once and answers the first answer every time', async () => {
    const o = order(500_00);
    const before = await payerBalance();
    const first = await bank.send(o);
    expect(await bank.send({ ...o, amountFen: 999_00 })).toEqual(first);

    const p = order(77_77);
    const answers = await Promise.all(Array.from({ length: 20 }, () => bank.send(p)));
    expect(new Set(answers.map((a) => a.bankReference)).size).toBe(1);
    expect(answers.every((a) => a.state === 'SETTLED')).toBe(true);

    expect(await payerBalance()).toBe(before - 500_00 - 77_77);
    expect(await balance(o.payeeAccount)).toBe(500_00);
    expect(await balance(p.payeeAccount)).toBe(77_77);
    expect(await lines(o.orderId)).toHaveLength(1);
    expect(await lines(p.orderId)).toHaveLength(1);
  });

  test('told to fail an order: FAILED with the reason, nothing moves; a retry under the same id then pays', async () => {
    const o = order(300_00);
    const before = await payerBalance();
    await bank.injectFault({ kind: 'FAIL', orderId: o.orderId, reason: '收款账户状态异常' });
    const failed = await bank.send(o);
    expect(failed).toMatchObject({ state: 'FAILED', reason: '收款账户状态异常' });
    expect(await bank.status(o.orderId)).toEqual(failed);
    expect(await payerBalance()).toBe(before);
    expect(await bank.account(o.payeeAccount)).toBeNull();
    expect(await lines(o.orderId)).toEqual([]);

    const retried = await bank.send(o);
    expect(retried.state).toBe('SETTLED');
    expect(retried.bankReference).not.toBe(failed.bankReference);
    expect(await payerBalance()).toBe(before - 300_00);
    expect(await lines(o.orderId)).toHaveLength(1);
  });

  test('told to fail the next 2 sends (any id): those two fail, the third pays', async () => {
    await bank.injectFault({ kind: 'FAIL', times: 2 });
    const [a, b, c] = [order(1_00), order(2_00), order(3_00)];
    expect((await bank.send(a)).state).toBe('FAILED');
    expect((await bank.send(b)).state).toBe('FAILED');
    expect((await bank.send(c)).state).toBe('SETTLED');
    expect((await bank.send(a)).state).toBe('SETTLED');
  });

  test('a time-out before booking: BankTimeout, nothing happened (no status, no line, no money moved)', async () => {
    const o = order(400_00);
    const before = await payerBalance();
    await bank.injectFault({ kind: 'TIMEOUT_BEFORE', orderId: o.orderId });
    const error = await bank.send(o).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BankTimeout);
    expect(error).toMatchObject({ orderId: o.orderId, booked: false });
    expect(await bank.status(o.orderId)).toBeNull();
    expect(await lines(o.orderId)).toEqual([]);
    expect(await payerBalance()).toBe(before);
    expect(await bank.account(o.payeeAccount)).toBeNull();
  });

  test('a time-out after booking (crash between sent and settled): the transfer is on the statement and status says SETTLED; a resend pays nothing more', async () => {
    const o = order(250_00);
    const before = await payerBalance();
    await bank.injectFault({ kind: 'TIMEOUT_AFTER', orderId: o.orderId });
    await expect(bank.send(o)).rejects.toMatchObject({ name: 'BankTimeout', orderId: o.orderId, booked: true });
    const status = await bank.status(o.orderId);
    expect(status).toMatchObject({ state: 'SETTLED' });
    expect(await lines(o.orderId)).toEqual([expect.objectContaining({ kind: 'TRANSFER', amountFen: 250_00, bankReference: status!.bankReference })]);
    expect(await payerBalance()).toBe(before - 250_00);
    expect(await bank.send(o)).toEqual(status);
    expect(await payerBalance()).toBe(before - 250_00);
  });

  test('a return, later: money back to the payer with a RETURN line and the reason; status RETURNED; a retry under the same id pays again, once', async () => {
    const o = order(600_00);
    const before = await payerBalance();
    const settled = await bank.send(o);
    clock = new Date('2026-11-27T03:00:00Z');
    const returned = await bank.returnPayment(o.orderId, '收款账户已销户');
    expect(returned).toEqual({ state: 'RETURNED', bankReference: settled.bankReference, reason: '收款账户已销户', at: clock });
    expect(await bank.status(o.orderId)).toEqual(returned);
    expect(await payerBalance()).toBe(before);
    expect(await balance(o.payeeAccount)).toBe(0);
    expect(await lines(o.orderId)).toEqual([
      expect.objectContaining({ kind: 'TRANSFER', state: 'SETTLED', date: TODAY, amountFen: 600_00, balanceAfterFen: before - 600_00 }),
      expect.objectContaining({ kind: 'RETURN', state: 'RETURNED', date: '2026-11-27', amountFen: 600_00, reason: '收款账户已销户', balanceAfterFen: before }),
    ]);
    // Only the returned line is on the 27th's statement.
    expect((await bank.statement('2026-11-27', '2026-11-27')).map((l) => l.kind)).toEqual(['RETURN']);
    await expect(bank.returnPayment(o.orderId, 'again')).rejects.toMatchObject({ extensions: { code: 'WRONG_STATE' }, message: expect.stringContaining('“已退回”') });

    const again = await Promise.all([bank.send(o), bank.send(o), bank.send(o)]);
    expect(new Set(again.map((a) => `${a.state} ${a.bankReference}`))).toEqual(new Set([`SETTLED ${again[0].bankReference}`]));
    expect(again[0].bankReference).not.toBe(settled.bankReference);
    expect(await payerBalance()).toBe(before - 600_00);
    expect((await lines(o.orderId)).map((l) => l.kind)).toEqual(['TRANSFER', 'RETURN', 'TRANSFER']);
  });

  test('told to return the next send: it is booked and sent back at once (RETURNED, two lines, nothing kept)', async () => {
    const o = order(10_00);
    const before = await payerBalance();
    await bank.injectFault({ kind: 'RETURN', reason: '户名与账号不符' });
    expect(await bank.send(o)).toMatchObject({ state: 'RETURNED', reason: '户名与账号不符' });
    expect((await lines(o.orderId)).map((l) => l.kind)).toEqual(['TRANSFER', 'RETURN']);
    expect(await payerBalance()).toBe(before);
  });

  test('more than the payer has: FAILED with a reason naming the amounts; nothing moves', async () => {
    const before = await payerBalance();
    const o = order(before + 1);
    const answer = await bank.send(o);
    expect(answer.state).toBe('FAILED');
    expect(answer.reason).toBe(`付款账户余额不足：本笔需 ${before + 1} 分，账户可用 ${before} 分`);
    expect(await payerBalance()).toBe(before);
    expect(await lines(o.orderId)).toEqual([]);
  });

  test('a bad instruction is refused by the bank, not booked: zero or fractional amount, bad account, the payer itself', async () => {
    const before = await payerBalance();
    expect(await bank.send(order(0))).toMatchObject({ state: 'FAILED', reason: expect.stringContaining('金额无效') });
    expect(await bank.send(order(12.5))).toMatchObject({ state: 'FAILED', reason: expect.stringContaining('金额无效') });
    expect(await bank.send(order(1_00, { payeeAccount: '12; drop' }))).toMatchObject({ state: 'FAILED', reason: expect.stringContaining('收款账号无效') });
    expect(await bank.send(order(1_00, { payeeAccount: bank.payerAccount }))).toMatchObject({ state: 'FAILED', reason: expect.stringContaining('付款账户本身') });
    expect(await payerBalance()).toBe(before);
  });

  test('called inside a database transaction it refuses (a bank is outside the caller’s transaction)', async () => {
    await expect(db.orm.em.fork().transactional(() => bank.send(order(1_00)))).rejects.toThrow(/outside a database transaction/);
  });

  test('30 different orders at once against a payer that can cover 7: exactly 7 settle, the balance never goes below zero, every fen on the statement', async () => {
    const available = await payerBalance();
    const amount = Math.floor(available / 7);
    const orders = Array.from({ length: 30 }, () => order(amount));
    const answers = await Promise.all(orders.map((o) => bank.send(o)));
    const settled = answers.filter((a) => a.state === 'SETTLED');
    expect(settled).toHaveLength(7);
    expect(answers.filter((a) => a.state === 'FAILED').every((a) => a.reason?.startsWith('付款账户余额不足'))).toBe(true);
    expect(await payerBalance()).toBe(available - 7 * amount);
    const statement = await bank.statement('2000-01-01', '2999-12-31');
    const mine = statement.filter((l) => orders.some((o) => o.orderId === l.orderId));
    expect(mine).toHaveLength(7);
    expect(mine.every((l) => l.balanceAfterFen >= 0)).toBe(true);
    // The whole statement adds up: opening − transfers + returns = the balance now.
    const net = statement.reduce((sum, l) => sum + (l.kind === 'TRANSFER' ? -l.amountFen : l.amountFen), 0);
    expect(OPENING + net).toBe(await payerBalance());
  });

  test('simulateBankFault (demos): ADMIN sets a fault the next send meets, and returns a settled payment; others are refused and nothing is set', async () => {
    // The payer was drained by the test before: money in (财政拨付), then pay.
    expect((await bank.deposit(100_00)).balanceFen).toBeGreaterThanOrEqual(100_00);
    const o = order(20_00);
    for (const identity of [ANONYMOUS, { role: 'APPROVAL_BUREAU', region: '360732' }, { role: 'FINANCE', region: '360732' }, { role: 'AUDITOR' }] as Identity[]) {
      const refused = await simulate({ kind: 'FAIL', orderId: o.orderId }, identity);
      expect(refused.errors?.[0].extensions.code).toBe(identity.role ? 'FORBIDDEN' : 'UNAUTHENTICATED');
    }
    expect((await bank.send(o)).state).toBe('SETTLED');

    const p = order(30_00);
    expect(await simulate({ kind: 'FAIL', orderId: p.orderId, reason: '演示：账户冻结' })).toEqual({ data: { simulateBankFault: { kind: 'FAIL', orderId: p.orderId, times: 1, reason: '演示：账户冻结' } } });
    expect(await bank.send(p)).toMatchObject({ state: 'FAILED', reason: '演示：账户冻结' });

    const before = await payerBalance();
    const returned = await simulate({ kind: 'RETURN_SETTLED', orderId: o.orderId, reason: '演示：退汇' });
    expect(returned.errors).toBeUndefined();
    expect(await bank.status(o.orderId)).toMatchObject({ state: 'RETURNED', reason: '演示：退汇' });
    expect(await payerBalance()).toBe(before + 20_00);
    expect((await simulate({ kind: 'RETURN_SETTLED', orderId: o.orderId })).errors?.[0].extensions.code).toBe('WRONG_STATE');
  });

  test('simulateBankFault refuses bad input (code, nothing set) and a real bank', async () => {
    for (const input of [{ kind: 'FAIL', times: 0 }, { kind: 'FAIL', times: 1001 }, { kind: 'FAIL', orderId: 'bad id;' }, { kind: 'FAIL', reason: 'x'.repeat(201) }, { kind: 'RETURN_SETTLED' }]) {
      expect((await simulate(input)).errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    }
    expect((await bank.send(order(1_00))).state).toBe('SETTLED');
    configured = () => ({ send: bank.send.bind(bank), status: bank.status.bind(bank), statement: bank.statement.bind(bank) });
    try {
      expect((await simulate({ kind: 'FAIL' })).errors?.[0]).toMatchObject({ extensions: { code: 'WRONG_STATE' }, message: expect.stringContaining('真实代理银行') });
    } finally {
      configured = () => bank;
    }
    expect((await bank.send(order(1_00))).state).toBe('SETTLED');
  });
});
