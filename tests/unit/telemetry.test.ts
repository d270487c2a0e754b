import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { initTelemetry, shutdownTelemetry } from '../../platform/telemetry';

/** With OTEL_EXPORTER_OTLP_ENDPOINT, spans leave by OTLP/HTTP, named by OTEL_SERVICE_NAME. */
describe('OTLP export', () => {
  test('spans are posted to <endpoint>/v1/traces under the configured service name', async () => {
    const received: { url?: string; body: string }[] = [];
    let arrived!: () => void;
    const posted = new Promise<void>((resolve) => (arrived = resolve));
    const collector = createServer(async (req: IncomingMessage, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      received.push({ url: req.url, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      arrived();
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const saved = { ...process.env };
    try {
      // The exporter reads these itself, as the OTel spec says.
      process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
      process.env.OTEL_SERVICE_NAME = 'qinqing-otlp-test';
      initTelemetry({ serviceName: 'overridden-by-env' });
      trace.getTracer('test').startSpan('exported-span').end();
      await shutdownTelemetry();
      await posted;
    } finally {
      process.env = saved;
      collector.close();
    }
    expect(received[0].url).toBe('/v1/traces');
    expect(received[0].body).toContain('exported-span');
    expect(received[0].body).toContain('qinqing-otlp-test');
    expect(received[0].body).not.toContain('overridden-by-env');
  });
});
