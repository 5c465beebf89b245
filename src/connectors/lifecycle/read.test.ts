import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseExact } from '../json.ts';
import { orderState, readPlatformEvent } from './read.ts';

const fixture = (path: string) =>
  parseExact(readFileSync(new URL(`../../../test/fixtures/connectors/${path}`, import.meta.url), 'utf8'));

/** The platforms' published samples, when a checkout has them beside it; tests over them skip without. */
const samplesDir = fileURLToPath(new URL('../../../../shared/data/formats/storefront/', import.meta.url));
const sample = (path: string) => parseExact(readFileSync(`${samplesDir}${path}`, 'utf8'));

describe('reading platform deliveries', () => {
  it('a Shopify refund: the successful refund transactions summed exactly, the cancelled units, by its id', () => {
    const event = readPlatformEvent('shopify', 'refunds/create', fixture('shopify/refunds-create.json'));
    expect(event).toEqual({
      type: 'state',
      externalId: '8214298463751234567',
      what: 'refund 929361465912345678',
      state: expect.objectContaining({
        refunds: [
          {
            id: '929361465912345678',
            amount: '105.4700',
            currency: 'USD',
            reason: 'Customer changed their mind about the second green iPod',
            cancel_lines: [{ line_id: '141249953214522974', quantity: 1 }],
          },
        ],
      }),
    });
  });

  it('a Shopify order edit: removals and additions by line id', () => {
    const event = readPlatformEvent('shopify', 'orders/edited', fixture('shopify/orders-edited.json'));
    expect(event.type === 'state' && event.state.edits).toEqual([
      {
        id: '78912328123456789',
        removed: [{ line_id: '141249953214522974', quantity: 1 }],
        added: [{ line_id: '466157049123456789', quantity: 1 }],
      },
    ]);
  });

  it('a Shopify order edit Consign made (its staff note names the change) adds nothing to hold for', () => {
    const raw = fixture('shopify/orders-edited.json') as { order_edit: Record<string, unknown> };
    const own = {
      ...raw,
      order_edit: { ...raw.order_edit, staff_note: 'one green less (Consign change chg_01JD8X3K)' },
    };
    const event = readPlatformEvent('shopify', 'orders/edited', own);
    expect(event.type === 'state' && event.state.edits).toEqual([
      { id: '78912328123456789', removed: [{ line_id: '141249953214522974', quantity: 1 }], added: [] },
    ]);
  });

  it('whole-order topics are orders; a Shopify order is cancelled only with cancelled_at', () => {
    const order = fixture('shopify/orders-create.json');
    expect(readPlatformEvent('shopify', 'orders/updated', order).type).toBe('order');
    expect(orderState('shopify', order).cancelled).toBeUndefined();
    const cancelled = { ...(order as object), cancelled_at: '2026-11-20T15:10:00-04:00', cancel_reason: 'fraud' };
    expect(orderState('shopify', cancelled).cancelled).toBe('cancelled on Shopify (fraud)');
    expect(readPlatformEvent('shopify', 'customers/create', order)).toMatchObject({ type: 'ignored' });
  });

  it('BigCommerce statusUpdated: Cancelled (5) is a cancellation, other statuses are ignored', () => {
    const body = fixture('bigcommerce/order-status-updated.json');
    expect(readPlatformEvent('bigcommerce', undefined, body)).toMatchObject({
      type: 'state',
      externalId: '247',
      state: { cancelled: 'cancelled on BigCommerce' },
    });
  });

  describe.skipIf(!existsSync(samplesDir))('over the platforms’ published samples', () => {
    it('BigCommerce statusUpdated to Awaiting Fulfillment (11) changes nothing', () => {
      const event = readPlatformEvent(
        'bigcommerce',
        undefined,
        sample('bigcommerce/webhook_store_order_statusUpdated.json'),
      );
      expect(event).toMatchObject({ type: 'ignored' });
      expect(event.type === 'ignored' && event.detail).toContain('status 11 of order 250');
    });

    it('BigCommerce refund/created carries only IDs: ignored, saying what to post', () => {
      const event = readPlatformEvent(
        'bigcommerce',
        undefined,
        sample('bigcommerce/webhook_store_order_refund_created.json'),
      );
      expect(event).toMatchObject({ type: 'ignored' });
    });

    it('WooCommerce orders list: refunds read by id with their amounts, completed is not cancelled', () => {
      const orders = sample('woocommerce/list_orders_response.json') as unknown[];
      const refunded = orders.map((o) => orderState('woocommerce', o)).find((s) => s.refunds.length > 0)!;
      expect(refunded.refunds.map((r) => [r.id, r.amount, r.currency])).toEqual([
        ['726', '10.00', 'USD'],
        ['724', '9.00', 'USD'],
      ]);
      expect(refunded.cancelled).toBeUndefined();
    });

    it('a Commerce Cloud order in status failed is cancelled', () => {
      const state = orderState(
        'sfcc',
        sample('salesforce_commerce_cloud/scapi_shopper_orders_order_failed_status.json'),
      );
      expect(state.cancelled).toBe('failed on Salesforce Commerce Cloud');
    });
  });
});
