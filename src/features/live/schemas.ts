// What a 'production' live event carries (issue 12 item 5): for each machine new machine data
// touched, the figures the live screens show of it, as they are now — absolute values, not
// increments, so a screen applies the latest event it got and is right whatever it missed before.
// Screens (web/src) parse the event with these schemas; a screen that cannot apply a delta (a
// machine or job it does not show, an event without deltas) fetches its data again instead.
import { z } from 'zod';
import { lotCountSchema, machineRunStateSchema } from '../machine-data/schemas.js';

export const liveJobSchema = z.object({
  lot: z.string(),
  step: z.number().int(),
  state: z.enum(['parked', 'queued', 'running', 'done', 'held']),
  quantity: z.number(),
  produced: z.number(),
  /** produced less scrap booked on the operation */
  good: z.number(),
  /** quantity − produced, never below 0 */
  remaining: z.number(),
  /** the board's planned end (the last re-plan's, which may be up to the re-plan throttle old) */
  forecastEnd: z.number().nullable(),
  late: z.boolean(),
});
export type LiveJob = z.infer<typeof liveJobSchema>;

export const machineDeltaSchema = z.object({
  machine: z.string(),
  /** running / stopped by the one machine-state rule as of the event (screens re-apply the rule between events) */
  run: machineRunStateSchema,
  /** the machine's latest lot and its counts on this machine */
  lot: lotCountSchema.nullable(),
  /** the running (else first queued) operation of the machine's queue, null when the queue is empty */
  job: liveJobSchema.nullable(),
  /** parts per hour over the last 15 minutes (null before the machine's first cycle) */
  ratePerHour: z.number().nullable(),
  /** parts of the plant-local day so far */
  partsToday: z.number(),
  /** parts of the current (or last) working interval of today, null outside any */
  partsShift: z.number().nullable(),
  /** now is inside the calendar's working time */
  working: z.boolean(),
  /** the working interval partsShift counts */
  shift: z.object({ from: z.number(), to: z.number() }).nullable(),
});
export type MachineDelta = z.infer<typeof machineDeltaSchema>;

/** `data` of a 'production' event after new machine data: `deltas` is missing when they could not be worked out. */
export const productionEventDataSchema = z.object({
  machines: z.array(z.string()),
  cycles: z.number(),
  /** an interim event of live ingest: the re-plan (and its own production event) follows within seconds */
  replanPending: z.boolean().optional(),
  /** when the deltas were worked out (server clock) */
  at: z.number().optional(),
  deltas: z.array(machineDeltaSchema).optional(),
});
export type ProductionEventData = z.infer<typeof productionEventDataSchema>;
