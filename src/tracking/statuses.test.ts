import { describe, expect, it } from 'vitest';
import { deriveShipmentStatus, type ShipmentStatus, type TrackingStatus } from './statuses.ts';

const at = (iso: string) => Date.parse(iso);
const facts = (...list: [TrackingStatus, string][]) =>
  list.map(([status, time]) => ({ status, occurredAtMs: at(time) }));

describe('deriveShipmentStatus', () => {
  it('keeps the current status when there are no events', () => {
    expect(deriveShipmentStatus('label_created', [])).toEqual({
      status: 'label_created',
      deliveredAtMs: null,
      lastEventAtMs: null,
    });
  });

  it.each<[string, ShipmentStatus, [TrackingStatus, string][], ShipmentStatus]>([
    [
      'the latest event wins',
      'label_created',
      [
        ['pre_transit', '2025-01-01T10:00Z'],
        ['in_transit', '2025-01-02T10:00Z'],
      ],
      'in_transit',
    ],
    [
      'an older event arriving later does not move it back',
      'out_for_delivery',
      [
        ['out_for_delivery', '2025-01-03T08:00Z'],
        ['in_transit', '2025-01-02T10:00Z'],
      ],
      'out_for_delivery',
    ],
    [
      'an exception after transit',
      'in_transit',
      [
        ['in_transit', '2025-01-02T10:00Z'],
        ['exception', '2025-01-03T10:00Z'],
      ],
      'exception',
    ],
    [
      'transit resumes after an exception',
      'exception',
      [
        ['exception', '2025-01-03T10:00Z'],
        ['in_transit', '2025-01-04T10:00Z'],
      ],
      'in_transit',
    ],
    [
      'delivered is final even when a later scan says in transit',
      'label_created',
      [
        ['delivered', '2025-01-03T10:00Z'],
        ['in_transit', '2025-01-04T10:00Z'],
      ],
      'delivered',
    ],
    [
      'delivered wins though stamped before out-for-delivery',
      'label_created',
      [
        ['out_for_delivery', '2025-01-03T10:00Z'],
        ['delivered', '2025-01-03T09:00Z'],
      ],
      'delivered',
    ],
    [
      'returned to sender is final',
      'in_transit',
      [
        ['returned_to_sender', '2025-01-03T10:00Z'],
        ['out_for_delivery', '2025-01-05T10:00Z'],
      ],
      'returned_to_sender',
    ],
    [
      'the first terminal event decides between two',
      'in_transit',
      [
        ['returned_to_sender', '2025-01-05T10:00Z'],
        ['delivered', '2025-01-04T10:00Z'],
      ],
      'delivered',
    ],
    [
      'a stored terminal status never moves',
      'returned_to_sender',
      [['delivered', '2025-01-01T10:00Z']],
      'returned_to_sender',
    ],
    ['a stored delivered never moves', 'delivered', [['in_transit', '2025-02-01T10:00Z']], 'delivered'],
    [
      'at the same instant the later stage wins',
      'label_created',
      [
        ['out_for_delivery', '2025-01-03T10:00Z'],
        ['in_transit', '2025-01-03T10:00Z'],
      ],
      'out_for_delivery',
    ],
  ])('%s', (_name, current, list, expected) => {
    expect(deriveShipmentStatus(current, facts(...list)).status).toBe(expected);
  });

  it('reports the earliest delivery and the latest event time', () => {
    const derived = deriveShipmentStatus(
      'in_transit',
      facts(
        ['in_transit', '2025-01-02T10:00Z'],
        ['delivered', '2025-01-03T12:00Z'],
        ['delivered', '2025-01-03T11:00Z'],
        ['in_transit', '2025-01-04T10:00Z'],
      ),
    );
    expect(derived).toEqual({
      status: 'delivered',
      deliveredAtMs: at('2025-01-03T11:00Z'),
      lastEventAtMs: at('2025-01-04T10:00Z'),
    });
  });

  it('has no delivery time for a shipment that is not delivered', () => {
    expect(
      deriveShipmentStatus('in_transit', facts(['returned_to_sender', '2025-01-05T10:00Z'])).deliveredAtMs,
    ).toBeNull();
  });
});
