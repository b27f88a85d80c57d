// Streaming parser for CSV/TSV measurement files with a column mapping (mapping.ts): one timestamp
// column (ISO, epoch or a luxon format, local times in the plant's zone) and one or more value
// columns, each a channel. Each line is split by the `split` function given (the feature passes
// csv-parse's: quotes, embedded delimiters — core itself imports no parsing library); a bad
// line is reported with file:line and reason, the good ones are kept. Empty cells are missing
// values. Pure: no I/O.
import { DateTime } from 'luxon';
import type { CsvMapping } from './mapping.js';
import { MAX_LISTED_ERRORS } from './lvm.js';
import { parseNumber, type MeasurementParser, type ParseOutput, type ParsedChannel } from './types.js';

/** Splits one line into its fields (quotes removed); throws on a malformed line. */
export type FieldSplitter = (line: string, delimiter: string) => string[];

export interface CsvParserOptions {
  file: string;
  zone: string;
  mapping: CsvMapping;
  split: FieldSplitter;
}

interface Layout {
  time: number;
  values: { index: number; channel: string }[];
}

export class CsvMeasurementParser implements MeasurementParser {
  private readonly mapping: CsvMapping;
  private readonly zone: string;
  private delimiter: string | null;
  private layout: Layout | null = null;
  private skipped = 0;
  private errorCount = 0;
  private rejected = false;
  private rows = 0;

  constructor(private readonly options: CsvParserOptions) {
    this.mapping = options.mapping;
    this.zone = options.mapping.timestamp.zone ?? options.zone;
    this.delimiter = options.mapping.delimiter ?? null;
  }

  channels(): ParsedChannel[] {
    return (this.layout?.values ?? []).map((v) => ({ name: v.channel, unit: null }));
  }

  line(text: string, number: number, out: ParseOutput): void {
    if (this.rejected) return;
    if (this.skipped < this.mapping.skipLines) {
      this.skipped++;
      return;
    }
    if (text.trim() === '') return;
    if (this.delimiter === null) this.delimiter = detectDelimiter(text, this.mapping.decimal);
    let fields: string[];
    try {
      fields = this.options.split(text.replace(/^\uFEFF/, ''), this.delimiter);
    } catch (error) {
      return this.error(out, number, `cannot split the line: ${(error as Error).message}`);
    }
    if (!this.layout) {
      const layout = this.resolveLayout(fields, number, out);
      if (!layout) {
        this.rejected = true;
        return;
      }
      this.layout = layout;
      if (this.mapping.header) return;
    }
    this.row(fields, number, out);
  }

  finish(out: ParseOutput): void {
    if (!this.rejected && !this.layout) this.error(out, 0, 'the file has no lines to read');
    else if (!this.rejected && this.rows === 0 && this.errorCount === 0) this.error(out, 0, 'the file has a header but no data rows');
    if (this.errorCount > MAX_LISTED_ERRORS) out.errors.push({ file: this.options.file, line: 0, message: `${this.errorCount - MAX_LISTED_ERRORS} more bad rows not listed` });
  }

  private resolveLayout(fields: string[], number: number, out: ParseOutput): Layout | null {
    const headers = this.mapping.header ? fields.map((f) => f.trim()) : null;
    const find = (ref: string | number, what: string): number | null => {
      if (typeof ref === 'number') {
        if (ref > fields.length) {
          this.error(out, number, `${what}: column ${ref} does not exist (the line has ${fields.length} columns)`);
          return null;
        }
        return ref - 1;
      }
      const index = headers!.findIndex((h) => h.toLowerCase() === ref.toLowerCase());
      if (index === -1) this.error(out, number, `${what}: no column '${ref}' in the header (columns: ${headers!.join(', ')})`);
      return index === -1 ? null : index;
    };
    const time = find(this.mapping.timestamp.column, 'timestamp');
    if (time === null) return null;
    const values: Layout['values'] = [];
    if (this.mapping.columns) {
      for (const column of this.mapping.columns) {
        const index = find(column.column, `channel ${column.channel}`);
        if (index === null) return null;
        values.push({ index, channel: column.channel });
      }
    } else {
      fields.forEach((_, index) => {
        if (index !== time) values.push({ index, channel: headers ? headers[index] || `column ${index + 1}` : `column ${index + 1}` });
      });
      if (values.length === 0) {
        this.error(out, number, 'no value column: the line has only the timestamp column');
        return null;
      }
    }
    return { time, values };
  }

  private row(fields: string[], number: number, out: ParseOutput): void {
    const layout = this.layout!;
    this.rows++;
    const stamp = (fields[layout.time] ?? '').trim();
    const at = this.instant(stamp);
    if (typeof at === 'string') return this.error(out, number, at);
    const kept: { channel: string; value: number }[] = [];
    for (const column of layout.values) {
      const cell = (fields[column.index] ?? '').trim();
      if (cell === '' || /^nan$/i.test(cell)) continue;
      const value = parseNumber(cell, this.mapping.decimal);
      if (value === null) return this.error(out, number, `value '${clip(cell)}' of channel '${column.channel}' is not a number${this.mapping.decimal === ',' ? ' (decimal separator is ,)' : ''}`);
      kept.push({ channel: column.channel, value });
    }
    for (const sample of kept) out.samples.push({ channel: sample.channel, at, value: sample.value, line: number });
  }

  /** UTC ms, or why not */
  private instant(stamp: string): number | string {
    if (stamp === '') return 'the timestamp is empty';
    const format = this.mapping.timestamp.format;
    if (format === 'epoch-ms' || format === 'epoch-s') {
      const n = parseNumber(stamp, '.');
      if (n === null) return `timestamp '${clip(stamp)}' is not a number (${format})`;
      return Math.round(format === 'epoch-s' ? n * 1000 : n);
    }
    const parsed =
      format === 'iso'
        ? (() => {
            const iso = DateTime.fromISO(stamp, { zone: this.zone, setZone: true });
            return iso.isValid ? iso : DateTime.fromSQL(stamp, { zone: this.zone });
          })()
        : DateTime.fromFormat(stamp, format, { zone: this.zone });
    if (!parsed.isValid) return `timestamp '${clip(stamp)}' does not match ${format === 'iso' ? 'ISO 8601' : `format '${format}'`} (${parsed.invalidExplanation ?? parsed.invalidReason})`;
    return parsed.toMillis();
  }

  private error(out: ParseOutput, line: number, message: string): void {
    this.errorCount++;
    if (this.errorCount <= MAX_LISTED_ERRORS) out.errors.push({ file: this.options.file, line, message });
  }
}

/** The delimiter a line most likely uses: tab, then ;, then , (not , when decimals are commas). */
export function detectDelimiter(line: string, decimal: '.' | ','): string {
  const count = (c: string) => line.split(c).length - 1;
  if (count('\t') > 0) return '\t';
  if (count(';') > 0 || decimal === ',') return ';';
  return count('|') > count(',') ? '|' : ',';
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
