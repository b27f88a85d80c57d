// The lot record (eDHR) as data: a list of sections, each with facts ("Quantity: 200 000") and
// tables (operations, stops, signatures, audit trail). Every value is already what a reviewer reads
// (times as plant-local text with their zone offset), so the page, the PDF, the .xlsx and the JSON
// show the same content and the content hash covers exactly what they show.
import { z } from 'zod';

export const LOT_RECORD_FORMAT = 'qmfg-lot-record/1';

export const cellSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type Cell = z.infer<typeof cellSchema>;

/** time: plant-local "2026-12-01 14:03:27 -08:00"; flag: a change after the original entry (text = what changed, null = none) */
export const columnKindSchema = z.enum(['text', 'number', 'time', 'flag']);
export type ColumnKind = z.infer<typeof columnKindSchema>;

export const recordTableSchema = z.object({
  key: z.string(),
  title: z.string(),
  columns: z.array(z.object({ key: z.string(), header: z.string(), kind: columnKindSchema })),
  rows: z.array(z.array(cellSchema)),
});
export type RecordTable = z.infer<typeof recordTableSchema>;

export const recordSectionSchema = z.object({
  key: z.string(),
  title: z.string(),
  facts: z.array(z.object({ label: z.string(), value: cellSchema })),
  tables: z.array(recordTableSchema),
});
export type RecordSection = z.infer<typeof recordSectionSchema>;

export const lotRecordContentSchema = z.object({
  format: z.literal(LOT_RECORD_FORMAT),
  lot: z.string(),
  zone: z.string(),
  sections: z.array(recordSectionSchema),
});
export type LotRecordContent = z.infer<typeof lotRecordContentSchema>;

/** The JSON export: the content, its SHA-256 (canonical JSON of `content`), and when it was made (outside the hash). */
export const lotRecordExportSchema = z.object({
  generatedAt: z.string(),
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
  content: lotRecordContentSchema,
});
export type LotRecordExport = z.infer<typeof lotRecordExportSchema>;
