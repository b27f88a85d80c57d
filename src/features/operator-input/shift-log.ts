// The shift log of a line: crew, scrap, notes and open issues for the next shift, submitted by the
// operator and signed by the lead (electronic signature bound to its content). A signed log is
// locked; reopening it is audited with a reason and the log then shows what changed since signing.
import type { Db, Executor, Tx } from '../../db/database.js';
import type { Who } from '../audit/who.js';
import { appendAudit } from '../audit/repository.js';
import * as plantRepo from '../plant/repository.js';
import * as authRepo from '../auth/repository.js';
import * as ordersRepo from '../orders/repository.js';
import * as derivedRepo from '../machine-data/derived-repository.js';
import * as repo from './repository.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import { requireReason } from '../../core/reasons.js';
import { isScrapCategory, leafOf, pathLabel, type LossCategory } from '../../core/losses/index.js';
import type { SignedContent } from '../auth/signatures.js';
import { ensureStoredTree } from './trees.js';
import { assertShiftOpen } from './lock.js';
import { requireShift, type ShiftWindow } from './shifts.js';
import { reconcile, type ReconcileSettings } from './reconcile.js';
import type { ScrapInput, ShiftLogView } from './schemas.js';
import { scrapInputSchema } from './schemas.js';

export const SHIFT_LOG_ENTITY = 'shift-log';
export const shiftLogKey = (machine: string, shiftStart: number) => `${machine}@${new Date(shiftStart).toISOString()}`;

export function parseShiftLogKey(key: string): { machine: string; shiftStart: number } | null {
  const at = key.lastIndexOf('@');
  if (at <= 0) return null;
  const shiftStart = Date.parse(key.slice(at + 1));
  return Number.isFinite(shiftStart) ? { machine: key.slice(0, at), shiftStart } : null;
}

async function requireMachine(db: Executor, machine: string) {
  const stored = await plantRepo.getMachine(db, machine);
  if (!stored) throw new NotFound('machine', machine);
  return stored;
}

/** What a lead signs: everything the operators reported for the line and shift. */
export async function shiftContent(db: Executor, machine: string, shift: { start: number; end: number }) {
  const log = await repo.getShiftLog(db, machine, shift.start);
  const crew = await repo.crewOfShift(db, machine, shift.start);
  const scrap = await repo.scrapOfShift(db, machine, shift.start);
  const segments = (await repo.segmentsOverlapping(db, [machine], shift.start, shift.end)).filter((s) => s.stopStart >= shift.start && s.stopStart < shift.end);
  return {
    notes: log?.notes ?? null,
    openIssues: log?.openIssues ?? null,
    reportedCount: log?.reportedCount ?? null,
    crew: crew.map((c) => ({ person: c.person, username: c.username, hours: c.hours })),
    scrap: scrap.map((s) => ({ lot: s.lot, reason: s.reasonId, label: s.label, quantity: s.quantity, rework: s.rework, comment: s.comment })),
    stopReasons: segments.map((s) => ({ stop: new Date(s.stopStart).toISOString(), from: new Date(s.segmentStart).toISOString(), reason: s.reasonId, label: s.label, comment: s.comment })),
  };
}
type Content = Awaited<ReturnType<typeof shiftContent>>;

/** The signed-content reader of shift logs (server/signed-records.ts hands it to auth and records). */
export async function shiftLogSignedContent(db: Executor, key: string): Promise<SignedContent | undefined> {
  const parsed = parseShiftLogKey(key);
  if (!parsed) return undefined;
  const log = await repo.getShiftLog(db, parsed.machine, parsed.shiftStart);
  if (!log) return undefined;
  // no version: a reopened and unchanged report still matches what was signed
  return { version: null, content: await shiftContent(db, parsed.machine, { start: log.shiftStart, end: log.shiftEnd }) };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function changedParts(signed: Content, now: Content): string[] {
  const parts: string[] = [];
  for (const key of ['notes', 'openIssues', 'reportedCount', 'crew', 'scrap', 'stopReasons'] as const) {
    if (JSON.stringify(signed[key]) !== JSON.stringify(now[key])) parts.push(key);
  }
  return parts;
}

export type ShiftLogCore = Omit<ShiftLogView, 'signatures'>;

export async function viewShiftLog(db: Executor, machine: string, shift: ShiftWindow): Promise<ShiftLogCore> {
  const log = await repo.getShiftLog(db, machine, shift.start);
  const crew = await repo.crewOfShift(db, machine, shift.start);
  const scrap = await repo.scrapOfShift(db, machine, shift.start);
  const acks = await repo.acksOf(db, machine, shift.start);
  let changedSinceSigning: string[] = [];
  if (log?.signedJson && log.state !== 'signed') changedSinceSigning = changedParts(JSON.parse(log.signedJson) as Content, await shiftContent(db, machine, shift));
  return {
    machine,
    shift: { start: iso(shift.start)!, end: iso(shift.end)!, startMs: shift.start, endMs: shift.end, label: shift.label },
    state: log?.state ?? 'draft',
    version: log?.version ?? 0,
    notes: log?.notes ?? null,
    openIssues: log?.openIssues ?? null,
    reportedCount: log?.reportedCount ?? null,
    crew: crew.map((c) => ({ person: c.person, username: c.username, hours: c.hours })),
    headCount: crew.length,
    crewHours: Math.round(crew.reduce((sum, c) => sum + c.hours, 0) * 100) / 100,
    scrap: scrap.map((s) => ({
      id: s.id, lot: s.lot, reason: s.reasonId, label: s.label, category: s.category as LossCategory, quantity: s.quantity, rework: s.rework, comment: s.comment,
      at: iso(s.at)!, by: s.enteredBy,
    })),
    submittedBy: log?.submittedBy ?? null,
    submittedAt: iso(log?.submittedAt ?? null),
    signedBy: log?.signedBy ?? null,
    signedAt: iso(log?.signedAt ?? null),
    reopenedBy: log?.reopenedBy ?? null,
    reopenedAt: iso(log?.reopenedAt ?? null),
    reopenReason: log?.reopenReason ?? null,
    changedSinceSigning,
    acknowledgements: acks.map((a) => ({ username: a.username, at: iso(a.at)!, comment: a.comment })),
  };
}

/** The log row of the shift, created as a draft when there is none yet. */
async function logOf(trx: Tx, machine: string, shift: ShiftWindow, now: number): Promise<repo.ShiftLogRow> {
  const existing = await repo.getShiftLog(trx, machine, shift.start);
  if (existing) return existing;
  await repo.insertShiftLog(trx, machine, shift.start, shift.end, now);
  return (await repo.getShiftLog(trx, machine, shift.start))!;
}

/** Runs `change` on an unsigned log, in one transaction, checking the version the client edited when it gives one. */
async function changeLog<T>(db: Db, machine: string, shift: ShiftWindow, now: number, change: (trx: Tx, log: repo.ShiftLogRow) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await assertShiftOpen(trx, machine, shift);
    return change(trx, await logOf(trx, machine, shift, now));
  });
}

function checkVersion(log: repo.ShiftLogRow, expected: number, machine: string, shift: ShiftWindow) {
  // version 0: the client saw no log yet (it was created as a draft just now)
  if (expected !== 0 && expected !== log.version) {
    throw new Conflict(`the shift report of ${machine} for ${shift.label} was changed by someone else (you edited version ${expected}, it is now at version ${log.version}); reload and try again`);
  }
}

async function bump(trx: Tx, log: repo.ShiftLogRow, change: Parameters<typeof repo.updateShiftLog>[4], now: number, machine: string, shift: ShiftWindow) {
  if (!(await repo.updateShiftLog(trx, machine, shift.start, log.version, change, now))) checkVersion(log, log.version + 1, machine, shift);
}

export interface ShiftRef {
  machine: string;
  shiftStart: number;
}

export async function saveNotes(
  db: Db,
  who: Who,
  zone: string,
  ref: ShiftRef,
  input: { version: number; notes?: string | null; openIssues?: string | null; reportedCount?: number | null },
  now = Date.now(),
) {
  await requireMachine(db, ref.machine);
  const shift = await requireShift(db, zone, ref.shiftStart);
  await changeLog(db, ref.machine, shift, now, async (trx, log) => {
    checkVersion(log, input.version, ref.machine, shift);
    const notes = input.notes === undefined ? log.notes : input.notes?.trim() || null;
    const openIssues = input.openIssues === undefined ? log.openIssues : input.openIssues?.trim() || null;
    const reportedCount = input.reportedCount === undefined ? log.reportedCount : input.reportedCount;
    if (notes === log.notes && openIssues === log.openIssues && reportedCount === log.reportedCount) return;
    await bump(trx, log, { notes, openIssues, reportedCount }, now, ref.machine, shift);
    const before = { notes: log.notes, openIssues: log.openIssues, reportedCount: log.reportedCount };
    await appendAudit(trx, { ...who, entity: SHIFT_LOG_ENTITY, entityKey: shiftLogKey(ref.machine, shift.start), action: 'notes', before, after: { notes, openIssues, reportedCount } }, now);
  });
  return shift;
}

export async function setCrew(db: Db, who: Who, zone: string, ref: ShiftRef, crew: readonly { username?: string | null; person?: string | null; hours: number }[], now = Date.now()) {
  await requireMachine(db, ref.machine);
  const shift = await requireShift(db, zone, ref.shiftStart);
  const rows: repo.CrewRow[] = [];
  for (const [i, member] of crew.entries()) {
    let person = member.person?.trim() || null;
    const username = member.username?.trim() || null;
    if (username) {
      const user = await authRepo.getUserByUsername(db, username);
      if (!user) throw Invalid.field(`body.crew.${i}.username`, `'${username}' is not a user of qmfg: choose from the users list or type the name instead`);
      person = user.display_name || user.username;
    }
    if (rows.some((r) => (username && r.username === username) || (!username && r.person === person))) throw Invalid.field(`body.crew.${i}`, `${person} is listed twice`);
    rows.push({ person: person!, username, hours: member.hours, enteredBy: who.actor, enteredAt: now });
  }
  await changeLog(db, ref.machine, shift, now, async (trx, log) => {
    const before = await repo.crewOfShift(trx, ref.machine, shift.start);
    await repo.replaceCrew(trx, ref.machine, shift.start, rows);
    await bump(trx, log, {}, now, ref.machine, shift);
    const view = (list: readonly repo.CrewRow[]) => list.map((c) => `${c.person} ${c.hours} h`);
    await appendAudit(trx, { ...who, entity: SHIFT_LOG_ENTITY, entityKey: shiftLogKey(ref.machine, shift.start), action: 'crew', before: { crew: view(before) }, after: { crew: view(rows) } }, now);
  });
  return shift;
}

/** Whether `lot` ran, or is planned, on the machine: a work order with a step there, or lots its camera counted. */
async function lotKnownOnMachine(db: Executor, machine: string, lot: string): Promise<boolean> {
  if ((await derivedRepo.getLotCounts(db, machine, [lot])).length > 0) return true;
  const operations = await ordersRepo.lotOperationsOnMachine(db, machine, [lot]);
  return operations.length > 0;
}

export async function addScrap(db: Db, who: Who, zone: string, ref: ShiftRef, input: ScrapInput, now = Date.now(), field = 'body') {
  const machine = await requireMachine(db, ref.machine);
  const shift = await requireShift(db, zone, ref.shiftStart);
  const parsed = scrapInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw Invalid.field([field, ...issue.path].join('.'), issue.message);
  }
  const scrap = parsed.data;
  if (!(await lotKnownOnMachine(db, ref.machine, scrap.lot))) {
    throw Invalid.field(`${field}.lot`, `lot ${scrap.lot} has not run on ${machine.name} and is not planned there`);
  }
  return changeLog(db, ref.machine, shift, now, async (trx, log) => {
    const offered = await ensureStoredTree(trx, who, machine.group, now);
    const leaf = leafOf(offered.tree, scrap.reason);
    if (!leaf) throw Invalid.field(`${field}.reason`, `'${scrap.reason}' is not a reason of ${machine.group}'s tree`);
    if (leaf.retired) throw Invalid.field(`${field}.reason`, `'${pathLabel(leaf.path)}' is retired: choose a current reason`);
    if (!isScrapCategory(leaf.category)) throw Invalid.field(`${field}.reason`, `'${pathLabel(leaf.path)}' is a reason for a stop, not for scrap`);
    const at = Math.min(Math.max(now, shift.start), shift.end - 1);
    const row = {
      machine: ref.machine, shiftStart: shift.start, at, lot: scrap.lot, reasonId: leaf.id, treeVersion: offered.version, category: leaf.category as string, label: pathLabel(leaf.path),
      quantity: scrap.quantity, rework: scrap.rework, comment: scrap.comment?.trim() || null, enteredBy: who.actor, enteredAt: now,
    };
    const id = await repo.insertScrap(trx, row);
    await bump(trx, log, {}, now, ref.machine, shift);
    await appendAudit(trx, { ...who, entity: SHIFT_LOG_ENTITY, entityKey: shiftLogKey(ref.machine, shift.start), action: 'scrap', before: null, after: { id, lot: row.lot, reason: row.label, quantity: row.quantity, rework: row.rework } }, now);
    return id;
  });
}

export async function deleteScrap(db: Db, who: Who, zone: string, ref: ShiftRef, id: number, now = Date.now()) {
  const shift = await requireShift(db, zone, ref.shiftStart);
  await changeLog(db, ref.machine, shift, now, async (trx, log) => {
    const row = await repo.getScrap(trx, id);
    if (!row || row.machine !== ref.machine || row.shiftStart !== shift.start) throw new NotFound('scrap entry', String(id));
    await repo.deleteScrap(trx, id);
    await bump(trx, log, {}, now, ref.machine, shift);
    await appendAudit(trx, { ...who, entity: SHIFT_LOG_ENTITY, entityKey: shiftLogKey(ref.machine, shift.start), action: 'scrap-delete', before: { id, lot: row.lot, reason: row.label, quantity: row.quantity }, after: null }, now);
  });
  return shift;
}

/** Submits the report for the lead's review; counted units are reconciled with the camera (an alert when they disagree). */
export async function submitLog(db: Db, who: Who, zone: string, ref: ShiftRef, version: number, settings: ReconcileSettings, now = Date.now()) {
  const machine = await requireMachine(db, ref.machine);
  const shift = await requireShift(db, zone, ref.shiftStart);
  await changeLog(db, ref.machine, shift, now, async (trx, log) => {
    checkVersion(log, version, ref.machine, shift);
    await bump(trx, log, { state: 'submitted', submittedBy: who.actor, submittedAt: now }, now, ref.machine, shift);
    const reconciliation = await reconcile(trx, settings, { key: machine.key, name: machine.name, group: machine.group }, shift, log.reportedCount, now);
    await appendAudit(trx, { ...who, entity: SHIFT_LOG_ENTITY, entityKey: shiftLogKey(ref.machine, shift.start), action: 'submit', before: { state: log.state }, after: { state: 'submitted', reconciliation } }, now);
  });
  return shift;
}

/** The lead's signature (the route checks the password and carries the intent in `who`). */
export async function signLog(db: Db, who: Who, zone: string, ref: ShiftRef, version: number, now = Date.now()) {
  await requireMachine(db, ref.machine);
  const shift = await requireShift(db, zone, ref.shiftStart);
  await changeLog(db, ref.machine, shift, now, async (trx, log) => {
    checkVersion(log, version, ref.machine, shift);
    if (log.state !== 'submitted' && log.state !== 'reopened') throw new Conflict(`the shift report of ${ref.machine} for ${shift.label} is not submitted yet: the operator submits it first`);
    const content = await shiftContent(trx, ref.machine, shift);
    await bump(trx, log, { state: 'signed', signedBy: who.actor, signedAt: now, signedJson: JSON.stringify(content) }, now, ref.machine, shift);
    await appendAudit(trx, { ...who, entity: SHIFT_LOG_ENTITY, entityKey: shiftLogKey(ref.machine, shift.start), action: 'sign', before: { state: log.state }, after: { state: 'signed' } }, now);
  });
  return shift;
}

export async function reopenLog(db: Db, who: Who, zone: string, ref: ShiftRef, version: number, now = Date.now()) {
  await requireMachine(db, ref.machine);
  const shift = await requireShift(db, zone, ref.shiftStart);
  const reason = requireReason(who, 'reopening a signed shift report');
  await db.transaction().execute(async (trx) => {
    const log = await repo.getShiftLog(trx, ref.machine, shift.start);
    if (!log || log.state !== 'signed') throw new Conflict(`the shift report of ${ref.machine} for ${shift.label} is not signed: there is nothing to reopen`);
    checkVersion(log, version, ref.machine, shift);
    await bump(trx, log, { state: 'reopened', reopenedBy: who.actor, reopenedAt: now, reopenReason: reason }, now, ref.machine, shift);
    await appendAudit(trx, { ...who, reason, entity: SHIFT_LOG_ENTITY, entityKey: shiftLogKey(ref.machine, shift.start), action: 'reopen', before: { state: 'signed', signedBy: log.signedBy }, after: { state: 'reopened' } }, now);
  });
  return shift;
}

/** The incoming shift acknowledges it read the handover of the shift before (a preference of the reader: audited). */
export async function acknowledgeHandover(db: Db, who: Who, zone: string, ref: ShiftRef, comment: string | null, now = Date.now()) {
  await requireMachine(db, ref.machine);
  const shift = await requireShift(db, zone, ref.shiftStart);
  await db.transaction().execute(async (trx) => {
    await repo.putAck(trx, ref.machine, shift.start, { username: who.actor, at: now, comment: comment?.trim() || null });
    await appendAudit(trx, { ...who, entity: SHIFT_LOG_ENTITY, entityKey: shiftLogKey(ref.machine, shift.start), action: 'handover-ack', before: null, after: { by: who.actor, comment } }, now);
  });
  return shift;
}

