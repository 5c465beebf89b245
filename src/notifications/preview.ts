import type { Executor } from '../db/index.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { problem } from '../shared/problem.ts';
import { sampleView, type Locale, type NotificationView } from './built-in-templates.ts';
import { notificationKinds, type NotificationKind } from './kinds.ts';
import { latestPayloadOfKind } from './request.ts';
import { renderParts, type TemplateParts } from './render.ts';
import { effectiveTemplate, templateProblem, type Channel } from './templates.ts';
import { buildView, readOrderFacts } from './view.ts';

interface PreviewRequest {
  order_id?: string | undefined;
  channel?: Channel | undefined;
  template?: { subject: string; text: string; html?: string | null | undefined } | undefined;
}

/**
 * Renders a template (a draft, or the one in use) as a message of this kind would be: with the
 * facts of a real order and its latest event of the kind, or with sample data. Nothing is sent.
 */
export async function previewTemplate(
  executor: Executor,
  key: { kind: NotificationKind; locale: Locale },
  request: PreviewRequest,
): Promise<Result<TemplateParts & { kind: string; locale: string; channel: Channel; order_id: string | null }>> {
  const channel = request.channel ?? 'email';
  const draft = request.template ? { ...request.template, html: request.template.html ?? null } : undefined;
  const invalid = draft ? templateProblem(draft) : null;
  if (invalid) return fail(invalid);
  const template = draft ?? (await effectiveTemplate(executor, key.kind, key.locale, channel));
  const view = request.order_id ? await orderView(executor, request.order_id, key) : ok({ ...sampleView });
  if (!view.ok) return view;
  const parts = renderParts(template, { ...view.value });
  return ok({
    kind: key.kind,
    locale: key.locale,
    channel,
    order_id: request.order_id ?? null,
    ...parts,
    html: channel === 'email' ? parts.html : null,
  });
}

async function orderView(
  executor: Executor,
  orderId: string,
  key: { kind: NotificationKind; locale: Locale },
): Promise<Result<NotificationView>> {
  const order = await readOrderFacts(executor, orderId);
  if (!order) return fail(problem('not_found', `No order ${orderId}.`));
  const latest = await latestPayloadOfKind(executor, orderId, key.kind);
  // The real link carries the customer's token and is made when the message is; a preview shows a sample.
  const unsubscribeUrl = notificationKinds[key.kind].transactional ? null : sampleView.unsubscribe_url;
  return ok(await buildView(executor, order, key.kind, latest ?? {}, key.locale, unsubscribeUrl));
}
