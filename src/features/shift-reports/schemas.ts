// Schemas of the operator screen and the shift reports (issue 13), shared by the API and the web app.
import { z } from 'zod';
import { shiftLogViewSchema, treeViewSchema } from '../operator-input/schemas.js';
import { stopSchema } from '../oee/schemas.js';

const jobSchema = z.object({
  lot: z.string(),
  step: z.number(),
  product: z.string(),
  productName: z.string(),
  quantity: z.number(),
  produced: z.number(),
  good: z.number(),
  state: z.string(),
  forecastEnd: z.string().nullable(),
  late: z.boolean(),
});

export const operatorViewSchema = z.object({
  machine: z.object({ key: z.string(), name: z.string(), group: z.string(), groupName: z.string() }),
  /** the shift shown: the one running at `at`, else the latest before it */
  shift: z.object({ start: z.string(), end: z.string(), startMs: z.number(), endMs: z.number(), label: z.string(), running: z.boolean() }),
  previousShift: z.object({ start: z.string(), startMs: z.number(), label: z.string() }).nullable(),
  nextShiftStartMs: z.number().nullable(),
  current: jobSchema.nullable(),
  next: jobSchema.nullable(),
  counts: z.object({
    parts: z.number(),
    good: z.number(),
    reworks: z.number(),
    rejects: z.number(),
    /** parts per minute over the shift so far */
    ratePerMinute: z.number().nullable(),
    oee: z.number().nullable(),
    availability: z.number().nullable(),
    performance: z.number().nullable(),
    quality: z.number().nullable(),
  }),
  /** stops of the shift at least QMFG_REASON_PROMPT_SECONDS long, oldest first */
  stops: z.array(stopSchema),
  /** how many of them still have no reason */
  openStops: z.number(),
  /** shorter stops: automatic reason "minor stop" */
  minorStops: z.object({ count: z.number(), seconds: z.number() }),
  promptSeconds: z.number(),
  log: shiftLogViewSchema,
  /** the previous shift's log: its notes and open issues are this shift's handover */
  handover: shiftLogViewSchema.nullable(),
  tree: treeViewSchema,
  /** lots scrap can be booked to: those run in the shift and the current and next jobs */
  lots: z.array(z.string()),
  /** people for the crew list */
  people: z.array(z.object({ username: z.string(), name: z.string(), role: z.string() })),
});
export type OperatorView = z.infer<typeof operatorViewSchema>;

/** One row of an uploaded shift sheet and what became of it (workbook-import.ts). */
export const workbookRowResultSchema = z.object({
  sheet: z.string(),
  /** 1-based, as the spreadsheet program shows it */
  row: z.number(),
  status: z.enum(['imported', 'unchanged', 'error', 'conflict']),
  /** the column in words ("reason", "split at") for an error */
  field: z.string().optional(),
  /** "Stops row 7, reason: 'Jamm' is not a reason of Pouching – iTrak" */
  message: z.string().optional(),
});
export const workbookImportResultSchema = z.object({
  rows: z.array(workbookRowResultSchema),
  imported: z.number(),
  unchanged: z.number(),
  errors: z.number(),
  conflicts: z.number(),
});
export type WorkbookRowResult = z.infer<typeof workbookRowResultSchema>;
export type WorkbookImportResult = z.infer<typeof workbookImportResultSchema>;
