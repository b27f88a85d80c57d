// The operator report as a spreadsheet (issue 13 item 3): what a line's shifts hold (notes, stops
// and their reasons, scrap, crew), gathered once for the template download and for the upload's
// comparison, and the .xlsx template itself — prefilled, with dropdowns fed by a hidden Lists sheet
// and a very hidden "Downloaded" sheet recording what was prefilled (the upload tells a change made
// in the sheet from one made on screen since the download by it: workbook-import.ts); and reading an
// uploaded sheet back into rows.
import { DateTime } from 'luxon';
import type { CellValue, DataValidation, Row, Worksheet } from 'exceljs';
import type { Executor } from '../../db/database.js';
import { Invalid, NotFound } from '../../core/errors.js';
import { floorTo, MS_PER_MINUTE } from '../../core/time.js';
import { activeLeaves, isScrapCategory, isStopCategory, leafOf, pathLabel } from '../../core/losses/index.js';
import { excelDate, newWorkbook, styleHeader, workbookBytes, xmlSafeText } from '../../shared/table-export.js';
import { loadCalendarSpec } from '../calendar/repository.js';
import * as plantRepo from '../plant/repository.js';
import * as ordersRepo from '../orders/repository.js';
import * as authRepo from '../auth/repository.js';
import * as derivedRepo from '../machine-data/derived-repository.js';
import { listStops } from '../oee/service.js';
import { currentTree, type TreeVersion } from '../operator-input/trees.js';
import { viewShiftLog, type ShiftLogCore } from '../operator-input/shift-log.js';
import { requireShift, shiftsOf, type ShiftWindow } from '../operator-input/shifts.js';

export const SHEETS = { shift: 'Shift', stops: 'Stops', scrap: 'Scrap', crew: 'Crew', lists: 'Lists', downloaded: 'Downloaded', instructions: 'Instructions' } as const;

/** Columns of each input sheet, in order: the upload reads them by position (header texts are for people). */
export const SHIFT_COLUMNS = ['Machine', 'Shift', 'Shift start', 'Counted units', 'Notes', 'Open issues', 'Report state'] as const;
export const STOP_COLUMNS = ['Shift', 'Start', 'Duration (min)', 'Reason', 'Comment', 'Split at', 'Second reason', 'Second comment', 'Stop id'] as const;
export const SCRAP_COLUMNS = ['Shift', 'Lot', 'Reason', 'Quantity', 'Rework', 'Comment'] as const;
export const CREW_COLUMNS = ['Shift', 'Person', 'Hours'] as const;

/** empty rows below the prefilled ones that still get dropdowns */
const SPARE_ROWS = 200;

export interface SheetStop {
  startMs: number;
  endMs: number;
  seconds: number;
  segments: { startMs: number; reason: string | null; label: string | null; comment: string | null; by: string; at: string }[];
}

export interface SheetShift {
  window: ShiftWindow;
  log: ShiftLogCore;
  stops: SheetStop[];
}

export interface ShiftSheetData {
  machine: { key: string; name: string; group: string; groupName: string };
  tree: TreeVersion;
  shifts: SheetShift[];
  lots: string[];
  /** active users: their name as the Person dropdown offers it */
  people: { username: string; name: string }[];
}

/** What a stop's reasons are, as one comparable text: the segments' starts, reasons and comments. */
export function stopStateKey(segments: readonly { startMs: number; reason: string | null; comment: string | null }[]): string {
  return JSON.stringify(segments.map((s) => [s.startMs, s.reason, s.comment ?? null]));
}

/** A crew as one comparable text: who (username, else the typed name) and hours, in order of who. */
export function crewStateKey(crew: readonly { username: string | null; person: string; hours: number }[]): string {
  return JSON.stringify(crew.map((c) => [c.username ?? `name:${c.person.trim().toLowerCase()}`, Math.round(c.hours * 100) / 100]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
}

export function notesState(log: { notes: string | null; openIssues: string | null; reportedCount: number | null }) {
  return { notes: log.notes ?? null, openIssues: log.openIssues ?? null, reportedCount: log.reportedCount ?? null };
}

/** The shifts a download covers: the one starting at `shiftStart`, or every shift starting in the ISO week (plant zone). */
export async function shiftsToCover(db: Executor, zone: string, request: { shiftStart?: number; isoWeek?: string }): Promise<ShiftWindow[]> {
  if (request.shiftStart !== undefined) return [await requireShift(db, zone, request.shiftStart, 'query.shift')];
  if (!request.isoWeek) throw Invalid.field('query', 'give shift (the shift\'s start, epoch ms) or week (e.g. 2022-W41)');
  const monday = DateTime.fromISO(request.isoWeek, { zone });
  if (!/^\d{4}-W\d{2}$/.test(request.isoWeek) || !monday.isValid) throw Invalid.field('query.week', `'${request.isoWeek}' is not an ISO week: write it like 2022-W41`);
  const from = monday.startOf('week').toMillis();
  const to = monday.startOf('week').plus({ weeks: 1 }).toMillis();
  const shifts = shiftsOf(await loadCalendarSpec(db), zone, from, to).filter((s) => s.start >= from && s.start < to);
  if (shifts.length === 0) throw Invalid.field('query.week', `the production calendar has no shifts in ${request.isoWeek}`);
  return shifts;
}

/** Everything the sheet shows and the upload compares against, read now. */
export async function shiftSheetData(db: Executor, zone: string, promptSeconds: number, machineKey: string, shifts: readonly ShiftWindow[]): Promise<ShiftSheetData> {
  const machine = await plantRepo.getMachine(db, machineKey);
  if (!machine) throw new NotFound('machine', machineKey);
  const group = (await plantRepo.listGroups(db)).find((g) => g.key === machine.group);
  const tree = await currentTree(db, machine.group);
  const sheetShifts: SheetShift[] = [];
  for (const window of shifts) {
    const listed = await listStops(db, zone, { machine: machineKey, from: floorTo(window.start, MS_PER_MINUTE), to: floorTo(window.end, MS_PER_MINUTE), minSeconds: promptSeconds });
    // a stop belongs to the shift it began in (as the signed content counts it)
    const stops = listed.stops
      .filter((s) => s.startMs >= window.start && s.startMs < window.end)
      .map((s) => ({ startMs: s.startMs, endMs: s.endMs, seconds: s.seconds, segments: s.segments.map((g) => ({ startMs: g.startMs, reason: g.reason, label: g.label, comment: g.comment, by: g.by, at: g.at })) }));
    sheetShifts.push({ window, log: await viewShiftLog(db, machineKey, window), stops });
  }
  const first = shifts[0].start;
  const last = shifts[shifts.length - 1].end;
  const run = await derivedRepo.listLotCounts(db, [machineKey], first, last);
  const queued = (await ordersRepo.machineQueue(db, machineKey)).filter((op) => op.state !== 'done').slice(0, 2);
  const lots = [...new Set([...run.map((l) => l.lot), ...queued.map((op) => op.lot), ...sheetShifts.flatMap((s) => s.log.scrap.map((e) => e.lot))])];
  const users = (await authRepo.listUsers(db)).filter((u) => Number(u.active) === 1);
  const names = users.map((u) => u.display_name || u.username);
  // a name two users share is offered with the username, so each entry names one person
  const people = users.map((u, i) => ({ username: u.username, name: names.filter((n) => n === names[i]).length > 1 ? `${names[i]} (${u.username})` : names[i] }));
  return { machine: { key: machine.key, name: machine.name, group: machine.group, groupName: group?.name ?? machine.group }, tree, shifts: sheetShifts, lots, people };
}

/** A reason id as the sheet shows it: its path in the current tree, else the wording it was given with. */
export function reasonText(tree: TreeVersion, reason: string | null, label: string | null): string {
  if (!reason) return '';
  const leaf = leafOf(tree.tree, reason);
  return leaf ? pathLabel(leaf.path) : (label ?? reason);
}

type Validations = { add(range: string, validation: DataValidation): void };
const validationsOf = (sheet: Worksheet) => (sheet as Worksheet & { dataValidations: Validations }).dataValidations;

function listValidation(column: number, count: number, title: string, strict: boolean): DataValidation {
  const letter = String.fromCharCode(64 + column);
  return {
    type: 'list', allowBlank: true, formulae: [`${SHEETS.lists}!$${letter}$2:$${letter}$${Math.max(2, count + 1)}`], showErrorMessage: strict, errorStyle: strict ? 'stop' : 'warning',
    errorTitle: title, error: strict ? `Choose from the list (${title})` : 'Not in the list: it will be stored as typed',
  };
}

const noted = (sheet: Worksheet, notes: readonly string[]) => notes.forEach((note, i) => { if (note) sheet.getRow(1).getCell(i + 1).note = note; });

/** The .xlsx template of `data`'s shifts, prefilled with what is stored. */
export async function shiftTemplate(data: ShiftSheetData, zone: string, downloadedAt: number): Promise<Buffer> {
  const workbook = await newWorkbook();
  const local = (ms: number) => excelDate(DateTime.fromMillis(ms, { zone }));
  const stopReasons = activeLeaves(data.tree.tree, (l) => isStopCategory(l.category)).map((l) => pathLabel(l.path));
  const scrapReasons = activeLeaves(data.tree.tree, (l) => isScrapCategory(l.category)).map((l) => pathLabel(l.path));
  const shiftLabels = data.shifts.map((s) => s.window.label);
  const last = (rows: number) => rows + SPARE_ROWS + 1;

  const shiftSheet = workbook.addWorksheet(SHEETS.shift);
  styleHeader(shiftSheet, SHIFT_COLUMNS.map((header, i) => ({ header, width: [14, 24, 17, 14, 50, 50, 12][i] })));
  noted(shiftSheet, ['', 'The shift (plant time); do not change it', '', 'Units you counted in the shift', 'What happened in the shift', 'For the next shift (handover)', 'A signed report is locked: a lead reopens it first']);
  for (const s of data.shifts) {
    const row = shiftSheet.addRow([data.machine.name, s.window.label, local(s.window.start), s.log.reportedCount, xmlSafeText(s.log.notes ?? ''), xmlSafeText(s.log.openIssues ?? ''), s.log.state]);
    row.getCell(3).numFmt = 'yyyy-mm-dd hh:mm';
    row.getCell(5).alignment = { wrapText: true, vertical: 'top' };
    row.getCell(6).alignment = { wrapText: true, vertical: 'top' };
  }
  shiftSheet.getColumn(4).numFmt = '#,##0';
  validationsOf(shiftSheet).add(`D2:D${data.shifts.length + 1}`, { type: 'whole', operator: 'greaterThanOrEqual', formulae: [0], allowBlank: true, showErrorMessage: true, errorTitle: 'Counted units', error: 'A whole number, 0 or more' });

  const stopSheet = workbook.addWorksheet(SHEETS.stops);
  styleHeader(stopSheet, STOP_COLUMNS.map((header, i) => ({ header, width: [24, 19, 10, 44, 30, 19, 44, 30, 16][i] })));
  noted(stopSheet, ['', 'When the stop began (plant time)', '', 'Choose the reason from the list (full path, or a unique reason name)', 'Optional', 'Optional: the time the second reason began (inside the stop), e.g. 09:42', 'The reason from "Split at" on', 'Optional', 'Do not change: identifies the stop']);
  let stopRows = 0;
  for (const s of data.shifts) {
    for (const stop of s.stops) {
      const [first, second] = stop.segments;
      const row = stopSheet.addRow([
        s.window.label, local(stop.startMs), Math.round((stop.seconds / 60) * 10) / 10, reasonText(data.tree, first?.reason ?? null, first?.label ?? null), xmlSafeText(first?.comment ?? ''),
        second ? local(second.startMs) : null, reasonText(data.tree, second?.reason ?? null, second?.label ?? null), xmlSafeText(second?.comment ?? ''), stop.startMs,
      ]);
      row.getCell(2).numFmt = 'yyyy-mm-dd hh:mm:ss';
      row.getCell(6).numFmt = 'yyyy-mm-dd hh:mm:ss';
      stopRows++;
    }
  }
  stopSheet.getColumn(9).hidden = true;
  validationsOf(stopSheet).add(`D2:D${last(stopRows)}`, listValidation(1, stopReasons.length, 'Stop reason', true));
  validationsOf(stopSheet).add(`G2:G${last(stopRows)}`, listValidation(1, stopReasons.length, 'Stop reason', true));

  const scrapSheet = workbook.addWorksheet(SHEETS.scrap);
  styleHeader(scrapSheet, SCRAP_COLUMNS.map((header, i) => ({ header, width: [24, 12, 44, 10, 10, 36][i] })));
  noted(scrapSheet, ['Choose the shift', 'The lot the units belong to', 'Choose the scrap reason', 'Units thrown away (0 or more)', 'Units reworked (0 or more)', 'Optional']);
  let scrapRows = 0;
  for (const s of data.shifts) {
    for (const e of s.log.scrap) {
      scrapSheet.addRow([s.window.label, e.lot, reasonText(data.tree, e.reason, e.label), e.quantity, e.rework, xmlSafeText(e.comment ?? '')]);
      scrapRows++;
    }
  }
  scrapSheet.getColumn(2).numFmt = '@';
  validationsOf(scrapSheet).add(`A2:A${last(scrapRows)}`, listValidation(5, shiftLabels.length, 'Shift', true));
  validationsOf(scrapSheet).add(`B2:B${last(scrapRows)}`, listValidation(3, data.lots.length, 'Lot', false));
  validationsOf(scrapSheet).add(`C2:C${last(scrapRows)}`, listValidation(2, scrapReasons.length, 'Scrap reason', true));
  for (const column of ['D', 'E']) {
    validationsOf(scrapSheet).add(`${column}2:${column}${last(scrapRows)}`, { type: 'whole', operator: 'greaterThanOrEqual', formulae: [0], allowBlank: true, showErrorMessage: true, errorTitle: 'Units', error: 'A whole number, 0 or more' });
  }

  const crewSheet = workbook.addWorksheet(SHEETS.crew);
  styleHeader(crewSheet, CREW_COLUMNS.map((header, i) => ({ header, width: [24, 30, 8][i] })));
  noted(crewSheet, ['Choose the shift', 'Choose a person from the list, or type the name of someone without an account', 'Hours worked on the line (more than 0, at most 24)']);
  let crewRows = 0;
  for (const s of data.shifts) {
    for (const c of s.log.crew) {
      const person = (c.username && data.people.find((p) => p.username === c.username)?.name) || c.person;
      crewSheet.addRow([s.window.label, xmlSafeText(person), c.hours]);
      crewRows++;
    }
  }
  validationsOf(crewSheet).add(`A2:A${last(crewRows)}`, listValidation(5, shiftLabels.length, 'Shift', true));
  validationsOf(crewSheet).add(`B2:B${last(crewRows)}`, listValidation(4, data.people.length, 'Person', false));
  validationsOf(crewSheet).add(`C2:C${last(crewRows)}`, { type: 'decimal', operator: 'between', formulae: [0.01, 24], allowBlank: true, showErrorMessage: true, errorTitle: 'Hours', error: 'More than 0, at most 24 hours' });

  const lists = workbook.addWorksheet(SHEETS.lists, { state: 'hidden' });
  styleHeader(lists, ['Stop reasons', 'Scrap reasons', 'Lots', 'People', 'Shifts'].map((header) => ({ header, width: 40 })));
  const columns = [stopReasons, scrapReasons, data.lots, data.people.map((p) => p.name), shiftLabels];
  const height = Math.max(...columns.map((c) => c.length));
  for (let i = 0; i < height; i++) lists.addRow(columns.map((c) => (c[i] === undefined ? null : xmlSafeText(c[i]))));
  lists.getColumn(3).numFmt = '@';

  // what was prefilled, so the upload can tell whose change a difference is
  const downloaded = workbook.addWorksheet(SHEETS.downloaded, { state: 'veryHidden' });
  downloaded.addRow(['kind', 'shift', 'stop', 'value']);
  downloaded.addRow(['template', null, null, JSON.stringify({ machine: data.machine.key, treeVersion: data.tree.version, at: downloadedAt })]);
  for (const s of data.shifts) {
    downloaded.addRow(['notes', s.window.start, null, JSON.stringify(notesState(s.log))]);
    downloaded.addRow(['crew', s.window.start, null, crewStateKey(s.log.crew)]);
    for (const stop of s.stops) downloaded.addRow(['stop', s.window.start, stop.startMs, stopStateKey(stop.segments)]);
  }

  const help = workbook.addWorksheet(SHEETS.instructions);
  help.getColumn(1).width = 110;
  const lines = [
    `Shift sheet of ${data.machine.name} (${data.machine.groupName}): ${shiftLabels.length === 1 ? shiftLabels[0] : `${shiftLabels[0]} … ${shiftLabels[shiftLabels.length - 1]} (${shiftLabels.length} shifts)`}. Times are plant time.`,
    'Fill in: Shift (counted units, notes, open issues), Stops (a reason for each stop; to split a stop give "Split at" and a second reason), Scrap (one row per lot and reason), Crew (who worked the shift and hours).',
    'What was already entered is prefilled. Upload the file on the operator page: every row is checked, good rows are stored, and each row comes back as imported, unchanged, error or conflict.',
    'Uploading the same file twice changes nothing. Scrap rows are added when no identical entry exists; remove scrap on screen. A blank reason leaves the stop as it is; clear a reason on screen.',
    'If someone changed a stop reason, notes or the crew on screen after you downloaded this file, your row is reported as a conflict and what is stored is kept: download a fresh sheet.',
    'A signed shift report is locked: a lead reopens it before anything changes. Do not change the hidden Stop id column.',
  ];
  for (const line of lines) help.addRow([line]).alignment = { wrapText: true, vertical: 'top' };
  help.getRow(1).font = { bold: true };
  return workbookBytes(workbook);
}

// ---------------------------------------------------------------- reading it back

/** A shift sheet holds a week of one line at most: more rows in a sheet is the wrong file. */
export const MAX_SHEET_ROWS = 3000;

export type Cell = string | number | boolean | Date | null;
export interface SheetRow { number: number; cells: Cell[] }
export type Sheets = Map<string, SheetRow[]>;

const fileError = (message: string) => Invalid.field('file', message);

function cellOf(value: CellValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('error' in value) return null;
  if ('formula' in value || 'sharedFormula' in value) return cellOf((value.result ?? null) as CellValue);
  if ('text' in value) return cellOf(value.text as CellValue);
  return null;
}

/** What the sheets of a shift sheet may hold unpacked: a week of one line is well under 5 MB of XML. */
export const MAX_UNPACKED_BYTES = 50 * 1024 * 1024;

/**
 * The sum of the uncompressed sizes the zip's central directory declares, or null when it has none
 * (not a zip). Checked before unpacking, so a small file that unpacks to gigabytes is refused.
 */
function declaredUnpackedBytes(bytes: Uint8Array): number | null {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = view.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0 || eocd + 22 > view.length) return null;
  const entries = view.readUInt16LE(eocd + 10);
  let at = view.readUInt32LE(eocd + 16);
  let total = 0;
  for (let i = 0; i < entries; i++) {
    if (at + 46 > view.length || view.readUInt32LE(at) !== 0x02014b50) return null;
    total += view.readUInt32LE(at + 24);
    at += 46 + view.readUInt16LE(at + 28) + view.readUInt16LE(at + 30) + view.readUInt16LE(at + 32);
  }
  return total;
}

/**
 * Every sheet's rows (the header row left out). Read whole, not streamed: ExcelJS' streaming reader
 * now and then meets a worksheet before it knows the workbook (about 1 read in 300 failed with
 * "Cannot read properties of undefined (reading 'sheets')"), and a shift sheet is small — the upload
 * limit and the declared unpacked size bound what is read.
 */
export async function readSheets(bytes: Uint8Array, fileName: string): Promise<Sheets> {
  if (!(bytes[0] === 0x50 && bytes[1] === 0x4b)) throw fileError(`${fileName} is not an .xlsx workbook: upload the shift sheet downloaded from qmfg`);
  const unpacked = declaredUnpackedBytes(bytes);
  if (unpacked === null) throw fileError(`${fileName} is not a readable .xlsx workbook (its zip directory is damaged)`);
  if (unpacked > MAX_UNPACKED_BYTES) throw fileError(`${fileName} unpacks to more than ${MAX_UNPACKED_BYTES / 1024 / 1024} MB; a shift sheet covers a week of one line`);
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch (error) {
    throw fileError(`${fileName} is not a readable .xlsx workbook (${(error as Error).message})`);
  }
  const sheets: Sheets = new Map();
  for (const worksheet of workbook.worksheets) {
    if (worksheet.actualRowCount > MAX_SHEET_ROWS + 1) throw fileError(`${fileName}: the ${worksheet.name} sheet has more than ${MAX_SHEET_ROWS} rows; a shift sheet covers a week of one line`);
    const rows: SheetRow[] = [];
    worksheet.eachRow((row: Row, number) => {
      if (number === 1) return;
      const cells: Cell[] = [];
      row.eachCell({ includeEmpty: false }, (cell, col) => { cells[col - 1] = cellOf(cell.value); });
      if (cells.some((c) => c !== null && c !== undefined && c !== '')) rows.push({ number, cells });
    });
    sheets.set(worksheet.name, rows);
  }
  if (!sheets.has(SHEETS.shift) && !sheets.has(SHEETS.stops)) throw fileError(`${fileName} is not a qmfg shift sheet (it has no ${SHEETS.shift} or ${SHEETS.stops} sheet)`);
  return sheets;
}
