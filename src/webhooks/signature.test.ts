import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSecret, sign, signedHeaders, verify } from './signature.ts';

// The test vector published with the Standard Webhooks reference libraries.
const vector = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const headersOf = (signature: string, timestamp = vector.timestamp) => ({
  'webhook-id': vector.id,
  'webhook-timestamp': String(timestamp),
  'webhook-signature': signature,
});

describe('Standard Webhooks signatures', () => {
  it('reproduces the published test vector', () => {
    expect(sign(vector.secret, vector.id, vector.timestamp, vector.body)).toBe(vector.signature);
    expect(verify(vector.secret, headersOf(vector.signature), vector.body, { nowSeconds: vector.timestamp })).toEqual({
      valid: true,
      id: vector.id,
      timestamp: vector.timestamp,
    });
  });

  it('matches the spec text computed independently: HMAC-SHA256 of "id.timestamp.body" under the decoded secret', () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    expect(key.length).toBeGreaterThanOrEqual(24);
    const body = JSON.stringify({
      id: 'evt_7',
      type: 'order.created',
      timestamp: '2026-01-01T00:00:00.000Z',
      data: { é: '✓' },
    });
    const expected = createHmac('sha256', key)
      .update(Buffer.from(`evt_7.1767225600.${body}`, 'utf8'))
      .digest('base64');
    expect(signedHeaders(secret, 'evt_7', 1767225600, body)).toEqual({
      'webhook-id': 'evt_7',
      'webhook-timestamp': '1767225600',
      'webhook-signature': `v1,${expected}`,
    });
    expect(
      verify(secret, new Headers({ ...signedHeaders(secret, 'evt_7', 1767225600, body) }), Buffer.from(body), {
        nowSeconds: 1767225600,
      }).valid,
    ).toBe(true);
  });

  it('accepts any one of several signatures (a receiver mid-rotation), and ignores other versions', () => {
    const header = `v1a,abc v1,bm9wZQ== ${vector.signature}`;
    expect(verify(vector.secret, headersOf(header), vector.body, { nowSeconds: vector.timestamp }).valid).toBe(true);
  });

  it('rejects a changed body, a wrong secret, stale or future timestamps and missing headers', () => {
    const now = { nowSeconds: vector.timestamp };
    expect(verify(vector.secret, headersOf(vector.signature), '{"test": 2432232315}', now)).toEqual({
      valid: false,
      reason: 'no_matching_signature',
    });
    expect(verify(generateSecret(), headersOf(vector.signature), vector.body, now)).toEqual({
      valid: false,
      reason: 'no_matching_signature',
    });
    expect(
      verify(vector.secret, headersOf(vector.signature), vector.body, { nowSeconds: vector.timestamp + 301 }),
    ).toMatchObject({ reason: 'timestamp_outside_tolerance' });
    expect(
      verify(vector.secret, headersOf(vector.signature), vector.body, { nowSeconds: vector.timestamp - 301 }),
    ).toMatchObject({ reason: 'timestamp_outside_tolerance' });
    expect(verify(vector.secret, { 'webhook-id': vector.id }, vector.body, now)).toEqual({
      valid: false,
      reason: 'missing_headers',
    });
    expect(
      verify(vector.secret, { ...headersOf(vector.signature), 'webhook-timestamp': '16e8' }, vector.body, now),
    ).toMatchObject({ reason: 'invalid_timestamp' });
  });
});
