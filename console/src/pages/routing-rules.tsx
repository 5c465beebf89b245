import { useEffect, useRef, useState } from 'react';
import { useDirectory } from '../directory.tsx';
import { useSession } from '../session.tsx';
import { Badge, Card, ErrorNotice, Loading, Page, Table } from '../ui/common.tsx';
import { formatDateTime } from '../ui/format.ts';
import { useAction, useLoad } from '../ui/load.ts';
import { capacityText } from './routing-capacity.tsx';
import { Changes, RulesEditor, type Comparison, type Rules } from './routing-rules-form.tsx';
import { SimulationsCard } from './routing-simulations.tsx';

interface RuleVersion {
  version: number;
  status: string;
  rules: Rules;
  notes: string | null;
  created_by: string | null;
  created_at: string | null;
  activated_at: string | null;
}

interface RulesResponse {
  active: { version: number | null; rules: Rules };
  drafts: RuleVersion[];
  history: RuleVersion[];
  defaults: Rules;
}

/** The active routing rules, a form to edit a draft (JSON under "Advanced"), and the history; activation is confirmed with the draft's changes. */
export default function RoutingRulesPage() {
  const { api, can } = useSession();
  const rules = useLoad(() => api.get<RulesResponse>('/v1/routing/rules'), [api]);
  const [confirming, setConfirming] = useState<number>();
  const [activated, setActivated] = useState<number>();
  const [simulations, setSimulations] = useState(0);
  if (rules.error) return <ErrorNotice error={rules.error} />;
  if (!rules.data) return <Loading />;
  const data = rules.data;
  const confirm = (version: number) => {
    setActivated(undefined);
    setConfirming(version);
  };
  return (
    <Page title="Routing rules">
      <Card title={`Active: ${data.active.version == null ? 'the defaults' : `version ${data.active.version}`}`}>
        {activated ? <p role="status">Version {activated} is active.</p> : null}
        <details>
          <summary>The active rules as JSON</summary>
          <pre className="code" tabIndex={0} aria-label="Active rules">
            {JSON.stringify(data.active.rules, null, 2)}
          </pre>
        </details>
      </Card>
      {can('routing:write') ? (
        <RulesEditor
          key={data.active.version ?? 0}
          start={data.active.rules}
          onSaved={rules.reload}
          onActivate={confirm}
          onSimulated={() => setSimulations((n) => n + 1)}
        />
      ) : (
        <DailyCapacity />
      )}
      <SimulationsCard key={simulations} drafts={data.drafts.map((d) => d.version).sort((a, b) => b - a)} />
      <Card title="History">
        <History versions={data.history} onActivate={confirm} />
      </Card>
      {confirming ? (
        <ConfirmActivation
          version={confirming}
          onClose={() => setConfirming(undefined)}
          onActivated={() => {
            setConfirming(undefined);
            setActivated(confirming);
            rules.reload();
          }}
        />
      ) : null}
    </Page>
  );
}

/** "Activate version 4?" with its changes against the active version; nothing happens until confirmed. */
function ConfirmActivation({
  version,
  onClose,
  onActivated,
}: {
  version: number;
  onClose: () => void;
  onActivated: () => void;
}) {
  const { api } = useSession();
  const action = useAction();
  const dialog = useRef<HTMLDialogElement>(null);
  const comparison = useLoad(() => api.post<Comparison>('/v1/routing/rules/compare', { version }), [api, version]);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);
  return (
    <dialog ref={dialog} aria-labelledby="activate-title" onCancel={onClose} className="confirm">
      <h2 id="activate-title">Activate version {version}?</h2>
      <p>Every order routed from now on follows these rules.</p>
      <ErrorNotice error={comparison.error} />
      {comparison.data ? <Changes comparison={comparison.data} title="What changes" /> : <Loading />}
      <ErrorNotice error={action.error} />
      <div className="actions">
        <button
          type="button"
          disabled={action.busy || !comparison.data}
          onClick={() => void action.run(() => api.post(`/v1/routing/rules/${version}/activate`, {}), onActivated)}
        >
          Activate version {version}
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}

/** Each location's daily capacity, for those who read the rules without editing them. */
function DailyCapacity() {
  const { locations } = useDirectory();
  return (
    <Card title="Daily capacity">
      <ul aria-label="Daily capacity by location">
        {locations.map((l) => (
          <li key={l.id}>
            {l.name}: {capacityText(l.daily_capacity)}
          </li>
        ))}
      </ul>
      <p className="muted">Set on each location (fulfillment orders a day); it applies to routing at once.</p>
    </Card>
  );
}

function History({ versions, onActivate }: { versions: RuleVersion[]; onActivate: (version: number) => void }) {
  const { can } = useSession();
  if (versions.length === 0) return <p className="muted">No versions saved yet: the defaults route every order.</p>;
  return (
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
                <button type="button" onClick={() => onActivate(v.version)}>
                  Activate version {v.version}…
                </button>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
