// The shape of a plan exception (issue 15 item 4): one zod schema per kind, the one source of the
// types the core returns, the route sends and the web page reads.
import { z } from 'zod';

export const EXCEPTION_KINDS = ['late-work-order', 'machine-overload', 'due-date-at-risk', 'gate-without-signer', 'calendar-conflict'] as const;
export type ExceptionKind = (typeof EXCEPTION_KINDS)[number];

export const severitySchema = z.enum(['critical', 'warning']);
export type Severity = z.infer<typeof severitySchema>;

const base = {
  /** stable for the same situation (kind + what it is about), so a screen can keep its place */
  id: z.string(),
  severity: severitySchema,
  /** one sentence a planner understands */
  message: z.string(),
  lot: z.string().nullable(),
  /** routing step, 0-based (the sentence says "step 1" for 0) */
  step: z.number().int().nullable(),
  machine: z.string().nullable(),
  /** process group of the board tab the link opens */
  group: z.string().nullable(),
  /** the instant the board should be centred on (epoch ms); null = now */
  at: z.number().nullable(),
};

export const lateCauseSchema = z.enum(['capacity', 'gate', 'predecessor-late', 'lead-time', 'unplannable']);
export type LateCause = z.infer<typeof lateCauseSchema>;

const lateWorkOrder = z.object({
  ...base,
  kind: z.literal('late-work-order'),
  cause: lateCauseSchema,
  due: z.number(),
  /** planned finish of the work order's last planned step; null when a step cannot be planned */
  finish: z.number().nullable(),
  /** clock hours past due; null when it cannot be planned */
  hoursLate: z.number().nullable(),
  /** capacity: working hours of the jobs ahead of it on its machine, and how many they are */
  workAheadHours: z.number().nullable(),
  jobsAhead: z.number().int().nullable(),
  /** gate: the gate it waits for, and its hours */
  gateName: z.string().nullable(),
  gateHours: z.number().nullable(),
  /** predecessor-late: where the lateness starts (cause of the earliest late step) */
  rootCause: z.object({ cause: lateCauseSchema, step: z.number().int(), machine: z.string().nullable() }).nullable(),
  /** unplannable: why the step has no forecast (held, queue-deadlock, horizon-exceeded) */
  unplannedReason: z.string().nullable(),
});

const machineOverload = z.object({
  ...base,
  kind: z.literal('machine-overload'),
  /** ISO week in the plant's zone, e.g. 2026-W03 */
  week: z.string(),
  weekStart: z.number(),
  /** working hours of the machine that week (from now for the current week; 0 when it is disabled) */
  availableHours: z.number(),
  /** working hours planned on it that week */
  plannedHours: z.number(),
  /** working hours of its work due that week (or overdue, for the current week) that the plan puts after that week */
  dueLaterHours: z.number(),
  /** (planned + due later) / available × 100; null when no working time is available */
  loadPercent: z.number().nullable(),
});

const dueDateAtRisk = z.object({
  ...base,
  kind: z.literal('due-date-at-risk'),
  due: z.number(),
  /** earliest finish if its parked steps were loaded now at the end of the best machine of their group; null = not within the horizon */
  earliestFinish: z.number().nullable(),
  /** working hours from earliest finish to due (negative = after due); null when earliestFinish is null */
  slackHours: z.number().nullable(),
  /** the machine chosen for each parked step */
  placements: z.array(z.object({ step: z.number().int(), machine: z.string() })),
});

const gateWithoutSigner = z.object({
  ...base,
  kind: z.literal('gate-without-signer'),
  reason: z.enum(['no-signer', 'overdue']),
  gateName: z.string(),
  role: z.string(),
  gateHours: z.number(),
  /** no-signer: the open lots that need the gate; overdue: the one lot */
  lots: z.array(z.string()),
  /** overdue: clock hours since the step ended */
  waitingHours: z.number().nullable(),
});

const calendarConflict = z.object({
  ...base,
  kind: z.literal('calendar-conflict'),
  reason: z.enum(['no-working-time', 'machine-disabled']),
  /** no-working-time: the next working instant of the machine (null = none within two weeks) */
  nextWorking: z.number().nullable(),
});

export const planExceptionSchema = z.discriminatedUnion('kind', [lateWorkOrder, machineOverload, dueDateAtRisk, gateWithoutSigner, calendarConflict]);
export type PlanException = z.infer<typeof planExceptionSchema>;
export type LateWorkOrderException = z.infer<typeof lateWorkOrder>;
export type MachineOverloadException = z.infer<typeof machineOverload>;
export type DueDateAtRiskException = z.infer<typeof dueDateAtRisk>;
export type GateWithoutSignerException = z.infer<typeof gateWithoutSigner>;
export type CalendarConflictException = z.infer<typeof calendarConflict>;

export const exceptionCountsSchema = z.object(
  Object.fromEntries(EXCEPTION_KINDS.map((kind) => [kind, z.number().int()])) as Record<ExceptionKind, z.ZodNumber>,
);

export const exceptionsReportSchema = z.object({
  generatedAt: z.number(),
  counts: exceptionCountsSchema,
  items: z.array(planExceptionSchema),
});
export type ExceptionsReport = z.infer<typeof exceptionsReportSchema>;
