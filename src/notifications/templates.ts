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

/** `template_invalid` when the parts do not compile and render against every field a message may have. */
export function templateProblem(parts: TemplateParts) {
  const reason = renderProblem(parts, { ...sampleView });
  return reason === null ? null : problem('template_invalid', `The template does not render: ${reason}`, { reason });
}

/** Stores an edited template after proving it renders; the next messages use it. */
export async function saveTemplate(
  executor: Executor,
  key: { kind: NotificationKind; locale: Locale },
  channel: TemplateChannel,
  parts: TemplateParts,
): Promise<Result<EditedTemplate>> {
  const invalid = templateProblem(parts);
  if (invalid) return fail(invalid);
  const saved = await queryOne<EditedTemplate>(
    executor,
    sql`insert into notification_templates (kind, locale, channel, subject, text, html)
        values (${key.kind}, ${key.locale}, ${channel}, ${parts.subject}, ${parts.text}, ${parts.html})
        on conflict (kind, locale, channel) do update
          set subject = excluded.subject, text = excluded.text, html = excluded.html, updated_at = now()
        returning channel, subject, text, html, updated_at`,
  );
  return ok({ ...saved!, updated_at: toIso(saved!.updated_at) });
}
