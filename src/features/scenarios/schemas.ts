// What-if scenario schemas (issue 15 item 3), shared by the API (validation, OpenAPI) and the web app.
import { z } from 'zod';
import { reasonSchema } from '../../core/reasons.js';
import { int32, int32FromText } from '../../core/limits.js';
import { isoDate } from '../calendar/schemas.js';
import { dueSchema, lotSchema } from '../orders/schemas.js';
import { planKpisSchema } from '../orders/suggestion-schemas.js';

const key = z.string().trim().min(1, 'required').max(64);
const timeOfDay = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'must be a time of day HH:MM (00:00–24:00)');
/** an instant: ISO date-time (plant-local without an offset) or a date (its plant-local midnight) */
const instantText = z
  .string()
  .trim()
  .refine((s) => /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}.*)?$/.test(s), 'must be a date (YYYY-MM-DD) or an ISO date-time');
const quantity = z.number().int('must be a whole number').positive('must be > 0').max(100_000_000);

/** Extra working time on one plant-local date (published as an override of that ISO week). `to` ≤ `from` runs past midnight. */
export const addShiftEditSchema = z.object({ kind: z.literal('addShift'), date: isoDate, from: timeOfDay, to: timeOfDay });
/** A machine down while the site works, [from, to) (published as planned downtime of the machine). */
export const machineDownEditSchema = z.object({ kind: z.literal('machineDown'), machine: key, from: instantText, to: instantText });
/**
 * A new work order. Its first step goes on `machine` at `position` when given; otherwise (and its
 * later steps always) appended to the machine of the step's group where that step finishes earliest.
 */
export const rushOrderEditSchema = z.object({
  kind: z.literal('rushOrder'),
  lot: lotSchema,
  product: key,
  quantity,
  due: dueSchema.nullable().default(null),
  machine: key.nullable().optional(),
  position: int32().min(0).nullable().optional(),
});
export const quantityEditSchema = z.object({ kind: z.literal('quantity'), lot: z.string().trim().min(1).max(40), quantity });
/** An operation onto a machine's queue at `position` (clamped; a running job stays first), or to the parking lot with machine null. */
export const moveEditSchema = z.object({
  kind: z.literal('move'),
  lot: z.string().trim().min(1).max(40),
  step: int32().min(0),
  machine: key.nullable(),
  position: int32().min(0).nullable().optional(),
});
export const editSchema = z.discriminatedUnion('kind', [addShiftEditSchema, machineDownEditSchema, rushOrderEditSchema, quantityEditSchema, moveEditSchema]);
export type EditInput = z.infer<typeof editSchema>;

/**
 * An edit as stored: with an id within its scenario; machineDown's from/to and rushOrder's due as
 * UTC ISO instants (what the plant-local input meant when it was added).
 */
export const storedEditSchema = z.intersection(z.object({ id: z.number().int() }), editSchema);
export type StoredEdit = EditInput & { id: number };

export const scenarioStateSchema = z.enum(['open', 'published', 'discarded']);

export const scenarioSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  notes: z.string(),
  state: scenarioStateSchema,
  createdBy: z.string(),
  createdAt: z.number(),
  /** when the live plan was copied, and its fingerprint then */
  basisAt: z.number(),
  basis: z.string(),
  version: z.number().int(),
  publishedAt: z.number().nullable(),
  publishedBy: z.string().nullable(),
  edits: z.array(storedEditSchema),
  /** what changed in the live plan since the copy: machines whose queues changed (publish needs force then) */
  liveChanges: z.object({ changed: z.boolean(), machines: z.array(z.object({ key: z.string(), name: z.string() })) }),
});
export type ScenarioView = z.infer<typeof scenarioSchema>;
export const scenarioListSchema = z.object({ items: z.array(scenarioSchema.omit({ edits: true }).extend({ editCount: z.number().int() })) });

export const scenarioCreateSchema = z.object({
  name: z.string().trim().min(1, 'required').max(120),
  notes: z.string().max(4000).default(''),
  edits: z.array(editSchema).max(200).default([]),
});
export const scenarioUpdateSchema = z.object({
  version: int32().min(1),
  name: z.string().trim().min(1, 'required').max(120).optional(),
  notes: z.string().max(4000).optional(),
});
export const addEditsSchema = z.object({ version: int32().min(1), edits: z.array(editSchema).min(1).max(200) });
export const versionBodySchema = z.object({ version: int32().min(1), reason: reasonSchema });
export const publishSchema = z.object({
  version: int32().min(1),
  /** required: the live plant changes */
  reason: reasonSchema,
  /** publish although the live queues changed since the copy (after the planner saw what changed) */
  force: z.boolean().default(false),
});
export const scenarioParams = z.object({ id: int32FromText().min(1) });
export const editParams = z.object({ id: int32FromText().min(1), edit: int32FromText().min(1) });

const finishSchema = z.object({
  lot: z.string(),
  product: z.string(),
  shortName: z.string(),
  color: z.string(),
  due: z.number().nullable(),
  /** the work order's end (its last planned step), null when it has none in that plan */
  liveEnd: z.number().nullable(),
  scenarioEnd: z.number().nullable(),
  /** scenario − live, in hours; null when either is missing */
  differenceHours: z.number().nullable(),
  liveLate: z.boolean(),
  scenarioLate: z.boolean(),
  /** only in the scenario (a rush order) */
  added: z.boolean(),
  changed: z.boolean(),
});
const utilisationSchema = z.object({
  machine: z.string(),
  name: z.string(),
  group: z.string(),
  live: z.object({ plannedHours: z.number(), availableHours: z.number(), utilisation: z.number() }),
  scenario: z.object({ plannedHours: z.number(), availableHours: z.number(), utilisation: z.number() }),
});
export const comparisonSchema = z.object({
  scenario: z.number().int(),
  version: z.number().int(),
  computedAt: z.number(),
  /** utilisation is planned working hours ÷ the machine's working time over [from, to) = the next 4 weeks */
  window: z.object({ from: z.number(), to: z.number() }),
  kpis: z.object({ live: planKpisSchema, scenario: planKpisSchema }),
  utilisation: z.array(utilisationSchema),
  /** every open work order, changed ones first (largest difference first), then by scenario end */
  finishes: z.array(finishSchema),
  /** edits that no longer apply to the live plan (a lot finished or deleted since), each with why */
  skipped: z.array(z.object({ edit: z.number().int(), message: z.string() })),
});
export type Comparison = z.infer<typeof comparisonSchema>;
export const publishResultSchema = z.object({ scenario: scenarioSchema, kpis: z.object({ before: planKpisSchema, after: planKpisSchema }), machines: z.array(z.string()) });
