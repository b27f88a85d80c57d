// Sessions of signed-in users: the auth context every auth service takes, issuing a session (its
// cookie secrets stored only as hashes), and checking one on each request (expiry, idle timeout,
// deactivated account) with a short cache.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { type Config } from '../../config.js';
import type { Db, Executor } from '../../db/database.js';
import { isRole, type Role } from '../../core/permissions.js';
import type { LoginThrottle } from './login-throttle.js';
import * as repo from './repository.js';
import type { SessionUser } from './schemas.js';
import type { SessionEnd } from '../../server/events.js';

export type AuthConfig = Pick<
  Config,
  | 'QMFG_IDLE_MINUTES' | 'QMFG_IDLE_EXEMPT_ROLES' | 'QMFG_SESSION_HOURS' | 'QMFG_LOGIN_MAX_FAILURES' | 'QMFG_LOCKOUT_MINUTES'
  | 'QMFG_PASSWORD_MIN_LENGTH' | 'QMFG_PASSWORD_COST' | 'QMFG_PIN_ROLES'
>;

export interface AuthContext {
  db: Db;
  config: AuthConfig;
  /** injectable clock for tests */
  now?: () => number;
  /** wrong-password throttling per name and address (the sign-in route's) */
  throttle?: LoginThrottle;
  /** told after sessions ended (sign-out, revocation, expiry found on a request), e.g. to end their live streams */
  onSessionEnd?: (end: SessionEnd) => void;
}

export const MINUTE = 60_000;
/** last-seen is written at most this often: idle timeouts are minutes, a write per request is waste */
export const TOUCH_INTERVAL_MS = 30_000;

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
export const clock = (ctx: AuthContext) => (ctx.now ?? Date.now)();
/** After the change committed: whatever holds these sessions open (live streams) lets go of them. */
export const sessionsEnded = (ctx: AuthContext, end: SessionEnd) => ctx.onSessionEnd?.(end);

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function parseLines(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

export const roleOf = (role: string): Role => (isRole(role) ? role : 'viewer');

/** Who a user is, as every view of one shows it (the session's user, the admin's user list). */
export function userIdentity(user: repo.UserRow) {
  return {
    id: user.id,
    username: user.username,
    displayName: user.display_name,
    email: user.email,
    role: roleOf(user.role),
    lines: parseLines(user.lines),
  };
}

export function toSessionUser(user: repo.UserRow, method: string): SessionUser {
  return {
    ...userIdentity(user),
    method: method === 'oidc' || method === 'pin' ? method : 'password',
    mustChangePassword: user.must_change_password === 1,
    hasPassword: user.password_hash !== null,
  };
}

// ---- sessions

export interface NewSession {
  /** goes into the httpOnly cookie; only its hash is stored */
  sessionId: string;
  /** goes into the readable cookie and must come back as the x-csrf-token header */
  csrfToken: string;
  expiresAt: number;
}

export interface RequestMeta {
  source: string | null;
  userAgent: string | null;
}

export async function createSession(db: Executor, config: AuthConfig, userId: number, method: 'password' | 'oidc' | 'pin', meta: RequestMeta, now: number): Promise<NewSession> {
  const sessionId = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = now + config.QMFG_SESSION_HOURS * 60 * MINUTE;
  await repo.insertSession(db, {
    id_hash: sha256(sessionId),
    user_id: userId,
    csrf_hash: sha256(csrfToken),
    method,
    created_at: now,
    last_seen_at: now,
    expires_at: expiresAt,
    source: meta.source?.slice(0, 120) ?? null,
    user_agent: meta.userAgent?.slice(0, 300) ?? null,
  });
  return { sessionId, csrfToken, expiresAt };
}

export function idleLimitMs(config: AuthConfig, role: string): number | null {
  return (config.QMFG_IDLE_EXEMPT_ROLES as readonly string[]).includes(role) ? null : config.QMFG_IDLE_MINUTES * MINUTE;
}

/**
 * Sessions read in the last second, so that a burst of requests (a screen loading, live refreshes)
 * costs one database read, not one each. Every change of a session or user made by this process
 * clears it at once; a change made by another instance is seen within SESSION_CACHE_MS.
 */
const SESSION_CACHE_MS = 1000;
const SESSION_CACHE_MAX = 10_000;
const sessionCache = new Map<string, { found: repo.SessionWithUser; at: number; db: Executor }>();
/** Forgets every cached session (after any change to sessions or users; tests that edit rows directly). */
export function clearSessionCache(): void {
  sessionCache.clear();
}

export type SessionCheck =
  | { ok: true; user: repo.UserRow; session: repo.SessionRow }
  | { ok: false; reason: 'unknown' | 'expired' | 'idle' | 'inactive' };

/**
 * The session behind a cookie value, or why there is none. Expired, idle and deactivated-user
 * sessions are deleted on the spot. `active` = the user did something (not a background refresh):
 * only that keeps an idle timeout from running out.
 */
export async function checkSession(ctx: AuthContext, sessionId: string, active: boolean): Promise<SessionCheck> {
  const idHash = sha256(sessionId);
  const now = clock(ctx);
  const cached = sessionCache.get(idHash);
  let found: repo.SessionWithUser | undefined;
  if (cached && now - cached.at < SESSION_CACHE_MS && cached.db === ctx.db) found = cached.found;
  else {
    found = await repo.getSessionWithUser(ctx.db, idHash);
    if (found) {
      if (sessionCache.size >= SESSION_CACHE_MAX) sessionCache.clear();
      sessionCache.set(idHash, { found, at: now, db: ctx.db });
    } else sessionCache.delete(idHash);
  }
  if (!found) return { ok: false, reason: 'unknown' };
  const { session, user } = found;
  const idle = idleLimitMs(ctx.config, user.role);
  const reason = user.active !== 1 ? 'inactive' : session.expires_at <= now ? 'expired' : idle !== null && now - session.last_seen_at > idle ? 'idle' : null;
  if (reason) {
    sessionCache.delete(idHash);
    await repo.deleteSession(ctx.db, idHash);
    sessionsEnded(ctx, { idHash, reason, message: SESSION_END_MESSAGES[reason] });
    return { ok: false, reason };
  }
  if (active && now - session.last_seen_at >= TOUCH_INTERVAL_MS) {
    await repo.touchSession(ctx.db, idHash, now);
    session.last_seen_at = now;
  }
  return { ok: true, user, session };
}

/** A new sign-in in the same browser replaced the session (its new cookie holds the new one). */
export const SIGNED_IN_AGAIN = 'You signed in again; this session was replaced.';

export const SESSION_END_MESSAGES: Record<Exclude<SessionCheck, { ok: true }>['reason'], string> = {
  unknown: 'Sign in first (or again: your session has ended).',
  expired: 'Your session has ended; sign in again.',
  idle: 'You were signed out after a period without activity; sign in again.',
  inactive: 'This account has been deactivated.',
};
