import { useState } from 'react';
import { automations, describeAction, type DryRun, type Rule } from '../../api/automations.ts';
import { Link } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { Badge, Card, Empty, ErrorNotice, Table } from '../../ui/common.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { useAction, useLoad } from '../../ui/load.ts';

const orderLink = (id: string | null) => (id ? <Link href={`/orders/${id}`}>{id}</Link> : '');

/** What the rule's version (the active one, else the newest) would have done over the last events; nothing is done. */
export function DryRunCard({ rule }: { rule: Rule }) {
  const { api } = useSession();
  const action = useAction();
  const [last, setLast] = useState('200');
  const [result, setResult] = useState<DryRun>();
  const version = rule.active_version ?? rule.versions[0]?.version;
  const run = () =>
    void action.run(async () => setResult(await automations(api).dryRun(rule.id, Number(last), version)));
  return (
    <Card title="Dry run">
      <div className="inline">
        <label>
          Over the last (events)
          <input type="number" min={1} max={5000} value={last} onChange={(e) => setLast(e.target.value)} />
        </label>
        <button type="button" disabled={action.busy} onClick={run}>
          Dry run version {version}
        </button>
      </div>
      <ErrorNotice error={action.error} />
      {result ? (
        <>
          <p role="status">
            {result.examined === null
              ? `${result.matches.length} open order(s) match now.`
              : `${result.matches.length} of ${result.examined} event(s) would have run the rule.`}
          </p>
          {result.matches.length ? (
            <Table label="Dry run matches">
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Order</th>
                  <th scope="col">Would</th>
                </tr>
              </thead>
              <tbody>
                {result.matches.map((m, i) => (
                  <tr key={i}>
                    <td>{m.event_type ? `${m.event_type} #${m.event_id}` : 'schedule'}</td>
                    <td>{orderLink(m.order_id)}</td>
                    <td>{m.actions.map(describeAction).join('; ')}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
          ) : null}
        </>
      ) : null}
    </Card>
  );
}

/** The rule's executions, newest first, with their outcome and the last error of a failing one. */
export function ExecutionsCard({ rule }: { rule: Rule }) {
  const { api } = useSession();
  const runs = useLoad(() => automations(api).executions(rule.id), [api, rule.id]);
  return (
    <Card title="Executions">
      <ErrorNotice error={runs.error} />
      <p>
        <button type="button" onClick={runs.reload}>
          Refresh executions
        </button>
      </p>
      {runs.data && runs.data.data.length === 0 ? <Empty>The rule has not run yet.</Empty> : null}
      {runs.data?.data.length ? (
        <Table label="Executions">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Version</th>
              <th scope="col">Order</th>
              <th scope="col">Outcome</th>
              <th scope="col">Attempts</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.data.map((x) => (
              <tr key={x.id} data-execution={x.id}>
                <td>{formatDateTime(x.created_at)}</td>
                <td>{x.version}</td>
                <td>{orderLink(x.order_id)}</td>
                <td>
                  <Badge status={x.status} /> {x.last_error ? <span className="muted">{x.last_error}</span> : null}
                </td>
                <td>{x.attempts}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
    </Card>
  );
}
