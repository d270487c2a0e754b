import { Enterprise } from '../../subgraphs/enterprises/enterprise.entity';
import { enterprisesSubgraph } from '../../subgraphs/enterprises';
import { entityLoader } from '../../subgraphs/kit/loaders';
import { describeDb, openTestDatabase, type TestDatabase } from '../support/db';

/**
 * What the subgraphs' read path saves (docs/architecture.md, "What a subgraph request costs")
 * must not change what it reads: loaders reuse their SQL per batch size, entities are plain data.
 */
describeDb('the subgraph read path', () => {
  let db: TestDatabase;
  let codes: string[];
  beforeAll(async () => {
    db = await openTestDatabase(enterprisesSubgraph, { demo: true });
    const rows = await db.orm.em.fork().find(Enterprise, {}, { orderBy: { creditCode: 'asc' }, limit: 150 });
    codes = rows.map((row) => row.creditCode);
  });
  afterAll(() => db?.close());

  const selectsDuring = async <T>(work: () => Promise<T>): Promise<[T, string[]]> => {
    const before = db.statements.length;
    const result = await work();
    return [result, db.statements.slice(before).filter((s) => /^\s*select/i.test(s))];
  };

  test('a loader batch is one SELECT, the same statement for the same batch size, with unknown keys null', async () => {
    const em = db.orm.em.fork();
    const missing = '91360732MA00000000';
    const [first, selects] = await selectsDuring(() => entityLoader(em, Enterprise, 'creditCode').loadMany([codes[0], missing, codes[1]]));
    expect(first.map((e) => (e instanceof Enterprise ? e.creditCode : e))).toEqual([codes[0], null, codes[1]]);
    expect(selects).toHaveLength(1);
    // Another request, other keys, same size: the statement text is the same, only the values differ.
    const [second, again] = await selectsDuring(() => entityLoader(db.orm.em.fork(), Enterprise, 'creditCode').loadMany([codes[2], codes[3], codes[4]]));
    expect(second.map((e) => (e as Enterprise).creditCode)).toEqual(codes.slice(2, 5));
    expect(again).toEqual(selects);
  });

  test('a batch larger than the cached sizes is still one SELECT with every row', async () => {
    const [rows, selects] = await selectsDuring(() => entityLoader(db.orm.em.fork(), Enterprise, 'creditCode').loadMany(codes));
    expect(rows.map((e) => (e as Enterprise).creditCode)).toEqual(codes);
    expect(selects).toHaveLength(1);
  });

  test('loaded rows join the request\'s identity map, as em.find would', async () => {
    const em = db.orm.em.fork();
    const loaded = await entityLoader(em, Enterprise, 'creditCode').load(codes[0]);
    const [found, selects] = await selectsDuring(() => em.findOneOrFail(Enterprise, { creditCode: codes[0] }));
    expect(found).toBe(loaded);
    expect(selects).toHaveLength(0);
  });

  test('a loader reads inside the request\'s transaction (uncommitted writes of that transaction)', async () => {
    const marker = '江西省赣州市兴国县事务内可见路1号';
    const seen = await db.orm.em
      .fork()
      .transactional(async (tx) => {
        await tx.nativeUpdate(Enterprise, { creditCode: codes[5] }, { address: marker });
        const inside = await entityLoader(tx, Enterprise, 'creditCode').load(codes[5]);
        throw Object.assign(new Error('roll back'), { inside });
      })
      .catch((error: { inside?: Enterprise }) => error.inside);
    expect(seen?.address).toBe(marker);
    // Rolled back: nobody else ever saw it.
    expect((await db.orm.em.fork().findOneOrFail(Enterprise, { creditCode: codes[5] })).address).not.toBe(marker);
  });

  test('loaded entities are plain data (no tracking accessors), and a change to one is still flushed', async () => {
    const em = db.orm.em.fork();
    const [listed] = await em.find(Enterprise, { creditCode: codes[6] });
    expect(Object.getOwnPropertyDescriptor(listed, 'address')).toHaveProperty('value');
    expect(Object.getOwnPropertyDescriptor(listed, 'address')).not.toHaveProperty('get');
    const loaded = (await entityLoader(db.orm.em.fork(), Enterprise, 'creditCode').load(codes[7]))!;
    expect(Object.getOwnPropertyDescriptor(loaded, 'name')).toHaveProperty('value');

    const changed = '江西省赣州市兴国县平铺属性路2号';
    listed.address = changed;
    await em.flush();
    expect((await db.orm.em.fork().findOneOrFail(Enterprise, { creditCode: codes[6] })).address).toBe(changed);
  });
});
