// Rules of signing in and of accounts: password checks with lock-out, database sessions (new id at
// every sign-in, idle and absolute expiry, sign out everywhere), password changes, user
// administration, single-sign-on accounts, and the password check of electronic signatures. Every
// change writes its audit entry in its own transaction.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ConfigError, type Config } from '../../config.js';
import type { Db, Executor } from '../../db/database.js';
import { Conflict, Forbidden, Invalid, NotFound, StaleVersion, Unauthorized } from '../../core/errors.js';
import { appendAudit } from '../audit/repository.js';
import type { SignatureIntent, Who } from '../audit/who.js';
import { AccountLocked, SignatureRejected } from './errors.js';
import { generatePassword, hashPassword, needsRehash, passwordProblems, verifyAgainstDummy, verifyPassword } from './passwords.js';
import { isRole, ROLES, type Role } from '../../core/permissions.js';
import type { LoginThrottle } from './login-throttle.js';
import * as repo from './repository.js';
import * as plantRepo from '../plant/repository.js';
import type { SessionUser, SignatureInput, User, UserCreate, UserUpdate } from './schemas.js';
import type { SessionEnd } from '../../server/events.js';

export type AuthConfig = Pick<
  Config,
  | 'QMFG_IDLE_MINUTES' | 'QMFG_IDLE_EXEMPT_ROLES' | 'QMFG_SESSION_HOURS' | 'QMFG_LOGIN_MAX_FAILURES' | 'QMFG_LOCKOUT_MINUTES'
  | 'QMFG_PASSWORD_MIN_LENGTH' | 'QMFG_PASSWORD_COST'
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

const MINUTE = 60_000;
/** last-seen is written at most this often: idle timeouts are minutes, a write per request is waste */
export const TOUCH_INTERVAL_MS = 30_000;

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const clock = (ctx: AuthContext) => (ctx.now ?? Date.now)();
/** After the change committed: whatever holds these sessions open (live streams) lets go of them. */
const sessionsEnded = (ctx: AuthContext, end: SessionEnd) => ctx.onSessionEnd?.(end);

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function parseLines(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

const roleOf = (role: string): Role => (isRole(role) ? role : 'viewer');

export function toSessionUser(user: repo.UserRow, method: string): SessionUser {
  return {
    id: user.id,
    username: user.username,
    displayName: user.display_name,
    email: user.email,
    role: roleOf(user.role),
    lines: parseLines(user.lines),
    method: method === 'oidc' ? 'oidc' : 'password',
    mustChangePassword: user.must_change_password === 1,
    hasPassword: user.password_hash !== null,
  };
}

export function toUserView(user: repo.UserRow, now: number): User {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const locked = user.locked_until !== null && user.locked_until > now;
  return {
    id: user.id,
    username: user.username,
    displayName: user.display_name,
    email: user.email,
    role: roleOf(user.role),
    lines: parseLines(user.lines),
    active: user.active === 1,
    sso: user.oidc_subject !== null,
    hasPassword: user.password_hash !== null,
    locked,
    lockedUntil: locked ? iso(user.locked_until) : null,
    mustChangePassword: user.must_change_password === 1,
    lastLoginAt: iso(user.last_login_at),
    version: user.version,
    createdAt: new Date(user.created_at).toISOString(),
    updatedAt: new Date(user.updated_at).toISOString(),
  };
}

/** What the audit trail keeps of a user: never the password hash. */
const auditView = (user: repo.UserRow) => ({
  username: user.username, displayName: user.display_name, email: user.email, role: user.role, lines: parseLines(user.lines), active: user.active === 1,
});

function requireGoodPassword(config: AuthConfig, password: string, user: { username: string; displayName?: string }, path: string): void {
  const problems = passwordProblems(password, { minLength: config.QMFG_PASSWORD_MIN_LENGTH, username: user.username, displayName: user.displayName });
  if (problems.length) throw Invalid.field(path, problems.join('; '));
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

async function createSession(db: Executor, config: AuthConfig, userId: number, method: 'password' | 'oidc', meta: RequestMeta, now: number): Promise<NewSession> {
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
const SIGNED_IN_AGAIN = 'You signed in again; this session was replaced.';

export const SESSION_END_MESSAGES: Record<Exclude<SessionCheck, { ok: true }>['reason'], string> = {
  unknown: 'Sign in first (or again: your session has ended).',
  expired: 'Your session has ended; sign in again.',
  idle: 'You were signed out after a period without activity; sign in again.',
  inactive: 'This account has been deactivated.',
};

// ---- sign-in

const userAudit = (trx: Parameters<typeof appendAudit>[0], who: Who, username: string, action: string, before: unknown, after: unknown) =>
  appendAudit(trx, { actor: who.actor, source: who.source, reason: who.reason, entity: 'user', entityKey: username.slice(0, 120), action, before, after });

export interface SignedIn {
  user: repo.UserRow;
  session: NewSession;
}

/**
 * Checks a user name and password. Wrong passwords slow down that name from that address (429 with
 * a wait, the same for unknown names) but never lock the account for its owner; an unknown user costs the same time as a known one and gets the same
 * answer. A fresh session id is issued every time (and `previousSessionId` ended), so a session id
 * planted before sign-in is worthless.
 */
export async function login(
  ctx: AuthContext,
  credentials: { username: string; password: string },
  meta: RequestMeta,
  previousSessionId?: string,
): Promise<SignedIn> {
  const username = credentials.username.trim().toLowerCase();
  const user = await repo.getUserByUsername(ctx.db, username);
  const now = clock(ctx);
  const who: Who = { actor: user?.username ?? 'anonymous', source: meta.source };
  const wrong = () => new Unauthorized('Wrong user name or password.');

  // the same answer for known and unknown names: wait (429) after a few wrong passwords from this address
  ctx.throttle?.check(username, meta.source, now);
  const matches = user?.password_hash ? await verifyPassword(credentials.password, user.password_hash) : await verifyAgainstDummy(credentials.password, ctx.config.QMFG_PASSWORD_COST);
  if (!user || !matches) {
    ctx.throttle?.failed(username, meta.source, now);
    await ctx.db.transaction().execute((trx) => userAudit(trx, who, username, 'sign-in-failed', null, { knownUser: Boolean(user) }));
    throw wrong();
  }
  ctx.throttle?.succeeded(username, meta.source);
  // locked by wrong signature passwords of its own sessions: only the holder of the right password learns it
  if (user.locked_until !== null && user.locked_until > now) {
    await ctx.db.transaction().execute((trx) => userAudit(trx, who, username, 'sign-in-refused', null, { lockedUntil: new Date(user.locked_until ?? now).toISOString() }));
    throw lockedError(user.locked_until);
  }
  if (user.active !== 1) {
    await ctx.db.transaction().execute((trx) => userAudit(trx, who, username, 'sign-in-refused', null, { deactivated: true }));
    throw new Forbidden('This account has been deactivated; ask an administrator.');
  }
  const upgraded = user.password_hash && needsRehash(user.password_hash, ctx.config.QMFG_PASSWORD_COST) ? await hashPassword(credentials.password, ctx.config.QMFG_PASSWORD_COST) : undefined;
  const session = await ctx.db.transaction().execute(async (trx) => {
    if (previousSessionId) await repo.deleteSession(trx, sha256(previousSessionId));
    await repo.recordSuccessfulLogin(trx, user.id, now, upgraded);
    const created = await createSession(trx, ctx.config, user.id, 'password', meta, now);
    await userAudit(trx, who, username, 'sign-in', null, { method: 'password' });
    return created;
  });
  clearSessionCache();
  if (previousSessionId) sessionsEnded(ctx, { idHash: sha256(previousSessionId), reason: 'replaced', message: SIGNED_IN_AGAIN });
  return { user, session };
}

function lockedError(until: number, justLocked = false): AccountLocked {
  const minutes = Math.max(1, Math.ceil((until - Date.now()) / MINUTE));
  return new AccountLocked(
    `${justLocked ? 'Too many wrong passwords: this account is now locked' : 'This account is locked after too many wrong passwords'}; try again in ${minutes} minute${minutes === 1 ? '' : 's'} or ask an administrator to unlock it.`,
  );
}

/** Ends this session. */
export async function logout(ctx: AuthContext, who: Who, user: repo.UserRow, sessionIdHash: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await repo.deleteSession(trx, sessionIdHash);
    await userAudit(trx, who, user.username, 'sign-out', null, null);
  });
  clearSessionCache();
  sessionsEnded(ctx, { idHash: sessionIdHash, reason: 'signed-out', message: 'You have signed out.' });
}

/** Ends every session of the user, on every device (this one included). */
export async function logoutEverywhere(ctx: AuthContext, who: Who, user: repo.UserRow): Promise<number> {
  const ended = await ctx.db.transaction().execute(async (trx) => {
    const count = await repo.deleteSessionsOfUser(trx, user.id);
    await userAudit(trx, who, user.username, 'sign-out-everywhere', null, { sessions: count });
    return count;
  });
  clearSessionCache();
  sessionsEnded(ctx, { userId: user.id, reason: 'signed-out', message: 'You have signed out everywhere.' });
  return ended;
}

/** The user's own password change: the current password is required; other sessions end. */
export async function changePassword(ctx: AuthContext, who: Who, userId: number, sessionIdHash: string, current: string, next: string): Promise<void> {
  const user = await repo.getUserById(ctx.db, userId);
  if (!user) throw new NotFound('user', String(userId));
  const now = clock(ctx);
  if (user.locked_until !== null && user.locked_until > now) throw lockedError(user.locked_until);
  const matches = user.password_hash ? await verifyPassword(current, user.password_hash) : false;
  if (!matches) {
    await ctx.db.transaction().execute(async (trx) => {
      const { locked } = await repo.recordFailedPassword(trx, user.id, ctx.config.QMFG_LOGIN_MAX_FAILURES, now + ctx.config.QMFG_LOCKOUT_MINUTES * MINUTE);
      await userAudit(trx, who, user.username, 'password-change-failed', null, { locked });
    });
    throw Invalid.field('body.currentPassword', user.password_hash ? 'this is not your current password' : 'this account signs in through single sign-on and has no password here');
  }
  requireGoodPassword(ctx.config, next, { username: user.username, displayName: user.display_name }, 'body.newPassword');
  if (await verifyPassword(next, user.password_hash ?? '')) throw Invalid.field('body.newPassword', 'choose a password different from the current one');
  const hash = await hashPassword(next, ctx.config.QMFG_PASSWORD_COST);
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await repo.updateUser(trx, user.id, user.version, { password_hash: hash, must_change_password: 0, password_changed_at: now, failed_logins: 0 }, now))) {
      throw new StaleVersion('user', user.username, user.version, user.version + 1);
    }
    const ended = await repo.deleteSessionsOfUser(trx, user.id, sessionIdHash);
    await userAudit(trx, who, user.username, 'password-change', null, { otherSessionsEnded: ended });
  });
  clearSessionCache();
  sessionsEnded(ctx, { userId: user.id, exceptIdHash: sessionIdHash, reason: 'password-changed', message: 'Your password was changed; sign in again with the new one.' });
}

// ---- electronic signatures

/**
 * The password check of an electronic signature (both components: the signed-in user and their
 * password, every time). A wrong password counts towards the lock-out and is audited on its own,
 * since the change it was meant for does not happen.
 */
export async function verifySigner(ctx: AuthContext, userId: number, input: SignatureInput, source: string | null): Promise<Omit<SignatureIntent, 'auditEntity' | 'record'>> {
  const user = await repo.getUserById(ctx.db, userId);
  if (!user || user.active !== 1) throw new SignatureRejected('This account cannot sign.');
  const now = clock(ctx);
  if (user.locked_until !== null && user.locked_until > now) throw lockedError(user.locked_until);
  if (!user.password_hash) {
    throw new SignatureRejected('Electronic signatures need a qmfg password, and this single-sign-on account has none; ask an administrator to set one.');
  }
  if (!(await verifyPassword(input.password, user.password_hash))) {
    const locked = await ctx.db.transaction().execute(async (trx) => {
      const result = await repo.recordFailedPassword(trx, user.id, ctx.config.QMFG_LOGIN_MAX_FAILURES, now + ctx.config.QMFG_LOCKOUT_MINUTES * MINUTE);
      await userAudit(trx, { actor: user.username, source }, user.username, 'signature-failed', null, { meaning: input.meaning, locked: result.locked });
      return result.locked;
    });
    if (locked) throw lockedError(now + ctx.config.QMFG_LOCKOUT_MINUTES * MINUTE, true);
    throw new SignatureRejected('The password is wrong: nothing was signed or changed.');
  }
  await repo.resetFailedPasswords(ctx.db, user.id);
  return { userId: user.id, username: user.username, printedName: user.display_name, role: user.role, meaning: input.meaning };
}

// ---- user administration

export async function listUserViews(ctx: AuthContext): Promise<User[]> {
  const now = clock(ctx);
  return (await repo.listUsers(ctx.db)).map((u) => toUserView(u, now));
}

export async function getUserView(ctx: AuthContext, id: number): Promise<User> {
  const user = await repo.getUserById(ctx.db, id);
  if (!user) throw new NotFound('user', String(id));
  return toUserView(user, clock(ctx));
}

/**
 * A user's lines are machines (in this plant a line is a machine: "Line 7"): each entry must be the
 * key of a machine. An operator with lines reports only for those machines; no lines = all.
 */
async function requireKnownMachines(db: Executor, lines: readonly string[]): Promise<void> {
  for (const [index, key] of lines.entries()) {
    if (!(await plantRepo.getMachine(db, key))) throw Invalid.field(`body.lines.${index}`, `'${key}' is not a machine; pick the machines (lines) this user reports for`);
  }
}

export async function createUser(ctx: AuthContext, who: Who, input: UserCreate): Promise<User> {
  requireGoodPassword(ctx.config, input.password, { username: input.username, displayName: input.displayName }, 'body.password');
  const hash = await hashPassword(input.password, ctx.config.QMFG_PASSWORD_COST);
  const now = clock(ctx);
  const created = await ctx.db.transaction().execute(async (trx) => {
    if (await repo.getUserByUsername(trx, input.username)) throw new Conflict(`user '${input.username}' already exists`);
    await requireKnownMachines(trx, input.lines);
    const user = await repo.insertUser(
      trx,
      {
        username: input.username, display_name: input.displayName, email: input.email, role: input.role, lines: JSON.stringify(input.lines),
        password_hash: hash, oidc_issuer: null, oidc_subject: null, active: 1, must_change_password: 1, password_changed_at: now,
      },
      now,
    );
    await userAudit(trx, { ...who, reason: input.reason ?? who.reason }, user.username, 'create', null, auditView(user));
    return user;
  });
  return toUserView(created, now);
}

/** `actorId`: the administrator making the change (who may not demote or deactivate themselves). */
export async function updateUser(ctx: AuthContext, who: Who, actorId: number, id: number, patch: UserUpdate): Promise<User> {
  const now = clock(ctx);
  const updated = await ctx.db.transaction().execute(async (trx) => {
    const before = await repo.getUserById(trx, id);
    if (!before) throw new NotFound('user', String(id));
    if (before.version !== patch.version) throw new StaleVersion('user', before.username, patch.version, before.version);
    if (id === actorId && ((patch.role !== undefined && patch.role !== before.role) || patch.active === false)) {
      throw new Conflict('you cannot change your own role or deactivate yourself; ask another administrator');
    }
    const changes: repo.UserChanges & { failed_logins?: number; locked_until?: number | null } = {};
    if (patch.displayName !== undefined) changes.display_name = patch.displayName;
    if (patch.email !== undefined) changes.email = patch.email;
    if (patch.role !== undefined) changes.role = patch.role;
    if (patch.lines !== undefined) {
      await requireKnownMachines(trx, patch.lines);
      changes.lines = JSON.stringify(patch.lines);
    }
    if (patch.active !== undefined) changes.active = patch.active ? 1 : 0;
    if (patch.unlock) {
      changes.locked_until = null;
      changes.failed_logins = 0;
    }
    if (!(await repo.updateUser(trx, id, patch.version, changes, now))) throw new StaleVersion('user', before.username, patch.version, patch.version + 1);
    const after = (await repo.getUserById(trx, id))!;
    // a deactivated account is signed out at once, not at its next request
    if (patch.active === false) await repo.deleteSessionsOfUser(trx, id);
    await userAudit(trx, { ...who, reason: patch.reason ?? who.reason }, before.username, patch.unlock && Object.keys(changes).length === 2 ? 'unlock' : 'update', auditView(before), {
      ...auditView(after),
      ...(patch.unlock ? { unlocked: true } : {}),
    });
    return after;
  });
  if (patch.unlock) ctx.throttle?.clear(updated.username);
  clearSessionCache();
  if (patch.active === false) sessionsEnded(ctx, { userId: id, reason: 'inactive', message: SESSION_END_MESSAGES.inactive });
  return toUserView(updated, now);
}

/** An administrator sets a new password; the user must change it at the next sign-in, and is signed out everywhere. */
export async function resetPassword(ctx: AuthContext, who: Who, id: number, password: string, reason?: string): Promise<User> {
  const user = await repo.getUserById(ctx.db, id);
  if (!user) throw new NotFound('user', String(id));
  requireGoodPassword(ctx.config, password, { username: user.username, displayName: user.display_name }, 'body.password');
  const hash = await hashPassword(password, ctx.config.QMFG_PASSWORD_COST);
  const now = clock(ctx);
  const updated = await ctx.db.transaction().execute(async (trx) => {
    if (!(await repo.updateUser(trx, id, user.version, { password_hash: hash, must_change_password: 1, password_changed_at: now, failed_logins: 0, locked_until: null }, now))) {
      throw new StaleVersion('user', user.username, user.version, user.version + 1);
    }
    await repo.deleteSessionsOfUser(trx, id);
    await userAudit(trx, { ...who, reason: reason ?? who.reason }, user.username, 'password-reset', null, { mustChange: true });
    return (await repo.getUserById(trx, id))!;
  });
  clearSessionCache();
  sessionsEnded(ctx, { userId: id, reason: 'password-reset', message: 'An administrator set a new password for you; sign in with it.' });
  return toUserView(updated, now);
}

/** Ends every session of another user (a lost badge terminal, a leaver). */
export async function endSessionsOf(ctx: AuthContext, who: Who, id: number): Promise<number> {
  const user = await repo.getUserById(ctx.db, id);
  if (!user) throw new NotFound('user', String(id));
  const ended = await ctx.db.transaction().execute(async (trx) => {
    const count = await repo.deleteSessionsOfUser(trx, id);
    await userAudit(trx, who, user.username, 'sessions-ended', null, { sessions: count });
    return count;
  });
  clearSessionCache();
  sessionsEnded(ctx, { userId: id, reason: 'ended-by-administrator', message: 'An administrator ended your sessions; sign in again.' });
  return ended;
}

// ---- single sign-on

export interface OidcIdentity {
  issuer: string;
  subject: string;
  preferredUsername: string;
  displayName: string;
  email: string | null;
  role: Role;
}

/**
 * Signs in (creating on first use) the account of an identity the provider vouched for. The role
 * comes from the provider's claims at every sign-in, so the provider stays the source of truth.
 * Existing local accounts are never taken over by name: an SSO account with a taken name gets a suffix.
 */
export async function signInWithOidc(ctx: AuthContext, identity: OidcIdentity, meta: RequestMeta, previousSessionId?: string): Promise<SignedIn> {
  const now = clock(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    let user = await repo.getUserBySubject(trx, identity.issuer, identity.subject);
    const who: Who = { actor: user?.username ?? identity.preferredUsername, source: meta.source };
    if (user && user.active !== 1) {
      // the refusal is recorded even though the sign-in fails: the transaction commits it first
      await userAudit(trx, who, user.username, 'sign-in-refused', null, { method: 'oidc', deactivated: true });
      return { refused: true as const };
    }
    if (!user) {
      const username = await freeUsername(trx, identity.preferredUsername);
      user = await repo.insertUser(
        trx,
        {
          username, display_name: identity.displayName, email: identity.email, role: identity.role, lines: '[]', password_hash: null,
          oidc_issuer: identity.issuer, oidc_subject: identity.subject, active: 1, must_change_password: 0, password_changed_at: null,
        },
        now,
      );
      await userAudit(trx, { ...who, actor: username }, username, 'create', null, { ...auditView(user), sso: identity.issuer });
    } else if (user.role !== identity.role || user.display_name !== identity.displayName || user.email !== identity.email) {
      const before = user;
      await repo.updateUser(trx, user.id, user.version, { role: identity.role, display_name: identity.displayName, email: identity.email }, now);
      user = (await repo.getUserById(trx, user.id))!;
      await userAudit(trx, { ...who, reason: 'claims from the single-sign-on provider' }, user.username, 'update', auditView(before), auditView(user));
    }
    if (previousSessionId) await repo.deleteSession(trx, sha256(previousSessionId));
    await repo.recordSuccessfulLogin(trx, user.id, now);
    const session = await createSession(trx, ctx.config, user.id, 'oidc', meta, now);
    await userAudit(trx, { ...who, actor: user.username }, user.username, 'sign-in', null, { method: 'oidc', issuer: identity.issuer });
    return { user, session };
  }).then((result) => {
    clearSessionCache();
    if ('refused' in result) throw new Forbidden('This account has been deactivated; ask an administrator.');
    if (previousSessionId) sessionsEnded(ctx, { idHash: sha256(previousSessionId), reason: 'replaced', message: SIGNED_IN_AGAIN });
    return result;
  });
}

async function freeUsername(db: Executor, wanted: string): Promise<string> {
  const base = (wanted.toLowerCase().replace(/[^a-z0-9._@-]/g, '-').replace(/^[^a-z0-9]+/, '') || 'sso-user').slice(0, 100);
  for (let n = 1; n < 1000; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    if (!(await repo.getUserByUsername(db, candidate))) return candidate;
  }
  throw new Conflict(`no free user name for '${wanted}'`);
}

// ---- first users

export interface InitialLogin {
  username: string;
  password: string;
  role: Role;
}

const DEMO_NAMES: Record<Role, string> = {
  viewer: 'Vera Viewer',
  operator: 'Oscar Operator',
  lead: 'Lena Lead',
  planner: 'Paul Planner',
  quality: 'Quinn Quality',
  manager: 'Maya Manager',
  admin: 'Ada Admin',
};

/**
 * Users for a database that has none: with the demo, one per role (user name = role) with a
 * generated password, returned once so that the start-up banner can print it; otherwise the
 * administrator named by QMFG_ADMIN_USERNAME/QMFG_ADMIN_PASSWORD, if set. Nothing once users exist.
 */
export async function ensureInitialUsers(
  db: Db,
  config: AuthConfig & Pick<Config, 'QMFG_ADMIN_USERNAME' | 'QMFG_ADMIN_PASSWORD'>,
  demo: boolean,
  now = Date.now(),
  /** the demo users' lines (machine keys) by role, e.g. the operator's two lines */
  demoLines: Partial<Record<Role, readonly string[]>> = {},
): Promise<InitialLogin[]> {
  if ((await repo.countUsers(db)) > 0) return [];
  const wanted: (InitialLogin & { displayName: string; mustChange: boolean; lines?: readonly string[] })[] = [];
  if (config.QMFG_ADMIN_USERNAME) {
    const username = config.QMFG_ADMIN_USERNAME.toLowerCase();
    const problems = passwordProblems(config.QMFG_ADMIN_PASSWORD, { minLength: config.QMFG_PASSWORD_MIN_LENGTH, username });
    if (problems.length) throw new ConfigError(`QMFG_ADMIN_PASSWORD: ${problems.join('; ')}`);
    wanted.push({ username, password: config.QMFG_ADMIN_PASSWORD, role: 'admin', displayName: 'Administrator', mustChange: true });
  }
  if (demo) {
    for (const role of ROLES) {
      if (wanted.some((w) => w.username === role)) continue;
      wanted.push({ username: role, password: generatePassword(), role, displayName: DEMO_NAMES[role], mustChange: false, lines: demoLines[role] });
    }
  }
  if (wanted.length === 0) return [];
  const hashes = await Promise.all(wanted.map((w) => hashPassword(w.password, config.QMFG_PASSWORD_COST)));
  await db.transaction().execute(async (trx) => {
    // checked again inside the transaction: two instances starting together create them once
    if ((await repo.countUsers(trx)) > 0) return;
    for (const [i, w] of wanted.entries()) {
      await repo.insertUser(
        trx,
        {
          username: w.username, display_name: w.displayName, email: null, role: w.role, lines: JSON.stringify(w.lines ?? []), password_hash: hashes[i], oidc_issuer: null,
          oidc_subject: null, active: 1, must_change_password: w.mustChange ? 1 : 0, password_changed_at: now,
        },
        now,
      );
      await appendAudit(trx, { actor: 'system', source: 'qmfg', entity: 'user', entityKey: w.username, action: 'create', before: null, after: { username: w.username, role: w.role, initial: true } }, now);
    }
  });
  // the configured administrator's password is the operator's own: never echo it back
  return wanted.filter((w) => w.username !== config.QMFG_ADMIN_USERNAME.toLowerCase()).map(({ username, password, role }) => ({ username, password, role }));
}
