import type { Role } from '../../src/auth/index.ts';
import { orderBody } from '../support/orders.ts';
import { subscriptionBody } from '../support/subscriptions.ts';
import { SHARED_EMAIL, type Side, type SideWorld, type World } from './authorization-world.ts';

/** One request of the authorization probe: valid, so that only authorization can refuse it. */
export interface Probe {
  path: string;
  body?: unknown;
  /** The record named does not exist (allowed roles then get a 404 from the handler). */
  absent?: boolean;
  /** What an allowed answer must also show (e.g. the channel a channel key's hold was made for). */
  check?: (body: Record<string, unknown>, role: Role) => string | undefined;
}

/** `n` makes every created record's code or external ID unique. */
type Build = (w: World, s: SideWorld, n: number, side: Side) => Probe;

const usd = (amount: number) => ({ amount, currency: 'USD' });
const automationDefinition = {
  trigger: { event_types: ['order.created'] },
  condition: "order.channel_code == 'none'",
  actions: [{ type: 'add_tag', tag: 'probe' }],
};
const today = () => new Date().toISOString();
/** The day `n` days from now, `YYYY-MM-DD`. */
const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
/** A day's replay of the draft rules over the probe's few orders. */
const simulationBody = (w: World) => ({ from: day(-1), to: day(0), rules_version: w.routingDraft });
const report = (name: string) => (_w: World, s: SideWorld) => ({
  path: `/v1/reports/${name}?channel=${s.channelCode}`,
});
const step =
  (name: string, body: unknown = {}) =>
  (_w: World, s: SideWorld): Probe => ({ path: `/v1/fulfillment-orders/${s.working.foId}/${name}`, body });
const subscriptionAction = (action: string) => (_w: World, s: SideWorld) => ({
  path: `/v1/subscriptions/${s.subscriptionId}/${action}`,
  body: {},
});
const returnAction =
  (action: string, body: unknown = {}) =>
  (_w: World, s: SideWorld) => ({
    path: `/v1/returns/${s.returnId}/${action}`,
    body,
  });
/** A channel key's hold or availability is its own channel's, whatever channel the body names. */
const ownChannel =
  (w: World) =>
  (body: Record<string, unknown>, role: Role): string | undefined =>
    role === 'channel' && body.channel_id !== w.own.channelId
      ? `answered for channel ${String(body.channel_id)}`
      : undefined;
/** A channel key's availability counts its own channel's locations only, whatever channel it names. */
const ownLocations =
  (w: World) =>
  (body: Record<string, unknown>, role: Role): string | undefined => {
    const text = JSON.stringify(body);
    if (role !== 'channel') return undefined;
    if (!text.includes(w.own.locationId)) return 'its own location is missing';
    return text.includes(w.other.locationId) ? "counted the other channel's location" : undefined;
  };
const returnLines = (s: SideWorld) => ({
  method: 'mail_in',
  location_id: s.locationId,
  lines: [{ line_id: 'L1', quantity: 1, reason: 'size_fit' }],
});

export const probes: Record<string, Build> = {
  'GET /v1/me': () => ({ path: '/v1/me' }),
  'GET /v1/search': (_w, s) => ({ path: `/v1/search?q=${encodeURIComponent(s.delivered.email)}` }),
  'GET /v1/users': () => ({ path: '/v1/users' }),
  'POST /v1/users': (_w, _s, n) => ({ path: '/v1/users', body: { email: `probe-${n}@example.com`, role: 'agent' } }),
  'PATCH /v1/users/{id}': () => ({ path: '/v1/users/usr_absent', body: { name: 'Probe' }, absent: true }),
  'POST /v1/users/{id}/sign-in-link': () => ({ path: '/v1/users/usr_absent/sign-in-link', body: {}, absent: true }),
  'GET /v1/keys': () => ({ path: '/v1/keys' }),
  'POST /v1/keys': () => ({ path: '/v1/keys', body: { role: 'agent', name: 'probe' } }),
  'POST /v1/keys/{id}/revoke': () => ({ path: '/v1/keys/key_absent/revoke', body: {}, absent: true }),

  'POST /v1/locations': (_w, _s, n) => ({
    path: '/v1/locations',
    body: {
      code: `PROBE-${n}`,
      type: 'store',
      name: `Probe ${n}`,
      address: { line1: '1 Main St', city: 'Newark', country: 'US' },
      timezone: 'America/New_York',
      capabilities: ['ship'],
    },
  }),
  'GET /v1/locations': () => ({ path: '/v1/locations' }),
  'GET /v1/locations/{id}': (_w, s) => ({ path: `/v1/locations/${s.locationId}` }),
  'PATCH /v1/locations/{id}': (_w, s, n) => ({ path: `/v1/locations/${s.locationId}`, body: { name: `Renamed ${n}` } }),
  'POST /v1/location-groups': (_w, s, n) => ({
    path: '/v1/location-groups',
    body: { code: `probe-group-${n}`, name: `Probe ${n}`, location_ids: [s.locationId] },
  }),
  'GET /v1/location-groups': () => ({ path: '/v1/location-groups' }),
  'GET /v1/location-groups/{id}': (_w, s) => ({ path: `/v1/location-groups/${s.groupId}` }),
  'PATCH /v1/location-groups/{id}': (_w, s, n) => ({
    path: `/v1/location-groups/${s.groupId}`,
    body: { name: `Renamed ${n}` },
  }),
  'POST /v1/channels': (_w, s, n) => ({
    path: '/v1/channels',
    body: { code: `probe-${n}`, name: `Probe ${n}`, type: 'web', location_group_id: s.groupId },
  }),
  'GET /v1/channels': () => ({ path: '/v1/channels' }),
  'GET /v1/channels/{id}': (_w, s) => ({ path: `/v1/channels/${s.channelId}` }),
  'PUT /v1/channels/{id}/connector': (_w, s) => ({
    path: `/v1/channels/${s.channelId}/connector`,
    body: { platform: 'shopify', secret: 'probe-secret-123' },
  }),
  'GET /v1/channels/{id}/connector': (_w, s) => ({ path: `/v1/channels/${s.channelId}/connector` }),
  'POST /v1/channels/{id}/catalog-mappings': (w, s, n) => ({
    path: `/v1/channels/${s.channelId}/catalog-mappings`,
    body: { mappings: [{ product_id: `P-${n}`, variant_id: `V-${n}`, sku: w.sku }] },
  }),
  'GET /v1/channels/{id}/catalog-mappings': (_w, s) => ({ path: `/v1/channels/${s.channelId}/catalog-mappings` }),
  'DELETE /v1/channels/{id}/catalog-mappings/{product_id}': (_w, s, n) => ({
    path: `/v1/channels/${s.channelId}/catalog-mappings/P-${n}?variant_id=V-${n}`,
    absent: true,
  }),
  'GET /v1/channels/{id}/connector/health': (_w, s) => ({ path: `/v1/channels/${s.channelId}/connector/health` }),
  'GET /v1/channels/{id}/return-policy': (_w, s) => ({ path: `/v1/channels/${s.channelId}/return-policy` }),
  'PUT /v1/channels/{id}/return-policy': (_w, s) => ({
    path: `/v1/channels/${s.channelId}/return-policy`,
    body: { window_days: 30, auto_authorize: false, shipping_refund: 'never', restocking_fee_bps: 0 },
  }),

  'POST /v1/products': (_w, _s, n) => ({ path: '/v1/products', body: { sku: `PROBE-${n}`, name: `Probe ${n}` } }),
  'GET /v1/products': () => ({ path: '/v1/products' }),
  'GET /v1/products/{sku}': (w) => ({ path: `/v1/products/${w.sku}` }),
  'PATCH /v1/products/{sku}': (w) => ({ path: `/v1/products/${w.sku}`, body: { name: 'Authorization probe' } }),
  // An empty list keeps a plain SKU plain: the probe changes nothing.
  'PUT /v1/products/{sku}/components': (w) => ({ path: `/v1/products/${w.sku}/components`, body: { components: [] } }),
  'GET /v1/products/{sku}/return-policy': (w) => ({ path: `/v1/products/${w.sku}/return-policy` }),
  'PUT /v1/products/{sku}/return-policy': (w) => ({
    path: `/v1/products/${w.sku}/return-policy`,
    body: { window_days: null, returnable: true },
  }),

  'PUT /v1/inventory/{location_id}/{sku}': (w, s) => ({
    path: `/v1/inventory/${s.locationId}/${w.sku}`,
    body: { on_hand: 100_000 },
  }),
  'GET /v1/inventory/{location_id}/{sku}': (w, s) => ({ path: `/v1/inventory/${s.locationId}/${w.sku}` }),
  'GET /v1/inventory/levels': (_w, s) => ({ path: `/v1/inventory/levels?location_id=${s.locationId}` }),
  'POST /v1/inventory/adjustments': (w, s) => ({
    path: '/v1/inventory/adjustments',
    body: { reason: 'found', movements: [{ kind: 'receipt', sku: w.sku, location_id: s.locationId, quantity: 1 }] },
  }),
  'GET /v1/inventory/ledger': (_w, s) => ({ path: `/v1/inventory/ledger?location_id=${s.locationId}` }),
  'POST /v1/inventory/feeds': (w, s, n) => ({
    path: '/v1/inventory/feeds',
    body: {
      feed_id: `probe-${n}`,
      mode: 'delta',
      as_of: today(),
      rows: [{ location_id: s.locationId, sku: w.sku, quantity: 1 }],
    },
  }),
  'GET /v1/inventory/feeds/{feed_id}': (_w, s) => ({ path: `/v1/inventory/feeds/${s.feedId}` }),
  'POST /v1/inventory/reconciliations': (w, s) => ({
    path: '/v1/inventory/reconciliations',
    body: { rows: [{ location_id: s.locationId, sku: w.sku, on_hand: 100_000 }] },
  }),
  'GET /v1/inventory/low-stock': (_w, s) => ({ path: `/v1/inventory/low-stock?location_id=${s.locationId}` }),
  'GET /v1/inventory/overstock': (_w, s) => ({ path: `/v1/inventory/overstock?channel=${s.channelCode}` }),
  'GET /v1/availability': (w, s) => ({
    path: `/v1/availability?skus=${w.sku}&channel=${s.channelCode}`,
    check: ownLocations(w),
  }),
  'POST /v1/availability/query': (w, s) => ({
    path: '/v1/availability/query',
    body: { skus: [w.sku], channel: s.channelCode },
    check: ownLocations(w),
  }),
  'GET /v1/availability/timeline': (w, s) => ({
    path: `/v1/availability/timeline?sku=${w.sku}&channel=${s.channelCode}`,
    check: ownLocations(w),
  }),
  'POST /v1/supplies': (w, s, n) => ({
    path: '/v1/supplies',
    body: {
      kind: 'asn',
      reference: `PROBE-${n}`,
      location_id: s.locationId,
      expected_on: day(7),
      lines: [{ sku: w.sku, quantity: 1 }],
    },
  }),
  'GET /v1/supplies': (_w, s) => ({ path: `/v1/supplies?location_id=${s.locationId}` }),
  'GET /v1/supplies/{supply_id}': (_w, s) => ({ path: `/v1/supplies/${s.supplyId}` }),
  'PATCH /v1/supplies/{supply_id}': (_w, s) => ({ path: `/v1/supplies/${s.supplyId}`, body: { expected_on: day(9) } }),
  'POST /v1/supplies/{supply_id}/cancel': (_w, s) => ({ path: `/v1/supplies/${s.supplyId}/cancel` }),
  'POST /v1/supplies/{supply_id}/receive': (_w, s) => ({ path: `/v1/supplies/${s.supplyId}/receive`, body: {} }),
  'POST /v1/supplies/feeds': (w, s, n) => ({
    path: '/v1/supplies/feeds',
    body: {
      rows: [
        {
          kind: 'asn',
          reference: `PROBE-FEED-${n}`,
          location_id: s.locationId,
          expected_on: day(7),
          sku: w.sku,
          quantity: 1,
        },
      ],
    },
  }),
  'GET /v1/products/{sku}/preorder': (w) => ({ path: `/v1/products/${w.sku}/preorder` }),
  'PUT /v1/products/{sku}/preorder': (w) => ({
    path: `/v1/products/${w.sku}/preorder`,
    body: { enabled: false, cap: 0 },
  }),

  'POST /v1/reservations': (w, s) => ({
    path: '/v1/reservations',
    body: { channel: s.channelCode, lines: [{ sku: w.sku, quantity: 1 }], expires_in_seconds: 60 },
    check: ownChannel(w),
  }),
  'GET /v1/reservations/{id}': (_w, s) => ({ path: `/v1/reservations/${s.holdId}` }),
  'DELETE /v1/reservations/{id}': (_w, s) => ({ path: `/v1/reservations/${s.holdId}` }),

  'GET /v1/events': (_w, s) => ({ path: `/v1/events?subject_id=${s.working.id}` }),

  'POST /v1/orders': (w, s, n) => ({
    path: '/v1/orders',
    body: orderBody(`probe-${n}`, [{ sku: w.sku, quantity: 1 }], { channel: s.channelCode }),
  }),
  'GET /v1/orders': (_w, s) => ({ path: `/v1/orders?channel=${s.channelCode}` }),
  'GET /v1/orders/{id}': (_w, s) => ({ path: `/v1/orders/${s.working.id}` }),
  'GET /v1/orders/{id}/routing': (_w, s) => ({ path: `/v1/orders/${s.working.id}/routing` }),
  'GET /v1/orders/{id}/payments': (_w, s) => ({ path: `/v1/orders/${s.delivered.id}/payments` }),
  'GET /v1/orders/{id}/invoices': (_w, s) => ({ path: `/v1/orders/${s.delivered.id}/invoices` }),
  'POST /v1/orders/{id}/hold': (_w, s) => ({
    path: `/v1/orders/${s.managed.id}/hold`,
    body: { kind: 'manual', reason: 'probe' },
  }),
  'POST /v1/orders/{id}/release-hold': (_w, s) => ({ path: `/v1/orders/${s.managed.id}/release-hold`, body: {} }),
  'POST /v1/orders/{id}/cancel': (_w, s) => ({ path: `/v1/orders/${s.managed.id}/cancel`, body: { reason: 'probe' } }),
  'GET /v1/orders/{id}/notes': (_w, s) => ({ path: `/v1/orders/${s.working.id}/notes` }),
  'POST /v1/orders/{id}/notes': (_w, s) => ({ path: `/v1/orders/${s.managed.id}/notes`, body: { text: 'probe' } }),
  'POST /v1/orders/{id}/tags': (_w, s) => ({ path: `/v1/orders/${s.managed.id}/tags`, body: { tags: ['probe'] } }),
  'PUT /v1/orders/{id}/tags': (_w, s) => ({ path: `/v1/orders/${s.managed.id}/tags`, body: { tags: ['probe'] } }),
  'DELETE /v1/orders/{id}/tags/{tag}': (_w, s) => ({ path: `/v1/orders/${s.managed.id}/tags/probe` }),
  'POST /v1/orders/{id}/changes': (_w, s) => ({
    path: `/v1/orders/${s.managed.id}/changes`,
    body: { reason: 'probe', actions: [{ type: 'set_shipping', amount: usd(799) }] },
  }),
  'GET /v1/orders/{id}/changes': (_w, s) => ({ path: `/v1/orders/${s.working.id}/changes` }),
  'GET /v1/orders/{id}/changes/{change_id}': (_w, s) => ({
    path: `/v1/orders/${s.working.id}/changes/chg_absent`,
    absent: true,
  }),
  'POST /v1/orders/{id}/changes/{change_id}/confirm': (_w, s) => ({
    path: `/v1/orders/${s.managed.id}/changes/chg_absent/confirm`,
    body: {},
    absent: true,
  }),
  'POST /v1/orders/{id}/changes/{change_id}/cancel': (_w, s) => ({
    path: `/v1/orders/${s.managed.id}/changes/chg_absent/cancel`,
    body: {},
    absent: true,
  }),
  'POST /v1/orders/{id}/refunds': (_w, s) => ({
    path: `/v1/orders/${s.delivered.id}/refunds`,
    body: { amount: usd(1), reason: 'goodwill' },
  }),
  'POST /v1/orders/{id}/reship': (_w, s) => ({
    path: `/v1/orders/${s.delivered.id}/reship`,
    body: { reason: 'lost', lines: [{ line_id: 'L1', quantity: 1 }] },
  }),
  'GET /v1/invoices/{id}': (_w, s) => ({ path: `/v1/invoices/${s.delivered.invoiceId}` }),
  'GET /v1/invoices/{id}/pdf': (_w, s) => ({ path: `/v1/invoices/${s.delivered.invoiceId}/pdf` }),
  'GET /v1/shipments/{id}': (_w, s) => ({ path: `/v1/shipments/${s.delivered.shipmentId}` }),
  'POST /v1/shipments/{id}/tracking-events': (_w, s, n) => ({
    path: `/v1/shipments/${s.delivered.shipmentId}/tracking-events`,
    body: { events: [{ id: `probe-${n}`, status: 'in_transit', occurred_at: '2020-01-01T00:00:00Z' }] },
  }),

  'GET /v1/routing/rules': () => ({ path: '/v1/routing/rules' }),
  'PUT /v1/routing/rules': (w) => ({ path: '/v1/routing/rules', body: { rules: w.routingRules, notes: 'probe' } }),
  'POST /v1/routing/rules/{version}/activate': (w) => ({ path: `/v1/routing/rules/${w.routingDraft}/activate` }),
  'POST /v1/routing/rules/compare': (w) => ({ path: '/v1/routing/rules/compare', body: { rules: w.routingRules } }),
  'POST /v1/routing/simulations': (w) => ({ path: '/v1/routing/simulations', body: simulationBody(w) }),
  'POST /v1/routing/simulate': (w) => ({ path: '/v1/routing/simulate', body: simulationBody(w) }),
  'GET /v1/routing/simulations': () => ({ path: '/v1/routing/simulations' }),
  'GET /v1/routing/simulations/{id}': () => ({ path: '/v1/routing/simulations/sim_none', absent: true }),
  'GET /v1/routing/simulations/{id}/changes': () => ({
    path: '/v1/routing/simulations/sim_none/changes',
    absent: true,
  }),
  'POST /v1/routing/order-sets': (w, s, n) => ({
    path: '/v1/routing/order-sets',
    body: {
      channel: s.channelCode,
      orders: [
        {
          external_id: `probe-${n}`,
          placed_at: `${day(-1)}T12:00:00Z`,
          shipping_address: { country: 'US', postal_code: '10118', latitude: 40.7484, longitude: -73.9857 },
          lines: [{ sku: w.sku, quantity: 1 }],
        },
      ],
    },
  }),
  'GET /v1/routing/order-sets': () => ({ path: '/v1/routing/order-sets' }),
  'GET /v1/routing/order-sets/{id}': () => ({ path: '/v1/routing/order-sets/oset_none', absent: true }),

  // The probe's channels stay live (their orders are probed): these name a channel that does not exist.
  'POST /v1/channels/{id}/shadow': () => ({ path: '/v1/channels/chn_none/shadow', absent: true }),
  'POST /v1/channels/{id}/go-live': () => ({ path: '/v1/channels/chn_none/go-live', absent: true }),
  'POST /v1/shadow/outcomes': () => ({
    path: '/v1/shadow/outcomes?channel=none',
    body: [{ external_id: 'X-1', kind: 'status', status: 'shipped' }],
    absent: true,
  }),
  'POST /v1/shadow/stock': (w, s) => ({
    path: '/v1/shadow/stock',
    body: [{ sku: w.sku, location: s.locationId, on_hand: 1, as_of: today() }],
  }),
  'GET /v1/shadow/reconciliation': () => ({
    path: `/v1/shadow/reconciliation?channel=none&from=${day(-1)}&to=${day(0)}`,
    absent: true,
  }),

  'GET /v1/fulfillment-orders': (_w, s) => ({ path: `/v1/fulfillment-orders?location_id=${s.locationId}` }),
  'GET /v1/fulfillment-orders/{id}': (_w, s) => ({ path: `/v1/fulfillment-orders/${s.working.foId}` }),
  'GET /v1/fulfillment-orders/{id}/packing-slip': (_w, s) => ({
    path: `/v1/fulfillment-orders/${s.working.foId}/packing-slip`,
  }),
  'GET /v1/fulfillment-orders/counts': (_w, s) => ({
    path: `/v1/fulfillment-orders/counts?location_id=${s.locationId}`,
  }),
  'GET /v1/fulfillment-orders/pick-list': (_w, s) => ({
    path: `/v1/fulfillment-orders/pick-list?location_id=${s.locationId}`,
  }),
  'POST /v1/fulfillment-orders/{id}/accept': step('accept'),
  'POST /v1/fulfillment-orders/{id}/pick': step('pick'),
  'POST /v1/fulfillment-orders/{id}/pack': step('pack'),
  'POST /v1/fulfillment-orders/{id}/ship': (_w, s, n) =>
    step('ship', { carrier: 'ups', tracking_number: `1ZPROBE${n}` })(_w, s),
  'POST /v1/fulfillment-orders/{id}/ready-for-pickup': step('ready-for-pickup'),
  'POST /v1/fulfillment-orders/{id}/arrived': step('arrived'),
  'POST /v1/fulfillment-orders/{id}/release-for-change': step('release-for-change'),
  'POST /v1/fulfillment-orders/{id}/picked-up': step('picked-up', { pickup_code: '123456' }),
  'POST /v1/fulfillment-orders/{id}/reject': step('reject', { reason: 'probe' }),

  'POST /v1/returns': (_w, s) => ({ path: '/v1/returns', body: { order_id: s.delivered.id, ...returnLines(s) } }),
  'POST /v1/returns/self-service': (_w, s) => ({
    path: '/v1/returns/self-service',
    body: { order_number: s.delivered.externalId, email: s.delivered.email, ...returnLines(s) },
  }),
  'GET /v1/returns': (_w, s) => ({ path: `/v1/returns?order_id=${s.delivered.id}` }),
  'GET /v1/returns/{id}': (_w, s) => ({ path: `/v1/returns/${s.returnId}` }),
  'POST /v1/returns/{id}/authorize': returnAction('authorize'),
  'POST /v1/returns/{id}/reject': returnAction('reject', { reason: 'probe' }),
  'POST /v1/returns/{id}/receive': returnAction('receive', {
    lines: [{ line_id: 'L1', quantity: 1, condition: 'new', disposition: 'restock' }],
  }),
  'POST /v1/returns/{id}/refund': returnAction('refund'),
  'POST /v1/returns/{id}/refund-preview': returnAction('refund-preview'),
  'POST /v1/returns/{id}/cancel': returnAction('cancel', { reason: 'probe' }),

  'GET /v1/reports/orders-per-day': report('orders-per-day'),
  'GET /v1/reports/fulfillment': report('fulfillment'),
  'GET /v1/reports/inventory-turnover': report('inventory-turnover'),
  'GET /v1/reports/stock-health': report('stock-health'),
  'GET /v1/reports/top-channels': report('top-channels'),
  'GET /v1/customers': (_w, s) => ({ path: `/v1/customers?q=${encodeURIComponent(s.delivered.email)}` }),
  'GET /v1/customers/{email}': (_w, s) => ({ path: `/v1/customers/${encodeURIComponent(s.delivered.email)}` }),

  'POST /v1/subscriptions': (w, s) => ({
    path: '/v1/subscriptions',
    body: subscriptionBody({ channel: s.channelCode, lines: [{ sku: w.sku, quantity: 1, unit_price: usd(1250) }] }),
  }),
  'GET /v1/subscriptions': (_w, s) => ({ path: `/v1/subscriptions?channel=${s.channelCode}` }),
  'GET /v1/subscriptions/{id}': (_w, s) => ({ path: `/v1/subscriptions/${s.subscriptionId}` }),
  'PATCH /v1/subscriptions/{id}': (_w, s) => ({
    path: `/v1/subscriptions/${s.subscriptionId}`,
    body: { payment: { gateway: 'test', payment_method: 'pm_card_mastercard' } },
  }),
  'POST /v1/subscriptions/{id}/pause': subscriptionAction('pause'),
  'POST /v1/subscriptions/{id}/resume': subscriptionAction('resume'),
  'POST /v1/subscriptions/{id}/skip': subscriptionAction('skip'),
  'POST /v1/subscriptions/{id}/cancel': subscriptionAction('cancel'),

  'POST /v1/webhook-subscriptions': () => ({
    path: '/v1/webhook-subscriptions',
    body: { url: 'http://127.0.0.1:9/probe', event_types: ['order.*'] },
  }),
  'GET /v1/webhook-subscriptions': () => ({ path: '/v1/webhook-subscriptions' }),
  'GET /v1/webhook-subscriptions/{id}': (w) => ({ path: `/v1/webhook-subscriptions/${w.webhookId}` }),
  'PATCH /v1/webhook-subscriptions/{id}': (w) => ({
    path: `/v1/webhook-subscriptions/${w.webhookId}`,
    body: { description: 'probe' },
  }),
  'POST /v1/webhook-subscriptions/{id}/rotate-secret': (w) => ({
    path: `/v1/webhook-subscriptions/${w.webhookId}/rotate-secret`,
  }),
  'GET /v1/webhook-subscriptions/{id}/deliveries': (w) => ({
    path: `/v1/webhook-subscriptions/${w.webhookId}/deliveries`,
  }),
  'POST /v1/webhook-subscriptions/{id}/replay': (w) => ({
    path: `/v1/webhook-subscriptions/${w.webhookId}/replay`,
    body: { since: today() },
  }),
  'GET /v1/connectors/health': () => ({ path: '/v1/connectors/health' }),
  'GET /v1/connectors/reviews': () => ({ path: '/v1/connectors/reviews' }),
  'POST /v1/connectors/reviews/{id}/place': () => ({ path: '/v1/connectors/reviews/rev_none/place', absent: true }),
  'POST /v1/connectors/{platform}/orders': (_w, s) => ({
    path: `/v1/connectors/shopify/orders?channel=${s.channelCode}`,
    body: { id: 1 },
  }),
  'POST /v1/webhooks/carriers/{carrier}': () => ({ path: '/v1/webhooks/carriers/easypost', body: {} }),
  'POST /v1/admin/backup': () => ({ path: '/v1/admin/backup' }),
  'GET /v1/exports/{kind}': () => ({ path: '/v1/exports/orders?limit=1' }),
  // A record without lines: refused in the report, so the probe writes nothing.
  'POST /v1/imports/history': (_w, s) => ({
    path: '/v1/imports/history',
    body: { channel: s.channelCode, orders: [{ id: 'probe-history' }] },
  }),
  'GET /v1/tax/settings': () => ({ path: '/v1/tax/settings' }),
  'PUT /v1/tax/settings': () => ({
    path: '/v1/tax/settings',
    body: { engine: 'table', on_failure: 'table', price_mode: 'exclusive', ship_from: null },
  }),
  'GET /v1/tax/rates': () => ({ path: '/v1/tax/rates' }),
  'PUT /v1/tax/rates': () => ({ path: '/v1/tax/rates', body: { rates: [] } }),
  'PUT /v1/products/{sku}/tax-code': (w) => ({
    path: `/v1/products/${w.sku}/tax-code`,
    body: { tax_code: 'P0000000' },
  }),
  'GET /v1/orders/{id}/tax': (_w, s) => ({ path: `/v1/orders/${s.delivered.id}/tax` }),
  'GET /v1/notifications': () => ({ path: '/v1/notifications' }),
  'GET /v1/notifications/{id}': () => ({ path: '/v1/notifications/ntf_none', absent: true }),
  'POST /v1/notifications/{id}/resend': () => ({ path: '/v1/notifications/ntf_none/resend', absent: true }),
  'GET /v1/customers/{email}/notification-preferences': () => ({
    path: `/v1/customers/${SHARED_EMAIL}/notification-preferences`,
  }),
  'PUT /v1/customers/{email}/notification-preferences': () => ({
    path: `/v1/customers/${SHARED_EMAIL}/notification-preferences`,
    body: { opted_out: false },
  }),
  'GET /v1/unsubscribe': () => ({ path: '/v1/unsubscribe?token=not-a-token' }),
  'POST /v1/unsubscribe': () => ({ path: '/v1/unsubscribe?token=not-a-token' }),
  'GET /v1/notification-templates': () => ({ path: '/v1/notification-templates' }),
  'PUT /v1/notification-templates/{kind}/{locale}': () => ({
    path: '/v1/notification-templates/delivered/en',
    body: { channel: 'sms', subject: 'Delivered', text: 'Order {{order_number}} was delivered.' },
  }),
  'DELETE /v1/notification-templates/{kind}/{locale}': () => ({
    path: '/v1/notification-templates/ready_for_pickup/en?channel=sms',
  }),
  'POST /v1/notification-templates/{kind}/{locale}/preview': () => ({
    path: '/v1/notification-templates/shipped/en/preview',
    body: {},
  }),
  'GET /v1/automations': () => ({ path: '/v1/automations' }),
  'GET /v1/automations/fields': () => ({ path: '/v1/automations/fields' }),
  'GET /v1/automations/executions': () => ({ path: '/v1/automations/executions' }),
  'POST /v1/automations/validate': () => ({ path: '/v1/automations/validate', body: automationDefinition }),
  'POST /v1/automations': (_w, _s, n) => ({
    path: '/v1/automations',
    body: { name: `rule ${n}`, ...automationDefinition },
  }),
  'GET /v1/automations/{id}': () => ({ path: '/v1/automations/aut_absent', absent: true }),
  'POST /v1/automations/{id}/versions': () => ({
    path: '/v1/automations/aut_absent/versions',
    body: automationDefinition,
    absent: true,
  }),
  'POST /v1/automations/{id}/versions/{version}/activate': () => ({
    path: '/v1/automations/aut_absent/versions/1/activate',
    absent: true,
  }),
  'POST /v1/automations/{id}/deactivate': () => ({ path: '/v1/automations/aut_absent/deactivate', absent: true }),
  'POST /v1/automations/{id}/dry-run': () => ({ path: '/v1/automations/aut_absent/dry-run', absent: true }),
  'GET /v1/tasks': () => ({ path: '/v1/tasks?queue=probe' }),
  'POST /v1/tasks': (_w, _s, n) => ({ path: '/v1/tasks', body: { queue: 'probe', title: `probe ${n}` } }),
  'GET /v1/tasks/queues': () => ({ path: '/v1/tasks/queues' }),
  'GET /v1/tasks/{id}': () => ({ path: '/v1/tasks/tsk_absent', absent: true }),
  'POST /v1/tasks/{id}/claim': () => ({ path: '/v1/tasks/tsk_absent/claim', body: {}, absent: true }),
  'POST /v1/tasks/{id}/complete': () => ({ path: '/v1/tasks/tsk_absent/complete', body: {}, absent: true }),
  'POST /v1/tasks/{id}/cancel': () => ({ path: '/v1/tasks/tsk_absent/cancel', body: {}, absent: true }),
};

/**
 * A request of one role acting for its own channel or location that names a record of the other
 * side inside it (a hold on an order line, a location in a body or a filter, a customer of both
 * channels, another key's Idempotency-Key). Sent once, before the table's requests.
 */
export interface CrossProbe extends Probe {
  name: string;
  role: Role;
  method: string;
  headers?: Record<string, string>;
  /** Send the same request as this role first (e.g. to store its Idempotency-Key). */
  first?: Role;
  /** `scoped` (2xx, nothing of the other side), or the refusal. */
  expect: 'scoped' | { status: number; code: string };
}

const receipt = { lines: [{ line_id: 'L1', quantity: 1, condition: 'new', disposition: 'restock' }] };

/** A web order, placed by `role`, whose line names the marketplace's cart hold. */
const holdOnWebOrder = (w: World, role: Role): CrossProbe => ({
  name: `a web order placed by ${role} naming the other channel's cart hold`,
  role,
  method: 'POST',
  path: '/v1/orders',
  body: orderBody(`cross-hold-${role}`, [{ sku: w.sku, quantity: 1, reservation_id: w.other.holdId }]),
  expect: { status: 422, code: 'reservation_channel_mismatch' },
});

export const crossProbes: ((w: World) => CrossProbe)[] = [
  (w) => holdOnWebOrder(w, 'channel'),
  (w) => holdOnWebOrder(w, 'admin'),
  (w) => ({
    name: "a channel key's hold at the other channel's location",
    role: 'channel',
    method: 'POST',
    path: '/v1/reservations',
    body: { lines: [{ sku: w.sku, quantity: 1, location_id: w.other.locationId }] },
    expect: { status: 400, code: 'validation_failed' },
  }),
  (w) => ({
    name: "a channel key's hold in the other channel's location group",
    role: 'channel',
    method: 'POST',
    path: '/v1/reservations',
    body: { location_group: w.other.groupId, lines: [{ sku: w.sku, quantity: 1 }] },
    expect: { status: 400, code: 'validation_failed' },
  }),
  (w) => ({
    name: "a channel key replaying an admin's Idempotency-Key",
    role: 'channel',
    first: 'admin',
    method: 'POST',
    path: '/v1/reservations',
    headers: { 'idempotency-key': 'cross-replay-1' },
    body: { channel: w.other.channelCode, lines: [{ sku: w.sku, quantity: 1 }] },
    check: ownChannel(w),
    expect: 'scoped',
  }),
  (w) => ({
    name: "a channel key's availability at the other channel's location",
    role: 'channel',
    method: 'GET',
    path: `/v1/availability?skus=${w.sku}&location_id=${w.other.locationId}`,
    expect: { status: 400, code: 'validation_failed' },
  }),
  (w) => ({
    name: "a channel key's order search by the other channel's location",
    role: 'channel',
    method: 'GET',
    path: `/v1/orders?location_id=${w.other.locationId}`,
    expect: 'scoped',
  }),
  (w) => ({
    name: 'a channel key reading the customer of both channels',
    role: 'channel',
    method: 'GET',
    path: `/v1/customers/${encodeURIComponent(SHARED_EMAIL)}`,
    check: (body) => (JSON.stringify(body).includes(w.own.managed.id) ? undefined : 'its own order is missing'),
    expect: 'scoped',
  }),
  () => ({
    name: 'a channel key searching the customer of both channels',
    role: 'channel',
    method: 'GET',
    path: `/v1/customers?q=${encodeURIComponent(SHARED_EMAIL)}`,
    expect: 'scoped',
  }),
  (w) => ({
    name: "a fulfillment key's transfer to the other location",
    role: 'fulfillment',
    method: 'POST',
    path: '/v1/inventory/adjustments',
    body: {
      reason: 'move',
      movements: [
        {
          kind: 'transfer',
          sku: w.sku,
          location_id: w.own.locationId,
          to_location_id: w.other.locationId,
          quantity: 1,
        },
      ],
    },
    expect: { status: 403, code: 'forbidden' },
  }),
  (w) => ({
    name: "a fulfillment key's queue filtered by the other location's order",
    role: 'fulfillment',
    method: 'GET',
    path: `/v1/fulfillment-orders?order_id=${w.other.working.id}`,
    expect: 'scoped',
  }),
  (w) => ({
    name: 'a fulfillment key receiving an own return at the other location',
    role: 'fulfillment',
    method: 'POST',
    path: `/v1/returns/${w.own.returnId}/receive`,
    body: { ...receipt, location_id: w.other.locationId },
    expect: { status: 403, code: 'forbidden' },
  }),
  (w) => ({
    name: "a fulfillment key receiving the other location's return before it is authorized",
    role: 'fulfillment',
    method: 'POST',
    path: `/v1/returns/${w.other.returnId}/receive`,
    body: receipt,
    expect: { status: 403, code: 'forbidden' },
  }),
];
