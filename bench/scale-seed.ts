import { sql } from 'drizzle-orm';
import { inTransaction, queryOne, type Database, type Tx } from '../src/db/index.ts';
import { ok } from '../src/shared/result.ts';

/**
 * Bulk history for the scale scenario: orders that were placed, shipped and delivered (or
 * cancelled) over the past year, written set-based inside PostgreSQL (`INSERT … SELECT` over
 * `generate_series`, no row crosses the wire) in chunks, each chunk one transaction:
 *
 * - per order: 1–3 lines, one fulfillment order and shipment from one of the network's
 *   locations, an authorization and a capture (a void when cancelled), and its events
 *   (`order.created`, then `fulfillment_order.shipped` and `shipment.delivered` as it went);
 * - per shipped line: the allocation and two ledger rows (`reservation`, then `ship`) whose
 *   `on_hand_after`/`reserved_after` run on from the level's current figures, and the level's
 *   on hand drops by what shipped, so ledger and levels still agree;
 * - 5% cancelled before fulfilment, 5% shipped and not yet delivered, the rest delivered;
 *   about four orders per customer e-mail; a third on a second channel.
 *
 * The followers' cursors are moved past the seeded events: they are history, as an import of
 * an older system's orders would be, and no webhook or automation should act on them.
 */

export interface HistorySettings {
  /** Orders already seeded: the next order's sequence number. */
  from: number;
  count: number;
  /** Orders per transaction. */
  chunk: number;
  channelIds: string[];
  locationIds: string[];
  skus: string[];
  /** The customers' e-mails are spread over this many addresses. */
  customers: number;
  /**
   * Placed times run evenly from `startsAt` to `endsAt` over `total` orders: a shop with a steady
   * number of orders a day whose history grows with each stage.
   */
  startsAt: Date;
  endsAt: Date;
  total: number;
  onProgress: (done: number) => void;
}

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** Consign's ID shape (`ord_` + 10 time digits + 14 more, Crockford base32) computed in SQL. */
async function defineIdFunction(tx: Tx): Promise<void> {
  await tx.execute(
    sql.raw(`
    create or replace function pg_temp.seed_id(prefix text, ms bigint, n bigint) returns text
    language sql immutable as $$
      select prefix || '_' ||
        (select string_agg(substr('${ALPHABET}', (floor(ms::numeric / power(32::numeric, 9 - i)) % 32)::int + 1, 1), '' order by i)
           from generate_series(0, 9) i) ||
        (select string_agg(substr('${ALPHABET}', (floor(n::numeric / power(32::numeric, 13 - i)) % 32)::int + 1, 1), '' order by i)
           from generate_series(0, 13) i)
    $$`),
  );
}

/** The chunk's orders, one row each, with everything the other tables derive from. */
async function stageOrders(tx: Tx, s: HistorySettings, first: number, count: number): Promise<void> {
  const spanMs = s.endsAt.getTime() - s.startsAt.getTime();
  await tx.execute(sql`drop table if exists pg_temp.seed_orders`);
  await tx.execute(sql`
    create temp table seed_orders on commit drop as
    select n,
           ms,
           pg_temp.seed_id('ord', ms, n) as id,
           pg_temp.seed_id('fo', ms, n) as fo_id,
           pg_temp.seed_id('shp', ms, n) as shp_id,
           to_timestamp(ms / 1000.0) as placed_at,
           case when n % 20 = 0 then 'cancelled' when n % 20 = 1 then 'shipped' else 'delivered' end as status,
           (${JSON.stringify(s.channelIds)}::jsonb ->> (case when n % 3 = 0 then 1 else 0 end % ${s.channelIds.length}))::text as channel_id,
           (${JSON.stringify(s.locationIds)}::jsonb ->> ((n * 13) % ${s.locationIds.length})::int)::text as location_id,
           'customer' || ((n * 7919) % ${s.customers}) || '@example.com' as email,
           1 + (n % 3)::int as line_count
    from (select n, ${s.startsAt.getTime()}::bigint + floor(n::numeric * ${spanMs} / ${s.total})::bigint as ms
          from generate_series(${first}::bigint, ${first + count - 1}::bigint) n) g`);
  await tx.execute(sql`drop table if exists pg_temp.seed_lines`);
  await tx.execute(sql`
    create temp table seed_lines on commit drop as
    select o.*, k as line_no, 'ln_' || k as line_id,
           (${JSON.stringify(s.skus)}::jsonb ->> ((o.n * 31 + k * 17) % ${s.skus.length})::int)::text as sku,
           1 + ((o.n + k) % 2)::int as quantity,
           1000 + ((o.n + k) % 4) * 250 as unit_price_minor
    from seed_orders o, generate_series(1, 3) k
    where k <= o.line_count`);
}

async function insertOrders(tx: Tx): Promise<void> {
  await tx.execute(sql`
    insert into orders (id, channel_id, external_id, request_hash, status, customer, customer_email, shipping_address,
                        delivery_method, currency, subtotal_minor, discount_minor, shipping_minor, tax_minor, total_minor,
                        authorized_minor, placed_at, created_at, updated_at)
    select o.id, o.channel_id, 'HIST-' || o.n, md5(o.id), o.status,
           jsonb_build_object('email', o.email, 'name', 'Customer ' || ((o.n * 7919) % 100000)),
           o.email,
           jsonb_build_object('name', 'Customer', 'line1', o.n || ' Main St', 'city', 'Springfield', 'postal_code', '10001', 'country', 'US'),
           'ship', 'USD', t.subtotal, 0, 0, 0, t.subtotal, t.subtotal, o.placed_at, o.placed_at,
           o.placed_at + interval '3 days'
    from seed_orders o
    join (select id, sum(quantity * unit_price_minor) as subtotal from seed_lines group by id) t on t.id = o.id`);
  await tx.execute(sql`
    insert into order_lines (order_id, line_id, line_no, sku, name, unit_price_minor, quantity, cancelled, shipped, delivered)
    select id, line_id, line_no, sku, 'Item ' || sku, unit_price_minor, quantity,
           case when status = 'cancelled' then quantity else 0 end,
           case when status = 'cancelled' then 0 else quantity end,
           case when status = 'delivered' then quantity else 0 end
    from seed_lines`);
}

async function insertFulfilment(tx: Tx): Promise<void> {
  await tx.execute(sql`
    insert into fulfillment_orders (id, order_id, location_id, delivery_method, status, created_at, updated_at)
    select fo_id, id, location_id, 'ship', status, placed_at, placed_at + interval '20 hours'
    from seed_orders where status <> 'cancelled'`);
  await tx.execute(sql`
    insert into shipments (id, order_id, fulfillment_order_id, location_id, carrier, service, tracking_number, status,
                           shipped_at, delivered_at, last_event_at, created_at, updated_at)
    select shp_id, id, fo_id, location_id, 'ups', 'ground', '1Z' || lpad(n::text, 16, '0'),
           case when status = 'delivered' then 'delivered' else 'in_transit' end,
           placed_at + interval '20 hours',
           case when status = 'delivered' then placed_at + interval '3 days' end,
           placed_at + interval '3 days', placed_at + interval '20 hours', placed_at + interval '3 days'
    from seed_orders where status <> 'cancelled'`);
  await tx.execute(sql`
    insert into shipment_lines (shipment_id, order_id, line_id, sku, quantity)
    select shp_id, id, line_id, sku, quantity from seed_lines where status <> 'cancelled'`);
  await tx.execute(sql`
    insert into order_allocations (order_id, line_id, sku, location_id, quantity, status, fulfillment_order_id, created_at)
    select id, line_id, sku, location_id, quantity, 'shipped', fo_id, placed_at
    from seed_lines where status <> 'cancelled'`);
}

async function insertPayments(tx: Tx): Promise<void> {
  await tx.execute(sql`
    insert into payments (id, order_id, kind, status, amount_minor, currency, gateway, reference, created_at)
    select pg_temp.seed_id('pay', o.ms, o.n * 2), o.id, 'authorization', 'succeeded', x.total_minor, 'USD', 'bench', 'auth-' || o.n, o.placed_at
    from seed_orders o join orders x on x.id = o.id`);
  await tx.execute(sql`
    insert into payments (id, order_id, kind, status, amount_minor, currency, gateway, reference, parent_id, created_at)
    select pg_temp.seed_id('pay', o.ms, o.n * 2 + 1), o.id,
           case when o.status = 'cancelled' then 'void' else 'capture' end, 'succeeded', x.total_minor, 'USD', 'bench',
           'settle-' || o.n, pg_temp.seed_id('pay', o.ms, o.n * 2), o.placed_at + interval '20 hours'
    from seed_orders o join orders x on x.id = o.id`);
}

async function insertEvents(tx: Tx): Promise<void> {
  await tx.execute(sql`
    insert into events (type, subject_type, subject_id, payload, created_at)
    select e.type, e.subject_type, e.subject_id, e.payload, e.at
    from seed_orders o
    cross join lateral (values
      ('order.created', 'order', o.id, jsonb_build_object('order_id', o.id, 'status', 'confirmed'), o.placed_at, 1),
      ('fulfillment_order.shipped', 'fulfillment_order', o.fo_id, jsonb_build_object('order_id', o.id, 'fulfillment_order_id', o.fo_id), o.placed_at + interval '20 hours', 2),
      ('shipment.delivered', 'shipment', o.shp_id, jsonb_build_object('order_id', o.id, 'shipment_id', o.shp_id), o.placed_at + interval '3 days', 3)
    ) as e(type, subject_type, subject_id, payload, at, step)
    where e.step = 1 or (e.step = 2 and o.status <> 'cancelled') or (e.step = 3 and o.status = 'delivered')
    order by o.n, e.step`);
}

/**
 * The shipped lines' reservation and ship rows, each carrying the level's figures after it (run
 * on from the level as it stands), then the levels lowered by what shipped.
 */
async function insertLedger(tx: Tx): Promise<void> {
  await tx.execute(sql`
    insert into inventory_ledger (location_id, sku, kind, on_hand_delta, reserved_delta, on_hand_after, reserved_after,
                                  reference_type, reference_id, actor, occurred_at)
    select m.location_id, m.sku, m.kind, m.on_hand_delta, m.reserved_delta,
           st.on_hand + sum(m.on_hand_delta) over w, st.reserved + sum(m.reserved_delta) over w,
           'order', m.id, 'history', m.at
    from (select l.location_id, l.sku, l.id, l.n, l.line_no, r.step, r.kind, r.on_hand_delta, r.reserved_delta, r.at
          from seed_lines l
          cross join lateral (values (1, 'reservation', 0, l.quantity, l.placed_at),
                                     (2, 'ship', -l.quantity, -l.quantity, l.placed_at + interval '20 hours'))
                     as r(step, kind, on_hand_delta, reserved_delta, at)
          where l.status <> 'cancelled') m
    join stock_levels st on st.location_id = m.location_id and st.sku = m.sku
    window w as (partition by m.location_id, m.sku order by m.n, m.line_no, m.step rows unbounded preceding)
    order by m.n, m.line_no, m.step`);
  await tx.execute(sql`
    update stock_levels st set on_hand = st.on_hand - s.units, updated_at = now()
    from (select location_id, sku, sum(quantity) as units from seed_lines where status <> 'cancelled'
          group by location_id, sku) s
    where st.location_id = s.location_id and st.sku = s.sku`);
}

/** Seeds `settings.count` orders from sequence number `settings.from` on, chunk by chunk. */
export async function seedHistory(database: Database, settings: HistorySettings): Promise<void> {
  let done = 0;
  while (done < settings.count) {
    const count = Math.min(settings.chunk, settings.count - done);
    const first = settings.from + done;
    const result = await inTransaction(database.db, async (tx) => {
      await defineIdFunction(tx);
      await stageOrders(tx, settings, first, count);
      await insertOrders(tx);
      await insertFulfilment(tx);
      await insertPayments(tx);
      await insertEvents(tx);
      await insertLedger(tx);
      return ok(undefined);
    });
    if (!result.ok) throw new Error(`seeding orders ${first}…: ${result.problem.detail}`);
    done += count;
    settings.onProgress(done);
  }
  await database.db.execute(sql`
    update outbox_cursors set last_event_id = greatest(last_event_id, (select coalesce(max(id), 0) from events)),
                              updated_at = now()`);
  await database.db.execute(sql`analyze`);
}

/** Rows the seeded database holds, for the report. */
export async function tableRows(database: Database): Promise<Record<string, number>> {
  const row = await queryOne<Record<string, number>>(
    database.db,
    sql`select (select count(*) from orders)::int as orders, (select count(*) from order_lines)::int as order_lines,
               (select count(*) from shipments)::int as shipments, (select count(*) from payments)::int as payments,
               (select count(*) from events)::int as events, (select count(*) from inventory_ledger)::int as ledger`,
  );
  return row ?? {};
}
