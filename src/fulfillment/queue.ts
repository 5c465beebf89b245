import { sql, type SQL } from 'drizzle-orm';
import { readLeaves } from '../catalog/index.ts';
import { query, toIso, type Executor } from '../db/index.ts';
import { activeRules, AT_RISK_MS, slaDueSql } from '../routing/index.ts';

/** Work not finished yet: what a location still has to do. */
const OPEN_FULFILLMENT_STATUSES = ['allocated', 'accepted', 'picking', 'packed', 'ready_for_pickup'];

interface QueueScope {
  /** null = every location (admins, agents); otherwise only these. */
  locationIds: string[] | null;
  status?: string[] | undefined;
  orderId?: string | undefined;
  id?: string | undefined;
}

interface QueueFilter extends QueueScope {
  /** `created`: oldest first (by ID); `due`: the order's SLA running out first (late and at risk first), then oldest. */
  sort?: 'created' | 'due' | undefined;
  after?: string | undefined;
  limit: number;
}

interface Row {
  id: string;
  order_id: string;
  location_id: string;
  delivery_method: string;
  status: string;
  created_at: string;
  updated_at: string;
  external_id: string;
  customer: { name?: string; email?: string };
  shipping_address: Record<string, unknown> | null;
  placed_at: string;
  due_at: string;
  order_on_hold: boolean;
  lines: {
    line_id: string;
    sku: string;
    name: string | null;
    quantity: number;
    status: string;
    /** A split kit's part: the group and the leaf units per bundle picked here. */
    kit_group?: string;
    part_components?: { sku: string; quantity: number }[];
  }[];
  shipments: { id: string; carrier: string; service: string | null; tracking_number: string | null }[];
  release_requests: { id: string; change_id: string; reason: string; created_at: string }[];
}

function scopeSql(filter: QueueScope): SQL {
  return sql`${filter.locationIds ? sql`and f.location_id in (select jsonb_array_elements_text(${JSON.stringify(filter.locationIds)}::jsonb))` : sql``}
    ${filter.status?.length ? sql`and f.status in (select jsonb_array_elements_text(${JSON.stringify(filter.status)}::jsonb))` : sql``}
    ${filter.orderId ? sql`and f.order_id = ${filter.orderId}` : sql``}
    ${filter.id ? sql`and f.id = ${filter.id}` : sql``}`;
}

/** A location's work queue: fulfillment orders with their lines, address and order summary. */
export async function listFulfillmentOrders(executor: Executor, filter: QueueFilter) {
  const rules = (await activeRules(executor)).rules;
  const due = slaDueSql(rules);
  const byDue = filter.sort === 'due';
  const after = filter.after
    ? byDue
      ? sql`and (${due}, f.id) > (select ${slaDueSql(rules, sql.raw('co'))}, cf.id
                                  from fulfillment_orders cf join orders co on co.id = cf.order_id where cf.id = ${filter.after})`
      : sql`and f.id > ${filter.after}`
    : sql``;
  const rows = await query<Row>(
    executor,
    sql`select f.id, f.order_id, f.location_id, f.delivery_method, f.status, f.created_at, f.updated_at,
               o.external_id, o.customer, o.shipping_address, o.placed_at, ${due} as due_at,
               exists (select 1 from order_holds h where h.order_id = f.order_id and h.released_at is null) as order_on_hold,
               coalesce((select jsonb_agg(jsonb_build_object('line_id', a.line_id, 'sku', a.sku, 'quantity', a.quantity, 'status', a.status,
                                                             'name', coalesce(l.name, p.name))
                                   || case when a.kit_group is null then '{}'::jsonb
                                      else jsonb_build_object('kit_group', a.kit_group, 'part_components', a.components) end order by a.id)
                         from order_allocations a
                         left join order_lines l on l.order_id = a.order_id and l.line_id = a.line_id
                         left join products p on p.sku = a.sku
                         where a.fulfillment_order_id = f.id), '[]'::jsonb) as lines,
               coalesce((select jsonb_agg(jsonb_build_object('id', s.id, 'carrier', s.carrier, 'service', s.service, 'tracking_number', s.tracking_number) order by s.id)
                         from shipments s where s.fulfillment_order_id = f.id), '[]'::jsonb) as shipments,
               coalesce((select jsonb_agg(jsonb_build_object('id', r.id, 'change_id', r.change_id, 'reason', c.reason, 'created_at', r.created_at) order by r.id)
                         from fulfillment_release_requests r join order_changes c on c.id = r.change_id
                         where r.fulfillment_order_id = f.id and r.status = 'requested'), '[]'::jsonb) as release_requests
        from fulfillment_orders f join orders o on o.id = f.order_id
        where true ${scopeSql(filter)} ${after}
        order by ${byDue ? sql`${due}, f.id` : sql`f.id`}
        limit ${filter.limit}`,
  );
  const leaves = await readLeaves(
    executor,
    rows.flatMap((r) => r.lines.map((l) => l.sku)),
  );
  const now = Date.now();
  return rows.map((r) => {
    const dueMs = new Date(r.due_at).getTime();
    const open = OPEN_FULFILLMENT_STATUSES.includes(r.status);
    return {
      id: r.id,
      order_id: r.order_id,
      order_external_id: r.external_id,
      customer_name: r.customer.name ?? null,
      shipping_address: r.shipping_address,
      location_id: r.location_id,
      delivery_method: r.delivery_method,
      status: r.status,
      order_on_hold: r.order_on_hold,
      order_placed_at: toIso(r.placed_at),
      /** When the order's SLA runs out (placed plus its channel's SLA days); open work past it is late. */
      due_at: toIso(r.due_at),
      late: open && dueMs < now,
      at_risk: open && dueMs >= now && dueMs - now < AT_RISK_MS,
      // A bundle's line lists what to pick for it: its leaf components, for all its units.
      lines: r.lines.map(({ part_components: part, ...line }) => {
        // A split kit's part picks only its own components here; the line's other components are elsewhere.
        if (part)
          return { ...line, components: part.map((c) => ({ sku: c.sku, quantity: c.quantity * line.quantity })) };
        const components = leaves.get(line.sku);
        return components
          ? { ...line, components: components.map((c) => ({ sku: c.sku, quantity: c.quantity * line.quantity })) }
          : line;
      }),
      shipments: r.shipments,
      /** Order changes waiting for this location to hand the work back (`release-for-change`). */
      release_requests: r.release_requests,
      created_at: toIso(r.created_at),
      updated_at: toIso(r.updated_at),
    };
  });
}

export type QueueItem = Awaited<ReturnType<typeof listFulfillmentOrders>>[number];

/** How many fulfillment orders the filter matches (for "N in all" and page numbers). */
export async function countFulfillmentOrders(executor: Executor, filter: QueueScope): Promise<number> {
  const [row] = await query<{ n: number }>(
    executor,
    sql`select count(*)::int as n from fulfillment_orders f where true ${scopeSql(filter)}`,
  );
  return row?.n ?? 0;
}

/** Work per step at the locations, and how much open work is late or at risk of being late. */
export async function countQueueSteps(executor: Executor, filter: QueueScope) {
  const rules = (await activeRules(executor)).rules;
  const due = slaDueSql(rules);
  const open = sql`f.status in (select jsonb_array_elements_text(${JSON.stringify(OPEN_FULFILLMENT_STATUSES)}::jsonb))`;
  const rows = await query<{ status: string; n: number; late: number; at_risk: number }>(
    executor,
    sql`select f.status, count(*)::int as n,
               count(*) filter (where ${open} and ${due} < now())::int as late,
               count(*) filter (where ${open} and ${due} >= now() and ${due} < now() + ${`${AT_RISK_MS} milliseconds`}::interval)::int as at_risk
        from fulfillment_orders f join orders o on o.id = f.order_id
        where true ${scopeSql(filter)}
        group by f.status`,
  );
  const byStatus: Record<string, number> = {};
  for (const r of rows) byStatus[r.status] = r.n;
  return {
    by_status: byStatus,
    open: OPEN_FULFILLMENT_STATUSES.reduce((n, s) => n + (byStatus[s] ?? 0), 0),
    late: rows.reduce((n, r) => n + r.late, 0),
    at_risk: rows.reduce((n, r) => n + r.at_risk, 0),
  };
}

export async function getFulfillmentOrder(executor: Executor, id: string) {
  const [row] = await listFulfillmentOrders(executor, { locationIds: null, id, limit: 1 });
  return row;
}
