import { parse as parseAftership } from './aftership.ts';
import { parse as parseEasypost } from './easypost.ts';
import { parse as parseShippo } from './shippo.ts';
import type { CarrierSource, ParseOutcome } from './types.ts';

export type { CarrierSource, ParsedEvent, TrackingSource } from './types.ts';
export { carrierSources } from './types.ts';

/** The parser of each service whose webhooks Consign accepts. */
export const carrierParsers: Readonly<Record<CarrierSource, (body: unknown) => ParseOutcome>> = {
  easypost: parseEasypost,
  shippo: parseShippo,
  aftership: parseAftership,
};
