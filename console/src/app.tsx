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
const staff = (me: Me) => me.role === 'admin' || me.role === 'agent';

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
];

export function App() {
  const { state, signIn, signOut } = useSessionState();
  if (state.status === 'loading') return <Loading what="Signing in" />;
  if (state.status === 'signed-out') return <SignIn onSignIn={signIn} error={state.error} />;
  return (
    <SessionProvider me={state.me} apiKey={state.key} signOut={signOut}>
      <DirectoryProvider>
        <Shell />
      </DirectoryProvider>
    </SessionProvider>
  );
}

function SignIn({ onSignIn, error }: { onSignIn: (key: string) => Promise<void>; error: string | undefined }) {
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    await onSignIn(key.trim());
    setBusy(false);
  };
  return (
    <main className="sign-in">
      <form onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Consign</h1>
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
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy || key.trim() === ''}>
          Sign in
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
          {me.role} key
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
      <p>This page does not exist, or this API key may not open it.</p>
    </section>
  );
}
