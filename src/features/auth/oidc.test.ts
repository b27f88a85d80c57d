// Single sign-on against a real OpenID Connect provider (oidc-provider, in-process): the whole
// authorization-code + PKCE round trip, claim → role mapping, refusals, and the flow's protections.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../audit/repository.js';
import { SESSION_COOKIE } from './access.js';
import { claimValues, mapRole, safeReturnTo } from './oidc.js';
import * as repo from './repository.js';
import { cookieFrom, createAuthTestApp, createTestUser, type AuthTestApp } from '../../testing/auth.js';
import { startTestProvider, type TestProvider } from '../../testing/oidc-provider.js';

describe('claims and roles', () => {
  const config = {
    OIDC_ROLE_CLAIM: 'groups',
    OIDC_ROLE_MAP: [{ claim: 'qmfg-admins', role: 'admin' as const }, { claim: 'qmfg-quality', role: 'quality' as const }],
    OIDC_DEFAULT_ROLE: '' as const,
  };
  it('maps the first matching claim value to its role, in the configured order', () => {
    expect(mapRole({ groups: ['qmfg-quality', 'qmfg-admins'] }, config)).toBe('admin');
    expect(mapRole({ groups: 'qmfg-quality staff' }, config)).toBe('quality');
    expect(mapRole({ groups: ['staff'] }, config)).toBeNull();
    expect(mapRole({}, { ...config, OIDC_DEFAULT_ROLE: 'viewer' })).toBe('viewer');
  });
  it('reads nested claims such as Keycloak realm roles', () => {
    expect(claimValues({ realm_access: { roles: ['a', 'b', 3] } }, 'realm_access.roles')).toEqual(['a', 'b']);
    expect(claimValues({ realm_access: null }, 'realm_access.roles')).toEqual([]);
  });
  it('only returns to paths on this site', () => {
    expect(safeReturnTo('/board?group=kitting')).toBe('/board?group=kitting');
    for (const bad of ['https://evil.example/', '//evil.example', '/\\evil.example', 'board', '/api/users', undefined]) expect(safeReturnTo(bad)).toBe('/');
  });
});

describe('OpenID Connect sign-in round trip', () => {
  let provider: TestProvider;
  let t: AuthTestApp;
  const accounts: Record<string, Record<string, unknown>> = {
    alice: { name: 'Alice Analyst', email: 'alice@plant.example', groups: ['staff', 'qmfg-quality'] },
    bob: { name: 'Bob Nobody', groups: ['staff'] },
    viewer: { name: 'Shadow of the local viewer', groups: ['qmfg-admins'] },
  };
  beforeAll(async () => {
    provider = await startTestProvider(accounts);
    provider.setRedirectUri('http://qmfg.test/api/auth/oidc/callback');
    t = await createAuthTestApp('sqlite', 'oidc', {
      QMFG_PUBLIC_URL: 'http://qmfg.test',
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: provider.clientId,
      OIDC_CLIENT_SECRET: provider.clientSecret,
      OIDC_SCOPES: 'openid profile email groups',
      OIDC_ROLE_MAP: 'qmfg-admins=admin,qmfg-quality=quality',
      OIDC_ALLOW_HTTP: '1',
    });
  });
  afterAll(async () => {
    await t?.close();
    await provider?.close();
  });

  /** Follows the provider's redirects and fills its development login and consent forms. */
  async function throughProvider(authorizationUrl: string, login: string): Promise<URL> {
    const jar = new Map<string, string>();
    const go = async (url: string, init: { method?: string; body?: URLSearchParams } = {}) => {
      const response = await fetch(url, {
        method: init.method ?? 'GET',
        body: init.body,
        redirect: 'manual',
        headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '), ...(init.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      });
      for (const setCookie of response.headers.getSetCookie()) {
        const [pair] = setCookie.split(';');
        const eq = pair.indexOf('=');
        jar.set(pair.slice(0, eq), pair.slice(eq + 1));
      }
      return response;
    };
    let response = await go(authorizationUrl);
    for (let hop = 0; hop < 12; hop++) {
      const location = response.headers.get('location');
      if (location) {
        const next = new URL(location, provider.issuer);
        if (next.pathname === '/api/auth/oidc/callback') return next;
        response = await go(next.href);
        continue;
      }
      const html = await response.text();
      const action = /action="([^"]+)"/.exec(html)?.[1];
      const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
      if (!action || !prompt) throw new Error(`unexpected provider page (${response.status}): ${html.slice(0, 300)}`);
      const form = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'anything' } : { prompt });
      response = await go(new URL(action, provider.issuer).href, { method: 'POST', body: form });
    }
    throw new Error('the provider never redirected back');
  }

  async function signInAs(login: string, returnTo = '/board') {
    const start = await t.app.inject({ method: 'GET', url: `/api/auth/oidc/start?returnTo=${encodeURIComponent(returnTo)}` });
    expect(start.statusCode).toBe(303);
    const authorization = new URL(start.headers.location as string);
    const flowCookie = cookieFrom(start, 'qmfg_oidc');
    const callback = await throughProvider(authorization.href, login);
    const done = await t.app.inject({ method: 'GET', url: callback.pathname + callback.search, headers: { cookie: `qmfg_oidc=${flowCookie}` } });
    return { authorization, callback, flowCookie, done };
  }

  it('sends the browser to the provider with PKCE (S256), state and nonce', async () => {
    const start = await t.app.inject({ method: 'GET', url: '/api/auth/oidc/start' });
    const url = new URL(start.headers.location as string);
    expect(url.origin).toBe(provider.issuer);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: provider.clientId,
      response_type: 'code',
      redirect_uri: 'http://qmfg.test/api/auth/oidc/callback',
      code_challenge_method: 'S256',
      scope: 'openid profile email groups',
    });
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')).toMatch(/.{20,}/);
    expect(url.searchParams.get('nonce')).toMatch(/.{20,}/);
    expect(start.cookies.find((c) => c.name === 'qmfg_oidc')).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/api/auth/oidc' });
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/config' })).json()).toMatchObject({ sso: true });
  });

  it('signs a user in with the role mapped from the provider\'s claims and returns where they were going', async () => {
    const { done } = await signInAs('alice', '/work-orders?status=open');
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/work-orders?status=open');
    const session = cookieFrom(done, SESSION_COOKIE);
    expect(session).toBeDefined();
    const me = (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `${SESSION_COOKIE}=${session}` } })).json();
    expect(me.user).toMatchObject({ username: 'alice', displayName: 'Alice Analyst', email: 'alice@plant.example', role: 'quality', method: 'oidc', hasPassword: false });
    const stored = await repo.getUserByUsername(t.database.db, 'alice');
    expect(stored).toMatchObject({ oidc_issuer: provider.issuer, oidc_subject: 'alice', password_hash: null });
    const actions = (await listAudit(t.database.db, { entity: 'user', entityKey: 'alice' })).map((e) => e.action);
    expect(actions).toEqual(['sign-in', 'create']);
  });

  it('signs the same account in again and follows role changes at the provider', async () => {
    accounts.alice.groups = ['qmfg-admins'];
    const { done } = await signInAs('alice');
    expect(done.headers.location).toBe('/board');
    const me = (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `${SESSION_COOKIE}=${cookieFrom(done, SESSION_COOKIE)}` } })).json();
    expect(me.user.role).toBe('admin');
    expect((await repo.listUsers(t.database.db)).filter((u) => u.oidc_subject === 'alice')).toHaveLength(1);
    accounts.alice.groups = ['qmfg-quality'];
  });

  it('refuses a user without a mapped role, and never takes over a local account by name', async () => {
    const { done } = await signInAs('bob');
    expect(done.headers.location).toBe('/login?sso_error=no_role');
    expect(cookieFrom(done, SESSION_COOKIE)).toBeUndefined();
    expect(await repo.getUserByUsername(t.database.db, 'bob')).toBeUndefined();

    const local = await createTestUser(t.database.db, 'viewer', { username: 'viewer' });
    const shadow = await signInAs('viewer');
    expect(shadow.done.statusCode).toBe(303);
    const localAfter = await repo.getUserById(t.database.db, local.id);
    expect(localAfter).toMatchObject({ role: 'viewer', oidc_subject: null });
    expect(await repo.getUserByUsername(t.database.db, 'viewer-2')).toMatchObject({ role: 'admin', oidc_subject: 'viewer' });
  });

  it('accepts a callback only once, only in the browser that started it, and only with its state', async () => {
    const { callback, flowCookie } = await signInAs('alice');
    // the same callback again (replay): the flow is used up
    const replay = await t.app.inject({ method: 'GET', url: callback.pathname + callback.search, headers: { cookie: `qmfg_oidc=${flowCookie}` } });
    expect(replay.headers.location).toBe('/login?sso_error=flow_missing');
    // a callback without the flow cookie (another browser, a forged link)
    const start = await t.app.inject({ method: 'GET', url: '/api/auth/oidc/start' });
    const foreign = await throughProvider(start.headers.location as string, 'alice');
    expect((await t.app.inject({ method: 'GET', url: foreign.pathname + foreign.search })).headers.location).toBe('/login?sso_error=flow_missing');
    // a tampered state
    const again = await t.app.inject({ method: 'GET', url: '/api/auth/oidc/start' });
    const cb = await throughProvider(again.headers.location as string, 'alice');
    cb.searchParams.set('state', 'not-the-state');
    const tampered = await t.app.inject({ method: 'GET', url: cb.pathname + cb.search, headers: { cookie: `qmfg_oidc=${cookieFrom(again, 'qmfg_oidc')}` } });
    expect(tampered.headers.location).toBe('/login?sso_error=provider_error');
    expect(cookieFrom(tampered, SESSION_COOKIE)).toBeUndefined();
  });
});
