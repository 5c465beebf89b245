import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { inTransaction } from '../db/index.ts';
import type { AppContext } from '../http/app.ts';
import { respond } from '../http/respond.ts';
import { INT4_MAX } from '../http/schemas.ts';
import { problem } from '../shared/problem.ts';
import { fail } from '../shared/result.ts';
import {
  activateVersion,
  activeRules,
  compareWithActive,
  listRuleVersions,
  readRuleVersion,
  saveDraft,
} from './rule-versions.ts';
import { defaultRoutingRules } from './rules.ts';

const PutBody = Type.Object(
  {
    rules: Type.Record(Type.String(), Type.Unknown(), {
      description: 'The routing rules (see GET for the current shape)',
    }),
    notes: Type.Optional(Type.String({ maxLength: 2000 })),
    effective_from: Type.Optional(Type.String({ format: 'date-time' })),
    effective_to: Type.Optional(Type.String({ format: 'date-time' })),
    activate: Type.Optional(Type.Boolean({ description: 'Activate the new version at once' })),
  },
  { additionalProperties: false },
);
type PutBody = Static<typeof PutBody>;

const CompareBody = Type.Union([
  Type.Object(
    { rules: Type.Record(Type.String(), Type.Unknown(), { description: 'Rules to compare, as PUT takes them' }) },
    { additionalProperties: false },
  ),
  Type.Object(
    { version: Type.Integer({ minimum: 1, maximum: INT4_MAX, description: 'A saved version to compare' }) },
    { additionalProperties: false },
  ),
]);
type CompareBody = Static<typeof CompareBody>;

export function routingRoutes(app: FastifyInstance, { database: { db } }: AppContext): void {
  const tags = ['routing'];
  app.get(
    '/routing/rules',
    {
      config: { permission: 'routing:read' },
      schema: { tags, summary: 'The active routing rules, drafts and the full history' },
    },
    async () => {
      const active = await activeRules(db);
      const versions = await listRuleVersions(db);
      return {
        active: { version: active.version, rules: active.rules },
        drafts: versions.filter((v) => v.status === 'draft'),
        history: versions,
        defaults: defaultRoutingRules,
      };
    },
  );
  app.put<{ Body: PutBody }>(
    '/routing/rules',
    {
      config: { permission: 'routing:write' },
      schema: {
        tags,
        summary: 'Save a new draft version of the rules (validated); optionally activate it',
        body: PutBody,
      },
    },
    async (request, reply) => {
      const actor = request.principal.keyId;
      const result = await inTransaction(db, async (tx) => {
        const draft = await saveDraft(tx, {
          rules: request.body.rules,
          notes: request.body.notes,
          effectiveFrom: request.body.effective_from,
          effectiveTo: request.body.effective_to,
          actor,
        });
        if (!draft.ok || !request.body.activate) return draft;
        return activateVersion(tx, draft.value.version, actor);
      });
      return respond(reply, result, 201);
    },
  );
  app.post<{ Body: CompareBody }>(
    '/routing/rules/compare',
    {
      config: { permission: 'routing:read' },
      schema: {
        tags,
        summary: 'What rules change against the active version, in words, and what is wrong with them',
        description:
          'Give `rules` (as PUT takes them) or the `version` of a saved one. `changes` lists each change in words ' +
          '("Max shipments: no limit → 1", "Excluded: Reno added"); `errors` are what a save would refuse, with ' +
          'pointers into the PUT body. Nothing is saved.',
        body: CompareBody,
      },
    },
    async (request, reply) => {
      if ('rules' in request.body) return compareWithActive(db, request.body.rules);
      const saved = await readRuleVersion(db, request.body.version);
      if (!saved)
        return respond(reply, fail(problem('not_found', `No routing rules version ${request.body.version}.`)));
      return { version: saved.version, status: saved.status, ...(await compareWithActive(db, saved.rules)) };
    },
  );
  app.post<{ Params: { version: number } }>(
    '/routing/rules/:version/activate',
    {
      config: { permission: 'routing:write' },
      schema: {
        tags,
        summary: 'Activate a draft version',
        params: Type.Object({ version: Type.Integer({ minimum: 1, maximum: INT4_MAX }) }),
      },
    },
    async (request, reply) =>
      respond(
        reply,
        await inTransaction(db, (tx) => activateVersion(tx, request.params.version, request.principal.keyId)),
      ),
  );
}
