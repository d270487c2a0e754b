import type { EntityManager, EntityName, FilterQuery } from '@mikro-orm/core';
import { ArgsType, Directive, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { badInput } from '../../platform/errors';

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

export function decodeCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!decoded.startsWith('k:')) throw badInput('分页游标无效：请使用上一页返回的 pageInfo.endCursor', { argument: 'after' });
  return decoded.slice(2);
}

export function checkPageSize(first: number, max: number): number {
  if (!Number.isInteger(first) || first < 1 || first > max) {
    throw badInput(`每页条数 first 必须在 1 到 ${max} 之间，收到 ${first}`, { argument: 'first', max });
  }
  return first;
}

/** One page ordered by `key` (unique): `first + 1` rows tell whether another page exists. */
export async function paginate<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  options: { key: keyof T & string; first: number; after?: string | null; max: number },
): Promise<Connection<T>> {
  const first = checkPageSize(options.first, options.max);
  const after = options.after ? decodeCursor(options.after) : undefined;
  const pageWhere = (after ? { $and: [where, { [options.key]: { $gt: after } }] } : where) as FilterQuery<T>;
  const [rows, totalCount] = await Promise.all([
    em.find(entity, pageWhere, { orderBy: { [options.key]: 'asc' } as never, limit: first + 1 }),
    em.count(entity, where),
  ]);
  const nodes = rows.slice(0, first);
  const last = nodes[nodes.length - 1];
  return {
    nodes,
    totalCount,
    pageInfo: { hasNextPage: rows.length > first, endCursor: last ? encodeCursor(String(last[options.key])) : null },
  };
}
