import { policiesSubgraph } from '../../subgraphs/policies';
import { PolicyMessage } from '../../subgraphs/policies/push';
import { composeMessage, nextStep, writeMessages } from '../../subgraphs/policies/push/messages';
import type { WhiteList } from '../../subgraphs/policies/push/screening';
import { describeDb, openTestDatabase, testDriver, type TestDatabase } from '../support/db';

/** The message store of 精准推送 on each database: insert-if-absent on (policy, enterprise), whoever races. */
describeDb(`policy messages are written once per policy and enterprise (${testDriver})`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(policiesSubgraph, { demo: true });
  });
  afterAll(() => db?.close());

  const codes = ['91360732300673434K', '913607323024144797', '913607323023344014'];
  const list = (policyId: string, creditCodes: string[]): WhiteList => ({
    policyId,
    version: 1,
    evaluatedOn: '2026-11-26',
    entries: creditCodes.map((creditCode, i) => ({ creditCode, amountFen: i === 2 ? null : 500_000, amountText: i === 2 ? '缺少数据，无法计算金额' : '定额 5,000元' })),
  });
  const stored = (policyId: string) => db.orm.em.fork().find(PolicyMessage, { policyId }, { orderBy: { creditCode: 'asc' } });

  test('a second write of the same list, and concurrent writes, add nothing; the count says what was new', async () => {
    const at = new Date('2026-11-26T02:00:00.123Z');
    expect(await db.orm.em.fork().transactional((em) => writeMessages(em, list('XG-2026-005', codes.slice(0, 2)), 'PUBLISHED', at))).toBe(2);
    const first = await stored('XG-2026-005');
    const results = await Promise.all([1, 2, 3].map(() => db.orm.em.fork().transactional((em) => writeMessages(em, list('XG-2026-005', codes), 'NEWLY_ELIGIBLE', new Date()))));
    expect(results.reduce((a, b) => a + b, 0)).toBe(1);
    const after = await stored('XG-2026-005');
    expect(after.map((m) => m.creditCode)).toEqual([...codes].sort());
    // The first insert won: id, kind and time unchanged.
    for (const m of first) expect(after.find((a) => a.id === m.id)).toMatchObject({ kind: 'PUBLISHED', createdAt: at, readAt: null, amountFen: 500_000 });
    expect(after.find((m) => m.creditCode === codes[2])).toMatchObject({ kind: 'NEWLY_ELIGIBLE', amountFen: null });
  });

  test('a policy no longer PUBLISHED gets no messages', async () => {
    const em = db.orm.em.fork();
    expect(await em.transactional((tx) => writeMessages(tx, list('XG-2026-031', codes), 'PUBLISHED', new Date()))).toBe(0); // a draft in the demo catalog
    expect(await stored('XG-2026-031')).toEqual([]);
  });

  test('the message in Chinese: title, amount, the next step by mode', () => {
    const entry = { creditCode: codes[0], amountFen: 500_000, amountText: '定额 5,000元' };
    const version = { number: 2, title: '小微企业稳岗补贴', windowStart: '2026-03-01', windowEnd: '2026-12-31' };
    const m = composeMessage({ id: 'XG-2026-015', mode: 'INSTANT' }, version, entry, 'NEWLY_ELIGIBLE', '2026-11-26', new Date());
    expect(m).toMatchObject({ title: '您已符合政策条件：小微企业稳岗补贴', version: 2, amountFen: 500_000, kind: 'NEWLY_ELIGIBLE', readAt: null });
    expect(m.body).toBe('贵企业符合《小微企业稳岗补贴》（XG-2026-015，即申即享）的条件（按2026-11-26的数据判断）。预计金额：定额 5,000元。请在申报期内（2026-03-01至2026-12-31）申请。');
    expect(nextStep('NO_APPLICATION', version)).toBe('无需申请，主管部门确认白名单后直接兑付。');
    expect(nextStep('COMMITMENT', { windowStart: null, windowEnd: '2026-12-31' })).toBe('请在申报期内（截至2026-12-31）申请。');
    expect(nextStep('COMMITMENT', { windowStart: null, windowEnd: null })).toBe('请按办事指南提出申请。');
  });
});
