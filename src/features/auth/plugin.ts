// Wires authentication into the app: cookies, the login rate limit, the access-control hooks, and
// housekeeping of expired sessions. Runs before any route is registered (the hooks see them all).
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../server/context.js';
import { registerAccessControl } from './access.js';
import * as repo from './repository.js';
import type { SignedContentReaders } from './signatures.js';

const HOUSEKEEPING_MS = 10 * 60_000;

/** What auth is given by the features above it (server/app.ts). */
export interface AuthWiring {
  /** what an electronic signature binds to, per kind of record */
  signedContent: SignedContentReaders;
}

export async function registerAuth(
  app: FastifyInstance,
  { db, config, events }: Pick<AppDeps, 'db' | 'config'> & Partial<Pick<AppDeps, 'events'>>,
  { signedContent }: AuthWiring,
): Promise<void> {
  await app.register(fastifyCookie);
  // per-route limits only (the login route declares its own); per client address
  await app.register(fastifyRateLimit, { global: false, keyGenerator: (request) => request.ip });
  registerAccessControl(app, {
    db,
    config,
    cookies: { secure: config.QMFG_COOKIE_SECURE, sessionHours: config.QMFG_SESSION_HOURS },
    publicUrl: config.QMFG_PUBLIC_URL,
    signedContent,
    // a session found expired, idle or deactivated on a request ends its live streams at once
    onSessionEnd: events && ((end) => events.endSessions(end)),
  });
  const timer = setInterval(() => {
    repo.deleteExpired(db, Date.now()).catch((error: unknown) => app.log.warn({ err: error }, 'could not delete expired sessions'));
  }, HOUSEKEEPING_MS);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}
