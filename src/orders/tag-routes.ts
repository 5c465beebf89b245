import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { inTransaction, type Db } from '../db/index.ts';
import { sendProblem } from '../http/errors.ts';
import { respond } from '../http/respond.ts';
import { problem } from '../shared/problem.ts';
import { changeOrderTags, invalidTags, NOTE_MAX, noteOrder, orderNotes, TAG_RULE } from './tags.ts';

type Visible = (db: Db, request: FastifyRequest, reply: FastifyReply, id: string) => Promise<boolean>;

const OrderParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const TagParams = Type.Object({ id: Type.String({ maxLength: 64 }), tag: Type.String({ maxLength: 200 }) });
const NoteBody = Type.Object(
  {
    text: Type.String({
      minLength: 1,
      maxLength: NOTE_MAX,
      description: 'The note; leading and trailing spaces are dropped',
    }),
  },
  { additionalProperties: false },
);
const TagsBody = Type.Object(
  { tags: Type.Array(Type.String({ maxLength: 200, description: TAG_RULE }), { maxItems: 50 }) },
  { additionalProperties: false },
);
type TagsBody = Static<typeof TagsBody>;

const tagsDescription = `Each tag change is on the order's timeline: \`order.tagged\` for a tag that comes, \`order.untagged\` for one that goes. ${TAG_RULE[0]!.toUpperCase()}${TAG_RULE.slice(1)} (else 400 validation_failed). Answers the order's tags.`;

/** Notes and tags of an order: agents write them (`orders:manage`), whoever may read the order reads them. */
export function noteAndTagRoutes(app: FastifyInstance, db: Db, visibleOrder: Visible): void {
  const tags = ['orders'];

  app.get<{ Params: { id: string } }>(
    '/orders/:id/notes',
    {
      config: { permission: 'orders:read' },
      schema: { tags, summary: "The order's notes, oldest first, with their authors", params: OrderParams },
    },
    async (request, reply) => {
      if (!(await visibleOrder(db, request, reply, request.params.id))) return reply;
      return { data: await orderNotes(db, request.params.id) };
    },
  );

  app.post<{ Params: { id: string }; Body: Static<typeof NoteBody> }>(
    '/orders/:id/notes',
    {
      config: { permission: 'orders:manage' },
      schema: {
        tags,
        summary: 'Write a note on the order',
        description:
          "The note's author is the calling key; the note is an `order.note_added` event on the order's timeline. An empty note (or only spaces) is 400 validation_failed.",
        params: OrderParams,
        body: NoteBody,
      },
    },
    async (request, reply) => {
      const text = request.body.text.trim();
      if (!text)
        return sendProblem(
          reply,
          problem('validation_failed', 'The note is empty.', {
            errors: [{ pointer: '/text', message: 'must not be empty or only spaces' }],
          }),
        );
      const result = await inTransaction(db, (tx) => noteOrder(tx, request.params.id, text, request.principal.keyId));
      return respond(reply, result, 201);
    },
  );

  const tagChange = (pick: (body: TagsBody) => Parameters<typeof changeOrderTags>[2]) =>
    async function (request: FastifyRequest<{ Params: { id: string }; Body: TagsBody }>, reply: FastifyReply) {
      const invalid = invalidTags(request.body.tags, (i) => `/tags/${i}`);
      if (invalid) return sendProblem(reply, invalid);
      const result = await inTransaction(db, (tx) =>
        changeOrderTags(tx, request.params.id, pick(request.body), request.principal.keyId),
      );
      return respond(reply, result);
    };

  app.post<{ Params: { id: string }; Body: TagsBody }>(
    '/orders/:id/tags',
    {
      config: { permission: 'orders:manage' },
      schema: {
        tags,
        summary: 'Add tags to the order',
        description: tagsDescription,
        params: OrderParams,
        body: TagsBody,
      },
    },
    tagChange((body) => ({ add: body.tags })),
  );

  app.put<{ Params: { id: string }; Body: TagsBody }>(
    '/orders/:id/tags',
    {
      config: { permission: 'orders:manage' },
      schema: {
        tags,
        summary: "Replace the order's tags: the listed ones stay or come, the others go",
        description: tagsDescription,
        params: OrderParams,
        body: TagsBody,
      },
    },
    tagChange((body) => ({ replace: body.tags })),
  );

  app.delete<{ Params: { id: string; tag: string } }>(
    '/orders/:id/tags/:tag',
    {
      config: { permission: 'orders:manage' },
      schema: {
        tags,
        summary: 'Remove a tag from the order',
        description: `A tag the order does not have changes nothing. ${tagsDescription}`,
        params: TagParams,
      },
    },
    async (request, reply) => {
      const invalid = invalidTags([request.params.tag], () => '/params/tag');
      if (invalid) return sendProblem(reply, invalid);
      const result = await inTransaction(db, (tx) =>
        changeOrderTags(tx, request.params.id, { remove: [request.params.tag] }, request.principal.keyId),
      );
      return respond(reply, result);
    },
  );
}
