import { sql } from 'drizzle-orm';
import { query, queryOne, toIso, type Executor } from '../db/index.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { problem } from '../shared/problem.ts';
import { builtInTemplate, locales, sampleView, type Locale } from './built-in-templates.ts';
import { notificationKinds, type NotificationKind } from './kinds.ts';
import { renderProblem, type TemplateParts } from './render.ts';

export const channels = ['email', 'sms', 'push'] as const;
export type Channel = (typeof channels)[number];
/** An edited template applies to one channel, or to every channel without one of its own. */
type TemplateChannel = Channel | 'all';

const kinds = Object.keys(notificationKinds) as NotificationKind[];

function isKind(kind: string): kind is NotificationKind {
  return Object.hasOwn(notificationKinds, kind);
}

function isLocale(locale: string): locale is Locale {
  return (locales as readonly string[]).includes(locale);
}

/** `unknown_template` unless the pair names a kind and locale Consign has templates for. */
export function templateKey(kind: string, locale: string): Result<{ kind: NotificationKind; locale: Locale }> {
  if (isKind(kind) && isLocale(locale)) return ok({ kind, locale });
  return fail(
    problem('unknown_template', `There is no template ${kind}/${locale}.`, {
      kinds,
      locales,
    }),
  );
}

/**
 * The template a message of this kind, locale and channel is rendered with: the one edited for
 * the channel, else the one edited for all channels, else the built-in one. Text messages and push
 * messages have no HTML part.
 */
export async function effectiveTemplate(
  executor: Executor,
  kind: NotificationKind,
  locale: Locale,
  channel: Channel,
): Promise<TemplateParts> {
  const edited = await queryOne<TemplateParts>(
    executor,
    sql`select subject, text, html from notification_templates
        where kind = ${kind} and locale = ${locale} and channel in (${channel}, 'all')
        order by channel = 'all' limit 1`,
  );
  const parts = edited ?? builtInTemplate(kind, locale);
  return channel === 'email' ? parts : { ...parts, html: null };
}

interface EditedTemplate extends TemplateParts {
  channel: TemplateChannel;
  updated_at: string | null;
}

/** Every kind in every locale: whether it is transactional, its built-in parts and its edits. */
export async function listTemplates(executor: Executor) {
  const rows = await query<EditedTemplate & { kind: string; locale: string }>(
    executor,
    sql`select kind, locale, channel, subject, text, html, updated_at from notification_templates
        order by kind, locale, channel`,
  );
  return kinds.flatMap((kind) =>
    locales.map((locale) => ({
      kind,
      locale,
      transactional: notificationKinds[kind].transactional,
      built_in: builtInTemplate(kind, locale),
      edited: rows
        .filter((row) => row.kind === kind && row.locale === locale)
        .map((row) => ({ ...row, kind: undefined, locale: undefined, updated_at: toIso(row.updated_at) })),
    })),
  );
}

/**
 * `template_invalid` when a part does not compile and render against every field a message may
 * have; `part` names it (`subject`, `text` or `html`) so a form can show the reason next to it.
 */
export function templateProblem(parts: TemplateParts) {
  const invalid = renderProblem(parts, { ...sampleView });
  return invalid === null
    ? null
    : problem('template_invalid', `The ${invalid.part} part does not render: ${invalid.reason}`, invalid);
}

/**
 * Stores an edited template after proving it renders; the next messages use it. With
 * `expectedUpdatedAt` the write is a compare-and-set on the edit it was made from (`null`: made
 * from the built-in or the all-channels template, so there must be no edit of this channel yet);
 * another edit saved meanwhile is `409 template_changed` and nothing is written.
 */
export async function saveTemplate(
  executor: Executor,
  key: { kind: NotificationKind; locale: Locale },
  channel: TemplateChannel,
  parts: TemplateParts,
  expectedUpdatedAt?: string | null,
): Promise<Result<EditedTemplate>> {
  const invalid = templateProblem(parts);
  if (invalid) return fail(invalid);
  // updated_at is the edit's version: it moves forward by at least a millisecond (what the API shows).
  const upsert = sql`insert into notification_templates (kind, locale, channel, subject, text, html)
        values (${key.kind}, ${key.locale}, ${channel}, ${parts.subject}, ${parts.text}, ${parts.html})
        on conflict (kind, locale, channel) do update
          set subject = excluded.subject, text = excluded.text, html = excluded.html,
              updated_at = greatest(now(), notification_templates.updated_at + interval '1 millisecond')`;
  const saved = await queryOne<EditedTemplate>(
    executor,
    expectedUpdatedAt === undefined
      ? sql`${upsert} returning channel, subject, text, html, updated_at`
      : expectedUpdatedAt === null
        ? sql`insert into notification_templates (kind, locale, channel, subject, text, html)
              values (${key.kind}, ${key.locale}, ${channel}, ${parts.subject}, ${parts.text}, ${parts.html})
              on conflict (kind, locale, channel) do nothing
              returning channel, subject, text, html, updated_at`
        : sql`${upsert}
              where date_trunc('milliseconds', notification_templates.updated_at) = ${expectedUpdatedAt}::timestamptz
              returning channel, subject, text, html, updated_at`,
  );
  if (!saved) return fail(await templateChanged(executor, key, channel));
  return ok({ ...saved, updated_at: toIso(saved.updated_at) });
}

async function templateChanged(
  executor: Executor,
  key: { kind: NotificationKind; locale: Locale },
  channel: TemplateChannel,
) {
  const current = await queryOne<{ updated_at: string }>(
    executor,
    sql`select updated_at from notification_templates
        where kind = ${key.kind} and locale = ${key.locale} and channel = ${channel}`,
  );
  const currentUpdatedAt = toIso(current?.updated_at ?? null);
  return problem(
    'template_changed',
    `The template ${key.kind}/${key.locale} (${channel}) was ${current ? 'edited' : 'reset'} since this edit was made from it; read it again.`,
    { current_updated_at: currentUpdatedAt },
  );
}

/**
 * Removes the edits of a kind and locale, for one channel or (without one) for every channel,
 * so messages use the built-in template again; answers the template as `listTemplates` shows it.
 */
export async function resetTemplate(
  executor: Executor,
  key: { kind: NotificationKind; locale: Locale },
  channel: TemplateChannel | undefined,
) {
  await executor.execute(
    sql`delete from notification_templates where kind = ${key.kind} and locale = ${key.locale}
        ${channel ? sql`and channel = ${channel}` : sql``}`,
  );
  const listed = await listTemplates(executor);
  return listed.find((entry) => entry.kind === key.kind && entry.locale === key.locale)!;
}
