// An uploaded shift sheet (workbook.ts made it) into the operator reports, row by row, through the
// same service functions as the screen — so validation, the lock of a signed shift and the audit
// trail are the same. Each row comes back imported, unchanged, error or conflict.
//
// The rules, precisely:
// - "Stored" is what the database holds at upload time; "prefilled" is what the sheet was filled
//   with at download (its very hidden Downloaded sheet). A difference between the sheet and what is
//   stored is the sheet's change when what is stored is still what was prefilled; otherwise somebody
//   changed it since the download (on screen or by another upload) and the row is a conflict: what is
//   stored is kept and the message says what it is and who gave it. Without a Downloaded record (a
//   copied sheet) only what is empty in the database may be filled in.
// - Shift rows: counted units, notes and open issues, compared field by field (texts trimmed, blank =
//   none); one conflicting field makes the whole row a conflict. Saved with saveNotes at the version
//   read now (somebody saving in between → conflict).
// - Stops rows: the stop is found by its hidden Stop id (else its Start to the second). The reasons
//   (first reason + comment, optionally "Split at" + second reason + comment) are compared with the
//   stored segments; a split time within 1 s of the stored split is that split (Excel keeps seconds).
//   A blank reason leaves the stop as it is (clearing is done on screen). Changing a reason that was
//   prefilled is an override: its justification is "changed in the uploaded shift sheet …".
// - Scrap rows: matched by (shift, lot, reason, quantity, rework, comment) against the stored entries
//   of the shift, each stored entry matching one row at most: identical = unchanged, otherwise added
//   with addScrap. Scrap is never deleted by an upload (remove it on screen).
// - Crew rows: the crew of a shift is one list (setCrew replaces it), so the rows of a shift are
//   judged together: all unchanged, all imported, all conflict; a bad row leaves the others of its
//   shift not imported (error, naming the bad row). A shift without Crew rows is left as it is.
// - A signed shift: rows that would change it are conflicts with the service's "signed … reopen"
//   message; rows identical to what is stored are unchanged (nothing to refuse).
// - Messages: "<Sheet> row <n>, <field>: <message>", the services' messages where they check.
import { DateTime } from 'luxon';
import type { Db } from '../../db/database.js';
import type { Who } from '../audit/who.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import { findLeafByPath, isScrapCategory, leafOf, isStopCategory, pathLabel, type Leaf } from '../../core/losses/index.js';
import { addScrap, saveNotes, setCrew } from '../operator-input/shift-log.js';
import { setStopReasons } from '../operator-input/stop-reasons.js';
import { crewMemberSchema, shiftLogBodySchema } from '../operator-input/schemas.js';
import { requireShift } from '../operator-input/shifts.js';
import type { WorkbookImportResult, WorkbookRowResult } from './schemas.js';
import { crewStateKey, notesState, readSheets, SHEETS, shiftSheetData, stopStateKey, type Cell, type SheetRow, type Sheets, type SheetShift, type SheetStop, type ShiftSheetData } from './workbook.js';

const fileError = (message: string) => Invalid.field('file', message);

// ---------------------------------------------------------------- cells

class CellProblem extends Error {}
const text = (c: Cell | undefined): string | null => {
  if (c === null || c === undefined) return null;
  const t = c instanceof Date ? c.toISOString() : String(c).trim();
  return t === '' ? null : t;
};
function wholeNumber(c: Cell | undefined, what: string): number | null {
  const t = text(c);
  if (t === null) return null;
  const n = typeof c === 'number' ? c : Number(t.replace(/,/g, ''));
  if (!Number.isFinite(n)) throw new CellProblem(`must be a number (got '${t}')`);
  if (!Number.isInteger(n)) throw new CellProblem(`${what} is a whole number (got ${n})`);
  return n;
}
function decimal(c: Cell | undefined): number | null {
  const t = text(c);
  if (t === null) return null;
  const n = typeof c === 'number' ? c : Number(t.replace(',', '.'));
  if (!Number.isFinite(n)) throw new CellProblem(`must be a number (got '${t}')`);
  return n;
}

/** Excel keeps wall-clock times without a zone (ExcelJS gives them as UTC fields): the plant's time. */
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
function wallClock(c: Cell | undefined): { date: DateTime | null; hour: number; minute: number; second: number } | null {
  if (c === null || c === undefined || c === '') return null;
  let utc: DateTime | null = null;
  if (c instanceof Date) utc = DateTime.fromJSDate(c, { zone: 'utc' });
  else if (typeof c === 'number') utc = DateTime.fromMillis(EXCEL_EPOCH + Math.round(c * 86_400_000), { zone: 'utc' });
  else {
    const t = String(c).trim();
    const time = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(t);
    if (time) return { date: null, hour: Number(time[1]), minute: Number(time[2]), second: Number(time[3] ?? 0) };
    const parsed = DateTime.fromISO(t.replace(' ', 'T'), { zone: 'utc' });
    if (!parsed.isValid) throw new CellProblem(`'${t}' is not a time (write e.g. 09:42 or 2022-10-13 09:42:30)`);
    utc = parsed;
  }
  // Excel keeps seconds: to the nearest one. A time without a date is day 0 of Excel's calendar.
  const whole = DateTime.fromMillis(Math.round(utc.toMillis() / 1000) * 1000, { zone: 'utc' });
  return { date: whole.year < 1901 ? null : whole.startOf('day'), hour: whole.hour, minute: whole.minute, second: whole.second };
}

/** The instant a wall-clock cell means inside [from, to) of the plant zone (a time alone: the day that puts it there). */
function instantIn(c: Cell | undefined, zone: string, from: number, to: number): number | null {
  const clock = wallClock(c);
  if (!clock) return null;
  const at = (day: DateTime) => DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: clock.hour, minute: clock.minute, second: clock.second }, { zone }).toMillis();
  if (clock.date) return at(clock.date);
  const startDay = DateTime.fromMillis(from, { zone }).startOf('day');
  const candidates = [0, 1, 2].map((d) => at(startDay.plus({ days: d })));
  return candidates.find((ms) => ms >= from - 999 && ms < to) ?? candidates[0];
}

// ---------------------------------------------------------------- import

interface Prefilled { notes: Map<number, ReturnType<typeof notesState>>; crew: Map<number, string>; stops: Map<number, string>; machine: string | null }

function prefilledOf(sheets: Sheets): Prefilled {
  const found: Prefilled = { notes: new Map(), crew: new Map(), stops: new Map(), machine: null };
  for (const { cells } of sheets.get(SHEETS.downloaded) ?? []) {
    const [kind, shift, stop, value] = cells;
    try {
      if (kind === 'template') found.machine = (JSON.parse(String(value)) as { machine?: string }).machine ?? null;
      else if (kind === 'notes') found.notes.set(Number(shift), JSON.parse(String(value)) as ReturnType<typeof notesState>);
      else if (kind === 'crew') found.crew.set(Number(shift), String(value));
      else if (kind === 'stop') found.stops.set(Number(stop), String(value));
    } catch {
      // a damaged record counts as missing: the stricter rule applies to that row
    }
  }
  return found;
}

export interface ImportContext {
  db: Db;
  zone: string;
  promptSeconds: number;
  machine: string;
  who: Who;
  fileName: string;
}

export interface ImportOutcome extends WorkbookImportResult {
  /** shifts and stops that changed, for the live events */
  changedShifts: number[];
  changedStops: number[];
}

/** The shifts the sheet covers: those its Downloaded record names, else those its Shift sheet starts. */
async function coveredShifts(ctx: ImportContext, sheets: Sheets, prefilled: Prefilled) {
  const starts = new Set(prefilled.notes.keys());
  if (starts.size === 0) {
    for (const { cells } of sheets.get(SHEETS.shift) ?? []) {
      const at = instantIn(cells[2], ctx.zone, 0, Number.MAX_SAFE_INTEGER);
      if (at !== null) starts.add(at);
    }
  }
  if (starts.size === 0) throw fileError(`${ctx.fileName} names no shift: download the shift sheet from qmfg and fill it in`);
  const shifts = [];
  for (const start of [...starts].sort((a, b) => a - b)) shifts.push(await requireShift(ctx.db, ctx.zone, start, 'file'));
  return shifts;
}

export async function importShiftWorkbook(ctx: ImportContext, bytes: Uint8Array): Promise<ImportOutcome> {
  const sheets = await readSheets(bytes, ctx.fileName);
  const prefilled = prefilledOf(sheets);
  if (prefilled.machine && prefilled.machine !== ctx.machine) throw fileError(`${ctx.fileName} is the shift sheet of ${prefilled.machine}, not of ${ctx.machine}: upload it on that line's page`);
  const data = await shiftSheetData(ctx.db, ctx.zone, ctx.promptSeconds, ctx.machine, await coveredShifts(ctx, sheets, prefilled));
  const results: WorkbookRowResult[] = [];
  const changedShifts = new Set<number>();
  const changedStops = new Set<number>();
  const run = new RowRunner(results, ctx, data);

  const byLabel = new Map(data.shifts.map((s) => [s.window.label, s]));
  const shiftOf = (sheet: string, row: SheetRow, cell: Cell | undefined): SheetShift | null => {
    const label = text(cell);
    const shift = label ? byLabel.get(label) : data.shifts.length === 1 ? data.shifts[0] : undefined;
    if (!shift) run.report(sheet, row.number, 'error', 'shift', label ? `'${label}' is not a shift of this sheet (${data.shifts.map((s) => s.window.label).join(', ')})` : 'choose the shift');
    return shift ?? null;
  };

  // ---- Shift rows
  for (const row of sheets.get(SHEETS.shift) ?? []) {
    const shift = shiftOf(SHEETS.shift, row, row.cells[1]);
    if (!shift) continue;
    await run.row(SHEETS.shift, row.number, async () => {
      const reportedCount = run.cell('counted units', () => wholeNumber(row.cells[3], 'a count'));
      const wanted = { notes: text(row.cells[4]), openIssues: text(row.cells[5]), reportedCount };
      const checked = shiftLogBodySchema.safeParse({ version: 0, ...wanted });
      if (!checked.success) throw new RowError(fieldWords(String(checked.error.issues[0].path[0])), checked.error.issues[0].message);
      const stored = notesState(shift.log);
      const before = prefilled.notes.get(shift.window.start) ?? null;
      const fields = (['notes', 'openIssues', 'reportedCount'] as const).filter((f) => wanted[f] !== stored[f]);
      if (fields.length === 0) return 'unchanged';
      const theirs = fields.filter((f) => (before ? before[f] !== stored[f] : stored[f] !== null));
      if (theirs.length > 0) {
        const what = theirs.map((f) => `${fieldWords(f)} now read '${stored[f] ?? ''}'`).join(', ');
        throw new Conflict(`changed on screen since this sheet was downloaded (${what}); what is stored is kept — download a fresh sheet`);
      }
      await saveNotes(ctx.db, ctx.who, ctx.zone, { machine: ctx.machine, shiftStart: shift.window.start }, { version: shift.log.version, ...wanted });
      changedShifts.add(shift.window.start);
      return 'imported';
    });
  }

  // ---- Stops rows
  const stops = new Map(data.shifts.flatMap((s) => s.stops.map((stop) => [stop.startMs, { stop, shift: s }] as const)));
  for (const row of sheets.get(SHEETS.stops) ?? []) {
    await run.row(SHEETS.stops, row.number, async () => {
      const id = typeof row.cells[8] === 'number' ? row.cells[8] : null;
      let found = id !== null ? stops.get(id) : undefined;
      if (!found) {
        const at = run.cell('start', () => instantIn(row.cells[1], ctx.zone, 0, Number.MAX_SAFE_INTEGER));
        found = [...stops.values()].find((s) => at !== null && Math.abs(s.stop.startMs - at) < 1000);
        if (!found) throw new RowError('start', `no stop of ${data.machine.name} of at least ${ctx.promptSeconds} s began at ${text(row.cells[1]) ?? '(blank)'} in the shifts of this sheet`);
      }
      const { stop } = found;
      const firstText = text(row.cells[3]);
      const secondText = text(row.cells[6]);
      const splitCell = row.cells[5];
      if (!firstText) {
        if (secondText || text(splitCell)) throw new RowError('reason', 'give the first reason too (the reason from the stop\'s start)');
        return 'unchanged';
      }
      const stored = stop.segments;
      const first = run.reason('reason', firstText, 'stop', stored[0]);
      const wanted = [{ startMs: stop.startMs, reason: first.id, comment: text(row.cells[4]) }];
      if (secondText || text(splitCell)) {
        if (!text(splitCell)) throw new RowError('split at', 'give the time the second reason began');
        if (!secondText) throw new RowError('second reason', 'give the reason from "Split at" on');
        let at = run.cell('split at', () => instantIn(splitCell, ctx.zone, stop.startMs, stop.endMs))!;
        if (stored[1] && Math.abs(stored[1].startMs - at) < 1000) at = stored[1].startMs;
        wanted.push({ startMs: at, reason: run.reason('second reason', secondText, 'stop', stored[1]).id, comment: text(row.cells[7]) });
      }
      if (stopStateKey(wanted) === stopStateKey(stored)) return 'unchanged';
      const downloaded = prefilled.stops.get(stop.startMs);
      if ((downloaded ?? stopStateKey([])) !== stopStateKey(stored)) throw new Conflict(stopConflict(stored, wanted, data));
      const who = stored.length > 0 ? { ...ctx.who, reason: `changed in the uploaded shift sheet '${ctx.fileName}'` } : ctx.who;
      await setStopReasons(ctx.db, who, ctx.zone, ctx.machine, stop.startMs, wanted.map((w) => ({ start: w.startMs, reason: w.reason, comment: w.comment })), Date.now(), 'stop');
      changedStops.add(stop.startMs);
      return 'imported';
    });
  }

  // ---- Scrap rows
  const matched = new Set<number>();
  for (const row of sheets.get(SHEETS.scrap) ?? []) {
    const shift = shiftOf(SHEETS.scrap, row, row.cells[0]);
    if (!shift) continue;
    await run.row(SHEETS.scrap, row.number, async () => {
      const lot = text(row.cells[1]);
      if (!lot) throw new RowError('lot', 'give the lot the units belong to');
      const reason = run.reason('reason', text(row.cells[2]) ?? '', 'scrap');
      const quantity = run.cell('quantity', () => wholeNumber(row.cells[3], 'a quantity'));
      if (quantity === null) throw new RowError('quantity', 'give the units scrapped (0 or more)');
      const rework = run.cell('rework', () => wholeNumber(row.cells[4], 'rework')) ?? 0;
      const comment = text(row.cells[5]);
      const same = shift.log.scrap.find((e) => !matched.has(e.id) && e.lot === lot && e.reason === reason.id && e.quantity === quantity && e.rework === rework && (e.comment ?? null) === comment);
      if (same) {
        matched.add(same.id);
        return 'unchanged';
      }
      await addScrap(ctx.db, ctx.who, ctx.zone, { machine: ctx.machine, shiftStart: shift.window.start }, { lot, reason: reason.id, quantity, rework, comment }, Date.now(), 'scrap');
      changedShifts.add(shift.window.start);
      return 'imported';
    });
  }

  // ---- Crew rows, a shift's crew at a time
  const crewRows = new Map<SheetShift, { row: SheetRow; member: { username: string | null; person: string; hours: number } | null }[]>();
  for (const row of sheets.get(SHEETS.crew) ?? []) {
    const shift = shiftOf(SHEETS.crew, row, row.cells[0]);
    if (!shift) continue;
    const list = crewRows.get(shift) ?? [];
    crewRows.set(shift, list);
    let member: { username: string | null; person: string; hours: number } | null = null;
    await run.row(SHEETS.crew, row.number, async () => {
      const typed = text(row.cells[1]);
      const hours = run.cell('hours', () => decimal(row.cells[2]));
      const known = typed ? data.people.find((p) => p.name.toLowerCase() === typed.toLowerCase() || p.username === typed) : undefined;
      const checked = crewMemberSchema.safeParse({ username: known?.username ?? null, person: known ? null : typed, hours: hours ?? undefined });
      if (!checked.success) throw new RowError(checked.error.issues[0].path[0] === 'hours' ? 'hours' : 'person', checked.error.issues[0].message);
      member = { username: known?.username ?? null, person: known?.name ?? typed!, hours: checked.data.hours };
      return 'pending';
    });
    list.push({ row, member });
  }
  for (const [shift, list] of crewRows) {
    const numbers = list.map((l) => l.row.number);
    const bad = list.filter((l) => l.member === null).map((l) => l.row.number);
    if (bad.length > 0) {
      for (const l of list) if (l.member) run.report(SHEETS.crew, l.row.number, 'error', undefined, `not imported: the crew of ${shift.window.label} is stored as a whole — correct Crew row ${bad.join(', ')} first`);
      continue;
    }
    const members = list.map((l) => l.member!);
    const stored = crewStateKey(shift.log.crew);
    const sameAsStored = crewStateKey(members) === stored;
    const downloaded = prefilled.crew.get(shift.window.start) ?? crewStateKey([]);
    await run.group(SHEETS.crew, numbers, async () => {
      if (sameAsStored) return 'unchanged';
      if (downloaded !== stored) {
        const now = shift.log.crew.map((c) => `${c.person} ${c.hours} h`).join(', ') || 'nobody';
        throw new Conflict(`the crew of ${shift.window.label} was changed on screen since this sheet was downloaded (now: ${now}); the stored crew is kept — download a fresh sheet`);
      }
      await setCrew(ctx.db, ctx.who, ctx.zone, { machine: ctx.machine, shiftStart: shift.window.start }, members.map((m) => ({ username: m.username, person: m.username ? null : m.person, hours: m.hours })));
      changedShifts.add(shift.window.start);
      return 'imported';
    });
  }

  const count = (status: WorkbookRowResult['status']) => results.filter((r) => r.status === status).length;
  return { rows: results, imported: count('imported'), unchanged: count('unchanged'), errors: count('error'), conflicts: count('conflict'), changedShifts: [...changedShifts], changedStops: [...changedStops] };
}

function stopConflict(stored: SheetStop['segments'], wanted: { reason: string }[], data: ShiftSheetData): string {
  const given = stored.length === 0 ? 'its reason was taken away' : `it was given ${stored.map((s) => `'${s.label ?? s.reason}' by ${s.by}`).join(', then ')}`;
  return `since this sheet was downloaded ${given} (the sheet says ${wanted.map((w) => `'${labelOf(data, w.reason)}'`).join(', then ')}); the stored reason is kept — change it on screen if it is wrong`;
}
const labelOf = (data: ShiftSheetData, id: string) => pathLabelOf(data, id) ?? id;
const pathLabelOf = (data: ShiftSheetData, id: string) => {
  const hit = findLeafById(data, id);
  return hit ? pathLabel(hit.path) : null;
};
const findLeafById = (data: ShiftSheetData, id: string): Leaf | null => leafOf(data.tree.tree, id);

const FIELD_WORDS: Record<string, string> = { notes: 'notes', openIssues: 'open issues', reportedCount: 'counted units', quantity: 'quantity', rework: 'rework', lot: 'lot', reason: 'reason', comment: 'comment', hours: 'hours', username: 'person', person: 'person' };
const fieldWords = (field: string) => FIELD_WORDS[field] ?? field;

/** A problem of one row's field, found by the import itself. */
class RowError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

/** Runs each row's import, turning what it throws into that row's result. */
class RowRunner {
  constructor(private readonly results: WorkbookRowResult[], private readonly ctx: ImportContext, private readonly data: ShiftSheetData) {}

  report(sheet: string, row: number, status: WorkbookRowResult['status'], field?: string, message?: string): void {
    const where = field ? `${sheet} row ${row}, ${field}` : `${sheet} row ${row}`;
    this.results.push({ sheet, row, status, ...(field ? { field } : {}), ...(message ? { message: `${where}: ${message}` } : {}) });
  }

  /** Runs a row; 'pending' records nothing (its verdict comes later, with its group). */
  async row(sheet: string, row: number, work: () => Promise<'imported' | 'unchanged' | 'pending'>): Promise<void> {
    await this.group(sheet, [row], work);
  }

  async group(sheet: string, rows: readonly number[], work: () => Promise<'imported' | 'unchanged' | 'pending'>): Promise<void> {
    try {
      const status = await work();
      if (status !== 'pending') for (const row of rows) this.report(sheet, row, status);
    } catch (error) {
      if (error instanceof RowError) for (const row of rows) this.report(sheet, row, 'error', error.field, error.message);
      else if (error instanceof Invalid) {
        const failed = error.fields[0];
        const path = failed?.path.split('.') ?? [];
        // crew errors name the member: body.crew.<i>.…
        const index = path[1] === 'crew' && /^\d+$/.test(path[2] ?? '') ? Number(path[2]) : null;
        const field = fieldOfPath(path);
        for (const [i, row] of rows.entries()) {
          if (index === null || index === i) this.report(sheet, row, 'error', field, failed?.message ?? error.message);
          else this.report(sheet, row, 'error', undefined, `not imported: the crew is stored as a whole — correct ${sheet} row ${rows[index]} first`);
        }
      } else if (error instanceof Conflict) for (const row of rows) this.report(sheet, row, 'conflict', undefined, error.message);
      else if (error instanceof NotFound) for (const row of rows) this.report(sheet, row, 'error', undefined, error.message);
      else throw error;
    }
  }

  /** A cell's value, its conversion problem as the row's error on `field`. */
  cell<T>(field: string, convert: () => T): T {
    try {
      return convert();
    } catch (error) {
      if (error instanceof CellProblem) throw new RowError(field, error.message);
      throw error;
    }
  }

  /** The leaf a reason cell names, of the kind the sheet asks; the stored reason stays acceptable as it reads. */
  reason(field: string, typed: string, kind: 'stop' | 'scrap', stored?: { reason: string | null; label: string | null }): Leaf {
    const tree = this.data.tree.tree;
    if (!typed) throw new RowError(field, kind === 'scrap' ? 'choose a scrap reason' : 'choose a reason');
    if (stored?.reason && stored.label && stored.label.toLowerCase() === typed.toLowerCase()) {
      const keptLeaf = findLeafById(this.data, stored.reason);
      if (!keptLeaf) return { id: stored.reason, label: stored.label, path: [stored.label], category: 'breakdown', retired: true };
    }
    const found = findLeafByPath(tree, typed, this.data.machine.groupName);
    if ('error' in found) throw new RowError(field, found.error);
    const leaf = found.leaf;
    const kept = stored?.reason === leaf.id;
    if (leaf.retired && !kept) throw new RowError(field, `'${pathLabel(leaf.path)}' is retired: choose a current reason`);
    if (kind === 'stop' && !isStopCategory(leaf.category)) throw new RowError(field, `'${pathLabel(leaf.path)}' is a scrap reason, not a reason for a stop`);
    if (kind === 'scrap' && !isScrapCategory(leaf.category)) throw new RowError(field, `'${pathLabel(leaf.path)}' is a reason for a stop, not for scrap`);
    return leaf;
  }
}

/** The column in words for a service's field path (body.quantity, stop.1.start, …). */
function fieldOfPath(path: readonly string[]): string {
  if (path[0] === 'stop') {
    const second = path[1] === '1';
    const last = path[path.length - 1];
    if (last === 'start') return 'split at';
    if (last === 'comment') return second ? 'second comment' : 'comment';
    return second ? 'second reason' : 'reason';
  }
  return fieldWords(path[path.length - 1] ?? 'row');
}
