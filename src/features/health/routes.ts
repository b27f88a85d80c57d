import { sql } from 'kysely';
import { z } from 'zod';
import type { App, AppDeps } from '../../server/context.js';

const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  db: z.enum(['sqlite', 'postgres', 'mysql']),
  version: z.string(),
  uptimeSeconds: z.number(),
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
}
