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
  /** active | replaced (changed under the same name: a newer row took over) | rejected (not a camera log) */
  status: z.enum(['active', 'replaced', 'rejected']),
  message: z.string().nullable(),
  firstAt: z.number().nullable(),
  lastAt: z.number().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
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
  /** parts − reworks: what the operation's produced count is set to */
  good: z.number(),
  firstAt: z.number(),
  lastAt: z.number(),
});
export const lotsResponseSchema = z.object({ lots: z.array(lotCountSchema) });
export type LotCount = z.infer<typeof lotCountSchema>;
