// Signing in and out: with a password (slowed down per name and address, never locking the owner
// out), with single sign-on (linking or creating the user), changing one's password, and the
// password check of an electronic signature.
import type { Executor } from '../../db/database.js';
import { Conflict, Forbidden, Invalid, NotFound, StaleVersion, Unauthorized } from '../../core/errors.js';
import type { SignatureIntent, Who } from '../audit/who.js';
import { AccountLocked, SignatureRejected } from './errors.js';
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from './passwords.js';
import { type Role } from '../../core/permissions.js';
import * as repo from './repository.js';
import type { SignatureInput } from './schemas.js';
import { clearSessionCache, clock, createSession, MINUTE, sessionsEnded, sha256, SIGNED_IN_AGAIN, type AuthContext, type NewSession, type RequestMeta } from './sessions.js';
import { auditView, requireGoodPassword, userAudit } from './users.js';

// ---- sign-in

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
