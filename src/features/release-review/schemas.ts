// Schemas of the audit-trail review at QC release and of the periodic system review: shared by the
// API and the web app (types inferred from them).
import { z } from 'zod';
import { reasonSchema } from '../../core/reasons.js';
import { int32 } from '../../core/limits.js';
import { signatureViewSchema } from '../auth/schemas.js';
import { gateSignOffSchema, signOffsSchema } from '../orders/sign-off-schemas.js';

export const REVIEW_ITEM_KINDS = ['changed-after-entry', 'reason-override', 'reopened-shift-report', 'count-mismatch', 'invalid-signature', 'late-entry'] as const;
export type ReviewItemKind = (typeof REVIEW_ITEM_KINDS)[number];
export const REVIEW_KIND_LABELS: Record<ReviewItemKind, string> = {
  'changed-after-entry': 'Changed after entry',
  'reason-override': 'Stop reason overridden',
  'reopened-shift-report': 'Shift report reopened',
  'count-mismatch': 'Reported vs sensed count',
  'invalid-signature': 'Signature no longer valid',
  'late-entry': 'Late entry',
};

/** One audit-trail item a reviewer has to look at before the lot is released. */
export const reviewItemSchema = z.object({
  /** stable while the underlying data stays as it is: the release request names the items by it */
  id: z.string(),
  kind: z.enum(REVIEW_ITEM_KINDS),
  what: z.string(),
  who: z.string(),
  /** ISO instant of the change or entry */
  when: z.string(),
  /** where the reviewer sees the record in the web app */
  link: z.string(),
});
export type ReviewItem = z.infer<typeof reviewItemSchema>;

export const gateReviewSchema = z.object({
  lot: z.string(),
  step: z.number(),
  gateName: z.string(),
  /** this gate asks for the audit-trail review (the quality unit's release) */
  required: z.boolean(),
  settings: z.object({ countTolerance: z.number(), lateHours: z.number() }),
  items: z.array(reviewItemSchema),
});
export type GateReview = z.infer<typeof gateReviewSchema>;

const commentSchema = z.string().trim().max(1000).optional();
/** The release request: the usual signed action plus the reviewed items (every item listed for the gate). */
export const reviewedGateBodySchema = z.object({
  version: int32().min(1).optional(),
  reason: reasonSchema,
  review: z
    .object({
      items: z.array(z.object({ id: z.string().min(1).max(200), comment: commentSchema })).max(2000),
    })
    .optional(),
});
export type ReviewedGateBody = z.infer<typeof reviewedGateBodySchema>;

/** The review recorded with a gate's signature. */
export const recordedReviewSchema = z.object({
  reviewer: z.string(),
  reviewedAt: z.string(),
  signatureId: z.number(),
  /** "review done, no exceptions" when 0 */
  itemCount: z.number(),
  items: z.array(reviewItemSchema.extend({ comment: z.string().nullable() })),
});
export type RecordedReview = z.infer<typeof recordedReviewSchema>;

export const reviewedSignOffsSchema = signOffsSchema.extend({
  gates: z.array(gateSignOffSchema.extend({ review: recordedReviewSchema.nullable() })),
});
export type ReviewedSignOffs = z.infer<typeof reviewedSignOffsSchema>;

// ---- periodic review -----------------------------------------------------------------------------

export const quarterSchema = z.string().regex(/^\d{4}-Q[1-4]$/, 'a quarter such as 2026-Q4');
export const quarterParams = z.object({ quarter: quarterSchema });

export const periodicItemSchema = z.object({
  auditId: z.number(),
  at: z.string(),
  actor: z.string(),
  entity: z.string(),
  entityLabel: z.string(),
  entityKey: z.string(),
  action: z.string(),
  actionLabel: z.string(),
  reason: z.string().nullable(),
  change: z.array(z.string()),
  /** the entry arrived after the quarter's latest signed version: it is new to the reviewers */
  newSinceSigned: z.boolean(),
});
export const periodicSignedSchema = z.object({
  quarter: z.string(),
  version: z.number(),
  itemCount: z.number(),
  itemsHash: z.string(),
  signedBy: z.string(),
  signedAt: z.string(),
  signature: signatureViewSchema.nullable(),
  manifestation: z.string().nullable(),
});
export const periodicReviewSchema = z.object({
  quarter: z.string(),
  from: z.string(),
  to: z.string(),
  zone: z.string(),
  entities: z.array(z.string()),
  items: z.array(periodicItemSchema),
  /** the signed versions of this quarter, newest first */
  signed: z.array(periodicSignedSchema),
  /** items arrived since the latest signed version (or nothing was signed yet) */
  needsSignature: z.boolean(),
});
export type PeriodicReview = z.infer<typeof periodicReviewSchema>;
export const periodicListSchema = z.object({ signed: z.array(periodicSignedSchema) });
export const periodicSignBodySchema = z.object({ reason: reasonSchema });
export const periodicExportQuery = z.object({ format: z.enum(['xlsx', 'csv']).default('xlsx') });
