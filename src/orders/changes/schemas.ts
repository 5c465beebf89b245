import { Type, type Static } from '@sinclair/typebox';
import { Quantity, Sku } from '../../http/schemas.ts';
import { Money, ShippingAddress } from '../schemas.ts';

const Reason = Type.String({ minLength: 1, maxLength: 500 });
const LineId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._:-]+$' });
const strict = { additionalProperties: false } as const;

const AddLine = Type.Object(
  {
    type: Type.Literal('add_line'),
    line_id: Type.Optional(LineId),
    sku: Sku,
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    quantity: Quantity,
    unit_price: Money,
    discount: Type.Optional({ ...Money, description: 'A discount on the new line (for all its units)' }),
    tax: Type.Optional({ ...Money, description: 'The tax of the new line (for all its units)' }),
  },
  strict,
);
const RemoveLine = Type.Object({ type: Type.Literal('remove_line'), line_id: LineId }, strict);
const ChangeQuantity = Type.Object(
  {
    type: Type.Literal('change_quantity'),
    line_id: LineId,
    quantity: {
      ...Quantity,
      description: 'The units the customer now wants (not counting units already cancelled); fewer units are cancelled',
    },
  },
  strict,
);
const ChangePrice = Type.Object(
  {
    type: Type.Literal('change_price'),
    line_id: LineId,
    unit_price: Money,
    tax: Type.Optional({ ...Money, description: "The line's new tax (for all its units); unchanged when omitted" }),
    reason: Reason,
  },
  strict,
);
const ChangeShippingAddress = Type.Object(
  { type: Type.Literal('change_shipping_address'), shipping_address: ShippingAddress },
  strict,
);
const ChangeDeliveryMethod = Type.Object(
  {
    type: Type.Literal('change_delivery_method'),
    delivery_method: Type.Union([Type.Literal('ship'), Type.Literal('pickup'), Type.Literal('curbside')]),
    pickup_location_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  strict,
);
const AddDiscount = Type.Object(
  {
    type: Type.Literal('add_discount'),
    code: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    amount: Money,
  },
  strict,
);
const RemoveDiscount = Type.Object(
  {
    type: Type.Literal('remove_discount'),
    code: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    amount: Money,
  },
  strict,
);
const SetShipping = Type.Object({ type: Type.Literal('set_shipping'), amount: Money }, strict);

export const ChangeAction = Type.Union([
  AddLine,
  RemoveLine,
  ChangeQuantity,
  ChangePrice,
  ChangeShippingAddress,
  ChangeDeliveryMethod,
  AddDiscount,
  RemoveDiscount,
  SetShipping,
]);
export type ChangeAction = Static<typeof ChangeAction>;

export const CreateChange = Type.Object(
  {
    reason: Reason,
    actions: Type.Array(ChangeAction, { minItems: 1, maxItems: 100 }),
  },
  strict,
);
export type CreateChange = Static<typeof CreateChange>;

export const ConfirmChange = Type.Object(
  {
    gateway: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 60,
        description: "For a dearer order: the gateway of the additional authorization (default: the order's latest)",
      }),
    ),
    payment_method: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description:
          "For a dearer order: the card or wallet token to authorize (default: the latest authorization's reference)",
      }),
    ),
  },
  strict,
);
export type ConfirmChange = Static<typeof ConfirmChange>;
