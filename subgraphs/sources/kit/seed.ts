import type { EntityManager } from '@mikro-orm/core';
import { generateEnterprises, Random, type EnterpriseSeed } from '../../../demo/population';

const populations = new Map<number, EnterpriseSeed[]>();

/**
 * The demo population every source derives its records from (the enterprises the registry seeds),
 * generated once per process and size: the test graph seeds every subgraph for every test file.
 */
export function demoPopulation(count: number): readonly EnterpriseSeed[] {
  let population = populations.get(count);
  if (!population) populations.set(count, (population = generateEnterprises({ count })));
  return population;
}

/** FNV-1a: the same text always gives the same number. */
function fnv(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/**
 * Deterministic randomness per (source, enterprise): a source's records of one enterprise never
 * change with the population size or with another source's draws.
 */
export class Dice extends Random {
  constructor(source: string, creditCode: string) {
    super(fnv(`${source}:${creditCode}`));
  }
  /** A day in [from, to] (YYYY-MM-DD, both inclusive). */
  day(from: string, to: string): string {
    const a = Date.parse(`${from}T00:00:00Z`);
    const b = Date.parse(`${to}T00:00:00Z`);
    return new Date(a + this.int(0, Math.round((b - a) / 86_400_000)) * 86_400_000).toISOString().slice(0, 10);
  }
}

/** `days` after a date, capped at `max` (a later date would lie in the demo's future). */
export function addDays(date: string, days: number, max = DEMO_TODAY): string {
  const d = new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  return d > max ? max : d;
}

/** The demo's records run 2021-01-01 to this day. */
export const DEMO_TODAY = '2026-10-31';
export const DEMO_FROM = '2021-01-01';

/** When a source recorded a record: the working morning after its last date (Beijing time). */
export function recordedOn(date: string): Date {
  return new Date(Date.parse(`${date}T09:30:00+08:00`) + 86_400_000);
}

/** Chinese document number: 兴环罚〔2025〕12号 (于都: 于环罚…). */
export function documentNumber(regionCode: string, word: string, date: string, serial: number): string {
  const place = regionCode === '360731' ? '于' : regionCode === '360700' ? '赣' : '兴';
  return `${place}${word}〔${date.slice(0, 4)}〕${serial}号`;
}

/** Fast bulk insert: multi-row INSERTs in chunks under both drivers' parameter limits. */
export async function insertRows<T extends object>(em: EntityManager, entity: new () => T, rows: Partial<T>[]): Promise<void> {
  if (!rows.length) return;
  const columns = Object.keys(rows[0]).length;
  const chunk = Math.max(1, Math.floor(30_000 / columns));
  for (let i = 0; i < rows.length; i += chunk) await em.insertMany(entity, rows.slice(i, i + chunk) as never[]);
}

/** Seeds only into an empty table, only with demo data asked for. */
export async function shouldSeed(em: EntityManager, entity: Function, demo: boolean): Promise<boolean> {
  return demo && (await em.count(entity as never, {})) === 0;
}

export interface CaseSeed<R> {
  source: string;
  entity: new () => R;
  /** Chance that an enterprise has cases at all (a few percent), by enterprise. */
  rate(enterprise: EnterpriseSeed): number;
  /** Word of the document number, e.g. 应急罚 in 兴应急罚〔2024〕7号. */
  documentWord: string;
  /** Chance a case has ended (rectified, lifted) and how many days after it did. */
  ends: { chance: number; afterDays: [number, number] };
  /** The source's own columns of one case. */
  columns(dice: Dice, enterprise: EnterpriseSeed): Partial<R>;
}

/**
 * Seeds a source whose records are cases (violations, penalties, accidents): one or two cases for
 * a few percent of the demo enterprises, dated 2021–2026 (never before registration), each with
 * its document number, most of them ended; in bulk.
 */
export async function seedCases<R extends object>(em: EntityManager, options: { demo: boolean; demoEnterprises: number }, spec: CaseSeed<R>): Promise<void> {
  if (!(await shouldSeed(em, spec.entity, options.demo))) return;
  const rows: Partial<R>[] = [];
  let serial = 0;
  for (const e of demoPopulation(options.demoEnterprises)) {
    const dice = new Dice(spec.source, e.creditCode);
    if (!dice.chance(spec.rate(e))) continue;
    for (let n = dice.chance(0.2) ? 2 : 1; n > 0; n--) {
      const occurredOn = dice.day(e.registeredOn > DEMO_FROM ? e.registeredOn : DEMO_FROM, DEMO_TODAY);
      const ended = dice.chance(spec.ends.chance) ? addDays(occurredOn, dice.int(...spec.ends.afterDays)) : null;
      const endsOn = ended && ended < DEMO_TODAY ? ended : null;
      rows.push({
        creditCode: e.creditCode,
        regionCode: e.regionCode,
        source: spec.source,
        reference: documentNumber(e.regionCode, spec.documentWord, occurredOn, ++serial),
        occurredOn,
        endsOn,
        recordedAt: recordedOn(endsOn ?? occurredOn),
        ...spec.columns(dice, e),
      } as Partial<R>);
    }
  }
  await insertRows(em, spec.entity, rows);
}

export interface DemoYear {
  year: number;
  employees: number;
  /** 营业收入 in fen. */
  revenueFen: number;
}

const SCALE_REVENUE_YUAN: Record<string, [number, number]> = {
  MICRO: [500_000, 3_000_000],
  SMALL: [3_000_000, 30_000_000],
  MEDIUM: [80_000_000, 400_000_000],
  LARGE: [400_000_000, 2_000_000_000],
};
const SCALE_EMPLOYEES: Record<string, [number, number]> = { MICRO: [2, 9], SMALL: [10, 99], MEDIUM: [100, 299], LARGE: [300, 1500] };

/**
 * An enterprise's economy per year 2021–2025 (from its registration year), consistent with its
 * scale and 规上 tag: the tax bureau's revenue and the statistics bureau's output both derive from
 * it, so two sources agree as two real departments roughly would. 规上 enterprises earn at least
 * ¥20 million (the 规模以上工业 threshold).
 */
export function demoEconomy(enterprise: EnterpriseSeed): DemoYear[] {
  const dice = new Dice('economy', enterprise.creditCode);
  let [low, high] = SCALE_REVENUE_YUAN[enterprise.scale];
  if (enterprise.tags.includes('ABOVE_SCALE')) low = Math.max(low, 25_000_000), (high = Math.max(high, 80_000_000));
  const revenue2025 = dice.int(low / 1000, high / 1000) * 1000;
  const growth = dice.int(-5, 15) / 100;
  const [eLow, eHigh] = SCALE_EMPLOYEES[enterprise.scale];
  const employees2025 = dice.int(eLow, eHigh);
  const from = Math.max(2021, Number(enterprise.registeredOn.slice(0, 4)));
  const years: DemoYear[] = [];
  for (let year = from; year <= 2025; year++) {
    const factor = Math.pow(1 + growth, year - 2025) * (1 + dice.int(-5, 5) / 100);
    years.push({
      year,
      employees: Math.max(eLow, Math.round(employees2025 * Math.pow(1 + growth / 2, year - 2025))),
      revenueFen: Math.round(revenue2025 * factor) * 100,
    });
  }
  return years;
}
