import { andList, formatNumber } from './format.ts';
import type { RoutingRules } from './rules.ts';
import { criterionNames, type CriterionName } from './types.ts';

/*
 * What a rules version changes against another, in words a manager reads before activating it:
 * "Max shipments: 2 → 1", "Excluded: Reno added". One line per change, in the order of the form.
 */

const weightNames: Record<CriterionName, string> = {
  shipments: 'Weight of each shipment',
  distance: 'Weight of distance (per km)',
  cost: 'Weight of freight cost (per minor unit)',
  sla: 'Weight of each day late',
  balance: 'Weight of stock balance',
  priority: 'Weight of store priority',
};

const fallbackWords = { reject: 'refuse the order', ship: 'ship it instead' } as const;
const bundleWords = { one_location: 'each kit from one location', split_components: 'components from several' };

/** JSON with object keys sorted: a stored version (jsonb orders keys its own way) reads the same as the form's. */
const canonical = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(canonical)
    : typeof value === 'object' && value !== null
      ? Object.fromEntries(
          Object.keys(value)
            .sort()
            .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
        )
      : value;

const same = (a: unknown, b: unknown): boolean => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

function changed<T>(lines: string[], label: string, before: T, after: T, words: (value: T) => string): void {
  if (!same(before, after)) lines.push(`${label}: ${words(before)} → ${words(after)}`);
}

/** Added and removed members of a list, named: "Excluded: Reno added", "Excluded: Austin removed". */
function listChanges(
  lines: string[],
  label: string,
  before: readonly string[],
  after: readonly string[],
  name: (id: string) => string,
) {
  const added = after.filter((id) => !before.includes(id)).map(name);
  const removed = before.filter((id) => !after.includes(id)).map(name);
  if (added.length > 0) lines.push(`${label}: ${andList(added)} added`);
  if (removed.length > 0) lines.push(`${label}: ${andList(removed)} removed`);
}

/** The rate tables by name: added, removed, or changed. */
function rateTableChanges(lines: string[], before: RoutingRules, after: RoutingRules): void {
  if (!same(before.rateTable, after.rateTable)) lines.push('Default rate table: changed');
  const old = new Map((before.rateTables ?? []).map((t) => [t.name, t]));
  const now = new Map((after.rateTables ?? []).map((t) => [t.name, t]));
  listChanges(lines, 'Rate tables', [...old.keys()], [...now.keys()], (n) => n);
  for (const [name, table] of now) {
    const previous = old.get(name);
    if (previous !== undefined && !same(previous, table)) lines.push(`Rate table ${name}: changed`);
  }
  const reordered =
    old.size === now.size && [...now.keys()].every((n) => old.has(n)) && !same([...old.keys()], [...now.keys()]);
  if (reordered) lines.push('Rate tables: order changed (the first that matches an order prices it)');
}

function slaChanges(lines: string[], before: RoutingRules, after: RoutingRules): void {
  const days = (value: number | undefined) => (value === undefined ? 'the default' : `${value} days`);
  changed(lines, 'Delivery promise (SLA)', before.slaDays.default, after.slaDays.default, (d) => `${d} days`);
  const channels = new Set([...Object.keys(before.slaDays.byChannel), ...Object.keys(after.slaDays.byChannel)]);
  for (const channel of [...channels].sort()) {
    changed(
      lines,
      `Delivery promise for channel ${channel}`,
      before.slaDays.byChannel[channel],
      after.slaDays.byChannel[channel],
      days,
    );
  }
}

/**
 * Every change from `before` (usually the active version) to `after`, in words; none when they
 * route alike. `name` gives a location's name for its id.
 */
export function describeRuleChanges(
  before: RoutingRules,
  after: RoutingRules,
  name: (locationId: string) => string,
): string[] {
  const lines: string[] = [];
  for (const criterion of criterionNames) {
    changed(lines, weightNames[criterion], before.weights[criterion], after.weights[criterion], formatNumber);
  }
  changed(lines, 'Max shipments', before.maxShipments, after.maxShipments, (n) =>
    n === null ? 'no limit' : String(n),
  );
  changed(lines, 'Ship complete', before.shipComplete, after.shipComplete, (on) => (on ? 'on' : 'off'));
  changed(lines, 'Pickup fallback', before.pickupFallback, after.pickupFallback, (f) => fallbackWords[f]);
  changed(lines, 'After cut-off', before.excludeAfterCutoff, after.excludeAfterCutoff, (excluded) =>
    excluded ? 'excluded' : 'still eligible',
  );
  changed(lines, 'Kits', before.bundles ?? 'one_location', after.bundles ?? 'one_location', (b) => bundleWords[b]);
  listChanges(lines, 'Excluded', before.excludedLocations ?? [], after.excludedLocations ?? [], name);
  changed(lines, 'Currency', before.currency, after.currency, (c) => c);
  rateTableChanges(lines, before, after);
  if (!same(before.transitDays, after.transitDays)) lines.push('Transit days by distance: changed');
  slaChanges(lines, before, after);
  return lines;
}
