// Audit-trail schemas: shared by the API and the web app's audit screen.
import { z } from 'zod';
import { signatureViewSchema } from '../auth/schemas.js';

export const auditEntrySchema = z.object({
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
  /** the electronic signature given with this change, checked against the record as it is now */
  signature: signatureViewSchema.nullable(),
});
export type AuditEntryView = z.infer<typeof auditEntrySchema>;

export const auditQuery = z.object({
  entity: z.string().max(40).optional(),
  entityKey: z.string().max(120).optional(),
  actor: z.string().max(120).optional(),
  from: z.coerce.number().int().optional(),
  to: z.coerce.number().int().optional(),
  limit: z.coerce.number().int().min(1).max(5000).optional(),
});

export type AuditQuery = z.infer<typeof auditQuery>;
