import { describe, expect, it } from 'vitest';
import { messageBody, subjectFor } from './jetstream.ts';

describe('JetStream messages', () => {
  it('puts each event type under the prefix, one subject token per dotted part', () => {
    expect(subjectFor('consign', 'order.created')).toBe('consign.order.created');
    expect(subjectFor('consign', 'inventory.availability_changed')).toBe('consign.inventory.availability_changed');
  });

  it('never builds a subject NATS would refuse or read as a wildcard', () => {
    expect(subjectFor('consign', 'odd type.*.>')).toBe('consign.odd_type._._');
    expect(subjectFor('consign', 'a..b')).toBe('consign.a._.b');
  });

  it('carries the event as GET /v1/events shows it', () => {
    const body = messageBody({
      id: 42,
      type: 'order.created',
      subjectType: 'order',
      subjectId: 'ord_1',
      payload: { order_id: 'ord_1' },
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    expect(JSON.parse(new TextDecoder().decode(body))).toEqual({
      id: '42',
      type: 'order.created',
      subject_type: 'order',
      subject_id: 'ord_1',
      data: { order_id: 'ord_1' },
      created_at: '2026-01-01T00:00:00.000Z',
    });
  });
});
