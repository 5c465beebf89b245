import http from 'node:http';

/** The parts of an OTLP/HTTP JSON span the order-cost scenario reads. */
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  attributes: { key: string; value: { stringValue?: string } }[];
}

export interface Collector {
  /** What the server under test is given as `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`. */
  tracesUrl: string;
  /** Every span received so far; `clear` empties it. */
  spans: OtlpSpan[];
  clear(): void;
  close(): Promise<void>;
}

/** A local OTLP/HTTP (JSON) endpoint that keeps every span the server under test exports. */
export function startCollector(): Promise<Collector> {
  const spans: OtlpSpan[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url !== '/v1/traces') return void response.writeHead(404).end();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        resourceSpans?: { scopeSpans?: { spans?: OtlpSpan[] }[] }[];
      };
      for (const resource of body.resourceSpans ?? [])
        for (const scope of resource.scopeSpans ?? []) spans.push(...(scope.spans ?? []));
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        tracesUrl: `http://127.0.0.1:${port}/v1/traces`,
        spans,
        clear: () => void spans.splice(0),
        close: () => new Promise((done) => server.close(() => done())),
      });
    }),
  );
}

/** One statement of a request: its text, when it started after the request and how long it took, in ms. */
export interface TracedStatement {
  text: string;
  startMs: number;
  durationMs: number;
}

/** One POST /v1/orders as the server traced it. */
export interface TracedRequest {
  durationMs: number;
  statements: TracedStatement[];
}

const nanos = (value: string | number) => BigInt(value);
const msBetween = (from: bigint, to: bigint) => Number(to - from) / 1e6;

/** The traced requests named `name` (e.g. `POST /v1/orders`), each with its statements in the order they started. */
export function tracedRequests(spans: readonly OtlpSpan[], name: string): TracedRequest[] {
  const children = new Map<string, OtlpSpan[]>();
  for (const span of spans) {
    if (!span.parentSpanId) continue;
    const list = children.get(span.parentSpanId) ?? [];
    list.push(span);
    children.set(span.parentSpanId, list);
  }
  return spans
    .filter((span) => !span.parentSpanId && span.name === name)
    .map((root) => {
      const start = nanos(root.startTimeUnixNano);
      const statements = (children.get(root.spanId) ?? [])
        .map((span) => ({
          text: span.attributes.find((a) => a.key === 'db.query.text')?.value.stringValue ?? span.name,
          startMs: msBetween(start, nanos(span.startTimeUnixNano)),
          durationMs: msBetween(nanos(span.startTimeUnixNano), nanos(span.endTimeUnixNano)),
        }))
        .sort((a, b) => a.startMs - b.startMs);
      return { durationMs: msBetween(start, nanos(root.endTimeUnixNano)), statements };
    });
}

/** A phase of an order's capture and the statements that belong to it, told by their text. */
export interface Phase {
  name: string;
  matches: (text: string) => boolean;
}

/** Time of one request by phase: the statements' own time (database) and the server's time before each. */
export interface PhaseTimes {
  databaseMs: Map<string, number>;
  serverMs: Map<string, number>;
  statements: Map<string, number>;
}

/**
 * Splits a request's time into phases: a statement's duration is database time (the round trip
 * included) of its phase; the server's time between the previous statement's end and its start
 * is spent preparing it, so it is server time of the same phase. What follows the last
 * statement is `after` (the response written and sent); what precedes the first, `before`.
 */
export function phaseTimes(
  request: TracedRequest,
  phases: readonly Phase[],
  before: string,
  after: string,
): PhaseTimes {
  const times: PhaseTimes = { databaseMs: new Map(), serverMs: new Map(), statements: new Map() };
  const add = (map: Map<string, number>, phase: string, value: number) => map.set(phase, (map.get(phase) ?? 0) + value);
  let cursor = 0;
  request.statements.forEach((statement, i) => {
    const phase = phases.find((p) => p.matches(statement.text))?.name ?? 'other';
    add(times.serverMs, i === 0 ? before : phase, Math.max(0, statement.startMs - cursor));
    add(times.databaseMs, phase, statement.durationMs);
    add(times.statements, phase, 1);
    cursor = Math.max(cursor, statement.startMs + statement.durationMs);
  });
  add(times.serverMs, after, Math.max(0, request.durationMs - cursor));
  return times;
}
