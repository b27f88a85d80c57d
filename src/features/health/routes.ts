import { sql } from 'kysely';
import { z } from 'zod';
import type { App, AppDeps } from '../../server/context.js';
import { pendingMigrations } from '../../db/migrate.js';

const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  db: z.enum(['sqlite', 'postgres', 'mysql']),
  version: z.string(),
  uptimeSeconds: z.number(),
  time: z.string(),
});

const readySchema = z.object({
  status: z.enum(['ready', 'unavailable']),
  db: z.enum(['sqlite', 'postgres', 'mysql']),
  /** why the instance is not ready (absent when it is) */
  reason: z.string().optional(),
  /** migrations this version knows that the database has not run (an upgrade under way on another instance) */
  pendingMigrations: z.array(z.string()),
  time: z.string(),
});

export async function healthRoutes(app: App, { db, dialect }: AppDeps): Promise<void> {
  app.get('/api/health', { config: { public: true, clientGate: false }, schema: { tags: ['system'], response: { 200: healthSchema, 503: healthSchema } } }, async (_req, reply) => {
    const dbOk = await sql`select 1`.execute(db).then(
      () => true,
      () => false,
    );
    const body = {
      status: dbOk ? ('ok' as const) : ('degraded' as const),
      db: dialect,
      version: process.env.npm_package_version ?? '0.1.0',
      uptimeSeconds: Math.round(process.uptime()),
      time: new Date().toISOString(),
    };
    return reply.code(dbOk ? 200 : 503).send(body);
  });

  // readiness (a load balancer's check): the database answers and has every migration this version needs;
  // /api/health above stays the liveness check (the process is up)
  app.get('/api/ready', { config: { public: true, clientGate: false }, schema: { tags: ['system'], response: { 200: readySchema, 503: readySchema } } }, async (_req, reply) => {
    const base = { db: dialect, time: new Date().toISOString() };
    let pending: string[];
    try {
      pending = await pendingMigrations(db);
    } catch (error) {
      return reply.code(503).send({ ...base, status: 'unavailable' as const, reason: `database unreachable: ${(error as Error).message ?? String(error)}`, pendingMigrations: [] });
    }
    if (pending.length > 0) {
      return reply.code(503).send({ ...base, status: 'unavailable' as const, reason: `database not migrated: ${pending.length} migration(s) pending`, pendingMigrations: pending });
    }
    return reply.code(200).send({ ...base, status: 'ready' as const, pendingMigrations: [] });
  });
}
