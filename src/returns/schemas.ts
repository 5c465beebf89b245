import { Type, type Static } from '@sinclair/typebox';
import { Quantity, Sku } from '../http/schemas.ts';
import { returnReasons, shippingRefundPolicies } from './policy.ts';
import { returnStatuses } from './transitions.ts';

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Money = Type.Object(
  {
    amount: Type.Integer({ minimum: 0, maximum: 9_000_000_000_000, description: 'Integer minor units' }),
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217; the order currency' }),
  },
  { additionalProperties: false },
);
const LineId = Type.String({ minLength: 1, maxLength: 64 });

const ReturnLineInput = Type.Object(
  {
    line_id: LineId,
    quantity: Quantity,
    reason: literals(returnReasons),
    comment: Type.Optional(Text(500)),
    exchange: Type.Optional(
      Type.Object(
        {
          sku: Sku,
          unit_price: Type.Optional(Money),
        },
        {
          additionalProperties: false,
          description:
            'Exchange for another SKU: at the returned line’s unit price (an even exchange) unless `unit_price` says otherwise',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

const returnDetails = {
  lines: Type.Array(ReturnLineInput, { minItems: 1, maxItems: 200 }),
  method: literals(['mail_in', 'in_store'] as const),
  location_id: Type.Optional(
    Type.String({ maxLength: 64, description: 'In-store: the store (with the `returns` capability) taking it back' }),
  ),
  carrier: Type.Optional(Text(60)),
  tracking_number: Type.Optional(Text(100)),
  notes: Type.Optional(Text(1000)),
  exchange_payment: Type.Optional(
    Type.Object(
      { gateway: Text(60), reference: Type.Optional(Text(200)) },
      { additionalProperties: false, description: 'Authorizes the difference of an exchange for a dearer SKU' },
    ),
  ),
};

export const CreateReturnBody = Type.Object(
  {
    order_id: Type.String({ maxLength: 64 }),
    ...returnDetails,
    override_window: Type.Optional(Type.Boolean({ description: 'Agents: accept units past the return window' })),
  },
  { additionalProperties: false },
);
export type CreateReturnBody = Static<typeof CreateReturnBody>;

export const SelfServiceBody = Type.Object(
  {
    order_number: Type.String({
      minLength: 1,
      maxLength: 200,
      description: "The channel's order number (external ID)",
    }),
    email: Type.String({ format: 'email', maxLength: 254, description: 'The email the order was placed with' }),
    ...returnDetails,
  },
  { additionalProperties: false },
);
export type SelfServiceBody = Static<typeof SelfServiceBody>;

export const ReceiveBody = Type.Object(
  {
    location_id: Type.Optional(
      Type.String({ maxLength: 64, description: 'Where the units arrived; defaults to the return’s' }),
    ),
    lines: Type.Array(
      Type.Object(
        {
          line_id: LineId,
          quantity: Quantity,
          condition: literals(['new', 'opened', 'used', 'damaged', 'defective'] as const),
          disposition: literals(['restock', 'write_off', 'return_to_vendor'] as const),
          note: Type.Optional(Text(500)),
        },
        { additionalProperties: false },
      ),
      {
        maxItems: 200,
        description: 'May be empty with `close`: a partly received return is closed with what arrived',
      },
    ),
    close: Type.Optional(Type.Boolean({ description: 'Nothing more is coming: finish receiving with what arrived' })),
  },
  { additionalProperties: false },
);
export type ReceiveBody = Static<typeof ReceiveBody>;

export const RefundBody = Type.Object(
  {
    lines: Type.Optional(
      Type.Array(Type.Object({ line_id: LineId, quantity: Quantity }, { additionalProperties: false }), {
        minItems: 1,
        maxItems: 200,
        description: 'Refund these received units only; omitted: every received unit not yet refunded',
      }),
    ),
    refund_shipping: Type.Optional(Type.Boolean({ description: 'Overrides the channel’s shipping refund policy' })),
    restocking_fee: Type.Optional(Money),
  },
  { additionalProperties: false },
);
export type RefundBody = Static<typeof RefundBody>;

export const ReasonBody = Type.Object({ reason: Type.Optional(Text(500)) }, { additionalProperties: false });
export type ReasonBody = Static<typeof ReasonBody>;

export const ReshipBody = Type.Object(
  {
    reason: literals(['lost', 'damaged', 'other'] as const),
    note: Type.Optional(Text(500)),
    shipment_id: Type.Optional(Type.String({ maxLength: 64 })),
    lines: Type.Array(Type.Object({ line_id: LineId, quantity: Quantity }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: 200,
    }),
    override: Type.Optional(
      Type.Object(
        { reason: Text(500) },
        {
          additionalProperties: false,
          description:
            'Reship more than shipped less what earlier reships sent (never more than shipped); the reason and the key are recorded on the order timeline',
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ReshipBody = Static<typeof ReshipBody>;

export const ListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    order_id: Type.Optional(Type.String({ maxLength: 64 })),
    order_number: Type.Optional(
      Type.String({ maxLength: 200, description: "The order's number in its channel (its external_id)" }),
    ),
    customer_email: Type.Optional(Type.String({ maxLength: 254 })),
    status: Type.Optional(literals(returnStatuses)),
  },
  { additionalProperties: false },
);
export type ListQuery = Static<typeof ListQuery> & { limit: number };

export const ChannelPolicyBody = Type.Object(
  {
    window_days: Type.Integer({ minimum: 0, maximum: 3650 }),
    auto_authorize: Type.Boolean(),
    shipping_refund: literals(shippingRefundPolicies),
    restocking_fee_bps: Type.Integer({ minimum: 0, maximum: 10_000, description: 'Basis points: 1000 = 10 %' }),
    imported_orders: Type.Optional(
      Type.Boolean({ description: 'Accept returns against orders imported from a previous system (default false)' }),
    ),
  },
  { additionalProperties: false },
);

export const ProductPolicyBody = Type.Object(
  {
    window_days: Type.Union([Type.Integer({ minimum: 0, maximum: 3650 }), Type.Null()], {
      description: 'Null: the channel’s window applies',
    }),
    returnable: Type.Boolean(),
  },
  { additionalProperties: false },
);
