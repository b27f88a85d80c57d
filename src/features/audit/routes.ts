import { z } from 'zod';
import type { App, AppDeps } from '../../server/context.js';
import { listAudit, verifyAuditChain } from './repository.js';

const entrySchema = z.object({
  id: z.number(),
  at: z.number(),
  actor: z.string(),
  entity: z.string(),
  entityKey: z.string(),
  action: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  reason: z.string().nullable(),
  source: z.string().nullable(),
  prevHash: z.string(),
  hash: z.string(),
});

export async function auditRoutes(app: App, { db }: AppDeps): Promise<void> {
  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['audit'],
        querystring: z.object({
          entity: z.string().max(40).optional(),
          entityKey: z.string().max(120).optional(),
          actor: z.string().max(120).optional(),
          from: z.coerce.number().int().optional(),
          to: z.coerce.number().int().optional(),
          limit: z.coerce.number().int().min(1).max(5000).optional(),
        }),
        response: { 200: z.array(entrySchema) },
      },
    },
    (req) => listAudit(db, req.query),
  );
  app.get('/api/audit/verify', { schema: { tags: ['audit'], response: { 200: z.object({ entries: z.number(), brokenAt: z.number().nullable() }) } } }, () =>
    verifyAuditChain(db),
  );
}
