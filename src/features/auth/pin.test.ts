// Quick sign-in by user + PIN at a line terminal (issue 13 item 2) over the real routes, on the three
// databases: set with the password, only for the roles allowed, wrong PINs answered like unknown
// users, the session says it came from a PIN, and a signature still needs the password.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../testing/databases.js';
import { listAudit } from '../audit/repository.js';
import { SESSION_COOKIE } from './access.js';
import { createAuthTestApp, createTestUser, injectAs, signIn, type AuthTestApp } from '../../testing/auth.js';

describe.each(DIALECTS)('PIN sign-in on %s', (dialect) => {
  let t: AuthTestApp;
  let raw: AuthTestApp['app']['inject'];
  beforeAll(async () => {
    t = await createAuthTestApp(dialect, 'pin', { QMFG_PIN_ROLES: 'operator' });
    raw = t.app.inject.bind(t.app);
  });
  afterAll(async () => t?.close());

  const pinLogin = (username: string, pin: string) => raw({ method: 'POST', url: '/api/auth/pin-login', payload: { username, pin } });

  it('an operator sets a PIN with the password and signs in with it; wrong PINs get the unknown-user answer', async () => {
    const operator = await createTestUser(t.database.db, 'operator');
    const session = await signIn(raw, operator);
    const as = injectAs(raw, session);
    // before a PIN is set: the same refusal as a wrong one
    expect((await pinLogin(operator.username, '4821')).statusCode).toBe(401);
    expect((await as({ method: 'PUT', url: '/api/auth/pin', payload: { currentPassword: 'wrong password here', pin: '4821' } })).statusCode).toBe(400);
    const weak = await as({ method: 'PUT', url: '/api/auth/pin', payload: { currentPassword: operator.password, pin: '12' } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.fields[0]).toEqual({ path: 'body.pin', message: 'a PIN is 4 to 8 digits' });
    expect((await as({ method: 'PUT', url: '/api/auth/pin', payload: { currentPassword: operator.password, pin: '7777' } })).statusCode).toBe(400);
    expect((await as({ method: 'PUT', url: '/api/auth/pin', payload: { currentPassword: operator.password, pin: '4821' } })).statusCode).toBe(204);

    const ok = await pinLogin(operator.username, '4821');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ user: { username: operator.username, method: 'pin' } });
    const cookie = ok.cookies.find((c) => c.name === SESSION_COOKIE)!.value;
    const me = await raw({ method: 'GET', url: '/api/auth/me', headers: { cookie: `${SESSION_COOKIE}=${cookie}` } });
    expect(me.json().user.method).toBe('pin');

    const wrong = await pinLogin(operator.username, '1111');
    const unknown = await pinLogin('nobody-at-all', '1111');
    expect([wrong.statusCode, unknown.statusCode]).toEqual([401, 401]);
    expect(wrong.json().error.message).toBe(unknown.json().error.message);
    const actions = (await listAudit(t.database.db, { entity: 'user', entityKey: operator.username })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['pin-set', 'sign-in', 'sign-in-failed']));
    // the PIN hash never leaves the server
    expect(JSON.stringify(me.json())).not.toMatch(/scrypt|pin_hash/);
  });

  it('roles outside QMFG_PIN_ROLES can neither set a PIN nor sign in with one', async () => {
    const planner = await createTestUser(t.database.db, 'planner');
    const as = injectAs(raw, await signIn(raw, planner));
    const refused = await as({ method: 'PUT', url: '/api/auth/pin', payload: { currentPassword: planner.password, pin: '4821' } });
    expect(refused.statusCode).toBe(403);
    expect((await pinLogin(planner.username, '4821')).statusCode).toBe(401);
  });
});
