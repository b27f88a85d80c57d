// What access control adds to every request. Two figures: the permission decision itself (route
// declaration → role's permission bits), and the whole access hook as a request sees it — session
// cookie → session and user from the database (one indexed query), CSRF and permission checks —
// measured as the difference between two identical routes, one public and one needing a permission.
import Fastify from 'fastify';
import type { Db } from '../src/db/database.js';
import { registerAuth } from '../src/features/auth/plugin.js';
import { decide, PERMISSIONS, ROLES, routeAccess } from '../src/core/permissions.js';
import { createTestUser, TEST_AUTH_ENV } from '../src/testing/auth.js';
import { createTestDatabase } from '../src/testing/databases.js';
import { timeIt, type Figure } from './lib.js';

export default async function permissionBench(): Promise<Figure[]> {
  // 1. the decision: a look-up and a bit test
  const configs = PERMISSIONS.map((permission) => ({ permission }));
  const accesses = configs.map((c) => routeAccess(c));
  const N = 2_000_000;
  let allowed = 0;
  const decision = await timeIt(() => {
    for (let i = 0; i < N; i++) if (decide(accesses[i % accesses.length], ROLES[i % ROLES.length]) === 'allow') allowed++;
  });
  if (allowed === 0) throw new Error('no decision allowed anything');

  // 2. the hook on real requests
  const database = await createTestDatabase('sqlite', 'bench-permission', TEST_AUTH_ENV);
  const app = Fastify({ logger: false });
  await registerAuth(app, { db: database.db as Db, config: database.config }, { signedContent: {} });
  app.get('/api/open', { config: { public: true } }, async () => ({ ok: true }));
  app.get('/api/guarded', { config: { permission: 'plant:read' } }, async () => ({ ok: true }));
  await app.ready();
  try {
    const user = await createTestUser(database.db, 'operator');
    // sign-in needs the auth routes; a session row through the service is the same thing
    const { login } = await import('../src/features/auth/sign-in.js');
    const { session } = await login({ db: database.db, config: database.config }, user, { source: 'bench', userAgent: null });
    const cookie = `qmfg_session=${session.sessionId}`;
    const batch = async (url: string, requests: number) => {
      const { ms } = await timeIt(async () => {
        for (let i = 0; i < requests; i++) {
          const res = await app.inject({ method: 'GET', url, headers: { cookie } });
          if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`);
        }
      });
      return ms / requests;
    };
    await batch('/api/open', 500);
    await batch('/api/guarded', 500);
    // alternating small batches: the shared machine's noise falls on both alike; the median difference
    const differences: number[] = [];
    const guardedTimes: number[] = [];
    for (let round = 0; round < 30; round++) {
      const open = await batch('/api/open', 200);
      const guarded = await batch('/api/guarded', 200);
      differences.push(guarded - open);
      guardedTimes.push(guarded);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    // the database read behind a session, paid once a second per session (cache miss)
    const { checkSession, clearSessionCache } = await import('../src/features/auth/sessions.js');
    const ctx = { db: database.db, config: database.config };
    const MISSES = 2000;
    const miss = await timeIt(async () => {
      for (let i = 0; i < MISSES; i++) {
        clearSessionCache();
        if (!(await checkSession(ctx, session.sessionId, false)).ok) throw new Error('session not found');
      }
    });
    return [
      { name: 'permission decision per request (table look-up)', value: decision.ms / N, unit: 'ms', target: 0.1 },
      { name: 'access hook per request (session, CSRF, permission), median', value: Math.max(0, median(differences)), unit: 'ms', target: 0.1 },
      { name: 'a whole GET of a guarded route through inject, median', value: median(guardedTimes), unit: 'ms', target: 1 },
      { name: 'session + user read from SQLite (cache miss, once a second)', value: miss.ms / MISSES, unit: 'ms', target: 1 },
    ];
  } finally {
    await app.close();
    await database.destroy();
  }
}
