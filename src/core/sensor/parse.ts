// Streaming parser for the product-inspect camera's cycle log (format: ../shared/data/README.md).
//
// One row per machine cycle, no header, five comma-separated columns:
//   item_number,lot_number,serial_number,part_present,MM/DD/YY HH:MM:SS.fff   (plant-local time)
//
// This is the ingest hot path, so it is a hand-written scanner over the chunk decoded as latin1
// (one char per byte: string offsets are byte offsets, which `consumedBytes` needs, and the
// camera only writes ASCII). Measured once on Line7/PR20221013.txt (85 822 rows, 3.9 MB), same
// machine, whole file from disk to UTC cycles (median of 7): csv-parse 7 (stream API, columns
// only, then a regex per timestamp and the same hour cache — less checking than here) ≈ 410 ms
// wall / 250 ms CPU; this scanner ≈ 30–40 ms wall / 25 ms CPU (bench/parse.bench.ts keeps
// measuring it). A tenfold gap on the ingest hot path is why DESIGN §1's exception applies.
//
// A one-pass fast path accepts rows in the camera's exact layout; anything else goes to a slower
// path that accepts looser layouts (1-digit fields, 4-digit years) or names the bad field.
//
// Pure: no I/O and no clock; the file-reading wrapper (tests and benches only) lives in src/testing/parse-file.ts.
import { isUtf8 } from 'node:buffer';
import { LocalTimeConverter, daysInMonth } from './local-time.js';

export interface Cycle {
  /** UTC epoch ms */
  at: number;
  item: string;
  /** as written: '0' and '000000' both mean "no lot" (see isNoLot) */
  lot: string;
  /** as written, leading zeros kept; '0' when there was no part */
  serial: string;
  part: boolean;
  /** 1-based line in the file */
  line: number;
}

export interface RowError {
  file: string;
  line: number;
  /** names the field and the offending value, e.g. "timestamp '13/45/22 10:00:00.000' is not a valid date (…)" */
  message: string;
}

export interface ParseBatch {
  cycles: Cycle[];
  errors: RowError[];
}

export interface SensorLogParserOptions {
  /** file name used in error messages */
  file: string;
  /** IANA zone of the plant, e.g. America/Los_Angeles */
  zone: string;
  /** line number of the first line fed (default 1); set when resuming a growing file */
  startLine?: number;
  /** byte offset in the file of the first byte fed (default 0), so consumedBytes is a file offset */
  startByte?: number;
}

/** Errors kept per parser (per file); the rest are counted and reported as one summary row. */
export const MAX_ERRORS_PER_FILE = 100;
/** A "line" longer than this is not a camera row (those are ~45 bytes); it is skipped as one error. */
export const MAX_LINE_BYTES = 4096;

const EXPECTED_TIMESTAMP = 'MM/DD/YY HH:MM:SS.fff';
const COLUMNS = 'item_number,lot_number,serial_number,part_present,timestamp';
const UTF8_BOM_AS_LATIN1 = '\u00ef\u00bb\u00bf';

const EMPTY = Buffer.alloc(0);
const BYTE_NEWLINE = 10;
const CHAR_TAB = 9;
const CHAR_CR = 13;
const CHAR_SPACE = 32;
const CHAR_COMMA = 44;
const CHAR_DOT = 46;
const CHAR_SLASH = 47;
const CHAR_ZERO = 48;
const CHAR_ONE = 49;
const CHAR_NINE = 57;
const CHAR_COLON = 58;
const CHAR_SEMICOLON = 59;
const CHAR_DEL = 127;

/** True when the camera logged no lot: the lot is all zeros ('0', '000000'). */
export function isNoLot(lot: string): boolean {
  if (lot.length === 0) return true;
  for (let i = 0; i < lot.length; i++) {
    if (lot.charCodeAt(i) !== CHAR_ZERO) return false;
  }
  return true;
}

/** 'PR20221011.txt' (or a path ending in it) → '2022-10-11'; null when the name carries no valid date. */
export function fileDateFromName(name: string): string | null {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  const match = /^[A-Za-z]*(\d{4})(\d{2})(\d{2})\.txt$/i.exec(base);
  if (match === null) return null;
  const [, yearText, monthText, dayText] = match;
  const year = Number(yearText);
  const month = Number(monthText);
  const day = Number(dayText);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return `${yearText}-${monthText}-${dayText}`;
}

/** Quotes a field value for an error message, shortened so a garbage line cannot flood the log. */
function quote(value: string): string {
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return `'${shown}'`;
}

function overlongMessage(bytes: number): string {
  return `line is ${bytes} bytes long, not a camera row (binary content?)`;
}

function isDigitByte(byte: number): boolean {
  return byte >= CHAR_ZERO && byte <= CHAR_NINE;
}

/** Value of an ASCII digit byte, or a negative number for anything else. */
function digitValue(byte: number): number {
  return byte >= CHAR_ZERO && byte <= CHAR_NINE ? byte - CHAR_ZERO : -1000;
}

/** Two ASCII digits at bytes[at] as a number, negative when either is not a digit. */
function twoDigits(bytes: Buffer, at: number): number {
  return digitValue(bytes[at]) * 10 + digitValue(bytes[at + 1]);
}

function isAllDigits(text: string, start: number, end: number): boolean {
  if (start >= end) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < CHAR_ZERO || c > CHAR_NINE) return false;
  }
  return true;
}

/**
 * Incremental parser: feed byte chunks (Buffer) of a file; it keeps an incomplete trailing line
 * for the next chunk. `consumedBytes` = byte offset just after the last COMPLETE line handled
 * (what an ingest ledger stores to resume a growing file).
 *
 * Bad rows become RowErrors naming file, line and field; the row is skipped and parsing goes on.
 * Blank lines are skipped silently but still counted. At most MAX_ERRORS_PER_FILE errors are
 * returned; end() then adds one summary error counting the rest.
 */
export class SensorLogParser {
  readonly file: string;
  private readonly times: LocalTimeConverter;
  private nextLine: number;
  private consumed: number;
  /** bytes of an incomplete line (its newline has not arrived yet) */
  private carry: Buffer = EMPTY;
  /** bytes of an over-long line being skipped until its newline (0 = not skipping) */
  private overlongBytes = 0;
  private atFileStart: boolean;
  private errorsKept = 0;
  private errorsSuppressed = 0;
  private firstSuppressedLine = 0;
  private lastSuppressedLine = 0;
  private lastItem = '';
  private lastLot = '';
  // Scanner cursor for the timestamp reader (a field, so reading needs no allocation).
  private cursor = 0;

  constructor(opts: SensorLogParserOptions) {
    this.file = opts.file;
    this.times = new LocalTimeConverter(opts.zone);
    this.nextLine = opts.startLine ?? 1;
    this.consumed = opts.startByte ?? 0;
    if (!Number.isInteger(this.nextLine) || this.nextLine < 1) throw new Error(`startLine must be a positive integer, got ${opts.startLine}`);
    if (!Number.isInteger(this.consumed) || this.consumed < 0) throw new Error(`startByte must be a non-negative integer, got ${opts.startByte}`);
    this.atFileStart = this.consumed === 0;
  }

  /** Byte offset (in the file) just after the last complete line handled. */
  get consumedBytes(): number {
    return this.consumed;
  }

  /** Line number the next line fed will get (1-based). */
  get nextLineNumber(): number {
    return this.nextLine;
  }

  /** Errors found so far, including those not returned because of the cap. */
  get errorCount(): number {
    return this.errorsKept + this.errorsSuppressed;
  }

  push(chunk: Buffer): ParseBatch {
    const out: ParseBatch = { cycles: [], errors: [] };
    if (chunk.length === 0) return out;
    let pos = 0;
    if (this.overlongBytes > 0 || this.carry.length > 0) {
      // Finish the line begun in an earlier chunk before scanning this one in place.
      const newline = chunk.indexOf(BYTE_NEWLINE);
      if (newline === -1) {
        this.extendIncompleteLine(chunk);
        return out;
      }
      if (this.overlongBytes > 0) {
        this.overlongBytes += newline;
        this.finishOverlongLine(out, true);
      } else {
        const line = Buffer.concat([this.carry, chunk.subarray(0, newline)]);
        this.carry = EMPTY;
        this.handleLine(line, line.toString('latin1'), 0, line.length, out);
        this.consumed += line.length + 1;
        this.nextLine++;
      }
      pos = newline + 1;
    }

    // latin1: one char per byte, so the text shares the buffer's offsets (strings are sliced from it).
    const text = chunk.toString('latin1');
    let newline: number;
    while ((newline = chunk.indexOf(BYTE_NEWLINE, pos)) !== -1) {
      this.handleLine(chunk, text, pos, newline, out);
      this.consumed += newline + 1 - pos;
      this.nextLine++;
      pos = newline + 1;
    }
    if (pos < chunk.length) this.extendIncompleteLine(chunk.subarray(pos));
    return out;
  }

  /**
   * End of input. When `final` (the file is complete) a last line without newline is parsed and
   * consumed; otherwise (a file still being written) it stays unconsumed and is kept, so pushing
   * the rest of it later yields it exactly once. Also returns the summary of capped errors.
   */
  end(final: boolean): ParseBatch {
    const out: ParseBatch = { cycles: [], errors: [] };
    if (final) {
      if (this.overlongBytes > 0) {
        this.finishOverlongLine(out, false);
      } else if (this.carry.length > 0) {
        const line = this.carry;
        this.carry = EMPTY;
        this.handleLine(line, line.toString('latin1'), 0, line.length, out);
        this.consumed += line.length;
        this.nextLine++;
      }
    }
    if (this.errorsSuppressed > 0) {
      out.errors.push({
        file: this.file,
        line: this.firstSuppressedLine,
        message: `${this.errorsSuppressed} more bad rows not listed (lines ${this.firstSuppressedLine}–${this.lastSuppressedLine}); only the first ${MAX_ERRORS_PER_FILE} errors of a file are reported`,
      });
      this.errorsSuppressed = 0;
    }
    return out;
  }

  /** Keeps bytes of a line whose newline has not arrived yet (copied: the caller may reuse its buffer). */
  private extendIncompleteLine(bytes: Buffer): void {
    if (this.overlongBytes > 0) {
      this.overlongBytes += bytes.length;
      return;
    }
    const length = this.carry.length + bytes.length;
    if (length > MAX_LINE_BYTES) {
      // Not a camera row (binary data without newlines?): stop buffering, count it until its newline.
      this.overlongBytes = length;
      this.carry = EMPTY;
      return;
    }
    this.carry = Buffer.concat([this.carry, bytes], length);
  }

  private finishOverlongLine(out: ParseBatch, endsWithNewline: boolean): void {
    this.addError(out, this.nextLine, overlongMessage(this.overlongBytes));
    this.consumed += this.overlongBytes + (endsWithNewline ? 1 : 0);
    this.nextLine++;
    this.overlongBytes = 0;
    this.atFileStart = false;
  }

  private addError(out: ParseBatch, line: number, message: string): void {
    if (this.errorsKept < MAX_ERRORS_PER_FILE) {
      this.errorsKept++;
      out.errors.push({ file: this.file, line, message });
      return;
    }
    if (this.errorsSuppressed === 0) this.firstSuppressedLine = line;
    this.lastSuppressedLine = line;
    this.errorsSuppressed++;
  }

  /**
   * Parses bytes[start, end) (the newline excluded) as the line numbered this.nextLine; `text` is
   * the same bytes decoded as latin1 (same offsets).
   */
  private handleLine(bytes: Buffer, text: string, start: number, end: number, out: ParseBatch): void {
    // Same verdict whether the long line arrived whole or was being skipped across chunks.
    if (end - start > MAX_LINE_BYTES) {
      this.atFileStart = false;
      this.addError(out, this.nextLine, overlongMessage(end - start));
      return;
    }
    let lineStart = start;
    let lineEnd = end;
    if (this.atFileStart) {
      this.atFileStart = false;
      if (text.startsWith(UTF8_BOM_AS_LATIN1, lineStart)) lineStart += UTF8_BOM_AS_LATIN1.length;
    }
    // CRLF files and trailing spaces: trim the end; a line with nothing left is blank.
    while (lineEnd > lineStart) {
      const c = bytes[lineEnd - 1];
      if (c === CHAR_CR || c === CHAR_SPACE || c === CHAR_TAB) lineEnd--;
      else break;
    }
    if (lineEnd === lineStart) return;
    if (this.parseCameraRow(bytes, text, lineStart, lineEnd, out)) return;
    this.diagnoseLine(text, lineStart, lineEnd, out);
  }

  /**
   * Fast path, one pass over the bytes: accepts only a well-formed row in the camera's own layout
   * (`MM/DD/YY HH:MM:SS.fff`, 2-digit fields, 3-digit milliseconds). Anything else returns false
   * and goes to diagnoseLine, which accepts the looser layouts too or names what is wrong.
   */
  private parseCameraRow(bytes: Buffer, text: string, start: number, end: number, out: ParseBatch): boolean {
    let i = start;
    while (i < end && isDigitByte(bytes[i])) i++;
    const itemEnd = i;
    if (itemEnd === start || i >= end || bytes[i] !== CHAR_COMMA) return false;
    const lotStart = ++i;
    while (i < end && isDigitByte(bytes[i])) i++;
    const lotEnd = i;
    if (lotEnd === lotStart || i >= end || bytes[i] !== CHAR_COMMA) return false;
    const serialStart = ++i;
    while (i < end && isDigitByte(bytes[i])) i++;
    const serialEnd = i;
    if (serialEnd === serialStart || i >= end || bytes[i] !== CHAR_COMMA) return false;
    i++;
    const partByte = bytes[i];
    if ((partByte !== CHAR_ZERO && partByte !== CHAR_ONE) || bytes[i + 1] !== CHAR_COMMA) return false;
    i += 2;
    // MM/DD/YY HH:MM:SS.fff = 21 bytes
    if (end - i !== 21) return false;
    const month = twoDigits(bytes, i);
    const day = twoDigits(bytes, i + 3);
    const year = twoDigits(bytes, i + 6);
    const hour = twoDigits(bytes, i + 9);
    const minute = twoDigits(bytes, i + 12);
    const second = twoDigits(bytes, i + 15);
    const millisecond = twoDigits(bytes, i + 18) * 10 + digitValue(bytes[i + 20]);
    const fractionSeparator = bytes[i + 17];
    if (
      (month | day | year | hour | minute | second | millisecond) < 0 ||
      bytes[i + 2] !== CHAR_SLASH || bytes[i + 5] !== CHAR_SLASH || bytes[i + 8] !== CHAR_SPACE ||
      bytes[i + 11] !== CHAR_COLON || bytes[i + 14] !== CHAR_COLON ||
      (fractionSeparator !== CHAR_DOT && fractionSeparator !== CHAR_SEMICOLON)
    ) {
      return false;
    }
    const fullYear = 2000 + year;
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(fullYear, month) || hour > 23 || minute > 59 || second > 59) return false;
    const at = this.times.toUtc(fullYear, month, day, hour, minute, second, millisecond);
    out.cycles.push({
      at,
      item: this.itemString(text, start, itemEnd),
      lot: this.lotString(text, lotStart, lotEnd),
      serial: text.slice(serialStart, serialEnd),
      part: partByte === CHAR_ONE,
      line: this.nextLine,
    });
    return true;
  }

  // Item and lot repeat on almost every row: hand out the previous row's string instead of a copy.
  private itemString(text: string, start: number, end: number): string {
    if (this.lastItem.length !== end - start || !text.startsWith(this.lastItem, start)) this.lastItem = text.slice(start, end);
    return this.lastItem;
  }

  private lotString(text: string, start: number, end: number): string {
    if (this.lastLot.length !== end - start || !text.startsWith(this.lastLot, start)) this.lastLot = text.slice(start, end);
    return this.lastLot;
  }

  /** Slow path for a line the fast path refused: accepts the looser layouts or reports the error. */
  private diagnoseLine(text: string, lineStart: number, lineEnd: number, out: ParseBatch): void {
    let firstControl = -1;
    let hasNonAscii = false;
    for (let i = lineStart; i < lineEnd; i++) {
      const c = text.charCodeAt(i);
      if (c >= CHAR_SPACE && c < CHAR_DEL) continue;
      if (c > CHAR_DEL) hasNonAscii = true;
      else if (c !== CHAR_TAB && firstControl === -1) firstControl = i;
    }
    const line = this.nextLine;
    if (firstControl !== -1) {
      const code = text.charCodeAt(firstControl).toString(16).padStart(2, '0');
      this.addError(out, line, `line contains binary data (byte 0x${code} at column ${firstControl - lineStart + 1}), not text`);
      return;
    }
    if (hasNonAscii) {
      const bytes = Buffer.from(text.slice(lineStart, lineEnd), 'latin1');
      if (!isUtf8(bytes)) {
        this.addError(out, line, 'line is not valid UTF-8 text (binary content?)');
        return;
      }
      // Readable but not a camera row: let the field checks name what is wrong, in real characters.
      const decoded = bytes.toString('utf8');
      this.parseFields(decoded, 0, decoded.length, line, out);
      return;
    }
    this.parseFields(text, lineStart, lineEnd, line, out);
  }

  private parseFields(text: string, start: number, end: number, line: number, out: ParseBatch): void {
    let comma1 = -1;
    let comma2 = -1;
    let comma3 = -1;
    let comma4 = -1;
    let commas = 0;
    for (let i = start; i < end; i++) {
      if (text.charCodeAt(i) !== CHAR_COMMA) continue;
      commas++;
      if (commas === 1) comma1 = i;
      else if (commas === 2) comma2 = i;
      else if (commas === 3) comma3 = i;
      else if (commas === 4) comma4 = i;
    }
    if (commas !== 4) {
      this.addError(out, line, `expected 5 comma-separated columns (${COLUMNS}), found ${commas + 1}`);
      return;
    }

    if (!isAllDigits(text, start, comma1)) {
      this.addError(out, line, `item_number ${quote(text.slice(start, comma1))} is not a number`);
      return;
    }
    if (!isAllDigits(text, comma1 + 1, comma2)) {
      this.addError(out, line, `lot_number ${quote(text.slice(comma1 + 1, comma2))} is not a number (e.g. 159070, or 0 for no lot)`);
      return;
    }
    if (!isAllDigits(text, comma2 + 1, comma3)) {
      this.addError(out, line, `serial_number ${quote(text.slice(comma2 + 1, comma3))} is not a number`);
      return;
    }
    const partChar = comma4 - comma3 === 2 ? text.charCodeAt(comma3 + 1) : -1;
    if (partChar !== CHAR_ZERO && partChar !== CHAR_ONE) {
      this.addError(out, line, `part_present ${quote(text.slice(comma3 + 1, comma4))} is not 0 or 1`);
      return;
    }
    const at = this.readTimestamp(text, comma4 + 1, end);
    if (typeof at === 'string') {
      this.addError(out, line, at);
      return;
    }

    const itemLength = comma1 - start;
    const item = this.lastItem.length === itemLength && text.startsWith(this.lastItem, start) ? this.lastItem : (this.lastItem = text.slice(start, comma1));
    const lotLength = comma2 - comma1 - 1;
    const lot = this.lastLot.length === lotLength && text.startsWith(this.lastLot, comma1 + 1) ? this.lastLot : (this.lastLot = text.slice(comma1 + 1, comma2));
    out.cycles.push({ at, item, lot, serial: text.slice(comma2 + 1, comma3), part: partChar === CHAR_ONE, line });
  }

  /**
   * Reads `M/D/YY H:MM:SS.fff` (month, day and hour may be 1 or 2 digits, year 2 or 4, 1–3
   * fraction digits; the camera sometimes writes ';' before the milliseconds) and returns UTC ms,
   * or the error message naming the field.
   */
  private readTimestamp(text: string, start: number, end: number): number | string {
    this.cursor = start;
    const month = this.readDigits(text, end, 1, 2);
    const sep1 = this.expect(text, end, CHAR_SLASH);
    const day = this.readDigits(text, end, 1, 2);
    const sep2 = this.expect(text, end, CHAR_SLASH);
    const yearStart = this.cursor;
    const yearDigits = this.readDigits(text, end, 2, 4);
    const yearLength = this.cursor - yearStart;
    const sep3 = this.expect(text, end, CHAR_SPACE);
    const hour = this.readDigits(text, end, 1, 2);
    const sep4 = this.expect(text, end, CHAR_COLON);
    const minute = this.readDigits(text, end, 2, 2);
    const sep5 = this.expect(text, end, CHAR_COLON);
    const second = this.readDigits(text, end, 2, 2);
    const fractionSeparator = this.cursor < end ? text.charCodeAt(this.cursor) : -1;
    this.cursor++;
    const fractionStart = this.cursor;
    const fraction = this.readDigits(text, end, 1, 3);
    const fractionLength = this.cursor - fractionStart;

    const wellFormed =
      month >= 0 && sep1 && day >= 0 && sep2 && yearDigits >= 0 && yearLength !== 3 && sep3 && hour >= 0 && sep4 &&
      minute >= 0 && sep5 && second >= 0 && (fractionSeparator === CHAR_DOT || fractionSeparator === CHAR_SEMICOLON) &&
      fraction >= 0 && this.cursor === end;
    if (!wellFormed) {
      return `timestamp ${quote(text.slice(start, end))} is not in the format ${EXPECTED_TIMESTAMP}`;
    }
    const year = yearLength === 2 ? 2000 + yearDigits : yearDigits;
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
      return `timestamp ${quote(text.slice(start, end))} is not a valid date (expected ${EXPECTED_TIMESTAMP})`;
    }
    const millisecond = fractionLength === 3 ? fraction : fractionLength === 2 ? fraction * 10 : fraction * 100;
    return this.times.toUtc(year, month, day, hour, minute, second, millisecond);
  }

  /** Reads minDigits..maxDigits digits at the cursor; -1 when fewer than minDigits. */
  private readDigits(text: string, end: number, minDigits: number, maxDigits: number): number {
    let value = 0;
    let count = 0;
    while (count < maxDigits && this.cursor < end) {
      const c = text.charCodeAt(this.cursor);
      if (c < CHAR_ZERO || c > CHAR_NINE) break;
      value = value * 10 + (c - CHAR_ZERO);
      this.cursor++;
      count++;
    }
    return count >= minDigits ? value : -1;
  }

  private expect(text: string, end: number, char: number): boolean {
    if (this.cursor < end && text.charCodeAt(this.cursor) === char) {
      this.cursor++;
      return true;
    }
    return false;
  }
}
