import { Type, type Static } from '@sinclair/typebox';
import { Quantity, Sku, Timestamp } from '../http/schemas.ts';

/** The largest amount Consign takes, in minor units: sums of many stay well inside `int8`. */
export const MAX_AMOUNT = 9_000_000_000_000;

export const Money = Type.Object(
  {
    amount: Type.Integer({ minimum: 0, maximum: MAX_AMOUNT, description: 'Integer minor units (cents)' }),
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217' }),
  },
  { additionalProperties: false },
);
export type Money = Static<typeof Money>;

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

export const Customer = Type.Object(
  {
    id: Type.Optional(Text(100)),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
    name: Type.Optional(Text(200)),
    phone: Type.Optional(Text(40)),
  },
  { additionalProperties: false },
);

export const ShippingAddress = Type.Object(
  {
    name: Type.Optional(Text(200)),
    line1: Text(200),
    line2: Type.Optional(Type.String({ maxLength: 200 })),
    city: Text(100),
    region: Type.Optional(Type.String({ maxLength: 100 })),
    postal_code: Type.Optional(Type.String({ maxLength: 20 })),
    country: Type.String({ pattern: '^[A-Z]{2}$' }),
    phone: Type.Optional(Text(40)),
    latitude: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    longitude: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  },
  { additionalProperties: false },
);
export type ShippingAddress = Static<typeof ShippingAddress>;

const OrderLineInput = Type.Object(
  {
    line_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._:-]+$' })),
    sku: Sku,
    name: Type.Optional(Text(300)),
    quantity: Quantity,
    unit_price: Money,
    discount: Type.Optional({
      ...Money,
      description:
        'A discount on this line only (for all its units); order-level `discounts` are spread over the lines after it',
    }),
    reservation_id: Type.Optional(
      Type.String({
        maxLength: 64,
        description:
          'A cart hold of this order’s channel, holding this line’s SKU, to convert into this order (else 422 reservation_channel_mismatch / reservation_sku_mismatch)',
      }),
    ),
    ship_from_location_id: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description:
          'The location this line must ship from (a marketplace seller, a drop-ship vendor, the store of a store sale): routing plans it there only. It must exist, be active, offer the order’s delivery method (for pickup and curbside: be the order’s store) and belong to the channel’s location group (else 422 ship_from_unusable)',
      }),
    ),
  },
  { additionalProperties: false },
);
type OrderLineInput = Static<typeof OrderLineInput>;

const Adjustment = Type.Object(
  {
    code: Type.Optional(Text(100)),
    description: Type.Optional(Text(300)),
    amount: Money,
  },
  { additionalProperties: false },
);

const Tax = Type.Object(
  { name: Type.Optional(Text(100)), rate: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })), amount: Money },
  { additionalProperties: false },
);

const PaymentInput = Type.Object(
  {
    kind: Type.Literal('authorization'),
    amount: Money,
    gateway: Text(60),
    reference: Type.Optional(Text(200)),
  },
  { additionalProperties: false },
);

export const CreateOrder = Type.Object(
  {
    channel: Type.String({ minLength: 1, maxLength: 64, description: 'Channel ID or code' }),
    external_id: Type.String({ minLength: 1, maxLength: 200, description: "The channel's order ID" }),
    placed_at: Type.Optional(Timestamp),
    customer: Customer,
    lines: Type.Array(OrderLineInput, { minItems: 1, maxItems: 500 }),
    delivery_method: Type.Union([Type.Literal('ship'), Type.Literal('pickup'), Type.Literal('curbside')]),
    shipping_address: Type.Optional(ShippingAddress),
    pickup_location_id: Type.Optional(Type.String({ maxLength: 64 })),
    allow_ship_fallback: Type.Optional(
      Type.Boolean({ description: 'The customer accepts shipping if the store cannot fulfil pickup' }),
    ),
    shipping: Type.Optional(Money),
    discounts: Type.Optional(Type.Array(Adjustment, { maxItems: 50 })),
    taxes: Type.Optional(Type.Array(Tax, { maxItems: 50 })),
    total: Money,
    payments: Type.Optional(Type.Array(PaymentInput, { maxItems: 20 })),
    metadata: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), Type.Unknown(), { maxProperties: 50 })),
  },
  { additionalProperties: false },
);
export type CreateOrder = Static<typeof CreateOrder>;
