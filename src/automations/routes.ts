import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { inTransaction } from '../db/index.ts';
import type { AppContext } from '../http/app.ts';
import { found, respond } from '../http/respond.ts';
import { ok } from '../shared/result.ts';
import { checkDefinition, invalidAutomation } from './definition.ts';
import { dryRun } from './dry-run.ts';
import { listExecutions } from './executions.ts';
import { automationFields } from './fields.ts';
import { CreateBody, DefinitionBody, RuleParams, VersionParams } from './schemas.ts';
import { activateVersion, createRule, deactivateRule, listRules, readRule, saveVersion } from './versions.ts';

const draftOf = (body: DefinitionBody) => ({
  trigger: body.trigger,
  condition: body.condition,
  actions: body.actions as Record<string, unknown>[],
});

/** Automation rules: drafts, validation, activation and history; executions and dry runs (./run-routes.ts). */
export function automationRoutes(app: FastifyInstance, { database: { db } }: AppContext): void {
  const tags = ['automations'];
  const read = { permission: 'automations:read' } as const;
  const configure = { permission: 'automations:configure' } as const;

  app.get('/automations', { config: read, schema: { tags, summary: 'Every rule with its versions' } }, async () => ({
    data: await listRules(db),
  }));
  app.get(
    '/automations/fields',
    { config: read, schema: { tags, summary: 'The fields a condition may read, with their types' } },
    async () => ({ data: Object.entries(automationFields).map(([name, type]) => ({ name, type })) }),
  );
  app.post<{ Body: DefinitionBody }>(
    '/automations/validate',
    {
      config: read,
      schema: {
        tags,
        summary: 'Check a definition without saving it: 200, or 422 `invalid_automation`',
        body: DefinitionBody,
      },
    },
    async (request, reply) => {
      const checked = checkDefinition(draftOf(request.body));
      return respond(
        reply,
        checked.ok
          ? ok({ valid: true, definition: checked.definition })
          : { ok: false, problem: invalidAutomation(checked.violations) },
      );
    },
  );
  app.post<{ Body: CreateBody }>(
    '/automations',
    { config: configure, schema: { tags, summary: 'Create a rule with its first version, a draft', body: CreateBody } },
    async (request, reply) => {
      const actor = request.principal.keyId;
      const result = await inTransaction(db, async (tx) => {
        const rule = await createRule(tx, {
          name: request.body.name,
          definition: draftOf(request.body),
          notes: request.body.notes,
          actor,
        });
        if (!rule.ok || !request.body.activate) return rule;
        const activated = await activateVersion(tx, rule.value.id, 1, actor);
        return activated.ok ? ok((await readRule(tx, rule.value.id))!) : activated;
      });
      return respond(reply, result, 201);
    },
  );
  app.get<{ Params: { id: string } }>(
    '/automations/:id',
    { config: read, schema: { tags, summary: 'A rule with every version (its history)', params: RuleParams } },
    async (request, reply) => found(reply, await readRule(db, request.params.id), `automation ${request.params.id}`),
  );
  app.post<{ Params: { id: string }; Body: DefinitionBody }>(
    '/automations/:id/versions',
    {
      config: configure,
      schema: {
        tags,
        summary: 'Save a new draft version (validated); optionally activate it',
        params: RuleParams,
        body: DefinitionBody,
      },
    },
    async (request, reply) => {
      const actor = request.principal.keyId;
      const result = await inTransaction(db, async (tx) => {
        const draft = await saveVersion(tx, request.params.id, {
          definition: draftOf(request.body),
          notes: request.body.notes,
          actor,
        });
        if (!draft.ok || !request.body.activate) return draft;
        return activateVersion(tx, request.params.id, draft.value.version, actor);
      });
      return respond(reply, result, 201);
    },
  );
  app.post<{ Params: { id: string; version: number } }>(
    '/automations/:id/versions/:version/activate',
    {
      config: configure,
      schema: { tags, summary: 'Activate a draft version; the active one is retired', params: VersionParams },
    },
    async (request, reply) =>
      respond(
        reply,
        await inTransaction(db, (tx) =>
          activateVersion(tx, request.params.id, request.params.version, request.principal.keyId),
        ),
      ),
  );
  app.post<{ Params: { id: string } }>(
    '/automations/:id/deactivate',
    {
      config: configure,
      schema: { tags, summary: 'Retire the active version: the rule stops running', params: RuleParams },
    },
    async (request, reply) =>
      respond(reply, await inTransaction(db, (tx) => deactivateRule(tx, request.params.id, request.principal.keyId))),
  );
  app.get<{ Querystring: { rule_id?: string; order_id?: string; limit: number } }>(
    '/automations/executions',
    {
      config: read,
      schema: {
        tags,
        summary: 'Executions, newest first: the version that ran, for which event or order, its actions and outcome',
        querystring: Type.Object(
          {
            rule_id: Type.Optional(Type.String({ pattern: '^aut_[0-9a-z]+$', maxLength: 64 })),
            order_id: Type.Optional(Type.String({ maxLength: 64 })),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => ({
      data: await listExecutions(db, {
        ruleId: request.query.rule_id,
        orderId: request.query.order_id,
        limit: request.query.limit,
      }),
    }),
  );
  app.post<{ Params: { id: string }; Querystring: { last: number; version?: number } }>(
    '/automations/:id/dry-run',
    {
      config: read,
      schema: {
        tags,
        summary:
          'What the rule would have done over the last N events (or to the open orders now, for a schedule); nothing is done',
        params: RuleParams,
        querystring: Type.Object(
          {
            last: Type.Integer({
              minimum: 1,
              maximum: 1000,
              default: 100,
              description: 'How many of the latest events to look at',
            }),
            version: Type.Optional(
              Type.Integer({
                minimum: 1,
                maximum: 2_147_483_647,
                description: 'A draft to try; default the active version',
              }),
            ),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) =>
      respond(reply, await dryRun(db, request.params.id, { last: request.query.last, version: request.query.version })),
  );
}
