import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { envDetectorSync, Resource } from '@opentelemetry/resources';
import { AlwaysOffSampler, BatchSpanProcessor, ParentBasedSampler, AlwaysOnSampler, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { sqlShape } from './sql-shape';

/**
 * OpenTelemetry tracing: one trace per request across gateway → subgraph → SQL. The W3C
 * `traceparent` header carries it between processes; inside a process the active span travels
 * with AsyncLocalStorage, so @apollo/gateway's own spans (it uses the same @opentelemetry/api)
 * nest under the request's span without being handed anything.
 *
 * Spans are exported by OTLP/HTTP only when `OTEL_EXPORTER_OTLP_ENDPOINT` (or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set; the exporter reads those variables itself, as the
 * OTel spec says, and `OTEL_SERVICE_NAME` names the resource. Without an endpoint nothing is
 * sampled: trace ids are still made and propagated (logs carry them), but no span is recorded.
 */
let provider: NodeTracerProvider | undefined;

export interface TelemetryOptions {
  /** `service.name` unless `OTEL_SERVICE_NAME` says otherwise. */
  serviceName?: string;
  /** Replaces the OTLP exporter; tests pass an in-memory one. */
  spanProcessors?: SpanProcessor[];
  env?: NodeJS.ProcessEnv;
}

/** Registers the tracer provider, context manager and propagator once per process; later calls return it. */
export function initTelemetry(options: TelemetryOptions = {}): NodeTracerProvider {
  if (provider) return provider;
  const env = options.env ?? process.env;
  const exporting = Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  const spanProcessors = options.spanProcessors ?? (exporting ? [new BatchSpanProcessor(new OTLPTraceExporter())] : []);
  provider = new NodeTracerProvider({
    resource: new Resource({ 'service.name': options.serviceName ?? 'qinqing-hub' }).merge(envDetectorSync.detect()),
    spanProcessors,
    // Recording spans nobody exports would only cost; ids are still generated and propagated.
    sampler: spanProcessors.length ? new ParentBasedSampler({ root: new AlwaysOnSampler() }) : new AlwaysOffSampler(),
  });
  // NodeTracerProvider's default context manager is AsyncLocalStorage; the propagator is W3C only.
  provider.register({ propagator: new W3CTraceContextPropagator() });
  return provider;
}

/** Exports what is still batched; call on shutdown. */
export async function shutdownTelemetry(): Promise<void> {
  await provider?.shutdown();
}

/** The active trace id (for a response header or a log line), if any. */
export function currentTraceId(): string | undefined {
  const span = trace.getActiveSpan()?.spanContext();
  return span && trace.isSpanContextValid(span) ? span.traceId : undefined;
}

/** Writes `traceparent` for the active context into outgoing headers (a fetch `Headers` or alike). */
export function injectTraceContext(headers: { set(name: string, value: string): void }): void {
  propagation.inject(context.active(), headers, { set: (carrier, key, value) => carrier.set(key, value) });
}

/** Probes and scrapes would be most of the traces and say nothing. */
const UNTRACED_PATHS = new Set(['/health', '/ready', '/metrics']);

/**
 * Wraps an HTTP handler: each request continues the caller's trace (`traceparent`) or starts one,
 * under a SERVER span that is the active context while the request runs.
 */
export function traceRequests(service: string, handler: RequestListener): RequestListener {
  const tracer = trace.getTracer(`qinqing-hub/${service}`);
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (UNTRACED_PATHS.has(path)) return handler(req, res);
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    // The span name stays low-cardinality: the path only when it is the GraphQL endpoint.
    const span = tracer.startSpan(
      path === '/graphql' ? `${req.method} /graphql` : `HTTP ${req.method}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method ?? '', 'url.path': path.slice(0, 200), 'qinqing.service': service } },
      parent,
    );
    res.once('close', () => {
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    return context.with(trace.setSpan(parent, span), () => handler(req, res));
  };
}

const sqlTracer = () => trace.getTracer('qinqing-hub/sql');

/**
 * A finished SQL statement as a CLIENT span under the active one (reported after the fact, with
 * its duration). Only the statement's shape is recorded: no parameter value ever reaches a span.
 * Statements outside a recorded request (migrations, seeding) make no span.
 */
export function recordStatementSpan(statement: string, tookMs: number, system: 'sqlite' | 'postgresql', failed = false): void {
  if (!trace.getActiveSpan()?.isRecording()) return;
  const end = Date.now();
  const shape = sqlShape(statement);
  const verb = /^\s*(\w+)/.exec(shape)?.[1]?.toLowerCase() ?? 'sql';
  const span = sqlTracer().startSpan(`${verb} ${system}`, {
    kind: SpanKind.CLIENT,
    startTime: end - Math.max(0, tookMs),
    attributes: { 'db.system': system, 'db.statement': shape.slice(0, 2000), 'db.operation': verb },
  });
  if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end(end);
}
