// Work orders from spreadsheets: reading an uploaded .xlsx or CSV into validated work-order inputs
// with row-level errors (the template and the export are in spreadsheet-export.ts). No database here: products come in as data, so parsing is testable on bytes alone. ExcelJS is
// loaded lazily — it is large, and only these file operations need it.
//
// Both formats are read as streams of rows (ExcelJS' streaming WorkbookReader, csv-parse's stream),
// and the header and the row limit are checked as rows arrive: a file with more than MAX_IMPORT_ROWS
// work orders is refused at the first row over the limit, without parsing the rest.
import { Readable } from 'node:stream';
import { parse as csvParser, CsvError } from 'csv-parse';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { CellValue as ExcelCellValue, Row as ExcelRow } from 'exceljs';
import { Invalid } from '../../core/errors.js';
import { readNumber } from '../../core/numbers.js';
import { workOrderCreateSchema, type WorkOrderCreate } from './schemas.js';

/** A plant's order book is about a thousand lots; more in one file is almost surely the wrong file. */
export const MAX_IMPORT_ROWS = 5000;
/** Text cells are read as a US plant writes numbers unless the site names its locale (QMFG_LOCALE). */
export const DEFAULT_IMPORT_LOCALE = 'en-US';

export { importRowErrorSchema, importResultSchema, type ImportRowError, type ImportResult } from './schemas.js';
import type { ImportRowError, ImportResult } from './schemas.js';

/** "row 4, quantity: must be > 0" — how a row error reads in a message. */
export const describeRowError = (e: ImportRowError): string => `row ${e.row}, ${e.field}: ${e.message}`;

// ---------------------------------------------------------------- reading

/** A cell as read from either format: CSV gives strings only; xlsx also numbers, booleans and dates. */
export type SheetCell = string | number | boolean | Date | null;
interface SheetRow {
  /** 1-based, as the spreadsheet program shows it */
  number: number;
  cells: SheetCell[];
}

export const IMPORT_FIELDS = ['lot', 'product', 'quantity', 'due', 'priority', 'notes', 'rateMode'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Header spellings people use, after normaliseHeader ("Lot #" → "lot#", "Qty (units)" → "qty"). */
const HEADER_ALIASES: Record<ImportField, string[]> = {
  lot: ['lot', 'lot#', 'lotno', 'lotnumber', 'lotid', 'batch', 'batchno', 'batchnumber', 'workorder', 'workorderno', 'workordernumber'],
  product: ['product', 'productkey', 'productname', 'productcode', 'item', 'item#', 'itemno', 'itemnumber', 'itemcode', 'partno', 'partnumber', 'sku'],
  quantity: ['quantity', 'qty', 'orderquantity', 'orderqty', 'lotsize', 'units'],
  due: ['due', 'duedate', 'dueby', 'dueon', 'deadline', 'needby', 'needdate', 'requireddate'],
  priority: ['priority', 'prio'],
  notes: ['notes', 'note', 'comment', 'comments', 'remark', 'remarks'],
  rateMode: ['ratemode', 'rate', 'forecastrate', 'forecastratemode'],
};
const FIELD_BY_HEADER = new Map(Object.entries(HEADER_ALIASES).flatMap(([field, aliases]) => aliases.map((a) => [a, field as ImportField])));
const REQUIRED_FIELDS: ImportField[] = ['lot', 'product', 'quantity'];
/** the header may sit below a title or a blank line or two */
const HEADER_SEARCH_ROWS = 10;

export function normaliseHeader(text: string): string {
  return text
    .toLowerCase()
    .replace(/\([^)]*\)/g, '')
    .replace(/[^a-z0-9#]/g, '');
}

export interface ProductRef {
  key: string;
  name: string;
  itemNumber: string;
}

/** Resolves what a planner typed in the product column: a key, a 7-digit item number or the product's name. */
export function productResolver(products: ProductRef[]): (text: string) => { key: string } | { error: string } {
  const byKey = new Map(products.map((p) => [p.key.toLowerCase(), p.key]));
  const byItem = new Map(products.map((p) => [p.itemNumber, p.key]));
  const byName = new Map<string, string[]>();
  const nameKey = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
  for (const p of products) byName.set(nameKey(p.name), [...(byName.get(nameKey(p.name)) ?? []), p.key]);
  return (text) => {
    const wanted = text.trim();
    const key = byKey.get(wanted.toLowerCase()) ?? byItem.get(wanted);
    if (key) return { key };
    const named = byName.get(nameKey(wanted)) ?? [];
    if (named.length === 1) return { key: named[0] };
    if (named.length > 1) return { error: `'${wanted}' names several products (${named.join(', ')}); use the product key or item number` };
    return { error: `unknown product '${wanted}' (use a product key, 7-digit item number or product name — see the Products sheet of the template)` };
  };
}

export interface ParsedImportRow {
  row: number;
  input: WorkOrderCreate;
}
export interface ParsedImport {
  format: 'xlsx' | 'csv';
  sheet: string;
  rows: ParsedImportRow[];
  errors: ImportRowError[];
  /** every data row as the file has it (for a preview), good and bad, in file order */
  cells: ImportRowCells[];
}
export interface ImportRowCells {
  row: number;
  lot: string | null;
  product: string | null;
  quantity: string | null;
  due: string | null;
}

const fileError = (message: string) => Invalid.field('file', message);

/**
 * Reads an uploaded work-order file (.xlsx or CSV, recognised by content) into work-order inputs.
 * Problems of the file as a whole throw Invalid; problems of single rows come back in `errors`,
 * each with its row number and field, and leave the other rows usable.
 */
export async function parseWorkOrderFile(bytes: Uint8Array, options: { products: ProductRef[]; fileName?: string; locale?: string }): Promise<ParsedImport> {
  const locale = options.locale ?? DEFAULT_IMPORT_LOCALE;
  const fileName = options.fileName ? `'${options.fileName}'` : 'the file';
  if (bytes.length === 0 || (bytes.length < 4096 && Buffer.from(bytes).toString('utf8').replace(/^\ufeff/, '').trim() === '')) {
    throw fileError(`${fileName} is empty`);
  }
  const format = detectFormat(bytes, fileName);
  const collector = new RowCollector(fileName);
  if (format === 'xlsx') await readXlsxRows(bytes, fileName, collector);
  else await readCsvRows(bytes, fileName, collector);
  const found = collector.found;
  if (!found) {
    const first = collector.firstRow;
    const firstRow = first?.cells.filter((c) => c !== null && c !== undefined && String(c).trim() !== '').map(String) ?? [];
    throw fileError(
      `${fileName} has no header row with the columns Lot, Product and Quantity` +
        (first && firstRow.length ? ` (row ${first.number} reads: ${firstRow.slice(0, 8).join(', ')})` : ''),
    );
  }
  const { columns, dataRows } = found;
  if (dataRows.length === 0) throw fileError(`${fileName} has a header row but no work orders below it`);

  const resolveProduct = productResolver(options.products);
  const rows: ParsedImportRow[] = [];
  const errors: ImportRowError[] = [];
  const firstRowOfLot = new Map<string, number>();
  const cells: ImportRowCells[] = [];
  for (const sheetRow of dataRows) {
    const cell = (field: ImportField) => {
      const col = columns.get(field);
      return col === undefined ? null : (sheetRow.cells[col] ?? null);
    };
    cells.push({ row: sheetRow.number, lot: optionalText(cell('lot')), product: optionalText(cell('product')), quantity: optionalText(cell('quantity')), due: optionalText(cell('due')) });
    const rowErrors: ImportRowError[] = [];
    const fail = (field: string, message: string) => rowErrors.push({ row: sheetRow.number, field, message });
    const read = <T>(field: ImportField, convert: (c: SheetCell) => T): T | undefined => {
      try {
        return convert(cell(field));
      } catch (error) {
        if (!(error instanceof CellProblem)) throw error;
        fail(field, error.message);
        return undefined;
      }
    };
    const lot = read('lot', (c) => lotText(c));
    const productText = read('product', (c) => requiredText(c));
    let product: string | undefined;
    if (productText !== undefined) {
      const resolved = resolveProduct(productText);
      if ('key' in resolved) product = resolved.key;
      else fail('product', resolved.error);
    }
    const candidate = {
      lot,
      product,
      quantity: read('quantity', (c) => requiredNumber(c, locale, { integer: true })),
      due: read('due', dueText),
      priority: read('priority', (c) => priorityNumber(c, locale)),
      notes: read('notes', (c) => optionalText(c) ?? ''),
      rateMode: read('rateMode', rateModeValue),
    };
    const checked = workOrderCreateSchema.safeParse(candidate);
    if (!checked.success) {
      const reported = new Set(rowErrors.map((e) => e.field));
      for (const issue of checked.error.issues) {
        const field = String(issue.path[0] ?? 'row');
        // a field that failed conversion already has its message; its value is undefined here
        if (!reported.has(field)) fail(field, issue.message);
      }
    }
    if (lot !== undefined && rowErrors.every((e) => e.field !== 'lot')) {
      const first = firstRowOfLot.get(lot);
      if (first !== undefined) fail('lot', `lot '${lot}' appears twice in the file (first in row ${first})`);
      else firstRowOfLot.set(lot, sheetRow.number);
    }
    if (rowErrors.length > 0 || !checked.success) errors.push(...rowErrors);
    else rows.push({ row: sheetRow.number, input: checked.data });
  }
  return { format, sheet: found.sheet, rows, errors, cells };
}

function detectFormat(bytes: Uint8Array, fileName: string): 'xlsx' | 'csv' {
  const startsWith = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (startsWith(0x50, 0x4b, 0x03, 0x04)) return 'xlsx';
  if (startsWith(0xd0, 0xcf, 0x11, 0xe0)) {
    throw fileError(`${fileName} is an old Excel 97–2003 (.xls) workbook: save it as .xlsx (Excel Workbook) or CSV and upload again`);
  }
  const head = bytes.subarray(0, 8192);
  const utf16 = startsWith(0xff, 0xfe) || startsWith(0xfe, 0xff);
  if (!utf16 && head.includes(0)) throw fileError(`${fileName} is not a spreadsheet: upload an .xlsx workbook or a CSV file`);
  return 'csv';
}

/** The part of ExcelJS' streaming WorksheetReader used here (its typings omit the name). */
interface StreamedSheet extends AsyncIterable<ExcelRow> {
  name: string;
}

/**
 * Feeds the rows of every worksheet to the collector, in file order, until it has what it needs.
 * ExcelJS parks worksheets stored before the shared strings in temp files and removes each one
 * when the iteration moves past it, so after an early stop the remaining sheets are passed over
 * (their files closed unread) rather than the iteration abandoned.
 */
async function readXlsxRows(bytes: Uint8Array, fileName: string, collector: RowCollector): Promise<void> {
  const { default: ExcelJS } = await import('exceljs');
  const input = Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
  let sheets = 0;
  let done = false;
  try {
    for await (const worksheet of reader) {
      sheets++;
      const sheet = worksheet as unknown as StreamedSheet;
      if (done) {
        passOver(sheet);
        continue;
      }
      collector.startSheet(sheet.name);
      for await (const row of sheet) {
        if (!row.hasValues) continue;
        const cells: SheetCell[] = [];
        row.eachCell({ includeEmpty: false }, (cell, col) => {
          cells[col - 1] = excelCellValue(cell.value, cell.numFmt);
        });
        if (!collector.add({ number: row.number, cells })) break;
      }
      done = collector.finished;
      // a sheet read from the zip itself (not a temp file) cannot be passed over: stop here
      if (done && !parkedInTempFile(sheet)) break;
    }
  } catch (error) {
    throw fileError(`${fileName} is not a readable .xlsx workbook (${(error as Error).message})`);
  }
  collector.throwRefusal();
  if (sheets === 0) throw fileError(`${fileName} is not an .xlsx workbook with worksheets`);
}

/** A worksheet ExcelJS parked in a temp file: its `iterator` is that file's read stream. */
function parkedInTempFile(sheet: StreamedSheet): boolean {
  const source = (sheet as unknown as { iterator?: { destroy?: unknown; pipe?: unknown } }).iterator;
  return typeof source?.destroy === 'function' && typeof source.pipe === 'function';
}

/** Closes a worksheet's temp file unread (ExcelJS removes the file when the iteration moves on). */
function passOver(sheet: StreamedSheet): void {
  if (parkedInTempFile(sheet)) (sheet as unknown as { iterator: Readable }).iterator.destroy();
}

/** ExcelJS' cell value → a plain value; a number shown with zero padding ("000000") keeps its zeros, as the user sees it. */
function excelCellValue(value: ExcelCellValue, numFmt?: string): SheetCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    const padding = numFmt && /^0+$/.test(numFmt) ? numFmt.length : 0;
    return padding > 0 && Number.isInteger(value) && value >= 0 ? String(value).padStart(padding, '0') : value;
  }
  if (typeof value === 'string' || typeof value === 'boolean' || value instanceof Date) return value;
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('error' in value) return value.error;
  if ('formula' in value || 'sharedFormula' in value) return excelCellValue(value.result ?? null, numFmt);
  if ('text' in value) return excelCellValue(value.text as ExcelCellValue, numFmt);
  return null;
}

function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    // Not UTF-8: Excel on Windows saves "CSV (Comma delimited)" in the ANSI code page.
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** CSV is fed to the parser in slices, so the row limit stops it early (a whole-text chunk would be parsed in one go). */
const CSV_SLICE_BYTES = 64 * 1024;

async function readCsvRows(bytes: Uint8Array, fileName: string, collector: RowCollector): Promise<void> {
  const text = decodeText(bytes).replace(/^\ufeff/, '');
  if (/[\u0000-\u0008\u000e-\u001f]/.test(text.slice(0, 8192))) throw fileError(`${fileName} is not a spreadsheet: upload an .xlsx workbook or a CSV file`);
  const firstLine = text.split(/\r\n|\n|\r/, HEADER_SEARCH_ROWS).find((line) => line.trim() !== '') ?? '';
  // European Excel writes ';', "Unicode text" exports use tabs
  const delimiter = [',', ';', '\t'].map((d) => ({ d, n: firstLine.split(d).length })).sort((a, b) => b.n - a.n)[0].d;
  const utf8 = Buffer.from(text, 'utf8');
  const feed = Readable.from(
    (function* slices() {
      for (let at = 0; at < utf8.length; at += CSV_SLICE_BYTES) yield utf8.subarray(at, at + CSV_SLICE_BYTES);
    })(),
  );
  const parser = csvParser({ delimiter, record_delimiter: ['\r\n', '\n', '\r'], relax_column_count: true, skip_empty_lines: false, info: true });
  feed.pipe(parser);
  collector.startSheet('CSV');
  try {
    // with `info: true` each record comes wrapped with its position (the typings do not model that option)
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { records: number } }>) {
      if (!collector.add({ number: info.records, cells: record })) break;
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw fileError(`${fileName} is not valid CSV${line ? ` (line ${line})` : ''}: ${error.message}`);
    }
    throw error;
  } finally {
    feed.unpipe(parser);
    feed.destroy();
  }
  collector.throwRefusal();
}

/**
 * Takes a file's rows as they are read, sheet by sheet: finds the header (in the first
 * HEADER_SEARCH_ROWS rows of a sheet; the first sheet that has one wins), keeps the data rows below
 * it and counts the work orders among them. At the first work order over MAX_IMPORT_ROWS it refuses
 * the file and asks the reader to stop.
 */
class RowCollector {
  /** the first row of the first sheet, for the message when no sheet has a header */
  firstRow: SheetRow | null = null;
  found: { sheet: string; columns: Map<ImportField, number>; dataRows: SheetRow[] } | null = null;
  private sheets = 0;
  private sheet = '';
  private searched = 0;
  private refusal: Invalid | null = null;

  constructor(private readonly fileName: string) {}

  /** Nothing more to read: the header's sheet has been read to its end, or the file was refused. */
  get finished(): boolean {
    return this.found !== null || this.refusal !== null;
  }

  startSheet(name: string): void {
    this.sheets++;
    this.sheet = name;
    this.searched = 0;
  }

  /** Takes the next row of the current sheet; false when the reader should stop reading this sheet. */
  add(row: SheetRow): boolean {
    if (this.sheets === 1 && this.firstRow === null) this.firstRow = row;
    const found = this.found;
    if (found) {
      if (![...found.columns.values()].some((col) => !isBlank(row.cells[col]))) return true;
      if (found.dataRows.length === MAX_IMPORT_ROWS) {
        this.refusal = fileError(`${this.fileName} has more than ${MAX_IMPORT_ROWS} work orders (reading stopped at row ${row.number}); import at most ${MAX_IMPORT_ROWS} per file`);
        return false;
      }
      found.dataRows.push(row);
      return true;
    }
    this.searched++;
    const columns = headerColumns(row);
    if (columns) {
      this.found = { sheet: this.sheet, columns, dataRows: [] };
      return true;
    }
    return this.searched < HEADER_SEARCH_ROWS;
  }

  throwRefusal(): void {
    if (this.refusal) throw this.refusal;
  }
}

/** The import fields' columns when the row is a header row (it names Lot, Product and Quantity), else null. */
function headerColumns(row: SheetRow): Map<ImportField, number> | null {
  const columns = new Map<ImportField, number>();
  row.cells.forEach((cell, col) => {
    if (typeof cell !== 'string') return;
    const field = FIELD_BY_HEADER.get(normaliseHeader(cell));
    // the first matching column wins: an export has both "Product" and "Item number"
    if (field && !columns.has(field)) columns.set(field, col);
  });
  return REQUIRED_FIELDS.every((f) => columns.has(f)) ? columns : null;
}

/** A cell that cannot become the field's value; its message goes into the row error. */
class CellProblem extends Error {}

const isBlank = (c: SheetCell | undefined) => c === null || c === undefined || (typeof c === 'string' && c.trim() === '');

function optionalText(c: SheetCell): string | null {
  if (isBlank(c)) return null;
  if (c instanceof Date) return DateTime.fromJSDate(c, { zone: 'utc' }).toISODate();
  // String(159070) is "159070": a numeric lot or item number cell reads back without ".0"
  return String(c).trim();
}

function requiredText(c: SheetCell): string {
  const text = optionalText(c);
  if (text === null) throw new CellProblem('required');
  return text;
}

/** A lot number from a text or number cell; a TRUE/FALSE or date cell is a mistake, not lot "true". */
function lotText(c: SheetCell): string {
  if (typeof c === 'boolean') throw new CellProblem('a lot number is needed here, not TRUE/FALSE: type the lot number (format the cell as text)');
  if (c instanceof Date) throw new CellProblem('a lot number is needed here, not a date: format the cell as text and type the lot number');
  return requiredText(c);
}

/** Text cells (CSV, or numbers typed as text in Excel) are read the way the plant writes numbers. */
function numberOf(c: SheetCell, locale: string, options: { integer?: boolean } = {}): number | null {
  if (isBlank(c)) return null;
  if (typeof c === 'number') return c;
  const text = String(c).trim();
  const reading = readNumber(text, locale, options);
  if (reading.kind === 'empty') return null;
  if (reading.kind === 'number') return reading.value;
  throw new CellProblem(reading.reason === 'not-a-number' ? `must be a number (got '${text}')` : `${reading.message} (got '${text}')`);
}

function requiredNumber(c: SheetCell, locale: string, options: { integer?: boolean } = {}): number {
  const value = numberOf(c, locale, options);
  if (value === null) throw new CellProblem('required');
  return value;
}

function priorityNumber(c: SheetCell, locale: string): number {
  const value = numberOf(c, locale);
  if (value === null) return 0;
  if (!Number.isInteger(value) || value < 0 || value > 9) throw new CellProblem(`must be a whole number from 0 to 9 (got ${value})`);
  return value;
}

function rateModeValue(c: SheetCell): 'standard' | 'observed' | 'recommended' | null {
  const text = optionalText(c)?.toLowerCase() ?? '';
  if (text === '' || text === 'default' || text === 'site default') return null;
  if (text === 'standard' || text === 'observed' || text === 'recommended') return text;
  throw new CellProblem(`must be 'standard', 'observed', 'recommended' or empty for the site default (got '${optionalText(c)}')`);
}

/** Excel counts days from 1899-12-30 (the 1900 leap-year bug folded in). */
const EXCEL_EPOCH = DateTime.fromISO('1899-12-30T00:00:00', { zone: 'utc' });

/** Plant-local wall-clock text → "YYYY-MM-DD" or "YYYY-MM-DDTHH:mm:ss"; the service applies the plant zone. */
function wallClockText(local: DateTime): string {
  const rounded = DateTime.fromMillis(Math.round(local.toMillis() / 1000) * 1000, { zone: 'utc' });
  return rounded.hour === 0 && rounded.minute === 0 && rounded.second === 0 ? rounded.toISODate()! : rounded.toFormat("yyyy-MM-dd'T'HH:mm:ss");
}

const US_DATE_FORMATS = ['M/d/yyyy', 'M/d/yy', 'M/d/yyyy H:mm', 'M/d/yy H:mm', 'M/d/yyyy H:mm:ss', 'M/d/yyyy h:mm a'];

function dueText(c: SheetCell): string | null {
  if (isBlank(c)) return null;
  // Excel stores wall-clock date-times without a zone; ExcelJS hands them over as UTC fields.
  if (c instanceof Date) return wallClockText(DateTime.fromJSDate(c, { zone: 'utc' }));
  if (typeof c === 'number') {
    // a date cell that lost its date format shows its serial number
    if (c > 1 && c < 2_958_466) return wallClockText(EXCEL_EPOCH.plus({ milliseconds: Math.round(c * 86_400_000) }));
    throw new CellProblem(`must be a date (got ${c})`);
  }
  const text = String(c).trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    if (!DateTime.fromISO(text, { zone: 'utc' }).isValid) throw new CellProblem(`'${text}' is not a valid date`);
    return text;
  }
  const isoDateTime = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(text) ? text.replace(' ', 'T') : null;
  if (isoDateTime) {
    if (!DateTime.fromISO(isoDateTime, { zone: 'utc' }).isValid) throw new CellProblem(`'${text}' is not a valid date and time`);
    return isoDateTime;
  }
  // US plant: Excel's CSV export writes dates as M/D/YYYY
  for (const format of US_DATE_FORMATS) {
    const parsed = DateTime.fromFormat(text, format, { zone: 'utc', locale: 'en-US' });
    if (parsed.isValid) return wallClockText(parsed);
  }
  throw new CellProblem(`'${text}' is not a date (use YYYY-MM-DD, e.g. 2026-12-01)`);
}
