// User administration and the first users of a database: the user as the screens show it, creating,
// changing, resetting and signing out users — each change audited without the password hash.
import { ConfigError, type Config } from '../../config.js';
import type { Db, Executor } from '../../db/database.js';
import { Conflict, Invalid, NotFound, StaleVersion } from '../../core/errors.js';
import { appendAudit } from '../audit/repository.js';
import type { Who } from '../audit/who.js';
import { generatePassword, hashPassword, passwordProblems } from './passwords.js';
import { ROLES, type Role } from '../../core/permissions.js';
import * as repo from './repository.js';
import * as plantRepo from '../plant/repository.js';
import type { User, UserCreate, UserUpdate } from './schemas.js';
import { clearSessionCache, clock, parseLines, SESSION_END_MESSAGES, userIdentity, sessionsEnded, type AuthConfig, type AuthContext } from './sessions.js';

export function toUserView(user: repo.UserRow, now: number): User {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const locked = user.locked_until !== null && user.locked_until > now;
  return {
    ...userIdentity(user),
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
export const auditView = (user: repo.UserRow) => ({
  username: user.username, displayName: user.display_name, email: user.email, role: user.role, lines: parseLines(user.lines), active: user.active === 1,
});

export function requireGoodPassword(config: AuthConfig, password: string, user: { username: string; displayName?: string }, path: string): void {
  const problems = passwordProblems(password, { minLength: config.QMFG_PASSWORD_MIN_LENGTH, username: user.username, displayName: user.displayName });
  if (problems.length) throw Invalid.field(path, problems.join('; '));
}

export const userAudit = (trx: Parameters<typeof appendAudit>[0], who: Who, username: string, action: string, before: unknown, after: unknown) =>
  appendAudit(trx, { actor: who.actor, source: who.source, reason: who.reason, entity: 'user', entityKey: username.slice(0, 120), action, before, after });

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
