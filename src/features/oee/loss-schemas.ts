// Schemas of the loss model answers (issue 13 item 4): waterfall, six big losses, two-level Pareto,
// TEEP and labour utilisation, per machine and for the machines together.
import { z } from 'zod';
import { lossCategorySchema } from '../operator-input/schemas.js';

export const waterfallStepSchema = z.object({
  key: z.string(),
  label: z.string(),
  kind: z.enum(['total', 'loss']),
  category: lossCategorySchema.nullable(),
  seconds: z.number(),
});
const paretoReasonSchema = z.object({ reason: z.string().nullable(), label: z.string(), seconds: z.number(), count: z.number(), share: z.number().nullable(), cumulativeShare: z.number().nullable() });
export const paretoCategorySchema = z.object({
  category: lossCategorySchema,
  label: z.string(),
  seconds: z.number(),
  count: z.number(),
  share: z.number().nullable(),
  cumulativeShare: z.number().nullable(),
  reasons: z.array(paretoReasonSchema),
});
export const lossSummarySchema = z.object({
  steps: z.array(waterfallStepSchema),
  sixBigLosses: z.record(z.string(), z.number()),
  availability: z.number().nullable(),
  performance: z.number().nullable(),
  quality: z.number().nullable(),
  oee: z.number().nullable(),
  /** loading time / calendar time */
  utilisation: z.number().nullable(),
  /** OEE × utilisation */
  teep: z.number().nullable(),
  paidCrewHours: z.number(),
  producingCrewHours: z.number(),
  labourUtilisation: z.number().nullable(),
  pareto: z.array(paretoCategorySchema),
});
export const machineLossesSchema = lossSummarySchema.extend({ machine: z.string(), profile: z.string() });
export const lossesResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  machines: z.array(machineLossesSchema),
  /** the machines together (sums of their times and counts) */
  total: lossSummarySchema,
});
export type LossesResponse = z.infer<typeof lossesResponseSchema>;
