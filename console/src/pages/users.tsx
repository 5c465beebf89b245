import { useState, type FormEvent } from 'react';
import { LocationChecks, useDirectory } from '../directory.tsx';
import { useSession } from '../session.tsx';
import { Badge, Card, Empty, ErrorNotice, Page, Table } from '../ui/common.tsx';
import { formatDateTime } from '../ui/format.ts';
import { useConfirm } from '../ui/confirm.tsx';
import { useAction, useLoad } from '../ui/load.ts';
import { useStatus } from '../ui/status.tsx';

interface Person {
  id: string;
  email: string;
  name: string;
  role: PersonRole;
  location_ids: string[];
  disabled: boolean;
  has_password: boolean;
  sso: boolean;
  locked_until: string | null;
  created_at: string | null;
}

const personRoles = ['admin', 'agent', 'fulfillment', 'read-only'] as const;
type PersonRole = (typeof personRoles)[number];

/** A one-time sign-in link the API answered: shown once, like an API key's secret. */
interface ShownLink {
  email: string;
  url: string;
}

const stateOf = (p: Person) =>
  p.disabled
    ? { status: 'cancelled', label: 'disabled' }
    : p.locked_until
      ? { status: 'on_hold', label: `locked until ${formatDateTime(p.locked_until)}` }
      : p.has_password || p.sso
        ? { status: 'active', label: 'active' }
        : { status: 'created', label: 'invited' };

/** Admins' page for the people who sign in: invite (a one-time link shown once), change role and locations, disable, new link. */
export default function UsersPage() {
  const { api } = useSession();
  const { locationName } = useDirectory();
  const people = useLoad(() => api.get<{ data: Person[] }>('/v1/users'), [api]);
  const [link, setLink] = useState<ShownLink>();
  const [editing, setEditing] = useState<string>();
  const act = useAction();
  const confirm = useConfirm();
  const status = useStatus();
  const done = (message: string) => {
    status.say(message);
    people.reload();
  };
  const askDisable = (person: Person) =>
    confirm.ask({
      title: `Disable ${person.name}?`,
      body: <p>They can no longer sign in, and their open sessions end now.</p>,
      confirm: 'Yes, disable',
      keep: 'Keep them',
      run: () =>
        act.run(
          () => api.patch(`/v1/users/${encodeURIComponent(person.id)}`, { disabled: true }),
          () => done(`Disabled ${person.name}.`),
        ),
    });
  const newLink = (person: Person) =>
    act.run(
      async () => {
        const answer = await api.post<{ sign_in_link: string }>(
          `/v1/users/${encodeURIComponent(person.id)}/sign-in-link`,
        );
        setLink({ email: person.email, url: answer.sign_in_link });
      },
      () => done(`Made a new sign-in link for ${person.name}.`),
    );
  return (
    <Page title="Users">
      <p className="muted">People sign in with their e-mail; machines use API keys.</p>
      <InvitePerson
        onInvited={(person) => {
          setLink({ email: person.email, url: person.sign_in_link });
          done(`Invited ${person.name}.`);
        }}
      />
      {link ? (
        <div className="notice" role="status" aria-label="Sign-in link">
          <p>
            One-time sign-in link for <strong>{link.email}</strong>. Hand it to them now: it is shown only this once,
            and it works once.
          </p>
          <p>
            <code aria-label="Link">{link.url}</code>
          </p>
          <button type="button" onClick={() => setLink(undefined)}>
            I have handed it over
          </button>
        </div>
      ) : null}
      <Card title="People">
        <ErrorNotice error={people.error ?? act.error} />
        {people.data?.data.length === 0 ? <Empty>Nobody yet.</Empty> : null}
        {people.data?.data.length ? (
          <Table label="People">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">E-mail</th>
                <th scope="col">Role</th>
                <th scope="col">Locations</th>
                <th scope="col">State</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {people.data.data.map((person) => {
                const state = stateOf(person);
                return (
                  <tr key={person.id}>
                    <td>{person.name}</td>
                    <td>{person.email}</td>
                    <td>{person.role}</td>
                    <td>{person.location_ids.map(locationName).join(', ') || '—'}</td>
                    <td>
                      <Badge status={state.status} label={state.label} />
                    </td>
                    <td>
                      {person.disabled ? null : editing === person.id ? (
                        <ChangePerson
                          person={person}
                          onDone={() => {
                            setEditing(undefined);
                            done(`Changed ${person.name}.`);
                          }}
                          onCancel={() => setEditing(undefined)}
                        />
                      ) : (
                        <span className="inline">
                          <button
                            type="button"
                            onClick={() => setEditing(person.id)}
                            aria-label={`Change ${person.name}`}
                          >
                            Change
                          </button>
                          <button
                            type="button"
                            disabled={act.busy}
                            onClick={() => void newLink(person)}
                            aria-label={`New sign-in link for ${person.name}`}
                          >
                            New sign-in link
                          </button>
                          <button
                            type="button"
                            disabled={act.busy}
                            onClick={() => askDisable(person)}
                            aria-label={`Disable ${person.name}`}
                          >
                            Disable
                          </button>
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </Table>
        ) : null}
      </Card>
      {confirm.dialog}
      {status.region}
    </Page>
  );
}

/** Role and, for fulfillment, the locations the person works at. */
function RoleFields({
  role,
  setRole,
  locationIds,
  setLocationIds,
}: {
  role: PersonRole;
  setRole: (role: PersonRole) => void;
  locationIds: string[];
  setLocationIds: (ids: string[]) => void;
}) {
  return (
    <>
      <label>
        Role
        <select value={role} onChange={(e) => setRole(e.target.value as PersonRole)}>
          {personRoles.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      {role === 'fulfillment' ? <LocationChecks value={locationIds} onChange={setLocationIds} /> : null}
    </>
  );
}

function InvitePerson({ onInvited }: { onInvited: (person: Person & { sign_in_link: string }) => void }) {
  const { api } = useSession();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<PersonRole>('agent');
  const [locationIds, setLocationIds] = useState<string[]>([]);
  const invite = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void invite.run(async () => {
      const person = await api.post<Person & { sign_in_link: string }>('/v1/users', {
        email: email.trim(),
        role,
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(role === 'fulfillment' ? { location_ids: locationIds } : {}),
      });
      setEmail('');
      setName('');
      onInvited(person);
    });
  };
  return (
    <Card title="Invite a person">
      <form onSubmit={submit} aria-label="Invite a person" className="inline">
        <label>
          E-mail
          <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Ada Lovelace" />
        </label>
        <RoleFields role={role} setRole={setRole} locationIds={locationIds} setLocationIds={setLocationIds} />
        <button type="submit" disabled={invite.busy}>
          Invite
        </button>
      </form>
      <ErrorNotice error={invite.error} />
    </Card>
  );
}

function ChangePerson({ person, onDone, onCancel }: { person: Person; onDone: () => void; onCancel: () => void }) {
  const { api } = useSession();
  const [role, setRole] = useState<PersonRole>(person.role);
  const [locationIds, setLocationIds] = useState<string[]>(person.location_ids);
  const change = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void change.run(
      () =>
        api.patch(`/v1/users/${encodeURIComponent(person.id)}`, {
          role,
          location_ids: role === 'fulfillment' ? locationIds : [],
        }),
      onDone,
    );
  };
  return (
    <form onSubmit={submit} aria-label={`Change ${person.name}`} className="inline">
      <RoleFields role={role} setRole={setRole} locationIds={locationIds} setLocationIds={setLocationIds} />
      <button type="submit" disabled={change.busy}>
        Save
      </button>
      <button type="button" className="link" onClick={onCancel}>
        Cancel
      </button>
      <ErrorNotice error={change.error} />
    </form>
  );
}
