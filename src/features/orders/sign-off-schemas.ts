// Schemas of the signed steps of a work order (gate sign-offs, closing): shared by the API and the web app.
import { z } from 'zod';
import { reasonSchema } from '../../core/reasons.js';
import { signatureViewSchema } from '../auth/schemas.js';
import { int32 } from '../../core/limits.js';

export const gateSignOffSchema = z.object({
  step: z.number(),
  gateName: z.string(),
  role: z.string(),
  hours: z.number(),
  /** the step the gate follows is done: the gate can be signed */
  ready: z.boolean(),
  passedAt: z.string().nullable(),
  signature: signatureViewSchema.nullable(),
});
export const signOffsSchema = z.object({
  lot: z.string(),
  gates: z.array(gateSignOffSchema),
  /** signatures of the work order itself (closing it) */
  signatures: z.array(signatureViewSchema),
});
export const signedActionSchema = z.object({
  version: int32().min(1).optional(),
  /** needed to close a work order whose steps fell short of its quantity */
  reason: reasonSchema,
});
export type SignOffs = z.infer<typeof signOffsSchema>;
