import type { Page as ApiPage } from '../api/types.ts';
import { useSession } from '../session.tsx';
import { Badge, Card, Empty, ErrorNotice, Page, Table } from '../ui/common.tsx';
import { formatDateTime } from '../ui/format.ts';
import { useAction, useLoad } from '../ui/load.ts';

interface Subscription {
  id: string;
  url: string;
  event_types: string[];
  description: string | null;
  active: boolean;
  created_at: string;
}

/** Admin settings: who receives Consign's events. API keys have a page of their own. */
export default function SettingsPage() {
  const { api, me } = useSession();
  const subscriptions = useLoad(
    () => api.get<ApiPage<Subscription>>('/v1/webhook-subscriptions', { limit: 100 }),
    [api],
  );
  return (
    <Page title="Settings">
      <Card title={me.person ? 'You' : 'This key'}>
        <p>
          {me.person ? (
            <>
              <strong>{me.person.name}</strong> ({me.person.email}) · role <strong>{me.role}</strong>
            </>
          ) : (
            <>
              Role <strong>{me.role}</strong> · key <code>{me.key_id}</code>
            </>
          )}
          . API keys are created and revoked on the API keys page, or with <code>consign keys</code>.
        </p>
        {me.person ? <SignOutEverywhere /> : null}
      </Card>
      <Card title="Webhook subscriptions">
        <ErrorNotice error={subscriptions.error} />
        {subscriptions.data?.data.length === 0 ? <Empty>No subscriptions.</Empty> : null}
        {subscriptions.data?.data.length ? (
          <Table label="Webhook subscriptions">
            <thead>
              <tr>
                <th scope="col">URL</th>
                <th scope="col">Events</th>
                <th scope="col">State</th>
                <th scope="col">Since</th>
              </tr>
            </thead>
            <tbody>
              {subscriptions.data.data.map((s) => (
                <tr key={s.id}>
                  <td>
                    <code>{s.url}</code> <span className="muted">{s.description ?? ''}</span>
                  </td>
                  <td>{s.event_types.join(', ')}</td>
                  <td>
                    <Badge status={s.active ? 'active' : 'cancelled'} label={s.active ? 'active' : 'paused'} />
                  </td>
                  <td>{formatDateTime(s.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        ) : null}
      </Card>
    </Page>
  );
}

/** Ends every session of the signed-in person: a lost laptop, a shared computer. */
function SignOutEverywhere() {
  const { api, signOut } = useSession();
  const action = useAction();
  return (
    <>
      <button
        type="button"
        disabled={action.busy}
        onClick={() => void action.run(() => api.post('/v1/auth/sign-out-everywhere'), signOut)}
      >
        Sign out everywhere
      </button>
      <ErrorNotice error={action.error} />
    </>
  );
}
