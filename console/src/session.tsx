import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, createApi, type Api } from './api/client.ts';

/** What `GET /v1/me` says about the key: the console offers only what it may do. */
export interface Me {
  key_id: string;
  role: 'admin' | 'agent' | 'fulfillment' | 'channel';
  channel_id: string | null;
  location_ids: string[];
  permissions: string[];
}

export interface Session {
  me: Me;
  api: Api;
  can: (permission: string) => boolean;
  signOut: () => void;
}

const STORAGE_KEY = 'consign.apiKey';
const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in console');
  return session;
}

type State =
  { status: 'loading' } | { status: 'signed-out'; error?: string } | { status: 'signed-in'; me: Me; key: string };

/** Keeps the API key in sessionStorage (gone when the tab closes) and learns its role from `/v1/me`. */
export function useSessionState() {
  const [state, setState] = useState<State>({ status: 'loading' });
  const signOut = useCallback(() => {
    sessionStorage.removeItem(STORAGE_KEY);
    setState({ status: 'signed-out' });
  }, []);
  const signIn = useCallback(async (key: string) => {
    try {
      const me = await createApi(key, () => {}).get<Me>('/v1/me');
      sessionStorage.setItem(STORAGE_KEY, key);
      setState({ status: 'signed-in', me, key });
    } catch (error) {
      sessionStorage.removeItem(STORAGE_KEY);
      const message =
        error instanceof ApiError && error.status === 401
          ? 'This API key is unknown or revoked.'
          : `Could not sign in: ${(error as Error).message}`;
      setState({ status: 'signed-out', error: message });
    }
  }, []);
  useEffect(() => {
    const saved = sessionStorage.getItem(STORAGE_KEY);
    if (saved) void signIn(saved);
    else setState({ status: 'signed-out' });
  }, [signIn]);
  return { state, signIn, signOut };
}

export function SessionProvider({
  me,
  apiKey,
  signOut,
  children,
}: {
  me: Me;
  apiKey: string;
  signOut: () => void;
  children: ReactNode;
}) {
  const session = useMemo<Session>(
    () => ({
      me,
      api: createApi(apiKey, signOut),
      can: (permission) => me.permissions.includes(permission),
      signOut,
    }),
    [me, apiKey, signOut],
  );
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
