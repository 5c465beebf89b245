import { Type, type Static } from '@sinclair/typebox';
import { NonNegativeQuantity, Sku, Timestamp } from '../http/schemas.ts';

const LocationId = Type.String({ minLength: 1, maxLength: 64 });
const SignedQuantity = Type.Integer({ minimum: -1_000_000_000, maximum: 1_000_000_000 });
const Reason = Type.String({ minLength: 1, maxLength: 500 });

export const LevelParams = Type.Object({
  location_id: { ...LocationId, description: 'Location ID or code' },
  sku: Type.String({ minLength: 1, maxLength: 100 }),
});
export type LevelParams = Static<typeof LevelParams>;

export const SetLevelBody = Type.Object(
  {
    on_hand: NonNegativeQuantity,
    safety_stock: Type.Optional(NonNegativeQuantity),
    as_of: Type.Optional({
      ...Timestamp,
      description:
        'When the count was taken, at most 5 minutes ahead of the server clock (else 422 as_of_in_future); a count older than the applied one is ignored. Leave it out for a count taken now, which always applies.',
    }),
    reason: Type.Optional(Reason),
  },
  { additionalProperties: false },
);
export type SetLevelBody = Static<typeof SetLevelBody>;

export const AdjustmentBody = Type.Object(
  {
    reason: Reason,
    reference: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'Your document: PO, ASN, count sheet' }),
    ),
    movements: Type.Array(
      Type.Object(
        {
          kind: Type.Union([Type.Literal('receipt'), Type.Literal('adjustment'), Type.Literal('transfer')]),
          sku: Sku,
          location_id: LocationId,
          quantity: { ...SignedQuantity, description: 'receipt/transfer: positive; adjustment: signed, non-zero' },
          to_location_id: Type.Optional(LocationId),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 1000 },
    ),
  },
  { additionalProperties: false },
);
export type AdjustmentBody = Static<typeof AdjustmentBody>;

export const FeedBody = Type.Object(
  {
    feed_id: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'Your ID for this feed; resending it is a no-op',
    }),
    mode: Type.Union([Type.Literal('snapshot'), Type.Literal('delta')]),
    as_of: {
      ...Timestamp,
      description:
        'When the source system produced the data; at most 5 minutes ahead of the server clock (else 422 as_of_in_future)',
    },
    source: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'ERP, WMS, POS…' })),
    snapshot_scope: Type.Optional(
      Type.Union([Type.Literal('rows'), Type.Literal('locations')], {
        description: '`locations`: SKUs at the feed’s locations that the rows omit are counted as zero',
      }),
    ),
    rows: Type.Array(
      Type.Object(
        {
          location_id: LocationId,
          sku: Sku,
          on_hand: Type.Optional(NonNegativeQuantity),
          quantity: Type.Optional(SignedQuantity),
          safety_stock: Type.Optional(NonNegativeQuantity),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 10_000 },
    ),
  },
  { additionalProperties: false },
);
export type FeedBody = Static<typeof FeedBody>;

export const LedgerQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  sku: Type.Optional(Type.String({ maxLength: 100 })),
  location_id: Type.Optional(LocationId),
  kind: Type.Optional(Type.String({ maxLength: 30 })),
  reference_id: Type.Optional(Type.String({ maxLength: 200 })),
  order: Type.Optional(
    Type.Union([Type.Literal('asc'), Type.Literal('desc')], {
      default: 'asc',
      description: '`asc`: oldest first; `desc`: newest first',
    }),
  ),
});
export type LedgerQuery = Static<typeof LedgerQuery> & { limit: number };

/** A calendar day, `YYYY-MM-DD`. */
export const Day = Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$', maxLength: 10 });

const scopeFields = {
  location_group: Type.Optional(Type.String({ maxLength: 64, description: 'Location group ID or code' })),
  channel: Type.Optional(Type.String({ maxLength: 64, description: 'Channel ID or code: its location group' })),
  location_id: Type.Optional(LocationId),
  on: Type.Optional({
    ...Day,
    description:
      'Availability on this day (today or later, else 422 date_in_past): available now plus open supply expected by then, less what waiting orders are promised',
  }),
};

export const AvailabilityQuery = Type.Object({
  skus: Type.String({ minLength: 1, maxLength: 60_000, description: 'Comma-separated SKUs, at most 1,000' }),
  ...scopeFields,
});
export type AvailabilityQuery = Static<typeof AvailabilityQuery>;

export const AvailabilityBody = Type.Object(
  { skus: Type.Array(Sku, { minItems: 1, maxItems: 1000 }), ...scopeFields },
  { additionalProperties: false },
);
export type AvailabilityBody = Static<typeof AvailabilityBody>;

const Count = Type.Integer();
/** The answer of both availability endpoints; also what the response serializer compiles. */
export const AvailabilityResponse = Type.Object({
  data: Type.Array(
    Type.Object({
      sku: Type.String(),
      available: Count,
      on_hand: Count,
      reserved: Count,
      locations: Type.Array(
        Type.Object({
          location_id: Type.String(),
          available: Count,
          on_hand: Count,
          reserved: Count,
          safety_stock: Count,
          incoming: Type.Optional(Count),
          promised: Type.Optional(Count),
        }),
      ),
      incoming: Type.Optional({ ...Count, description: 'With `on`: open supply expected by then' }),
      promised: Type.Optional({ ...Count, description: 'With `on`: units of waiting orders promised by then' }),
    }),
  ),
  on: Type.Optional(Type.String({ description: 'The day asked for, when `on` was given' })),
  unknown_skus: Type.Array(Type.String(), { description: 'Asked-for SKUs that are not products' }),
});

export const TimelineQuery = Type.Object({
  sku: Sku,
  location_id: Type.Optional(LocationId),
  channel: scopeFields.channel,
  location_group: scopeFields.location_group,
});
export type TimelineQuery = Static<typeof TimelineQuery>;

export const TimelineResponse = Type.Object({
  sku: Type.String(),
  locations: Type.Array(
    Type.Object({
      location_id: Type.String(),
      days: Type.Array(
        Type.Object({
          on: Type.String(),
          incoming: Count,
          promised: Count,
          available: Count,
          supply_ids: Type.Array(Type.String()),
        }),
      ),
    }),
  ),
});
