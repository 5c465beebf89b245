import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client.ts';
import { automations, type Definition, type Field, type Rule, type Violation } from '../../api/automations.ts';
import { useSession } from '../../session.tsx';
import { Card, ErrorNotice } from '../../ui/common.tsx';
import { useAction } from '../../ui/load.ts';
import { ActionEditor, actionOf, blankAction, draftOf, type ActionDraft } from './action-editor.tsx';
import { ConditionInput } from './condition-input.tsx';

/** Where the form starts: a rule's latest version, or an example for a new rule. */
function startOf(rule: Rule | undefined) {
  const latest = rule?.versions[0];
  if (!latest) {
    return {
      mode: 'events' as const,
      eventTypes: 'order.created',
      minutes: '15',
      condition: 'order.total_minor > 50000',
      actions: [blankAction('hold')],
    };
  }
  const { trigger } = latest;
  return {
    mode: 'every_minutes' in trigger ? ('schedule' as const) : ('events' as const),
    eventTypes: 'event_types' in trigger ? trigger.event_types.join(', ') : '',
    minutes: 'every_minutes' in trigger ? String(trigger.every_minutes) : '15',
    condition: latest.condition,
    actions: latest.actions.map(draftOf),
  };
}

/**
 * A rule's definition as a form: the trigger (events or a schedule), the condition checked by
 * the server as it is typed out, and the actions one by one. Saving makes a draft version, or
 * activates it at once.
 */
export function RuleForm({ rule, fields, onSaved }: { rule?: Rule; fields: Field[]; onSaved: (id: string) => void }) {
  const { api } = useSession();
  const action = useAction();
  const start = startOf(rule);
  const [name, setName] = useState('');
  const [mode, setMode] = useState<'events' | 'schedule'>(start.mode);
  const [eventTypes, setEventTypes] = useState(start.eventTypes);
  const [minutes, setMinutes] = useState(start.minutes);
  const [condition, setCondition] = useState(start.condition);
  const [actions, setActions] = useState<ActionDraft[]>(start.actions);
  const [notes, setNotes] = useState('');
  const [checked, setChecked] = useState<string>();

  const definition = (): Definition => ({
    trigger:
      mode === 'schedule'
        ? { every_minutes: Number(minutes) }
        : {
            event_types: eventTypes
              .split(',')
              .map((t) => t.trim())
              .filter(Boolean),
          },
    condition,
    actions: actions.map(actionOf),
  });
  const violations =
    action.error instanceof ApiError && action.error.problem.code === 'invalid_automation'
      ? ((action.error.problem.errors as Violation[] | undefined) ?? [])
      : [];
  const conditionFault = violations.find((v) => v.pointer === '/condition');

  const check = () =>
    void action.run(async () => {
      setChecked(undefined);
      await automations(api).validate(definition());
      setChecked('The rule is valid.');
    });
  const save = (activate: boolean) => (event?: FormEvent) => {
    event?.preventDefault();
    setChecked(undefined);
    void action.run(async () => {
      const body = { ...definition(), ...(notes ? { notes } : {}), activate };
      const id = rule
        ? (await automations(api).saveVersion(rule.id, body), rule.id)
        : (await automations(api).create({ ...body, name })).id;
      onSaved(id);
    });
  };

  return (
    <Card title={rule ? `New version of ${rule.name}` : 'New automation rule'}>
      <form onSubmit={save(false)} aria-label="Automation rule">
        {rule ? null : (
          <label className="wide">
            Name
            <input required value={name} onChange={(e) => setName(e.target.value)} />
          </label>
        )}
        <fieldset className="inline">
          <legend>When</legend>
          <label>
            <input type="radio" checked={mode === 'events'} onChange={() => setMode('events')} /> An event happens
          </label>
          <label>
            <input type="radio" checked={mode === 'schedule'} onChange={() => setMode('schedule')} /> On a schedule
          </label>
          {mode === 'events' ? (
            <label className="wide">
              Event types (comma-separated; order.* matches every order event)
              <input value={eventTypes} onChange={(e) => setEventTypes(e.target.value)} />
            </label>
          ) : (
            <label>
              Every (minutes)
              <input type="number" min={1} max={1440} value={minutes} onChange={(e) => setMinutes(e.target.value)} />
            </label>
          )}
        </fieldset>
        <ConditionInput value={condition} onChange={setCondition} fields={fields} fault={conditionFault} />
        {actions.map((draft, i) => (
          <ActionEditor
            key={i}
            index={i}
            draft={draft}
            onChange={(next) => setActions(actions.map((a, j) => (j === i ? next : a)))}
            onRemove={() => setActions(actions.filter((_, j) => j !== i))}
          />
        ))}
        <p>
          <button type="button" onClick={() => setActions([...actions, blankAction('add_tag')])}>
            Add an action
          </button>
        </p>
        <label className="wide">
          Notes
          <input value={notes} onChange={(e) => setNotes(e.target.value)} />
        </label>
        {checked ? <p role="status">{checked}</p> : null}
        <ErrorNotice error={action.error} />
        {violations.length ? (
          <ul className="error" aria-label="Problems with the rule">
            {violations.map((v, i) => (
              <li key={i}>
                <code>{v.pointer}</code> {v.message}
              </li>
            ))}
          </ul>
        ) : null}
        <div className="inline">
          <button type="button" disabled={action.busy} onClick={check}>
            Check
          </button>
          <button type="submit" disabled={action.busy}>
            Save draft
          </button>
          <button type="button" disabled={action.busy} onClick={save(true)}>
            Save and activate
          </button>
        </div>
      </form>
    </Card>
  );
}
