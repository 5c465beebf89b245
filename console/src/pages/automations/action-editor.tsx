import { holdKinds, notificationTemplates, type Action } from '../../api/automations.ts';

/** An action being edited: its type and its fields as the inputs hold them. */
export type ActionDraft = { type: Action['type'] } & Record<string, string>;

interface FieldSpec {
  key: string;
  label: string;
  options?: readonly string[];
  optional?: boolean;
  /** Sent as a number when it is one (the server refuses anything else with its reason). */
  numeric?: boolean;
}

/** What each action type asks for, in the order the form shows it. */
const fieldsOf: Record<Action['type'], FieldSpec[]> = {
  hold: [
    { key: 'kind', label: 'Hold kind', options: holdKinds },
    { key: 'reason', label: 'Reason' },
  ],
  release_hold: [{ key: 'kind', label: 'Hold kind', options: holdKinds, optional: true }],
  add_tag: [{ key: 'tag', label: 'Tag' }],
  add_note: [{ key: 'note', label: 'Note' }],
  cancel: [{ key: 'reason', label: 'Reason' }],
  call_webhook: [{ key: 'url', label: 'URL' }],
  capture: [],
  issue_invoice: [],
  reroute: [{ key: 'reason', label: 'Reason', optional: true }],
  send_notification: [{ key: 'template', label: 'Template', options: notificationTemplates }],
  create_task: [
    { key: 'queue', label: 'Queue' },
    { key: 'title', label: 'Task' },
    { key: 'due_in_minutes', label: 'Due in (minutes)', optional: true, numeric: true },
  ],
};

const typeLabels: Record<Action['type'], string> = {
  hold: 'Put on hold',
  release_hold: 'Release hold',
  add_tag: 'Add a tag',
  add_note: 'Add a note',
  cancel: 'Cancel the order',
  call_webhook: 'Call a webhook',
  capture: 'Capture the authorized payment',
  issue_invoice: 'Invoice what was captured',
  reroute: 'Re-route open units',
  send_notification: 'Notify the customer',
  create_task: 'Create a task',
};

/** What an action without fields does, said where its fields would be. */
const explanations: Partial<Record<Action['type'], string>> = {
  capture: 'Captures everything authorized and not yet captured, once.',
  issue_invoice: 'Issues one invoice for the captures no invoice lists yet; nothing when there are none.',
};

export const actionTypes = Object.keys(fieldsOf) as Action['type'][];

/** A new action of `type` with its select fields on their first choice. */
export function blankAction(type: Action['type']): ActionDraft {
  const draft: ActionDraft = { type };
  for (const field of fieldsOf[type]) draft[field.key] = field.options && !field.optional ? field.options[0]! : '';
  return draft;
}

/** The action a draft describes, leaving out optional fields left empty. */
export function actionOf(draft: ActionDraft): Action {
  const action: Record<string, string | number> = { type: draft.type };
  for (const field of fieldsOf[draft.type]) {
    const value = draft[field.key]?.trim() ?? '';
    if (value !== '' || !field.optional)
      action[field.key] = field.numeric && /^\d+$/.test(value) ? Number(value) : value;
  }
  return action as unknown as Action;
}

/** A saved action as the form edits it. */
export function draftOf(action: Action): ActionDraft {
  const draft = blankAction(action.type);
  for (const [key, value] of Object.entries(action)) if (key !== 'type') draft[key] = String(value);
  return draft;
}

/** One action's row: its type, then the fields that type needs. */
export function ActionEditor({
  index,
  draft,
  onChange,
  onRemove,
}: {
  index: number;
  draft: ActionDraft;
  onChange: (draft: ActionDraft) => void;
  onRemove: () => void;
}) {
  const label = `Action ${index + 1}`;
  return (
    <fieldset className="inline-form" aria-label={label}>
      <legend>{label}</legend>
      <label>
        Do
        <select value={draft.type} onChange={(e) => onChange(blankAction(e.target.value as Action['type']))}>
          {actionTypes.map((type) => (
            <option key={type} value={type}>
              {typeLabels[type]}
            </option>
          ))}
        </select>
      </label>
      {explanations[draft.type] ? <p className="muted">{explanations[draft.type]}</p> : null}
      {fieldsOf[draft.type].map((field) => (
        <label key={field.key}>
          {field.label}
          {field.options ? (
            <select
              value={draft[field.key] ?? ''}
              onChange={(e) => onChange({ ...draft, [field.key]: e.target.value })}
            >
              {field.optional ? <option value="">any</option> : null}
              {field.options.map((option) => (
                <option key={option} value={option}>
                  {option}
                </option>
              ))}
            </select>
          ) : (
            <input
              inputMode={field.numeric ? 'numeric' : undefined}
              value={draft[field.key] ?? ''}
              onChange={(e) => onChange({ ...draft, [field.key]: e.target.value })}
            />
          )}
        </label>
      ))}
      <button type="button" onClick={onRemove}>
        Remove action {index + 1}
      </button>
    </fieldset>
  );
}
