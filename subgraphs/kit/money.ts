import { GraphQLScalarType, Kind } from 'graphql';
import { AppError, ErrorCode, echo } from '../../platform/errors';

/**
 * Money is integer fen (分) end to end. GraphQL's Int is 32-bit (≈ ¥21 million), too small for a
 * budget, so `Fen` is any safe integer; a fraction or a float is refused, never rounded.
 */
function parseFen(value: unknown, shown: unknown = value): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new AppError(ErrorCode.BAD_USER_INPUT, `金额必须是以“分”为单位的整数，收到：${echo(shown)}`);
  }
  return value;
}

export const FenScalar = new GraphQLScalarType({
  name: 'Fen',
  description: '金额，单位：分（整数）。Amount of money in integer fen (1 yuan = 100 fen).',
  serialize: (value) => parseFen(typeof value === 'string' ? Number(value) : value),
  parseValue: parseFen,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.INT) throw new AppError(ErrorCode.BAD_USER_INPUT, '金额必须是以“分”为单位的整数');
    // The literal as written: Number() would already have rounded an unsafe one.
    return parseFen(Number(ast.value), ast.value);
  },
});
