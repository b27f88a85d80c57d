// Access control over every registered route of the real app: nothing undeclared, anonymous
// requests refused except health/sign-in/static files, each role gets exactly the permission
// table's answer, and an SQL-injection string in every filter parameter returns data-safe results.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { verifyAuditChain } from '../audit/repository.js';
import { registeredRoutes, type RegisteredRoute } from './access.js';
import { can, decide, PERMISSIONS, ROLE_PERMISSIONS, ROLES, type Role } from '../../core/permissions.js';
import * as repo from './repository.js';
import { createAuthTestApp, createTestUser, injectAs, signIn, type AuthTestApp } from '../../testing/auth.js';

/** Values for path parameters that name nothing: a refused request is refused before looking, an allowed one answers 400/404. */
const MISSING: Record<string, string> = {
  id: '999999', key: 'zz-missing', lot: 'ZZ404', step: '0', week: '2031-W05', date: '2031-01-03', name: 'zz-missing', machine: 'zz-missing', start: '0', '*': 'nothing.js',
};
const fill = (url: string, values: Record<string, string>) => url.replace(/:(\w+)/g, (_, name: string) => values[name] ?? 'x').replace('*', values['*'] ?? 'x');

/** Routes that end the caller's sessions: asked last, each with a session of its own. */
const ENDS_SESSION = new Set(['POST /api/auth/logout', 'POST /api/auth/logout-all']);
/** Streams forever once allowed: only its refusals are requested. */
const STREAMS = new Set(['GET /api/events', 'HEAD /api/events']);

const EXPECTED_PUBLIC_API = ['GET /api/auth/config', 'GET /api/auth/oidc/callback', 'GET /api/auth/oidc/start', 'GET /api/auth/session', 'GET /api/health', 'GET /api/ready', 'POST /api/auth/login', 'POST /api/auth/pin-login', 'POST /api/tv/device'];

describe('the permission table', () => {
  it('gives administrators everything, viewers only reading, and has no unknown permissions', () => {
    expect(ROLE_PERMISSIONS.admin).toEqual([...PERMISSIONS]);
    expect(ROLE_PERMISSIONS.viewer).toEqual(['plant:read']);
    for (const role of ROLES) for (const p of ROLE_PERMISSIONS[role]) expect(PERMISSIONS).toContain(p);
    // the roles: operators report, planners plan, quality signs gates and reads the trail
    expect(can('operator', 'production:report')).toBe(true);
    expect(can('operator', 'orders:write')).toBe(false);
    expect(can('planner', 'calendar:write')).toBe(true);
    expect(can('planner', 'gates:sign')).toBe(false);
    expect(can('quality', 'gates:sign') && can('quality', 'oee:write') && can('quality', 'audit:read')).toBe(true);
    expect(can('manager', 'users:admin') || can('manager', 'plant:write')).toBe(false);
    expect(can('nobody', 'plant:read')).toBe(false);
  });
  it('decides undeclared routes for administrators only', () => {
    expect(decide({ kind: 'undeclared' }, 'admin')).toBe('allow');
    expect(decide({ kind: 'undeclared' }, 'manager')).toBe(403);
    expect(decide({ kind: 'undeclared' }, null)).toBe(401);
    expect(decide({ kind: 'public' }, null)).toBe('allow');
    expect(decide({ kind: 'authenticated' }, 'viewer')).toBe('allow');
  });
});

describe('access to every registered route', () => {
  let t: AuthTestApp;
  let routes: RegisteredRoute[];
  let webRoot: string;
  beforeAll(async () => {
    webRoot = mkdtempSync(join(tmpdir(), 'qmfg-web-'));
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>qmfg</title><div id="root"></div><script type="module" src="/assets/app.js"></script>');
    mkdirSync(join(webRoot, 'assets'));
    writeFileSync(join(webRoot, 'assets', 'app.js'), 'console.log("qmfg")');
    t = await createAuthTestApp('sqlite', 'access', {}, { webRoot });
    routes = registeredRoutes(t.app);
  });
  afterAll(async () => {
    await t?.close();
    rmSync(webRoot, { recursive: true, force: true });
  });

  const id = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
  const api = () => routes.filter((r) => !r.static);

  it('has no route without a declaration (public, signed-in, or a permission)', () => {
    expect(routes.length).toBeGreaterThan(60);
    const undeclared = routes.filter((r) => r.access.kind === 'undeclared').map(id);
    expect(undeclared, `declare config.permission (or public) on: ${undeclared.join(', ')}`).toEqual([]);
  });

  it('keeps the public API to health, sign-in, single sign-on and a TV screen trading its token for its cookie', () => {
    const open = api().filter((r) => r.access.kind === 'public' && r.method !== 'HEAD').map(id).sort();
    expect(open).toEqual(EXPECTED_PUBLIC_API);
  });

  it('refuses anonymous requests with 401, except the public routes and the web app\'s files', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      const res = await t.app.inject({ method: route.method as InjectOptions['method'], url: fill(route.url, MISSING), payload: route.method === 'GET' || route.method === 'HEAD' ? undefined : {} });
      const isPublic = route.access.kind === 'public';
      if (isPublic ? res.statusCode === 401 : res.statusCode !== 401) wrong.push(`${id(route)} → ${res.statusCode}`);
    }
    expect(wrong).toEqual([]);
    // the web app itself
    const index = await t.app.inject({ method: 'GET', url: '/board' });
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(index.headers['x-frame-options']).toBe('DENY');
    expect((await t.app.inject({ method: 'GET', url: '/assets/app.js' })).statusCode).toBe(200);
  });

  it.each(ROLES)('gives %s exactly the permission table\'s answer on every route', async (role: Role) => {
    const user = await createTestUser(t.database.db, role);
    const raw = t.app.inject.bind(t.app);
    const as = injectAs(raw, await signIn(raw, user));
    const wrong: string[] = [];
    // routes that end sessions (logout-all ends them all) come last
    const ordered = [...api().filter((r) => !ENDS_SESSION.has(id(r))), ...api().filter((r) => ENDS_SESSION.has(id(r)))];
    for (const route of ordered) {
      if (route.access.kind === 'public') continue;
      const expected = decide(route.access, role);
      if (expected === 'allow' && STREAMS.has(id(route))) continue;
      // a route that ends the session gets a session of its own
      const send = ENDS_SESSION.has(id(route)) ? injectAs(raw, await signIn(raw, user)) : as;
      const res = await send({ method: route.method as InjectOptions['method'], url: fill(route.url, MISSING), payload: route.method === 'GET' || route.method === 'HEAD' ? undefined : {} });
      // a HEAD answer has no body to name the reason: its status must do
      const code = route.method === 'HEAD' ? (res.statusCode === 403 ? 'forbidden' : undefined) : res.statusCode >= 400 && res.body ? (res.json() as { error?: { code?: string } }).error?.code : undefined;
      // a line-scoped route may still refuse a user without that line (403 without a permission): the permission itself was granted
      const permission = res.statusCode === 403 && res.body ? (res.json() as { error?: { permission?: string | null } }).error?.permission : undefined;
      const lineRefusal = res.statusCode === 403 && code === 'forbidden' && !permission && route.lineScoped;
      const refused = res.statusCode === 401 || (res.statusCode === 403 && !lineRefusal && (code === 'forbidden' || code === 'csrf'));
      if (expected === 'allow' ? refused : res.statusCode !== 403 || code !== 'forbidden') {
        wrong.push(`${id(route)}: expected ${expected === 'allow' ? 'allowed' : 403}, got ${res.statusCode} ${code ?? ''}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('returns data-safe results for an SQL-injection string in every filter parameter', async () => {
    const INJECTION = "x' OR '1'='1' -- ; DROP TABLE users; --";
    const usersBefore = await repo.countUsers(t.database.db);
    // valid values, so that each parameter is tried beside otherwise sensible filters
    const sensible: Record<string, string> = {
      machine: 'line7', group: 'kitting', from: '2026-01-05T00:00', to: '2026-01-06T00:00', entity: 'work-order', entityKey: 'X', key: 'default', actor: 'system',
      limit: '10', search: 'a', product: 'strep-a-plus', status: 'open', late: 'false', sort: 'lot', dir: 'asc', profile: 'itrak-legacy', groupBy: 'day', returnTo: '/board',
    };
    const shapeOf = (schema: unknown): string[] => {
      if (schema instanceof z.ZodObject) return Object.keys(schema.shape);
      if (schema instanceof z.ZodPipe) return shapeOf(schema.in);
      return [];
    };
    const wrong: string[] = [];
    let tried = 0;
    for (const route of api().filter((r) => r.method === 'GET' && r.querystring && !STREAMS.has(id(r)))) {
      const params = shapeOf(route.querystring);
      for (const param of params) {
        const query = new URLSearchParams(Object.fromEntries(params.filter((p) => sensible[p] !== undefined).map((p) => [p, sensible[p]])));
        query.set(param, INJECTION);
        const res = await t.inject({ method: 'GET', url: `${fill(route.url, MISSING)}?${query}` });
        tried++;
        const where = `${id(route)} ?${param}=…`;
        if (res.statusCode >= 500) wrong.push(`${where} → ${res.statusCode}`);
        else if (res.statusCode === 200 && String(res.headers['content-type'] ?? '').includes('json')) {
          const body: unknown = res.json();
          // a filter that matched the injected text as SQL would return rows: an injected filter matches nothing
          if (Array.isArray(body) && body.length > 0) wrong.push(`${where} → ${body.length} rows`);
        } else if (res.statusCode !== 200 && res.statusCode !== 400 && res.statusCode !== 404 && res.statusCode !== 303) wrong.push(`${where} → ${res.statusCode}`);
      }
    }
    expect(tried).toBeGreaterThan(40);
    expect(wrong).toEqual([]);
    // nothing was dropped or changed
    expect(await repo.countUsers(t.database.db)).toBe(usersBefore);
    expect((await verifyAuditChain(t.database.db)).brokenAt).toBeNull();
    expect((await t.inject({ method: 'GET', url: '/api/machines' })).json().length).toBeGreaterThan(5);
  });
});
