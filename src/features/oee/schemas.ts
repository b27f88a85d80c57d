// OEE schemas shared by the API and the web app: profiles, OEE results per window and bucket, stops.
import { z } from 'zod';
import { lossCategorySchema, segmentsSchema } from '../operator-input/schemas.js';
import { reasonSchema } from '../../core/reasons.js';
import { int32 } from '../../core/limits.js';
import { GROUP_BY } from '../../core/oee/buckets.js';

/** Results from derived data need every stop stored: gaps > 1.0 s are, so maxCycleSeconds ≥ 1.0. */
export const MIN_MAX_CYCLE_SECONDS = 1.0;

const positiveSeconds = z.number().finite().positive();

/** Body of POST /api/oee/profiles (and PUT, with version). Core rules (ascending bins …) are checked on top. */
export const profileParamsSchema = z.object({
  maxCycleSeconds: z
    .number()
    .finite()
    .min(MIN_MAX_CYCLE_SECONDS, `must be at least ${MIN_MAX_CYCLE_SECONDS} s: stops are derived from the gaps longer than 1 s`)
    .max(3600),
  stopBinsSeconds: z.array(positiveSeconds).min(1).max(12),
  availabilityLossSeconds: positiveSeconds,
  basis: z.enum(['calendar', 'firstToLastPart']),
  idealRatePerMinute: z.number().finite().positive().max(100_000),
});

export const profileNameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" or "-", starting with a letter or digit');

export const profileCreateSchema = profileParamsSchema.extend({ name: profileNameSchema, reason: z.string().max(500).optional() });
export const profileUpdateSchema = profileParamsSchema.extend({ version: int32().min(1), reason: z.string().max(500).optional() });

export const profileSchema = profileParamsSchema.extend({
  name: z.string(),
  version: z.number().int(),
  /** "name@vN", as results name it */
  label: z.string(),
  /** the name the screens show ("iTrak (legacy analysis)") */
  displayName: z.string(),
  builtin: z.boolean(),
  updatedAt: z.string().nullable(),
});
export const profileVersionSchema = profileSchema.extend({ actor: z.string().nullable() });
export const profileDetailSchema = profileSchema.extend({ history: z.array(profileVersionSchema) });

export type ProfileParams = z.infer<typeof profileParamsSchema>;
export type ProfileCreate = z.infer<typeof profileCreateSchema>;
export type ProfileUpdate = z.infer<typeof profileUpdateSchema>;
export type ProfileView = z.infer<typeof profileSchema>;
export type ProfileVersionView = z.infer<typeof profileVersionSchema>;

export const stopClassSchema = z.object({ minSeconds: z.number(), maxSeconds: z.number().nullable(), count: z.number(), seconds: z.number() });

/** The keys of `qmfg analyze --json` (OeeResult of src/core/oee). */
export const oeeResultSchema = z.object({
  machine: z.string().nullable(),
  from: z.string(),
  to: z.string(),
  profile: z.string(),
  cycles: z.number(),
  parts: z.number(),
  emptyCycles: z.number(),
  reworks: z.number(),
  loadingSeconds: z.number(),
  availabilityLossSeconds: z.number(),
  netRunSeconds: z.number(),
  availability: z.number().nullable(),
  performance: z.number().nullable(),
  quality: z.number().nullable(),
  oee: z.number().nullable(),
  stops: z.object({ count: z.number(), seconds: z.number(), classes: z.array(stopClassSchema) }),
  mtbfSeconds: z.number().nullable(),
  mttrSeconds: z.number().nullable(),
  averageRatePerMinute: z.number().nullable(),
  emptyRate: z.number().nullable(),
  reworkRate: z.number().nullable(),
  runSeconds: z.number(),
  effectiveRatePerMinute: z.number().nullable(),
  rejects: z.number(),
  warnings: z.array(z.string()),
});
/** A result as the API answers it: the analyze keys plus the units made (src/core/oee/units.ts). */
export const oeeFiguresSchema = oeeResultSchema.extend({
  /** parts − reworks: each unit once */
  produced: z.number(),
  /** produced − rejects: what quality counts */
  good: z.number(),
});
/** One bucket of a series: the result of that bucket's window plus a plant-local label. */
export const oeeBucketSchema = oeeFiguresSchema.extend({ label: z.string() });
export const machineOeeSchema = z.object({
  machine: z.string(),
  /** "name@vN" of the profile used */
  profile: z.string(),
  totals: oeeFiguresSchema,
  series: z.array(oeeBucketSchema),
});
export const oeeResponseSchema = z.object({
  /** the window actually used: from/to floored to the minute, ISO 8601 UTC */
  from: z.string(),
  to: z.string(),
  zone: z.string(),
  groupBy: z.enum(GROUP_BY).nullable(),
  /** one entry per requested machine, in the order asked */
  machines: z.array(machineOeeSchema),
});
export type OeeBucket = z.infer<typeof oeeBucketSchema>;
export type MachineOee = z.infer<typeof machineOeeSchema>;
export type OeeResponse = z.infer<typeof oeeResponseSchema>;

export const stopSchema = z.object({
  machine: z.string(),
  /** ISO 8601 UTC: the previous cycle (the stop is (start, end]) */
  start: z.string(),
  end: z.string(),
  startMs: z.number(),
  endMs: z.number(),
  /** the whole stop, end − start: what its class is by */
  seconds: z.number(),
  /** its part inside the window's loading time: what stop time and availability loss count of it */
  countedSeconds: z.number(),
  /** the stop began before the window (it continues before it) */
  startsBeforeWindow: z.boolean(),
  /** the stop ended after the window (it continues after it) */
  endsAfterWindow: z.boolean(),
  /** index into the profile's stopBinsSeconds */
  class: z.number().int(),
  classLabel: z.string(),
  availabilityLoss: z.boolean(),
  /** the reason (a leaf id of the process group's tree) of the stop, or of its first part when split */
  reason: z.string().nullable(),
  /** the reason's path as it read when given ("Unplanned › Jam › Pocket jam") */
  label: z.string().nullable(),
  category: lossCategorySchema.nullable(),
  comment: z.string().nullable(),
  reasonBy: z.string().nullable(),
  /** a short stop's automatic reason (minor stop): nobody gave it */
  automatic: z.boolean(),
  /** the stop's reasons, one per part (two or more when an operator split it) */
  segments: segmentsSchema,
});
export const stopsResponseSchema = z.object({
  machine: z.string(),
  profile: z.string(),
  from: z.string(),
  to: z.string(),
  stops: z.array(stopSchema),
  /** more stops matched than `limit` */
  truncated: z.boolean(),
});
export const stopReasonBodySchema = z.object({
  /** a reason of the machine's process-group tree (its leaf id); null clears it */
  reason: z.string().trim().min(1).max(64).nullable(),
  comment: z.string().trim().max(2000).nullable().optional(),
  /** why an already given reason code is being changed (required then; `reason` is the stop's code) */
  changeReason: reasonSchema,
});
export type Stop = z.infer<typeof stopSchema>;
export type StopsResponse = z.infer<typeof stopsResponseSchema>;

/** GET /api/oee/rate: the fine rate series of one machine from its raw cycles (see src/core/oee/rate-series.ts). */
export const rateResponseSchema = z.object({
  machine: z.string(),
  from: z.string(),
  to: z.string(),
  rollingSeconds: z.number(),
  stepSeconds: z.number(),
  /** point instants, UTC epoch ms */
  at: z.array(z.number()),
  /** parts per minute in the rolling window centred on each point */
  ratePerMinute: z.array(z.number()),
  /** good parts from `from` up to each point */
  cumulativeGood: z.array(z.number()),
  /** raw cycles are kept from this instant on (ISO 8601 UTC): earlier windows have no fine series */
  rawKeptFrom: z.string(),
});
export type RateResponse = z.infer<typeof rateResponseSchema>;
