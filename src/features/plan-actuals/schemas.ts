// GET /api/schedule/actuals: what actually ran on each machine of a process group in a window (lot
// runs from machine data with their stops and changeovers), the plan as it stood at each shift
// start, and how far reality drifted. Instants are epoch ms.
import { z } from 'zod';
import { lossCategorySchema } from '../operator-input/schemas.js';

export const actualStopSchema = z.object({
  /** the previous cycle; the stop is (start, end] */
  start: z.number(),
  end: z.number(),
  seconds: z.number(),
  /** index into the machine's profile's stopBinsSeconds, and its label */
  class: z.number().int(),
  classLabel: z.string(),
  /** the operator's reason (its label and loss category), when one was given */
  reason: z.string().nullable(),
  label: z.string().nullable(),
  category: lossCategorySchema.nullable(),
  /** a setup/changeover reason */
  changeover: z.boolean(),
});

export const actualRunSchema = z.object({
  lot: z.string(),
  item: z.string(),
  /** the lot's product when the lot is a work order, else the product of the item number, else null */
  product: z.string().nullable(),
  shortName: z.string().nullable(),
  color: z.string().nullable(),
  /** first and last cycle of the run */
  start: z.number(),
  end: z.number(),
  cycles: z.number().int(),
  parts: z.number().int(),
  /** every stop inside the run (gaps over the profile's maxCycleSeconds) */
  stopCount: z.number().int(),
  stopSeconds: z.number(),
  /** the run's stops of at least the profile's availabilityLossSeconds, listed */
  stops: z.array(actualStopSchema),
});

export const changeoverSchema = z.object({
  start: z.number(),
  end: z.number(),
  /** 'lot-change': the gap between two runs of different lots; 'setup-reason': a stop an operator gave a setup reason */
  kind: z.enum(['lot-change', 'setup-reason']),
  fromLot: z.string().nullable(),
  toLot: z.string().nullable(),
  label: z.string().nullable(),
});

export const baselineBarSchema = z.object({
  shiftStart: z.number(),
  lot: z.string(),
  step: z.number().int(),
  product: z.string().nullable(),
  shortName: z.string().nullable(),
  color: z.string().nullable(),
  /** the bar as planned at the shift start */
  start: z.number(),
  end: z.number(),
  /** units still to make then */
  remaining: z.number(),
  /** the part of it inside its shift: what the outline shows */
  shownStart: z.number(),
  shownEnd: z.number(),
});

export const driftSchema = z.object({
  /** the past part of the window the figures cover: shifts with a recorded plan, up to now */
  hours: z.number(),
  /** units the shift-start plans put in those hours (each bar's remaining units spread evenly over it) */
  plannedParts: z.number(),
  /** parts the machine made in them */
  actualParts: z.number().int(),
  /** the current job: its end in the latest shift-start plan and now (null when either is unknown) */
  currentLot: z.string().nullable(),
  currentStep: z.number().int().nullable(),
  plannedEnd: z.number().nullable(),
  forecastEnd: z.number().nullable(),
  /** forecastEnd − plannedEnd in hours: positive = behind plan */
  hoursBehind: z.number().nullable(),
});

export const machineActualsSchema = z.object({
  machine: z.string(),
  name: z.string(),
  profile: z.string(),
  runs: z.array(actualRunSchema),
  changeovers: z.array(changeoverSchema),
  baseline: z.array(baselineBarSchema),
  drift: driftSchema,
  /** more stops than the response lists */
  truncated: z.boolean(),
});

export const actualsSchema = z.object({
  group: z.object({ key: z.string(), name: z.string() }),
  from: z.number(),
  to: z.number(),
  now: z.number(),
  /** shifts of the window and whether their start plan was recorded */
  shifts: z.array(z.object({ start: z.number(), end: z.number(), recorded: z.boolean(), takenAt: z.number().nullable() })),
  machines: z.array(machineActualsSchema),
});

export type Actuals = z.infer<typeof actualsSchema>;
export type MachineActuals = z.infer<typeof machineActualsSchema>;
export type ActualRun = z.infer<typeof actualRunSchema>;
export type ActualStop = z.infer<typeof actualStopSchema>;
export type Changeover = z.infer<typeof changeoverSchema>;
export type BaselineBar = z.infer<typeof baselineBarSchema>;
export type Drift = z.infer<typeof driftSchema>;
