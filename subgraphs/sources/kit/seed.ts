import type { EntityManager } from '@mikro-orm/core';
import { generateEnterprises, type EnterpriseSeed } from '../../../demo/population';

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
export class Dice {
  private state: number;
  constructor(source: string, creditCode: string) {
    this.state = fnv(`${source}:${creditCode}`);
  }
  /** mulberry32, [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
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
