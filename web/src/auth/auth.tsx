// Who is signed in, what they may do, and the session's life: sign in and out, the idle timeout
// (a warning a minute before, then signed out), and keeping the server's session alive while the
// user works on a screen without saving anything.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { AuthConfig, Me } from '../../../src/features/auth/schemas.js';
import type { Permission } from '../../../src/core/permissions.js';
import * as api from '../api/auth.js';
import { idleForMs, onSignedOut, onUserInput } from './request-guard.js';

type Status = 'loading' | 'signed-out' | 'signed-in';

export interface AuthApi {
  status: Status;
  me: Me | null;
  config: AuthConfig | null;
  /** why the user is looking at the sign-in screen (signed out after inactivity, …) */
  notice: string | null;
  /** seconds until the idle sign-out, while the warning shows; null otherwise */
  idleWarningSeconds: number | null;
  signIn(username: string, password: string): Promise<void>;
  /** quick sign-in at a line terminal */
  signInWithPin(username: string, pin: string): Promise<void>;
  signOut(): Promise<void>;
  signOutEverywhere(): Promise<number>;
  /** the server's view of the user again (after a password change) */
  refresh(): Promise<void>;
  /** "Stay signed in": counts as activity */
  stayActive(): Promise<void>;
  can(permission: Permission): boolean;
}

const AuthContext = createContext<AuthApi | null>(null);

/** the server's last-seen time is refreshed at most this often by input without requests */
const KEEP_ALIVE_MS = 60_000;
const WARN_BEFORE_MS = 60_000;

export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<Status>('loading');
  const [me, setMe] = useState<Me | null>(null);
  const [config, setConfig] = useState<AuthConfig | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [idleWarningSeconds, setIdleWarningSeconds] = useState<number | null>(null);
  const lastPing = useRef(Date.now());

  const signedOut = useCallback((message: string | null) => {
    setMe(null);
    setStatus('signed-out');
    setNotice(message);
    setIdleWarningSeconds(null);
  }, []);

  useEffect(() => {
    let cancelled = false;
    Promise.all([api.getSession(), api.getAuthConfig()])
      .then(([session, authConfig]) => {
        if (cancelled) return;
        setConfig(authConfig);
        if (session.me) {
          setMe(session.me);
          setStatus('signed-in');
        } else setStatus('signed-out');
      })
      .catch((error: unknown) => {
        if (!cancelled) signedOut(`The server cannot be reached (${(error as Error).message}).`);
      });
    return () => {
      cancelled = true;
    };
  }, [signedOut]);

  // a 401 anywhere: the session ended (idle on the server, signed out everywhere, deactivated)
  useEffect(() => onSignedOut((message) => signedOut(message)), [signedOut]);

  // input without requests (reading, scrolling a board) still keeps the server's session alive
  useEffect(() => {
    if (status !== 'signed-in') return;
    return onUserInput(() => {
      if (Date.now() - lastPing.current < KEEP_ALIVE_MS) return;
      lastPing.current = Date.now();
      api.getMe().then(setMe, () => undefined);
    });
  }, [status]);

  // the idle timeout, on the user's own input: a warning first, then signed out here and on the server
  const idleSeconds = me?.idleSeconds ?? null;
  useEffect(() => {
    if (status !== 'signed-in' || idleSeconds === null) return;
    const limitMs = idleSeconds * 1000;
    const timer = window.setInterval(() => {
      const idle = idleForMs();
      if (idle >= limitMs) {
        window.clearInterval(timer);
        api.logout().catch(() => undefined);
        signedOut(`You were signed out after ${Math.round(idleSeconds / 60)} minutes without activity.`);
      } else if (idle >= limitMs - WARN_BEFORE_MS) setIdleWarningSeconds(Math.ceil((limitMs - idle) / 1000));
      else setIdleWarningSeconds(null);
    }, 1000);
    return () => window.clearInterval(timer);
  }, [status, idleSeconds, signedOut]);

  const value = useMemo<AuthApi>(
    () => ({
      status,
      me,
      config,
      notice,
      idleWarningSeconds,
      async signIn(username, password) {
        const signed = await api.login(username, password);
        lastPing.current = Date.now();
        setMe(signed);
        setNotice(null);
        setStatus('signed-in');
      },
      async signInWithPin(username, pin) {
        const signed = await api.pinLogin(username, pin);
        lastPing.current = Date.now();
        setMe(signed);
        setNotice(null);
        setStatus('signed-in');
      },
      async signOut() {
        await api.logout().catch(() => undefined);
        signedOut('You have signed out.');
      },
      async signOutEverywhere() {
        const { sessionsEnded } = await api.logoutEverywhere();
        signedOut(`You have signed out everywhere (${sessionsEnded} session${sessionsEnded === 1 ? '' : 's'} ended).`);
        return sessionsEnded;
      },
      async refresh() {
        setMe(await api.getMe());
      },
      async stayActive() {
        lastPing.current = Date.now();
        setMe(await api.getMe());
        setIdleWarningSeconds(null);
      },
      can(permission) {
        return me?.permissions.includes(permission) ?? false;
      },
    }),
    [status, me, config, notice, idleWarningSeconds, signedOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthApi {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth must be used inside <AuthProvider>');
  return auth;
}

/** Whether the signed-in user's role holds `permission` (the server refuses it anyway: this only hides). */
export function useCan(permission: Permission): boolean {
  return useAuth().can(permission);
}

/** Renders its children only for users holding `permission`. */
export function Can({ permission, children }: { permission: Permission; children: ReactNode }) {
  return useCan(permission) ? <>{children}</> : null;
}
