import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fundsSubgraph } from '../subgraphs/funds';
import { SimBankLine, SimulatedBank } from '../subgraphs/funds/bank';
import { assign, moveToPayer } from '../subgraphs/funds/budget.service';
import { PaymentOrder } from '../subgraphs/funds/entities';
import { createOrder, sendOrder } from '../subgraphs/funds/payment.service';
import { openDatabase } from '../subgraphs/kit/orm';

/**
 * `node dist/bench/funds.js [--payments 1000] [--concurrency 10] [--database-url postgres://…]`:
 * "N payments settled" — N orders held on one budget, then every order sent TWICE at once
 * (duplicate pay requests) through the real payment service and the simulated bank on a real
 * database (a fresh SQLite file, or a given PostgreSQL database). Reports seconds, payments per
 * second and duplicates (transfers beyond one per order; must be 0). Not yet a phase of `npm run bench`.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { payments: { type: 'string', default: '1000' }, concurrency: { type: 'string', default: '10' }, 'database-url': { type: 'string' } } });
  const n = Number(values.payments);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(n) || n < 1 || n > 100_000 || !Number.isInteger(concurrency) || concurrency < 1 || concurrency > 200) throw new Error('--payments 1-100000, --concurrency 1-200');
  const dir = mkdtempSync(join(tmpdir(), 'qinqing-bench-funds-'));
  const orm = await openDatabase(fundsSubgraph, { dataDir: dir, databaseUrl: values['database-url'] }, values['database-url'] ? { databaseUrl: values['database-url'] } : { sqlitePath: join(dir, 'funds.sqlite') });
  try {
    const bank = new SimulatedBank(orm);
    const now = () => new Date();
    const policyId = `BEN-${new Date().getFullYear()}-${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
    await orm.em.fork().transactional(async (em) => {
      const b = await assign(em, { policyId, fiscalYear: Number(new Date().toISOString().slice(0, 4)), level: 'COUNTY', regionCode: '360732', department: '360732-MIIT', cityShareBp: null }, n * 1000, 'bench', 'bench', now());
      await moveToPayer(em, b.id, now());
    });
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const order = await orm.em.fork().transactional((em) =>
        createOrder(em, { applicationId: randomUUID(), policyId, regionCode: '360732', department: '360732-MIIT', creditCode: '91360732MA00000012', amountFen: 1000, payeeAccount: `62284800${String(i).padStart(8, '0')}`, payeeBank: '江西兴国农村商业银行' }, now()),
      );
      ids.push(order.id);
    }
    const start = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const id = ids[next++];
        await Promise.all([sendOrder(orm.em, bank, id, 'bench', now), sendOrder(orm.em, bank, id, 'bench', now)]);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (performance.now() - start) / 1000;
    const settled = await orm.em.fork().count(PaymentOrder, { policyId, status: 'SETTLED' });
    const lines = await orm.em.fork().find(SimBankLine, { orderId: { $in: ids }, kind: 'TRANSFER' });
    const duplicates = lines.length - new Set(lines.map((l) => l.orderId)).size;
    console.log(`${n.toLocaleString('en')} payments settled: ${settled} settled in ${seconds.toFixed(1)} s (${(settled / seconds).toFixed(0)}/s, each sent twice at once, ${concurrency} in flight), duplicates = ${duplicates}`);
    if (settled !== n || duplicates !== 0) process.exitCode = 1;
  } finally {
    await orm.close(true);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
