import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../http/app.ts';
import { respond } from '../http/respond.ts';
import { previewTemplate } from './preview.ts';
import { sampleView } from './built-in-templates.ts';
import { PreviewBody, ResetQuery, TemplateBody, TemplateParams } from './schemas.ts';
import { listTemplates, resetTemplate, saveTemplate, templateKey } from './templates.ts';

/** The templates of customer notifications: read, edit (per channel or for all), reset to the built-in one, and preview. */
export function notificationTemplateRoutes(app: FastifyInstance, { database: { db } }: AppContext): void {
  const tags = ['notifications'];
  app.get(
    '/notification-templates',
    {
      config: { permission: 'notifications:read' },
      schema: { tags, summary: 'Every kind and locale: built-in template and edits per channel' },
    },
    // `fields`: what a template may name (every one may be null for a kind without a value for it).
    async () => ({ data: await listTemplates(db), fields: Object.keys(sampleView) }),
  );
  app.put<{ Params: TemplateParams; Body: TemplateBody }>(
    '/notification-templates/:kind/:locale',
    {
      config: { permission: 'notifications:configure' },
      schema: {
        tags,
        summary: 'Edit a template (Handlebars; checked by rendering it with every field)',
        params: TemplateParams,
        body: TemplateBody,
      },
    },
    async (request, reply) => {
      const key = templateKey(request.params.kind, request.params.locale);
      if (!key.ok) return respond(reply, key);
      const { channel, subject, text, html, expected_updated_at } = request.body;
      const parts = { subject, text, html: html ?? null };
      return respond(reply, await saveTemplate(db, key.value, channel ?? 'all', parts, expected_updated_at));
    },
  );
  app.delete<{ Params: TemplateParams; Querystring: ResetQuery }>(
    '/notification-templates/:kind/:locale',
    {
      config: { permission: 'notifications:configure' },
      schema: {
        tags,
        summary: 'Reset to the built-in template: remove the edits of every channel, or of one',
        params: TemplateParams,
        querystring: ResetQuery,
      },
    },
    async (request, reply) => {
      const key = templateKey(request.params.kind, request.params.locale);
      if (!key.ok) return respond(reply, key);
      return resetTemplate(db, key.value, request.query.channel);
    },
  );
  app.post<{ Params: TemplateParams; Body: PreviewBody }>(
    '/notification-templates/:kind/:locale/preview',
    {
      config: { permission: 'notifications:read' },
      schema: {
        tags,
        summary: 'Render a template (a draft or the one in use) for a real order or sample data; nothing is sent',
        params: TemplateParams,
        body: PreviewBody,
      },
    },
    async (request, reply) => {
      const key = templateKey(request.params.kind, request.params.locale);
      if (!key.ok) return respond(reply, key);
      return respond(reply, await previewTemplate(db, key.value, request.body));
    },
  );
}
