import { lazy, Suspense, useEffect, useState, type ComponentType, type FormEvent } from 'react';
import { DirectoryProvider } from './directory.tsx';
import { Link, match, navigate, useLocation } from './router.tsx';
import { SessionProvider, useSession, useSessionState, type Me } from './session.tsx';
import { Loading } from './ui/common.tsx';
import { GlobalSearch } from './ui/global-search.tsx';

const pages = {
  orders: lazy(() => import('./pages/orders.tsx')),
  order: lazy(() => import('./pages/order-360.tsx')),
  customers: lazy(() => import('./pages/customers.tsx')),
  customer: lazy(() => import('./pages/customer-360.tsx')),
  inventory: lazy(() => import('./pages/inventory.tsx')),
  queue: lazy(() => import('./pages/queue.tsx')),
  returns: lazy(() => import('./pages/returns-desk.tsx')),
  routing: lazy(() => import('./pages/routing-rules.tsx')),
  simulation: lazy(() => import('./pages/routing-simulation.tsx')),
  automations: lazy(() => import('./pages/automations.tsx')),
  notifications: lazy(() => import('./pages/notifications.tsx')),
  dashboards: lazy(() => import('./pages/dashboards.tsx')),
  reconciliation: lazy(() => import('./pages/reconciliation.tsx')),
  settings: lazy(() => import('./pages/settings.tsx')),
  keys: lazy(() => import('./pages/api-keys.tsx')),
  users: lazy(() => import('./pages/users.tsx')),
  connectors: lazy(() => import('./pages/connectors.tsx')),
  connector: lazy(() => import('./pages/connector.tsx')),
};

interface Section {
  path: string;
  label: string;
  page: ComponentType<{ params: Record<string, string> }>;
  /** Patterns of this section's detail pages. */
  details?: { pattern: string; page: ComponentType<{ params: Record<string, string> }> }[];
  allowed: (me: Me) => boolean;
}

const has = (me: Me, permission: string) => me.permissions.includes(permission);
const staff = (me: Me) => me.role === 'admin' || me.role === 'agent' || me.role === 'read-only';

/** The navigation: a role sees only what its key may use. */
const sections: Section[] = [
  {
    path: '/orders',
    label: 'Orders',
    page: pages.orders,
    details: [{ pattern: '/orders/:id', page: pages.order }],
    allowed: (me) => has(me, 'orders:read'),
  },
  {
    path: '/customers',
    label: 'Customers',
    page: pages.customers,
    details: [{ pattern: '/customers/:email', page: pages.customer }],
    allowed: staff,
  },
  { path: '/inventory', label: 'Inventory', page: pages.inventory, allowed: (me) => has(me, 'inventory:read') },
  { path: '/queue', label: 'Fulfillment queue', page: pages.queue, allowed: (me) => has(me, 'fulfillment:read') },
  { path: '/returns', label: 'Returns desk', page: pages.returns, allowed: (me) => has(me, 'orders:manage') },
  {
    path: '/routing',
    label: 'Routing rules',
    page: pages.routing,
    details: [{ pattern: '/routing/simulations/:id', page: pages.simulation }],
    allowed: (me) => has(me, 'routing:read'),
  },
  {
    path: '/automations',
    label: 'Automations',
    page: pages.automations,
    allowed: (me) => has(me, 'automations:read'),
  },
  {
    path: '/notifications',
    label: 'Notifications',
    page: pages.notifications,
    allowed: (me) => has(me, 'notifications:read'),
  },
  {
    path: '/dashboards',
    label: 'Dashboards',
    page: pages.dashboards,
    details: [{ pattern: '/dashboards/reconciliation', page: pages.reconciliation }],
    allowed: staff,
  },
  {
    path: '/connectors',
    label: 'Connectors',
    page: pages.connectors,
    details: [{ pattern: '/connectors/:channel', page: pages.connector }],
    allowed: (me) => has(me, 'orders:manage'),
  },
  { path: '/settings', label: 'Settings', page: pages.settings, allowed: (me) => has(me, 'webhooks:manage') },
  { path: '/api-keys', label: 'API keys', page: pages.keys, allowed: (me) => has(me, 'keys:write') },
  { path: '/users', label: 'Users', page: pages.users, allowed: (me) => has(me, 'users:manage') },
];

export function App() {
  const { state, signInWithKey, signInWithPassword, signInWithLink, signOut, ended } = useSessionState();
  const { path } = useLocation();
  if (path === '/set-password')
    return <SetPassword onSubmit={signInWithLink} signedIn={state.status === 'signed-in'} />;
  if (state.status === 'loading') return <Loading what="Signing in" />;
  if (state.status === 'signed-out')
    return <SignIn onPassword={signInWithPassword} onKey={signInWithKey} error={state.error} />;
  return (
    <SessionProvider me={state.me} credentials={state.credentials} signOut={signOut} onUnauthorized={ended}>
      <DirectoryProvider>
        <Shell />
      </DirectoryProvider>
    </SessionProvider>
  );
}

/**
 * A person signs in with their e-mail and password; a machine's API key is the second way. The
 * address stays as it was, so after signing in the console shows the page that was asked for.
 */
function SignIn({
  onPassword,
  onKey,
  error,
}: {
  onPassword: (email: string, password: string) => Promise<void>;
  onKey: (key: string) => Promise<void>;
  error: string | undefined;
}) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [key, setKey] = useState('');
  const [withKey, setWithKey] = useState(false);
  const [busy, setBusy] = useState(false);
  const sso = useSsoOption();
  // A refused single sign-on comes back to the sign-in page with its reason.
  const ssoError = new URLSearchParams(window.location.search).get('sso_error');
  const shown = error ?? ssoError ?? undefined;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    if (withKey) await onKey(key.trim());
    else await onPassword(email.trim(), password);
    setBusy(false);
  };
  return (
    <main className="sign-in">
      <form onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Consign</h1>
        {shown ? (
          <p role="alert" className="error">
            {shown}
          </p>
        ) : null}
        {sso && !withKey ? (
          <>
            <a className="button" href={ssoStart()}>
              Sign in with {sso.label}
            </a>
            <p className="muted">or with your e-mail and password:</p>
          </>
        ) : null}
        {withKey ? (
          <>
            <p>Sign in with an API key. It stays in this browser tab only.</p>
            <label htmlFor="api-key">API key</label>
            <input
              id="api-key"
              type="password"
              autoComplete="off"
              autoFocus
              required
              value={key}
              onChange={(e) => setKey(e.target.value)}
              placeholder="csk_…"
            />
          </>
        ) : (
          <>
            <label htmlFor="email">E-mail</label>
            <input
              id="email"
              type="email"
              autoComplete="username"
              autoFocus
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
            <label htmlFor="password">Password</label>
            <input
              id="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </>
        )}
        <button type="submit" disabled={busy || (withKey ? key.trim() === '' : email.trim() === '' || password === '')}>
          Sign in
        </button>
        <button type="button" className="link" onClick={() => setWithKey(!withKey)}>
          {withKey ? 'Sign in with e-mail and password' : 'Use an API key'}
        </button>
      </form>
    </main>
  );
}

/** Whether single sign-on is configured, and the name of its provider. */
function useSsoOption(): { label: string } | null {
  const [sso, setSso] = useState<{ label: string } | null>(null);
  useEffect(() => {
    fetch('/v1/auth/options')
      .then((response) => (response.ok ? (response.json() as Promise<{ sso: { label: string } | null }>) : null))
      .then((options) => setSso(options?.sso ?? null))
      .catch(() => setSso(null));
  }, []);
  return sso;
}

/** Starts single sign-on, asking to come back to the page that was asked for (not to a refusal). */
function ssoStart(): string {
  const here = window.location.pathname === '/' ? '/' : window.location.pathname + window.location.search;
  return `/v1/auth/oidc/start?return_to=${encodeURIComponent(here)}`;
}

/** The page a one-time sign-in link opens: choose a password, and be signed in. */
function SetPassword({
  onSubmit,
  signedIn,
}: {
  onSubmit: (token: string, password: string) => Promise<void>;
  signedIn: boolean;
}) {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (signedIn && busy) navigate('/', { replace: true });
  }, [signedIn, busy]);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (password !== repeat) return setError('The two passwords differ.');
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit(token, password);
    } catch (failure) {
      setError((failure as Error).message);
      setBusy(false);
    }
  };
  return (
    <main className="sign-in">
      <form onSubmit={submit} aria-labelledby="set-password-title">
        <h1 id="set-password-title">Choose your password</h1>
        <p>This link works once. Choose a password of at least 10 characters; you sign in with it from now on.</p>
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : null}
        <label htmlFor="new-password">New password</label>
        <input
          id="new-password"
          type="password"
          autoComplete="new-password"
          autoFocus
          required
          minLength={10}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <label htmlFor="repeat-password">Repeat the password</label>
        <input
          id="repeat-password"
          type="password"
          autoComplete="new-password"
          required
          value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
        />
        <button type="submit" disabled={busy || !token}>
          Set password and sign in
        </button>
      </form>
    </main>
  );
}

function Shell() {
  const { me, signOut } = useSession();
  const { path } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const visible = sections.filter((s) => s.allowed(me));
  const route = resolve(visible, path);
  // A store associate starts at the work queue; everyone else at their first section.
  const home = me.role === 'fulfillment' ? '/queue' : visible[0]?.path;
  useEffect(() => {
    if (home && (path === '/' || path === '')) navigate(home, { replace: true });
  }, [home, path]);
  const Page = route?.page;
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Consign</span>
        <button
          type="button"
          className="menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          Menu
        </button>
        <GlobalSearch />
        <span className="who">
          {me.person ? `${me.person.name} · ${me.role}` : `${me.role} key`}
          <button type="button" className="link" onClick={signOut}>
            Sign out
          </button>
        </span>
      </header>
      <nav id="nav" className={menuOpen ? 'nav open' : 'nav'} aria-label="Main">
        <ul>
          {visible.map((s) => (
            <li key={s.path}>
              <Link
                href={s.path}
                aria-current={path.startsWith(s.path) ? 'page' : undefined}
                onClick={() => setMenuOpen(false)}
              >
                {s.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="main">
        <Suspense fallback={<Loading />}>
          {Page && route ? <Page key={path} params={route.params} /> : path === '/' ? <Loading /> : <NotFound />}
        </Suspense>
      </main>
    </div>
  );
}

function resolve(visible: Section[], path: string) {
  for (const section of visible) {
    if (match(section.path, path)) return { page: section.page, params: {} };
    for (const detail of section.details ?? []) {
      const params = match(detail.pattern, path);
      if (params) return { page: detail.page, params };
    }
  }
  return undefined;
}

function NotFound() {
  return (
    <section className="page">
      <h1>Not here</h1>
      <p>This page does not exist, or you may not open it.</p>
    </section>
  );
}
