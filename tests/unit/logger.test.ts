import { context, trace } from '@opentelemetry/api';
import { createLogger, type LogLevel } from '../../platform/logger';
import { sqlShape } from '../../platform/sql-shape';
import { initTelemetry } from '../../platform/telemetry';

/** What reaches a log line: JSON with service and request id, never a secret or a person's numbers. */
describe('logger', () => {
  const capture = (level: LogLevel = 'debug', bindings: Record<string, unknown> = { service: 'test' }) => {
    const lines: Record<string, any>[] = [];
    const raw: string[] = [];
    const log = createLogger(level, bindings, (line) => {
      raw.push(line);
      lines.push(JSON.parse(line));
    });
    return { log, lines, raw };
  };

  test('one JSON object per line with time, level, msg, the bindings and the fields', () => {
    const { log, lines, raw } = capture();
    log.info('graphql request', { requestId: 'req-1', operationName: 'Q' });
    expect(raw[0]).not.toContain('\n');
    expect(lines[0]).toEqual({ time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), level: 'info', msg: 'graphql request', service: 'test', requestId: 'req-1', operationName: 'Q' });
  });

  test('levels below the configured one are dropped; silent drops everything', () => {
    const warn = capture('warn');
    warn.log.debug('d');
    warn.log.info('i');
    warn.log.warn('w');
    warn.log.error('e');
    expect(warn.lines.map((l) => l.msg)).toEqual(['w', 'e']);
    const silent = capture('silent');
    silent.log.error('e');
    expect(silent.lines).toEqual([]);
  });

  test('a child carries its bindings on every line and keeps the parent\'s', () => {
    const { log, lines } = capture('info', { service: 'enterprises' });
    const child = log.child({ requestId: 'req-2' }).child({ subgraph: 'tax' });
    child.info('enterprise registered', { creditCode: '91360732MA35X1234K' });
    log.info('no request');
    expect(lines[0]).toMatchObject({ service: 'enterprises', requestId: 'req-2', subgraph: 'tax', creditCode: '91360732MA35X1234K' });
    expect(lines[1].requestId).toBeUndefined();
  });

  const secrets: Record<string, string> = {
    authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.secret-token',
    'x-qinqing-identity': 'eyJhbGciOiJIUzI1NiJ9.identity',
    cookie: 'session=abc123',
    token: 'eyJ.raw-token',
    legalRepresentativeIdNumber: '360732199001011234',
    idNumber: '36073219900101123X',
    bankAccount: '6228480012345678',
    accountNumber: '6228480087654321',
  };

  test.each(Object.keys(secrets))('%s is redacted at the top level and nested up to four levels deep', (key) => {
    const { log, raw, lines } = capture();
    const value = secrets[key];
    log.info('top', { [key]: value });
    log.info('nested', { headers: { [key]: value } });
    log.info('deep', { input: { enterprise: { owner: { [key]: value } } } });
    log.info('deeper', { a: { b: { c: { d: { [key]: value } } } } });
    log.info('in a list', { people: [{ [key]: value }] });
    for (const line of raw) expect(line).not.toContain(value);
    expect(lines[0][key]).toBe('[REDACTED]');
    expect(lines[1].headers[key]).toBe('[REDACTED]');
    expect(lines[2].input.enterprise.owner[key]).toBe('[REDACTED]');
    expect(lines[3].a.b.c.d[key]).toBe('[REDACTED]');
    expect(lines[4].people[0][key]).toBe('[REDACTED]');
  });

  test('redaction leaves the caller\'s object untouched and other fields readable', () => {
    const { log, lines } = capture();
    const fields = { headers: { authorization: 'Bearer x', 'x-request-id': 'req-3' } };
    log.info('headers', fields);
    expect(fields.headers.authorization).toBe('Bearer x');
    expect(lines[0].headers['x-request-id']).toBe('req-3');
  });

  test('an error is serialized with its type, stack and cause chain', () => {
    const { log, lines } = capture();
    const root = new Error('connection reset');
    const error = new Error('could not load enterprise', { cause: root });
    log.error('unexpected error', { error });
    expect(lines[0].error).toMatchObject({
      type: 'Error',
      message: expect.stringContaining('could not load enterprise'),
      stack: expect.stringContaining('logger.test'),
      cause: { type: 'Error', message: 'connection reset' },
    });
  });

  test('a failed statement logs its shape, never its parameters', () => {
    const { log, raw, lines } = capture();
    // What knex (through MikroORM) throws for a failed insert: values inlined into the message.
    const driverError = Object.assign(
      new Error("insert into `enterprise` (`credit_code`, `legal_representative_id_number`, `registered_capital`) values ('91360732MA35X1234K', '360732199001011234', 5000000) - UNIQUE constraint failed: enterprise.credit_code"),
      { sql: 'insert into ...', bindings: ['91360732MA35X1234K', '360732199001011234'], detail: 'Key (id_number)=(360732199001011234) already exists.' },
    );
    log.error('unexpected error', { error: new Error('registration failed', { cause: driverError }) });
    expect(raw[0]).not.toContain('360732199001011234');
    expect(raw[0]).not.toContain('5000000');
    expect(lines[0].error.cause.message).toBe(
      'insert into `enterprise` (`credit_code`, `legal_representative_id_number`, `registered_capital`) values (?, ?, ?) - UNIQUE constraint failed: enterprise.credit_code',
    );
    expect(lines[0].error.cause.bindings).toBeUndefined();
  });

  test('sqlShape keeps placeholders and identifiers, drops literals', () => {
    expect(sqlShape(`select "e0".* from "enterprises"."enterprise" as "e0" where "e0"."name" like 'x''%' and "e0"."id" = $1 limit 21`)).toBe(
      `select "e0".* from "enterprises"."enterprise" as "e0" where "e0"."name" like ? and "e0"."id" = $1 limit ?`,
    );
  });

  test('a line written inside an active span carries its trace id', () => {
    initTelemetry(); // the AsyncLocalStorage context manager
    const { log, lines } = capture();
    const spanContext = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1 };
    context.with(trace.setSpanContext(context.active(), spanContext), () => log.info('inside'));
    log.info('outside');
    expect(lines[0]).toMatchObject({ traceId: spanContext.traceId, spanId: spanContext.spanId });
    expect(lines[1].traceId).toBeUndefined();
  });
});
