/**
 * Rules and their versions, the shape of routing rules' versions (src/routing/rule-versions.ts):
 * each save is a new draft version, validated; activating a draft retires the version that was
 * active; every version stays as history. Executions name the version that ran.
 */
import { sql } from 'drizzle-orm';
import { query, queryOne, toIso, type Executor } from '../db/index.ts';
import { recordEvents } from '../events/index.ts';
import { newId } from '../shared/ids.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import {
  checkDefinition,
  invalidAutomation,
  type Action,
  type Definition,
  type DraftDefinition,
  type Trigger,
} from './definition.ts';

interface VersionRow {
  rule_id: string;
  version: number;
  status: 'draft' | 'active' | 'retired';
  trigger: Trigger;
  condition: string;
  actions: Action[];
  notes: string | null;
  created_by: string | null;
  created_at: string;
  activated_by: string | null;
  activated_at: string | null;
}

const presentVersion = (row: VersionRow) => ({
  ...row,
  created_at: toIso(row.created_at),
  activated_at: toIso(row.activated_at),
});
type VersionView = ReturnType<typeof presentVersion>;

interface RuleRow {
  id: string;
  name: string;
  created_by: string | null;
  created_at: string;
}

interface RuleView {
  id: string;
  name: string;
  created_by: string | null;
  created_at: string | null;
  /** The version that runs, or null when none does. */
  active_version: number | null;
  versions: VersionView[];
}

interface SaveInput {
  definition: DraftDefinition;
  notes?: string | undefined;
  actor: string;
}

/** Creates a rule with its first version (a draft). */
export async function createRule(executor: Executor, input: SaveInput & { name: string }): Promise<Result<RuleView>> {
  const checked = checkDefinition(input.definition);
  if (!checked.ok) return fail(invalidAutomation(checked.violations));
  const id = newId('aut');
  await executor.execute(
    sql`insert into automation_rules (id, name, created_by) values (${id}, ${input.name}, ${input.actor})`,
  );
  await insertVersion(executor, id, checked.definition, input);
  return ok((await readRule(executor, id))!);
}

/** Saves a new draft version of a rule; the active version runs on until the draft is activated. */
export async function saveVersion(executor: Executor, ruleId: string, input: SaveInput): Promise<Result<VersionView>> {
  const checked = checkDefinition(input.definition);
  if (!checked.ok) return fail(invalidAutomation(checked.violations));
  // The rule row is locked so that concurrent editors get consecutive version numbers.
  const rule = await queryOne(executor, sql`select id from automation_rules where id = ${ruleId} for update`);
  if (!rule) return fail(problem('not_found', `No automation ${ruleId}.`));
  return ok(presentVersion(await insertVersion(executor, ruleId, checked.definition, input)));
}

async function insertVersion(
  executor: Executor,
  ruleId: string,
  { trigger, condition, actions }: Definition,
  input: SaveInput,
): Promise<VersionRow> {
  const row = await queryOne<VersionRow>(
    executor,
    sql`insert into automation_rule_versions (rule_id, version, status, trigger, condition, actions, notes, created_by)
        select ${ruleId}, coalesce(max(version), 0) + 1, 'draft', ${JSON.stringify(trigger)}::jsonb, ${condition},
               ${JSON.stringify(actions)}::jsonb, ${input.notes ?? null}, ${input.actor}
        from automation_rule_versions where rule_id = ${ruleId}
        returning *`,
  );
  return row!;
}

/** Activates a draft; the version that was active is retired. */
export async function activateVersion(
  executor: Executor,
  ruleId: string,
  version: number,
  actor: string,
): Promise<Result<VersionView>> {
  await executor.execute(sql`select id from automation_rules where id = ${ruleId} for update`);
  const current = await queryOne<{ status: string }>(
    executor,
    sql`select status from automation_rule_versions where rule_id = ${ruleId} and version = ${version}`,
  );
  if (!current) return fail(problem('not_found', `No version ${version} of automation ${ruleId}.`));
  if (current.status !== 'draft') {
    return fail(
      problem('illegal_transition', `Version ${version} is ${current.status}; only a draft can be activated.`, {
        from: current.status,
        to: 'active',
      }),
    );
  }
  await executor.execute(
    sql`update automation_rule_versions set status = 'retired' where rule_id = ${ruleId} and status = 'active'`,
  );
  const row = await queryOne<VersionRow>(
    executor,
    sql`update automation_rule_versions set status = 'active', activated_by = ${actor}, activated_at = now()
        where rule_id = ${ruleId} and version = ${version} and status = 'draft' returning *`,
  );
  await recordEvents(executor, [
    {
      type: 'automation.activated',
      subjectType: 'automation',
      subjectId: ruleId,
      payload: { rule_id: ruleId, version, actor },
    },
  ]);
  return ok(presentVersion(row!));
}

/** Retires the active version: the rule stops running until a draft is activated. */
export async function deactivateRule(executor: Executor, ruleId: string, actor: string): Promise<Result<RuleView>> {
  const rule = await readRule(executor, ruleId);
  if (!rule) return fail(problem('not_found', `No automation ${ruleId}.`));
  if (rule.active_version === null) {
    return fail(problem('illegal_transition', `Automation ${ruleId} has no active version.`, { to: 'retired' }));
  }
  await executor.execute(
    sql`update automation_rule_versions set status = 'retired' where rule_id = ${ruleId} and status = 'active'`,
  );
  await recordEvents(executor, [
    {
      type: 'automation.deactivated',
      subjectType: 'automation',
      subjectId: ruleId,
      payload: { rule_id: ruleId, version: rule.active_version, actor },
    },
  ]);
  return ok((await readRule(executor, ruleId))!);
}

function presentRule(rule: RuleRow, versions: VersionRow[]): RuleView {
  return {
    ...rule,
    created_at: toIso(rule.created_at),
    active_version: versions.find((v) => v.status === 'active')?.version ?? null,
    versions: versions.map(presentVersion),
  };
}

/** A rule with every version, newest first. */
export async function readRule(executor: Executor, ruleId: string): Promise<RuleView | undefined> {
  const rule = await queryOne<RuleRow>(executor, sql`select * from automation_rules where id = ${ruleId}`);
  if (!rule) return undefined;
  const versions = await query<VersionRow>(
    executor,
    sql`select * from automation_rule_versions where rule_id = ${ruleId} order by version desc`,
  );
  return presentRule(rule, versions);
}

/** Every rule with its versions, newest rule first (a rule's history is short). */
export async function listRules(executor: Executor): Promise<RuleView[]> {
  const rules = await query<RuleRow>(executor, sql`select * from automation_rules order by id desc limit 500`);
  const versions = await query<VersionRow>(
    executor,
    sql`select v.* from automation_rule_versions v join automation_rules r on r.id = v.rule_id order by v.version desc`,
  );
  return rules.map((rule) =>
    presentRule(
      rule,
      versions.filter((v) => v.rule_id === rule.id),
    ),
  );
}

/** A version that runs: its rule, number and definition. */
export interface ActiveVersion extends Definition {
  rule_id: string;
  version: number;
  /** When it was activated, in ms since the epoch (null for a draft). */
  activated_ms?: number | null;
}

/** The active version of every rule. */
export async function activeVersions(executor: Executor): Promise<ActiveVersion[]> {
  return query<ActiveVersion>(
    executor,
    sql`select rule_id, version, trigger, condition, actions, (extract(epoch from activated_at) * 1000)::float8 as activated_ms from automation_rule_versions
        where status = 'active' order by rule_id`,
  );
}

/** One version of a rule (for a dry run of a draft). */
export async function ruleVersion(
  executor: Executor,
  ruleId: string,
  version?: number,
): Promise<ActiveVersion | undefined> {
  return queryOne<ActiveVersion>(
    executor,
    sql`select rule_id, version, trigger, condition, actions from automation_rule_versions
        where rule_id = ${ruleId} ${version === undefined ? sql`and status = 'active'` : sql`and version = ${version}`}`,
  );
}
