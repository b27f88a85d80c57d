// How a CSV/TSV file maps to channels: shared by the upload route, the CLI (--mapping file.json)
// and a channel's source config.
import { z } from 'zod';

const columnRef = z.union([z.string().trim().min(1).max(200), z.number().int().min(1).max(10_000)]);

export const csvMappingSchema = z
  .object({
    /** field delimiter; absent: detected from the first line (tab, ; or ,) */
    delimiter: z.enum([',', ';', '\t', '|']).optional(),
    /** decimal separator of the values */
    decimal: z.enum(['.', ',']).default('.'),
    /** the first (not skipped) line names the columns */
    header: z.boolean().default(true),
    /** lines before the header / data to ignore (a tool's preamble) */
    skipLines: z.number().int().min(0).max(1000).default(0),
    timestamp: z
      .object({
        /** header name or 1-based column number */
        column: columnRef.default(1),
        /** 'iso' (offset optional: plant zone if none), 'epoch-ms', 'epoch-s', or a luxon format such as 'dd.MM.yyyy HH:mm:ss' */
        format: z.string().trim().min(1).max(100).default('iso'),
        /** IANA zone of times without an offset (default: the plant's) */
        zone: z.string().max(64).optional(),
      })
      .strict()
      .default({ column: 1, format: 'iso' }),
    /** value columns → channel keys; absent: every other column, named by its header */
    columns: z.array(z.object({ column: columnRef, channel: z.string().trim().min(1).max(64) }).strict()).min(1).optional(),
  })
  // a misspelt key (e.g. "delimeter") is refused rather than silently ignored
  .strict()
  .superRefine((mapping, ctx) => {
    if (mapping.decimal === ',' && mapping.delimiter === ',') ctx.addIssue({ code: 'custom', path: ['decimal'], message: "decimal ',' needs another delimiter than ','" });
    const named = [mapping.timestamp.column, ...(mapping.columns ?? []).map((c) => c.column)].some((c) => typeof c === 'string');
    if (named && !mapping.header) ctx.addIssue({ code: 'custom', path: ['header'], message: 'columns are named, so the file needs a header line (header: true) — or use column numbers' });
  });

export type CsvMapping = z.infer<typeof csvMappingSchema>;
export type CsvMappingInput = z.input<typeof csvMappingSchema>;
