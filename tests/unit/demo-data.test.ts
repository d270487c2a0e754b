import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCreditCode } from '../../platform/credit-code';
import { AppError, ErrorCode } from '../../platform/errors';
import { findIndustry, isIndustryCode } from '../../subgraphs/kit/industry';
import {
  DEMO_REGION_CODES,
  DEFAULT_DEMO_ENTERPRISES,
  EnterpriseSeed,
  generateEnterprises,
  iterateEnterprises,
} from '../../demo/population';
import { parseArgs, writeEnterprises } from '../../scripts/generate-enterprises';

/** GB 11643-1999, written out again here so the test does not trust the generator's own helper. */
function isValidIdNumber(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(id[i]), 0);
  return '10X98765432'[sum % 11] === id[17];
}

const isRealDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

describe('demo enterprises', () => {
  const demo = generateEnterprises({ count: DEFAULT_DEMO_ENTERPRISES });

  it('are the same on every run, down to the bytes', () => {
    const again = generateEnterprises({ count: DEFAULT_DEMO_ENTERPRISES });
    expect(again).toEqual(demo);
    expect(JSON.stringify(again)).toBe(JSON.stringify(demo));
  });

  it('change with the seed, and a shorter set is a prefix of a longer one', () => {
    expect(generateEnterprises({ count: 50, seed: 7 })).not.toEqual(demo.slice(0, 50));
    expect(generateEnterprises({ count: 50 })).toEqual(demo.slice(0, 50));
  });

  it('have valid, unique credit codes that carry their region', () => {
    expect(new Set(demo.map((e) => e.creditCode)).size).toBe(demo.length);
    const wrong = demo.filter(
      (e) => !checkCreditCode(e.creditCode).ok || e.creditCode.slice(2, 8) !== e.regionCode || e.creditCode[0] !== '9',
    );
    expect(wrong).toEqual([]);
  });

  it('are mostly companies (91), with a few 个体工商户 (92) and 合作社 (93) named accordingly', () => {
    const types = countBy(demo, (e) => e.creditCode.slice(0, 2));
    expect(types.get('91')!).toBeGreaterThan(demo.length * 0.9);
    expect(types.get('92') ?? 0).toBeLessThan(demo.length * 0.03);
    for (const e of demo) {
      if (e.creditCode[1] === '1') expect(e.name).toMatch(/(有限公司|有限责任公司|股份有限公司)$/);
      if (e.creditCode[1] === '3') {
        expect(e.name).toMatch(/专业合作社$/);
        expect(e.registeredOn >= '2007-07-01').toBe(true);
      }
      if (e.creditCode[1] !== '1') expect(e.scale === 'MICRO' || e.scale === 'SMALL').toBe(true);
    }
  });

  it('have unique names that start with their county', () => {
    expect(new Set(demo.map((e) => e.name)).size).toBe(demo.length);
    for (const e of demo) expect(e.name.startsWith(e.regionCode === '360732' ? '兴国' : '于都')).toBe(true);
  });

  it('are spread over 兴国县 and 于都县 about 2:1 by default', () => {
    const byRegion = countBy(demo, (e) => e.regionCode);
    expect([...byRegion.keys()].sort()).toEqual(['360731', '360732']);
    const xingguo = byRegion.get('360732')! / demo.length;
    expect(xingguo).toBeGreaterThan(0.6);
    expect(xingguo).toBeLessThan(0.73);
  });

  it('use every requested region, 赣州市 included', () => {
    const codes = DEMO_REGION_CODES;
    const set = generateEnterprises({ count: 300, regionCodes: codes });
    expect(new Set(set.map((e) => e.regionCode))).toEqual(new Set(codes));
    for (const e of set.filter((x) => x.regionCode === '360700')) expect(e.address.startsWith('江西省赣州市')).toBe(true);
  });

  it('refuse a region without demo data', () => {
    expect(() => generateEnterprises({ count: 1, regionCodes: ['110000'] })).toThrow('没有地区 110000 的演示数据');
    try {
      generateEnterprises({ count: -1 });
      throw new Error('a negative count was accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe(ErrorCode.BAD_USER_INPUT);
    }
  });

  it('have legal representatives with valid Jiangxi ID numbers, adults when they registered', () => {
    const wrong = demo.filter((e) => {
      const id = e.legalRepresentativeIdNumber;
      const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
      return (
        !isValidIdNumber(id) ||
        !id.startsWith('36') ||
        !isRealDate(birth) ||
        birth < '1960-01-01' ||
        birth > '1995-12-31' ||
        Number(e.registeredOn.slice(0, 4)) - Number(birth.slice(0, 4)) < 20 ||
        !/^[\u4e00-\u9fa5]{2,4}$/.test(e.legalRepresentative)
      );
    });
    expect(wrong).toEqual([]);
  });

  it('have registration dates in 2000–2025', () => {
    const wrong = demo.filter(
      (e) => !isRealDate(e.registeredOn) || e.registeredOn < '2000-01-01' || e.registeredOn > '2025-12-31',
    );
    expect(wrong).toEqual([]);
  });

  it('have valid industry codes, manufacturing and trade leading', () => {
    expect(demo.filter((e) => !isIndustryCode(e.industryCode))).toEqual([]);
    const bySection = [...countBy(demo, (e) => e.industryCode[0])].sort((a, b) => b[1] - a[1]);
    expect(bySection.slice(0, 2).map(([s]) => s)).toEqual(['C', 'F']);
  });

  it('have a plausible scale distribution, MICRO most common', () => {
    const share = (scale: string) => demo.filter((e) => e.scale === scale).length / demo.length;
    expect(share('MICRO')).toBeGreaterThan(0.5);
    expect(share('MICRO')).toBeLessThan(0.7);
    expect(share('SMALL')).toBeGreaterThan(share('MEDIUM'));
    expect(share('MEDIUM')).toBeGreaterThan(share('LARGE'));
    expect(share('LARGE')).toBeGreaterThan(0);
    expect(share('LARGE')).toBeLessThan(0.05);
  });

  it('have coherent tags', () => {
    const tagged = (tag: string) => demo.filter((e) => e.tags.includes(tag as EnterpriseSeed['tags'][number]));
    for (const e of tagged('LISTED')) {
      expect(e.scale).toBe('LARGE');
      expect(e.registeredOn < '2020-01-01').toBe(true);
      expect(e.name).toMatch(/股份有限公司$/);
    }
    for (const e of tagged('ABOVE_SCALE')) expect(e.scale).not.toBe('MICRO');
    for (const tag of ['HIGH_TECH', 'SRDI', 'TECH_SME']) {
      expect(tagged(tag).length).toBeGreaterThan(0);
      for (const e of tagged(tag)) expect(['C', 'I', 'M']).toContain(findIndustry(e.industryCode)!.section);
    }
    for (const e of tagged('SRDI')) expect(e.scale).not.toBe('LARGE');
    for (const e of tagged('HIGH_TECH')) expect(e.registeredOn < '2025-01-01').toBe(true);
    for (const e of demo) expect(new Set(e.tags).size).toBe(e.tags.length);
  });

  it('have a bank account and an address in the county', () => {
    const wrong = demo.filter(
      (e) =>
        !/^\d{16,19}$/.test(e.bankAccount) ||
        !e.bankName.includes('银行') ||
        !e.address.startsWith(e.regionCode === '360732' ? '江西省赣州市兴国县' : '江西省赣州市于都县'),
    );
    expect(wrong).toEqual([]);
  });

  it('start with the showcase enterprise used in the docs', () => {
    expect(demo[0]).toMatchObject({
      name: '兴国华宇电子科技有限公司',
      regionCode: '360732',
      industryCode: 'C39',
      scale: 'SMALL',
      tags: ['HIGH_TECH', 'SRDI', 'ABOVE_SCALE'],
    });
  });

  it('scale to 100k with unique codes and names', () => {
    const codes = new Set<string>();
    const names = new Set<string>();
    for (const e of iterateEnterprises({ count: 100_000 })) {
      codes.add(e.creditCode);
      names.add(e.name);
    }
    expect(codes.size).toBe(100_000);
    expect(names.size).toBe(100_000);
  }, 120_000);
});

describe('generate-enterprises CLI', () => {
  it('parses its arguments by hand', () => {
    expect(parseArgs(['--count', '100000', '--out', 'data/x.jsonl', '--seed=5'])).toEqual({
      out: 'data/x.jsonl',
      count: 100000,
      seed: 5,
      regionCodes: undefined,
    });
    expect(parseArgs(['--out', 'x', '--regions', '360732, 360700'])).toMatchObject({ regionCodes: ['360732', '360700'] });
    expect(() => parseArgs(['--count', 'many', '--out', 'x'])).toThrow('--count 需要非负整数');
    expect(() => parseArgs(['--count', '5'])).toThrow('缺少 --out');
    expect(() => parseArgs(['--out', 'x', '--colour'])).toThrow('未知参数');
  });

  it('writes one JSON object per line, identical to the library output', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'enterprises-'));
    try {
      const path = await writeEnterprises({ out: join(dir, 'nested', 'e.jsonl'), count: 2500, seed: 11 });
      const lines = (await readFile(path, 'utf8')).split('\n');
      expect(lines.pop()).toBe('');
      expect(lines.map((l) => JSON.parse(l))).toEqual(generateEnterprises({ count: 2500, seed: 11 }));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
