import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, GraphQLFormattedError } from 'graphql';

/**
 * Every error a user can see has a stable `extensions.code` (clients branch on it) and a message a
 * person can act on, in Chinese because the people reading it are Chinese.
 * The codes are the contract; messages may improve.
 */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  INVALID_CREDIT_CODE: 'INVALID_CREDIT_CODE',
  ALREADY_EXISTS: 'ALREADY_EXISTS',
  CALENDAR_NOT_PUBLISHED: 'CALENDAR_NOT_PUBLISHED',
  /** A workflow step asked of a case in a state (or mode) that does not allow it (subgraphs/applications/workflow). */
  WRONG_STATE: 'WRONG_STATE',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  /** HTTP 503 + Retry-After: a subgraph's queue is full, the gateway shed the call (gateway/datasource.ts). */
  OVERLOADED: 'OVERLOADED',
  /** HTTP 413: the request body is over HTTP_MAX_BODY_BYTES (platform/http.ts). */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The one error class the code throws on purpose. `details` land in extensions for machines. */
export class AppError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(message, { extensions: { code, ...details } });
    this.name = 'AppError';
  }
}

export const unauthenticated = (message = '请先登录：此数据需要身份认证') =>
  new AppError(ErrorCode.UNAUTHENTICATED, message);
export const forbidden = (message = '无权访问：您的角色或所属地区不能查看或修改此数据') =>
  new AppError(ErrorCode.FORBIDDEN, message);
export const notFound = (what: string, key: string) =>
  new AppError(ErrorCode.NOT_FOUND, `未找到${what}：${key}`, { key });
export const badInput = (message: string, details: Record<string, unknown> = {}) =>
  new AppError(ErrorCode.BAD_USER_INPUT, message, details);

// --- Input problems (issue 5: inputs) -------------------------------------------------------

/** One thing wrong with one input field; `field` is the path inside the argument (`name`, `filter.regionCode`). */
export interface FieldProblem {
  field: string;
  message: string;
}

/** `BAD_USER_INPUT` listing every problem at once (一次性告知): fixed in one pass, not one resubmission per mistake. */
export const invalidInput = (problems: FieldProblem[]) =>
  new AppError(ErrorCode.BAD_USER_INPUT, `输入有 ${problems.length} 处问题：${problems.map((p) => p.message).join('；')}`, { problems });

const ECHO_MAX = 32;
/** graphql-js quotes a refused variable whole (`Variable "$x" got invalid value "…"; reason`). */
const VARIABLE_MESSAGE = /^Variable "(\$[^"]{1,64})" got invalid value /;
/**
 * What an error may quote of a value it refuses: a short prefix, never the whole thing (a pasted
 * ID number, a megabyte of junk, a control character that corrupts a log line).
 */
export function echo(value: unknown, max = ECHO_MAX): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  const chars = [...text];
  const visible = chars.slice(0, max).map((ch) => (/[\p{Cc}\p{Cf}\p{Cs}]/u.test(ch) ? `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : ch));
  return visible.join('') + (chars.length > max ? '…' : '');
}

/** class-validator's ValidationError, as much of it as we read (the platform does not import it). */
interface ValidationErrorLike {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationErrorLike[];
}

/** Flattens type-graphql's ArgumentValidationError (class-validator errors, nested) into `problems`. */
export function problemsFromValidation(errors: ValidationErrorLike[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix + error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...problemsFromValidation(error.children ?? [], `${field}.`)];
  });
}

function validationErrorsOf(error: unknown): ValidationErrorLike[] | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const found = (current as { extensions?: { validationErrors?: unknown } }).extensions?.validationErrors;
    if (Array.isArray(found)) return found as ValidationErrorLike[];
    current = (current as { originalError?: unknown }).originalError;
  }
  return undefined;
}

/**
 * A database driver's error carries the SQL and often its parameters (an ID number in a failed
 * insert) in its message, stack and `detail`: logs keep only what identifies the failure.
 */
export function safeForLog(error: unknown): unknown {
  const e = error as { name?: string; code?: unknown; sqlState?: unknown; errno?: unknown; constraint?: unknown; table?: unknown; sql?: unknown; query?: unknown } | null;
  const looksLikeDriver = !!e && typeof e === 'object' &&
    ('sqlState' in e || 'errno' in e || 'sql' in e || 'query' in e || (typeof e.name === 'string' && /Exception$/.test(e.name)));
  if (!looksLikeDriver) return error;
  const safe = new Error(`database error ${e!.name ?? ''} ${String(e!.code ?? e!.sqlState ?? '')}`.trim());
  safe.name = e!.name ?? 'DatabaseError';
  safe.stack = `${safe.name}: ${safe.message}`;
  return Object.assign(safe, { code: e!.code, constraint: e!.constraint, table: e!.table });
}

/** Codes that are safe to show as they are; anything else is an internal failure. */
const PUBLIC_CODES = new Set<string>([
  ...Object.values(ErrorCode),
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** A code whose message a user may read; Apollo labels every unknown failure INTERNAL_SERVER_ERROR. */
const isPublicCode = (code: unknown): boolean =>
  typeof code === 'string' && PUBLIC_CODES.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR;

/** Walks the originalError chain: a scalar's or resolver's AppError is wrapped by graphql-js. */
function findAppCode(error: unknown): { code: string; message: string; extensions: Record<string, unknown> } | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (current instanceof GraphQLError && current !== error && typeof current.extensions?.code === 'string') {
      return { code: current.extensions.code as string, message: current.message, extensions: current.extensions };
    }
    current = (current as { originalError?: unknown }).originalError;
  }
  return undefined;
}

/**
 * Apollo `formatError` for every server in the graph: keeps stable codes, lifts an inner AppError
 * (e.g. a CreditCode scalar refusing a variable) to the top, and hides internals.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const validation = validationErrorsOf(error);
  if (validation) {
    const refused = invalidInput(problemsFromValidation(validation));
    return { message: refused.message, locations: formatted.locations, path: formatted.path, extensions: refused.extensions };
  }
  const inner = findAppCode(error);
  if (inner) {
    // The inner error's own message: graphql-js's wrapper quotes the whole refused value.
    return { ...formatted, message: inner.message, extensions: { ...formatted.extensions, ...inner.extensions } };
  }
  const code = formatted.extensions?.code;
  const variable = VARIABLE_MESSAGE.exec(formatted.message);
  if (variable && isPublicCode(code)) {
    return { ...formatted, message: `变量 ${variable[1]} 的值无效：${echo(formatted.message.slice(variable[0].length), 160)}` };
  }
  if (isPublicCode(code)) return formatted;
  const original = (error as { originalError?: { name?: string } })?.originalError;
  if (original?.name === 'NotFoundError') {
    return { ...formatted, message: '未找到所请求的数据', extensions: { code: ErrorCode.NOT_FOUND } };
  }
  return {
    message: '服务内部错误，请稍后重试；如持续出现请联系平台运维并提供请求编号',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}

/**
 * Logs what `formatError` hides: unexpected errors, with their stack and the request id, so the
 * id a user quotes leads to the cause. Expected errors (AppError, validation) are not noise.
 */
export function errorLogPlugin(log: { error(msg: string, fields?: Record<string, unknown>): void }): ApolloServerPlugin<{ requestId?: string }> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, operationName }) {
          for (const error of errors) {
            if (findAppCode(error) || isPublicCode(error.extensions?.code)) continue;
            log.error('unexpected error', { requestId: contextValue?.requestId, operationName, path: error.path, error: safeForLog(error.originalError ?? error) });
          }
        },
      };
    },
  };
}
