import { trace } from '@opentelemetry/api';
import pino, { type DestinationStream } from 'pino';
import { scrubSqlText } from './sql-shape';

/**
 * JSON lines on stdout through pino: one object per event, with the service, the gateway's request
 * id and the trace id, so a request can be followed across the gateway and every subgraph it
 * touched. Writes are asynchronous (a slow stdout must not stall requests); `flushLogs()` on
 * shutdown. Secrets and personal data are redacted here, once, whatever the caller passes.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

/** Keys whose values never reach a log line, at the top level or nested (headers, inputs, errors). */
const SENSITIVE_KEYS = [
  'authorization',
  'cookie',
  'token',
  '["x-qinqing-identity"]',
  'legalRepresentativeIdNumber',
  'idNumber',
  'bankAccount',
  'accountNumber',
];
/** pino's paths take one `*` per level; four levels cover fields, headers and inputs inside errors. */
const REDACT_DEPTH = 4;
export const REDACT_PATHS = SENSITIVE_KEYS.flatMap((key) =>
  Array.from({ length: REDACT_DEPTH + 1 }, (_, depth) => {
    const parents = Array(depth).fill('*').join('.');
    return !depth ? key : key.startsWith('[') ? parents + key : `${parents}.${key}`;
  }),
);

/**
 * Error properties that carry SQL or its values (knex/pg copy them onto the error MikroORM throws;
 * pg's `detail` quotes the duplicate key). The statement's shape stays in the message.
 */
const SQL_ERROR_FIELDS = ['sql', 'query', 'bindings', 'params', 'parameters', 'detail', 'where', 'internalQuery'];

type SerializedError = Record<string, unknown> & { message?: string; stack?: string; cause?: unknown };

function scrubError(serialized: SerializedError, depth = 0): SerializedError {
  for (const field of SQL_ERROR_FIELDS) delete serialized[field];
  if (typeof serialized.message === 'string') serialized.message = scrubSqlText(serialized.message);
  if (typeof serialized.stack === 'string') serialized.stack = scrubSqlText(serialized.stack);
  if (serialized.cause && typeof serialized.cause === 'object' && depth < 5) scrubError(serialized.cause as SerializedError, depth + 1);
  return serialized;
}

/** Errors with their `cause` chain, and no SQL parameter inlined into a driver's message. */
function serializeError(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  return scrubError(pino.stdSerializers.errWithCause(value) as unknown as SerializedError);
}

/** The trace id of the active span, so a log line leads to its trace (and back). */
function traceFields(): Record<string, string> {
  const span = trace.getActiveSpan()?.spanContext();
  return span && trace.isSpanContextValid(span) ? { traceId: span.traceId, spanId: span.spanId } : {};
}

let stdout: (DestinationStream & { flushSync(): void }) | undefined;
/** One asynchronous stdout stream per process, shared by every logger (the gateway and each subgraph). */
function asyncStdout() {
  return (stdout ??= pino.destination({ dest: 1, sync: false }) as DestinationStream & { flushSync(): void });
}

/** Writes out what the asynchronous stream still holds; call before exiting (pino also does on `exit`). */
export function flushLogs(): void {
  try {
    stdout?.flushSync();
  } catch {
    // Not opened yet or already closed: nothing to flush.
  }
}

/** Adapts pino's `(fields, msg)` to the `(msg, fields)` every call site uses. */
function adapt(p: pino.Logger): Logger {
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (msg: string, fields?: Record<string, unknown>) => {
    if (fields) p[level](fields, msg);
    else p[level](msg);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (fields) => adapt(p.child(fields)) };
}

export function createLogger(level: LogLevel, bindings: Record<string, unknown> = {}, write?: (line: string) => void): Logger {
  const destination: DestinationStream = write
    ? { write: (line: string) => write(line.endsWith('\n') ? line.slice(0, -1) : line) }
    : level === 'silent'
      ? { write: () => undefined }
      : asyncStdout();
  const p = pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: traceFields,
      serializers: { error: serializeError, err: serializeError, cause: serializeError },
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    },
    destination,
  );
  return adapt(p.child(bindings));
}
