import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction, openDatabase, type Executor } from '../db/index.ts';
import { newId } from '../shared/ids.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/db.ts';
import { authorizePayment } from './authorize.ts';
import { authorizationBalances, captureBalances, paymentsOfOrder, type Drawable } from './ledger.ts';
import { drawOn } from './operate.ts';
import { createTestGateway } from './test-gateway.ts';

let database: TestDatabase;
let channelId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const groupId = newId('lgr');
  channelId = newId('chn');
  await database.db.execute(sql`insert into location_groups (id, name) values (${groupId}, 'All')`);
  await database.db.execute(
    sql`insert into channels (id, code, name, type, location_group_id) values (${channelId}, 'web', 'Web', 'web', ${groupId})`,
  );
});
afterAll(async () => {
  await database?.close();
});

/** An order with one authorization of `amount` by `gateway` with `reference`. */
async function orderWithAuthorization(
  amount: number,
  reference: string,
  gateway = 'test',
): Promise<{ orderId: string; authorization: Drawable }> {
  const orderId = newId('ord');
  await database.db.execute(sql`
    insert into orders (id, channel_id, external_id, request_hash, status, customer, delivery_method, currency,
                        subtotal_minor, discount_minor, shipping_minor, tax_minor, total_minor, authorized_minor, placed_at)
    values (${orderId}, ${channelId}, ${orderId}, 'x', 'confirmed', '{}'::jsonb, 'ship', 'USD', ${amount}, 0, 0, 0, ${amount}, ${amount}, now())`);
  await database.db.execute(sql`
    insert into payments (id, order_id, kind, status, amount_minor, currency, gateway, reference)
    values (${newId('pay')}, ${orderId}, 'authorization', 'succeeded', ${amount}, 'USD', ${gateway}, ${reference})`);
  const [authorization] = await authorizationBalances(database.db, orderId);
  return { orderId, authorization: authorization! };
}

const capture = (
  executor: Executor,
  orderId: string,
  authorizationReference: string,
  amountMinor: number,
  idempotencyKey: string,
  currency = 'USD',
) =>
  createTestGateway(executor).capture({
    orderReference: orderId,
    authorizationReference,
    amountMinor,
    currency,
    idempotencyKey,
  });

/** Captures through the payments module, which records the outcome: the test gateway's ledger. */
const recordCapture = (orderId: string, parent: Drawable, amountMinor: number, idempotencyKey: string) =>
  inTransaction(database.db, async (tx) =>
    drawOn(tx, { orderId, kind: 'capture', parent, amountMinor, idempotencyKey }),
  );

describe('the test gateway: idempotency keys', () => {
  it('replays a key with the same request and refuses it with another amount, from a fresh instance', async () => {
    const { orderId, authorization } = await orderWithAuthorization(1000, 'auth_idem');
    const first = await recordCapture(orderId, authorization, 600, 'capture:k1');
    expect(first.ok && first.value.payment.status).toBe('succeeded');
    const reference = first.ok ? first.value.payment.reference : null;
    expect(reference).toMatch(/^test_capture_[0-9a-f]{24}$/);

    // A new gateway object (as after a restart) remembers through the database.
    expect(await capture(database.db, orderId, 'auth_idem', 600, 'capture:k1')).toEqual({
      status: 'succeeded',
      reference,
    });
    expect(await capture(database.db, orderId, 'auth_idem', 601, 'capture:k1')).toMatchObject({
      status: 'declined',
      code: 'idempotency_conflict',
    });

    const again = await recordCapture(orderId, authorization, 600, 'capture:k1');
    expect(again.ok && again.value).toMatchObject({
      replayed: true,
      payment: { id: first.ok ? first.value.payment.id : '' },
    });
    const conflicting = await recordCapture(orderId, authorization, 500, 'capture:k1');
    expect(conflicting).toMatchObject({ ok: false, problem: { code: 'idempotency_conflict' } });
    expect((await paymentsOfOrder(database.db, orderId)).filter((p) => p.kind === 'capture')).toHaveLength(1);
  });

  it.skipIf(!process.env.DATABASE_URL || process.env.CONSIGN_TEST_ENGINE !== 'postgres')(
    'remembers across processes (a second connection pool)',
    async () => {
      const { orderId, authorization } = await orderWithAuthorization(1000, 'auth_two_processes');
      const first = await recordCapture(orderId, authorization, 250, 'capture:shared');
      const other = await openDatabase({ databaseUrl: database.url!, poolSize: 1 });
      try {
        expect(await capture(other.db, orderId, 'auth_two_processes', 250, 'capture:shared')).toEqual({
          status: 'succeeded',
          reference: first.ok ? first.value.payment.reference : null,
        });
        expect(await capture(other.db, orderId, 'auth_two_processes', 100, 'capture:shared')).toMatchObject({
          code: 'idempotency_conflict',
        });
      } finally {
        await other.close();
      }
    },
  );
});

describe('the test gateway: amounts', () => {
  it('allows partial captures but never more than is left of the authorization', async () => {
    const { orderId, authorization } = await orderWithAuthorization(1000, 'auth_partial');
    expect((await recordCapture(orderId, authorization, 400, 'k1')).ok).toBe(true);
    expect((await recordCapture(orderId, authorization, 600, 'k2')).ok).toBe(true);
    expect(await capture(database.db, orderId, 'auth_partial', 1, 'k3')).toMatchObject({
      status: 'declined',
      code: 'amount_exceeds_authorization',
    });
    expect(await capture(database.db, orderId, 'auth_partial', 1, 'k4', 'EUR')).toMatchObject({
      status: 'declined',
      code: 'currency_mismatch',
    });
    expect(await capture(database.db, orderId, 'auth_nope', 1, 'k5')).toMatchObject({
      status: 'declined',
      code: 'resource_missing',
    });
  });

  it('refunds never more than the capture', async () => {
    const { orderId, authorization } = await orderWithAuthorization(1000, 'auth_refunds');
    await recordCapture(orderId, authorization, 700, 'k1');
    const [captured] = await captureBalances(database.db, orderId);
    const gateway = createTestGateway(database.db);
    const refund = (amountMinor: number, key: string) =>
      gateway.refund({
        orderReference: orderId,
        captureReference: captured!.reference,
        amountMinor,
        currency: 'USD',
        idempotencyKey: key,
      });
    expect(await refund(701, 'r1')).toMatchObject({ status: 'declined', code: 'amount_exceeds_capture' });
    const done = await inTransaction(database.db, (tx) =>
      drawOn(tx, { orderId, kind: 'refund', parent: captured!, amountMinor: 500, idempotencyKey: 'r2' }),
    );
    expect(done.ok && done.value.payment.status).toBe('succeeded');
    expect(await refund(201, 'r3')).toMatchObject({ status: 'declined', code: 'amount_exceeds_capture' });
    expect(await refund(200, 'r4')).toMatchObject({ status: 'succeeded' });
  });
});

describe('the test gateway: declines on demand', () => {
  it.each([
    ['auth_decline_1', 'card_declined'],
    ['auth_INSUFFICIENT_FUNDS', 'insufficient_funds'],
    ['auth_expired_7', 'authorization_expired'],
  ])('declines captures on an authorization referenced %s with %s', async (reference, code) => {
    const { orderId, authorization } = await orderWithAuthorization(1000, reference);
    const result = await recordCapture(orderId, authorization, 1000, 'k');
    expect(result.ok && result.value.payment).toMatchObject({ status: 'failed', failure_code: code, reference: null });
    expect(result.ok && result.value.payment.failure_message).toEqual(expect.any(String));
  });

  it('declines only the refunds of an authorization referenced refund_decline', async () => {
    const { orderId, authorization } = await orderWithAuthorization(1000, 'auth_refund_decline');
    expect((await recordCapture(orderId, authorization, 1000, 'k')).ok).toBe(true);
    const [captured] = await captureBalances(database.db, orderId);
    const refund = await createTestGateway(database.db).refund({
      orderReference: orderId,
      captureReference: captured!.reference,
      amountMinor: 10,
      currency: 'USD',
      idempotencyKey: 'r',
    });
    expect(refund).toMatchObject({ status: 'declined', code: 'refund_declined' });
  });

  it('declines authorizations by test card number and by amount, and replays their keys', async () => {
    const { orderId } = await orderWithAuthorization(1000, 'auth_more');
    const authorize = (amountMinor: number, paymentMethod: string, key: string) =>
      inTransaction(database.db, async (tx) =>
        authorizePayment(tx, orderId, {
          amountMinor,
          currency: 'USD',
          gateway: 'test',
          paymentMethod,
          idempotencyKey: key,
          actor: null,
        }),
      );
    const status = async (p: ReturnType<typeof authorize>) => {
      const r = await p;
      return r.ok ? [r.value.payment.status, r.value.payment.failure_code] : [r.problem.code];
    };
    expect(await status(authorize(500, '4000 0000 0000 0002', 'a1'))).toEqual(['failed', 'card_declined']);
    expect(await status(authorize(500, '4000000000009995', 'a2'))).toEqual(['failed', 'insufficient_funds']);
    expect(await status(authorize(1002, 'tok_visa', 'a3'))).toEqual(['failed', 'card_declined']);
    expect(await status(authorize(1051, 'tok_visa', 'a4'))).toEqual(['failed', 'insufficient_funds']);
    expect(await status(authorize(1000, 'tok_visa', 'a5'))).toEqual(['succeeded', null]);
    const replay = await authorize(1000, 'tok_visa', 'a5');
    expect(replay.ok && replay.value.replayed).toBe(true);
    expect(await status(authorize(999, 'tok_visa', 'a5'))).toEqual(['idempotency_conflict']);
    const gateway = createTestGateway(database.db);
    expect(
      await gateway.authorize({
        orderReference: orderId,
        amountMinor: 1000,
        currency: 'USD',
        paymentMethod: 'tok_visa',
        idempotencyKey: 'a1',
      }),
    ).toMatchObject({ status: 'declined', code: 'idempotency_conflict' });
    expect((await authorizationBalances(database.db, orderId)).map((a) => a.amount_minor)).toEqual([1000, 1000]);
  });
});

describe('gateways that are not configured', () => {
  it('records the operation as pending with a clear message', async () => {
    const { orderId, authorization } = await orderWithAuthorization(1000, 'psp_123', 'acme-pay');
    const result = await recordCapture(orderId, authorization, 300, 'k');
    expect(result.ok && result.value.payment).toMatchObject({
      status: 'pending',
      failure_code: 'gateway_not_configured',
      gateway: 'acme-pay',
    });
    expect(result.ok && result.value.payment.failure_message).toContain('acme-pay');
    const [balance] = await authorizationBalances(database.db, orderId);
    expect(balance!.remaining_minor).toBe(700);
  });

  it('leaves nothing behind when the surrounding transaction rolls back', async () => {
    const { orderId, authorization } = await orderWithAuthorization(1000, 'auth_rollback');
    await expect(
      inTransaction(database.db, async (tx) => {
        await drawOn(tx, { orderId, kind: 'capture', parent: authorization, amountMinor: 100, idempotencyKey: 'k' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await capture(database.db, orderId, 'auth_rollback', 999, 'k')).toMatchObject({ status: 'succeeded' });
  });
});
