import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client.ts';
import { useSession } from '../session.tsx';
import { Badge, Card, ErrorNotice, Loading, Page, Table } from '../ui/common.tsx';
import { formatDateTime } from '../ui/format.ts';
import { useAction, useLoad } from '../ui/load.ts';
import { SimulationsCard } from './routing-simulations.tsx';

interface RuleVersion {
  version: number;
  status: string;
  rules: Record<string, unknown>;
  notes: string | null;
  created_by: string | null;
  created_at: string | null;
  activated_at: string | null;
}

interface RulesResponse {
  active: { version: number | null; rules: Record<string, unknown> };
  drafts: RuleVersion[];
  history: RuleVersion[];
  defaults: Record<string, unknown>;
}

/** The active routing rules, their history, and a draft editor validated by the server before activation. */
export default function RoutingRulesPage() {
  const { api, can } = useSession();
  const rules = useLoad(() => api.get<RulesResponse>('/v1/routing/rules'), [api]);
  if (rules.error) return <ErrorNotice error={rules.error} />;
  if (!rules.data) return <Loading />;
  const data = rules.data;
  return (
    <Page title="Routing rules">
      <Card title={`Active: ${data.active.version == null ? 'the defaults' : `version ${data.active.version}`}`}>
        <pre className="code" tabIndex={0} aria-label="Active rules">
          {JSON.stringify(data.active.rules, null, 2)}
        </pre>
      </Card>
      {can('routing:write') ? <DraftEditor start={data.active.rules} onSaved={rules.reload} /> : null}
      <SimulationsCard drafts={data.drafts.map((d) => d.version).sort((a, b) => b - a)} />
      <Card title="History">
        <History versions={data.history} onActivated={rules.reload} />
      </Card>
    </Page>
  );
}

function History({ versions, onActivated }: { versions: RuleVersion[]; onActivated: () => void }) {
  const { api, can } = useSession();
  const action = useAction();
  if (versions.length === 0) return <p className="muted">No versions saved yet: the defaults route every order.</p>;
  return (
    <>
      <ErrorNotice error={action.error} />
      <Table label="Rule versions">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Status</th>
            <th scope="col">Notes</th>
            <th scope="col">Saved</th>
            <th scope="col">Activated</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.version}>
              <td>{v.version}</td>
              <td>
                <Badge status={v.status} />
              </td>
              <td>{v.notes ?? ''}</td>
              <td>{formatDateTime(v.created_at)}</td>
              <td>{formatDateTime(v.activated_at)}</td>
              <td>
                {v.status === 'draft' && can('routing:write') ? (
                  <button
                    type="button"
                    disabled={action.busy}
                    onClick={() =>
                      void action.run(() => api.post(`/v1/routing/rules/${v.version}/activate`, {}), onActivated)
                    }
                  >
                    Activate version {v.version}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}

function DraftEditor({ start, onSaved }: { start: Record<string, unknown>; onSaved: () => void }) {
  const { api } = useSession();
  const action = useAction();
  const [text, setText] = useState(() => JSON.stringify(start, null, 2));
  const [notes, setNotes] = useState('');
  const [parseError, setParseError] = useState<string>();
  const [saved, setSaved] = useState<number>();
  const save = (event: FormEvent) => {
    event.preventDefault();
    let rules: unknown;
    try {
      rules = JSON.parse(text);
      setParseError(undefined);
    } catch (error) {
      setParseError(`Not valid JSON: ${(error as Error).message}`);
      return;
    }
    void action.run(async () => {
      const draft = await api.put<RuleVersion>('/v1/routing/rules', { rules, ...(notes ? { notes } : {}) });
      setSaved(draft.version);
    }, onSaved);
  };
  const errors =
    action.error instanceof ApiError
      ? (action.error.problem.errors as { path?: string; message: string }[] | undefined)
      : undefined;
  return (
    <Card title="Edit a draft">
      <form onSubmit={save} aria-label="Routing rules draft">
        <label className="wide">
          Rules (JSON)
          <textarea
            className="code"
            rows={16}
            value={text}
            onChange={(e) => setText(e.target.value)}
            spellCheck={false}
          />
        </label>
        <label className="wide">
          Notes
          <input value={notes} onChange={(e) => setNotes(e.target.value)} />
        </label>
        {parseError ? (
          <p role="alert" className="error">
            {parseError}
          </p>
        ) : null}
        <ErrorNotice error={action.error} />
        {errors?.length ? (
          <ul className="error">
            {errors.map((e, i) => (
              <li key={i}>
                {e.path ? <code>{e.path}</code> : null} {e.message}
              </li>
            ))}
          </ul>
        ) : null}
        {saved ? <p role="status">Saved as draft version {saved}. Activate it below.</p> : null}
        <button type="submit" disabled={action.busy}>
          Validate and save draft
        </button>
      </form>
    </Card>
  );
}
