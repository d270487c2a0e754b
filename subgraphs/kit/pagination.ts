import type { EntityManager, EntityName, FilterQuery } from '@mikro-orm/core';
import { ArgsType, Directive, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { invalidInput } from '../../platform/errors';
import { rule, unsafeTextProblem } from './validation';

/**
 * Cursor pagination for every list in the graph: keyset on a unique, ordered column (never
 * OFFSET, which gets slower and skips rows as data changes). Cursors are opaque to clients.
 */
@ObjectType({ description: '分页信息 Page information for cursor pagination.' })
@Directive('@shareable')
export class PageInfo {
  @Field({ description: '是否还有下一页' })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: '本页最后一条的游标，传给 after 取下一页' })
  endCursor!: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 20, description: '每页条数（1–100）' })
  first: number = 20;

  @Field(() => String, { nullable: true, description: '上一页的 endCursor' })
  @PageCursor()
  after?: string | null;
}

export interface Connection<T> {
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** Declares `<Name>Connection { nodes, pageInfo, totalCount }` for a node type. */
export function ConnectionType<T extends object>(node: ClassType<T>, name: string, description: string) {
  @ObjectType(`${name}Connection`, { description })
  class ConnectionClass implements Connection<T> {
    @Field(() => [node])
    nodes!: T[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: '符合条件的总数' })
    totalCount!: number;
  }
  return ConnectionClass;
}

export const encodeCursor = (key: string) => Buffer.from(`k:${key}`, 'utf8').toString('base64url');

export const CURSOR_PROBLEM = '分页游标无效：请使用上一页返回的 pageInfo.endCursor';
/** Keys are short (a credit code); a longer cursor or one hiding control characters is not ours. */
const MAX_CURSOR_LENGTH = 200;

function cursorKey(cursor: string): string | undefined {
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]*$/.test(cursor)) return undefined;
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!decoded.startsWith('k:') || unsafeTextProblem(decoded) || decoded.includes('\uFFFD')) return undefined;
  return decoded.slice(2);
}

/** Validator for `after`: refused with the other problems before any SQL, like every input. */
function PageCursor() {
  return rule('pageCursor', (value) => (typeof value === 'string' && cursorKey(value) !== undefined ? undefined : CURSOR_PROBLEM));
}

export function decodeCursor(cursor: string): string {
  const key = cursorKey(cursor);
  if (key === undefined) throw invalidInput([{ field: 'after', message: CURSOR_PROBLEM }]);
  return key;
}

/** The page size limit depends on the list (`max`), so it is checked here, in the same `problems` shape. */
export function checkPageSize(first: number, max: number): number {
  if (!Number.isInteger(first) || first < 1 || first > max) {
    throw invalidInput([{ field: 'first', message: `每页条数 first 必须在 1 到 ${max} 之间，收到 ${first}` }]);
  }
  return first;
}

/** One page ordered by `key` (unique): `first + 1` rows tell whether another page exists. */
export async function paginate<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  /** A function when the conditions hold raw fragments, which are used up by the query that takes them. */
  where: FilterQuery<T> | (() => FilterQuery<T>),
  options: { key: keyof T & string; first: number; after?: string | null; max: number },
): Promise<Connection<T>> {
  const first = checkPageSize(options.first, options.max);
  const after = options.after ? decodeCursor(options.after) : undefined;
  const conditions = () => (typeof where === 'function' ? (where as () => FilterQuery<T>)() : where);
  const pageWhere = (after ? { $and: [conditions(), { [options.key]: { $gt: after } }] } : conditions()) as FilterQuery<T>;
  const [rows, totalCount] = await Promise.all([
    em.find(entity, pageWhere, { orderBy: { [options.key]: 'asc' } as never, limit: first + 1 }),
    em.count(entity, conditions()),
  ]);
  const nodes = rows.slice(0, first);
  const last = nodes[nodes.length - 1];
  return {
    nodes,
    totalCount,
    pageInfo: { hasNextPage: rows.length > first, endCursor: last ? encodeCursor(String(last[options.key])) : null },
  };
}
