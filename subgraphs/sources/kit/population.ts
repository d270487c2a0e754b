import type { EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { regionCovers } from '../../../platform/identity';
import { recordAccess } from '../../kit/access';
import { assertCanReadPopulation, chunks, rawTable, memberCodes, parsePopulationRegion, type PopulationMembers } from '../../kit/population';
import { regionOfCreditCode } from '../../kit/scope';
import type { Context } from '../../kit/subgraph';
import { assertSourceReader } from './scope';
import type { SourceInfo } from './source-info';

/**
 * A source read for a whole region (`EnterprisePopulation.<fieldPrefix>`): the same rules as one
 * enterprise's field — who may read the source at all, officials within their region — decided
 * before any row is loaded. Returns the members' codes; a member the caller may not read (its code
 * names a region outside theirs) is left out of the rows, so its values come back null ("unknown").
 * One access event names the region, not 100,000 codes; the source's own staff are not logged.
 */
export function readPopulation(ctx: Context<any>, source: SourceInfo, population: PopulationMembers, what: string): { codes: string[]; readable: string[] } {
  const { identity } = ctx;
  assertSourceReader(identity, source);
  const regionCode = parsePopulationRegion(population.regionCode);
  assertCanReadPopulation(identity, regionCode);
  const codes = memberCodes(population);
  const readable = identity.role === 'AUDITOR' ? codes : codes.filter((code) => regionCovers(identity.region!, regionOfCreditCode(code)));
  const ownDepartment = !!identity.department && identity.department.endsWith(`-${source.department}`);
  if (!ownDepartment) recordAccess(ctx, { what, enterprises: [], region: regionCode });
  return { codes, readable };
}

/**
 * Plain rows (no entity hydration, no ORM criteria processing: 100,000 of them) of `entity` for many
 * credit codes, a few thousand per statement, keyed by property name. Values are as the driver
 * returns them: SQLite booleans are 0/1 and PostgreSQL bigints strings, so callers convert with
 * `num` and `bool`.
 */
export async function populationRows<R>(
  em: EntityManager,
  entity: new () => unknown,
  codes: readonly string[],
  fields: string[],
  options: { where?: Record<string, unknown>; latestBy?: string } = {},
): Promise<R[]> {
  const sql = em as SqlEntityManager;
  const knex = sql.getKnex();
  const { table, column } = rawTable(sql, entity);
  const where = Object.fromEntries(Object.entries(options.where ?? {}).map(([p, v]) => [`r.${column(p)}`, v]));
  const out: R[] = [];
  for (const chunk of chunks(codes)) {
    let query = knex
      .from({ r: table })
      .select(Object.fromEntries(fields.map((f) => [f, `r.${column(f)}`])))
      .whereIn(`r.${column('creditCode')}`, chunk)
      .where(where);
    if (options.latestBy) {
      // Only each code's newest row (e.g. the latest year): the database picks it, JS sees 1 row per code.
      const by = column(options.latestBy);
      const newest = knex
        .from({ n: table })
        .select({ code: `n.${column('creditCode')}` })
        .max({ top: `n.${by}` })
        .whereIn(`n.${column('creditCode')}`, chunk)
        .where(Object.fromEntries(Object.entries(where).map(([k, v]) => [k.replace(/^r\./, 'n.'), v])))
        .groupBy(`n.${column('creditCode')}`)
        .as('l');
      query = query.join(newest, (on) => on.on('l.code', '=', `r.${column('creditCode')}`).andOn('l.top', '=', `r.${by}`));
    }
    for (const row of (await sql.getConnection().execute(query)) as R[]) out.push(row);
  }
  return out;
}

export const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
export const bool = (v: unknown): boolean | null => (v === null || v === undefined ? null : v === true || v === 1 || v === '1' || v === 't');
