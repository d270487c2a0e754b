import { randomBytes } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createLogger } from '../../platform/logger';
import { initTelemetry } from '../../platform/telemetry';
import { describeDb } from '../support/db';
import { startTestGraph, type TestGraph } from '../support/graph';

/** Hands every finished span to the in-memory exporter and wakes whoever waits for one. */
class WaitingProcessor extends SimpleSpanProcessor {
  private waiters: { predicate: (spans: ReadableSpan[]) => boolean; resolve: () => void }[] = [];
  constructor(private readonly exporter: InMemorySpanExporter) {
    super(exporter);
  }
  override onEnd(span: ReadableSpan): void {
    super.onEnd(span);
    const spans = this.exporter.getFinishedSpans();
    this.waiters = this.waiters.filter((w) => !(w.predicate(spans) && (w.resolve(), true)));
  }
  until(predicate: (spans: ReadableSpan[]) => boolean): Promise<ReadableSpan[]> {
    if (predicate(this.exporter.getFinishedSpans())) return Promise.resolve(this.exporter.getFinishedSpans());
    return new Promise((resolve) => this.waiters.push({ predicate, resolve: () => resolve(this.exporter.getFinishedSpans()) }));
  }
}

/** One trace per request, gateway → subgraph → SQL, continued from the caller's `traceparent`. */
describeDb('tracing across the graph', () => {
  const exporter = new InMemorySpanExporter();
  const processor = new WaitingProcessor(exporter);
  const lines: Record<string, any>[] = [];
  let graph: TestGraph;
  let auditor: string;

  beforeAll(async () => {
    initTelemetry({ spanProcessors: [processor] });
    graph = await startTestGraph({ log: (service) => createLogger('info', { service }, (line) => lines.push(JSON.parse(line))) });
    auditor = await graph.token({ role: 'AUDITOR' });
  });
  afterAll(() => graph?.stop());

  const query = `query TracedPage($r: String) { enterprises(first: 3, filter: { regionCode: $r }) { nodes { creditCode name tax { creditCode } } } }`;
  const inTrace = (traceId: string) => (spans: ReadableSpan[]) => spans.filter((s) => s.spanContext().traceId === traceId);
  const serverSpanOf = (service: string) => (s: ReadableSpan) => s.kind === SpanKind.SERVER && s.attributes['qinqing.service'] === service;

  test('the caller\'s trace id reaches both subgraphs and their SQL; SQL spans carry no values', async () => {
    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    const { status, body } = await graph.query(query, { r: '360732' }, auditor, { traceparent: `00-${traceId}-${callerSpanId}-01` });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.enterprises.nodes.length).toBeGreaterThan(0);

    const spans = inTrace(traceId)(
      await processor.until((all) => {
        const mine = inTrace(traceId)(all);
        return ['gateway', 'enterprises', 'tax'].every((service) => mine.some(serverSpanOf(service)));
      }),
    );
    const gatewaySpan = spans.find(serverSpanOf('gateway'))!;
    // The gateway continued the caller's trace rather than starting its own.
    expect(gatewaySpan.parentSpanId).toBe(callerSpanId);
    // @apollo/gateway's own spans nest under the request.
    const fetches = spans.filter((s) => s.name === 'gateway.fetch');
    expect(fetches.length).toBeGreaterThanOrEqual(2);
    const spanIds = new Set(spans.map((s) => s.spanContext().spanId));
    for (const service of ['enterprises', 'tax']) {
      const server = spans.find(serverSpanOf(service))!;
      // Its parent is a gateway span of this trace: the traceparent header reached the subgraph.
      expect(spanIds.has(server.parentSpanId!)).toBe(true);
      const sql = spans.filter((s) => s.kind === SpanKind.CLIENT && s.parentSpanId === server.spanContext().spanId && s.attributes['db.statement']);
      expect(sql.length).toBeGreaterThan(0);
      for (const statement of sql) expect(statement.attributes['db.statement']).not.toMatch(/360732|'/);
    }
    const enterprisesSql = spans.filter((s) => /^select /.test(s.name) && String(s.attributes['db.statement']).includes('enterprise'));
    expect(enterprisesSql.length).toBeGreaterThan(0);
  });

  test('without a traceparent the gateway starts a trace that the subgraph continues; request log lines carry it', async () => {
    const before = lines.length;
    const { body } = await graph.query(query, { r: '360731' }, auditor, { 'x-request-id': 'trace-test-2' });
    expect(body.errors).toBeUndefined();
    const requestLines = () => lines.slice(before).filter((l) => l.msg === 'graphql request' && l.requestId === 'trace-test-2');
    const gatewayLine = requestLines().find((l) => l.service === 'gateway');
    expect(gatewayLine?.traceId).toMatch(/^[0-9a-f]{32}$/);
    for (const service of ['enterprises', 'tax']) {
      expect(requestLines().find((l) => l.service === service)?.traceId).toBe(gatewayLine!.traceId);
    }
    const spans = await processor.until((all) => inTrace(gatewayLine!.traceId)(all).some(serverSpanOf('enterprises')));
    expect(inTrace(gatewayLine!.traceId)(spans).find(serverSpanOf('enterprises'))?.parentSpanId).toBeDefined();
  });
});
