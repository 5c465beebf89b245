/**
 * The fields a rule's condition may read (docs/automations.md lists them) and the facts of one
 * event: the event itself and, when it is about an order, the order as it stands now.
 */
import { sql } from 'drizzle-orm';
import { query, type Executor } from '../db/index.ts';
import type { Facts, FieldSchema } from './expression/index.ts';

export const automationFields = {
  'event.type': 'string',
  'event.actor': 'string',
  'order.id': 'string',
  'order.channel': 'string',
  'order.channel_code': 'string',
  'order.status': 'string',
  'order.total_minor': 'int',
  'order.authorized_minor': 'int',
  'order.currency': 'string',
  'order.age_minutes': 'int',
  'order.tags': 'list<string>',
  'order.location_ids': 'list<string>',
  'order.on_hold': 'bool',
  'order.hold_kinds': 'list<string>',
  'order.delivery_method': 'string',
  'order.country': 'string',
  'order.promised_minutes_left': 'int',
  'order.sla_at_risk': 'bool',
} as const satisfies FieldSchema;

/** What a trigger hands to the condition: an event (scheduled looks have none) and its order. */
interface Subject {
  event: { type: string; actor: string | null } | null;
  orderId: string | null;
}

interface OrderFactsRow {
  id: string;
  channel_id: string;
  channel_code: string | null;
  status: string;
  total_minor: string | number;
  authorized_minor: string | number;
  currency: string;
  age_minutes: number;
  tags: string[];
  location_ids: string[];
  hold_kinds: string[];
  delivery_method: string;
  country: string | null;
  promised_minutes_left: number | null;
  sla_late: boolean | null;
}

/** Less than this before the promised date ends, units not yet shipped are at risk. */
const AT_RISK_MINUTES = 24 * 60;

/** The facts of many orders in one read, by order ID. */
export async function orderFacts(executor: Executor, orderIds: string[]): Promise<Map<string, Facts>> {
  const facts = new Map<string, Facts>();
  if (orderIds.length === 0) return facts;
  const rows = await query<OrderFactsRow>(
    executor,
    sql`select o.id, o.channel_id, c.code as channel_code, o.status, o.total_minor, o.authorized_minor, o.currency,
               floor(extract(epoch from (now() - o.placed_at)) / 60)::int as age_minutes,
               coalesce((select array_agg(t.tag order by t.tag) from order_tags t where t.order_id = o.id), '{}') as tags,
               coalesce((select array_agg(distinct a.location_id) from order_allocations a where a.order_id = o.id), '{}') as location_ids,
               coalesce((select array_agg(distinct h.kind) from order_holds h where h.order_id = o.id and h.released_at is null), '{}') as hold_kinds,
               o.delivery_method, o.shipping_address ->> 'country' as country,
               floor(extract(epoch from ((p.promised_on + 1)::timestamp at time zone 'UTC' - now())) / 60)::int as promised_minutes_left,
               p.late as sla_late
        from orders o join channels c on c.id = o.channel_id
        -- The promise of the units still at a location: each reserved allocation's routing decision
        -- promised its location's shipment a date (and how many days late that is against the SLA).
        left join lateral (
          select max((s ->> 'promisedDate')::date) as promised_on, bool_or((s ->> 'daysLate')::int > 0) as late
          from order_allocations a join routing_decisions d on d.id = a.decision_id,
               json_array_elements(d.explanation -> 'shipments') as s
          where a.order_id = o.id and a.status = 'reserved' and s ->> 'locationId' = a.location_id
        ) p on true
        where o.id in (select jsonb_array_elements_text(${JSON.stringify(orderIds)}::jsonb))`,
  );
  for (const row of rows) {
    facts.set(row.id, {
      'order.id': row.id,
      'order.channel': row.channel_id,
      'order.channel_code': row.channel_code,
      'order.status': row.status,
      'order.total_minor': Number(row.total_minor),
      'order.authorized_minor': Number(row.authorized_minor),
      'order.currency': row.currency,
      'order.age_minutes': row.age_minutes,
      'order.tags': row.tags,
      'order.location_ids': row.location_ids,
      'order.on_hold': row.hold_kinds.length > 0,
      'order.hold_kinds': row.hold_kinds,
      'order.delivery_method': row.delivery_method,
      'order.country': row.country,
      'order.promised_minutes_left': row.promised_minutes_left,
      'order.sla_at_risk':
        row.promised_minutes_left === null
          ? false
          : row.sla_late === true || row.promised_minutes_left < AT_RISK_MINUTES,
    });
  }
  return facts;
}

/** The facts of one subject, given its order's facts (or none). */
export function subjectFacts(subject: Subject, order: Facts | undefined): Facts {
  return { ...order, 'event.type': subject.event?.type ?? null, 'event.actor': subject.event?.actor ?? null };
}
