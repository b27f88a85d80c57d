// Streaming parser for LabVIEW Measurement Files (.lvm, text), after NI's "Specification for the
// LabVIEW Measurement File": a file header and one header per segment, each ending in
// ***End_of_Header***; header lines are `key<sep>value…` with one value per channel in a segment
// header (Channels, Samples, Date, Time, Y_Unit_Label, X_Dimension, X0, Delta_X); then a line of
// column headings (X_Value, channel names, Comment) and the data rows.
// - Separator Tab|Comma, Decimal_Separator . or , (applies to data and header numbers).
// - X_Columns No|One|Multi: no X column (instants from X0 + i·Delta_X per channel), one shared X
//   column, or an X column before each channel. ("Time" is read as One.)
// - Time_Pref Absolute: X values are seconds since 1904-01-01 00:00 UTC (LabVIEW's epoch), or a
//   date-time field; Relative: seconds from the segment's Date+Time (channel's, else the file's),
//   read in the plant's zone.
// Bad rows are reported with file:line and reason and skipped; good rows are kept. Empty cells and
// NaN (LabVIEW's "no reading") are missing values, not errors.
import { lvmDateTime, lvmDateTimeField } from './local.js';
import { parseNumber, type MeasurementParser, type ParseOutput, type ParsedChannel } from './types.js';

export const LVM_END_OF_HEADER = '***End_of_Header***';
/** Seconds from LabVIEW's epoch (1904-01-01 UTC) to the Unix epoch. */
export const LABVIEW_EPOCH_OFFSET_SECONDS = 2_082_844_800;
/** Row errors listed per file; the rest are counted in one closing entry. */
export const MAX_LISTED_ERRORS = 200;

type Phase = 'magic' | 'file-header' | 'segment-header' | 'headings' | 'data' | 'rejected';
type Column = { kind: 'x'; channel: number } | { kind: 'y'; channel: number } | { kind: 'comment' };

interface Segment {
  count: number;
  values: Map<string, string[]>;
  names: string[];
  units: (string | null)[];
  columns: Column[];
  /** per channel: rows seen (X_Columns No) */
  index: number[];
  start: (number | null)[];
  x0: number[];
  deltaX: number[];
}

export interface LvmParserOptions {
  file: string;
  /** the plant's IANA zone: relative times and date-times are local to it */
  zone: string;
}

export class LvmParser implements MeasurementParser {
  private phase: Phase = 'magic';
  private separator: '\t' | ',' | null = null;
  private decimal: '.' | ',' = '.';
  private xColumns: 'No' | 'One' | 'Multi' = 'One';
  private absolute = false;
  private fileDate: string | null = null;
  private fileTime: string | null = null;
  private segment: Segment | null = null;
  private readonly seen = new Map<string, string | null>();
  private segments = 0;
  private dataRows = 0;
  private errorCount = 0;

  constructor(private readonly options: LvmParserOptions) {}

  channels(): ParsedChannel[] {
    return [...this.seen].map(([name, unit]) => ({ name, unit }));
  }

  line(text: string, number: number, out: ParseOutput): void {
    if (this.phase === 'rejected') return;
    if (this.phase === 'magic') {
      if (text.trim() === '') return;
      if (!text.replace(/^\uFEFF/, '').startsWith('LabVIEW Measurement')) {
        this.error(out, number, `not a LabVIEW measurement file: the first line must start with 'LabVIEW Measurement', found '${clip(text)}'`);
        this.phase = 'rejected';
        return;
      }
      this.phase = 'file-header';
      return;
    }
    const fields = this.split(text);
    const first = fields[0]?.trim() ?? '';
    if (first === LVM_END_OF_HEADER) return this.endOfHeader(number, out);
    if (this.phase === 'file-header') return this.fileHeader(first, fields, number, out);
    if (this.phase === 'data' && first === 'Channels') this.startSegment();
    if (this.phase === 'segment-header') return this.segmentHeader(first, fields, number, out);
    if (fields.every((f) => f.trim() === '')) return;
    if (this.phase === 'headings') {
      if (this.headings(fields)) return;
    }
    this.row(fields, number, out);
  }

  finish(out: ParseOutput): void {
    if (this.phase === 'rejected') return;
    if (this.phase === 'magic') this.error(out, 0, 'the file is empty: no LabVIEW measurement header');
    else if (this.segments === 0) this.error(out, 0, `no segment: the file header was not followed by a segment header ending in ${LVM_END_OF_HEADER}`);
    if (this.errorCount > MAX_LISTED_ERRORS) {
      out.errors.push({ file: this.options.file, line: 0, message: `${this.errorCount - MAX_LISTED_ERRORS} more bad rows not listed` });
    }
  }

  private split(text: string): string[] {
    if (this.separator) return text.split(this.separator);
    return text.split(text.includes('\t') ? '\t' : ',');
  }

  private fileHeader(key: string, fields: string[], number: number, out: ParseOutput): void {
    const value = (fields[1] ?? '').trim();
    switch (key) {
      case 'Separator':
        if (value === 'Tab') this.separator = '\t';
        else if (value === 'Comma') this.separator = ',';
        else this.error(out, number, `Separator '${value}' is not Tab or Comma`);
        break;
      case 'Decimal_Separator':
        if (value === '.' || value === ',') this.decimal = value;
        else if (value === '' && fields.length > 2) this.decimal = ','; // "Decimal_Separator,," split on the comma
        else this.error(out, number, `Decimal_Separator '${value}' is not '.' or ','`);
        break;
      case 'X_Columns':
      case 'X_Value':
        if (value === 'No' || value === 'One' || value === 'Multi') this.xColumns = value;
        else if (value === 'Time') this.xColumns = 'One';
        else this.error(out, number, `${key} '${value}' is not No, One or Multi`);
        break;
      case 'Time_Pref':
        if (value === 'Absolute' || value === 'Relative') this.absolute = value === 'Absolute';
        else this.error(out, number, `Time_Pref '${value}' is not Absolute or Relative`);
        break;
      case 'Date':
        this.fileDate = value;
        break;
      case 'Time':
        this.fileTime = fields.slice(1).join(this.separator ?? '').trim() || value;
        break;
      default:
        break; // Writer_Version, Operator, Description, Project … carry nothing we store
    }
    if (this.separator === ',' && this.decimal === ',') {
      this.error(out, number, 'Separator Comma with Decimal_Separator , cannot be read: values would be ambiguous');
      this.phase = 'rejected';
    }
  }

  private endOfHeader(number: number, out: ParseOutput): void {
    if (this.phase === 'file-header' || this.phase === 'data' || this.phase === 'headings') {
      // the file header ends, or a segment header that starts straight with its end (no keys)
      if (this.phase === 'file-header') {
        this.phase = 'segment-header';
        this.segment = null;
        return;
      }
      this.startSegment();
    }
    if (this.phase === 'segment-header') {
      if (!this.segment) this.segment = this.emptySegment(0);
      this.closeSegmentHeader(number, out);
    }
  }

  private startSegment(): void {
    this.phase = 'segment-header';
    this.segment = null;
  }

  private emptySegment(count: number): Segment {
    return { count, values: new Map(), names: [], units: [], columns: [], index: [], start: [], x0: [], deltaX: [] };
  }

  private segmentHeader(key: string, fields: string[], number: number, out: ParseOutput): void {
    if (key === '') return;
    if (key === 'Channels') {
      const count = Number((fields[1] ?? '').trim());
      if (!Number.isInteger(count) || count < 1) {
        this.error(out, number, `Channels '${clip(fields[1] ?? '')}' is not a positive whole number`);
        this.phase = 'rejected';
        return;
      }
      this.segment = this.emptySegment(count);
      return;
    }
    if (!this.segment) this.segment = this.emptySegment(0);
    this.segment.values.set(key, fields.slice(1).map((f) => f.trim()));
  }

  private closeSegmentHeader(number: number, out: ParseOutput): void {
    const segment = this.segment!;
    this.segments++;
    if (segment.count === 0) segment.count = Math.max(1, ...[...segment.values.values()].map((v) => v.filter(Boolean).length));
    const per = (key: string, i: number) => segment.values.get(key)?.[i] ?? '';
    for (let i = 0; i < segment.count; i++) {
      const dimension = per('X_Dimension', i);
      if (dimension !== '' && dimension !== 'Time') this.error(out, number, `channel ${i + 1}: X_Dimension '${dimension}' is not Time: only time series can be stored`);
      const date = per('Date', i) || this.fileDate;
      const time = per('Time', i) || this.fileTime;
      segment.start.push(date && time ? lvmDateTime(date, time, this.options.zone, this.decimal) : null);
      segment.x0.push(parseNumber(per('X0', i), this.decimal) ?? 0);
      segment.deltaX.push(parseNumber(per('Delta_X', i), this.decimal) ?? 1);
      segment.units.push(per('Y_Unit_Label', i) || null);
      segment.index.push(0);
      segment.names.push(`Untitled ${i + 1}`);
    }
    segment.columns = this.defaultColumns(segment.count);
    this.phase = 'headings';
  }

  private defaultColumns(count: number): Column[] {
    const columns: Column[] = [];
    for (let i = 0; i < count; i++) {
      if (this.xColumns === 'Multi' || (this.xColumns === 'One' && i === 0)) columns.push({ kind: 'x', channel: i });
      columns.push({ kind: 'y', channel: i });
    }
    return columns;
  }

  /** The column headings line (true), or a data row that came without one (false). */
  private headings(fields: string[]): boolean {
    const segment = this.segment!;
    this.phase = 'data';
    if (parseNumber(fields[0] ?? '', this.decimal) !== null || (this.absolute && lvmDateTimeField(fields[0] ?? '', this.options.zone, this.decimal) !== null)) {
      return false;
    }
    const columns: Column[] = [];
    let channel = 0;
    for (const raw of fields) {
      const name = raw.trim();
      if (name === 'X_Value') columns.push({ kind: 'x', channel });
      else if (name === 'Comment') columns.push({ kind: 'comment' });
      else if (name !== '' && channel < segment.count) {
        segment.names[channel] = name;
        columns.push({ kind: 'y', channel: channel++ });
      } else columns.push({ kind: 'comment' });
    }
    segment.columns = columns;
    for (let i = 0; i < segment.count; i++) this.seen.set(segment.names[i], segment.units[i]);
    return true;
  }

  private row(fields: string[], number: number, out: ParseOutput): void {
    const segment = this.segment;
    if (!segment) return this.error(out, number, `data before any segment header ('${clip(fields.join(' '))}')`);
    if (this.dataRows++ === 0 && this.seen.size === 0) for (let i = 0; i < segment.count; i++) this.seen.set(segment.names[i], segment.units[i]);
    const xs = new Map<number, number | null>();
    let sharedX: number | null | undefined;
    const kept: { channel: number; at: number; value: number }[] = [];
    let problem: string | null = null;
    segment.columns.forEach((column, i) => {
      if (problem || column.kind === 'comment') return;
      const cell = (fields[i] ?? '').trim();
      if (column.kind === 'x') {
        const x = this.xInstant(cell, column.channel);
        if (x === undefined) problem = `X_Value '${clip(cell)}' is not a number${this.absolute ? ' or a date-time' : ''}`;
        else {
          xs.set(column.channel, x);
          if (this.xColumns === 'One') sharedX = x;
        }
        return;
      }
      const channel = column.channel;
      let at: number | null;
      if (this.xColumns === 'No') {
        const t = segment.x0[channel] + segment.index[channel]++ * segment.deltaX[channel];
        at = this.instant(t, channel);
      } else at = xs.get(channel) ?? sharedX ?? null;
      if (cell === '' || /^nan$/i.test(cell)) return;
      const value = parseNumber(cell, this.decimal);
      if (value === null) {
        problem = `value '${clip(cell)}' of channel '${segment.names[channel]}' is not a number${this.decimal === ',' ? ' (decimal separator is ,)' : ''}`;
        return;
      }
      if (at === null) {
        problem = `channel '${segment.names[channel]}' has no start time (segment Date/Time missing) for its relative X`;
        return;
      }
      kept.push({ channel, at, value });
    });
    if (problem) return this.error(out, number, problem);
    for (const sample of kept) out.samples.push({ channel: segment.names[sample.channel], at: sample.at, value: sample.value, line: number });
  }

  /** undefined: not an X at all; null: an X without a start time to be relative to */
  private xInstant(cell: string, channel: number): number | null | undefined {
    const x = parseNumber(cell, this.decimal);
    if (x !== null) return this.instant(x, channel);
    if (this.absolute) return lvmDateTimeField(cell, this.options.zone, this.decimal) ?? undefined;
    return undefined;
  }

  private instant(seconds: number, channel: number): number | null {
    if (this.absolute) return Math.round((seconds - LABVIEW_EPOCH_OFFSET_SECONDS) * 1000);
    const start = this.segment!.start[channel];
    return start === null || start === undefined ? null : start + Math.round(seconds * 1000);
  }

  private error(out: ParseOutput, line: number, message: string): void {
    this.errorCount++;
    if (this.errorCount <= MAX_LISTED_ERRORS) out.errors.push({ file: this.options.file, line, message });
  }
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
