import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryOne } from '../../src/db/index.ts';
import type { Platform } from '../../src/connectors/index.ts';
import { setStock } from './fixtures.ts';
import { connectorFixture, startConnectorWorld, withCurrency, type ConnectorWorld } from './connectors.ts';

export interface SuiteOptions {
  platform: Platform;
  fixture: string;
  skus: string[];
  currency?: string;
  externalId: string;
  /** The payload with its grand total off by one minor unit. */
  breakTotal: (raw: string) => string;
  /** Field-by-field checks of the order Consign made (GET /v1/orders/{id}). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  expectOrder: (order: any) => void;
}

const countOrders = async (world: ConnectorWorld) =>
  (await queryOne<{ n: number }>(world.database.db, sql`select count(*)::int as n from orders`))!.n;

/** What every connector must do: map, verify, deduplicate, refuse what does not add up (or hold it). */
export function connectorSuite(options: SuiteOptions): void {
  let world: ConnectorWorld;
  const raw = connectorFixture(options.fixture);
  const currency = options.currency ?? 'USD';
  const other = currency === 'EUR' ? 'CHF' : 'EUR';

  beforeAll(async () => {
    world = await startConnectorWorld({ platform: options.platform, skus: options.skus, currency });
  });
  afterAll(async () => world?.close());

  it('refuses a bad signature with 401 and writes nothing', async () => {
    const response = await world.post(raw, { secret: 'not-the-channel-secret' });
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('invalid_signature');
    expect(await countOrders(world)).toBe(0);
  });

  it('refuses an order in another currency than the channel sells in, writing nothing', async () => {
    const response = await world.post(withCurrency(raw, currency, other));
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.code).toBe('validation_failed');
    expect(JSON.stringify(response.body.errors)).toContain(other);
    expect(await countOrders(world)).toBe(0);
  });

  it('refuses totals that do not add up, saying which, and writes nothing', async () => {
    const broken = options.breakTotal(raw);
    expect(broken).not.toBe(raw);
    const response = await world.post(broken);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
    expect(response.body.errors.map((e: { pointer: string }) => e.pointer)).toContain('/total/amount');
    expect(await countOrders(world)).toBe(0);
  });

  it('maps the platform order field by field and places it', async () => {
    const response = await world.post(raw);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.result).toBe('created');
    const order = (await world.server.request('GET', `/v1/orders/${response.body.order.id}`)).body;
    expect(order.external_id).toBe(options.externalId);
    expect(order.channel_id).toBe(world.channelId);
    options.expectOrder(order);
  });

  it('a repeated delivery answers with the same order (200) and creates no other', async () => {
    const again = await world.post(raw);
    expect(again.status).toBe(200);
    expect(again.body.result).toBe('duplicate');
    expect(again.body.order.external_id).toBe(options.externalId);
    const both = await Promise.all([world.post(raw), world.post(raw)]);
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    expect(await countOrders(world)).toBe(1);
  });

  describe('with on_mismatch = review_hold', () => {
    it('holds an order with an unknown SKU for review instead of refusing it, and places it once the SKU exists', async () => {
      const unknown = raw.replaceAll(`"${options.skus[0]}"`, '"NOT-IN-CATALOG"');
      await world.server.request('PUT', `/v1/channels/${world.channelId}/connector`, {
        body: { platform: options.platform, secret: 'shpss_consign_connector_tests_0123', on_mismatch: 'review_hold' },
      });
      const refusedBefore = await countOrders(world);
      const held = await world.post(withExternal(unknown, options.externalId));
      expect(held.status, JSON.stringify(held.body)).toBe(202);
      expect(held.body.result).toBe('held_for_review');
      expect(held.body.problem.code).toBe('unknown_sku');
      expect(await countOrders(world)).toBe(refusedBefore);
      const list = await world.server.request('GET', '/v1/connectors/reviews?status=held');
      expect(list.body.data.map((r: { id: string }) => r.id)).toContain(held.body.review_id);
      await world.server.request('POST', '/v1/products', { body: { sku: 'NOT-IN-CATALOG', name: 'Late product' } });
      await setStock(world.server, world.net.storeA, 'NOT-IN-CATALOG', 20);
      const placed = await world.server.request('POST', `/v1/connectors/reviews/${held.body.review_id}/place`);
      expect(placed.status, JSON.stringify(placed.body)).toBe(201);
      expect(placed.body.order.lines.map((l: { sku: string }) => l.sku)).toContain('NOT-IN-CATALOG');
    });
  });

  function withExternal(text: string, externalId: string): string {
    // Another platform order: the same payload under another order ID.
    return text.replace(externalId, `${externalId}9`);
  }
}
