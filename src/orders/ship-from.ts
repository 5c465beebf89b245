import { problem, type Problem } from '../shared/problem.ts';
import type { FieldError } from './money.ts';
import type { ShipFromRow } from './placement-inputs.ts';
import type { CreateOrder } from './schemas.ts';

/** Why one line's named location cannot fulfil the order, and what to do about it; undefined when it can. */
function unusable(
  input: CreateOrder,
  channel: string,
  id: string,
  location: ShipFromRow | undefined,
): string | undefined {
  if (!location)
    return `there is no location ${id}: name an existing location (GET /v1/locations) or leave ship_from_location_id out`;
  const named = `${location.name} (${id})`;
  const reasons: string[] = [];
  if (!location.active) reasons.push(`${named} is inactive: activate it or name another location`);
  const method = input.delivery_method;
  if (method !== 'ship' && id !== input.pickup_location_id) {
    reasons.push(
      `a ${method} order is handed over at its store ${input.pickup_location_id ?? '(none named)'}, not at ${named}: ` +
        'name that store or leave ship_from_location_id out',
    );
  } else if (!location.capabilities.includes(method)) {
    reasons.push(
      `${named} does not offer ${method}: give it the ${method} capability or name a location that offers it`,
    );
  }
  if (!location.in_channel_group)
    reasons.push(
      `${named} is not in the location group of channel ${channel}: add it to the group or name a location of the group`,
    );
  return reasons.length === 0 ? undefined : reasons.join('; ');
}

/**
 * The lines naming a location to ship from that cannot: one that does not exist, is inactive,
 * does not offer the order's delivery method (a pickup or curbside order's lines come from its
 * store) or is not in the channel's location group. One message per line; undefined when every
 * named location can fulfil its line.
 */
export function checkShipFrom(input: CreateOrder, channel: string, locations: ShipFromRow[]): Problem | undefined {
  const byId = new Map(locations.map((l) => [l.id, l]));
  const errors: FieldError[] = [];
  input.lines.forEach((line, i) => {
    const id = line.ship_from_location_id;
    if (id === undefined) return;
    const why = unusable(input, channel, id, byId.get(id));
    if (why !== undefined)
      errors.push({ pointer: `/lines/${i}/ship_from_location_id`, message: `line ${line.line_id ?? i + 1}: ${why}` });
  });
  if (errors.length === 0) return undefined;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more line${errors.length > 2 ? 's' : ''})` : '';
  return problem('ship_from_unusable', `A line names a location it cannot ship from: ${errors[0]!.message}${more}.`, {
    errors,
  });
}
