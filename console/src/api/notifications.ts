/**
 * The notifications API (`/v1/notifications`, `/v1/notification-templates`): every shape and call
 * the console uses for customer notifications lives in this file (docs/notifications.md).
 */
import type { Api, Query } from './client.ts';
import type { Page } from './types.ts';

export const messageStatuses = ['queued', 'sent', 'failed', 'dead'] as const;
export const templateChannels = ['all', 'email', 'sms', 'push'] as const;
export type TemplateChannel = (typeof templateChannels)[number];

export interface Message {
  id: string;
  order_id: string;
  customer_email: string;
  kind: string;
  channel: string;
  locale: string;
  recipient: string;
  subject: string;
  status: (typeof messageStatuses)[number];
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  sent_at: string | null;
  created_at: string;
}

export interface TemplateParts {
  subject: string;
  text: string;
  html: string | null;
}

export interface EditedTemplate extends TemplateParts {
  channel: TemplateChannel;
  updated_at: string | null;
}

export interface Template {
  kind: string;
  locale: string;
  transactional: boolean;
  built_in: TemplateParts;
  edited: EditedTemplate[];
}

export interface Preview extends TemplateParts {
  kind: string;
  locale: string;
  channel: string;
  order_id: string | null;
}

const templatePath = (t: { kind: string; locale: string }) =>
  `/v1/notification-templates/${encodeURIComponent(t.kind)}/${encodeURIComponent(t.locale)}`;

export const notifications = (api: Api) => ({
  list: (query: Query) => api.get<Page<Message>>('/v1/notifications', query),
  resend: (id: string) => api.post<Message>(`/v1/notifications/${encodeURIComponent(id)}/resend`),
  templates: () => api.get<{ data: Template[]; fields: string[] }>('/v1/notification-templates'),
  saveTemplate: (
    template: Template,
    channel: TemplateChannel,
    parts: TemplateParts,
    expectedUpdatedAt: string | null,
  ) =>
    api.put<EditedTemplate>(templatePath(template), {
      ...(channel === 'all' ? {} : { channel }),
      ...parts,
      expected_updated_at: expectedUpdatedAt,
    }),
  resetTemplate: async (template: Template, channel: TemplateChannel) => {
    await api.delete(`${templatePath(template)}?channel=${channel}`);
  },
  preview: (template: Template, channel: TemplateChannel, parts: TemplateParts, orderId: string) =>
    api.post<Preview>(`${templatePath(template)}/preview`, {
      channel: channel === 'all' ? 'email' : channel,
      template: parts,
      ...(orderId ? { order_id: orderId } : {}),
    }),
});

/** The parts a template of this channel starts from: its own edit, else the edit for all channels, else the built-in one. */
export function partsInUse(template: Template, channel: TemplateChannel): { parts: TemplateParts; from: string } {
  const own = template.edited.find((e) => e.channel === channel);
  if (own) return { parts: own, from: 'edited' };
  const all = template.edited.find((e) => e.channel === 'all');
  if (all) return { parts: all, from: 'edited for every channel' };
  return { parts: template.built_in, from: 'built-in' };
}
