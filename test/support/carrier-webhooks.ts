import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Requester } from './client.ts';

/**
 * Carrier tracking webhooks as EasyPost and AfterShip send them: their recorded bodies (the
 * fixtures) with our tracking number in, signed the way each service documents it. The signing
 * is written here from the services' documentation, not borrowed from src/, so a mistake on the
 * server's side cannot hide behind the same mistake in the test.
 */
export const CARRIER_SECRETS = {
  easypost: 'e2e-easypost-webhook-secret',
  aftership: 'e2e-aftership-webhook-secret',
} as const;

/** The server environment that makes it accept webhooks signed with CARRIER_SECRETS. */
export const carrierSecretEnv: Record<string, string> = {
  CONSIGN_EASYPOST_WEBHOOK_SECRET: CARRIER_SECRETS.easypost,
  CONSIGN_AFTERSHIP_WEBHOOK_SECRET: CARRIER_SECRETS.aftership,
};

type Stage = 'in_transit' | 'delivered';

function fixture(name: string): Record<string, Record<string, unknown>> {
  return JSON.parse(readFileSync(new URL(`../fixtures/carriers/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    Record<string, unknown>
  >;
}

/** An EasyPost `tracker.updated` event for `trackingCode` (carrier as EasyPost names it, e.g. `UPS`). */
export function easypostTrackerUpdated(trackingCode: string, stage: Stage, carrier = 'UPS'): string {
  const body = fixture(
    stage === 'delivered' ? 'easypost/tracker-updated-delivered.json' : 'easypost/tracker-updated-in-transit.json',
  );
  body.result!.tracking_code = trackingCode;
  body.result!.carrier = carrier;
  return JSON.stringify(body);
}

/** An AfterShip `tracking_update` for `trackingNumber`; the fixtures' courier slug is `usps`. */
export function aftershipTrackingUpdate(trackingNumber: string, stage: Stage): string {
  const body = fixture(
    stage === 'delivered' ? 'aftership/tracking-update-delivered.json' : 'aftership/tracking-update-in-transit.json',
  );
  body.msg!.tracking_number = trackingNumber;
  body.msg!.title = trackingNumber;
  return JSON.stringify(body);
}

/** EasyPost: `X-Hmac-Signature: hmac-sha256-hex=<hex HMAC-SHA256 of the raw body>`, key NFKD-normalised. */
export function postEasypost(request: Requester, rawBody: string, secret: string = CARRIER_SECRETS.easypost) {
  const mac = createHmac('sha256', Buffer.from(secret.normalize('NFKD'), 'utf8'))
    .update(rawBody)
    .digest('hex');
  return request('POST', '/v1/webhooks/carriers/easypost', {
    rawBody,
    key: null,
    headers: { 'x-hmac-signature': `hmac-sha256-hex=${mac}` },
  });
}

/** AfterShip: `aftership-hmac-sha256: <base64 HMAC-SHA256 of the raw body>`. */
export function postAftership(request: Requester, rawBody: string, secret: string = CARRIER_SECRETS.aftership) {
  const mac = createHmac('sha256', secret).update(rawBody).digest('base64');
  return request('POST', '/v1/webhooks/carriers/aftership', {
    rawBody,
    key: null,
    headers: { 'aftership-hmac-sha256': mac },
  });
}
