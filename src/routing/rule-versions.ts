import { sql } from 'drizzle-orm';
import { query, queryOne, toIso, type Executor } from '../db/index.ts';
import { recordEvents } from '../events/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { describeRuleChanges } from './rules-diff.ts';
import {
  defaultRoutingRules,
  validateRules,
  type ChannelCurrency,
  type RoutingRules,
  type RuleViolation,
} from './rules.ts';

interface RuleVersion {
  version: number;
  status: 'draft' | 'active' | 'retired';
  rules: RoutingRules;
  notes: string | null;
  created_by: string | null;
  created_at: string | null;
  activated_by: string | null;
  activated_at: string | null;
  effective_from: string | null;
  effective_to: string | null;
}

interface VersionRow extends Omit<RuleVersion, 'created_at' | 'activated_at' | 'effective_from' | 'effective_to'> {
  created_at: string;
  activated_at: string | null;
  effective_from: string | null;
  effective_to: string | null;
}

function present(row: VersionRow): RuleVersion {
  return {
    ...row,
    created_at: toIso(row.created_at),
    activated_at: toIso(row.activated_at),
    effective_from: toIso(row.effective_from),
    effective_to: toIso(row.effective_to),
  };
}

/** The newest active version in its effective window at `at`: (version, rules), or no row. */
export const activeRulesSql = (at: Date) =>
  sql`select version, rules from routing_rule_versions
      where status = 'active'
        and (effective_from is null or effective_from <= ${at.toISOString()}::timestamptz)
        and (effective_to is null or effective_to > ${at.toISOString()}::timestamptz)
      order by version desc limit 1`;

export interface ActiveRules {
  version: number | null;
  rules: RoutingRules;
}

/** The active version's row as `activeRules` reports it: the defaults (version null) when there is none. */
export const presentActiveRules = (row: { version: number; rules: RoutingRules } | undefined): ActiveRules =>
  row ? { version: row.version, rules: row.rules } : { version: null, rules: defaultRoutingRules };

/** The rules that route an order now: the newest active version in its effective window, else the defaults (version null). */
export async function activeRules(executor: Executor, at: Date = new Date()): Promise<ActiveRules> {
  return presentActiveRules(await queryOne<{ version: number; rules: RoutingRules }>(executor, activeRulesSql(at)));
}

export async function listRuleVersions(executor: Executor): Promise<RuleVersion[]> {
  const rows = await query<VersionRow>(executor, sql`select * from routing_rule_versions order by version desc`);
  return rows.map(present);
}

interface SaveDraftInput {
  rules: unknown;
  notes?: string | undefined;
  effectiveFrom?: string | undefined;
  effectiveTo?: string | undefined;
  actor: string;
}

/**
 * What is wrong with a draft, each with a JSON pointer into the request body of
 * `PUT /v1/routing/rules` (`/rules/weights/distance`, `/effective_to`); none when it is valid.
 */
function draftViolations(input: SaveDraftInput, known: KnownNames): RuleViolation[] {
  const errors = validateRules(input.rules, known.channels, known.locations).map((v) => ({
    pointer: `/rules${v.pointer}`,
    message: v.message,
  }));
  const { effectiveFrom: from, effectiveTo: to } = input;
  if (from && to && Date.parse(from) >= Date.parse(to)) {
    errors.push({ pointer: '/effective_to', message: 'must be after effective_from' });
  }
  return errors;
}

interface KnownNames {
  channels: ChannelCurrency[];
  locations: string[];
}

/**
 * The channels rate tables may name (with the currency each sells in) and the locations the rules
 * may exclude, each read only when the rules name some.
 */
async function knownNames(executor: Executor, rules: unknown): Promise<KnownNames> {
  const named = (typeof rules === 'object' && rules !== null ? rules : {}) as {
    rateTables?: unknown;
    excludedLocations?: unknown;
  };
  const tables = Array.isArray(named.rateTables) ? named.rateTables : [];
  const excluded = Array.isArray(named.excludedLocations)
    ? named.excludedLocations.filter((id): id is string => typeof id === 'string')
    : [];
  const channels =
    tables.length > 0 ? await query<ChannelCurrency>(executor, sql`select id, code, currency from channels`) : [];
  const locations =
    excluded.length > 0
      ? await query<{ id: string }>(
          executor,
          sql`select id from locations where id = any(${sql.param(excluded)}::text[])`,
        )
      : [];
  return { channels, locations: locations.map((l) => l.id) };
}

/** Saves a new draft version (validated); the active version is untouched until activation. */
export async function saveDraft(executor: Executor, input: SaveDraftInput): Promise<Result<RuleVersion>> {
  const errors = draftViolations(input, await knownNames(executor, input.rules));
  const [first] = errors;
  if (first) {
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more; see errors)` : '';
    return fail(
      problem('validation_failed', `The rules are not valid: ${first.pointer} ${first.message}${more}.`, { errors }),
    );
  }
  // Version numbers are handed out under a lock so concurrent editors never collide.
  await executor.execute(sql`lock table routing_rule_versions in share row exclusive mode`);
  const row = await queryOne<VersionRow>(
    executor,
    sql`insert into routing_rule_versions (version, status, rules, notes, created_by, effective_from, effective_to)
        select coalesce(max(version), 0) + 1, 'draft', ${JSON.stringify(input.rules)}::jsonb, ${input.notes ?? null}, ${input.actor},
               ${input.effectiveFrom ?? null}::timestamptz, ${input.effectiveTo ?? null}::timestamptz
        from routing_rule_versions
        returning *`,
  );
  return ok(present(row!));
}

/** Activates a draft; the previously active version without an effective window is retired. */
export async function activateVersion(
  executor: Executor,
  version: number,
  actor: string,
): Promise<Result<RuleVersion>> {
  const row = await queryOne<VersionRow>(
    executor,
    sql`update routing_rule_versions set status = 'active', activated_by = ${actor}, activated_at = now()
        where version = ${version} and status = 'draft' returning *`,
  );
  if (!row) {
    const current = await queryOne<{ status: string }>(
      executor,
      sql`select status from routing_rule_versions where version = ${version}`,
    );
    if (!current) return fail(problem('not_found', `No routing rules version ${version}.`));
    return fail(
      problem('illegal_transition', `Version ${version} is ${current.status}; only a draft can be activated.`, {
        from: current.status,
        to: 'active',
      }),
    );
  }
  if (!row.effective_from && !row.effective_to) {
    await executor.execute(sql`
      update routing_rule_versions set status = 'retired'
      where status = 'active' and version <> ${version} and effective_from is null and effective_to is null`);
  }
  await recordEvents(executor, [
    {
      type: 'routing.rules_activated',
      subjectType: 'routing_rules',
      subjectId: String(version),
      payload: { version, actor },
    },
  ]);
  return ok(present(row));
}

/** One version's rules, whatever its status (a draft to simulate, a retired one to compare). */
export async function readRuleVersion(
  executor: Executor,
  version: number,
): Promise<{ version: number; status: RuleVersion['status']; rules: RoutingRules } | undefined> {
  return queryOne(executor, sql`select version, status, rules from routing_rule_versions where version = ${version}`);
}

/** What is wrong with rules given inline (not saved as a version), with pointers into them; none when valid. */
export async function ruleViolations(executor: Executor, rules: unknown): Promise<RuleViolation[]> {
  const known = await knownNames(executor, rules);
  return validateRules(rules, known.channels, known.locations);
}

/** What rules (a saved version or given inline) change against the active version, in words, and what is wrong with them. */
interface RuleComparison {
  against: { version: number | null };
  changes: string[];
  /** Pointers into the request body of `PUT /v1/routing/rules` (`/rules/maxShipments`), as a save would report them. */
  errors: RuleViolation[];
}

/** Compares `rules` (checked as a save would check them) with the active version; no changes are told of invalid rules. */
export async function compareWithActive(executor: Executor, rules: unknown): Promise<RuleComparison> {
  const active = await activeRules(executor);
  const errors = (await ruleViolations(executor, rules)).map((v) => ({
    pointer: `/rules${v.pointer}`,
    message: v.message,
  }));
  if (errors.length > 0) return { against: { version: active.version }, changes: [], errors };
  const draft = rules as RoutingRules;
  const ids = [...new Set([...(active.rules.excludedLocations ?? []), ...(draft.excludedLocations ?? [])])];
  const names =
    ids.length === 0
      ? []
      : await query<{ id: string; name: string }>(
          executor,
          sql`select id, name from locations where id = any(${sql.param(ids)}::text[])`,
        );
  const name = (id: string) => names.find((l) => l.id === id)?.name ?? id;
  return { against: { version: active.version }, changes: describeRuleChanges(active.rules, draft, name), errors };
}
