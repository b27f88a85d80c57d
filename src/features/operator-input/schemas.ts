// Schemas of what operators report (issue 13), shared by the API and the web app: the same field
// messages on the server and in the forms.
import { z } from 'zod';
import { reasonSchema } from '../../core/reasons.js';
import { int32 } from '../../core/limits.js';
import { lotSchema } from '../orders/schemas.js';
import { signatureViewSchema } from '../auth/schemas.js';
import { LOSS_CATEGORIES, reasonTreeSchema } from '../../core/losses/index.js';

export const MAX_SCRAP_QUANTITY = 1_000_000;
export const MAX_NOTE_LENGTH = 4000;
export const MAX_CREW = 50;

export const lossCategorySchema = z.enum(LOSS_CATEGORIES);

export const treeViewSchema = z.object({
  group: z.string(),
  /** 0: the starter tree, not saved yet */
  version: z.number(),
  tree: reasonTreeSchema,
  createdAt: z.string().nullable(),
  createdBy: z.string().nullable(),
});
export const treeHistorySchema = z.array(treeViewSchema);
export const treeSaveSchema = z.object({
  /** the version edited (0 for the starter tree) */
  version: int32().min(0),
  tree: z.unknown(),
});

export const segmentViewSchema = z.object({
  start: z.string(),
  startMs: z.number(),
  end: z.string(),
  endMs: z.number(),
  reason: z.string().nullable(),
  /** the reason's path as it read when given */
  label: z.string().nullable(),
  category: lossCategorySchema.nullable(),
  treeVersion: z.number().nullable(),
  comment: z.string().nullable(),
  by: z.string(),
  at: z.string(),
});
export const segmentsSchema = z.array(segmentViewSchema);

const instantSchema = z.union([int32FromNumber(), z.string().trim().min(1).max(40)]);
function int32FromNumber() {
  return z.number().int('must be a whole number of milliseconds').min(0).max(8.64e15);
}

export const stopReasonsBodySchema = z.object({
  /** one entry per reason; a second entry splits the stop at its `start`. Empty = no reason. */
  segments: z
    .array(
      z.object({
        /** epoch ms or ISO 8601; the first defaults to the stop's start */
        start: instantSchema.optional(),
        reason: z.string().trim().min(1, 'choose a reason').max(64),
        comment: z.string().trim().max(2000, 'keep the comment to 2000 characters').nullable().optional(),
      }),
    )
    .max(10, 'split a stop into at most 10 parts'),
  /** why a reason somebody already gave is changed (required then) */
  changeReason: reasonSchema,
});

export const scrapInputSchema = z
  .object({
    lot: lotSchema,
    reason: z.string().trim().min(1, 'choose a scrap reason').max(64),
    /** units thrown away */
    quantity: int32().min(0, 'must be 0 or more (scrap is never negative)').max(MAX_SCRAP_QUANTITY, `must be at most ${MAX_SCRAP_QUANTITY}`),
    /** units reworked (made good again, but not right first time: they leave quality like the camera's reworks) */
    rework: int32().min(0, 'must be 0 or more (rework is never negative)').max(MAX_SCRAP_QUANTITY, `must be at most ${MAX_SCRAP_QUANTITY}`).default(0),
    comment: z.string().trim().max(2000, 'keep the comment to 2000 characters').nullable().optional(),
  })
  .refine((s) => s.quantity + s.rework > 0, { path: ['quantity'], message: 'enter the units scrapped or reworked' });
export type ScrapInput = z.input<typeof scrapInputSchema>;

export const scrapViewSchema = z.object({
  id: z.number(),
  lot: z.string(),
  reason: z.string(),
  label: z.string(),
  category: lossCategorySchema,
  quantity: z.number(),
  rework: z.number(),
  comment: z.string().nullable(),
  at: z.string(),
  by: z.string(),
});

export const crewMemberSchema = z
  .object({
    /** a user of qmfg (their name is shown), or … */
    username: z.string().trim().min(1).max(120).nullable().optional(),
    /** … a name typed for someone without an account */
    person: z.string().trim().min(1).max(120).nullable().optional(),
    hours: z.number({ message: 'give the hours worked' }).gt(0, 'must be more than 0 hours').max(24, 'must be at most 24 hours'),
  })
  .refine((m) => Boolean(m.username) || Boolean(m.person), { path: ['username'], message: 'choose a person from the users list or type a name' });
export const crewBodySchema = z.object({ crew: z.array(crewMemberSchema).max(MAX_CREW, `at most ${MAX_CREW} people per line and shift`) });
export const crewViewSchema = z.object({ person: z.string(), username: z.string().nullable(), hours: z.number() });

export const shiftLogStateSchema = z.enum(['draft', 'submitted', 'signed', 'reopened']);
export const shiftLogBodySchema = z.object({
  version: int32().min(0),
  notes: z.string().max(MAX_NOTE_LENGTH, `keep the notes to ${MAX_NOTE_LENGTH} characters`).nullable().optional(),
  openIssues: z.string().max(MAX_NOTE_LENGTH, `keep the open issues to ${MAX_NOTE_LENGTH} characters`).nullable().optional(),
  /** units the operator counted for the shift */
  reportedCount: int32().min(0, 'must be 0 or more').nullable().optional(),
});
export const shiftActionSchema = z.object({ version: int32().min(0), reason: reasonSchema });

export const shiftLogViewSchema = z.object({
  machine: z.string(),
  shift: z.object({ start: z.string(), end: z.string(), startMs: z.number(), endMs: z.number(), label: z.string() }),
  state: shiftLogStateSchema,
  /** 0: nothing saved for this shift yet */
  version: z.number(),
  notes: z.string().nullable(),
  openIssues: z.string().nullable(),
  reportedCount: z.number().nullable(),
  crew: z.array(crewViewSchema),
  headCount: z.number(),
  crewHours: z.number(),
  scrap: z.array(scrapViewSchema),
  submittedBy: z.string().nullable(),
  submittedAt: z.string().nullable(),
  signedBy: z.string().nullable(),
  signedAt: z.string().nullable(),
  reopenedBy: z.string().nullable(),
  reopenedAt: z.string().nullable(),
  reopenReason: z.string().nullable(),
  /** what differs from the signed content (a reopened report): e.g. ['notes', 'scrap'] */
  changedSinceSigning: z.array(z.string()),
  signatures: z.array(signatureViewSchema),
  acknowledgements: z.array(z.object({ username: z.string(), at: z.string(), comment: z.string().nullable() })),
});
export type ShiftLogView = z.infer<typeof shiftLogViewSchema>;
export const ackBodySchema = z.object({ comment: z.string().trim().max(2000).nullable().optional() });
