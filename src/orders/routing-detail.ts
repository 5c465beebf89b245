import { sql } from 'drizzle-orm';
import { query, type Executor } from '../db/index.ts';

/** One location a routing decision left out of its candidates, as `?detail=all` lists it. */
interface OmittedLocation {
  locationId: string;
  name: string;
  type: string;
  eligible: false;
  excludedBy: { code: 'inactive' | 'not_in_channel_group' | 'no_stock'; reason: string }[];
}

interface StoredDecision {
  explanation: unknown;
}

const noStock = {
  code: 'no_stock',
  reason: "Held none of the order's SKUs (nor their components) when routed.",
} as const;
const inactive = { code: 'inactive', reason: 'The location is deactivated.' } as const;
const notInGroup = {
  code: 'not_in_channel_group',
  reason: "Not in the location group of the order's channel.",
} as const;

/** The ids of the candidates a stored decision lists, and whether it left locations out. */
function listed(explanation: unknown): { ids: string[]; omitted: Record<string, unknown> } | null {
  const inner = (explanation as { explanation?: { candidates?: { locationId: string }[]; omitted?: unknown } })
    .explanation;
  if (inner?.omitted === undefined || inner.omitted === null) return null;
  return { ids: (inner.candidates ?? []).map((c) => c.locationId), omitted: inner.omitted as Record<string, unknown> };
}

/**
 * Adds to each decision that left locations out (`explanation.omitted`) the list of them:
 * computed on read, as every location (in the order's channel's group or not) that the decision
 * does not list, each with why it is not eligible. Decisions are changed in place and returned.
 */
export async function withOmittedLocations<T extends StoredDecision>(
  executor: Executor,
  orderId: string,
  decisions: T[],
): Promise<T[]> {
  const wanted = decisions.map((d) => listed(d.explanation)).filter((l) => l !== null);
  if (wanted.length === 0) return decisions;
  const locations = await query<{ id: string; name: string; type: string; active: boolean; in_group: boolean }>(
    executor,
    sql`select l.id, l.name, l.type, l.active,
               exists (select 1 from orders o join channels c on c.id = o.channel_id
                         join location_group_members m on m.group_id = c.location_group_id
                       where o.id = ${orderId} and m.location_id = l.id) as in_group
        from locations l
        order by l.id`,
  );
  for (const { ids, omitted } of wanted) {
    const shown = new Set(ids);
    omitted.locations = locations
      .filter((l) => !shown.has(l.id))
      .map((l): OmittedLocation => ({
        locationId: l.id,
        name: l.name,
        type: l.type,
        eligible: false,
        excludedBy: [...(l.active ? [] : [inactive]), ...(l.in_group ? [] : [notInGroup]), noStock],
      }));
  }
  return decisions;
}
