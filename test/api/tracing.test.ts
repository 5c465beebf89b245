import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTracing, type Tracing } from '../../src/telemetry/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { orderBody, placeOrder } from '../support/orders.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { createWarehouseChannel } from '../support/warehouse.ts';

/** The parts of an OTLP/HTTP JSON span these tests read. */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: { stringValue?: string; intValue?: string | number } }[];
}

/** A real OTLP/HTTP collector endpoint: keeps every span POSTed to /v1/traces. */
function startCollector(): Promise<{ url: string; spans: OtlpSpan[]; services: string[]; close: () => Promise<void> }> {
  const spans: OtlpSpan[] = [];
  const services: string[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      if (request.url === '/v1/traces' && request.headers['content-type']?.startsWith('application/json')) {
        for (const resource of JSON.parse(body).resourceSpans ?? []) {
          for (const a of resource.resource?.attributes ?? [])
            if (a.key === 'service.name') services.push(a.value.stringValue);
          for (const scope of resource.scopeSpans ?? []) spans.push(...scope.spans);
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } else response.writeHead(404).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        url: `http://127.0.0.1:${port}`,
        spans,
        services,
        close: () => new Promise((done) => server.close(() => done())),
      });
    }),
  );
}

const attribute = (span: OtlpSpan, key: string) => {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value?.stringValue ?? (value?.intValue === undefined ? undefined : Number(value.intValue));
};

let collector: Awaited<ReturnType<typeof startCollector>>;
let tracing: Tracing | undefined;
let database: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  collector = await startCollector();
  // Tracing first: the database's connections and the server are made traced.
  tracing = startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_SERVICE_NAME: 'consign-test' });
  database = await createTestDatabase();
  server = await startTestServer(database);
  await createWarehouseChannel(server.request, { code: 'WH', name: 'Warehouse', skus: [{ sku: 'TRC-1' }], onHand: 10 });
});
afterAll(async () => {
  await server?.close();
  await database?.close();
  await tracing?.shutdown();
  await collector?.close();
});

describe('OpenTelemetry traces over OTLP', () => {
  it('is off without an OTLP endpoint', () => {
    expect(startTracing({})).toBeUndefined();
  });

  it("exports a request's span, named by its route and continuing the caller's trace, with its statements as children", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    const placed = await placeOrder(server, orderBody('TRC-ORDER', [{ sku: 'TRC-1', quantity: 2 }]), {
      traceparent: `00-${traceId}-${callerSpan}-01`,
    });
    expect(placed.status).toBe(201);
    await tracing!.shutdown(); // flushes the queued spans to the collector
    tracing = undefined;

    expect(collector.services).toContain('consign-test');
    const ofTrace = collector.spans.filter((s) => s.traceId === traceId);
    const request = ofTrace.find((s) => s.kind === 2); // SERVER
    expect(request).toBeDefined();
    expect(request!.name).toBe('POST /v1/orders');
    expect(request!.parentSpanId).toBe(callerSpan);
    expect(attribute(request!, 'http.route')).toBe('/v1/orders');
    expect(attribute(request!, 'http.response.status_code')).toBe(201);

    const statements = ofTrace.filter((s) => s.kind === 3); // CLIENT
    expect(statements.length).toBeGreaterThan(0);
    const ids = new Set(ofTrace.map((s) => s.spanId));
    for (const statement of statements) {
      expect(attribute(statement, 'db.system.name')).toBe('postgresql');
      expect(ids.has(statement.parentSpanId!) || statement.parentSpanId === request!.spanId).toBe(true);
    }
    const texts = statements.map((s) => String(attribute(s, 'db.query.text')));
    expect(texts.some((t) => /insert into orders/i.test(t))).toBe(true);
    // Parameter values never reach a span: the order's external ID was a bound value.
    expect(texts.some((t) => t.includes('TRC-ORDER'))).toBe(false);
  });
});
