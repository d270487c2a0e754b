import { createLogger } from '../../platform/logger';
import { Enterprise } from '../../subgraphs/enterprises/enterprise.entity';
import { enterprisesSubgraph } from '../../subgraphs/enterprises';
import { describeDb, openTestDatabase, type TestDatabase } from '../support/db';

/** A failed write, logged as the error plugin logs it, keeps the statement's shape and drops its values. */
describeDb('SQL parameters never reach a log line', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(enterprisesSubgraph, { demo: true });
  });
  afterAll(() => db?.close());

  test('a unique violation on insert is logged without the ID number or bank account it carried', async () => {
    const [existing] = await db.orm.em.fork().find(Enterprise, {}, { limit: 1 });
    // A second EntityManager, which does not know the row: it inserts the same credit code again.
    const em = db.orm.em.fork();
    const idNumber = '360732198812127777';
    const account = '6228480099998888';
    em.create(Enterprise, { ...existing, createdAt: undefined, updatedAt: undefined, legalRepresentativeIdNumber: idNumber, bankAccount: account, name: `${existing.name}（重复）` });
    const error = await em.flush().then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.name).toBe('UniqueConstraintViolationException');
    // On both drivers the message MikroORM passes on quotes the statement with every value inlined.
    expect(error!.message).toContain(idNumber);
    expect(error!.message).toContain(account);

    const lines: string[] = [];
    createLogger('info', { service: 'enterprises' }, (line) => lines.push(line)).error('unexpected error', { error: new Error('registration failed', { cause: error }) });
    expect(lines[0]).not.toContain(idNumber);
    expect(lines[0]).not.toContain(account);
    expect(lines[0]).not.toContain(existing.creditCode);
    const cause = JSON.parse(lines[0]).error.cause;
    expect(cause).toMatchObject({ type: 'UniqueConstraintViolationException', message: expect.stringMatching(/^insert into \S+enterprise\S* \(/) });
    // Stack frames keep their line numbers.
    expect(cause.stack).toMatch(/\.js:\d+:\d+\)/);
  });
});
