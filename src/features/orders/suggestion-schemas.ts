// Request and answer shapes of "Suggest a plan" (issue 15 item 2): POST /api/schedule/suggestions and
// POST /api/schedule/suggestions/accept. The web client imports these; the OpenAPI document is generated from them.
import { z } from 'zod';

export const MAX_SUGGESTION_SECONDS = 30;
export const DEFAULT_SUGGESTION_SECONDS = 3;

const machineKey = z.string().min(1).max(64);
const lotKey = z.string().min(1).max(64);

export const suggestionRequestSchema = z.object({
  /** wall-clock budget of the search, 0 < x ≤ 30 (default 3) */
  timeLimitSeconds: z.number().gt(0, 'must be more than 0 seconds').max(MAX_SUGGESTION_SECONDS, `must be at most ${MAX_SUGGESTION_SECONDS} seconds`).default(DEFAULT_SUGGESTION_SECONDS),
  /** queued operations starting within this many hours keep machine and order */
  frozenHours: z.number().min(0).max(24 * 366).default(0),
  /** moving an already-queued job costs as much as an hour of lateness */
  nonDisruptive: z.boolean().default(false),
  seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
  /** iteration budget: with a seed, the suggestion depends only on the plan, the seed and this budget (unless the time limit ends it first) */
  iterations: z.number().int().min(0).max(10_000_000).optional(),
});
export type SuggestionRequest = z.infer<typeof suggestionRequestSchema>;

export const planKpisSchema = z.object({
  totalTardinessHours: z.number(),
  lateWorkOrders: z.number().int(),
  changeoverHours: z.number(),
  /** the last planned end (epoch ms); null when nothing is planned */
  lastEnd: z.number().nullable(),
  unplannedOperations: z.number().int(),
});
export type PlanKpisView = z.infer<typeof planKpisSchema>;

export const queueEntrySchema = z.object({ lot: lotKey, step: z.number().int().min(0).max(1000) });
export type QueueEntry = z.infer<typeof queueEntrySchema>;

/** One operation of a queue, as planned now or in the suggestion. */
export const suggestedOperationSchema = z.object({
  lot: z.string(),
  step: z.number().int(),
  product: z.string(),
  shortName: z.string(),
  color: z.string(),
  start: z.number().nullable(),
  end: z.number().nullable(),
  changeoverMinutes: z.number(),
  late: z.boolean(),
  due: z.number().nullable(),
});
export type SuggestedOperation = z.infer<typeof suggestedOperationSchema>;

export const operationMoveSchema = z.object({
  lot: z.string(),
  step: z.number().int(),
  fromMachine: z.string().nullable(),
  fromPosition: z.number().int().nullable(),
  toMachine: z.string(),
  toPosition: z.number().int(),
});

/** What happens to one operation on a changed machine: it arrives (from another machine or the parking lot), leaves, or changes place in the order. */
export const machineMoveSchema = z.object({
  lot: z.string(),
  step: z.number().int(),
  kind: z.enum(['arrives', 'leaves', 'resequenced']),
  /** machine it comes from (null = parking lot) */
  fromMachine: z.string().nullable(),
  fromPosition: z.number().int().nullable(),
  toMachine: z.string(),
  toPosition: z.number().int(),
});
export type MachineMove = z.infer<typeof machineMoveSchema>;

export const machineDiffSchema = z.object({
  machine: z.string(),
  name: z.string(),
  group: z.string(),
  current: z.array(suggestedOperationSchema),
  suggested: z.array(suggestedOperationSchema),
  moves: z.array(machineMoveSchema),
});
export type MachineDiff = z.infer<typeof machineDiffSchema>;

export const suggestionSchema = z.object({
  id: z.string(),
  /** fingerprint of the live queues and operation states the suggestion was computed from */
  basis: z.string(),
  /** the "now" it was computed for (epoch ms); the accept checks the frozen horizon against it */
  computedAt: z.number(),
  frozenHours: z.number(),
  nonDisruptive: z.boolean(),
  seed: z.number().int(),
  /** before: the plan as it stands; parkedAtEnd: it with the parked operations loaded at the end where each finishes earliest; after: the suggestion */
  kpis: z.object({ before: planKpisSchema, parkedAtEnd: planKpisSchema, after: planKpisSchema }),
  /** every machine whose queue changes */
  machines: z.array(machineDiffSchema),
  /** every machine's suggested queue in order (held operations are not in it: they keep their places) — send it back to accept */
  queues: z.record(z.string(), z.array(queueEntrySchema)),
  moves: z.array(operationMoveSchema),
  iterations: z.number().int(),
  elapsedMs: z.number(),
  provedOptimal: z.boolean(),
});
export type Suggestion = z.infer<typeof suggestionSchema>;

export const acceptRequestSchema = z.object({
  /** the suggestion's basis: refused with 409 when the live queues changed since */
  basis: z.string().min(1).max(200),
  /** the suggested queues as the suggestion returned them */
  queues: z.record(machineKey, z.array(queueEntrySchema).max(20_000)),
  /** the machines to take the suggestion for; absent = all */
  machines: z.array(machineKey).min(1).max(1_000).optional(),
  /** the suggestion's computedAt and frozenHours, so the accept checks the same frozen horizon */
  computedAt: z.number().int().min(0).max(8.64e15).optional(),
  frozenHours: z.number().min(0).max(24 * 366).default(0),
  /** the suggestion's id, for the audit trail */
  suggestion: z.string().max(100).optional(),
  reason: z.string().max(1000).optional(),
});
export type AcceptRequest = z.infer<typeof acceptRequestSchema>;

export const acceptResultSchema = z.object({
  /** machines whose queue changed */
  machines: z.array(z.string()),
  /** operations whose machine, place or state changed */
  changedOperations: z.number().int(),
  /** operations moved off an accepted machine to one that was not accepted: they wait in the parking lot */
  parked: z.array(queueEntrySchema),
  kpis: z.object({ before: planKpisSchema, after: planKpisSchema }),
});
export type AcceptResult = z.infer<typeof acceptResultSchema>;
