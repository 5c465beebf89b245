import { describe, expect, it } from 'vitest';
import { phaseTimes, tracedRequests, type OtlpSpan } from './order-trace.ts';

const ms = (value: number) => String(BigInt(1_700_000_000_000) * 1_000_000n + BigInt(Math.round(value * 1e6)));
const span = (
  id: string,
  parent: string | undefined,
  name: string,
  from: number,
  to: number,
  text?: string,
): OtlpSpan => ({
  traceId: 't',
  spanId: id,
  ...(parent ? { parentSpanId: parent } : {}),
  name,
  startTimeUnixNano: ms(from),
  endTimeUnixNano: ms(to),
  attributes: text ? [{ key: 'db.query.text', value: { stringValue: text } }] : [],
});

describe('order traces', () => {
  const spans = [
    span('r', undefined, 'POST /v1/orders', 0, 10),
    span('b', 'r', 'INSERT', 5, 6, 'insert into b'),
    span('a', 'r', 'SELECT', 1, 3, 'select a'),
    span('x', undefined, 'GET /v1/orders/:id', 0, 1),
  ];
  const phases = [
    { name: 'read', matches: (t: string) => t.startsWith('select') },
    { name: 'write', matches: (t: string) => t.startsWith('insert') },
  ];

  it('reads each request of a name with its statements in the order they started', () => {
    const [request, ...others] = tracedRequests(spans, 'POST /v1/orders');
    expect(others).toEqual([]);
    expect(request!.durationMs).toBeCloseTo(10);
    expect(request!.statements.map((s) => s.text)).toEqual(['select a', 'insert into b']);
    expect(request!.statements[1]!.startMs).toBeCloseTo(5);
  });

  it('gives a statement its own time as database time and the gap before it as server time of its phase', () => {
    const times = phaseTimes(tracedRequests(spans, 'POST /v1/orders')[0]!, phases, 'before', 'after');
    expect(times.databaseMs.get('read')).toBeCloseTo(2);
    expect(times.databaseMs.get('write')).toBeCloseTo(1);
    expect(times.serverMs.get('before')).toBeCloseTo(1);
    expect(times.serverMs.get('write')).toBeCloseTo(2);
    expect(times.serverMs.get('after')).toBeCloseTo(4);
    expect(times.statements.get('read')).toBe(1);
  });
});
