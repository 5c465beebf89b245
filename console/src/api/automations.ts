/**
 * The automations API (`/v1/automations`): every shape and call the console uses for automation
 * rules lives in this file, so a change of that API is a change here.
 */
import type { Api } from './client.ts';

export const holdKinds = ['manual', 'review', 'fraud'] as const;

export type Trigger = { event_types: string[] } | { every_minutes: number };

export type Action =
  | { type: 'hold'; kind: string; reason: string }
  | { type: 'release_hold'; kind?: string }
  | { type: 'add_tag'; tag: string }
  | { type: 'add_note'; note: string }
  | { type: 'cancel'; reason: string }
  | { type: 'call_webhook'; url: string }
  | { type: 'capture'; amount?: 'remaining' }
  | { type: 'issue_invoice' }
  | { type: 'reroute'; reason?: string }
  | { type: 'send_notification'; template: string }
  | { type: 'create_task'; queue: string; title: string; due_in_minutes?: number };

/** The templates a `send_notification` action may name (the server refuses any other when a rule is saved). */
export const notificationTemplates = [
  'order_confirmed',
  'shipped',
  'ready_for_pickup',
  'delivered',
  'return_authorized',
  'refund_issued',
  'promise_changed',
] as const;

export interface Definition {
  trigger: Trigger;
  condition: string;
  actions: Action[];
}

export interface RuleVersion extends Definition {
  version: number;
  status: 'draft' | 'active' | 'retired';
  notes: string | null;
  created_by: string | null;
  created_at: string | null;
  activated_by: string | null;
  activated_at: string | null;
}

export interface Rule {
  id: string;
  name: string;
  created_at: string | null;
  active_version: number | null;
  /** Newest first. */
  versions: RuleVersion[];
}

export interface Field {
  name: string;
  type: string;
}

/** One fault of a definition, as `invalid_automation` lists it. */
export interface Violation {
  pointer: string;
  message: string;
  position?: number;
}

/** What a rule version would have done: each match with the event (none for a schedule) and order. */
export interface DryRun {
  version: number;
  examined: number | null;
  matches: { event_id: number | null; event_type: string | null; order_id: string | null; actions: Action[] }[];
  skipped: Record<string, number>;
}

/** One run of a rule version for an event or order, with its outcome. */
export interface Execution {
  id: number;
  rule_id: string;
  version: number;
  event_id: number | null;
  order_id: string | null;
  status: string;
  attempts: number;
  last_error: string | null;
  created_at: string | null;
}

export const automations = (api: Api) => ({
  list: () => api.get<{ data: Rule[] }>('/v1/automations'),
  fields: () => api.get<{ data: Field[] }>('/v1/automations/fields'),
  validate: (definition: Definition) => api.post<{ valid: true }>('/v1/automations/validate', definition),
  create: (body: Definition & { name: string; notes?: string; activate?: boolean }) =>
    api.post<Rule>('/v1/automations', body),
  saveVersion: (id: string, body: Definition & { notes?: string; activate?: boolean }) =>
    api.post<RuleVersion>(`/v1/automations/${id}/versions`, body),
  activate: (id: string, version: number) =>
    api.post<RuleVersion>(`/v1/automations/${id}/versions/${version}/activate`, {}),
  deactivate: (id: string) => api.post<unknown>(`/v1/automations/${id}/deactivate`, {}),
  dryRun: (id: string, last: number, version?: number) =>
    api.post<DryRun>(`/v1/automations/${id}/dry-run?last=${last}${version ? `&version=${version}` : ''}`, {}),
  executions: (ruleId: string) => api.get<{ data: Execution[] }>('/v1/automations/executions', { rule_id: ruleId }),
});

/** The trigger in words: "on order.created, order.updated" or "every 15 min". */
export function describeTrigger(trigger: Trigger): string {
  return 'every_minutes' in trigger ? `every ${trigger.every_minutes} min` : `on ${trigger.event_types.join(', ')}`;
}

/** An action in words, as a list of them reads on the rules page. */
export function describeAction(action: Action): string {
  switch (action.type) {
    case 'hold':
      return `put on ${action.kind} hold: ${action.reason}`;
    case 'release_hold':
      return action.kind ? `release the ${action.kind} hold` : 'release every hold';
    case 'add_tag':
      return `tag "${action.tag}"`;
    case 'add_note':
      return `note "${action.note}"`;
    case 'cancel':
      return `cancel: ${action.reason}`;
    case 'call_webhook':
      return `call ${action.url}`;
    case 'capture':
      return 'capture what is authorized and not yet captured';
    case 'issue_invoice':
      return 'invoice what was captured and is not yet invoiced';
    case 'reroute':
      return action.reason ? `re-route the open units: ${action.reason}` : 're-route the open units';
    case 'send_notification':
      return `send the customer the "${action.template}" notification`;
    case 'create_task':
      return `task in ${action.queue}: ${action.title}${action.due_in_minutes ? ` (due in ${action.due_in_minutes} min)` : ''}`;
  }
}
