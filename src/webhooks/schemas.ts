import { Type, type Static } from '@sinclair/typebox';
import { EVENT_TYPE_PATTERN } from './event-types.ts';

export const deliveryStatuses = ['pending', 'succeeded', 'failed', 'dead'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

const Url = Type.String({
  minLength: 1,
  maxLength: 2048,
  description: 'Where events are POSTed: an absolute http or https URL.',
});
const EventTypes = Type.Array(
  Type.String({
    pattern: EVENT_TYPE_PATTERN,
    maxLength: 200,
    description: 'An exact event type (`order.created`), a prefix wildcard (`order.*`) or `*` for every event.',
  }),
  { minItems: 1, maxItems: 100, uniqueItems: true },
);
const Description = Type.String({ maxLength: 500 });
/** Event IDs are decimal strings, as `GET /v1/events` shows them. */
const EventId = (description = 'An event ID from `GET /v1/events`.') =>
  Type.String({ pattern: '^[1-9][0-9]{0,17}$', description });

export const CreateSubscription = Type.Object(
  {
    url: Url,
    event_types: EventTypes,
    description: Type.Optional(Description),
    channel_id: Type.Optional(
      Type.String({
        pattern: '^chn_[0-9a-z]+$',
        maxLength: 64,
        description: "Only this channel's events: those whose payload carries this `channel_id`.",
      }),
    ),
  },
  { additionalProperties: false },
);
export type CreateSubscription = Static<typeof CreateSubscription>;

export const UpdateSubscription = Type.Object(
  {
    url: Type.Optional(Url),
    event_types: Type.Optional(EventTypes),
    description: Type.Optional(Type.Union([Description, Type.Null()])),
    active: Type.Optional(
      Type.Boolean({ description: 'false pauses deliveries; pending ones wait until it is true again.' }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateSubscription = Static<typeof UpdateSubscription>;

export const ReplayRequest = Type.Object(
  {
    from_event_id: Type.Optional(EventId('Replay events with this ID and later.')),
    since: Type.Optional(
      Type.String({ format: 'date-time', description: 'Replay events created at or after this time.' }),
    ),
    event_ids: Type.Optional(Type.Array(EventId(), { minItems: 1, maxItems: 1000, uniqueItems: true })),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'Which events to send again; several fields narrow the selection together.',
  },
);
export type ReplayRequest = Static<typeof ReplayRequest>;
