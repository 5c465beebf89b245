/**
 * Standard Webhooks signatures (standardwebhooks.com): the signed content is
 * `{webhook-id}.{webhook-timestamp}.{body}`, signed with HMAC-SHA256 under the base64-decoded
 * part of a `whsec_…` secret, sent as `webhook-signature: v1,<base64>`. A header may carry
 * several space-separated signatures; one match is enough. Receivers can use `verify` as is.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;
const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

/** A new `whsec_` secret: 32 random bytes, base64. */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(SECRET_BYTES).toString('base64');
}

function keyOf(secret: string): Buffer {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
  if (key.length === 0) throw new Error('a webhook secret must be base64, optionally prefixed with whsec_');
  return key;
}

function digest(secret: string, id: string, timestampSeconds: number, body: string | Uint8Array): Buffer {
  return createHmac('sha256', keyOf(secret)).update(`${id}.${timestampSeconds}.`).update(body).digest();
}

/** The `webhook-signature` value for one secret: `v1,<base64>`. */
export function sign(secret: string, id: string, timestampSeconds: number, body: string | Uint8Array): string {
  return `v1,${digest(secret, id, timestampSeconds, body).toString('base64')}`;
}

interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

export function signedHeaders(secret: string, id: string, timestampSeconds: number, body: string): WebhookHeaders {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': sign(secret, id, timestampSeconds, body),
  };
}

type VerifyResult =
  | { valid: true; id: string; timestamp: number }
  | {
      valid: false;
      reason: 'missing_headers' | 'invalid_timestamp' | 'timestamp_outside_tolerance' | 'no_matching_signature';
    };

interface VerifyOptions {
  /** The receiver's clock; default now. */
  nowSeconds?: number;
  /** How far the timestamp may be from now, either way; default 5 minutes. */
  toleranceSeconds?: number;
}

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name] ?? Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
  return Array.isArray(value) ? value[0] : value;
}

/** Checks a delivery as a receiver would: headers present, timestamp fresh, one `v1` signature matching. */
export function verify(
  secret: string,
  headers: HeaderSource,
  body: string | Uint8Array,
  options: VerifyOptions = {},
): VerifyResult {
  const id = header(headers, 'webhook-id');
  const timestampText = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestampText || !signatures) return { valid: false, reason: 'missing_headers' };
  if (!/^\d{1,12}$/.test(timestampText)) return { valid: false, reason: 'invalid_timestamp' };
  const timestamp = Number(timestampText);
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) {
    return { valid: false, reason: 'timestamp_outside_tolerance' };
  }
  const expected = digest(secret, id, timestamp, body);
  for (const candidate of signatures.split(' ')) {
    const [version, encoded] = candidate.split(',', 2);
    if (version !== 'v1' || !encoded) continue;
    const given = Buffer.from(encoded, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { valid: true, id, timestamp };
  }
  return { valid: false, reason: 'no_matching_signature' };
}
