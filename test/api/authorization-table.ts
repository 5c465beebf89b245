import { roles, type Role } from '../../src/auth/index.ts';

/**
 * What every operation answers every role, for the key's own channel or location and for the
 * other one's. docs/authorization.md shows this table (the test holds the two to the same text).
 *
 * - `allowed`: authorization lets it through (the answer may still be a 409 of the lifecycle).
 * - `scoped`: allowed, but answered from the key's own records only (a list, availability, a hold
 *   for the key's channel), whatever the request names: nothing of the other side shows.
 * - `forbidden`: 403 `forbidden`: the role lacks the permission, or names another's location or channel.
 * - `hidden`: 404 `not_found`: the record belongs to another channel or location, and the key may
 *   not learn that it exists.
 * - `signed`: no API key counts; the sender's signature is the authentication (refused without one).
 */
export type Outcome = 'allowed' | 'scoped' | 'forbidden' | 'hidden' | 'signed';

/** One outcome for both sides, or `[own, other]`. */
export type Entry = Outcome | readonly [own: Outcome, other: Outcome];
export type Expected = Record<Role, Entry>;
/** A row as written below: `read-only` follows from the agent's cell unless the row names it. */
type Row = Omit<Expected, 'read-only'> & { 'read-only'?: Entry };

const A = 'allowed';
const S = 'scoped';
const F = 'forbidden';
const H = 'hidden';
const signed: Row = { admin: 'signed', agent: 'signed', fulfillment: 'signed', channel: 'signed' };

/** Only admins. */
const adminOnly: Row = { admin: A, agent: F, fulfillment: F, channel: F };
/** Every key, nothing owned (the network, the catalogue, the key itself). */
const everyone: Row = { admin: A, agent: A, fulfillment: A, channel: A };
/** Customer service (admins and agents), nothing owned. */
const service: Row = { admin: A, agent: A, fulfillment: F, channel: F };
/** Stock: read by every key but channel keys; written by admins and fulfillment keys at their own locations. */
const stockRead: Row = { admin: A, agent: A, fulfillment: A, channel: F };
const stockWrite: Row = { admin: A, agent: F, fulfillment: [A, F], channel: F };
/** A record of one channel, read by admins, agents and that channel's key. */
const channelRecord: Row = { admin: A, agent: A, fulfillment: F, channel: [A, H] };
/** A list or search: a channel key sees its own channel's records only. */
const channelList: Row = { admin: A, agent: A, fulfillment: F, channel: [A, S] };
/** Names a channel in the request: a channel key only its own (another's is a 403). */
const namesChannel: Row = { admin: A, agent: A, fulfillment: F, channel: [A, F] };
/** Fulfillment work at one location: admins and that location's fulfillment keys. */
const locationWork: Row = { admin: A, agent: F, fulfillment: [A, H], channel: F };

const rows: Record<string, Row> = {
  'GET /v1/me': everyone,
  /** Every key searches; each finds only what it may read (a channel key its own channel's records). */
  'GET /v1/search': everyone,
  'GET /v1/users': adminOnly,
  'POST /v1/users': adminOnly,
  'PATCH /v1/users/{id}': adminOnly,
  'POST /v1/users/{id}/sign-in-link': adminOnly,
  'GET /v1/keys': adminOnly,
  'POST /v1/keys': adminOnly,
  'POST /v1/keys/{id}/revoke': adminOnly,

  'POST /v1/locations': adminOnly,
  'GET /v1/locations': everyone,
  'GET /v1/locations/{id}': everyone,
  'PATCH /v1/locations/{id}': adminOnly,
  'POST /v1/location-groups': adminOnly,
  'GET /v1/location-groups': everyone,
  'GET /v1/location-groups/{id}': everyone,
  'PATCH /v1/location-groups/{id}': adminOnly,
  'POST /v1/channels': adminOnly,
  'GET /v1/channels': everyone,
  'GET /v1/channels/{id}': everyone,
  'PUT /v1/channels/{id}/connector': adminOnly,
  'POST /v1/channels/{id}/catalog-mappings': adminOnly,
  'GET /v1/channels/{id}/catalog-mappings': { admin: A, agent: A, fulfillment: A, channel: [A, H] },
  'DELETE /v1/channels/{id}/catalog-mappings/{product_id}': adminOnly,
  'GET /v1/channels/{id}/connector/health': { ...service, 'read-only': F },
  'GET /v1/channels/{id}/connector': adminOnly,
  'GET /v1/channels/{id}/return-policy': { admin: A, agent: A, fulfillment: F, channel: A },
  'PUT /v1/channels/{id}/return-policy': adminOnly,

  'POST /v1/products': adminOnly,
  'GET /v1/products': everyone,
  'GET /v1/products/{sku}': everyone,
  'PATCH /v1/products/{sku}': adminOnly,
  'PUT /v1/products/{sku}/components': adminOnly,
  'GET /v1/products/{sku}/return-policy': { admin: A, agent: A, fulfillment: F, channel: A },
  'PUT /v1/products/{sku}/return-policy': adminOnly,

  'PUT /v1/inventory/{location_id}/{sku}': stockWrite,
  'GET /v1/inventory/{location_id}/{sku}': stockRead,
  'GET /v1/inventory/levels': stockRead,
  'POST /v1/inventory/adjustments': stockWrite,
  'GET /v1/inventory/ledger': stockRead,
  'POST /v1/inventory/feeds': stockWrite,
  'GET /v1/inventory/feeds/{feed_id}': stockRead,
  'POST /v1/inventory/reconciliations': stockWrite,
  'GET /v1/inventory/low-stock': stockRead,
  'GET /v1/inventory/overstock': namesChannel,
  'GET /v1/availability': { admin: A, agent: A, fulfillment: A, channel: [A, S] },
  'POST /v1/availability/query': { admin: A, agent: A, fulfillment: A, channel: [A, S] },
  'GET /v1/availability/timeline': { admin: A, agent: A, fulfillment: A, channel: [A, S] },
  'POST /v1/supplies': stockWrite,
  'GET /v1/supplies': stockRead,
  'GET /v1/supplies/{supply_id}': stockRead,
  'PATCH /v1/supplies/{supply_id}': stockWrite,
  'POST /v1/supplies/{supply_id}/cancel': stockWrite,
  'POST /v1/supplies/{supply_id}/receive': stockWrite,
  'POST /v1/supplies/feeds': stockWrite,
  'GET /v1/products/{sku}/preorder': everyone,
  'PUT /v1/products/{sku}/preorder': adminOnly,

  'POST /v1/reservations': { admin: A, agent: F, fulfillment: F, channel: [A, S] },
  'GET /v1/reservations/{id}': channelRecord,
  'DELETE /v1/reservations/{id}': { admin: A, agent: F, fulfillment: F, channel: [A, H] },

  'GET /v1/events': service,

  'POST /v1/orders': { admin: A, agent: F, fulfillment: F, channel: [A, F] },
  'GET /v1/orders': channelList,
  'GET /v1/orders/{id}': channelRecord,
  'GET /v1/orders/{id}/routing': channelRecord,
  'GET /v1/orders/{id}/payments': channelRecord,
  'GET /v1/orders/{id}/invoices': channelRecord,
  'POST /v1/orders/{id}/hold': service,
  'POST /v1/orders/{id}/release-hold': service,
  'POST /v1/orders/{id}/cancel': service,
  'GET /v1/orders/{id}/notes': channelRecord,
  'POST /v1/orders/{id}/notes': service,
  'POST /v1/orders/{id}/tags': service,
  'PUT /v1/orders/{id}/tags': service,
  'DELETE /v1/orders/{id}/tags/{tag}': service,
  'POST /v1/orders/{id}/changes': service,
  'GET /v1/orders/{id}/changes': channelRecord,
  'GET /v1/orders/{id}/changes/{change_id}': channelRecord,
  'POST /v1/orders/{id}/changes/{change_id}/confirm': service,
  'POST /v1/orders/{id}/changes/{change_id}/cancel': service,
  'POST /v1/orders/{id}/refunds': service,
  'POST /v1/orders/{id}/reship': service,
  'GET /v1/invoices/{id}': channelRecord,
  'GET /v1/invoices/{id}/pdf': channelRecord,
  'GET /v1/shipments/{id}': channelRecord,
  'POST /v1/shipments/{id}/tracking-events': { admin: A, agent: A, fulfillment: [A, H], channel: F },

  'GET /v1/routing/rules': service,
  'PUT /v1/routing/rules': adminOnly,
  'POST /v1/routing/rules/{version}/activate': adminOnly,
  'POST /v1/routing/rules/compare': service,
  'POST /v1/routing/simulations': adminOnly,
  'POST /v1/routing/simulate': adminOnly,
  'GET /v1/routing/simulations': service,
  'GET /v1/routing/simulations/{id}': service,
  'GET /v1/routing/simulations/{id}/changes': service,
  'POST /v1/routing/order-sets': adminOnly,
  'GET /v1/routing/order-sets': service,
  'GET /v1/routing/order-sets/{id}': service,
  'POST /v1/channels/{id}/shadow': adminOnly,
  'POST /v1/channels/{id}/go-live': adminOnly,
  'POST /v1/shadow/outcomes': adminOnly,
  'POST /v1/shadow/stock': adminOnly,
  'GET /v1/shadow/reconciliation': service,

  'GET /v1/fulfillment-orders': { admin: A, agent: A, fulfillment: [A, F], channel: F },
  'GET /v1/fulfillment-orders/{id}': { admin: A, agent: A, fulfillment: [A, H], channel: F },
  'GET /v1/fulfillment-orders/{id}/packing-slip': { admin: A, agent: A, fulfillment: [A, H], channel: F },
  'GET /v1/fulfillment-orders/counts': { admin: A, agent: A, fulfillment: [A, F], channel: F },
  'GET /v1/fulfillment-orders/pick-list': { admin: A, agent: A, fulfillment: [A, F], channel: F },
  'POST /v1/fulfillment-orders/{id}/accept': locationWork,
  'POST /v1/fulfillment-orders/{id}/pick': locationWork,
  'POST /v1/fulfillment-orders/{id}/pack': locationWork,
  'POST /v1/fulfillment-orders/{id}/ship': locationWork,
  'POST /v1/fulfillment-orders/{id}/ready-for-pickup': locationWork,
  'POST /v1/fulfillment-orders/{id}/arrived': locationWork,
  'POST /v1/fulfillment-orders/{id}/release-for-change': locationWork,
  'POST /v1/fulfillment-orders/{id}/picked-up': locationWork,
  'POST /v1/fulfillment-orders/{id}/reject': locationWork,

  'POST /v1/returns': { admin: A, agent: A, fulfillment: F, channel: [A, H] },
  'POST /v1/returns/self-service': { admin: A, agent: A, fulfillment: F, channel: [A, H] },
  'GET /v1/returns': channelList,
  'GET /v1/returns/{id}': channelRecord,
  'POST /v1/returns/{id}/authorize': service,
  'POST /v1/returns/{id}/reject': service,
  'POST /v1/returns/{id}/receive': { admin: A, agent: A, fulfillment: [A, F], channel: F },
  'POST /v1/returns/{id}/refund': service,
  'POST /v1/returns/{id}/refund-preview': service,
  'POST /v1/returns/{id}/cancel': { admin: A, agent: A, fulfillment: F, channel: [A, H] },

  'GET /v1/reports/orders-per-day': namesChannel,
  'GET /v1/reports/fulfillment': namesChannel,
  'GET /v1/reports/inventory-turnover': namesChannel,
  'GET /v1/reports/stock-health': namesChannel,
  'GET /v1/reports/top-channels': namesChannel,
  'GET /v1/customers': channelList,
  'GET /v1/customers/{email}': channelRecord,

  'POST /v1/subscriptions': namesChannel,
  'GET /v1/subscriptions': channelList,
  'GET /v1/subscriptions/{id}': channelRecord,
  'PATCH /v1/subscriptions/{id}': channelRecord,
  'POST /v1/subscriptions/{id}/pause': channelRecord,
  'POST /v1/subscriptions/{id}/resume': channelRecord,
  'POST /v1/subscriptions/{id}/skip': channelRecord,
  'POST /v1/subscriptions/{id}/cancel': channelRecord,

  'POST /v1/webhook-subscriptions': adminOnly,
  'GET /v1/webhook-subscriptions': adminOnly,
  'GET /v1/webhook-subscriptions/{id}': adminOnly,
  'PATCH /v1/webhook-subscriptions/{id}': adminOnly,
  'POST /v1/webhook-subscriptions/{id}/rotate-secret': adminOnly,
  'GET /v1/webhook-subscriptions/{id}/deliveries': adminOnly,
  'POST /v1/webhook-subscriptions/{id}/replay': adminOnly,
  'GET /v1/connectors/health': { ...service, 'read-only': F },
  'GET /v1/connectors/reviews': { ...service, 'read-only': F },
  'POST /v1/connectors/reviews/{id}/place': service,
  'POST /v1/connectors/{platform}/orders': signed,
  'POST /v1/webhooks/carriers/{carrier}': signed,
  'POST /v1/admin/backup': adminOnly,
  'GET /v1/exports/{kind}': adminOnly,
  'POST /v1/imports/history': adminOnly,
  'GET /v1/tax/settings': { admin: A, agent: A, fulfillment: F, channel: A },
  'PUT /v1/tax/settings': adminOnly,
  'GET /v1/tax/rates': { admin: A, agent: A, fulfillment: F, channel: A },
  'PUT /v1/tax/rates': adminOnly,
  'PUT /v1/products/{sku}/tax-code': adminOnly,
  'GET /v1/orders/{id}/tax': channelRecord,
  'GET /v1/notifications': service,
  'GET /v1/notifications/{id}': service,
  'POST /v1/notifications/{id}/resend': service,
  'GET /v1/customers/{email}/notification-preferences': service,
  'PUT /v1/customers/{email}/notification-preferences': service,
  'GET /v1/unsubscribe': signed,
  'POST /v1/unsubscribe': signed,
  'GET /v1/notification-templates': service,
  'PUT /v1/notification-templates/{kind}/{locale}': adminOnly,
  'DELETE /v1/notification-templates/{kind}/{locale}': adminOnly,
  'POST /v1/notification-templates/{kind}/{locale}/preview': service,
  'GET /v1/automations': service,
  'GET /v1/automations/fields': service,
  'GET /v1/automations/executions': service,
  'POST /v1/automations/validate': service,
  'POST /v1/automations': adminOnly,
  'GET /v1/automations/{id}': service,
  'POST /v1/automations/{id}/versions': adminOnly,
  'POST /v1/automations/{id}/versions/{version}/activate': adminOnly,
  'POST /v1/automations/{id}/deactivate': adminOnly,
  'POST /v1/automations/{id}/dry-run': service,
  'GET /v1/tasks': service,
  'POST /v1/tasks': service,
  'GET /v1/tasks/queues': service,
  'GET /v1/tasks/{id}': service,
  'POST /v1/tasks/{id}/claim': service,
  'POST /v1/tasks/{id}/complete': service,
  'POST /v1/tasks/{id}/cancel': service,
};

/** Operations that send a body but only read (a query, a check, a preview). */
const readingPosts = new Set([
  'POST /v1/availability/query',
  'POST /v1/automations/validate',
  'POST /v1/automations/{id}/dry-run',
  'POST /v1/notification-templates/{kind}/{locale}/preview',
  'POST /v1/routing/rules/compare',
]);

/**
 * A read-only key (or person) reads what an agent reads, and nothing it may not: every other
 * request is forbidden, before the record is looked at.
 */
function readOnlyOf(operation: string, row: Row): Entry {
  if (row['read-only']) return row['read-only'];
  if (row.agent === 'signed') return 'signed';
  return operation.startsWith('GET ') || readingPosts.has(operation) ? row.agent : 'forbidden';
}

export const expected: Record<string, Expected> = Object.fromEntries(
  Object.entries(rows).map(([operation, row]) => [operation, { ...row, 'read-only': readOnlyOf(operation, row) }]),
);

/** The outcome of `entry` for a request naming `side`'s records. */
export function outcomeOf(entry: Entry, side: 'own' | 'other'): Outcome {
  return typeof entry === 'string' ? entry : entry[side === 'own' ? 0 : 1];
}

const cell = (entry: Entry) =>
  typeof entry === 'string' ? entry : entry[0] === entry[1] ? entry[0] : `${entry[0]} / ${entry[1]}`;

/** The table as docs/authorization.md shows it: one row per operation, `own / other` where they differ. */
export function renderTable(): string {
  const head = `| operation | ${roles.join(' | ')} |\n| --- | ${roles.map(() => '---').join(' | ')} |`;
  const rows = Object.entries(expected).map(
    ([operation, e]) => `| \`${operation}\` | ${roles.map((role) => cell(e[role])).join(' | ')} |`,
  );
  return [head, ...rows].join('\n');
}
