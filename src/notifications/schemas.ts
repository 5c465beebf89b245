import { Type, type Static } from '@sinclair/typebox';
import { PageQuery } from '../http/pagination.ts';
import { locales } from './built-in-templates.ts';
import { messageStatuses } from './messages.ts';
import { channels } from './templates.ts';

const Template = Type.String({ maxLength: 20_000 });

export const ListQuery = Type.Object(
  {
    order_id: Type.Optional(Type.String({ maxLength: 64 })),
    status: Type.Optional(Type.Union(messageStatuses.map((s) => Type.Literal(s)))),
    customer_email: Type.Optional(Type.String({ minLength: 3, maxLength: 254 })),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type ListQuery = Static<typeof ListQuery>;

export const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
export const TemplateParams = Type.Object({
  kind: Type.String({ maxLength: 64 }),
  locale: Type.String({ maxLength: 16 }),
});
export type TemplateParams = Static<typeof TemplateParams>;

export const ResetQuery = Type.Object(
  {
    channel: Type.Optional(
      Type.Union(
        [...channels, 'all' as const].map((c) => Type.Literal(c)),
        {
          description: 'Remove only the edit of this channel (`all`: the one for every channel); left out, every edit.',
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ResetQuery = Static<typeof ResetQuery>;

export const TemplateBody = Type.Object(
  {
    channel: Type.Optional(
      Type.Union(
        channels.map((c) => Type.Literal(c)),
        { description: 'Edit the template of one channel only; left out, the edit applies to every channel.' },
      ),
    ),
    subject: Type.String({ minLength: 1, maxLength: 1000 }),
    text: Type.String({ minLength: 1, maxLength: 20_000 }),
    html: Type.Optional(Type.Union([Template, Type.Null()], { description: 'The HTML part of e-mails.' })),
    expected_updated_at: Type.Optional(
      Type.Union([Type.String({ format: 'date-time', maxLength: 40 }), Type.Null()], {
        description:
          'The `updated_at` of the edit (of this channel) this one was made from, or null when there was none: another edit saved meanwhile is 409 template_changed. Left out, the edit is stored regardless.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type TemplateBody = Static<typeof TemplateBody>;

export const PreviewBody = Type.Object(
  {
    order_id: Type.Optional(
      Type.String({ maxLength: 64, description: 'Render with this order’s facts; left out, with sample data.' }),
    ),
    channel: Type.Optional(Type.Union(channels.map((c) => Type.Literal(c)))),
    template: Type.Optional(
      Type.Object(
        {
          subject: Type.String({ minLength: 1, maxLength: 1000 }),
          text: Type.String({ minLength: 1, maxLength: 20_000 }),
          html: Type.Optional(Type.Union([Template, Type.Null()])),
        },
        { additionalProperties: false, description: 'A draft to preview; left out, the template in use.' },
      ),
    ),
  },
  { additionalProperties: false },
);
export type PreviewBody = Static<typeof PreviewBody>;

export const PreferencesParams = Type.Object({ email: Type.String({ minLength: 3, maxLength: 254 }) });
export const PreferencesBody = Type.Object(
  {
    opted_out: Type.Optional(
      Type.Boolean({ description: 'No messages that are not transactional (delivered, promise changes).' }),
    ),
    locale: Type.Optional(Type.Union([...locales.map((l) => Type.Literal(l)), Type.Null()])),
    sms: Type.Optional(Type.Boolean()),
    push: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type PreferencesBody = Static<typeof PreferencesBody>;

export const UnsubscribeQuery = Type.Object({ token: Type.String({ minLength: 1, maxLength: 1000 }) });
