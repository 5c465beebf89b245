import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, createApi, type Api, type Credentials } from './api/client.ts';

/** What `GET /v1/me` says about the person or key: the console offers only what it may do. */
export interface Me {
  key_id: string;
  role: 'admin' | 'agent' | 'fulfillment' | 'channel' | 'read-only';
  channel_id: string | null;
  location_ids: string[];
  permissions: string[];
  /** The signed-in person; null when an API key signed in. */
  person: { id: string; email: string; name: string } | null;
  /** The session's token for requests that change something; null for an API key. */
  csrf_token: string | null;
}

export interface Session {
  me: Me;
  api: Api;
  can: (permission: string) => boolean;
  signOut: () => void;
}

const STORAGE_KEY = 'consign.apiKey';
/** What the sign-in page says when a request of a signed-in console answers 401. */
export const SESSION_ENDED = 'Your session has ended — sign in again.';
const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in console');
  return session;
}

type State =
  | { status: 'loading' }
  | { status: 'signed-out'; error?: string }
  | { status: 'signed-in'; me: Me; credentials: Credentials };

/** A problem's words for the sign-in form. */
function signInError(error: unknown, unknownKey: string): string {
  if (error instanceof ApiError && error.status === 401 && error.problem.code === 'unauthorized') return unknownKey;
  if (error instanceof ApiError && error.problem.detail) return error.problem.detail;
  return `Could not sign in: ${(error as Error).message}`;
}

async function postJson(path: string, body: unknown): Promise<Me> {
  const response = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) throw new ApiError({ ...answer, status: response.status });
  return answer as unknown as Me;
}

/**
 * A person's session lives in an HttpOnly cookie (so it survives a new tab and a reload); an API
 * key typed in instead stays in sessionStorage (gone when the tab closes). Either way `/v1/me`
 * says who it is. The page's address is left alone when signed out, so signing in again returns
 * to it.
 */
export function useSessionState() {
  const [state, setState] = useState<State>({ status: 'loading' });
  const ended = useCallback(() => {
    sessionStorage.removeItem(STORAGE_KEY);
    setState({ status: 'signed-out', error: SESSION_ENDED });
  }, []);
  const signOut = useCallback(() => {
    sessionStorage.removeItem(STORAGE_KEY);
    setState({ status: 'signed-out' });
  }, []);
  const signInWithKey = useCallback(async (key: string) => {
    try {
      const me = await createApi({ kind: 'key', key }, () => {}).get<Me>('/v1/me');
      sessionStorage.setItem(STORAGE_KEY, key);
      setState({ status: 'signed-in', me, credentials: { kind: 'key', key } });
    } catch (error) {
      sessionStorage.removeItem(STORAGE_KEY);
      setState({ status: 'signed-out', error: signInError(error, 'This API key is unknown or revoked.') });
    }
  }, []);
  const enter = useCallback((me: Me) => {
    setState({ status: 'signed-in', me, credentials: { kind: 'session', csrfToken: me.csrf_token ?? '' } });
  }, []);
  const signInWithPassword = useCallback(
    async (email: string, password: string) => {
      try {
        enter(await postJson('/v1/auth/sign-in', { email, password }));
      } catch (error) {
        setState({ status: 'signed-out', error: signInError(error, 'The e-mail address or the password is wrong.') });
      }
    },
    [enter],
  );
  /** Sets a password from a one-time link (and signs in); throws the problem for the page to show. */
  const signInWithLink = useCallback(
    async (token: string, password: string) => enter(await postJson('/v1/auth/sign-in-link', { token, password })),
    [enter],
  );
  useEffect(() => {
    const saved = sessionStorage.getItem(STORAGE_KEY);
    if (saved) {
      void signInWithKey(saved);
      return;
    }
    createApi({ kind: 'session', csrfToken: '' }, () => {})
      .get<Me>('/v1/me')
      .then(enter, () => setState({ status: 'signed-out' }));
  }, [signInWithKey, enter]);
  return { state, signInWithKey, signInWithPassword, signInWithLink, signOut, ended };
}

export function SessionProvider({
  me,
  credentials,
  signOut,
  onUnauthorized,
  children,
}: {
  me: Me;
  credentials: Credentials;
  signOut: () => void;
  onUnauthorized: () => void;
  children: ReactNode;
}) {
  const session = useMemo<Session>(() => {
    const api = createApi(credentials, onUnauthorized);
    return {
      me,
      api,
      can: (permission) => me.permissions.includes(permission),
      // A person's session ends on the server too; a key is only forgotten by this tab.
      signOut: () => {
        if (credentials.kind === 'key') return signOut();
        void api.post('/v1/auth/sign-out').then(signOut, signOut);
      },
    };
  }, [me, credentials, signOut, onUnauthorized]);
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
