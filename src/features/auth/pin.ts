// Quick sign-in at a line terminal (issue 13 item 2): user name + PIN for the roles QMFG_PIN_ROLES
// allows. A PIN is a weaker secret than a password, so it is only a way in: wrong PINs are slowed
// down per name and address like wrong passwords (same answer for unknown names), an account that
// is locked or deactivated stays out, and an electronic signature still needs the password.
import { Forbidden, Invalid, NotFound, StaleVersion, Unauthorized } from '../../core/errors.js';
import type { Who } from '../audit/who.js';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './passwords.js';
import * as repo from './repository.js';
import { clearSessionCache, clock, createSession, sha256, type AuthContext, type RequestMeta } from './sessions.js';
import { userAudit } from './users.js';
import type { SignedIn } from './sign-in.js';

const wrong = () => new Unauthorized('Wrong user name or PIN.');

export async function pinLogin(ctx: AuthContext, credentials: { username: string; pin: string }, meta: RequestMeta, previousSessionId?: string): Promise<SignedIn> {
  const username = credentials.username.trim().toLowerCase();
  const user = await repo.getUserByUsername(ctx.db, username);
  const now = clock(ctx);
  const who: Who = { actor: user?.username ?? 'anonymous', source: meta.source };
  ctx.throttle?.check(username, meta.source, now);
  const allowed = Boolean(user && (ctx.config.QMFG_PIN_ROLES as readonly string[]).includes(user.role) && user.pin_hash);
  const matches = allowed && user?.pin_hash ? await verifyPassword(credentials.pin, user.pin_hash) : await verifyAgainstDummy(credentials.pin, ctx.config.QMFG_PASSWORD_COST);
  if (!user || !allowed || !matches) {
    ctx.throttle?.failed(username, meta.source, now);
    await ctx.db.transaction().execute((trx) => userAudit(trx, who, username, 'sign-in-failed', null, { method: 'pin', knownUser: Boolean(user) }));
    throw wrong();
  }
  ctx.throttle?.succeeded(username, meta.source);
  if ((user.locked_until !== null && user.locked_until > now) || user.active !== 1) {
    await ctx.db.transaction().execute((trx) => userAudit(trx, who, username, 'sign-in-refused', null, { method: 'pin' }));
    throw new Forbidden(user.active !== 1 ? 'This account has been deactivated; ask an administrator.' : 'This account is locked; sign in with your password later or ask an administrator.');
  }
  const session = await ctx.db.transaction().execute(async (trx) => {
    if (previousSessionId) await repo.deleteSession(trx, sha256(previousSessionId));
    await repo.recordSuccessfulLogin(trx, user.id, now);
    const created = await createSession(trx, ctx.config, user.id, 'pin', meta, now);
    await userAudit(trx, who, username, 'sign-in', null, { method: 'pin' });
    return created;
  });
  clearSessionCache();
  return { user, session };
}

/** Sets (or with null removes) the user's own PIN; the current password proves it is them. */
export async function setOwnPin(ctx: AuthContext, who: Who, userId: number, currentPassword: string, pin: string | null): Promise<void> {
  const user = await repo.getUserById(ctx.db, userId);
  if (!user) throw new NotFound('user', String(userId));
  if (pin !== null && !(ctx.config.QMFG_PIN_ROLES as readonly string[]).includes(user.role)) {
    throw new Forbidden('PIN sign-in is not offered for your role (QMFG_PIN_ROLES).');
  }
  if (!user.password_hash || !(await verifyPassword(currentPassword, user.password_hash))) throw Invalid.field('body.currentPassword', 'this is not your current password');
  if (pin !== null && /^(\d)\1+$/.test(pin)) throw Invalid.field('body.pin', 'choose a PIN that is not one digit repeated');
  const now = clock(ctx);
  const hash = pin === null ? null : await hashPassword(pin, ctx.config.QMFG_PASSWORD_COST);
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await repo.updateUser(trx, user.id, user.version, { pin_hash: hash }, now))) throw new StaleVersion('user', user.username, user.version, user.version + 1);
    await userAudit(trx, who, user.username, pin === null ? 'pin-removed' : 'pin-set', null, null);
  });
  clearSessionCache();
}
