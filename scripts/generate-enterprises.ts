/**
 * Writes deterministic demo enterprises as JSON Lines, e.g. for load tests:
 *
 *   node dist/scripts/generate-enterprises.js --count 100000 --out data/enterprises-100k.jsonl [--seed N] [--regions 360732,360731]
 *
 * Rows are streamed as they are generated, so 100k rows need no more memory than 1k.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { iterateEnterprises } from '../demo/population';
import { DEFAULT_DEMO_ENTERPRISES } from '../demo/population';

const USAGE = `用法 / usage:
  node dist/scripts/generate-enterprises.js --out <file.jsonl> [--count N] [--seed N] [--regions 360732,360731]

  --out      输出文件（JSON Lines，每行一家企业）/ output file, one enterprise per line
  --count    企业数量，默认 ${DEFAULT_DEMO_ENTERPRISES} / number of enterprises
  --seed     随机种子（整数），相同参数输出逐字节相同 / seed; same arguments give byte-identical output
  --regions  逗号分隔的地区代码 / comma-separated region codes (360732 兴国县, 360731 于都县, 360700 赣州市)`;

interface Args {
  out: string;
  count: number;
  seed?: number;
  regionCodes?: string[];
}

class UsageError extends Error {}

function integer(flag: string, raw: string): number {
  if (!/^\d+$/.test(raw)) throw new UsageError(`${flag} 需要非负整数，收到 "${raw}"`);
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new UsageError(`${flag} 数值过大：${raw}`);
  return value;
}

export function parseArgs(argv: string[]): Args | 'help' {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return 'help';
    // Accept both `--count 10` and `--count=10`.
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    if (!['--out', '--count', '--seed', '--regions'].includes(flag)) throw new UsageError(`未知参数：${arg}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} 缺少取值`);
    values.set(flag, value);
  }
  const out = values.get('--out');
  if (!out) throw new UsageError('缺少 --out <文件路径>');
  const count = values.has('--count') ? integer('--count', values.get('--count')!) : DEFAULT_DEMO_ENTERPRISES;
  const seed = values.has('--seed') ? integer('--seed', values.get('--seed')!) : undefined;
  const regionCodes = values.get('--regions')?.split(',').map((c) => c.trim()).filter(Boolean);
  return { out, count, seed, regionCodes };
}

/** Lines are written in batches: one write per row would make 100k rows needlessly slow. */
const BATCH = 1000;

export async function writeEnterprises(args: Args): Promise<string> {
  const path = resolve(args.out);
  // Generate the first row before touching the disk, so bad options do not leave an empty file behind.
  const rows = iterateEnterprises({ count: args.count, seed: args.seed, regionCodes: args.regionCodes });
  let next = rows.next();
  await mkdir(dirname(path), { recursive: true });
  const stream = createWriteStream(path, { encoding: 'utf8' });
  let batch = '';
  let inBatch = 0;
  for (; !next.done; next = rows.next()) {
    batch += JSON.stringify(next.value) + '\n';
    if (++inBatch === BATCH) {
      if (!stream.write(batch)) await once(stream, 'drain');
      batch = '';
      inBatch = 0;
    }
  }
  stream.end(batch);
  await finished(stream);
  return path;
}

async function main(): Promise<void> {
  let args: Args | 'help';
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (args === 'help') {
    console.log(USAGE);
    return;
  }
  const started = process.hrtime.bigint();
  const path = await writeEnterprises(args);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`已生成 ${args.count} 家企业 → ${path}（${seconds.toFixed(1)} 秒）`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
