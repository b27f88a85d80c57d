// Tables as files: one table (columns with a kind, rows of values) written as CSV or as an .xlsx
// workbook, times in plant-local time. Shared by every export (work orders, the audit trail, OEE): a
// feature builds its table, this writes it, so the rules of a safe export (no formula injection, no
// characters XML cannot carry, the zone of every time) live in one place.
import { DateTime } from 'luxon';
import type { Cell as ExcelCell, Workbook, Worksheet } from 'exceljs';
import { dueDay } from '../core/due.js';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** `timestamp`: an instant to the second with the plant zone (audit trails); `instant`: to the minute */
export type ColumnKind = 'text' | 'integer' | 'instant' | 'timestamp' | 'due';
export interface ExportColumn {
  header: string;
  kind: ColumnKind;
  width: number;
  /** multi-line text: wrapped in the .xlsx cell */
  wrap?: boolean;
}
export type ExportValue = string | number | null;
export interface ExportTable {
  columns: ExportColumn[];
  /** text / integer values; instants as ISO strings (UTC), converted to plant-local time by the writers */
  rows: ExportValue[][];
}

/**
 * A due date entered as "2026-12-01" is stored as the end of that day (local midnight after it);
 * writing it back as that date keeps an export → edit → import round trip on the same instant.
 */
/** The due as the exports write it: a due day without a time, a due time with it (one rule: core/due). */
function localDue(iso: string, zone: string): { date: DateTime; dateOnly: boolean } {
  const { day, timeOfDay } = dueDay(iso, zone);
  return { date: day, dateOnly: !timeOfDay };
}

/** Characters XML 1.0 cannot carry: controls other than tab/line breaks, lone surrogates, U+FFFE, U+FFFF. */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A text as every export writes it: what XML (and so .xlsx) cannot carry becomes U+FFFD (�). */
export function xmlSafeText(text: string): string {
  return text.replace(NOT_XML, '\ufffd');
}

function csvText(value: ExportValue, kind: ColumnKind, zone: string): string {
  if (value === null || value === '') return '';
  if (kind === 'instant') return DateTime.fromISO(String(value), { zone }).toFormat('yyyy-MM-dd HH:mm');
  // "2026-12-01 14:03:27 PST": a reviewer needs the second and which clock it is
  if (kind === 'timestamp') return DateTime.fromISO(String(value), { zone }).toFormat('yyyy-MM-dd HH:mm:ss ZZZZ');
  if (kind === 'due') {
    const { date, dateOnly } = localDue(String(value), zone);
    return date.toFormat(dateOnly ? 'yyyy-MM-dd' : 'yyyy-MM-dd HH:mm');
  }
  const text = xmlSafeText(String(value));
  // a text starting like a formula would be run by Excel on opening (CSV injection)
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** RFC 4180: fields with a comma, quote or line break in double quotes, quotes doubled, CRLF line ends. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV with a UTF-8 byte order mark, so Excel opens accents and "–" correctly. Times are plant-local. */
export function tableToCsv(table: ExportTable, zone: string): string {
  const lines = [table.columns.map((c) => csvField(c.header)).join(',')];
  for (const row of table.rows) lines.push(row.map((value, i) => csvField(csvText(value, table.columns[i].kind, zone))).join(','));
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}

/** Excel has no time zones: a plant-local wall-clock time is written as those UTC fields. */
export const excelDate = (local: DateTime): Date => local.setZone('utc', { keepLocalTime: true }).toJSDate();

export function styleHeader(sheet: Worksheet, columns: { header: string; width: number }[]): void {
  sheet.columns = columns.map((c) => ({ header: xmlSafeText(c.header), width: c.width }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
}

export async function newWorkbook(): Promise<Workbook> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'qmfg';
  return workbook;
}

export async function workbookBytes(workbook: Workbook): Promise<Buffer> {
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function tableToXlsx(table: ExportTable, zone: string, sheetName = 'Work orders'): Promise<Buffer> {
  return tablesToXlsx([{ name: sheetName, table }], zone);
}

/** Several tables as the sheets of one workbook (reports: summary, losses, scrap, crew …). */
export async function tablesToXlsx(sheets: readonly { name: string; table: ExportTable }[], zone: string): Promise<Buffer> {
  const workbook = await newWorkbook();
  for (const { name, table } of sheets) addTableSheet(workbook, name, table, zone);
  return workbookBytes(workbook);
}

function addTableSheet(workbook: Workbook, sheetName: string, table: ExportTable, zone: string): void {
  const sheet = workbook.addWorksheet(sheetName);
  styleHeader(sheet, table.columns);
  for (const values of table.rows) {
    const row = sheet.addRow(values.map(() => null));
    values.forEach((value, i) => {
      const cell: ExcelCell = row.getCell(i + 1);
      const kind = table.columns[i].kind;
      if (value === null || value === '') return;
      if (kind === 'instant' || kind === 'timestamp') {
        cell.value = excelDate(DateTime.fromISO(String(value), { zone }));
        cell.numFmt = kind === 'timestamp' ? 'yyyy-mm-dd hh:mm:ss' : 'yyyy-mm-dd hh:mm';
      } else if (kind === 'due') {
        const { date, dateOnly } = localDue(String(value), zone);
        cell.value = excelDate(date);
        cell.numFmt = dateOnly ? 'yyyy-mm-dd' : 'yyyy-mm-dd hh:mm';
      } else if (kind === 'integer') {
        cell.value = Number(value);
        cell.numFmt = Number.isInteger(Number(value)) ? '#,##0' : '#,##0.0##';
      } else {
        cell.value = xmlSafeText(String(value));
        if (table.columns[i].wrap) cell.alignment = { wrapText: true, vertical: 'top' };
      }
    });
  }
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.columns.length } };
}

/** A table as the file a download sends: its content type and body (.xlsx bytes, or CSV text). */
export async function tableFile(table: ExportTable, extension: 'xlsx' | 'csv', zone: string, sheetName?: string): Promise<{ contentType: string; body: Buffer | string }> {
  if (extension === 'xlsx') return { contentType: XLSX_MIME, body: await tableToXlsx(table, zone, sheetName) };
  return { contentType: 'text/csv; charset=utf-8', body: tableToCsv(table, zone) };
}

/** The Content-Disposition of a download named `fileName`. */
export const attachment = (fileName: string): string => `attachment; filename="${fileName}"`;
