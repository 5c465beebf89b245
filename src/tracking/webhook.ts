import { inTransaction, type Db } from '../db/index.ts';
import { problem } from '../shared/problem.ts';
import { storableText } from '../shared/text.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { findShipmentByTracking } from './match-shipment.ts';
import { carrierParsers, type CarrierSource } from './parsers/index.ts';
import { recordTrackingEvents } from './record-events.ts';
import { verifyWebhook, type SignedRequest, type WebhookSecrets } from './signatures.ts';

interface WebhookAnswer {
  status: 200 | 202;
  body: Record<string, unknown>;
}

/**
 * Carriers and aggregators retry any webhook not answered 2xx, for hours or days. A valid,
 * signed message we have nothing to do with (another event type, a tracking number that is not
 * ours, e.g. a label bought outside Consign) is acknowledged with 202 so it is not redelivered
 * forever; the answer says why it was ignored.
 */
const ignoredAnswer = (reason: string, detail: string): WebhookAnswer => ({
  status: 202,
  body: { result: 'ignored', reason, detail },
});

/** The signed body as JSON; text Consign cannot store is cleaned, as the sender cannot correct it (ADR 0015). */
function parseJson(rawBody: Buffer): Result<unknown> {
  if (rawBody.length === 0)
    return fail(problem('malformed_json', 'The body is empty; send the JSON the service posts.'));
  try {
    return ok(storableText(JSON.parse(rawBody.toString('utf8')) as unknown));
  } catch (error) {
    return fail(problem('malformed_json', `The body is not valid JSON: ${(error as Error).message}`));
  }
}

/**
 * A carrier-service webhook, end to end: verify its signature (before anything is parsed),
 * parse the service's format, match the shipment by tracking number and carrier, record.
 */
export async function receiveCarrierWebhook(
  db: Db,
  source: CarrierSource,
  request: SignedRequest,
  secrets: WebhookSecrets,
): Promise<Result<WebhookAnswer>> {
  const refused = verifyWebhook(source, request, secrets);
  if (refused) return fail(refused);
  const body = parseJson(request.rawBody);
  if (!body.ok) return body;

  const parsed = carrierParsers[source](body.value);
  if (parsed.kind === 'invalid') {
    return fail(
      problem('validation_failed', parsed.detail, {
        errors: [{ pointer: parsed.pointer || '/', message: parsed.detail }],
      }),
    );
  }
  if (parsed.kind === 'ignored') return ok(ignoredAnswer('not_a_tracking_event', parsed.reason));

  const { trackingNumber, carrier, events, skipped } = parsed.update;
  const shipment = await findShipmentByTracking(db, trackingNumber, carrier);
  if (!shipment) {
    return ok(
      ignoredAnswer(
        'unknown_tracking_number',
        `No shipment has tracking number ${trackingNumber}${carrier ? ` with carrier ${carrier}` : ''}; the update was not recorded.`,
      ),
    );
  }
  const recorded = await inTransaction(db, (tx) =>
    recordTrackingEvents(tx, shipment.id, { source, events, actor: `webhook:${source}` }),
  );
  if (!recorded.ok) return recorded;
  const r = recorded.value;
  return ok({
    status: 200,
    body: {
      result: 'recorded',
      shipment_id: r.shipmentId,
      order_id: r.orderId,
      tracking_number: trackingNumber,
      recorded: r.recorded,
      duplicates: r.duplicates,
      skipped: skipped.length,
      status: r.status,
    },
  });
}
