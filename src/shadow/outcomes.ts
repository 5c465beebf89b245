import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { query, queryOne, type Executor } from '../db/index.ts';
import { ok, type Result } from '../shared/result.ts';
import { legacyStatuses, outcomeKinds, type LegacyOutcome } from './compare.ts';
import { readRecords, refused, type FieldError, type FieldReader } from './records.ts';

type OutcomeKind = (typeof outcomeKinds)[number];

const common = ['external_id', 'kind', 'placed_at', 'at'];
const fieldsOf: Record<OutcomeKind, readonly string[]> = {
  allocation: [...common, 'sku', 'location', 'quantity'],
  shipment: [...common, 'sku', 'location', 'quantity'],
  cancellation: [...common, 'sku', 'quantity'],
  status: [...common, 'status'],
  money: [...common, 'total', 'captured', 'refunded'],
};

/** An outcome as read: the location as named (ID or code), its moment as sent, and the record's fingerprint. */
type Outcome = Omit<LegacyOutcome, 'location_id' | 'at'> & {
  location: string | null;
  occurred_at: string | null;
  fingerprint: string;
};

function readOutcome(read: FieldReader, currency: string) {
  const kind = read.text('kind', true) as OutcomeKind | undefined;
  if (kind !== undefined && !outcomeKinds.includes(kind))
    read.wrong('kind', `must be one of ${outcomeKinds.join(', ')}`);
  const units = kind === 'allocation' || kind === 'shipment';
  const outcome = {
    external_id: read.text('external_id', true),
    kind,
    sku: kind === 'cancellation' ? read.text('sku', false) : units ? read.text('sku', true) : null,
    location: units ? read.text('location', true) : null,
    quantity:
      kind === 'cancellation' ? read.count('quantity', false, 1) : units ? read.count('quantity', true, 1) : null,
    status: kind === 'status' ? read.text('status', true) : null,
    total_minor: kind === 'money' ? read.money('total', currency) : null,
    captured_minor: kind === 'money' ? read.money('captured', currency) : null,
    refunded_minor: kind === 'money' ? read.money('refunded', currency) : null,
    placed_at: read.instant('placed_at', false) ?? null,
    occurred_at: read.instant('at', false) ?? null,
  };
  if (kind && outcomeKinds.includes(kind)) read.only(fieldsOf[kind]);
  if (outcome.status && !legacyStatuses.includes(outcome.status))
    read.wrong('status', `must be one of ${legacyStatuses.join(', ')}`);
  const amounts = [outcome.total_minor, outcome.captured_minor, outcome.refunded_minor];
  if (kind === 'money' && amounts.every((amount) => amount === undefined))
    read.wrong('total', 'a money record gives at least one of total, captured and refunded');
  return outcome;
}

/**
 * Takes the legacy system's outcomes for a shadow channel's orders (a JSON array or JSON lines),
 * all or none: one bad record refuses every record. A record sent again is kept once.
 */
export async function ingestOutcomes(
  executor: Executor,
  channel: { id: string; currency: string },
  input: unknown,
): Promise<Result<{ records: number; stored: number }>> {
  const read = readRecords(input, (fields) => {
    const outcome = readOutcome(fields, channel.currency);
    const fingerprint = createHash('sha256').update(JSON.stringify(outcome)).digest('hex');
    return { ...outcome, fingerprint } as Outcome;
  });
  if (!read.ok) return read;
  const { records: outcomes, errors } = read.value;
  if (errors.length > 0) return refused('outcomes', errors);
  const locations = await locationIds(executor, outcomes, errors);
  if (errors.length > 0) return refused('outcomes', errors);
  const stored = await queryOne<{ count: number }>(
    executor,
    sql`with stored as (
          insert into shadow_outcomes (channel_id, external_id, kind, fingerprint, sku, location_id, quantity, status,
            total_minor, captured_minor, refunded_minor, placed_at, occurred_at)
          select ${channel.id}, t.external_id, t.kind, t.fingerprint, t.sku, t.location_id, t.quantity, t.status,
            t.total_minor, t.captured_minor, t.refunded_minor, t.placed_at, t.occurred_at
          from jsonb_to_recordset(${JSON.stringify(outcomes.map((o) => ({ ...o, location_id: o.location && locations.get(o.location) })))}::jsonb)
            as t(external_id text, kind text, fingerprint text, sku text, location_id text, quantity int, status text,
                 total_minor bigint, captured_minor bigint, refunded_minor bigint, placed_at timestamptz, occurred_at timestamptz)
          on conflict (channel_id, fingerprint) do nothing
          returning 1)
        select count(*)::int as count from stored`,
  );
  return ok({ records: outcomes.length, stored: stored!.count });
}

/** The locations the records name by ID or code; an unknown one is an error of each record naming it. */
export async function locationIds(
  executor: Executor,
  records: { location: string | null }[],
  errors: FieldError[],
): Promise<Map<string, string>> {
  const names = [...new Set(records.flatMap((r) => (r.location ? [r.location] : [])))];
  const rows = await query<{ name: string; id: string }>(
    executor,
    sql`select n.name, l.id from unnest(${sql.param(names)}::text[]) as n(name)
        join lateral (select id from locations where id = n.name or code = n.name order by id = n.name desc limit 1) l on true`,
  );
  const found = new Map(rows.map((r) => [r.name, r.id]));
  records.forEach((r, i) => {
    if (r.location && !found.has(r.location))
      errors.push({ pointer: `/${i}/location`, message: `no location ${r.location}` });
  });
  return found;
}
