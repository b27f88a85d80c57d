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

/** The trail's verification (GET /api/audit/verify): `entries` and `brokenAt` as before issue 16, with what is wrong and when. */
export const auditVerificationSchema = z.object({
  ok: z.boolean(),
  entries: z.number(),
  brokenAt: z.number().nullable(),
  checkpoints: z.number(),
  problem: z
    .object({ kind: z.string(), entryId: z.number().nullable(), at: z.string().nullable(), message: z.string() })
    .nullable(),
  warnings: z.array(z.string()),
  startedAt: z.number(),
  finishedAt: z.number(),
});
export type AuditVerificationView = z.infer<typeof auditVerificationSchema>;

/** One recorded run of the verification (the admin screen shows the last). */
export const verificationRunSchema = z.object({
  id: z.number(),
  startedAt: z.number(),
  finishedAt: z.number(),
  origin: z.enum(['daily', 'start', 'manual', 'cli']),
  actor: z.string(),
  ok: z.boolean(),
  entries: z.number(),
  checkpoints: z.number(),
  badEntryId: z.number().nullable(),
  problem: z.string().nullable(),
  message: z.string().nullable(),
});
export type VerificationRunView = z.infer<typeof verificationRunSchema>;
