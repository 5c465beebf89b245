import { numericId } from '../json.ts';
import type { Platform } from '../mapping.ts';

/** What Consign knows about a shipment, for the platform's "it shipped" call. */
interface ShipmentFacts {
  shipmentId: string;
  carrier: string;
  trackingNumber: string | null;
  shippedAt: string;
  /** Order lines by their platform line ID (Consign line_id), with the units in this shipment. */
  lines: { lineId: string; quantity: number }[];
  /** The whole order has now shipped (no units left to ship). */
  complete: boolean;
  /** The order's external ID and the connector metadata stored with it. */
  externalId: string;
  metadata: Record<string, unknown>;
}

/** An outbound message: the platform API call it stands for, and its body. */
export interface OutboundMessage {
  kind: 'shipment' | 'availability' | 'cancellation';
  method: 'POST' | 'PUT';
  path: string;
  body: unknown;
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** Shopify REST Admin: `POST /orders/{id}/fulfillments.json`, IDs as the integers Shopify sent. */
function shopifyFulfillment(s: ShipmentFacts): OutboundMessage {
  const location = text(s.metadata.location_id);
  return {
    kind: 'shipment',
    method: 'POST',
    path: `/admin/api/2024-10/orders/${s.externalId}/fulfillments.json`,
    body: {
      fulfillment: {
        order_id: numericId(s.externalId),
        ...(location ? { location_id: numericId(location) } : {}),
        status: 'success',
        tracking_company: s.carrier,
        tracking_number: s.trackingNumber,
        tracking_numbers: s.trackingNumber ? [s.trackingNumber] : [],
        notify_customer: true,
        line_items: s.lines.map((l) => ({ id: numericId(l.lineId), quantity: l.quantity })),
      },
    },
  };
}

/** Amazon SP-API v0 `confirmShipment`: `POST /orders/v0/orders/{orderId}/shipmentConfirmation`. */
function amazonConfirmShipment(s: ShipmentFacts): OutboundMessage {
  return {
    kind: 'shipment',
    method: 'POST',
    path: `/orders/v0/orders/${s.externalId}/shipmentConfirmation`,
    body: {
      marketplaceId: text(s.metadata.marketplace_id) ?? '',
      packageDetail: {
        packageReferenceId: s.shipmentId,
        carrierCode: s.carrier,
        trackingNumber: s.trackingNumber ?? '',
        shipDate: s.shippedAt,
        orderItems: s.lines.map((l) => ({ orderItemId: l.lineId, quantity: l.quantity })),
      },
    },
  };
}

/** WooCommerce REST v3 `PUT /orders/{id}`: completed once everything shipped, with the tracking in meta data. */
function wooStatusUpdate(s: ShipmentFacts): OutboundMessage {
  return {
    kind: 'shipment',
    method: 'PUT',
    path: `/wp-json/wc/v3/orders/${s.externalId}`,
    body: {
      status: s.complete ? 'completed' : 'processing',
      meta_data: [
        { key: '_tracking_provider', value: s.carrier },
        { key: '_tracking_number', value: s.trackingNumber ?? '' },
      ],
    },
  };
}

/** BigCommerce v2 `POST /orders/{id}/shipments`. */
function bigcommerceShipment(s: ShipmentFacts): OutboundMessage {
  const address = text(s.metadata.order_address_id);
  return {
    kind: 'shipment',
    method: 'POST',
    path: `/stores/{store_hash}/v2/orders/${s.externalId}/shipments`,
    body: {
      order_address_id: address ? numericId(address) : null,
      tracking_number: s.trackingNumber ?? '',
      tracking_carrier: s.carrier.toLowerCase(),
      comments: `Consign shipment ${s.shipmentId}`,
      items: s.lines.map((l) => ({ order_product_id: numericId(l.lineId), quantity: l.quantity })),
    },
  };
}

/** Salesforce Commerce Cloud: the order's shipment marked shipped, with its tracking number. */
function sfccShipment(s: ShipmentFacts): OutboundMessage {
  return {
    kind: 'shipment',
    method: 'PUT',
    path: `/checkout/orders/v1/organizations/{organizationId}/orders/${s.externalId}`,
    body: {
      shippingStatus: s.complete ? 'shipped' : 'part_shipped',
      shipments: [
        {
          shipmentId: text(s.metadata.shipment_id) ?? 'me',
          shippingStatus: s.complete ? 'shipped' : 'part_shipped',
          trackingNumber: s.trackingNumber ?? '',
        },
      ],
    },
  };
}

export const shipmentMessages: Record<Platform, (s: ShipmentFacts) => OutboundMessage> = {
  shopify: shopifyFulfillment,
  amazon: amazonConfirmShipment,
  woocommerce: wooStatusUpdate,
  bigcommerce: bigcommerceShipment,
  sfcc: sfccShipment,
};

/** What the platform's "this order is cancelled" call needs. */
interface CancellationFacts {
  externalId: string;
  reason: string | null;
}

/**
 * The order cancelled as a whole, in each platform's own call. Amazon has none here: a seller
 * cancels through the order acknowledgement feed, which Consign does not produce.
 */
export const cancellationMessages: Partial<Record<Platform, (c: CancellationFacts) => OutboundMessage>> = {
  // Shopify REST Admin `POST /orders/{id}/cancel.json`.
  shopify: (c) => ({
    kind: 'cancellation',
    method: 'POST',
    path: `/admin/api/2024-10/orders/${c.externalId}/cancel.json`,
    body: { reason: 'other', email: true, ...(c.reason ? { staff_note: c.reason } : {}) },
  }),
  // WooCommerce REST v3 `PUT /orders/{id}`.
  woocommerce: (c) => ({
    kind: 'cancellation',
    method: 'PUT',
    path: `/wp-json/wc/v3/orders/${c.externalId}`,
    body: { status: 'cancelled', ...(c.reason ? { customer_note: c.reason } : {}) },
  }),
  // BigCommerce v2 `PUT /orders/{id}`: status 5 is Cancelled.
  bigcommerce: (c) => ({
    kind: 'cancellation',
    method: 'PUT',
    path: `/stores/{store_hash}/v2/orders/${c.externalId}`,
    body: { status_id: 5, ...(c.reason ? { staff_notes: c.reason } : {}) },
  }),
  // Salesforce Commerce Cloud Orders admin `PUT /orders/{orderNo}/status`.
  sfcc: (c) => ({
    kind: 'cancellation',
    method: 'PUT',
    path: `/checkout/orders/v1/organizations/{organizationId}/orders/${c.externalId}/status`,
    body: { status: 'cancelled' },
  }),
};
