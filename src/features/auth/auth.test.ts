// Signing in and out over the real routes: cookies, lock-out, session fixation, CSRF, idle timeout,
// sign out everywhere, password rules and changes, user administration — on the three databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../testing/databases.js';
import { listAudit, verifyAuditChain } from '../audit/repository.js';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from './access.js';
import * as repo from './repository.js';
import { clearSessionCache, sha256 } from './sessions.js';
import { cookieFrom, createAuthTestApp, createTestUser, injectAs, sessionHeaders, signIn, type AuthTestApp, type TestUser } from '../../testing/auth.js';

// a route every signed-in role may read (plant:read)
const READ = '/api/signatures?entity=calendar&key=default';

describe.each(DIALECTS)('sign-in and sessions on %s', (dialect) => {
  let t: AuthTestApp;
  let raw: AuthTestApp['app']['inject'];
  beforeAll(async () => {
    t = await createAuthTestApp(dialect, 'auth', { QMFG_LOGIN_MAX_FAILURES: '4', QMFG_LOCKOUT_MINUTES: '15', QMFG_IDLE_MINUTES: '15' });
    raw = t.app.inject.bind(t.app);
  });
  afterAll(async () => t?.close());

  const login = (username: string, password: string, extra: Record<string, string> = {}) =>
    raw({ method: 'POST', url: '/api/auth/login', payload: { username, password }, headers: extra });

  it('signs in with httpOnly, SameSite session cookies and answers who is signed in', async () => {
    const user = await createTestUser(t.database.db, 'planner', { displayName: 'Pat Planner' });
    const res = await login(user.username.toUpperCase(), user.password);
    expect(res.statusCode).toBe(200);
    const session = res.cookies.find((c) => c.name === SESSION_COOKIE);
    const csrf = res.cookies.find((c) => c.name === CSRF_COOKIE);
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(csrf).toMatchObject({ sameSite: 'Strict', path: '/' });
    expect(csrf?.httpOnly).toBeFalsy();
    expect(session!.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // the database keeps only the hash of the session id
    expect(await repo.getSessionWithUser(t.database.db, session!.value)).toBeUndefined();
    expect(await repo.getSessionWithUser(t.database.db, sha256(session!.value))).toBeDefined();
    const me = await raw({ method: 'GET', url: '/api/auth/me', headers: { cookie: `${SESSION_COOKIE}=${session!.value}` } });
    expect(me.json()).toMatchObject({ user: { username: user.username, displayName: 'Pat Planner', role: 'planner' }, idleSeconds: 900 });
    expect(me.json().permissions).toEqual(['plant:read', 'orders:write', 'calendar:write']);
    expect((await raw({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    // the sign-in screen's probe answers without an error either way
    expect((await raw({ method: 'GET', url: '/api/auth/session' })).json()).toEqual({ me: null });
    const probe = await raw({ method: 'GET', url: '/api/auth/session', headers: { cookie: `${SESSION_COOKIE}=${session!.value}` } });
    expect(probe.json().me.user.username).toBe(user.username);
  });

  it('refuses a wrong password with the same answer as an unknown user, and audits both', async () => {
    const user = await createTestUser(t.database.db, 'operator');
    const wrong = await login(user.username, 'not the password at all');
    const unknown = await login('nobody-here', 'not the password at all');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error.message).toBe(unknown.json().error.message);
    expect(wrong.cookies.find((c) => c.name === SESSION_COOKIE)).toBeUndefined();
    const entries = await listAudit(t.database.db, { entity: 'user', entityKey: user.username });
    expect(entries[0]).toMatchObject({ action: 'sign-in-failed', actor: user.username });
    expect((await listAudit(t.database.db, { entity: 'user', entityKey: 'nobody-here' }))[0]).toMatchObject({ action: 'sign-in-failed', actor: 'anonymous' });
  });

  it('slows down wrong passwords per name and address with 429 + Retry-After, the same for unknown names, and never locks the owner out', async () => {
    const user = await createTestUser(t.database.db, 'admin');
    const from = (remoteAddress: string) => (username: string, password: string) =>
      t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress });
    const attacker = from('10.66.0.1');
    // QMFG_LOGIN_MAX_FAILURES=4 here: four wrong passwords are answered 401, then the pair waits
    for (const name of [user.username, 'nobody-at-all']) {
      const statuses: number[] = [];
      for (let i = 1; i <= 4; i++) statuses.push((await attacker(name, `wrong password ${i}`)).statusCode);
      expect(statuses).toEqual([401, 401, 401, 401]);
    }
    const known = await attacker(user.username, 'wrong password 5');
    const unknown = await attacker('nobody-at-all', 'wrong password 5');
    expect(known.statusCode).toBe(429);
    expect(unknown.statusCode).toBe(429);
    expect(known.json()).toEqual(unknown.json());
    expect(known.json().error.code).toBe('too_many_attempts');
    expect(Number(known.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(known.headers['retry-after']).toBe(unknown.headers['retry-after']);
    // even the right password waits from that address …
    expect((await attacker(user.username, user.password)).statusCode).toBe(429);
    // … but the owner, elsewhere, is not locked out
    const owner = await from('10.66.0.2')(user.username, user.password);
    expect(owner.statusCode, owner.body).toBe(200);
    const row = await repo.getUserByUsername(t.database.db, user.username);
    expect(row!.locked_until).toBeNull();
    expect((await t.inject({ method: 'GET', url: `/api/users/${user.id}` })).json()).toMatchObject({ locked: false });
  });

  it('issues a new session id at every sign-in (session fixation) and ends the one it replaces', async () => {
    const user = await createTestUser(t.database.db, 'viewer');
    const planted = 'attacker-chosen-session-id-value-0000000000';
    const first = await login(user.username, user.password, { cookie: `${SESSION_COOKIE}=${planted}` });
    const firstId = cookieFrom(first, SESSION_COOKIE)!;
    expect(firstId).not.toBe(planted);
    const second = await login(user.username, user.password, { cookie: `${SESSION_COOKIE}=${firstId}` });
    const secondId = cookieFrom(second, SESSION_COOKIE)!;
    expect(secondId).not.toBe(firstId);
    expect((await raw({ method: 'GET', url: '/api/auth/me', headers: { cookie: `${SESSION_COOKIE}=${firstId}` } })).statusCode).toBe(401);
    expect((await raw({ method: 'GET', url: '/api/auth/me', headers: { cookie: `${SESSION_COOKIE}=${planted}` } })).statusCode).toBe(401);
    expect((await raw({ method: 'GET', url: '/api/auth/me', headers: { cookie: `${SESSION_COOKIE}=${secondId}` } })).statusCode).toBe(200);
  });

  it('refuses a changing request without the CSRF token, with a wrong one, or from another site', async () => {
    const user = await createTestUser(t.database.db, 'admin');
    const session = await signIn(raw, user);
    const body = { lot: 'CSRF1', product: 'strep-a-plus', quantity: 1000 };
    const noToken = await raw({ method: 'POST', url: '/api/work-orders', payload: body, headers: { cookie: session.cookie } });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().error.code).toBe('csrf');
    const wrongToken = await raw({ method: 'POST', url: '/api/work-orders', payload: body, headers: { cookie: session.cookie, [CSRF_HEADER]: 'x'.repeat(43) } });
    expect(wrongToken.statusCode).toBe(403);
    // another session's token does not fit this session
    const other = await signIn(raw, await createTestUser(t.database.db, 'admin'));
    expect((await raw({ method: 'POST', url: '/api/work-orders', payload: body, headers: { cookie: session.cookie, [CSRF_HEADER]: other.csrfToken } })).statusCode).toBe(403);
    const crossSite = await raw({ method: 'POST', url: '/api/work-orders', payload: body, headers: { ...session.headers, origin: 'https://evil.example' } });
    expect(crossSite.statusCode).toBe(403);
    expect(await repo.getUserById(t.database.db, user.id)).toBeDefined();
    expect((await raw({ method: 'GET', url: '/api/work-orders/CSRF1', headers: { cookie: session.cookie } })).statusCode).toBe(404);
    const ok = await raw({ method: 'POST', url: '/api/work-orders', payload: body, headers: { ...session.headers, origin: 'http://localhost:80' } });
    expect(ok.statusCode).toBe(201);
    // the audit trail names the signed-in user
    expect((await listAudit(t.database.db, { entity: 'work-order', entityKey: 'CSRF1' }))[0]).toMatchObject({ actor: user.username, action: 'create' });
  });

  it('signs out after the idle timeout, but background refreshes do not keep a session alive', async () => {
    const user = await createTestUser(t.database.db, 'operator');
    const session = await signIn(raw, user);
    const idHash = sha256(session.sessionId);
    const age = async (minutes: number) => {
      await t.database.db.updateTable('sessions').set({ last_seen_at: Date.now() - minutes * 60_000 }).where('id_hash', '=', idHash).execute();
      clearSessionCache(); // the row was edited behind the service's back
    };
    await age(14);
    expect((await raw({ method: 'GET', url: READ, headers: { cookie: session.cookie, 'x-qmfg-background': '1' } })).statusCode).toBe(200);
    const row = await repo.getSessionWithUser(t.database.db, idHash);
    expect(Date.now() - row!.session.last_seen_at).toBeGreaterThan(13 * 60_000); // not touched
    await age(16);
    const expired = await raw({ method: 'GET', url: READ, headers: { cookie: session.cookie } });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.message).toMatch(/without activity/);
    expect(await repo.getSessionWithUser(t.database.db, idHash)).toBeUndefined();
  });

  it('keeps viewers (TV dashboards) signed in without activity, until the absolute end', async () => {
    const user = await createTestUser(t.database.db, 'viewer');
    const session = await signIn(raw, user);
    const idHash = sha256(session.sessionId);
    await t.database.db.updateTable('sessions').set({ last_seen_at: Date.now() - 5 * 3_600_000 }).where('id_hash', '=', idHash).execute();
    clearSessionCache();
    expect((await raw({ method: 'GET', url: READ, headers: { cookie: session.cookie } })).statusCode).toBe(200);
    await t.database.db.updateTable('sessions').set({ expires_at: Date.now() - 1 }).where('id_hash', '=', idHash).execute();
    clearSessionCache();
    expect((await raw({ method: 'GET', url: READ, headers: { cookie: session.cookie } })).statusCode).toBe(401);
  });

  it('signs out here, or everywhere', async () => {
    const user = await createTestUser(t.database.db, 'quality');
    const a = await signIn(raw, user);
    const b = await signIn(raw, user);
    const c = await signIn(raw, user);
    const out = await injectAs(raw, a)({ method: 'POST', url: '/api/auth/logout' });
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((x) => x.name === SESSION_COOKIE)?.value).toBe('');
    expect((await injectAs(raw, a)({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    expect((await injectAs(raw, b)({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(200);
    const everywhere = await injectAs(raw, b)({ method: 'POST', url: '/api/auth/logout-all' });
    expect(everywhere.json()).toEqual({ sessionsEnded: 2 });
    expect((await injectAs(raw, c)({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    expect(await repo.countSessionsOfUser(t.database.db, user.id)).toBe(0);
  });

  it('changes a password under the password rules and ends the other sessions', async () => {
    const user = await createTestUser(t.database.db, 'planner', { displayName: 'Rita Rules' });
    const here = await signIn(raw, user);
    const elsewhere = await signIn(raw, user);
    const change = (currentPassword: string, newPassword: string) =>
      injectAs(raw, here)({ method: 'POST', url: '/api/auth/password', payload: { currentPassword, newPassword } });
    expect((await change('wrong current', 'a perfectly fine new passphrase')).json().error.fields[0].path).toBe('body.currentPassword');
    const short = await change(user.password, 'short1!');
    expect(short.statusCode).toBe(400);
    expect(short.json().error.message).toMatch(/at least 12 characters/);
    expect((await change(user.password, 'password1234')).json().error.message).toMatch(/too common/);
    expect((await change(user.password, `my ${user.username} secret`)).json().error.message).toMatch(/user name/);
    expect((await change(user.password, 'rita likes long walks')).json().error.message).toMatch(/name/);
    expect((await change(user.password, 'a perfectly fine new passphrase')).statusCode).toBe(204);
    expect((await injectAs(raw, here)({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(200);
    expect((await injectAs(raw, elsewhere)({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    expect((await login(user.username, user.password)).statusCode).toBe(401);
    expect((await login(user.username, 'a perfectly fine new passphrase')).statusCode).toBe(200);
  });

  it('lets administrators create users, who must choose their own password first', async () => {
    const created = await t.inject({
      method: 'POST',
      url: '/api/users',
      payload: { username: 'Jane.Doe', displayName: 'Jane Doe', role: 'quality', password: 'initial pass phrase 42', reason: 'new QA engineer' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ username: 'jane.doe', role: 'quality', mustChangePassword: true, active: true, locked: false });
    expect(created.json()).not.toHaveProperty('passwordHash');
    const jane: TestUser = { id: created.json().id, username: 'jane.doe', password: 'initial pass phrase 42', role: 'quality' };
    const session = await signIn(raw, jane);
    const as = injectAs(raw, session);
    expect((await as({ method: 'GET', url: READ })).json().error.code).toBe('password_change_required');
    expect((await as({ method: 'GET', url: '/api/auth/me' })).json().user.mustChangePassword).toBe(true);
    expect((await as({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: jane.password, newPassword: 'quality is job number one' } })).statusCode).toBe(204);
    expect((await as({ method: 'GET', url: READ })).statusCode).toBe(200);
    // a duplicate name, a weak password, a non-administrator
    expect((await t.inject({ method: 'POST', url: '/api/users', payload: { username: 'jane.doe', displayName: 'J', role: 'viewer', password: 'another good passphrase' } })).statusCode).toBe(409);
    expect((await t.inject({ method: 'POST', url: '/api/users', payload: { username: 'weak', displayName: 'W', role: 'viewer', password: 'aaaaaaaaaaaa' } })).statusCode).toBe(400);
    expect((await as({ method: 'GET', url: '/api/users' })).statusCode).toBe(403);
    const entry = (await listAudit(t.database.db, { entity: 'user', entityKey: 'jane.doe' })).at(-1);
    expect(entry).toMatchObject({ action: 'create', actor: t.admin.username, reason: 'new QA engineer' });
    expect(JSON.stringify(entry)).not.toMatch(/scrypt|initial pass phrase/);
  });

  it('deactivating a user ends their sessions at once; an administrator cannot demote themselves', async () => {
    const user = await createTestUser(t.database.db, 'operator');
    const session = await signIn(raw, user);
    const view = (await t.inject({ method: 'GET', url: `/api/users/${user.id}` })).json();
    expect((await t.inject({ method: 'PATCH', url: `/api/users/${user.id}`, payload: { active: false, version: view.version } })).statusCode).toBe(200);
    expect((await injectAs(raw, session)({ method: 'GET', url: READ })).statusCode).toBe(401);
    expect((await login(user.username, user.password)).statusCode).toBe(403);
    const me = (await t.inject({ method: 'GET', url: `/api/users/${t.admin.id}` })).json();
    expect((await t.inject({ method: 'PATCH', url: `/api/users/${t.admin.id}`, payload: { role: 'viewer', version: me.version } })).statusCode).toBe(409);
    // a stale version is refused
    expect((await t.inject({ method: 'PATCH', url: `/api/users/${user.id}`, payload: { displayName: 'X', version: view.version } })).statusCode).toBe(409);
  });

  it('an administrator resets a password: the user is signed out and must change it', async () => {
    const user = await createTestUser(t.database.db, 'lead');
    const session = await signIn(raw, user);
    const reset = await t.inject({ method: 'POST', url: `/api/users/${user.id}/password`, payload: { password: 'temporary pass phrase 7', reason: 'forgotten' } });
    expect(reset.json()).toMatchObject({ mustChangePassword: true });
    expect((await injectAs(raw, session)({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    const again = await signIn(raw, { username: user.username, password: 'temporary pass phrase 7' });
    expect((await injectAs(raw, again)({ method: 'GET', url: READ })).statusCode).toBe(403);
    expect((await verifyAuditChain(t.database.db)).brokenAt).toBeNull();
  });

  it('a session cookie from before a restart still works (sessions live in the database)', async () => {
    const user = await createTestUser(t.database.db, 'viewer');
    const session = await signIn(raw, user);
    const fresh = sessionHeaders(session.sessionId, session.csrfToken);
    expect((await raw({ method: 'GET', url: '/api/auth/me', headers: { cookie: fresh.cookie } })).json().user.username).toBe(user.username);
  });
});

describe('login rate limit', () => {
  let t: AuthTestApp;
  beforeAll(async () => {
    t = await createAuthTestApp('sqlite', 'ratelimit', { QMFG_LOGIN_RATE_PER_MINUTE: '3' });
  });
  afterAll(async () => t?.close());

  it('answers 429 after the per-address limit, without checking the password', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'someone', password: 'guess number ' + i }, remoteAddress: '10.9.8.7' });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    // another address is not affected
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'someone', password: 'x' }, remoteAddress: '10.9.8.6' })).statusCode).toBe(401);
    expect((await listAudit(t.database.db, { entity: 'user', entityKey: 'someone' })).length).toBe(4);
  });
});

describe('operators limited to their lines', () => {
  let t: AuthTestApp;
  beforeAll(async () => {
    t = await createAuthTestApp('sqlite', 'lines');
  });
  afterAll(async () => t?.close());

  it('report counts only for operations on their lines, which are machines', async () => {
    const raw = t.app.inject.bind(t.app);
    const operator = await createTestUser(t.database.db, 'operator');
    // in this plant a line is a machine: the operator works Line 7 (and Line 8)
    expect(await repo.updateUser(t.database.db, operator.id, 1, { lines: JSON.stringify(['line7', 'line8']) }, Date.now())).toBe(true);
    const as = injectAs(raw, await signIn(raw, operator));
    for (const [lot, machine] of [['LINE7', 'line7'], ['LINE9', 'line9']] as const) {
      expect((await t.inject({ method: 'POST', url: '/api/work-orders', payload: { lot, product: 'strep-a-plus', quantity: 1000 } })).statusCode).toBe(201);
      expect((await t.inject({ method: 'POST', url: `/api/work-orders/${lot}/operations/0/load`, payload: { machine, mode: 'append' } })).statusCode).toBe(200);
    }
    expect((await as({ method: 'POST', url: '/api/work-orders/LINE7/operations/0/counts', payload: { produced: 10 } })).statusCode).toBe(200);
    const elsewhere = await as({ method: 'POST', url: '/api/work-orders/LINE9/operations/0/counts', payload: { produced: 10 } });
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.json().error.message).toBe('You report for Line 7, Line 8 only; Line 9 is not one of your lines — ask an administrator to add it.');
    // a parked operation is on no line
    expect((await as({ method: 'POST', url: '/api/work-orders/LINE7/operations/1/counts', payload: { produced: 10 } })).statusCode).toBe(403);
  });

  it('fails closed: an operator with no lines reports for no line; other roles are not line-limited', async () => {
    const raw = t.app.inject.bind(t.app);
    expect((await t.inject({ method: 'POST', url: '/api/work-orders', payload: { lot: 'NOLINE9', product: 'strep-a-plus', quantity: 1000 } })).statusCode).toBe(201);
    expect((await t.inject({ method: 'POST', url: '/api/work-orders/NOLINE9/operations/0/load', payload: { machine: 'line9', mode: 'append' } })).statusCode).toBe(200);
    const nowhere = injectAs(raw, await signIn(raw, await createTestUser(t.database.db, 'operator')));
    const refused = await nowhere({ method: 'POST', url: '/api/work-orders/NOLINE9/operations/0/counts', payload: { produced: 10 } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toBe('You have no lines to report for yet — ask an administrator to add your lines.');
    // a shift lead without lines reports for the whole plant
    const lead = injectAs(raw, await signIn(raw, await createTestUser(t.database.db, 'lead')));
    expect((await lead({ method: 'POST', url: '/api/work-orders/NOLINE9/operations/0/counts', payload: { produced: 10 } })).statusCode).toBe(200);
  });

  it('takes machine keys as a user\'s lines and refuses anything else with a field error', async () => {
    const created = await t.inject({ method: 'POST', url: '/api/users', payload: { username: 'oscar.two', displayName: 'Oscar Two', role: 'operator', lines: ['line7', 'line8'], password: 'a long enough first password' } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().lines).toEqual(['line7', 'line8']);
    const group = await t.inject({ method: 'POST', url: '/api/users', payload: { username: 'oscar.three', displayName: 'Oscar Three', role: 'operator', lines: ['pouching-itrak'], password: 'a long enough first password' } });
    expect(group.statusCode).toBe(400);
    expect(group.json().error.fields).toEqual([{ path: 'body.lines.0', message: "'pouching-itrak' is not a machine; pick the machines (lines) this user reports for" }]);
    const patched = await t.inject({ method: 'PATCH', url: `/api/users/${created.json().id}`, payload: { lines: ['line7', 'nowhere'], version: created.json().version } });
    expect(patched.statusCode).toBe(400);
    expect(patched.json().error.fields[0].path).toBe('body.lines.1');
  });
});

describe('a refused request', () => {
  let t: AuthTestApp;
  beforeAll(async () => {
    t = await createAuthTestApp('sqlite', 'refusal');
  });
  afterAll(async () => t?.close());

  it('says in plain words what the user may not do and whom to ask, never the permission key', async () => {
    const raw = t.app.inject.bind(t.app);
    const as = injectAs(raw, await signIn(raw, await createTestUser(t.database.db, 'viewer')));
    const refused = await as({ method: 'POST', url: '/api/calendar/holidays', payload: { date: '2031-12-24', name: 'Christmas Eve' } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toBe("You don't have permission to change the production calendar — ask a planner, a manager or an administrator.");
    // the key is there for the web app to word it, not in the sentence
    expect(refused.json().error.permission).toBe('calendar:write');
  });
});

describe('behind a reverse proxy (QMFG_TRUST_PROXY)', () => {
  let t: AuthTestApp;
  beforeAll(async () => {
    t = await createAuthTestApp('sqlite', 'proxy', { QMFG_TRUST_PROXY: '1', QMFG_LOGIN_RATE_PER_MINUTE: '2' });
  });
  afterAll(async () => t?.close());

  it('limits and audits each client by its forwarded address, not the proxy\'s', async () => {
    const attempt = (client: string) =>
      t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'proxied', password: 'wrong guess' }, remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': client } });
    expect([(await attempt('203.0.113.7')).statusCode, (await attempt('203.0.113.7')).statusCode, (await attempt('203.0.113.7')).statusCode]).toEqual([401, 401, 429]);
    expect((await attempt('198.51.100.9')).statusCode).toBe(401);
    const sources = (await listAudit(t.database.db, { entity: 'user', entityKey: 'proxied' })).map((e) => e.source);
    expect(sources).toEqual(['198.51.100.9', '203.0.113.7', '203.0.113.7']);
  });
});
