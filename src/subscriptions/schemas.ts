import { Type, type Static } from '@sinclair/typebox';
import { Quantity, Sku } from '../http/schemas.ts';
import { Customer, Money, ShippingAddress } from '../orders/index.ts';

const IntervalSchedule = Type.Object(
  {
    every: Type.Integer({ minimum: 1, maximum: 1000 }),
    unit: Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')]),
  },
  { additionalProperties: false, description: 'Every N days, weeks or months from starts_at (UTC).' },
);

const RRuleSchedule = Type.Object(
  {
    rrule: Type.String({
      minLength: 6,
      maxLength: 500,
      description:
        'RFC 5545 RRULE subset: FREQ=DAILY|WEEKLY|MONTHLY, INTERVAL, BYDAY, BYMONTHDAY, COUNT, UNTIL; DTSTART is starts_at (UTC).',
    }),
  },
  { additionalProperties: false },
);

const SubscriptionLine = Type.Object(
  {
    sku: Sku,
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    quantity: Quantity,
    unit_price: Money,
  },
  { additionalProperties: false },
);

export const CreateSubscription = Type.Object(
  {
    channel: Type.String({ minLength: 1, maxLength: 64, description: 'Channel ID or code' }),
    customer: Customer,
    lines: Type.Array(SubscriptionLine, { minItems: 1, maxItems: 100 }),
    shipping_address: ShippingAddress,
    shipping: Type.Optional(Money),
    schedule: Type.Union([IntervalSchedule, RRuleSchedule]),
    starts_at: Type.Optional(
      Type.String({ format: 'date-time', description: 'The first period (DTSTART); default now.' }),
    ),
    payment: Type.Object(
      {
        gateway: Type.String({ minLength: 1, maxLength: 60 }),
        payment_method: Type.String({
          minLength: 1,
          maxLength: 200,
          description: "The gateway's saved token for the customer's card or wallet, authorized each period.",
        }),
      },
      { additionalProperties: false },
    ),
    catch_up: Type.Optional(
      Type.Union([Type.Literal('all'), Type.Literal('latest_only')], {
        description:
          'After downtime: order every missed period, or only the latest (the rest are skipped). Default all.',
      }),
    ),
    retry: Type.Optional(
      Type.Object(
        {
          max_attempts: Type.Integer({ minimum: 1, maximum: 20 }),
          backoff_seconds: Type.Integer({
            minimum: 1,
            maximum: 604_800,
            description: 'Wait before the 2nd attempt; doubles for each one after.',
          }),
        },
        { additionalProperties: false },
      ),
    ),
    on_failure: Type.Optional(
      Type.Union([Type.Literal('continue'), Type.Literal('pause')], {
        description: 'When a period fails for good: go on with the next (default) or pause.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type CreateSubscription = Static<typeof CreateSubscription>;

export const UpdateSubscription = Type.Object(
  {
    payment: Type.Optional(CreateSubscription.properties.payment),
    shipping_address: Type.Optional(ShippingAddress),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateSubscription = Static<typeof UpdateSubscription>;

export const ActionBody = Type.Object(
  { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) },
  { additionalProperties: false },
);
export type ActionBody = Static<typeof ActionBody>;

export const ListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  status: Type.Optional(Type.String({ maxLength: 100 })),
  channel: Type.Optional(Type.String({ maxLength: 64 })),
  email: Type.Optional(Type.String({ maxLength: 254 })),
});
export type ListQuery = Static<typeof ListQuery> & { limit: number };
