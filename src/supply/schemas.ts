import { Type, type Static } from '@sinclair/typebox';
import { INT4_MAX, Quantity, Sku } from '../http/schemas.ts';
import { Day } from '../inventory/index.ts';

const Kind = Type.Union([Type.Literal('purchase_order'), Type.Literal('asn'), Type.Literal('transfer')], {
  description: 'A purchase order, an advance shipping notice, or a transfer in transit',
});
const Reference = Type.String({ minLength: 1, maxLength: 200, description: 'Your document number; unique per kind' });
const LocationId = Type.String({ minLength: 1, maxLength: 64, description: 'Location ID or code' });
const ExpectedOn = { ...Day, description: 'The day the goods are expected at the location: today or later' };
const Lines = Type.Array(Type.Object({ sku: Sku, quantity: Quantity }, { additionalProperties: false }), {
  minItems: 1,
  maxItems: 1000,
});

export const CreateSupply = Type.Object(
  { kind: Kind, reference: Reference, location_id: LocationId, expected_on: ExpectedOn, lines: Lines },
  { additionalProperties: false },
);
export type CreateSupply = Static<typeof CreateSupply>;

export const UpdateSupply = Type.Object(
  {
    expected_on: Type.Optional(ExpectedOn),
    lines: Type.Optional({ ...Lines, description: 'Replaces the lines: the expected quantity of every SKU' }),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateSupply = Static<typeof UpdateSupply>;

export const ReceiveSupply = Type.Object(
  {
    lines: Type.Optional(
      Type.Array(
        Type.Object(
          { sku: Sku, quantity: Type.Integer({ minimum: 0, maximum: 1_000_000_000, description: 'Units received' }) },
          { additionalProperties: false },
        ),
        {
          minItems: 1,
          maxItems: 1000,
          description:
            'What arrived per SKU; a SKU left out arrived with none. Leave out to receive what was expected.',
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ReceiveSupply = Static<typeof ReceiveSupply>;

export const SupplyFeed = Type.Object(
  {
    feed_id: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Your ID for this feed' })),
    rows: Type.Array(
      Type.Object(
        {
          kind: Kind,
          reference: Reference,
          location_id: LocationId,
          expected_on: ExpectedOn,
          sku: Sku,
          quantity: Quantity,
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 10_000 },
    ),
  },
  { additionalProperties: false },
);
export type SupplyFeed = Static<typeof SupplyFeed>;

export const SupplyQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('received'), Type.Literal('cancelled')])),
  sku: Type.Optional(Sku),
  location_id: Type.Optional(LocationId),
});
export type SupplyQuery = Static<typeof SupplyQuery> & { limit: number };

export const SupplyParams = Type.Object({ supply_id: Type.String({ minLength: 1, maxLength: 64 }) });
export type SupplyParams = Static<typeof SupplyParams>;

export const PreorderBody = Type.Object(
  {
    enabled: Type.Boolean({ description: 'Whether the SKU may be ordered beyond what is on hand' }),
    cap: Type.Integer({
      minimum: 0,
      maximum: INT4_MAX,
      description: 'At most this many units of the SKU may wait for supply, over all open orders',
    }),
  },
  { additionalProperties: false },
);
export type PreorderBody = Static<typeof PreorderBody>;
