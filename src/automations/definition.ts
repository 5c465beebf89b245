/**
 * What a rule version says — its trigger, condition and actions — and the checks it passes when
 * it is saved: the condition parses and type-checks against the declared fields, each action has
 * the shape its type needs. A version that is saved always runs.
 */
import { problem, type Problem } from '../shared/problem.ts';
import { notificationTemplateNames } from '../notifications/index.ts';
import { compile } from './expression/index.ts';
import { automationFields } from './fields.ts';

export type Trigger = { event_types: string[] } | { every_minutes: number };

const holdKinds = ['manual', 'review', 'fraud'] as const;

export type Action =
  | { type: 'hold'; kind: (typeof holdKinds)[number]; reason: string }
  | { type: 'release_hold'; kind?: (typeof holdKinds)[number] | undefined }
  | { type: 'add_tag'; tag: string }
  | { type: 'add_note'; note: string }
  | { type: 'cancel'; reason: string }
  | { type: 'call_webhook'; url: string }
  | { type: 'capture'; amount?: 'remaining' | undefined }
  | { type: 'issue_invoice' }
  | { type: 'reroute'; reason?: string | undefined }
  | { type: 'send_notification'; template: string }
  | { type: 'create_task'; queue: string; title: string; due_in_minutes?: number | undefined };

const actionTypes = [
  'hold',
  'release_hold',
  'add_tag',
  'add_note',
  'cancel',
  'call_webhook',
  'capture',
  'issue_invoice',
  'reroute',
  'send_notification',
  'create_task',
] as const;

export interface Definition {
  trigger: Trigger;
  condition: string;
  actions: Action[];
}

interface Violation {
  pointer: string;
  message: string;
  /** For the condition: the zero-based offset in its text. */
  position?: number;
}

const EVENT_TYPE = /^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?)$/;
const TAG = /^[a-z0-9][a-z0-9_:-]{0,63}$/;
const QUEUE = /^[a-z0-9][a-z0-9_-]{0,63}$/;
/** A task's due time, from when the action runs: at most a year. */
const MAX_DUE_IN_MINUTES = 525_600;
const MAX_ACTIONS = 10;

/** A definition as a request carries it: the trigger and actions are checked here, not by the body schema. */
export interface DraftDefinition {
  trigger: { event_types?: string[] | undefined; every_minutes?: number | undefined };
  condition: string;
  actions: Record<string, unknown>[];
}

function readTrigger(raw: DraftDefinition['trigger'], violations: Violation[]): Trigger {
  const { event_types: types, every_minutes: minutes } = raw;
  if ((types === undefined) === (minutes === undefined)) {
    violations.push({ pointer: '/trigger', message: 'must have either event_types or every_minutes' });
    return { event_types: [] };
  }
  if (minutes !== undefined) {
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440)
      violations.push({
        pointer: '/trigger/every_minutes',
        message: 'must be a whole number of minutes from 1 to 1440',
      });
    return { every_minutes: minutes };
  }
  if (types!.length === 0) violations.push({ pointer: '/trigger/event_types', message: 'names no event type' });
  types!.forEach((type, i) => {
    if (!EVENT_TYPE.test(type))
      violations.push({ pointer: `/trigger/event_types/${i}`, message: `"${type}" is not an event type or pattern` });
  });
  return { event_types: types! };
}

const text = (raw: Record<string, unknown>, key: string): string | undefined => {
  const value = raw[key];
  return typeof value === 'string' && value.trim() !== '' && value.length <= 500 ? value : undefined;
};

const isHoldKind = (value: unknown): value is (typeof holdKinds)[number] =>
  typeof value === 'string' && (holdKinds as readonly string[]).includes(value);

/** The action `raw` describes, or what is wrong with it. */
function readAction(raw: Record<string, unknown>): Action | string {
  const allowed = ALLOWED_KEYS[raw.type as string];
  if (!allowed) return `type must be one of ${actionTypes.join(', ')}`;
  const extra = Object.keys(raw).find((key) => key !== 'type' && !allowed.includes(key));
  if (extra) return `a ${String(raw.type)} action has no "${extra}"`;
  switch (raw.type) {
    case 'hold': {
      const reason = text(raw, 'reason');
      if (!isHoldKind(raw.kind) || !reason)
        return `needs a kind (${holdKinds.join(', ')}) and a reason of at most 500 characters`;
      return { type: 'hold', kind: raw.kind, reason };
    }
    case 'release_hold':
      if (raw.kind !== undefined && !isHoldKind(raw.kind)) return `kind must be one of ${holdKinds.join(', ')}`;
      return raw.kind === undefined ? { type: 'release_hold' } : { type: 'release_hold', kind: raw.kind };
    case 'add_tag':
      return typeof raw.tag === 'string' && TAG.test(raw.tag)
        ? { type: 'add_tag', tag: raw.tag }
        : 'tag must be 1–64 lower-case letters, digits, "_", ":" or "-"';
    case 'add_note': {
      const note = text(raw, 'note');
      return note ? { type: 'add_note', note } : 'needs a note of at most 500 characters';
    }
    case 'cancel': {
      const reason = text(raw, 'reason');
      return reason ? { type: 'cancel', reason } : 'needs a reason of at most 500 characters';
    }
    case 'capture':
      if (raw.amount !== undefined && raw.amount !== 'remaining')
        return 'amount may only be "remaining" (what is authorized and not yet captured)';
      return raw.amount === undefined ? { type: 'capture' } : { type: 'capture', amount: 'remaining' };
    case 'issue_invoice':
      return { type: 'issue_invoice' };
    case 'reroute': {
      const reason = text(raw, 'reason');
      if (raw.reason !== undefined && !reason) return 'reason must be text of at most 500 characters';
      return reason ? { type: 'reroute', reason } : { type: 'reroute' };
    }
    case 'send_notification':
      return typeof raw.template === 'string' && notificationTemplateNames.includes(raw.template)
        ? { type: 'send_notification', template: raw.template }
        : `template must be one of ${notificationTemplateNames.join(', ')}`;
    case 'create_task':
      return readCreateTask(raw);
    default: {
      const url = typeof raw.url === 'string' && raw.url.length <= 2000 ? raw.url : '';
      return /^https?:\/\//.test(url) && URL.canParse(url)
        ? { type: 'call_webhook', url }
        : 'url must be an http(s) URL';
    }
  }
}

/** A `create_task` action: a queue, a title, and optionally how many minutes after the action the task is due. */
function readCreateTask(raw: Record<string, unknown>): Action | string {
  if (typeof raw.queue !== 'string' || !QUEUE.test(raw.queue))
    return 'queue must be 1–64 lower-case letters, digits, "_" or "-"';
  const title = text(raw, 'title');
  if (!title || title.length > 200) return 'needs a title of at most 200 characters';
  const due = raw.due_in_minutes;
  if (due === undefined) return { type: 'create_task', queue: raw.queue, title };
  if (typeof due !== 'number' || !Number.isInteger(due) || due < 1 || due > MAX_DUE_IN_MINUTES)
    return `due_in_minutes must be a whole number from 1 to ${MAX_DUE_IN_MINUTES}`;
  return { type: 'create_task', queue: raw.queue, title, due_in_minutes: due };
}

const ALLOWED_KEYS: Readonly<Record<string, readonly string[]>> = {
  hold: ['kind', 'reason'],
  release_hold: ['kind'],
  add_tag: ['tag'],
  add_note: ['note'],
  cancel: ['reason'],
  call_webhook: ['url'],
  capture: ['amount'],
  issue_invoice: [],
  reroute: ['reason'],
  send_notification: ['template'],
  create_task: ['queue', 'title', 'due_in_minutes'],
};

/**
 * Checks a draft: the trigger, the condition (parsed and type-checked against the declared
 * fields) and every action's shape. The definition, or every violation with a JSON pointer into
 * the request body.
 */
export function checkDefinition(
  draft: DraftDefinition,
): { ok: true; definition: Definition } | { ok: false; violations: Violation[] } {
  const violations: Violation[] = [];
  const trigger = readTrigger(draft.trigger, violations);
  const compiled = compile(draft.condition, automationFields);
  if (!compiled.ok) {
    const { position, message } = compiled.error;
    violations.push({ pointer: '/condition', message: `at ${position}: ${message}`, position });
  }
  if (draft.actions.length === 0 || draft.actions.length > MAX_ACTIONS) {
    violations.push({ pointer: '/actions', message: `must list 1 to ${MAX_ACTIONS} actions` });
  }
  const actions: Action[] = [];
  draft.actions.forEach((raw, i) => {
    const action = readAction(raw);
    if (typeof action === 'string') violations.push({ pointer: `/actions/${i}`, message: action });
    else actions.push(action);
  });
  return violations.length > 0
    ? { ok: false, violations }
    : { ok: true, definition: { trigger, condition: draft.condition, actions } };
}

/** The `invalid_automation` problem for a definition's violations. */
export function invalidAutomation(violations: Violation[]): Problem {
  const [first] = violations;
  const more = violations.length > 1 ? ` (and ${violations.length - 1} more; see errors)` : '';
  return problem('invalid_automation', `The automation is not valid: ${first!.pointer} ${first!.message}${more}.`, {
    errors: violations,
  });
}
