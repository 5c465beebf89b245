import { sql } from 'drizzle-orm';
import { inTransaction, type Db, type Tx } from '../db/index.ts';
import { ProblemError } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { parseExact, stringifyExact } from './json.ts';
import { restrictedOrderData, SpApiClient } from './sp-api.ts';
import { arr, obj, text } from './mapping.ts';
import { orderState } from './lifecycle/read.ts';
import { orderOfExternal, settleOrder } from './lifecycle/settle.ts';
import { resolveCatalog } from './catalog/resolve.ts';
import { canonicalOrder, holdForReview, placeForConnector } from './place.ts';
import { orderMappers } from './platforms/index.ts';
import { readConnector, type ConnectorRow, type PollingSettings } from './settings.ts';

/** Where the poller stands. `high_water` is the latest update seen in the pages read so far. */
interface PollCursor {
  updated_after?: string;
  next_token?: string;
  high_water?: string;
}

const EPOCH = '1970-01-01T00:00:00Z';
/** Pages per poll at most, so one poll never runs unbounded. */
const MAX_PAGES = 20;

interface Page {
  orders: { externalId: string; updatedAt: string | undefined; payload: unknown }[];
  nextToken: string | undefined;
}

/** Orders Amazon shows no buyer or address for yet (or any more). */
const WITHOUT_BUYER = new Set(['Pending', 'Canceled']);

/** One page of `getOrders` (v0, with each order's `getOrderItems`) or `searchOrders` (2026-01-01). */
async function fetchPage(settings: PollingSettings, cursor: PollCursor): Promise<Page> {
  const client = new SpApiClient(settings);
  const after = cursor.updated_after ?? settings.start_after ?? EPOCH;
  if (settings.api_version === 'v0') {
    const query = new URLSearchParams({ MarketplaceIds: settings.marketplace_ids.join(',') });
    if (cursor.next_token) query.set('NextToken', cursor.next_token);
    else query.set('LastUpdatedAfter', after);
    const payload = obj((await client.get(`/orders/v0/orders?${query}`)).payload);
    const orders = [];
    for (const order of arr(payload.Orders).map(obj)) {
      const id = text(order.AmazonOrderId) ?? '';
      const items = obj((await client.get(`/orders/v0/orders/${encodeURIComponent(id)}/orderItems`)).payload);
      // getOrders withholds the buyer and the street address: they come with a Restricted Data Token.
      const restricted = WITHOUT_BUYER.has(text(order.OrderStatus) ?? '') ? {} : await restrictedOrderData(client, id);
      orders.push({
        externalId: id,
        updatedAt: text(order.LastUpdateDate),
        payload: { Order: { ...order, ...restricted }, OrderItems: arr(items.OrderItems) },
      });
    }
    return { orders, nextToken: text(payload.NextToken) };
  }
  const query = new URLSearchParams({
    marketplaceIds: settings.marketplace_ids.join(','),
    lastUpdatedAfter: after,
    includedData: 'BUYER,RECIPIENT,PROCEEDS,FULFILLMENT',
  });
  if (cursor.next_token) query.set('paginationToken', cursor.next_token);
  const body = await client.get(`/orders/2026-01-01/orders?${query}`);
  return {
    orders: arr(body.orders)
      .map(obj)
      .map((o) => ({ externalId: text(o.orderId) ?? '', updatedAt: text(o.lastUpdatedTime), payload: { order: o } })),
    nextToken: text(obj(body.pagination).nextToken),
  };
}

/** Places one polled order inside the page's transaction (in a savepoint), or holds it for review. */
async function takePolled(tx: Tx, connector: ConnectorRow, externalId: string, payload: unknown): Promise<void> {
  const raw = stringifyExact(payload);
  const state = orderState('amazon', parseExact(raw));
  const known = await orderOfExternal(tx, connector.channel_id, externalId);
  // An order polled again (LastUpdatedAfter brings back every change): what changed is applied.
  if (known) return void (await settleOrder(tx, connector, known.id, externalId, state, { placedNow: false }));
  const mapped = orderMappers.amazon(parseExact(raw), {
    channel: connector.channel_id,
    locationMap: connector.location_map,
  });
  const resolved = await resolveCatalog(tx, connector, mapped);
  const canonical = resolved.unmapped ? fail(resolved.unmapped) : canonicalOrder('amazon', resolved.mapped);
  const placed: Result<unknown> = canonical.ok
    ? await tx
        .transaction(async (savepoint) => {
          const result = await placeForConnector(savepoint, connector, canonical.value, {
            state,
            firstSight: resolved.firstSight,
          });
          if (!result.ok) throw new ProblemError(result.problem);
          return result;
        })
        .catch((error: unknown) => {
          if (error instanceof ProblemError) return fail(error.problem);
          throw error;
        })
    : canonical;
  // Nobody waits on the other end of a poll: what cannot be placed is kept for review.
  if (!placed.ok && placed.problem.code !== 'idempotency_conflict') {
    await holdForReview(tx, connector, externalId, placed.problem, raw);
  }
}

const later = (a: string | undefined, b: string | undefined) => (!a ? b : !b ? a : a > b ? a : b);

/**
 * Pulls new and updated orders after the stored cursor. Each page is taken in one transaction
 * together with the cursor that moves past it: a restart resumes from the last page committed,
 * so no order is missed, and the (channel, external ID) uniqueness absorbs any repeat.
 */
export async function pollChannel(db: Db, channelId: string): Promise<{ pages: number; orders: number }> {
  let pages = 0;
  let orders = 0;
  for (; pages < MAX_PAGES; pages++) {
    const connector = await readConnector(db, channelId);
    if (!connector?.polling) break;
    const cursor: PollCursor = connector.poll_cursor ?? {};
    const page = await fetchPage(connector.polling, cursor);
    const highWater = page.orders.reduce((h, o) => later(h, o.updatedAt), cursor.high_water);
    const next: PollCursor = page.nextToken
      ? { updated_after: cursor.updated_after, next_token: page.nextToken, high_water: highWater }
      : { updated_after: later(cursor.updated_after, highWater) ?? cursor.updated_after };
    const done = await inTransaction(db, async (tx) => {
      for (const order of page.orders) await takePolled(tx, connector, order.externalId, order.payload);
      await tx.execute(sql`
        update channel_connectors set poll_cursor = ${JSON.stringify(next)}::jsonb, polled_at = now(), updated_at = now()
        where channel_id = ${channelId} and poll_cursor is not distinct from ${connector.poll_cursor ? JSON.stringify(connector.poll_cursor) : null}::jsonb`);
      return ok(true);
    });
    if (!done.ok) throw new Error(done.problem.detail);
    orders += page.orders.length;
    if (!page.nextToken) {
      pages++;
      break;
    }
  }
  return { pages, orders };
}
