// Machine-data schemas shared by the API and the web app: upload results, the ingest ledger and its
// errors, counts per lot. Instants are UTC epoch milliseconds.
import { z } from 'zod';

export const rowErrorSchema = z.object({ file: z.string(), line: z.number().int(), message: z.string() });

export const ingestResultSchema = z.object({
  file: z.string(),
  machine: z.string(),
  fileId: z.number().int().nullable(),
  /** cycles stored by this request */
  cycles: z.number().int(),
  /** at most 100 listed; errorCount has them all */
  errors: z.array(rowErrorSchema),
  errorCount: z.number().int(),
  /** bytes already imported before (a re-upload of a grown file continues where the last one stopped) */
  skippedBytes: z.number().int(),
  consumedBytes: z.number().int(),
  /** bytes of an incomplete last line not consumed */
  pendingBytes: z.number().int(),
  alreadyImported: z.boolean(),
  /** the file had changed since it was imported and was imported again as a new file (see warnings) */
  replaced: z.boolean(),
  /** its content was imported before under another name (that file; see warnings: "nothing stored twice") */
  duplicateOf: z.object({ fileId: z.number().int(), file: z.string(), importedAt: z.number() }).nullable(),
  /** cycles left out because they were stored already (same machine, instant and serial) */
  duplicateCycles: z.number().int(),
  warnings: z.array(z.string()),
  operationsUpdated: z.number().int(),
  firstAt: z.number().nullable(),
  lastAt: z.number().nullable(),
});
export const uploadResponseSchema = z.object({ machine: z.string(), files: z.array(ingestResultSchema) });
export type IngestResultView = z.infer<typeof ingestResultSchema>;

export const ingestFileSchema = z.object({
  id: z.number().int(),
  machine: z.string(),
  name: z.string(),
  path: z.string().nullable(),
  /** file (CLI, drop folder) | upload | mqtt | demo */
  source: z.string(),
  consumedBytes: z.number(),
  consumedLines: z.number(),
  cycles: z.number(),
  errors: z.number(),
  /**
   * active | replaced (changed under the same name: a newer row took over) | rejected (not a camera log)
   * | undone (its cycles were taken out again; message says by whom and why)
   */
  status: z.enum(['active', 'replaced', 'rejected', 'undone']),
  message: z.string().nullable(),
  firstAt: z.number().nullable(),
  lastAt: z.number().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  /** who uploaded it (null for the drop folder, CLI, MQTT) */
  createdBy: z.string().nullable(),
  /** the ledger row whose content this one repeats (nothing of that was stored twice) */
  duplicateOf: z.number().int().nullable(),
});
export type IngestFile = z.infer<typeof ingestFileSchema>;
export const ingestErrorSchema = z.object({
  id: z.number().int(),
  fileId: z.number().int(),
  file: z.string(),
  machine: z.string(),
  line: z.number().int(),
  message: z.string(),
  createdAt: z.number(),
});

export const lotCountSchema = z.object({
  machine: z.string(),
  lot: z.string(),
  item: z.string(),
  cycles: z.number(),
  parts: z.number(),
  reworks: z.number(),
  /** parts − reworks: each unit once (core/oee/units.ts); what the operation's produced count is set to */
  produced: z.number(),
  /** produced − rejects; machine data has no rejects, so equal to produced */
  good: z.number(),
  firstAt: z.number(),
  lastAt: z.number(),
});
export const lotsResponseSchema = z.object({ lots: z.array(lotCountSchema) });
export type LotCount = z.infer<typeof lotCountSchema>;

/** The check before an upload (POST /api/ingest/check): what the file holds and where it belongs. */
export const uploadCheckSchema = z.object({
  file: z.string(),
  bytes: z.number().int(),
  cycles: z.number().int(),
  errorCount: z.number().int(),
  firstAt: z.number().nullable(),
  lastAt: z.number().nullable(),
  lots: z.array(z.object({ lot: z.string(), item: z.string(), cycles: z.number().int() })),
  items: z.array(z.string()),
  /** the machine the folder name matches (key or name, case and spaces ignored), if any */
  folderMachine: z.string().nullable(),
  /** machines that already have some of the file's lots, most cycles first */
  lotsSeenOn: z.array(z.object({ machine: z.string(), lots: z.array(z.string()), cycles: z.number() })),
  itemsSeenOn: z.array(z.object({ machine: z.string(), items: z.array(z.string()) })),
  suggestedMachine: z.string().nullable(),
  /** folder | lots | items: what the suggestion rests on */
  suggestedBecause: z.enum(['folder', 'lots', 'items']).nullable(),
  /** the machine asked about (query machine), if any */
  machine: z.string().nullable(),
  /** set when the asked machine contradicts the folder or the lots */
  mismatch: z
    .object({
      /** lots of the file that other machines already have (none on the asked machine) */
      lots: z.array(z.string()),
      lotMachines: z.array(z.string()),
      folderMachine: z.string().nullable(),
    })
    .nullable(),
  /** the same file (same first bytes and name) is already imported on these machines */
  importedBefore: z.array(z.object({ machine: z.string(), fileId: z.number().int(), cycles: z.number() })),
});
export type UploadCheck = z.infer<typeof uploadCheckSchema>;

export const undoImportBodySchema = z.object({ reason: z.string().trim().min(3, 'say why the import is undone (at least 3 characters)').max(500) });
export const undoImportResultSchema = z.object({
  fileId: z.number().int(),
  file: z.string(),
  machine: z.string(),
  cyclesRemoved: z.number().int(),
  lots: z.array(z.string()),
  firstAt: z.number().nullable(),
  lastAt: z.number().nullable(),
  operationsUpdated: z.number().int(),
});
export type UndoImportResult = z.infer<typeof undoImportResultSchema>;

/** A machine's run state (GET /api/production/state); the rule is core/machine-state. */
export const machineRunStateSchema = z.object({
  machine: z.string(),
  /** running | stopped | no-data */
  state: z.enum(['running', 'stopped', 'no-data']),
  /** since when (stopped: the last cycle or the machine's own stop report; running: the end of the last long stop) */
  stateSince: z.number().nullable(),
  /** when a running machine turns stopped if no cycle comes */
  stopsAt: z.number().nullable(),
  lastCycleAt: z.number().nullable(),
  /** seconds without a cycle after which the machine counts as stopped (its OEE profile's availabilityLossSeconds) */
  thresholdSeconds: z.number(),
  /** what the machine's source last said (MQTT <prefix>/<machine>/state), if anything */
  reported: z.object({ state: z.enum(['running', 'stopped']), at: z.number(), reason: z.string().nullable(), source: z.string() }).nullable(),
});
export type MachineRunState = z.infer<typeof machineRunStateSchema>;
export const machineStatesResponseSchema = z.object({
  /** the server's clock when it answered (screens correct their own clock by it) */
  at: z.number(),
  machines: z.array(machineRunStateSchema),
});
export type MachineStatesResponse = z.infer<typeof machineStatesResponseSchema>;
