import { Type, type Static } from '@sinclair/typebox';
import { INT4_MAX } from '../http/schemas.ts';

const Trigger = Type.Object(
  {
    event_types: Type.Optional(
      Type.Array(Type.String({ maxLength: 100 }), {
        maxItems: 50,
        description: 'Event types (`order.created`) or patterns (`order.*`, `*`) that trigger the rule',
      }),
    ),
    // Bounded to an integer's range here; the definition check refuses what is outside 1–1440 with its own code.
    every_minutes: Type.Optional(
      Type.Integer({
        minimum: -INT4_MAX,
        maximum: INT4_MAX,
        description: 'Or: look at open orders every N minutes (1–1440); each order at most once',
      }),
    ),
  },
  { additionalProperties: false },
);

const Action = Type.Object(
  {
    type: Type.String({
      maxLength: 40,
      description:
        'hold, release_hold, add_tag, add_note, cancel, call_webhook, capture, issue_invoice, reroute, send_notification, create_task',
    }),
  },
  { additionalProperties: true, description: 'One action; its other fields depend on its type (docs/automations.md)' },
);

const definition = {
  trigger: Trigger,
  condition: Type.String({
    maxLength: 2000,
    description: 'A condition in the expression language (docs/automations.md)',
  }),
  actions: Type.Array(Action, { maxItems: 50 }),
  notes: Type.Optional(Type.String({ maxLength: 2000 })),
};

export const DefinitionBody = Type.Object(
  { ...definition, activate: Type.Optional(Type.Boolean({ description: 'Activate the new version at once' })) },
  { additionalProperties: false },
);
export type DefinitionBody = Static<typeof DefinitionBody>;

export const CreateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    ...definition,
    activate: Type.Optional(Type.Boolean({ description: 'Activate the first version at once' })),
  },
  { additionalProperties: false },
);
export type CreateBody = Static<typeof CreateBody>;

export const RuleParams = Type.Object({ id: Type.String({ pattern: '^aut_[0-9a-z]+$', maxLength: 64 }) });
export const VersionParams = Type.Object({
  id: Type.String({ pattern: '^aut_[0-9a-z]+$', maxLength: 64 }),
  version: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
});
