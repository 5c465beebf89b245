import { Type, type Static } from '@sinclair/typebox';
import { Id } from '../http/schemas.ts';

export const locationTypes = ['warehouse', 'store', 'distribution_center', '3pl'] as const;
export const capabilities = ['ship', 'pickup', 'curbside', 'returns'] as const;
export const channelTypes = ['web', 'b2b', 'marketplace', 'pos', 'mobile', 'social', 'other'] as const;

const Code = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' });

export const Address = Type.Object(
  {
    line1: Type.String({ minLength: 1, maxLength: 200 }),
    line2: Type.Optional(Type.String({ maxLength: 200 })),
    city: Type.String({ minLength: 1, maxLength: 100 }),
    region: Type.Optional(Type.String({ maxLength: 100 })),
    postal_code: Type.Optional(Type.String({ maxLength: 20 })),
    country: Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' }),
  },
  { additionalProperties: false },
);

const locationFields = {
  code: Type.Optional(Code),
  type: Type.Union(locationTypes.map((t) => Type.Literal(t))),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  address: Address,
  latitude: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  longitude: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  timezone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. America/Chicago' }),
  capabilities: Type.Array(Type.Union(capabilities.map((c) => Type.Literal(c))), { uniqueItems: true, maxItems: 4 }),
  daily_capacity: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 10_000_000 }), Type.Null()])),
  cutoff_time: Type.Optional(
    Type.Union([Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'HH:MM local time' }), Type.Null()]),
  ),
  priority: Type.Optional(Type.Integer({ minimum: -1000, maximum: 1000 })),
  active: Type.Optional(Type.Boolean()),
};

export const CreateLocation = Type.Object(locationFields, { additionalProperties: false });
export type CreateLocation = Static<typeof CreateLocation>;

export const UpdateLocation = Type.Partial(Type.Object(locationFields, { additionalProperties: false }), {
  additionalProperties: false,
  minProperties: 1,
});
export type UpdateLocation = Static<typeof UpdateLocation>;

export const CreateLocationGroup = Type.Object(
  {
    code: Type.Optional(Code),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    location_ids: Type.Array(Id('loc'), { uniqueItems: true, maxItems: 10_000 }),
  },
  { additionalProperties: false },
);
export type CreateLocationGroup = Static<typeof CreateLocationGroup>;

export const UpdateLocationGroup = Type.Partial(CreateLocationGroup, { additionalProperties: false, minProperties: 1 });
export type UpdateLocationGroup = Static<typeof UpdateLocationGroup>;

export const CreateChannel = Type.Object(
  {
    code: Type.Optional(Code),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    type: Type.Union(channelTypes.map((t) => Type.Literal(t))),
    location_group_id: Id('lgr'),
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217' })),
    mode: Type.Optional(
      Type.Union([Type.Literal('live'), Type.Literal('shadow')], {
        description: 'shadow: orders are decided only, beside a legacy system (docs/shadow-mode.md)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type CreateChannel = Static<typeof CreateChannel>;
