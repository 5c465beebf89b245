import { sql } from 'drizzle-orm';
import { query, type Executor } from '../db/index.ts';

/** Today's date (UTC), `YYYY-MM-DD`: the day supply dates and promises are compared with. */
export function today(nowMs: number = Date.now()): string {
  return new Date(nowMs).toISOString().slice(0, 10);
}

/** Whether `YYYY-MM-DD` names a day of the calendar (the schema's pattern lets 2026-02-31 through). */
export function isCalendarDay(day: string): boolean {
  const parsed = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === day;
}

/** Stock a waiting unit can be promised from: what is available now, or an open supply line. */
interface Source {
  sku: string;
  location_id: string;
  /** The supply, or null for stock available now. */
  supply_id: string | null;
  /** When it is there: today for stock on hand, the expected date (never before today) for supply. */
  on: string;
  quantity: number;
  /** What is left after the waiting units before it in line took theirs. */
  left: number;
}

/** A waiting order line and what its units are promised from, in FIFO (order time) order. */
export interface LinePromise {
  order_id: string;
  line_id: string;
  sku: string;
  waiting: number;
  /** The day its last waiting unit is due; null when some units have no supply to wait for. */
  promised_on: string | null;
  promises: { supply_id: string | null; location_id: string; on: string; quantity: number }[];
}

export interface SupplyPlan {
  sources: Source[];
  lines: LinePromise[];
}

interface Waiting {
  order_id: string;
  line_id: string;
  sku: string;
  waiting: number;
  placed_at: string;
  /** Locations the order's channel sells from, less those that rejected the order's work. */
  locations: string[];
}

/**
 * What the units waiting for the given SKUs are promised from, first come first served: the
 * oldest order's waiting units (by order time, as the back-order worker serves them) take the
 * earliest stock or supply where their channel sells, then the next order's, and so on. Derived
 * from the rows every time, so it is never stale: a slip, a cancelled or received supply, a
 * cancelled order or a back-order served moves the later promises by itself. Three reads.
 */
export async function planSupply(executor: Executor, skus: string[], on: string = today()): Promise<SupplyPlan> {
  const unique = [...new Set(skus)];
  if (unique.length === 0) return { sources: [], lines: [] };
  const skuList = sql`${sql.param(unique)}::text[]`;
  const sources = await query<Omit<Source, 'left'>>(
    executor,
    sql`select s.sku, s.location_id, null::text as supply_id, ${on}::text as on, (s.on_hand - s.reserved - s.safety_stock)::int as quantity
        from stock_levels s join locations l on l.id = s.location_id and l.active
        where s.sku = any(${skuList}) and s.on_hand - s.reserved - s.safety_stock > 0
        union all
        select sl.sku, su.location_id, su.id, to_char(greatest(su.expected_on, ${on}::date), 'YYYY-MM-DD'), sl.quantity
        from supply_lines sl join supplies su on su.id = sl.supply_id join locations l on l.id = su.location_id and l.active
        where sl.sku = any(${skuList}) and su.status = 'open'
        order by 1, 4, 3 nulls first, 2`,
  );
  const waiting = await query<Waiting>(
    executor,
    sql`select l.order_id, l.line_id, l.sku, l.backordered as waiting, o.placed_at,
               array(select m.location_id from channels c join location_group_members m on m.group_id = c.location_group_id
                     where c.id = o.channel_id
                       and not exists (select 1 from fulfillment_orders f
                                       where f.order_id = o.id and f.location_id = m.location_id and f.status = 'rejected')
                     order by m.location_id) as locations
        from order_lines l join orders o on o.id = l.order_id
        where l.sku = any(${skuList}) and l.backordered > 0 and o.status <> 'cancelled'
        order by o.placed_at, o.id, l.line_no`,
  );
  return promise(
    sources.map((s) => ({ ...s, left: s.quantity })),
    waiting,
  );
}

/** The FIFO promise itself: pure, over sources in date order and lines in order-time order. */
function promise(sources: Source[], waiting: Waiting[]): SupplyPlan {
  const bySku = new Map<string, Source[]>();
  for (const source of sources) bySku.set(source.sku, [...(bySku.get(source.sku) ?? []), source]);
  const lines = waiting.map((line): LinePromise => {
    let need = line.waiting;
    const promises: LinePromise['promises'] = [];
    for (const source of bySku.get(line.sku) ?? []) {
      if (need === 0) break;
      if (source.left === 0 || !line.locations.includes(source.location_id)) continue;
      const take = Math.min(need, source.left);
      source.left -= take;
      need -= take;
      promises.push({ supply_id: source.supply_id, location_id: source.location_id, on: source.on, quantity: take });
    }
    const promisedOn = need === 0 ? (promises.at(-1)?.on ?? null) : null;
    return {
      order_id: line.order_id,
      line_id: line.line_id,
      sku: line.sku,
      waiting: line.waiting,
      promised_on: promisedOn,
      promises,
    };
  });
  return { sources, lines };
}

/** `order_id/line_id` → promised date, to tell which promises a change moved. */
export function promisedDates(plan: SupplyPlan): Map<string, string | null> {
  return new Map(plan.lines.map((l) => [`${l.order_id}/${l.line_id}`, l.promised_on]));
}
