import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { GraphQLFormattedError } from 'graphql';
import { AppError, echo, ErrorCode, formatError } from '../../platform/errors';

function uniqueViolation(error: unknown): UniqueConstraintViolationException | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (current instanceof UniqueConstraintViolationException) return current;
    current = (current as { originalError?: unknown }).originalError;
  }
  return undefined;
}

/**
 * `formatError` of every subgraph: the platform's, plus the database's unique keys. Two writers
 * racing past a resolver's "does it exist?" check meet the unique key at insert; that is
 * `ALREADY_EXISTS` for the one who lost, in every subgraph, mapped here once. The message names no
 * value (the driver's text carries the SQL and its parameters) and no holder.
 */
export function subgraphFormatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  next: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError = formatError,
): GraphQLFormattedError {
  // @apollo/subgraph throws a plain Error for a representation whose __typename this subgraph does
  // not have: the caller's mistake (a hand-made `_entities` call), not a fault of ours.
  const unknownType = /^The _entities resolver tried to load an entity for type "(.*)", but no object or interface type/s.exec(formatted.message);
  if (unknownType) {
    const refused = new AppError(ErrorCode.BAD_USER_INPUT, `实体引用的类型“${echo(unknownType[1])}”不是本子图的实体`);
    return { message: refused.message, locations: formatted.locations, path: formatted.path, extensions: refused.extensions };
  }
  if (uniqueViolation(error)) {
    const refused = new AppError(ErrorCode.ALREADY_EXISTS, '要写入的记录已存在：统一社会信用代码、名称等唯一项已被使用（可能是同时提交了两次）');
    return { message: refused.message, locations: formatted.locations, path: formatted.path, extensions: refused.extensions };
  }
  return next(formatted, error);
}

