import { rerouteOrder } from '../../src/orders/index.ts';
import { captureOrder } from '../../src/payments/index.ts';
import { call, expectEqual, expectThat, nextId, type Sim } from './context.ts';
import type { Intent } from './intent.ts';
import type { Fo, Line, Order, OrderStatus, Shipment } from './model.ts';
import { readOrder, reconcile } from './observe.ts';
import { address, refuseUnmanaged } from './steps-orders.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- API bodies are read field by field */

const DAY = 86_400_000;

interface RecordLine {
  id: string;
  sku: string;
  quantity: number;
  unit_price_minor: number;
  discount_minor?: number;
  tax_minor?: number;
}

/**
 * An order of the previous system in Consign's history format (docs/migration.md), in the
 * sequence's channel, with its products and the network's locations: closed (delivered, paid by
 * an authorization and its capture, in one parcel or two from two locations, sometimes with a
 * refund the old system gave) or open (`created`, `confirmed` or `in_process`, authorized,
 * nothing shipped, placed now). Amounts in cents; the total is what the lines, discounts,
 * shipping and tax add up to.
 */
function recordFor(sim: Sim, intent: Intent) {
  const products = sim.model.products;
  const first = products[intent.a % products.length]!;
  const second = products[(intent.a + 1 + (intent.b % (products.length - 1))) % products.length]!;
  const chosen = intent.b % 3 === 0 ? [first, second] : [first];
  const lines: RecordLine[] = chosen.map((p, i) => {
    const quantity = 1 + ((intent.c + i) % 3);
    const discount = i === 0 && intent.a % 4 === 1 ? Math.min(p.priceMinor * quantity - 1, 250 + (intent.c % 7)) : 0;
    const tax = intent.b % 2 === 1 ? 77 + (intent.a % 5) * 11 + i : 0;
    return {
      id: `${i + 1}`,
      sku: p.sku,
      quantity,
      unit_price_minor: p.priceMinor,
      ...(discount > 0 ? { discount_minor: discount } : {}),
      ...(tax > 0 ? { tax_minor: tax } : {}),
    };
  });
  const shipping = intent.c % 2 === 0 ? 599 : 0;
  const total =
    lines.reduce((n, l) => n + l.unit_price_minor * l.quantity - (l.discount_minor ?? 0) + (l.tax_minor ?? 0), 0) +
    shipping;
  const id = nextId(sim, 'legacy');
  const open = intent.flag;
  const placed = open ? Date.now() : Date.now() - (3 + (intent.c % 20)) * DAY;
  const at = (days: number) => new Date(placed + days * DAY).toISOString();
  const group = sim.model.locations.filter((l) => l.inGroup);
  // Two parcels from two locations (two fulfillments) for some two-line orders; the first named by code, the second by ID.
  const parcels = lines.length === 2 && intent.c % 2 === 1 ? lines.map((l) => [l]) : [lines];
  const shipments = parcels.map((parcel, i) => {
    const location = group[(intent.a + i) % group.length]!;
    return {
      id: `${id}-P${i + 1}`,
      location: i === 0 ? location.code : location.id,
      carrier: 'ups',
      tracking_number: `1Z${id}${i}`,
      status: 'delivered',
      shipped_at: at(1),
      delivered_at: at(2),
      lines: parcel.map((l) => ({ line: l.id, quantity: l.quantity })),
    };
  });
  const refunded = !open && intent.b % 4 === 1 ? 1 + ((intent.c * 37) % Math.min(total, 900)) : 0;
  const record = {
    id,
    status: (open ? (['created', 'confirmed', 'in_process'] as const)[intent.c % 3]! : 'delivered') as OrderStatus,
    original_status: open ? 'awaiting_fulfillment' : 'complete',
    placed_at: at(0),
    currency: 'USD',
    customer: { email: `${id.toLowerCase()}@example.com`, name: `Legacy customer ${id}` },
    shipping_address: address,
    lines,
    shipping_minor: shipping,
    total_minor: total,
    payments: [
      {
        id: `${id}-A`,
        kind: 'authorization',
        amount_minor: total,
        gateway: 'test',
        reference: `auth_${id}`,
        at: at(0),
      },
      ...(open
        ? []
        : [
            { id: `${id}-C`, kind: 'capture', amount_minor: total, gateway: 'test', reference: `cap_${id}`, at: at(1) },
          ]),
    ],
    ...(open ? {} : { shipments }),
    ...(refunded > 0 ? { refunds: [{ id: `${id}-R`, amount_minor: refunded, gateway: 'test', at: at(3) }] } : {}),
  };
  return { record, open, refunded, shipments };
}

/** The model's order for a record, before Consign names its fulfillments and parcels. */
function modelImported(view: any, record: ReturnType<typeof recordFor>['record'], refunded: number, open: boolean) {
  const lines: Line[] = record.lines.map((l) => ({
    lineId: l.id,
    sku: l.sku,
    quantity: l.quantity,
    priceMinor: l.unit_price_minor,
    discountMinor: l.discount_minor ?? 0,
    taxMinor: l.tax_minor ?? 0,
    allocated: 0,
    // An open order's unshipped units wait, unmanaged; a closed one's all shipped and delivered.
    waiting: open ? l.quantity : 0,
    cancelled: 0,
    shipped: open ? 0 : l.quantity,
    delivered: open ? 0 : l.quantity,
    returnRequested: 0,
    returned: 0,
    refunded: 0,
    invoiced: 0,
    credits: [],
    origin: null,
    shipFrom: null,
  }));
  const order: Order = {
    id: view.id,
    externalId: record.id,
    origin: 'order',
    managed: false,
    imported: { placedAt: record.placed_at, refundedMinor: refunded },
    linkedTo: null,
    method: 'ship',
    pickupLocationId: null,
    status: record.status,
    lines,
    allocations: [],
    fos: [],
    shipments: [],
    holds: [],
    rejectedAt: [],
    money: {
      totalMinor: record.total_minor,
      shippingMinor: record.shipping_minor,
      authorizedMinor: record.total_minor,
      capturedMinor: open ? 0 : record.total_minor,
      voidedMinor: 0,
      refundedMinor: refunded,
      shippingCaptured: !open,
      uncollectedMinor: 0,
      shippingRefundedMinor: 0,
      shortMinor: 0,
      upFrontMinor: 0,
      cancelRefundedMinor: 0,
      changeRefundedMinor: 0,
      upFrontUninvoicedMinor: 0,
    },
  };
  return order;
}

const importBody = (sim: Sim, record: unknown) => ({ channel: sim.world.channelId, orders: [record] });

/**
 * A previous system's order imported as it was (`POST /v1/imports/history`, ADR 0047), then
 * imported again. The model predicts from the record alone: the order is listed and readable,
 * unmanaged, with the record's status, total, lines (discounts and taxes as given), buckets
 * (a closed order's units shipped and delivered; an open one's waiting), money (authorized,
 * captured and refunded as recorded), one delivered fulfillment per location its parcels left
 * from and each parcel as sent; nothing allocated, held or invoiced, and no event. Stock levels
 * and reservations do not move (the database checks after the step). The same record again
 * imports nothing (a duplicate). Cancelling, changing, holding, re-routing and capturing it are
 * refused with `409 order_unmanaged`, and leave it as it was.
 */
export async function importHistory(sim: Sim, intent: Intent) {
  const { record, open, refunded, shipments } = recordFor(sim, intent);
  const imported = await call(sim, 'POST', '/v1/imports/history', importBody(sim, record), [200]);
  expectEqual(
    imported.body,
    { rows: 1, imported: 1, placed: 0, duplicates: 0, rejected: 0, report: [] },
    `import of ${record.id}`,
  );
  const listed = await call(
    sim,
    'GET',
    `/v1/orders?channel=${sim.world.channelId}&q=${encodeURIComponent(record.id)}&limit=200`,
    undefined,
    [200],
  );
  const found = listed.body.data.filter((o: any) => o.external_id === record.id);
  expectEqual(found.length, 1, `orders listed for ${record.id}`);
  const view = await readOrder(sim, found[0].id);
  const where = `imported order ${view.id} (${record.id})`;
  expectEqual(
    [view.channel_id, view.external_id, view.delivery_method, view.total.amount, view.shipping.amount],
    [sim.world.channelId, record.id, 'ship', record.total_minor, record.shipping_minor],
    `${where} [channel, external ID, delivery method, total, shipping]`,
  );
  expectEqual(Date.parse(view.placed_at), Date.parse(record.placed_at), `${where} placed_at`);
  expectEqual(view.metadata?.imported, true, `${where} metadata.imported`);
  expectEqual(
    view.lines.map((l: any) => [l.line_id, l.sku, l.unit_price.amount, l.discount.amount, l.tax.amount]),
    record.lines.map((l) => [l.id, l.sku, l.unit_price_minor, l.discount_minor ?? 0, l.tax_minor ?? 0]),
    `${where} lines [line, SKU, price, discount, tax]`,
  );
  expectEqual([view.invoices, view.timeline], [[], []], `${where} [invoices, timeline]`);
  const order = modelImported(view, record, refunded, open);

  // One delivered fulfillment per location the parcels left from; each parcel as the record sent it.
  const locationOf = (name: string) => sim.model.locations.find((l) => l.id === name || l.code === name)!.id;
  const sent = open ? [] : shipments.map((s) => ({ ...s, locationId: locationOf(s.location) }));
  expectEqual(
    view.fulfillment_orders.map((f: any) => [f.location_id, f.status]).sort(),
    [...new Set(sent.map((s) => s.locationId))].map((id) => [id, 'delivered']).sort(),
    `${where} fulfillments [location, status]`,
  );
  const parcel = (s: any) => JSON.stringify([s.location_id, s.status, s.tracking_number, s.lines]);
  expectEqual(
    view.shipments
      .map((s: any) => parcel({ ...s, lines: s.lines.map((l: any) => ({ line_id: l.line_id, quantity: l.quantity })) }))
      .sort(),
    sent
      .map((s) =>
        parcel({
          location_id: s.locationId,
          status: 'delivered',
          tracking_number: s.tracking_number,
          lines: s.lines.map((l) => ({ line_id: l.line, quantity: l.quantity })),
        }),
      )
      .sort(),
    `${where} parcels [location, status, tracking, lines]`,
  );
  order.fos = view.fulfillment_orders.map((f: any): Fo => ({
    id: f.id,
    locationId: f.location_id,
    method: 'ship',
    status: 'delivered',
    pickupCode: null,
  }));
  order.shipments = view.shipments.map((s: any): Shipment => ({
    id: s.id,
    foId: s.fulfillment_order_id,
    locationId: s.location_id,
    delivered: true,
    lines: s.lines.map((l: any) => ({ lineId: l.line_id, quantity: l.quantity })),
  }));
  for (const s of order.shipments)
    expectThat(
      order.fos.some((f) => f.id === s.foId && f.locationId === s.locationId),
      `${where}: parcel ${s.id} on no fulfillment of its location`,
    );
  sim.model.orders.push(order);
  reconcile(sim, order, view);

  const again = await call(sim, 'POST', '/v1/imports/history', importBody(sim, record), [200]);
  expectEqual(
    again.body,
    { rows: 1, imported: 0, placed: 0, duplicates: 1, rejected: 0, report: [] },
    `import of ${record.id} again`,
  );

  // What Consign does to its own orders is refused, and changes nothing.
  await refuseUnmanaged(sim, order, 'cancel', { reason: 'simulated cancellation' });
  await refuseUnmanaged(sim, order, 'changes', {
    reason: 'simulated change',
    actions: [{ type: 'change_quantity', line_id: order.lines[0]!.lineId, quantity: order.lines[0]!.quantity + 1 }],
  });
  await refuseUnmanaged(sim, order, 'hold', { kind: 'manual', reason: 'simulated hold' });
  const rerouted = await rerouteOrder(sim.db, order.id, { reason: 'simulated re-route', actor: 'simulator' });
  const captured = await captureOrder(sim.db, order.id, { idempotencyKey: nextId(sim, 'capture'), actor: 'simulator' });
  expectEqual(
    [rerouted.ok || rerouted.problem.code, captured.ok || captured.problem.code],
    ['order_unmanaged', 'order_unmanaged'],
    `${where} [re-route, capture]`,
  );
  reconcile(sim, order, await readOrder(sim, order.id));
  const lines = record.lines.map((l) => `${l.quantity}×${l.sku.split('-').at(-1)}`).join('+');
  return `import:${open ? 'open' : 'closed'} ${record.status} ${order.id} ${lines}${refunded ? ` (refunded ${refunded} before)` : ''}, again: duplicate; cancel, change, hold, re-route, capture refused`;
}
