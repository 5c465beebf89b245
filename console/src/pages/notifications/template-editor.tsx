import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client.ts';
import {
  notifications,
  partsInUse,
  templateChannels,
  type Preview,
  type Template,
  type TemplateChannel,
  type TemplateParts,
} from '../../api/notifications.ts';
import { useSession } from '../../session.tsx';
import { Card, ErrorNotice } from '../../ui/common.tsx';
import { humanize } from '../../ui/format.ts';
import { useAction } from '../../ui/load.ts';

const channelLabels: Record<TemplateChannel, string> = {
  all: 'Every channel without its own',
  email: 'E-mail',
  sms: 'Text message (SMS)',
  push: 'Push message',
};

type Part = keyof TemplateParts;

/** The API's reasons per part: `template_invalid` names one part, a refused request body points at fields. */
function partProblems(error: Error | undefined): Partial<Record<Part, string>> {
  if (!(error instanceof ApiError)) return {};
  const { problem } = error;
  if (problem.code === 'template_invalid' && typeof problem.part === 'string')
    return { [problem.part]: String(problem.reason ?? problem.detail) };
  if (problem.code === 'validation_failed' && Array.isArray(problem.errors)) {
    const found: Partial<Record<Part, string>> = {};
    for (const e of problem.errors as { pointer: string; message: string }[]) {
      const part = e.pointer.replace(/^\/(template\/)?/, '');
      if (part === 'subject' || part === 'text' || part === 'html') found[part] = e.message;
    }
    return found;
  }
  return {};
}

const isTemplateChanged = (error: Error | undefined) =>
  error instanceof ApiError && error.problem.code === 'template_changed';

/**
 * A template of one kind and locale: the channel whose edit to make, its subject, text and HTML
 * parts as text, the variables they may use, a preview with sample data or a real order, saving
 * (refused parts are shown under their field; an edit saved meanwhile offers a reload) and a
 * reset to the built-in template.
 */
export function TemplateEditor({
  template,
  fields,
  onChanged,
  onClose,
}: {
  template: Template;
  fields: string[];
  onChanged: () => void;
  onClose: () => void;
}) {
  const { can } = useSession();
  const [channel, setChannel] = useState<TemplateChannel>('all');
  const title = `${humanize(template.kind)} (${template.locale})`;
  return (
    <Card title={`Template: ${title}`} id="template">
      <div className="inline">
        <label>
          Channel
          {/* Opening a template from the list takes the keyboard to its editor. */}
          <select autoFocus value={channel} onChange={(e) => setChannel(e.target.value as TemplateChannel)}>
            {templateChannels.map((c) => (
              <option key={c} value={c}>
                {channelLabels[c]}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <PartsForm
        key={channel}
        template={template}
        channel={channel}
        fields={fields}
        editable={can('notifications:configure')}
        onChanged={onChanged}
      />
    </Card>
  );
}

function PartsForm({
  template,
  channel,
  fields,
  editable,
  onChanged,
}: {
  template: Template;
  channel: TemplateChannel;
  fields: string[];
  editable: boolean;
  /** The template changed (saved or reset here) or is to be read again: load it anew. */
  onChanged: () => void;
}) {
  const { api } = useSession();
  const action = useAction();
  const start = partsInUse(template, channel);
  const [parts, setParts] = useState<TemplateParts>(start.parts);
  const [orderId, setOrderId] = useState('');
  const [preview, setPreview] = useState<Preview>();
  const [note, setNote] = useState<string>();
  const own = template.edited.find((e) => e.channel === channel);
  const withHtml = channel === 'all' || channel === 'email';
  const draft = (): TemplateParts => ({ ...parts, html: withHtml ? parts.html || null : null });
  const problems = partProblems(action.error);
  const set = (part: Part) => (event: { target: { value: string } }) =>
    setParts({ ...parts, [part]: event.target.value });

  const runPreview = () =>
    void action.run(async () => {
      setNote(undefined);
      setPreview(await notifications(api).preview(template, channel, draft(), orderId.trim()));
    });
  const save = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      setNote(undefined);
      await notifications(api).saveTemplate(template, channel, draft(), own?.updated_at ?? null);
      setNote('Saved. Messages queued from now on use this template; those already queued keep their words.');
      onChanged();
    });
  };
  const reset = () => {
    const what = channel === 'all' ? 'the edit for every channel' : `the ${channelLabels[channel]} edit`;
    if (!window.confirm(`Remove ${what} of ${humanize(template.kind)} (${template.locale})?`)) return;
    // The form starts again from what is in use without this channel's edit.
    const after = partsInUse({ ...template, edited: template.edited.filter((e) => e.channel !== channel) }, channel);
    void action.run(
      () => notifications(api).resetTemplate(template, channel),
      () => {
        setParts(after.parts);
        setPreview(undefined);
        setNote(`Reset: the ${after.from} template is in use again.`);
        onChanged();
      },
    );
  };
  const reload = () => {
    action.clear();
    onChanged();
    setNote('Reloaded the template: your edits stay in the form; save again to replace the one saved meanwhile.');
  };
  const field = (part: Part, label: string, rows?: number) => {
    const id = `template-${part}`;
    const problem = problems[part];
    const common = {
      id,
      value: parts[part] ?? '',
      onChange: set(part),
      readOnly: !editable,
      spellCheck: part !== 'html',
      'aria-invalid': problem ? true : undefined,
      'aria-describedby': problem ? `${id}-problem` : undefined,
    };
    return (
      <div className="wide">
        <label className="wide" htmlFor={id}>
          {label}
        </label>
        {rows ? <textarea className="code" rows={rows} {...common} /> : <input className="full" {...common} />}
        {problem ? (
          <p className="error" id={`${id}-problem`}>
            {problem}
          </p>
        ) : null}
      </div>
    );
  };

  return (
    <form onSubmit={save} aria-label="Notification template">
      <p className="muted">
        Starts from the {start.from} template.
        {template.transactional ? '' : ' Customers may opt out of this kind: keep {{unsubscribe_url}} in it.'}
      </p>
      {field('subject', 'Subject')}
      {field('text', 'Text part', 8)}
      {withHtml ? field('html', 'HTML part (e-mail)', 12) : null}
      <details>
        <summary>Variables a template can use</summary>
        <ul className="muted" aria-label="Template variables">
          {fields.map((name) => (
            <li key={name}>
              <code>{`{{${name}}}`}</code>
            </li>
          ))}
        </ul>
        <p className="muted">
          Any of them may be empty for a kind without it: wrap it in <code>{'{{#if name}}…{{/if}}'}</code>. Only the
          helpers <code>if</code>, <code>unless</code>, <code>each</code> and <code>with</code> are known.
        </p>
      </details>
      <div className="inline">
        <label>
          Preview with order ID (blank: a sample order)
          <input value={orderId} onChange={(e) => setOrderId(e.target.value)} />
        </label>
        <button type="button" disabled={action.busy} onClick={runPreview}>
          Preview
        </button>
        {editable ? (
          <>
            <button type="submit" disabled={action.busy}>
              Save
            </button>
            {own ? (
              <button type="button" className="danger" disabled={action.busy} onClick={reset}>
                Reset to built-in
              </button>
            ) : null}
          </>
        ) : null}
      </div>
      {note ? (
        <p role="status" className="notice">
          {note}
        </p>
      ) : null}
      {isTemplateChanged(action.error) ? (
        <div role="alert" className="error" data-testid="template-changed">
          <strong>{action.error instanceof ApiError ? action.error.problem.title : ''}</strong>
          <code> template_changed</code>
          <div>Someone saved or reset this template while you were editing it. Reload it to go on from theirs.</div>
          <button type="button" onClick={reload}>
            Reload template
          </button>
        </div>
      ) : Object.keys(problems).length ? null : (
        <ErrorNotice error={action.error} />
      )}
      {preview ? <PreviewPane preview={preview} /> : null}
    </form>
  );
}

function PreviewPane({ preview }: { preview: Preview }) {
  return (
    <section aria-label="Preview" className="preview">
      <h3>Preview ({preview.order_id ? `order ${preview.order_id}` : 'sample order'})</h3>
      <p>
        <strong>Subject:</strong> <span data-testid="preview-subject">{preview.subject}</span>
      </p>
      {preview.html !== null ? (
        // No scripts, no forms, no navigation: the HTML is shown, nothing in it runs.
        <iframe className="preview" title="HTML preview" sandbox="" srcDoc={preview.html} />
      ) : null}
      <pre className="code" aria-label="Text preview">
        {preview.text}
      </pre>
    </section>
  );
}
