// Test support for signed-in requests: users of any role, sign-in through the real route, and
// fastify.inject with the session cookie and CSRF header of a signed-in user.
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { App } from '../server/context.js';
import type { Db } from '../db/database.js';
import { CSRF_COOKIE, CSRF_HEADER, registeredRoutes, SESSION_COOKIE } from '../features/auth/access.js';
import { hashPassword } from '../features/auth/passwords.js';
import type { Role } from '../core/permissions.js';
import * as repo from '../features/auth/repository.js';
import { EventHub } from '../server/events.js';
import type { AppDeps } from '../server/context.js';
import type { DialectName } from '../db/database.js';
import { createTestDatabase, type TestDatabase } from './databases.js';
import { seedDatabase } from '../features/demo/seed.js';
import { buildApp, type BuildOptions } from '../server/app.js';

/** fastify.inject with request options (what the helpers here need of it) */
export type InjectFn = (options: InjectOptions) => Promise<LightMyRequestResponse>;

/** Low scrypt cost for tests (the production cost is measured by bench/login.bench.ts). */
export const TEST_PASSWORD_COST = '10';
export const TEST_AUTH_ENV = { QMFG_PASSWORD_COST: TEST_PASSWORD_COST, QMFG_LOGIN_RATE_PER_MINUTE: '100000' };

export interface TestUser {
  id: number;
  username: string;
  password: string;
  role: Role;
}

let counter = 0;

/** Creates an active user directly in the database (no audit entry: test set-up, not a change under test). */
export async function createTestUser(db: Db, role: Role, options: { username?: string; password?: string; displayName?: string; mustChange?: boolean; cost?: number } = {}): Promise<TestUser> {
  counter += 1;
  const username = options.username ?? `t-${role}-${process.pid}-${counter}`;
  const password = options.password ?? `Test password for ${role} #${counter}!`;
  const now = Date.now();
  const user = await repo.insertUser(
    db,
    {
      username,
      display_name: options.displayName ?? `Test ${role[0].toUpperCase()}${role.slice(1)} ${counter}`,
      email: null,
      role,
      lines: '[]',
      password_hash: await hashPassword(password, options.cost ?? Number(TEST_PASSWORD_COST)),
      oidc_issuer: null,
      oidc_subject: null,
      active: 1,
      must_change_password: options.mustChange ? 1 : 0,
      password_changed_at: now,
    },
    now,
  );
  return { id: user.id, username, password, role };
}

export interface TestSession {
  sessionId: string;
  csrfToken: string;
  /** "qmfg_session=…; qmfg_csrf=…" for a cookie header */
  cookie: string;
  headers: Record<string, string>;
}

/** Reads a Set-Cookie value from an inject response. */
export function cookieFrom(response: LightMyRequestResponse, name: string): string | undefined {
  return response.cookies.find((c) => c.name === name)?.value;
}

/** Signs in through POST /api/auth/login, as a browser would. */
export async function signIn(inject: InjectFn, user: { username: string; password: string }, remoteAddress = '127.0.0.1'): Promise<TestSession> {
  const response = await inject({ method: 'POST', url: '/api/auth/login', payload: { username: user.username, password: user.password }, remoteAddress });
  if (response.statusCode !== 200) throw new Error(`sign-in of ${user.username} failed: ${response.statusCode} ${response.body}`);
  const sessionId = cookieFrom(response, SESSION_COOKIE);
  const csrfToken = cookieFrom(response, CSRF_COOKIE);
  if (!sessionId || !csrfToken) throw new Error('sign-in answered without session cookies');
  return sessionHeaders(sessionId, csrfToken);
}

export function sessionHeaders(sessionId: string, csrfToken: string): TestSession {
  const cookie = `${SESSION_COOKIE}=${sessionId}; ${CSRF_COOKIE}=${csrfToken}`;
  return { sessionId, csrfToken, cookie, headers: { cookie, [CSRF_HEADER]: csrfToken } };
}

/**
 * `inject` as the signed-in user: adds the cookie and CSRF header unless the request brings its own
 * (a test that sets `cookie` or `x-csrf-token` itself gets exactly what it set).
 */
export function injectAs(inject: InjectFn, session: TestSession): InjectFn {
  return (options) => inject(withSession(options, session));
}

export function withSession(options: InjectOptions, session: TestSession): InjectOptions {
  const given = (options.headers ?? {}) as Record<string, string | string[] | undefined>;
  const headers: Record<string, string | string[] | undefined> = { ...given };
  if (given.cookie === undefined) headers.cookie = session.cookie;
  if (given[CSRF_HEADER] === undefined) headers[CSRF_HEADER] = session.csrfToken;
  return { ...options, headers: headers as InjectOptions['headers'] };
}

// ---- an app with access control switched on, over a fresh seeded database

export interface AuthTestApp {
  app: App;
  database: TestDatabase;
  deps: AppDeps;
  admin: TestUser;
  /** inject as the administrator (cookie + CSRF header added unless given; signed routes signed by the administrator unless the payload has a signature) */
  inject: (options: InjectOptions) => Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function createAuthTestApp(dialect: DialectName, label: string, env: Record<string, string> = {}, options: { webRoot?: string; build?: BuildOptions } = {}): Promise<AuthTestApp> {
  const database = await createTestDatabase(dialect, label, { ...TEST_AUTH_ENV, ...env });
  await seedDatabase(database.db, database.config, true);
  const deps: AppDeps = { db: database.db, dialect, config: database.config, events: new EventHub() };
  const app = await buildApp(deps, { ...options.build, logger: false, webRoot: options.webRoot });
  await app.ready();
  const admin = await createTestUser(database.db, 'admin');
  const session = await signIn(app.inject.bind(app), admin);
  const sign = signatureAdder(app, admin.password);
  return {
    app,
    database,
    deps,
    admin,
    inject: (options) => injectAs(app.inject.bind(app), session)(options.headers && (options.headers as Record<string, unknown>).cookie !== undefined ? options : sign(options)),
    async close() {
      await app.close();
      await database.destroy();
    },
  };
}

/** Tells whether METHOD /path is an electronically signed route (its body needs `signature`). */
export function signedRouteMatcher(app: FastifyInstance): (method: string, path: string) => boolean {
  const signed = registeredRoutes(app)
    .filter((route) => route.signature)
    .map((route) => ({ method: route.method, path: new RegExp(`^${route.url.replace(/:[^/]+/g, '[^/]+')}$`) }));
  return (method, path) => {
    const bare = path.split('?')[0];
    return signed.some((r) => r.method === method.toUpperCase() && r.path.test(bare));
  };
}

/** The payload with the signer's signature, when the route is a signed one and the payload has none. */
export function signatureAdder(app: FastifyInstance, password: string): (options: InjectOptions) => InjectOptions {
  const isSigned = signedRouteMatcher(app);
  return (options) => {
    const payload = options.payload;
    const plainObject = payload !== null && typeof payload === 'object' && !Buffer.isBuffer(payload) && !(payload instanceof Uint8Array) && !('pipe' in payload);
    if (!isSigned(options.method ?? 'GET', (options.url ?? options.path ?? '').toString())) return options;
    if (payload !== undefined && (!plainObject || 'signature' in (payload as object))) return options;
    return { ...options, payload: { ...((payload as object | undefined) ?? {}), signature: { password, meaning: 'approved' } } };
  };
}
