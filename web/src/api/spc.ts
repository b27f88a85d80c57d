// Endpoints of SPC monitoring (/api/machines/:key/channels/:channel/spc…). The server's schemas
// (src/features/spc/schemas.ts) are not on main yet: until they land, these local copies follow the
// contract and the integrator's work in progress; they are replaced by imports from there once merged.
import { z } from 'zod';
import { requestJson } from './client.js';

const RULE_SETS = ['western-electric', 'nelson', 'none'] as const;
const isoInstant = () => z.iso.datetime({ offset: true, message: 'must be an ISO date-time with its offset' });

const limitsInputSchema = z.object({
  baselineFrom: isoInstant(),
  baselineTo: isoInstant(),
  subgroupMinutes: z.number().int().min(1, { message: 'must be 1 to 60 minutes' }).max(60, { message: 'must be 1 to 60 minutes' }).default(5),
  rules: z.enum(RULE_SETS).default('none'),
  reason: z.string().trim().min(1, { message: 'say why the limits change' }).max(500),
});

const limitsSchema = z.object({
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

const indexSchema = z.object({ value: z.number(), lower: z.number(), upper: z.number() }).nullable();

const spcChartSchema = z.object({
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

export { RULE_SETS, limitsInputSchema, limitsSchema, spcChartSchema };
export type LimitsInput = z.input<typeof limitsInputSchema>;
export type LimitsView = z.infer<typeof limitsSchema>;
export type SpcChart = z.infer<typeof spcChartSchema>;
export type SpcSignal = SpcChart['signals'][number];
export type Capability = SpcChart['capability'];
export type CapabilityIndex = Capability['cp'];

const base = (machine: string, channel: string) => `/api/machines/${encodeURIComponent(machine)}/channels/${encodeURIComponent(channel)}/spc`;

export function getSpcChart(machine: string, channel: string, from: number, to: number) {
  const params = new URLSearchParams({ from: new Date(from).toISOString(), to: new Date(to).toISOString() });
  return requestJson('GET', `${base(machine, channel)}?${params}`, spcChartSchema);
}
export const listSpcLimits = (machine: string, channel: string) => requestJson('GET', `${base(machine, channel)}/limits`, z.array(limitsSchema));
export const createSpcLimits = (machine: string, channel: string, input: LimitsInput) => requestJson('POST', `${base(machine, channel)}/limits`, limitsSchema, input);
