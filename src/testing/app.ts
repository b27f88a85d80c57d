// Test support: the real app (fastify.inject) over a real database of the given dialect, seeded, with
// access control on. `app.inject` acts as a signed-in administrator — the session cookie and CSRF
// header are added unless the request brings its own, and regulated (electronically signed) routes
// get the administrator's signature unless the payload carries one — so API tests read like before.
// `anonymous` and `as(role)` make the other kinds of requests.
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp, type BuildOptions } from '../server/app.js';
import { EventHub } from '../server/events.js';
import type { App } from '../server/context.js';
import { seedDatabase } from '../features/demo/seed.js';
import type { Role } from '../core/permissions.js';
import { createTestUser, signatureAdder, signIn, TEST_AUTH_ENV, withSession, type TestSession, type TestUser } from './auth.js';
import { createTestDatabase, type TestDatabase } from './databases.js';
import type { Db, DialectName } from '../db/database.js';

type Inject = (options: InjectOptions | string) => Promise<LightMyRequestResponse>;

export interface TestApp {
  /** `app.inject` is the administrator's (see above) */
  app: App;
  database: TestDatabase;
  events: EventHub;
  /** the signed-in administrator behind `app.inject` */
  admin: TestUser;
  /** a request without any session */
  anonymous: Inject;
  /** requests as a new signed-in user of `role` (no automatic signature) */
  as(role: Role): Promise<{ user: TestUser; session: TestSession; inject: Inject }>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  demo?: boolean;
  server?: string;
  /** the database the app is given, from the test's own (e.g. with a plugin that counts queries) */
  wrapDb?: (db: Db) => Db;
  /** configuration on top of the test defaults */
  env?: Record<string, string>;
  /** options of buildApp on top of logger: false (e.g. the simulation holder) */
  build?: BuildOptions;
}

export async function createTestApp(dialect: DialectName, label: string, options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase(dialect, label, { ...TEST_AUTH_ENV, ...options.env }, options.server);
  await seedDatabase(database.db, database.config, options.demo ?? true);
  const events = new EventHub();
  const app = await buildApp({ db: options.wrapDb ? options.wrapDb(database.db) : database.db, dialect, config: database.config, events }, { ...options.build, logger: false });
  await app.ready();
  const original = app.inject.bind(app);
  const raw: Inject = (opts) => original(typeof opts === 'string' ? { url: opts } : opts);
  const admin = await createTestUser(database.db, 'admin', { displayName: 'Test Administrator' });
  const session = await signIn(raw, admin);
  const sign = signatureAdder(app, admin.password);
  const asAdmin: Inject = (opts) => {
    const request = typeof opts === 'string' ? { url: opts } : opts;
    const given = (request.headers ?? {}) as Record<string, unknown>;
    // a test that brings its own cookie speaks for someone else: no session, no signature added
    if (given.cookie !== undefined) return raw(request);
    return raw(withSession(sign(request), session));
  };
  (app as unknown as { inject: Inject }).inject = asAdmin;
  return {
    app,
    database,
    events,
    admin,
    anonymous: raw,
    async as(role) {
      const user = await createTestUser(database.db, role);
      const userSession = await signIn(raw, user);
      return { user, session: userSession, inject: (opts) => raw(withSession(typeof opts === 'string' ? { url: opts } : opts, userSession)) };
    },
    async close() {
      await app.close();
      await database.destroy();
    },
  };
}
