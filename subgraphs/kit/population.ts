import { GraphQLScalarType } from 'graphql';
import { Directive, Field, ObjectType } from 'type-graphql';
import { CREDIT_CODE_CHARSET } from '../../platform/credit-code';
import { isKnownRegion } from '../../platform/directory';
import { AppError, echo, ErrorCode, forbidden, invalidInput } from '../../platform/errors';
import { regionCovers, type Identity } from '../../platform/identity';
import { requireAuthenticated } from './scope';
import type { SqlEntityManager } from '@mikro-orm/knex';

/*
 * Every enterprise of a region as one entity, for screening (免申即享 white lists, 精准推送).
 *
 * Screening 100,000 enterprises through the graph one `Enterprise` at a time would push
 * 100,000 entities × every indicator field through the gateway's executor and the @requires
 * representations. Instead each owner contributes its indicators for the whole region as ONE
 * scalar: a columnar table aligned to `members` (the registry's credit codes, in order). The
 * gateway passes scalars through untouched, so the cost is a few JSON documents, not millions of
 * fields. `EnterprisePopulation @key(fields: "regionCode")` is owned by `enterprises`; sources
 * add a table with `@requires(fields: "members")`; `policies` screens with `@requires` over them.
 */

/** Column name → one value per member (null where the owner holds nothing). */
export type PopulationTable = Record<string, unknown[]>;

/** The most enterprises one population may hold (the city's 100,000 with room to grow). */
export const MAX_POPULATION = 500_000;

function checkTable(value: unknown): PopulationTable {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new AppError(ErrorCode.BAD_USER_INPUT, '企业群体数据表应为“列名 → 值数组”的对象');
  }
  let length: number | undefined;
  for (const [name, column] of Object.entries(value)) {
    if (!Array.isArray(column)) throw new AppError(ErrorCode.BAD_USER_INPUT, `企业群体数据表的列 ${echo(name)} 应为数组`);
    if (column.length > MAX_POPULATION) throw new AppError(ErrorCode.BAD_USER_INPUT, `企业群体数据表超过 ${MAX_POPULATION} 行`);
    if (length !== undefined && column.length !== length) throw new AppError(ErrorCode.BAD_USER_INPUT, '企业群体数据表各列长度不一致');
    length = column.length;
  }
  return value as PopulationTable;
}

export const PopulationTableScalar = new GraphQLScalarType({
  name: 'PopulationTable',
  description: '按列存放的企业群体指标表（JSON：列名 → 与 members 对齐的值数组，无记录为 null）。供政策筛查在子图之间传递，前端一般无需读取。',
  serialize: checkTable,
  parseValue: checkTable,
  parseLiteral: () => {
    throw new AppError(ErrorCode.BAD_USER_INPUT, '企业群体数据表不能写在查询文本中');
  },
});

export interface PopulationKey {
  regionCode: string;
}

/** A population as an owning source sees it: its key and the registry's members. */
export interface PopulationMembers extends PopulationKey {
  members: PopulationTable;
}

/** The `EnterprisePopulation` stub of a subgraph that adds a table from `members` (one class per schema). */
export function populationKeyType(): new () => PopulationMembers {
  @ObjectType('EnterprisePopulation')
  @Directive('@key(fields: "regionCode")')
  class EnterprisePopulation implements PopulationMembers {
    @Field({ description: '地区代码（县或市）' })
    regionCode!: string;

    @Directive('@external')
    @Field(() => PopulationTableScalar)
    members!: PopulationTable;
  }
  return EnterprisePopulation;
}

/** A population's region from a caller or a representation: a known region of the directory. */
export function parsePopulationRegion(value: unknown): string {
  if (typeof value === 'string' && /^\d{6}$/.test(value) && isKnownRegion(value)) return value;
  throw invalidInput([{ field: 'regionCode', message: `地区代码应为平台目录中的6位行政区划代码，收到“${echo(value)}”` }]);
}

/**
 * Who may read a whole region's enterprises at once: officials whose region covers it and the
 * auditor. Never the public, never an enterprise (it is one of them, not their overseer).
 */
export function assertCanReadPopulation(identity: Identity, regionCode: string): void {
  requireAuthenticated(identity);
  if (identity.role === 'ENTERPRISE') throw forbidden('企业不能查询整个地区的企业数据');
  if (identity.role !== 'AUDITOR' && !(identity.region && regionCovers(identity.region, regionCode))) {
    throw forbidden(`无权查看地区 ${regionCode} 的企业数据：您所属地区为 ${identity.region ?? '未知'}`);
  }
}

const CODE_SHAPE = new RegExp(`^[${CREDIT_CODE_CHARSET}]{18}$`);

/**
 * The credit codes of a representation's `members` (representations are `_Any`). Their shape is
 * checked, not their check character: they are only looked up (a wrong one finds nothing), and
 * the full check costs a quarter of a second per 100,000 at every source.
 */
export function memberCodes(population: PopulationMembers): string[] {
  const codes = checkTable(population.members).creditCode;
  if (!codes) throw invalidInput([{ field: 'members', message: '企业群体缺少 creditCode 列' }]);
  for (const code of codes) {
    if (typeof code !== 'string' || !CODE_SHAPE.test(code)) throw invalidInput([{ field: 'members', message: `统一社会信用代码格式无效：“${echo(code)}”` }]);
  }
  return codes as string[];
}

/** A source's rows for the members, as columns aligned to the members' order (null where it has none). */
export function alignColumns<R>(codes: readonly string[], rows: ReadonlyMap<string, R>, columns: Record<string, (row: R) => unknown>): PopulationTable {
  const table: PopulationTable = {};
  const names = Object.keys(columns);
  for (const name of names) table[name] = new Array(codes.length);
  for (let i = 0; i < codes.length; i++) {
    const row = rows.get(codes[i]);
    for (const name of names) table[name][i] = row === undefined ? null : (columns[name](row) ?? null);
  }
  return table;
}

/** A long key list in statements of `size` (SQLite allows 32,766 parameters, PostgreSQL 65,535). */
export function chunks<T>(list: readonly T[], size = 5000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/**
 * An entity's table for a raw knex read (bulk population reads skip ORM hydration): its name,
 * schema-qualified on PostgreSQL, and its columns by property name.
 */
export function rawTable(em: SqlEntityManager, entity: { name: string }): { table: string; column(property: string): string } {
  const meta = em.getMetadata().get(entity.name);
  const schema = em.config.get('schema');
  return { table: schema ? `${schema}.${meta.tableName}` : meta.tableName, column: (property) => meta.properties[property].fieldNames[0] };
}
