import { sql } from 'drizzle-orm';
import { query, toIso, type Executor } from '../db/index.ts';
import { applyLevelMovement, checkReferences, reserveUpTo } from '../inventory/index.ts';
import { holdOneLine } from './hold-one-line.ts';
import { recordHold, type Written } from './hold-rows.ts';
import { newId } from '../shared/ids.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import type { Reservation, ReservationLine } from './read.ts';

interface HoldRequestLine {
  sku: string;
  quantity: number;
  location_id?: string | undefined;
}

export interface HoldInput {
  lines: HoldRequestLine[];
  expiresInSeconds: number;
  /** Locations the hold may draw from; null = every active location. */
  locationIds: string[] | null;
  channelId?: string | null | undefined;
  reference?: string | undefined;
  actor?: string | undefined;
}

interface Shortfall {
  sku: string;
  location_id: string | null;
  requested: number;
  available: number;
}

interface Candidate {
  location_id: string;
  available: number;
}

/** Same SKU (and location) asked for twice is one line of the summed quantity. */
function mergeLines(lines: HoldRequestLine[]): HoldRequestLine[] {
  const merged = new Map<string, HoldRequestLine>();
  for (const line of lines) {
    const key = `${line.sku}\u0000${line.location_id ?? ''}`;
    const existing = merged.get(key);
    merged.set(key, existing ? { ...existing, quantity: existing.quantity + line.quantity } : { ...line });
  }
  // Stable (sku, location) order: concurrent holds lock rows in the same order and cannot deadlock.
  return [...merged.values()].sort((a, b) =>
    a.sku === b.sku ? (a.location_id ?? '').localeCompare(b.location_id ?? '') : a.sku < b.sku ? -1 : 1,
  );
}

async function candidates(executor: Executor, sku: string, locationIds: string[] | null): Promise<Candidate[]> {
  return query<Candidate>(
    executor,
    sql`select s.location_id, s.on_hand - s.reserved - s.safety_stock as available
        from stock_levels s join locations l on l.id = s.location_id and l.active
        where s.sku = ${sku} and s.on_hand - s.reserved - s.safety_stock > 0
        ${locationIds === null ? sql`` : sql`and s.location_id in (select jsonb_array_elements_text(${JSON.stringify(locationIds)}::jsonb))`}
        order by available desc, l.priority desc, s.location_id`,
  );
}

/**
 * Reserves one line. With a location: there or nowhere. Without: the one location that can
 * cover it all (most available first), else split across locations in ID order. Every
 * take is a guarded UPDATE, so a concurrent hold can make this fail but never oversell.
 */
async function reserveLine(
  executor: Executor,
  id: string,
  line: HoldRequestLine,
  input: HoldInput,
): Promise<ReservationLine[] | Shortfall> {
  // A bundle has no level: it is held as its components, so its take is refused and explained.
  const take = (locationId: string, quantity: number) =>
    applyLevelMovement(
      executor,
      {
        locationId,
        sku: line.sku,
        kind: 'reservation',
        onHandDelta: 0,
        reservedDelta: quantity,
        referenceType: 'reservation',
        referenceId: id,
        actor: input.actor,
      },
      'available',
    );
  if (line.location_id) {
    // A refused take is read again to say what is there; if units came back in between (a hold
    // expired or was released), the take is tried again rather than refused with enough on hand.
    for (let attempt = 0; ; attempt++) {
      const level = await take(line.location_id, line.quantity);
      if (level) return [{ sku: line.sku, location_id: line.location_id, quantity: line.quantity }];
      const available = (await candidates(executor, line.sku, [line.location_id]))[0]?.available ?? 0;
      if (available < line.quantity || attempt === 4)
        return { sku: line.sku, location_id: line.location_id, requested: line.quantity, available };
    }
  }
  const options = await candidates(executor, line.sku, input.locationIds);
  for (const option of options.filter((o) => o.available >= line.quantity)) {
    if (await take(option.location_id, line.quantity))
      return [{ sku: line.sku, location_id: option.location_id, quantity: line.quantity }];
  }
  const taken: ReservationLine[] = [];
  let remaining = line.quantity;
  for (const option of [...options].sort((a, b) => (a.location_id < b.location_id ? -1 : 1))) {
    const quantity = await reserveUpTo(executor, {
      locationId: option.location_id,
      sku: line.sku,
      max: remaining,
      referenceType: 'reservation',
      referenceId: id,
      actor: input.actor,
    });
    if (quantity > 0) taken.push({ sku: line.sku, location_id: option.location_id, quantity });
    remaining -= quantity;
    if (remaining === 0) return taken;
  }
  // Each take above took all there was at its location when it ran (else nothing would remain):
  // what they took together is what was available, as the takes saw it. A read now could count
  // units that came back since (a hold expiring), more than the hold asked for.
  return { sku: line.sku, location_id: null, requested: line.quantity, available: line.quantity - remaining };
}

function outOfScope(lines: HoldRequestLine[], locationIds: string[] | null): string[] {
  if (locationIds === null) return [];
  return lines.flatMap((l) => (l.location_id && !locationIds.includes(l.location_id) ? [l.location_id] : []));
}

/**
 * Creates a cart hold: all lines are reserved, or nothing is and the shortfalls are returned.
 * The storefront's usual call, one line at a named location, is one statement: the guarded
 * UPDATE, its ledger row and event, and the reservation with its line and event. Unknown SKUs
 * or locations are told apart from missing stock only once a take has been refused.
 */
export async function createHold(executor: Executor, input: HoldInput): Promise<Result<Reservation>> {
  const lines = mergeLines(input.lines);
  const foreign = outOfScope(lines, input.locationIds);
  if (foreign.length > 0) {
    return fail(
      problem('validation_failed', `Location(s) ${foreign.join(', ')} are outside this channel or group.`, {
        location_ids: foreign,
      }),
    );
  }

  const id = newId('res');
  const [only] = lines;
  if (lines.length === 1 && only?.location_id !== undefined) {
    const held = await holdOneLine(executor, { id, line: only as ReservationLine, input });
    if (held !== undefined) return ok(JSON.parse(held) as Reservation);
  }
  const reserved: ReservationLine[] = [];
  const shortfalls: Shortfall[] = [];
  for (const line of lines) {
    const outcome = await reserveLine(executor, id, line, input);
    if (Array.isArray(outcome)) reserved.push(...outcome);
    else shortfalls.push(outcome);
  }
  if (shortfalls.length > 0) return fail(await explainRefusal(executor, lines, shortfalls));
  return ok(reservationOf(id, input, reserved, await recordHold(executor, id, reserved, input)));
}

/** Why a hold was refused: unknown references first, else the per-line shortfalls. */
async function explainRefusal(executor: Executor, lines: HoldRequestLine[], shortfalls: Shortfall[]) {
  const unknown = await checkReferences(
    executor,
    lines.map((l) => l.sku),
    lines.flatMap((l) => (l.location_id ? [l.location_id] : [])),
  );
  return (
    unknown ??
    problem('insufficient_stock', 'Not enough stock is available for some lines; nothing was held.', { shortfalls })
  );
}

function reservationOf(id: string, input: HoldInput, lines: ReservationLine[], written: Written): Reservation {
  return {
    id,
    status: 'held',
    channel_id: input.channelId ?? null,
    reference: input.reference ?? null,
    order_id: null,
    expires_at: toIso(written.expires_at),
    created_at: toIso(written.created_at),
    updated_at: toIso(written.created_at),
    lines: lines.map(({ sku, location_id, quantity }) => ({ sku, location_id, quantity })),
  };
}
