// Schemas of the maintenance signals and the comparative analysis, shared by the API and the web app.
import { z } from 'zod';

export const HEALTH_GROUP_BY = ['day', 'week'] as const;
export const DRIFT_BUCKETS = ['hour', 'day'] as const;
export const ANALYSIS_BUCKETS = ['10min', 'hour', 'shift', 'day', 'week'] as const;
export const VERDICTS = ['ok', 'watch', 'maintenance suggested'] as const;

const trendSchema = z.object({
  slope: z.number(),
  low: z.number(),
  high: z.number(),
  level: z.number(),
  n: z.number().int(),
  direction: z.enum(['falling', 'rising', 'flat', 'unknown']),
});

export const stopClassHealthSchema = z.object({
  index: z.number().int(),
  /** micro | short | medium | long | very long (by the class's lower bound) */
  name: z.string(),
  label: z.string(),
  minSeconds: z.number(),
  maxSeconds: z.number().nullable(),
  series: z.array(z.object({ label: z.string(), from: z.string(), count: z.number(), runSeconds: z.number(), mtbfSeconds: z.number().nullable(), mttrSeconds: z.number().nullable() })),
  totals: z.object({ count: z.number(), stopSeconds: z.number(), runSeconds: z.number(), mtbfSeconds: z.number().nullable(), mttrSeconds: z.number().nullable() }),
  /** MTBF change per bucket, seconds */
  mtbfTrend: trendSchema,
});

const signalSchema = z.object({
  statistic: z.enum(['CUSUM', 'EWMA']),
  side: z.enum(['upper', 'lower']),
  index: z.number().int(),
  label: z.string(),
  value: z.number(),
  limit: z.number(),
  sinceIndex: z.number().int(),
  sinceLabel: z.string(),
});

export const findingSchema = z.object({
  kind: z.enum(['micro-stop rate', 'channel mean', 'channel spread']),
  subject: z.string(),
  statistic: z.enum(['CUSUM', 'EWMA']),
  at: z.string(),
  since: z.string(),
  text: z.string(),
});

export const healthResponseSchema = z.object({
  machine: z.string(),
  profile: z.string(),
  zone: z.string(),
  from: z.string(),
  to: z.string(),
  groupBy: z.enum(HEALTH_GROUP_BY),
  classes: z.array(stopClassHealthSchema),
  microStops: z.object({
    bucket: z.enum(DRIFT_BUCKETS),
    /** the baseline period before `from` the drift is judged against */
    baseline: z.object({ from: z.string(), to: z.string(), buckets: z.number().int(), ratePerHour: z.number().nullable(), dispersion: z.number().nullable() }),
    cusumK: z.number(),
    cusumH: z.number(),
    series: z.array(
      z.object({
        label: z.string(),
        from: z.string(),
        count: z.number(),
        runningHours: z.number(),
        perRunningHour: z.number().nullable(),
        /** standardised against the baseline; null when not scored (too little running time) */
        z: z.number().nullable(),
        cusum: z.number().nullable(),
        ewma: z.number().nullable(),
        ewmaLimit: z.number().nullable(),
      }),
    ),
    signals: z.array(signalSchema),
  }),
  findings: z.array(findingSchema),
  verdict: z.enum(VERDICTS),
  reasons: z.array(z.string()),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;
export type MaintenanceFindingView = z.infer<typeof findingSchema>;

const estimateSchema = z.object({ r: z.number(), low: z.number(), high: z.number(), level: z.number(), p: z.number() });
export const correlationSchema = z.object({
  n: z.number().int(),
  nEff: z.number(),
  autocorrelation: z.object({ x: z.number(), y: z.number() }),
  pearson: estimateSchema.nullable(),
  spearman: estimateSchema.nullable(),
});
export const lagSearchSchema = z.object({
  maxLag: z.number().int(),
  tried: z.number().int(),
  points: z.array(z.object({ lag: z.number().int(), n: z.number().int(), nEff: z.number(), r: z.number().nullable() })),
  best: z.object({ lag: z.number().int(), n: z.number().int(), nEff: z.number(), r: z.number().nullable(), estimate: estimateSchema, adjustedP: z.number() }).nullable(),
  lead: z.number().int().nullable(),
  refusal: z.string().nullable(),
});
export const wordsSchema = z.object({
  strength: z.enum(['insufficient data', 'no evidence of', 'weak', 'moderate', 'strong']),
  sentences: z.array(z.string()),
  text: z.string(),
});
const metricViewSchema = z.object({ metric: z.string(), label: z.string(), unit: z.string() });

export const correlationResponseSchema = z.object({
  machine: z.string(),
  from: z.string(),
  to: z.string(),
  bucket: z.enum(ANALYSIS_BUCKETS),
  x: metricViewSchema,
  y: metricViewSchema,
  /** buckets where both values exist */
  points: z.array(z.object({ label: z.string(), x: z.number(), y: z.number() })),
  /** least-squares line y = slope·x + intercept through the points, null with fewer than 2 */
  fit: z.object({ slope: z.number(), intercept: z.number() }).nullable(),
  correlation: correlationSchema,
  lags: lagSearchSchema,
  words: wordsSchema,
});
export type CorrelationResponse = z.infer<typeof correlationResponseSchema>;

export const compareResponseSchema = z.object({
  machines: z.array(z.string()).length(2),
  from: z.string(),
  to: z.string(),
  bucket: z.enum(ANALYSIS_BUCKETS),
  metric: metricViewSchema,
  labels: z.array(z.string()),
  /** one series per machine, aligned with labels (null: no value in that bucket) */
  series: z.array(z.object({ machine: z.string(), values: z.array(z.number().nullable()), mean: z.number().nullable() })),
  correlation: correlationSchema,
  lags: lagSearchSchema,
  words: wordsSchema,
});
export type CompareResponse = z.infer<typeof compareResponseSchema>;

export const metricsResponseSchema = z.array(metricViewSchema.extend({ description: z.string() }));
