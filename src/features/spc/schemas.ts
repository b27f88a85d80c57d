// Shapes of the SPC API (issue 14 item 3): a channel's chart of subgroup means with its frozen
// limits, the drift detector, signals, capability and histogram; the limits' versions.
import { z } from 'zod';

const isoInstant = (example: string) => z.iso.datetime({ offset: true, message: `must be an ISO date-time with its offset, e.g. ${example}` });

export const RULE_SETS = ['western-electric', 'nelson', 'none'] as const;

export const limitsInputSchema = z.object({
  baselineFrom: isoInstant('2026-12-01T06:30:00-08:00'),
  baselineTo: isoInstant('2026-12-03T23:00:00-08:00'),
  subgroupMinutes: z.number().int().min(1, { message: 'must be 1 to 60 minutes' }).max(60, { message: 'must be 1 to 60 minutes' }).default(5),
  rules: z.enum(RULE_SETS).default('none'),
  reason: z.string().trim().min(1, { message: 'say why the limits change' }).max(500),
});
export type LimitsInput = z.infer<typeof limitsInputSchema>;

export const limitsSchema = z.object({
  version: z.number().int(),
  subgroupMinutes: z.number().int(),
  rules: z.enum(RULE_SETS),
  centre: z.number(),
  lcl: z.number(),
  ucl: z.number(),
  sigmaOfMeans: z.number(),
  sigmaWithin: z.number().nullable(),
  lambda: z.number(),
  width: z.number(),
  ewmaLcl: z.number(),
  ewmaUcl: z.number(),
  subgroups: z.number().int(),
  baselineFrom: z.number(),
  baselineTo: z.number(),
  createdBy: z.string(),
  createdAt: z.number(),
  reason: z.string(),
});
export type LimitsView = z.infer<typeof limitsSchema>;

const indexSchema = z.object({ value: z.number(), lower: z.number(), upper: z.number() }).nullable();

export const chartQuerySchema = z.object({
  from: isoInstant('2026-12-03T06:30:00-08:00').optional(),
  to: isoInstant('2026-12-03T23:00:00-08:00').optional(),
});

export const spcChartSchema = z.object({
  channel: z.object({ key: z.string(), name: z.string(), unit: z.string(), target: z.number().nullable(), lsl: z.number().nullable(), usl: z.number().nullable() }),
  window: z.object({ from: z.number(), to: z.number() }),
  subgroupMinutes: z.number(),
  limits: limitsSchema.nullable(),
  points: z.array(z.object({ at: z.number(), mean: z.number(), n: z.number(), outside: z.boolean() })),
  drift: z.array(z.object({ at: z.number(), value: z.number(), lcl: z.number(), ucl: z.number() })),
  signals: z.array(z.object({ rule: z.string(), ruleName: z.string(), at: z.number(), value: z.number(), message: z.string() })),
  findings: z.object({ spikes: z.number(), stuck: z.number(), gaps: z.number() }),
  capability: z.object({
    n: z.number(), mean: z.number().nullable(), sigmaWithin: z.number().nullable(), sigmaOverall: z.number().nullable(),
    cp: indexSchema, cpk: indexSchema, pp: indexSchema, ppk: indexSchema, reasons: z.array(z.string()),
  }),
  histogram: z.object({
    bins: z.array(z.object({ from: z.number(), to: z.number(), count: z.number() })),
    markers: z.object({ lsl: z.number().nullable(), usl: z.number().nullable(), target: z.number().nullable() }),
    belowLsl: z.number(),
    aboveUsl: z.number(),
  }).nullable(),
  outOfSpec: z.object({ below: z.number(), above: z.number() }),
  samples: z.number(),
  words: z.array(z.string()),
});
export type SpcChart = z.infer<typeof spcChartSchema>;
