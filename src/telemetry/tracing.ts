import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

const tracer = () => trace.getTracer('consign');

/** Statement text kept on a span: enough to recognise it, never parameter values. */
const MAX_STATEMENT_CHARS = 2_000;

export interface Tracing {
  /** Where spans go. */
  url: string;
  /** Sends the spans still queued and stops exporting. */
  shutdown(): Promise<void>;
}

/**
 * Exports OpenTelemetry traces over OTLP/HTTP (JSON) when `OTEL_EXPORTER_OTLP_ENDPOINT` or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set (the standard variables; `OTEL_SERVICE_NAME`
 * names the service, `consign` by default). Without them tracing stays off and costs nothing.
 */
export function startTracing(env: NodeJS.ProcessEnv = process.env): Tracing | undefined {
  const url = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || tracesUrl(env.OTEL_EXPORTER_OTLP_ENDPOINT);
  if (!url) return undefined;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME || 'consign' }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }), { scheduledDelayMillis: 1000 })],
  });
  provider.register();
  active = true;
  return {
    url,
    shutdown: async () => {
      active = false;
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/** `OTEL_EXPORTER_OTLP_ENDPOINT` is the collector's base URL; traces go to its `/v1/traces`. */
function tracesUrl(base: string | undefined): string | undefined {
  return base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined;
}

let active = false;

/** True while `startTracing` exports spans: servers then wrap each request in a span. */
export function tracingActive(): boolean {
  return active;
}

/**
 * Runs `handle` inside a server span for one HTTP request, continuing the caller's trace when
 * it sent a W3C `traceparent`. The span ends when the response is finished or the connection closes.
 */
export function traceRequest(
  request: { method?: string | undefined; url?: string | undefined; headers: Record<string, unknown> },
  response: { statusCode: number; once(event: 'close', listener: () => void): unknown },
  handle: () => void,
): void {
  const parent = propagation.extract(context.active(), request.headers);
  const span = tracer().startSpan(
    `${request.method ?? 'GET'}`,
    {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': request.method ?? 'GET', 'url.path': (request.url ?? '/').split('?')[0] },
    },
    parent,
  );
  response.once('close', () => {
    span.setAttribute('http.response.status_code', response.statusCode);
    if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  context.with(trace.setSpan(parent, span), handle);
}

/** Names the request's span after its route template once the router has matched it. */
export function nameRequestSpan(method: string, route: string): void {
  const span = trace.getActiveSpan();
  if (!span) return;
  span.updateName(`${method} ${route}`);
  span.setAttribute('http.route', route);
}

/**
 * Starts a client span for one database statement, a child of the request's span; undefined
 * outside a traced request (workers' statements are not traced). Call `end` with the error, if any.
 */
export function startStatementSpan(engine: string, text: string): { end(error?: unknown): void } | undefined {
  if (!active || !trace.getActiveSpan()) return undefined;
  const operation = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? 'QUERY';
  const span = tracer().startSpan(operation, {
    kind: SpanKind.CLIENT,
    attributes: {
      'db.system.name': engine,
      'db.operation.name': operation,
      'db.query.text': text.slice(0, MAX_STATEMENT_CHARS),
    },
  });
  return {
    end(error?: unknown) {
      if (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      }
      span.end();
    },
  };
}

/** Runs one database statement inside a client span (see `startStatementSpan`). */
export async function traceStatement<T>(engine: string, text: string, run: () => Promise<T>): Promise<T> {
  const span = startStatementSpan(engine, text);
  if (!span) return run();
  try {
    const result = await run();
    span.end();
    return result;
  } catch (error) {
    span.end(error);
    throw error;
  }
}
