import { useState, type FormEvent } from 'react';
import { ChannelOptions, LocationChecks, useDirectory } from '../directory.tsx';
import { useSession } from '../session.tsx';
import { Badge, Card, Empty, ErrorNotice, Page, Table } from '../ui/common.tsx';
import { formatDateTime } from '../ui/format.ts';
import { useConfirm } from '../ui/confirm.tsx';
import { useAction, useLoad } from '../ui/load.ts';
import { useStatus } from '../ui/status.tsx';

interface ApiKey {
  id: string;
  name: string;
  role: string;
  prefix: string;
  location_ids: string[];
  channel_id: string | null;
  created_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

const keyRoles = ['admin', 'agent', 'fulfillment', 'channel', 'read-only'] as const;

/** Admins' API keys for machines: create one with a role and scope (its secret shown once), see when each was last used, revoke. */
export default function ApiKeysPage() {
  const { api } = useSession();
  const { locationName, channelName } = useDirectory();
  const keys = useLoad(() => api.get<{ data: ApiKey[] }>('/v1/keys'), [api]);
  const [created, setCreated] = useState<{ name: string; secret: string }>();
  const revoke = useAction();
  const confirm = useConfirm();
  const status = useStatus();
  const askRevoke = (key: ApiKey) =>
    confirm.ask({
      title: `Revoke ${key.name}?`,
      body: <p>Every request made with this key is refused from now on. This cannot be undone.</p>,
      confirm: 'Yes, revoke',
      keep: 'Keep it',
      run: () =>
        revoke.run(
          () => api.post(`/v1/keys/${encodeURIComponent(key.id)}/revoke`),
          () => {
            status.say(`Revoked ${key.name}.`);
            keys.reload();
          },
        ),
    });
  const scope = (key: ApiKey) =>
    key.location_ids.length > 0
      ? key.location_ids.map(locationName).join(', ')
      : key.channel_id
        ? channelName(key.channel_id)
        : 'everything';
  return (
    <Page title="API keys">
      <p className="muted">
        Keys are for machines (storefronts, warehouses, scripts); people sign in with their own accounts.
      </p>
      <CreateKey
        onCreated={(key) => {
          setCreated(key);
          keys.reload();
        }}
      />
      {created ? (
        <div className="notice" role="status" aria-label="New key">
          <p>
            Created <strong>{created.name}</strong>. Copy its secret now: it is shown only this once.
          </p>
          <p>
            <code aria-label="Secret">{created.secret}</code>
          </p>
          <button type="button" onClick={() => setCreated(undefined)}>
            I have stored it
          </button>
        </div>
      ) : null}
      <Card title="Keys">
        <ErrorNotice error={keys.error ?? revoke.error} />
        {keys.data?.data.length === 0 ? <Empty>No API keys yet.</Empty> : null}
        {keys.data?.data.length ? (
          <Table label="API keys">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Scope</th>
                <th scope="col">Secret starts</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {keys.data.data.map((key) => (
                <tr key={key.id}>
                  <td>{key.name}</td>
                  <td>{key.role}</td>
                  <td>{scope(key)}</td>
                  <td>
                    <code>{key.prefix}…</code>
                  </td>
                  <td>{key.created_at ? formatDateTime(key.created_at) : '—'}</td>
                  <td>{key.last_used_at ? formatDateTime(key.last_used_at) : 'never'}</td>
                  <td>
                    {key.revoked_at ? (
                      <Badge status="cancelled" label="revoked" />
                    ) : (
                      <button
                        type="button"
                        disabled={revoke.busy}
                        onClick={() => askRevoke(key)}
                        aria-label={`Revoke ${key.name}`}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        ) : null}
      </Card>
      {confirm.dialog}
      {status.region}
    </Page>
  );
}

function CreateKey({ onCreated }: { onCreated: (key: { name: string; secret: string }) => void }) {
  const { api } = useSession();
  const [name, setName] = useState('');
  const [role, setRole] = useState<(typeof keyRoles)[number]>('agent');
  const [locationIds, setLocationIds] = useState<string[]>([]);
  const [channelId, setChannelId] = useState('');
  const create = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void create.run(async () => {
      const key = await api.post<{ name: string; secret: string }>('/v1/keys', {
        role,
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(role === 'fulfillment' ? { location_ids: locationIds } : {}),
        ...(role === 'channel' && channelId ? { channel_id: channelId } : {}),
      });
      setName('');
      onCreated(key);
    });
  };
  return (
    <Card title="Create a key">
      <form onSubmit={submit} aria-label="Create an API key" className="inline">
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. web storefront" />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as (typeof keyRoles)[number])}>
            {keyRoles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        {role === 'channel' ? (
          <label>
            Channel
            <select value={channelId} onChange={(e) => setChannelId(e.target.value)} required>
              <ChannelOptions none="Choose a channel" />
            </select>
          </label>
        ) : null}
        {role === 'fulfillment' ? <LocationChecks value={locationIds} onChange={setLocationIds} /> : null}
        <button type="submit" disabled={create.busy}>
          Create key
        </button>
      </form>
      <ErrorNotice error={create.error} />
    </Card>
  );
}
