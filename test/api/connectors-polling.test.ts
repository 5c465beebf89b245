import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollChannel } from '../../src/connectors/index.ts';
import { query } from '../../src/db/index.ts';
import { must } from '../support/client.ts';
import { FakeSellingPartner, pollingWorld } from '../support/selling-partner.ts';
import { connectorFixture, type ConnectorWorld } from '../support/connectors.ts';

type Json = Record<string, any>;

describe('polling connector (SP-API getOrders with a stored cursor)', () => {
  let world: ConnectorWorld;
  let partner: FakeSellingPartner;
  const ids = ['111-0000001-0000001', '111-0000002-0000002', '111-0000003-0000003'];

  beforeAll(async () => {
    const sample = JSON.parse(connectorFixture('amazon/v0-order.json')) as Json;
    const orders = ids.map((id, i) => ({
      ...sample.Order,
      AmazonOrderId: id,
      LastUpdateDate: `2026-11-2${i}T10:00:00Z`,
    }));
    partner = await new FakeSellingPartner(orders, sample.OrderItems).start();
    world = await pollingWorld(partner);
  });
  afterAll(async () => {
    await partner?.stop();
    await world?.close();
  });

  const externalIds = async () =>
    (
      await query<{ external_id: string }>(world.database.db, sql`select external_id from orders order by external_id`)
    ).map((r) => r.external_id);

  it('a failure mid-way keeps the pages already taken with their cursor; a restart neither misses nor repeats', async () => {
    partner.failNextPage = true;
    await expect(pollChannel(world.database.db, world.channelId)).rejects.toThrow(/HTTP 503/);
    expect(await externalIds()).toEqual(ids.slice(0, 2));
    const connector = await must(world.server.request, 'GET', `/v1/channels/${world.channelId}/connector`);
    expect(connector.poll_cursor).toMatchObject({ next_token: '2' });
    expect(connector.polling.access_token).toBeUndefined();

    // Restart: the poll resumes from the stored token.
    const resumed = await pollChannel(world.database.db, world.channelId);
    expect(resumed.orders).toBe(1);
    expect(partner.requests.filter((r) => r.startsWith('GET /orders/v0/orders?')).at(-1)).toContain('NextToken=2');
    expect(await externalIds()).toEqual(ids);

    // The next poll starts at the latest update seen; the order updated then comes back and is absorbed.
    await pollChannel(world.database.db, world.channelId);
    expect(partner.requests.filter((r) => r.startsWith('GET /orders/v0/orders?')).at(-1)).toContain(
      'LastUpdatedAfter=2026-11-22T10%3A00%3A00Z',
    );
    expect(await externalIds()).toEqual(ids);
  });

  it('places polled orders as the webhook connectors do (routed, paid, with the Amazon IDs)', async () => {
    const list = await must(world.server.request, 'GET', `/v1/orders?channel=${world.channelId}`);
    expect(list.data).toHaveLength(3);
    const order = await must(world.server.request, 'GET', `/v1/orders/${list.data[0].id}`);
    expect(order.status).toBe('in_process');
    expect(order.total).toEqual({ amount: 6596, currency: 'USD' });
  });
});
