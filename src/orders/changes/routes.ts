import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { inTransaction, type Db, type Executor } from '../../db/index.ts';
import { sendProblem } from '../../http/errors.ts';
import { runCreate } from '../../http/idempotency.ts';
import { created, respond } from '../../http/respond.ts';
import { problem } from '../../shared/problem.ts';
import { fail, ok, type Result } from '../../shared/result.ts';
import { cancelChange } from './cancel-change.ts';
import { confirmChange, openChange } from './confirm-change.ts';
import { createChange, previewFields, type ChangeView } from './create-change.ts';
import { loadPlanContext } from './load-change.ts';
import { planChange } from './plan-change.ts';
import { previewChange } from './preview-change.ts';
import { changeById, changesOfOrder, presentChange, releasesOfChange } from './read-change.ts';
import { ConfirmChange, CreateChange } from './schemas.ts';

const OrderParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const ChangeParams = Type.Object({
  id: Type.String({ maxLength: 64 }),
  change_id: Type.String({ maxLength: 64 }),
});
const EmptyBody = Type.Object({}, { additionalProperties: false });

type Visible = (db: Db, request: FastifyRequest, reply: FastifyReply, id: string) => Promise<boolean>;

/** The change, with a fresh preview while it is open (written in a savepoint that is rolled back). */
async function readChange(
  executor: Executor,
  orderId: string,
  changeId: string,
  actor: string,
): Promise<Result<ChangeView>> {
  const row = await changeById(executor, orderId, changeId);
  if (!row) return fail(problem('not_found', `Order ${orderId} has no change ${changeId}.`));
  const shown = presentChange(row, await releasesOfChange(executor, changeId));
  if (!['draft', 'declined', 'awaiting_release'].includes(row.status)) return ok(shown);
  const opened = await openChange(executor, orderId, changeId);
  if (!opened.ok) return ok({ ...shown, preview: null, preview_problem: opened.problem });
  const plan = planChange(await loadPlanContext(executor, opened.value.order, row.actions), row.actions);
  if (!plan.ok) return ok({ ...shown, preview: null, preview_problem: plan.problem });
  return ok({ ...shown, ...previewFields(await previewChange(executor, opened.value.order, plan.value, actor)) });
}

export function changeRoutes(app: FastifyInstance, db: Db, visibleOrder: Visible): void {
  const tags = ['orders'];
  app.post<{ Params: { id: string }; Body: CreateChange }>(
    '/orders/:id/changes',
    {
      config: { permission: 'orders:manage', idempotent: true },
      schema: {
        tags,
        summary: 'Draft a change of a placed order and preview it',
        description:
          'Actions: add_line, remove_line, change_quantity, change_price (with a reason), change_shipping_address, change_delivery_method, add_discount, remove_discount, set_shipping. The answer carries the preview: new totals, the payment delta and how it settles, the routing the change would cause, and what a location must release first. Idempotent by Idempotency-Key.',
        params: OrderParams,
        body: CreateChange,
      },
    },
    (request, reply) =>
      runCreate(db, request, reply, (tx) =>
        created(createChange(tx, request.params.id, request.body, request.principal.keyId)),
      ),
  );

  app.get<{ Params: { id: string } }>(
    '/orders/:id/changes',
    {
      config: { permission: 'orders:read' },
      schema: { tags, summary: "The order's changes, newest first, and every version's totals", params: OrderParams },
    },
    async (request, reply) => {
      if (!(await visibleOrder(db, request, reply, request.params.id))) return reply;
      return changesOfOrder(db, request.params.id);
    },
  );

  app.get<{ Params: { id: string; change_id: string } }>(
    '/orders/:id/changes/:change_id',
    {
      config: { permission: 'orders:read' },
      schema: { tags, summary: 'A change, with a fresh preview while it is open', params: ChangeParams },
    },
    async (request, reply) => {
      if (!(await visibleOrder(db, request, reply, request.params.id))) return reply;
      const { id, change_id } = request.params;
      const result = await inTransaction(db, (tx) => readChange(tx, id, change_id, request.principal.keyId));
      return result.ok ? result.value : sendProblem(reply, result.problem);
    },
  );

  app.post<{ Params: { id: string; change_id: string }; Body: ConfirmChange }>(
    '/orders/:id/changes/:change_id/confirm',
    {
      config: { permission: 'orders:manage', idempotent: true },
      schema: {
        tags,
        summary: 'Confirm a change: apply it, route what it touches and settle the payment delta',
        description:
          'Compare-and-set on the order version the change was drafted against (409 version_conflict with the current version otherwise). A declined additional authorization leaves the order at its version, on a payment hold, and the change `declined`. Units in accepted or picking fulfillment orders make the change `awaiting_release` with a request to each location. Idempotent by Idempotency-Key.',
        params: ChangeParams,
        body: ConfirmChange,
      },
    },
    (request, reply) =>
      runCreate(db, request, reply, (tx) =>
        created(
          confirmChange(tx, request.params.id, request.params.change_id, request.body, request.principal.keyId),
          200,
        ),
      ),
  );

  app.post<{ Params: { id: string; change_id: string } }>(
    '/orders/:id/changes/:change_id/cancel',
    {
      config: { permission: 'orders:manage' },
      schema: { tags, summary: 'Drop an open change; nothing of it applies', params: ChangeParams, body: EmptyBody },
    },
    async (request, reply) => {
      const { id, change_id } = request.params;
      const result = await inTransaction(db, (tx) => cancelChange(tx, id, change_id, request.principal.keyId));
      return respond(reply, result);
    },
  );
}
