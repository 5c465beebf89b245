import { sql } from 'drizzle-orm';
import { readLeaves } from '../catalog/index.ts';
import { query, toIso, type Executor } from '../db/index.ts';

interface QueueFilter {
  /** null = every location (admins, agents); otherwise only these. */
  locationIds: string[] | null;
  status?: string[] | undefined;
  orderId?: string | undefined;
  id?: string | undefined;
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
  order_on_hold: boolean;
  lines: {
    line_id: string;
    sku: string;
    quantity: number;
    status: string;
    /** A split kit's part: the group and the leaf units per bundle picked here. */
    kit_group?: string;
    part_components?: { sku: string; quantity: number }[];
  }[];
  release_requests: { id: string; change_id: string; reason: string; created_at: string }[];
}

/** A location's work queue: fulfillment orders, oldest first, with their lines and order summary. */
export async function listFulfillmentOrders(executor: Executor, filter: QueueFilter) {
  const rows = await query<Row>(
    executor,
    sql`select f.id, f.order_id, f.location_id, f.delivery_method, f.status, f.created_at, f.updated_at,
               o.external_id, o.customer,
               exists (select 1 from order_holds h where h.order_id = f.order_id and h.released_at is null) as order_on_hold,
               coalesce((select jsonb_agg(jsonb_build_object('line_id', a.line_id, 'sku', a.sku, 'quantity', a.quantity, 'status', a.status)
                                   || case when a.kit_group is null then '{}'::jsonb
                                      else jsonb_build_object('kit_group', a.kit_group, 'part_components', a.components) end order by a.id)
                         from order_allocations a where a.fulfillment_order_id = f.id), '[]'::jsonb) as lines,
               coalesce((select jsonb_agg(jsonb_build_object('id', r.id, 'change_id', r.change_id, 'reason', c.reason, 'created_at', r.created_at) order by r.id)
                         from fulfillment_release_requests r join order_changes c on c.id = r.change_id
                         where r.fulfillment_order_id = f.id and r.status = 'requested'), '[]'::jsonb) as release_requests
        from fulfillment_orders f join orders o on o.id = f.order_id
        where true
          ${filter.locationIds ? sql`and f.location_id in (select jsonb_array_elements_text(${JSON.stringify(filter.locationIds)}::jsonb))` : sql``}
          ${filter.status?.length ? sql`and f.status in (select jsonb_array_elements_text(${JSON.stringify(filter.status)}::jsonb))` : sql``}
          ${filter.orderId ? sql`and f.order_id = ${filter.orderId}` : sql``}
          ${filter.id ? sql`and f.id = ${filter.id}` : sql``}
          ${filter.after ? sql`and f.id > ${filter.after}` : sql``}
        order by f.id
        limit ${filter.limit}`,
  );
  const leaves = await readLeaves(
    executor,
    rows.flatMap((r) => r.lines.map((l) => l.sku)),
  );
  return rows.map((r) => ({
    id: r.id,
    order_id: r.order_id,
    order_external_id: r.external_id,
    customer_name: r.customer.name ?? null,
    location_id: r.location_id,
    delivery_method: r.delivery_method,
    status: r.status,
    order_on_hold: r.order_on_hold,
    // A bundle's line lists what to pick for it: its leaf components, for all its units.
    lines: r.lines.map(({ part_components: part, ...line }) => {
      // A split kit's part picks only its own components here; the line's other components are elsewhere.
      if (part) return { ...line, components: part.map((c) => ({ sku: c.sku, quantity: c.quantity * line.quantity })) };
      const components = leaves.get(line.sku);
      return components
        ? { ...line, components: components.map((c) => ({ sku: c.sku, quantity: c.quantity * line.quantity })) }
        : line;
    }),
    /** Order changes waiting for this location to hand the work back (`release-for-change`). */
    release_requests: r.release_requests,
    created_at: toIso(r.created_at),
    updated_at: toIso(r.updated_at),
  }));
}

export async function getFulfillmentOrder(executor: Executor, id: string) {
  const [row] = await listFulfillmentOrders(executor, { locationIds: null, id, limit: 1 });
  return row;
}
