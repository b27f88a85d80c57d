// Schemas of the shift and weekly line reports (issue 13 item 5), shared by the API and the web app.
import { z } from 'zod';
import { oeeFiguresSchema } from '../oee/schemas.js';
import { lossesResponseSchema, machineLossesSchema } from '../oee/loss-schemas.js';
import { lossCategorySchema, shiftLogViewSchema } from '../operator-input/schemas.js';

export const shiftReportSchema = z.object({
  machine: z.object({ key: z.string(), name: z.string(), group: z.string() }),
  shift: z.object({ start: z.string(), end: z.string(), label: z.string() }),
  profile: z.string(),
  totals: oeeFiguresSchema,
  losses: machineLossesSchema,
  stops: z.array(z.object({ start: z.string(), seconds: z.number(), reason: z.string().nullable(), category: lossCategorySchema.nullable(), comment: z.string().nullable(), by: z.string().nullable() })),
  log: shiftLogViewSchema,
  /** units the operator counted vs what the camera counted as produced */
  reconciliation: z.object({ reported: z.number().nullable(), camera: z.number() }),
  /** the signatures as printed: meaning, printed name, user, role, time and what was signed */
  manifestations: z.array(z.string()),
});
export type ShiftReport = z.infer<typeof shiftReportSchema>;

export const weekReportSchema = z.object({
  week: z.string(),
  from: z.string(),
  to: z.string(),
  machines: z.array(z.object({ machine: z.string(), profile: z.string(), totals: oeeFiguresSchema, days: z.array(z.object({ label: z.string(), oee: z.number().nullable(), parts: z.number(), good: z.number() })) })),
  losses: lossesResponseSchema,
  shifts: z.array(
    z.object({
      machine: z.string(), shift: z.string(), shiftStart: z.string(), state: z.string(), signedBy: z.string().nullable(), headCount: z.number(), crewHours: z.number(),
      scrap: z.number(), rework: z.number(), notes: z.string().nullable(),
    }),
  ),
});
export type WeekReport = z.infer<typeof weekReportSchema>;
