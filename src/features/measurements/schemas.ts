// Measurement channel schemas: shared by the API (validation, OpenAPI) and the web app (forms, types).
import { z } from 'zod';
import { csvMappingSchema } from '../../core/measurements/mapping.js';
import { keySchema, versionSchema } from '../plant/schemas.js';

/** Units a channel may carry (a typo like "°c" or "kpa" is refused rather than stored). */
export const UNITS = [
  'mm', 'µm', 'm', 'mm/s', 'm/min', '°C', 'K', 'kPa', 'Pa', 'hPa', 'bar', 'mbar', 'psi', 'N', 'kN', 'N/mm', 'N/15mm', 'Nm',
  '%', '%RH', 'g', 'kg', 'mg', 'g/m²', 's', 'ms', 'V', 'mV', 'A', 'mA', 'W', 'kW', 'Hz', 'rpm', 'l/min', 'm³/h', 'ppm', 'count',
] as const;

const finite = () => z.number().finite();

/** Where a channel's samples come from; `fileName` = its name in files (LVM heading, CSV column) when not its key or name. */
export const channelSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('upload'), fileName: z.string().trim().min(1).max(200).optional() }),
  z.object({ kind: z.literal('drop-folder'), fileName: z.string().trim().min(1).max(200).optional() }),
  z.object({ kind: z.literal('mqtt') }),
  z.object({ kind: z.literal('csv'), fileName: z.string().trim().min(1).max(200).optional(), mapping: csvMappingSchema }),
]);
export type ChannelSource = z.infer<typeof channelSourceSchema>;

const channelFields = z.object({
  name: z.string().trim().min(1, 'required').max(120),
  quantity: z.string().trim().min(1, 'required').max(64),
  unit: z.enum(UNITS, { message: `unknown unit: use one of ${UNITS.join(', ')}` }),
  target: finite().nullable().default(null),
  lsl: finite().nullable().default(null),
  usl: finite().nullable().default(null),
  samplePeriodSeconds: finite().positive('the sampling period must be more than 0 seconds').max(86_400 * 31),
  source: channelSourceSchema.default({ kind: 'upload' }),
});

/** LSL < USL, and a target between them. */
function checkLimits(value: { lsl: number | null; usl: number | null; target: number | null }, ctx: z.RefinementCtx): void {
  if (value.lsl !== null && value.usl !== null && value.lsl >= value.usl) ctx.addIssue({ code: 'custom', path: ['usl'], message: `USL must be above LSL (${value.lsl})` });
  if (value.target !== null && value.lsl !== null && value.target < value.lsl) ctx.addIssue({ code: 'custom', path: ['target'], message: `target is below LSL (${value.lsl})` });
  if (value.target !== null && value.usl !== null && value.target > value.usl) ctx.addIssue({ code: 'custom', path: ['target'], message: `target is above USL (${value.usl})` });
}

export const channelCreateSchema = channelFields.extend({ key: keySchema }).superRefine(checkLimits);
export const channelUpdateSchema = channelFields.extend({ version: versionSchema }).superRefine(checkLimits);
export type ChannelCreate = z.infer<typeof channelCreateSchema>;
export type ChannelUpdate = z.infer<typeof channelUpdateSchema>;

export const channelSchema = z.object({
  id: z.number().int(),
  machine: z.string(),
  key: z.string(),
  name: z.string(),
  quantity: z.string(),
  unit: z.string(),
  target: z.number().nullable(),
  lsl: z.number().nullable(),
  usl: z.number().nullable(),
  samplePeriodSeconds: z.number(),
  source: channelSourceSchema,
  version: z.number().int(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Channel = z.infer<typeof channelSchema>;

export const machineParams = z.object({ key: z.string().min(1).max(120) });
export const channelParams = z.object({ key: z.string().min(1).max(120), channel: z.string().min(1).max(120) });

const rowErrorSchema = z.object({ file: z.string(), line: z.number().int(), message: z.string() });

export const measurementFileResultSchema = z.object({
  file: z.string(),
  fileId: z.number().int().nullable(),
  format: z.enum(['lvm', 'csv']),
  /** samples stored by this run */
  stored: z.number().int(),
  /** samples already stored (same channel and instant) and left out */
  duplicates: z.number().int(),
  errors: z.array(rowErrorSchema),
  errorCount: z.number().int(),
  /** bytes an earlier run had already consumed */
  skippedBytes: z.number().int(),
  consumedBytes: z.number().int(),
  alreadyImported: z.boolean(),
  /** stored per channel key */
  channels: z.record(z.string(), z.number().int()),
  firstAt: z.number().nullable(),
  lastAt: z.number().nullable(),
});
export type MeasurementFileResult = z.infer<typeof measurementFileResultSchema>;

export const uploadResultSchema = z.object({ machine: z.string(), files: z.array(measurementFileResultSchema) });

/** `bucket`: 'raw', or a width ≥ 1 min such as 1m, 15m, 1h, 1d (absent: chosen, ≤ ~600 points). */
export const seriesQuerySchema = z
  .object({
    from: z.coerce.number().int().min(0).max(8.64e15),
    to: z.coerce.number().int().min(0).max(8.64e15),
    bucket: z
      .string()
      .regex(/^(raw|\d{1,6}[mhd])$/, "use 'raw' or a width like 1m, 15m, 1h, 1d")
      .optional(),
  })
  .superRefine((q, ctx) => {
    if (q.to <= q.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must be after from' });
    if (q.bucket && q.bucket !== 'raw' && Number(q.bucket.slice(0, -1)) < 1) ctx.addIssue({ code: 'custom', path: ['bucket'], message: 'a bucket is at least 1m' });
  });

export const seriesSchema = z.object({
  channel: z.string(),
  unit: z.string(),
  from: z.number(),
  to: z.number(),
  /** null: raw samples */
  bucketMs: z.number().nullable(),
  buckets: z.array(z.object({ start: z.number(), n: z.number().int(), mean: z.number(), min: z.number(), max: z.number(), sd: z.number().nullable() })),
  samples: z.array(z.object({ at: z.number(), value: z.number() })),
});
