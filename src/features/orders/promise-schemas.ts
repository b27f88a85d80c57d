// Request and answer of capable-to-promise (POST /api/schedule/promise), shared by the server and the web client.
import { z } from 'zod';

export const promiseBodySchema = z.object({
  product: z.string().trim().min(1, 'choose a product').max(64),
  quantity: z.number().int('must be a whole number of units').positive('must be > 0').max(100_000_000, 'must be at most 100 000 000'),
  rateMode: z.enum(['standard', 'observed', 'recommended']).optional(),
});
export type PromiseBody = z.infer<typeof promiseBodySchema>;

const promisedStepSchema = z.object({
  step: z.number().int(),
  machine: z.string(),
  position: z.number().int(),
  start: z.string(),
  end: z.string(),
  changeoverMinutes: z.number(),
});
export const promiseAnswerSchema = z.object({
  /** ISO instant the last step would be done; null when it does not fit in the planning horizon */
  end: z.string().nullable(),
  steps: z.array(promisedStepSchema),
  delayedWorkOrders: z.number().int(),
});
export const promiseResultSchema = z.object({
  product: z.string(),
  quantity: z.number().int(),
  askedAt: z.string(),
  untouched: promiseAnswerSchema,
  resequenced: promiseAnswerSchema,
});
export type PromiseView = z.infer<typeof promiseResultSchema>;

