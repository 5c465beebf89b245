import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { problem, type Problem } from '../shared/problem.ts';
import type { CarrierSource } from './parsers/index.ts';

/**
 * How each service proves a webhook is theirs, and the environment variable holding our side of it:
 * - EasyPost: `X-Hmac-Signature: hmac-sha256-hex=<hex>`, HMAC-SHA256 of the raw body keyed with
 *   the webhook's `webhook_secret` (NFKD-normalised, as EasyPost's client libraries do).
 * - AfterShip: `aftership-hmac-sha256: <base64>`, HMAC-SHA256 of the raw body keyed with the
 *   account's webhook secret.
 * - Shippo: a self-generated token in the webhook URL (`?token=…`). Shippo also offers an HMAC
 *   header (`Shippo-Auth-Signature: t=<unix>,v1=<hex of HMAC("<t>.<body>")>`) that their team
 *   provisions on request; when its secret is configured it is checked as well.
 * Every comparison is constant-time; a source without its secret accepts nothing.
 */
const secretVariables = {
  easypost: 'CONSIGN_EASYPOST_WEBHOOK_SECRET',
  shippo: 'CONSIGN_SHIPPO_WEBHOOK_TOKEN',
  aftership: 'CONSIGN_AFTERSHIP_WEBHOOK_SECRET',
} as const satisfies Record<CarrierSource, string>;
const SHIPPO_HMAC_VARIABLE = 'CONSIGN_SHIPPO_WEBHOOK_HMAC_SECRET';

/** Shippo's HMAC timestamps older or newer than this are replays or clock trouble. */
const SHIPPO_TOLERANCE_MS = 5 * 60 * 1000;

export interface WebhookSecrets {
  easypost?: string | undefined;
  shippoToken?: string | undefined;
  shippoHmacSecret?: string | undefined;
  aftership?: string | undefined;
}

export function webhookSecretsFromEnv(env: NodeJS.ProcessEnv = process.env): WebhookSecrets {
  const read = (name: string) => env[name] || undefined;
  return {
    easypost: read(secretVariables.easypost),
    shippoToken: read(secretVariables.shippo),
    shippoHmacSecret: read(SHIPPO_HMAC_VARIABLE),
    aftership: read(secretVariables.aftership),
  };
}

const digest = (value: string | Buffer) => createHash('sha256').update(value).digest();

/** Constant-time equality of two strings of any length (their SHA-256 digests are compared). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

export function easypostSignature(rawBody: Buffer | string, secret: string): string {
  const key = Buffer.from(secret.normalize('NFKD'), 'utf8');
  return `hmac-sha256-hex=${createHmac('sha256', key).update(rawBody).digest('hex')}`;
}

export function verifyEasypost(rawBody: Buffer, header: string | undefined, secret: string): boolean {
  return header !== undefined && safeEqual(header.trim().toLowerCase(), easypostSignature(rawBody, secret));
}

export function aftershipSignature(rawBody: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}

export function verifyAftership(rawBody: Buffer, header: string | undefined, secret: string): boolean {
  return header !== undefined && safeEqual(header.trim(), aftershipSignature(rawBody, secret));
}

export function verifyShippoToken(token: string | undefined, expected: string): boolean {
  return token !== undefined && safeEqual(token, expected);
}

export function shippoSignature(rawBody: Buffer | string, secret: string, timestampSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.`).update(rawBody).digest('hex');
  return `t=${timestampSeconds},v1=${mac}`;
}

export function verifyShippoHmac(rawBody: Buffer, header: string | undefined, secret: string, nowMs: number): boolean {
  if (header === undefined) return false;
  const fields = new Map(
    header.split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const t = fields.get('t');
  const v1 = fields.get('v1');
  if (!t || !/^\d{1,12}$/.test(t) || !v1) return false;
  if (Math.abs(nowMs - Number(t) * 1000) > SHIPPO_TOLERANCE_MS) return false;
  return safeEqual(v1.toLowerCase(), shippoSignature(rawBody, secret, Number(t)).split('v1=')[1]!);
}

export interface SignedRequest {
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, unknown>;
  nowMs: number;
}

/** A single header value; a repeated header is not a signature we can trust. */
function header(request: SignedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

const notConfigured = (variable: string, what: string) =>
  problem(
    'service_unavailable',
    `${what} webhooks are not configured: set ${variable} on the server. Unsigned input is never accepted.`,
    { variable },
  );

const badSignature = (what: string, how: string) =>
  problem('invalid_signature', `The ${what} webhook signature does not verify (${how}); nothing was recorded.`);

/** Checks a webhook's proof of origin; `undefined` means it verified. */
export function verifyWebhook(
  source: CarrierSource,
  request: SignedRequest,
  secrets: WebhookSecrets,
): Problem | undefined {
  switch (source) {
    case 'easypost': {
      if (!secrets.easypost) return notConfigured(secretVariables.easypost, 'EasyPost');
      return verifyEasypost(request.rawBody, header(request, 'x-hmac-signature'), secrets.easypost)
        ? undefined
        : badSignature('EasyPost', 'X-Hmac-Signature');
    }
    case 'aftership': {
      if (!secrets.aftership) return notConfigured(secretVariables.aftership, 'AfterShip');
      return verifyAftership(request.rawBody, header(request, 'aftership-hmac-sha256'), secrets.aftership)
        ? undefined
        : badSignature('AfterShip', 'aftership-hmac-sha256');
    }
    case 'shippo': {
      if (!secrets.shippoToken) return notConfigured(secretVariables.shippo, 'Shippo');
      const token = typeof request.query.token === 'string' ? request.query.token : undefined;
      if (!verifyShippoToken(token, secrets.shippoToken))
        return badSignature('Shippo', 'the ?token= of the webhook URL');
      if (
        secrets.shippoHmacSecret &&
        !verifyShippoHmac(
          request.rawBody,
          header(request, 'shippo-auth-signature'),
          secrets.shippoHmacSecret,
          request.nowMs,
        )
      ) {
        return badSignature('Shippo', 'Shippo-Auth-Signature');
      }
      return undefined;
    }
  }
}
