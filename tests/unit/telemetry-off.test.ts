import { trace } from '@opentelemetry/api';
import { initTelemetry } from '../../platform/telemetry';

/** Without an OTLP endpoint nothing is recorded, but trace ids still exist for propagation and logs. */
test('without OTEL_EXPORTER_OTLP_ENDPOINT spans are not recorded yet carry a valid trace id', () => {
  initTelemetry({ env: {} });
  const span = trace.getTracer('test').startSpan('not-exported');
  expect(span.isRecording()).toBe(false);
  expect(trace.isSpanContextValid(span.spanContext())).toBe(true);
  span.end();
});
