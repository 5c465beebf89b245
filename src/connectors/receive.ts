import type { Db } from '../db/index.ts';
import { problem } from '../shared/problem.ts';
import { storableText } from '../shared/text.ts';
import { fail, type Result } from '../shared/result.ts';
import { parseExact } from './json.ts';
import { intakeEvent, type EventIntake } from './lifecycle/event.ts';
import { readPlatformEvent, topicHeaders } from './lifecycle/read.ts';
import type { Platform } from './mapping.ts';
import { intakeOrder, type Intake } from './place.ts';
import { recordConnectorError } from './health/health.ts';
import { orderMappers } from './platforms/index.ts';
import { findConnector, type ConnectorRow } from './settings.ts';
import { signatureHeaders, verifyPlatformSignature } from './signature.ts';

interface InboundRequest {
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
  channel: string | undefined;
}

/** Parses platform JSON exactly (IDs beyond 2^53 and decimals as text). */
function parsePlatformJson(raw: string): Result<unknown> {
  if (raw.trim().length === 0) return fail(problem('malformed_json', 'The body is empty; send the platform order.'));
  try {
    // Signed by the platform, which cannot correct it: text Consign cannot store is cleaned (ADR 0015).
    return { ok: true, value: storableText(parseExact(raw)) };
  } catch (error) {
    return fail(problem('malformed_json', `The body is not valid JSON: ${(error as Error).message}`));
  }
}

/** Maps a stored or received payload for a connector and takes it in. */
export async function intakePayload(db: Db, connector: ConnectorRow, raw: string): Promise<Result<Intake>> {
  const parsed = parsePlatformJson(raw);
  if (!parsed.ok) return parsed;
  const mapped = orderMappers[connector.platform](parsed.value, {
    channel: connector.channel_id,
    locationMap: connector.location_map,
  });
  return intakeOrder(db, connector, mapped, raw);
}

/**
 * A received delivery: a whole order is taken as above (placed, or compared with the order
 * Consign has); a cancellation, refund or edit is applied to the order (or kept until it arrives).
 */
async function intakeDelivery(
  db: Db,
  connector: ConnectorRow,
  raw: string,
  topic: string | undefined,
): Promise<Result<Intake | EventIntake>> {
  const parsed = parsePlatformJson(raw);
  if (!parsed.ok) return parsed;
  const event = readPlatformEvent(connector.platform, topic, parsed.value);
  return event.type === 'order' ? intakePayload(db, connector, raw) : intakeEvent(db, connector, event);
}

/**
 * An inbound platform order: the channel's connector, the signature over the exact bytes
 * (before anything is parsed; a bad one writes nothing), then the mapping and the order.
 */
export async function receivePlatformOrder(
  db: Db,
  platform: Platform,
  request: InboundRequest,
): Promise<Result<Intake | EventIntake>> {
  const connector = await findConnector(db, platform, request.channel);
  if (!connector.ok) return connector;
  const received = await receiveFor(db, platform, connector.value, request);
  if (!received.ok) await recordConnectorError(db, connector.value.channel_id, 'inbound', received.problem);
  return received;
}

async function receiveFor(
  db: Db,
  platform: Platform,
  connector: ConnectorRow,
  request: InboundRequest,
): Promise<Result<Intake | EventIntake>> {
  if (!verifyPlatformSignature(platform, request.rawBody, request.headers, connector.secret)) {
    return fail(
      problem(
        'invalid_signature',
        `The ${signatureHeaders[platform]} header does not match the body under this channel's ${platform} secret.`,
      ),
    );
  }
  const topic = request.headers[topicHeaders[platform] ?? ''];
  const raw = request.rawBody.toString('utf8');
  return intakeDelivery(db, connector, raw, typeof topic === 'string' ? topic : undefined);
}
