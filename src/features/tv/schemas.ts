// The andon / TV view's answer (GET /api/tv): one tile per machine of each process group shown.
import { z } from 'zod';

export const TV_STATES = ['running', 'stopped', 'changeover', 'off-shift', 'no-data'] as const;
export type TvState = (typeof TV_STATES)[number];

export const tvTileSchema = z.object({
  machine: z.string(),
  name: z.string(),
  state: z.enum(TV_STATES),
  /** since when the machine is in this state (epoch ms), when known */
  stateSince: z.number().nullable(),
  /** when a running machine turns "stopped" if no cycle comes (the screen re-evaluates between answers) */
  stopsAt: z.number().nullable(),
  lastCycleAt: z.number().nullable(),
  /** the running (or next) job of the machine, null when its queue is empty */
  lot: z.string().nullable(),
  product: z.object({ key: z.string(), shortName: z.string(), name: z.string(), color: z.string() }).nullable(),
  quantity: z.number().nullable(),
  produced: z.number().nullable(),
  /** produced ÷ quantity, 0…1 (null without a job) */
  done: z.number().nullable(),
  /** parts per hour over the last 15 minutes */
  ratePerHour: z.number().nullable(),
  /** the routing's standard rate of the job's step */
  standardRatePerHour: z.number().nullable(),
  /** the operation's forecast end as the board has it */
  finish: z.number().nullable(),
  due: z.number().nullable(),
  late: z.boolean(),
  /** OEE of the current shift so far (0…1), null when nothing to count */
  oee: z.number().nullable(),
});
export type TvTile = z.infer<typeof tvTileSchema>;

export const tvResponseSchema = z.object({
  at: z.number(),
  /** the plant's time zone (the screen shows plant time; it cannot read the site) */
  zone: z.string(),
  /** the current (or last) shift the OEE figures cover */
  shift: z.object({ from: z.number(), to: z.number() }).nullable(),
  groups: z.array(z.object({ key: z.string(), name: z.string(), tiles: z.array(tvTileSchema) })),
});
export type TvResponse = z.infer<typeof tvResponseSchema>;

export const tvQuerySchema = z.object({
  /** comma-separated process-group keys; omitted = every group the screen may show */
  groups: z
    .string()
    .max(2000)
    .optional()
    .transform((value) => (value ?? '').split(',').map((key) => key.trim()).filter((key) => key !== '')),
});
