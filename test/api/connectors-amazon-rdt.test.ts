import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollChannel } from '../../src/connectors/index.ts';
import { query } from '../../src/db/index.ts';
import { must } from '../support/client.ts';
import { connectorFixture, type ConnectorWorld } from '../support/connectors.ts';
import { FakeSellingPartner, pollingWorld } from '../support/selling-partner.ts';

type Json = Record<string, any>;

describe('Amazon polling with Restricted Data Tokens', () => {
  let world: ConnectorWorld;
  let partner: FakeSellingPartner;
  const withEmail = '113-0000001-0000001';
  const placeholder = '113-0000002-0000002';
  const noBuyerInfo = '113-0000003-0000003';

  beforeAll(async () => {
    const sample = JSON.parse(connectorFixture('amazon/v0-order.json')) as Json;
    const order = (id: string, day: number, buyer: Json) => ({
      ...sample.Order,
      AmazonOrderId: id,
      LastUpdateDate: `2026-11-2${day}T10:00:00Z`,
      ShippingAddress: { ...sample.Order.ShippingAddress, AddressLine1: `${day} Cross St.`, Name: `Buyer ${day}` },
      BuyerInfo: buyer,
    });
    partner = await new FakeSellingPartner(
      [
        order(withEmail, 1, { BuyerEmail: 'k3v1n@marketplace.amazon.com', BuyerName: 'Kevin' }),
        order(placeholder, 2, { BuyerEmail: 'Not Available', BuyerName: 'Pat' }),
        order(noBuyerInfo, 3, {}),
      ],
      sample.OrderItems,
    ).start();
    world = await pollingWorld(partner);
    // Amazon throttles: the token step once (5 per second), getOrderAddress twice (2 per second).
    partner.throttle('token', 1, '5');
    partner.throttle('address', 2, '2');
    await pollChannel(world.database.db, world.channelId);
  });
  afterAll(async () => {
    await partner?.stop();
    await world?.close();
  });

  const orderOf = async (externalId: string) => {
    const [row] = await query<{ id: string }>(
      world.database.db,
      sql`select id from orders where external_id = ${externalId}`,
    );
    if (!row) throw new Error(`order ${externalId} was not placed`);
    return must(world.server.request, 'GET', `/v1/orders/${row.id}`);
  };

  it('places every order with the full address and buyer from getOrderAddress / getOrderBuyerInfo; none goes to review', async () => {
    const reviews = await query(world.database.db, sql`select external_id from connector_reviews`);
    expect(reviews).toEqual([]);
    const order = await orderOf(withEmail);
    expect(order.shipping_address).toMatchObject({ name: 'Buyer 1', line1: '1 Cross St.', city: 'Canton' });
    expect(order.customer).toEqual({ email: 'k3v1n@marketplace.amazon.com', name: 'Kevin' });
    expect(order.status).toBe('in_process');
  });

  it('asks for one token per order, with the LWA token, for exactly the two restricted paths', () => {
    const tokenCalls = partner.requests.filter((r) => r.startsWith('POST /tokens/2021-03-01/restrictedDataToken'));
    expect(tokenCalls).toHaveLength(3 + 1); // one each, and the throttled one again
    const restricted = partner.requests.filter((r) => /\/(address|buyerInfo)\?/.test(r));
    expect(restricted).toContain(`GET /orders/v0/orders/${withEmail}/buyerInfo?`);
  });

  it('keeps an order whose buyer e-mail is a placeholder or missing, without the e-mail, marked', async () => {
    for (const id of [placeholder, noBuyerInfo]) {
      const order = await orderOf(id);
      expect(order.customer.email).toBeUndefined();
      expect(order.metadata).toMatchObject({ buyer_email: 'withheld' });
      expect(order.shipping_address.line1).toMatch(/Cross St\./);
    }
  });

  it('waits out a 429 for as long as x-amzn-RateLimit-Limit says, and paces that operation from then on', () => {
    const address = partner.arrivals.get('address')!;
    expect(address).toHaveLength(3 + 2); // three orders, two throttled attempts: no hammering
    const gaps = address.slice(1).map((t, i) => t - address[i]!);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(490); // 1 / (2 per second)
    const token = partner.arrivals.get('token')!;
    expect(token[1]! - token[0]!).toBeGreaterThanOrEqual(190); // 1 / (5 per second)
  });
});
