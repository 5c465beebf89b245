import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryOne } from '../../src/db/index.ts';
import { connectorFixture, startConnectorWorld, type ConnectorWorld } from '../support/connectors.ts';

let world: ConnectorWorld;
const raw = connectorFixture('shopify/orders-create.json');

beforeAll(async () => {
  world = await startConnectorWorld({ platform: 'shopify', skus: ['IPOD2008PINK', 'IPOD2008GREEN'] });
  const shadow = await world.server.request('POST', `/v1/channels/${world.channelId}/shadow`);
  expect(shadow.status, JSON.stringify(shadow.body)).toBe(200);
});
afterAll(async () => {
  await world?.close();
});

describe('a connector of a shadow channel', () => {
  it('feeds shadow orders: decided, nothing reserved, announced or queued for the platform', async () => {
    const count = () =>
      queryOne<{ orders: number; events: number; reserved: number; shadow: number }>(
        world.database.db,
        sql`select (select count(*)::int from orders) as orders, (select count(*)::int from events) as events,
                   (select coalesce(sum(reserved), 0)::int from stock_levels) as reserved,
                   (select count(*)::int from shadow_orders) as shadow`,
      );
    const before = await count();
    const response = await world.post(raw);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.result).toBe('shadowed');
    expect(response.body.shadow).toMatchObject({
      mode: 'shadow',
      external_id: '8214298463751234567',
      total: { amount: 42658, currency: 'USD' },
      decision: { status: 'allocated' },
    });
    // The platform delivering it again: the same shadow order.
    const again = await world.post(raw);
    expect(again.status).toBe(200);
    expect(again.body.shadow.id).toBe(response.body.shadow.id);
    expect(await count()).toEqual({ ...before!, shadow: before!.shadow + 1 });
  });
});
