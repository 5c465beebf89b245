import { automations, describeAction, describeTrigger, type Rule } from '../../api/automations.ts';
import { useSession } from '../../session.tsx';
import { Badge, ErrorNotice, Table } from '../../ui/common.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { useAction } from '../../ui/load.ts';

/** Every version of a rule in words, newest first, with activation of a draft and retirement of the active one. */
export function RuleVersions({ rule, onChanged }: { rule: Rule; onChanged: () => void }) {
  const { api, can } = useSession();
  const action = useAction();
  const configure = can('automations:configure');
  return (
    <>
      <ErrorNotice error={action.error} />
      <Table label={`Versions of ${rule.name}`}>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Status</th>
            <th scope="col">When</th>
            <th scope="col">Only if</th>
            <th scope="col">Then</th>
            <th scope="col">Saved</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {rule.versions.map((v) => (
            <tr key={v.version} data-version={v.version}>
              <td>{v.version}</td>
              <td>
                <Badge status={v.status} />
              </td>
              <td>{describeTrigger(v.trigger)}</td>
              <td>
                <code>{v.condition}</code>
              </td>
              <td>
                <ul>
                  {v.actions.map((a, i) => (
                    <li key={i}>{describeAction(a)}</li>
                  ))}
                </ul>
              </td>
              <td>
                {formatDateTime(v.created_at)} {v.created_by ? <span className="muted">by {v.created_by}</span> : null}
                {v.notes ? <div className="muted">{v.notes}</div> : null}
              </td>
              <td>
                {configure && v.status === 'draft' ? (
                  <button
                    type="button"
                    disabled={action.busy}
                    onClick={() => void action.run(() => automations(api).activate(rule.id, v.version), onChanged)}
                  >
                    Activate version {v.version}
                  </button>
                ) : null}
                {configure && v.status === 'active' ? (
                  <button
                    type="button"
                    disabled={action.busy}
                    onClick={() => void action.run(() => automations(api).deactivate(rule.id), onChanged)}
                  >
                    Deactivate
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
