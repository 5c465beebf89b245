import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { tables, toIso, type Executor, type Tx } from '../db/index.ts';
import { getChannel } from '../network/index.ts';
import { newId } from '../shared/ids.ts';
import { sealSecret, type SealedColumn } from '../secrets/index.ts';
import { problem, type Problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import type { CreateSubscription, UpdateSubscription } from './schemas.ts';
import { generateSecret } from './signature.ts';
import { targetProblem } from './target.ts';

type SubscriptionRow = typeof tables.webhookSubscriptions.$inferSelect;

/** The public shape; the secret is shown only by creation and rotation. */
function presentSubscription(row: SubscriptionRow) {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    event_types: row.eventTypes,
    channel_id: row.channelId,
    active: row.active,
    created_at: toIso(row.createdAt),
    updated_at: toIso(row.updatedAt),
  };
}
type WebhookSubscription = ReturnType<typeof presentSubscription>;
type WithSecret = WebhookSubscription & { secret: string };

const withSecret = (row: SubscriptionRow, secret: string): WithSecret => ({ ...presentSubscription(row), secret });

/** Where a subscription's signing secret is sealed (the context it is sealed for). */
export const secretContext = (id: string) => `webhook_subscriptions.secret:${id}`;

/** The signing secrets, sealed at rest: how `consign secrets rotate` finds and rewrites them. */
export const sealedWebhookSecrets: SealedColumn = {
  select: (afterId, skipLike, limit) =>
    sql`select id, secret as value from webhook_subscriptions
        where id > ${afterId} and secret not like ${skipLike} order by id limit ${limit}`,
  update: (id, old, value) =>
    sql`update webhook_subscriptions set secret = ${value} where id = ${id} and secret = ${old}`,
  context: secretContext,
};

/** Why a URL cannot receive webhooks, or undefined when it can. */
function urlProblem(url: string): Problem | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return invalidUrl('is not an absolute URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return invalidUrl('must use http or https');
  if (parsed.username || parsed.password)
    return invalidUrl('must not carry credentials; authenticate deliveries by their signature');
  return undefined;
}

function invalidUrl(message: string): Problem {
  return problem('validation_failed', `url ${message}.`, { errors: [{ pointer: '/url', message }] });
}

/** `secret`: a `whsec_` secret chosen by the caller (connectors); otherwise a new one is generated. */
export async function createSubscription(
  tx: Tx,
  input: CreateSubscription,
  secret?: string,
): Promise<Result<WithSecret>> {
  const invalid = urlProblem(input.url) ?? (await targetProblem(input.url));
  if (invalid) return fail(invalid);
  if (input.channel_id !== undefined && !(await getChannel(tx, input.channel_id))) {
    return fail(problem('unknown_reference', `No channel ${input.channel_id}.`, { field: 'channel_id' }));
  }
  const id = newId('whs');
  const plaintext = secret ?? generateSecret();
  const [row] = await tx
    .insert(tables.webhookSubscriptions)
    .values({
      id,
      url: input.url,
      description: input.description ?? null,
      secret: sealSecret(plaintext, secretContext(id)),
      eventTypes: input.event_types,
      channelId: input.channel_id ?? null,
    })
    .returning();
  return ok(withSecret(row!, plaintext));
}

export async function getSubscription(executor: Executor, id: string): Promise<WebhookSubscription | undefined> {
  const [row] = await executor.select().from(tables.webhookSubscriptions).where(eq(tables.webhookSubscriptions.id, id));
  return row && presentSubscription(row);
}

export async function listSubscriptions(
  executor: Executor,
  filter: { active?: boolean | undefined; after?: string | undefined; limit: number },
): Promise<WebhookSubscription[]> {
  const w = tables.webhookSubscriptions;
  const rows = await executor
    .select()
    .from(w)
    .where(
      and(
        filter.active !== undefined ? eq(w.active, filter.active) : undefined,
        filter.after ? gt(w.id, filter.after) : undefined,
      ),
    )
    .orderBy(asc(w.id))
    .limit(filter.limit);
  return rows.map(presentSubscription);
}

export async function updateSubscription(
  tx: Tx,
  id: string,
  patch: UpdateSubscription,
  secret?: string,
): Promise<Result<WebhookSubscription>> {
  if (patch.url !== undefined) {
    const invalid = urlProblem(patch.url) ?? (await targetProblem(patch.url));
    if (invalid) return fail(invalid);
  }
  const [row] = await tx
    .update(tables.webhookSubscriptions)
    .set({
      ...(patch.url !== undefined && { url: patch.url }),
      ...(patch.event_types !== undefined && { eventTypes: patch.event_types }),
      ...(patch.description !== undefined && { description: patch.description }),
      ...(patch.active !== undefined && { active: patch.active }),
      ...(secret !== undefined && { secret: sealSecret(secret, secretContext(id)) }),
      updatedAt: sql`now()`,
    })
    .where(eq(tables.webhookSubscriptions.id, id))
    .returning();
  return row ? ok(presentSubscription(row)) : fail(notFound(id));
}

/**
 * Replaces the signing secret; deliveries from now on are signed with the new one only.
 * Returns it once, like creation.
 */
export async function rotateSecret(tx: Tx, id: string): Promise<Result<WithSecret>> {
  const secret = generateSecret();
  const [row] = await tx
    .update(tables.webhookSubscriptions)
    .set({ secret: sealSecret(secret, secretContext(id)), updatedAt: sql`now()` })
    .where(eq(tables.webhookSubscriptions.id, id))
    .returning();
  return row ? ok(withSecret(row, secret)) : fail(notFound(id));
}

export function notFound(id: string): Problem {
  return problem('not_found', `No webhook subscription ${id}.`);
}
