// Work-order schemas: shared by the API (validation, OpenAPI) and the web app.
import { z } from 'zod';
import { reasonSchema } from '../../core/reasons.js';
import { int32, int32FromText, WORK_ORDER_PAGE_DEFAULT, WORK_ORDER_PAGE_MAX } from '../../core/limits.js';

export const lotSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'use 1–40 letters, digits, . _ or - (e.g. 159070; leading zeros are kept)');
export const rateModeSchema = z.enum(['standard', 'observed', 'recommended']);
export const operationStateSchema = z.enum(['parked', 'queued', 'running', 'done', 'held']);
export const loadModeSchema = z.enum(['replace', 'insert', 'append', 'position']);

/** The years a due date may fall in. */
export const DUE_YEARS = { from: 2000, to: 2100 } as const;

/** A due date: "2026-12-01" (end of that plant-local day) or an ISO date-time. */
export const dueSchema = z
  .string()
  .trim()
  .refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(s), 'must be a date (YYYY-MM-DD) or ISO date-time')
  // a plausible plant date: "0000-01-01" or "9999-12-31" is a typing slip, not a due date
  .refine((s) => { const year = Number(s.slice(0, 4)); return !/^\d{4}/.test(s) || (year >= DUE_YEARS.from && year <= DUE_YEARS.to); }, `must be a date between ${DUE_YEARS.from} and ${DUE_YEARS.to}`);

export const workOrderCreateSchema = z.object({
  lot: lotSchema,
  product: z.string().trim().min(1, 'required'),
  quantity: z.number().int('must be a whole number').positive('must be > 0').max(100_000_000),
  due: dueSchema.nullable().default(null),
  priority: z.number().int().min(0).max(9).default(0),
  notes: z.string().max(4000).default(''),
  rateMode: rateModeSchema.nullable().default(null),
});
// built from fields WITHOUT defaults: a PATCH must leave what it omits unchanged
export const workOrderUpdateSchema = z
  .object({
    product: z.string().trim().min(1, 'required'),
    quantity: z.number().int('must be a whole number').positive('must be > 0').max(100_000_000),
    due: dueSchema.nullable(),
    priority: z.number().int().min(0).max(9),
    notes: z.string().max(4000),
    rateMode: rateModeSchema.nullable(),
  })
  .partial()
  .extend({
  version: int32().min(1),
  /** needed once the work order is signed or a gate of it released */
  reason: reasonSchema,
});

export const operationSchema = z.object({
  step: z.number().int(),
  group: z.string(),
  groupName: z.string(),
  state: operationStateSchema,
  machine: z.string().nullable(),
  machineName: z.string().nullable(),
  position: z.number().int().nullable(),
  produced: z.number(),
  good: z.number(),
  scrap: z.number(),
  ratePerHour: z.number(),
  observedRatePerHour: z.number().nullable(),
  gate: z.object({ name: z.string(), hours: z.number(), role: z.string() }).nullable(),
  forecastStart: z.string().nullable(),
  forecastEnd: z.string().nullable(),
  /** working minutes of family changeover planned directly before the step (issue 15); 0 = none */
  changeoverMinutes: z.number(),
  /** when that changeover is over (the end of the bar's lead-in); null without one */
  changeoverEnd: z.string().nullable(),
  late: z.boolean(),
  /** the planner pinned it: the optimiser keeps its machine and its order */
  pinned: z.boolean(),
  /** a step that is not planned yet: when it would run if a machine of its group were free (estimate) */
  estimatedStart: z.string().nullable(),
  estimatedEnd: z.string().nullable(),
  actualStart: z.string().nullable(),
  actualEnd: z.string().nullable(),
});

export const workOrderSchema = z.object({
  lot: z.string(),
  product: z.string(),
  productName: z.string(),
  itemNumber: z.string(),
  color: z.string(),
  quantity: z.number(),
  due: z.string().nullable(),
  priority: z.number(),
  notes: z.string(),
  rateMode: rateModeSchema.nullable(),
  effectiveRateMode: rateModeSchema,
  status: z.enum(['parked', 'planned', 'in-progress', 'held', 'done']),
  /** a planned step ends after the due date */
  late: z.boolean(),
  /** not late as planned, but the estimate of its unplanned steps ends after the due date */
  lateRisk: z.boolean(),
  forecastEnd: z.string().nullable(),
  /** when some steps are not planned: the estimated end of the last step; null when all are planned */
  estimatedEnd: z.string().nullable(),
  /** good units of the furthest step that has produced anything (the work order's progress) */
  produced: z.number(),
  /** that step (0-based), null before any production */
  producedStep: z.number().nullable(),
  /** a signed record (a signature or a released gate): changing it needs a reason */
  signed: z.boolean(),
  operations: z.array(operationSchema),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const lotParams = z.object({ lot: z.string().min(1).max(40) });
export const operationParams = z.object({ lot: z.string().min(1).max(40), step: int32FromText().min(0) });
export const loadBodySchema = z
  .object({
    machine: z.string().min(1),
    mode: loadModeSchema.default('append'),
    position: int32().min(0).optional(),
    version: int32().min(1).optional(),
  })
  .refine((b) => b.mode !== 'position' || b.position !== undefined, { message: 'required when mode is position', path: ['position'] });
/** `reason` is needed to close an operation short of its quantity (good < quantity) */
export const operationActionSchema = z.object({ version: int32().min(1).optional(), reason: reasonSchema });
export const countsSchema = z.object({
  produced: int32().min(0),
  good: int32().min(0).optional(),
  scrap: int32().min(0).optional(),
  version: int32().min(1).optional(),
  /** needed once the work order is signed or a gate of it released */
  reason: reasonSchema,
});

export const workOrderListQuery = z.object({
  search: z.string().max(100).optional(),
  product: z.string().max(64).optional(),
  status: z.enum(['parked', 'planned', 'in-progress', 'held', 'done', 'open']).optional(),
  /** true: late as planned; false: not late as planned; risk: at risk by the estimate of unplanned steps */
  late: z.enum(['true', 'false', 'risk']).optional(),
  sort: z.enum(['lot', 'due', 'product', 'forecastEnd', 'priority', 'updated']).default('due'),
  dir: z.enum(['asc', 'desc']).default('asc'),
  /** a page of the list (the answer's x-total-count header says how many match): page on with offset */
  limit: z.coerce.number().int().min(1).max(WORK_ORDER_PAGE_MAX).default(WORK_ORDER_PAGE_DEFAULT),
  offset: int32FromText().min(0).default(0),
});

// ---- planning board (GET /api/schedule/board): instants as epoch ms
export const boardBarSchema = z.object({
  lot: z.string(),
  step: z.number(),
  product: z.string(),
  shortName: z.string(),
  color: z.string(),
  quantity: z.number(),
  /** this step's counts */
  produced: z.number(),
  good: z.number(),
  state: z.string(),
  position: z.number().nullable(),
  start: z.number().nullable(),
  end: z.number().nullable(),
  /** working minutes of family changeover at the start of the bar (its hatched lead-in); 0 = none */
  changeoverMinutes: z.number(),
  /** when the lead-in ends; null without a changeover */
  changeoverEnd: z.number().nullable(),
  late: z.boolean(),
  /** the planner pinned it: the optimiser keeps its machine and its order */
  pinned: z.boolean(),
  /** the lot is not late as planned, but the estimate of its unplanned steps ends after due */
  lateRisk: z.boolean(),
  /** the lot's estimated end when some of its steps are not planned; null when all are planned */
  estimatedEnd: z.number().nullable(),
  due: z.number().nullable(),
  version: z.number(),
});
/** A machine's whole queue, whatever part of it the board's window shows. */
export const laneQueueSchema = z.object({
  jobs: z.number().int(),
  /** end of the last planned job of the queue */
  busyUntil: z.number().nullable(),
  late: z.number().int(),
});
export const boardSchema = z.object({
  group: z.object({ key: z.string(), name: z.string() }),
  from: z.number(),
  to: z.number(),
  now: z.number(),
  lanes: z.array(z.object({
    machine: z.string(), name: z.string(), enabled: z.boolean(), queue: laneQueueSchema, bars: z.array(boardBarSchema),
    /** planned downtime of the machine overlapping the window (maintenance, a published what-if line down) */
    downtime: z.array(z.object({ id: z.number().int(), start: z.number(), end: z.number(), reason: z.string() })),
  })),
  parked: z.array(boardBarSchema),
  nonWorking: z.array(z.object({ start: z.number(), end: z.number() })),
});
export type Board = z.infer<typeof boardSchema>;
/** POST /api/schedule/replan: how many forecasts changed, how many operations are left without one */
export const replanResultSchema = z.object({ changed: z.number(), unplanned: z.number() });
export type BoardBar = z.infer<typeof boardBarSchema>;

// ---- spreadsheet import (POST /api/work-orders/import)
export const importRowErrorSchema = z.object({
  /** row as Excel shows it: the header is row 1 */
  row: z.number().int(),
  field: z.string(),
  message: z.string(),
});
export const importResultSchema = z.object({ imported: z.number().int(), errors: z.array(importRowErrorSchema) });
export type ImportRowError = z.infer<typeof importRowErrorSchema>;
export type ImportResult = z.infer<typeof importResultSchema>;

// ---- import preview (POST /api/work-orders/import/preview): the file read, nothing written
export const importPreviewRowSchema = z.object({
  row: z.number().int(),
  /** what the file says, as text (empty cells null) — shown for rows with errors too */
  lot: z.string().nullable(),
  product: z.string().nullable(),
  quantity: z.string().nullable(),
  due: z.string().nullable(),
  /** the work order it would create; null for a row with errors (it is skipped) */
  create: z
    .object({ lot: z.string(), product: z.string(), productName: z.string(), quantity: z.number().int(), due: z.string().nullable() })
    .nullable(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })),
});
export const importPreviewSchema = z.object({
  fileName: z.string().nullable(),
  sheet: z.string(),
  /** rows that would become new work orders */
  toCreate: z.number().int(),
  /** rows that would be skipped for their errors */
  withErrors: z.number().int(),
  rows: z.array(importPreviewRowSchema),
});
export type ImportPreviewRow = z.infer<typeof importPreviewRowSchema>;
export type ImportPreview = z.infer<typeof importPreviewSchema>;

export type WorkOrderCreate = z.infer<typeof workOrderCreateSchema>;
export type WorkOrderUpdate = z.infer<typeof workOrderUpdateSchema>;
export type WorkOrder = z.infer<typeof workOrderSchema>;
export type OperationView = z.infer<typeof operationSchema>;
export type WorkOrderListQuery = z.infer<typeof workOrderListQuery>;
