/**
 * What each action does, through the function of the capability that owns the behaviour: holds,
 * releases, tags, notes, cancellations and re-routing are the orders capability's, capture and
 * invoicing the payments capability's, a notification the notifications capability's, a task the tasks capability's; the
 * webhook POST is the only thing automations do themselves. A database action runs in the
 * transaction that records it done, so it happens once. A capture calls the gateway inside that
 * transaction with a key stable across attempts (`automation:<execution>:<action>`), so a retry
 * after a rolled-back attempt is replayed by the gateway, not captured again. A POST is sent at
 * least once and carries an idempotency key.
 */
import { requestNotification } from '../notifications/index.ts';
import { holdOrder, releaseHold, cancelOrder, noteOrder, rerouteOrder, tagOrder } from '../orders/index.ts';
import { captureOrder, invoiceOrderCaptures } from '../payments/index.ts';
import type { Tx } from '../db/index.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { createTask } from '../tasks/index.ts';
import { targetProblem } from '../webhooks/index.ts';
import type { Action } from './definition.ts';

export const isDatabaseAction = (action: Action): boolean => action.type !== 'call_webhook';

/** Which execution and action is running: the actor of what it does and the key of what it sends. */
interface ActionContext {
  orderId: string | null;
  actor: string;
  /** The same on every attempt of this action of this execution. */
  idempotencyKey: string;
}

/** Runs a database action on the execution's order in the caller's transaction. */
export async function runDatabaseAction(tx: Tx, action: Action, context: ActionContext): Promise<Result<unknown>> {
  const { orderId, actor } = context;
  if (action.type === 'create_task') return runCreateTask(tx, action, orderId, actor, context.idempotencyKey);
  if (!orderId) return fail(problem('invalid_automation', `A ${action.type} action needs an event about an order.`));
  switch (action.type) {
    case 'hold':
      return holdOrder(tx, orderId, action.kind, action.reason, actor);
    case 'release_hold':
      return releaseHold(tx, orderId, action.kind, actor);
    case 'add_tag':
      return tagOrder(tx, orderId, action.tag, actor);
    case 'add_note':
      return noteOrder(tx, orderId, action.note, actor);
    case 'cancel':
      return cancelOrder(tx, orderId, { reason: action.reason, actor });
    case 'call_webhook':
      return ok(undefined);
    case 'capture':
      return captureOrder(tx, orderId, { idempotencyKey: context.idempotencyKey, actor });
    case 'issue_invoice':
      return invoiceOrderCaptures(tx, orderId, actor);
    case 'reroute':
      return rerouteOrder(tx, orderId, { reason: action.reason ?? 'automation', actor });
    case 'send_notification':
      return requestNotification(tx, orderId, action.template, actor);
  }
}

/** Opens the task, about the execution's order when it has one; the outcome names the task. */
async function runCreateTask(
  tx: Tx,
  action: Extract<Action, { type: 'create_task' }>,
  orderId: string | null,
  actor: string,
  sourceKey: string,
): Promise<Result<{ task_id: string; created: boolean }>> {
  const { queue, title, due_in_minutes: dueInMinutes } = action;
  const task = await createTask(tx, { queue, title, orderId, dueInMinutes, sourceKey }, actor);
  return task.ok ? ok({ task_id: task.value.id, created: task.value.created }) : task;
}

interface WebhookCall {
  url: string;
  /** The same for every attempt of this action: receivers drop repeats by it. */
  idempotencyKey: string;
  body: Record<string, unknown>;
  timeoutMs: number;
}

/** POSTs the JSON body; 2xx is done, anything else (or no answer in time) is a failure to retry. */
export async function callWebhook(call: WebhookCall): Promise<Result<{ status: number }>> {
  const refused = await targetProblem(call.url);
  if (refused) return fail(refused);
  try {
    const response = await fetch(call.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Consign-Automations',
        'idempotency-key': call.idempotencyKey,
      },
      body: JSON.stringify(call.body),
      redirect: 'manual',
      signal: AbortSignal.timeout(call.timeoutMs),
    });
    await response.body?.cancel();
    if (response.status >= 200 && response.status < 300) return ok({ status: response.status });
    return fail(problem('service_unavailable', `${call.url} answered HTTP ${response.status}.`));
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const message = error instanceof Error ? error.message : String(error);
    return fail(problem('service_unavailable', `${call.url} did not answer: ${cause ?? message}.`));
  }
}
