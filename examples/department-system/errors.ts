import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/**
 * The platform's error vocabulary (README "Errors"), kept by this system on its own: every error
 * has a stable `extensions.code` and a Chinese message a person can act on; nothing internal
 * (stack, SQL) ever leaves.
 */
export type HrssErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT' | 'WRONG_STATE';

export class HrssError extends GraphQLError {
  constructor(
    readonly code: HrssErrorCode,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(message, { extensions: { code, ...details } });
    this.name = 'HrssError';
  }
}

export interface FieldProblem {
  field: string;
  message: string;
}

/** Every problem of an input at once (一次性告知), nothing written. */
export const invalidInput = (problems: FieldProblem[]) =>
  new HrssError('BAD_USER_INPUT', `输入有 ${problems.length} 处问题：${problems.map((p) => p.message).join('；')}`, { problems });

/** Codes graphql-js / Apollo Server give requests that do not parse, validate or coerce: safe to show. */
const REQUEST_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE', 'PERSISTED_QUERY_NOT_SUPPORTED']);

/** Apollo's formatError: our own errors and request errors as they are; anything else hidden, logged by the caller. */
export function formatError(formatted: GraphQLFormattedError, error: unknown, log: (error: unknown) => void): GraphQLFormattedError {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (current instanceof HrssError) return { ...formatted, message: current.message, extensions: current.extensions };
    current = (current as { originalError?: unknown }).originalError;
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && REQUEST_CODES.has(code)) {
    // graphql-js quotes a refused variable whole; a megabyte of it is not a message.
    const message = formatted.message.length > 300 ? `${formatted.message.slice(0, 300)}…` : formatted.message;
    return { message, locations: formatted.locations, path: formatted.path, extensions: { code } };
  }
  log(error);
  return { message: '县人社局业务系统内部错误，请稍后重试；如持续出现请联系县人社局信息科', locations: formatted.locations, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
