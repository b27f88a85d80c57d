// The only place with SQL for what operators report (issue 13): reason trees per process group,
// the reasons of stops (segments), scrap, crew and shift logs with their handover acknowledgements.
import type { Executor } from '../../db/database.js';
import { dialectOf } from '../../db/transaction.js';
import type { Selectable } from 'kysely';
import type { ShiftLogState, ShiftLogTable } from '../../db/tables/operator-reports.js';

// ---- reason trees -------------------------------------------------------------------------------

export interface StoredTree {
  group: string;
  version: number;
  json: string;
  createdAt: number;
  createdBy: string;
}

const toTree = (r: { process_group: string; version: number; json: string; created_at: number; created_by: string }): StoredTree => ({
  group: r.process_group,
  version: Number(r.version),
  json: r.json,
  createdAt: Number(r.created_at),
  createdBy: r.created_by,
});

export async function latestTree(db: Executor, group: string): Promise<StoredTree | undefined> {
  const row = await db.selectFrom('reason_trees').selectAll().where('process_group', '=', group).orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row && toTree(row);
}

export async function treeVersion(db: Executor, group: string, version: number): Promise<StoredTree | undefined> {
  const row = await db.selectFrom('reason_trees').selectAll().where('process_group', '=', group).where('version', '=', version).executeTakeFirst();
  return row && toTree(row);
}

export async function treeVersions(db: Executor, group: string): Promise<StoredTree[]> {
  const rows = await db.selectFrom('reason_trees').selectAll().where('process_group', '=', group).orderBy('version', 'desc').execute();
  return rows.map(toTree);
}

/** Inserts a version; false when that version exists already (somebody saved first). */
export async function insertTree(db: Executor, tree: StoredTree): Promise<boolean> {
  const exists = await treeVersion(db, tree.group, tree.version);
  if (exists) return false;
  await db.insertInto('reason_trees').values({ process_group: tree.group, version: tree.version, json: tree.json, created_at: tree.createdAt, created_by: tree.createdBy }).execute();
  return true;
}

// ---- reasons of stops ---------------------------------------------------------------------------

export interface SegmentRow {
  machine: string;
  stopStart: number;
  segmentStart: number;
  stopEnd: number;
  reasonId: string | null;
  treeVersion: number | null;
  category: string | null;
  label: string | null;
  comment: string | null;
  enteredBy: string;
  enteredAt: number;
}

type SegmentDbRow = {
  machine_key: string; stop_start: number; segment_start: number; stop_end: number; reason_id: string | null; tree_version: number | null;
  category: string | null; label: string | null; comment: string | null; entered_by: string; entered_at: number;
};
const toSegment = (r: SegmentDbRow): SegmentRow => ({
  machine: r.machine_key,
  stopStart: Number(r.stop_start),
  segmentStart: Number(r.segment_start),
  stopEnd: Number(r.stop_end),
  reasonId: r.reason_id,
  treeVersion: r.tree_version === null ? null : Number(r.tree_version),
  category: r.category,
  label: r.label,
  comment: r.comment,
  enteredBy: r.entered_by,
  enteredAt: Number(r.entered_at),
});

/**
 * Where segment i of `rows` ends: at the next segment of the same stop, else at the stop's end.
 * `rows` are in the repository's order (machine, stop, segment start).
 */
export function segmentEnd(rows: readonly SegmentRow[], i: number): number {
  const row = rows[i];
  const next = rows[i + 1];
  return next && next.machine === row.machine && next.stopStart === row.stopStart ? next.segmentStart : row.stopEnd;
}

/** Segments of the stops starting at `starts`, by stop start, each list by segment start. */
export async function segmentsOfStops(db: Executor, machine: string, starts: readonly number[]): Promise<Map<number, SegmentRow[]>> {
  const found = new Map<number, SegmentRow[]>();
  for (let i = 0; i < starts.length; i += 500) {
    const rows = await db
      .selectFrom('stop_reason_segments')
      .selectAll()
      .where('machine_key', '=', machine)
      .where('stop_start', 'in', starts.slice(i, i + 500))
      .orderBy('segment_start')
      .execute();
    for (const row of rows) {
      const segment = toSegment(row);
      const list = found.get(segment.stopStart) ?? [];
      list.push(segment);
      found.set(segment.stopStart, list);
    }
  }
  return found;
}

/** Segments of stops overlapping [from, to) of some machines (all when `machines` is empty), by machine and segment start. */
export async function segmentsOverlapping(db: Executor, machines: readonly string[], from: number, to: number): Promise<SegmentRow[]> {
  let query = db.selectFrom('stop_reason_segments').selectAll().where('stop_end', '>', from).where('stop_start', '<', to);
  if (machines.length > 0) query = query.where('machine_key', 'in', machines);
  const rows = await query.orderBy('machine_key').orderBy('stop_start').orderBy('segment_start').execute();
  return rows.map(toSegment);
}

export async function replaceSegments(db: Executor, machine: string, stopStart: number, segments: readonly SegmentRow[]): Promise<void> {
  await db.deleteFrom('stop_reason_segments').where('machine_key', '=', machine).where('stop_start', '=', stopStart).execute();
  if (segments.length === 0) return;
  await db
    .insertInto('stop_reason_segments')
    .values(
      segments.map((s) => ({
        machine_key: machine, stop_start: stopStart, segment_start: s.segmentStart, stop_end: s.stopEnd, reason_id: s.reasonId, tree_version: s.treeVersion,
        category: s.category, label: s.label, comment: s.comment, entered_by: s.enteredBy, entered_at: s.enteredAt,
      })),
    )
    .execute();
}

// ---- scrap --------------------------------------------------------------------------------------

export interface ScrapRow {
  id: number;
  machine: string;
  shiftStart: number;
  at: number;
  lot: string;
  reasonId: string;
  treeVersion: number;
  category: string;
  label: string;
  quantity: number;
  rework: number;
  comment: string | null;
  enteredBy: string;
  enteredAt: number;
}

type ScrapDbRow = {
  id: number; machine_key: string; shift_start: number; at: number; lot: string; reason_id: string; tree_version: number; category: string; label: string;
  quantity: number; rework: number; comment: string | null; entered_by: string; entered_at: number;
};
const toScrap = (r: ScrapDbRow): ScrapRow => ({
  id: Number(r.id), machine: r.machine_key, shiftStart: Number(r.shift_start), at: Number(r.at), lot: r.lot, reasonId: r.reason_id, treeVersion: Number(r.tree_version),
  category: r.category, label: r.label, quantity: Number(r.quantity), rework: Number(r.rework), comment: r.comment, enteredBy: r.entered_by, enteredAt: Number(r.entered_at),
});

export async function scrapOfShift(db: Executor, machine: string, shiftStart: number): Promise<ScrapRow[]> {
  const rows = await db.selectFrom('scrap_entries').selectAll().where('machine_key', '=', machine).where('shift_start', '=', shiftStart).orderBy('id').execute();
  return rows.map(toScrap);
}

/** Scrap counted in [from, to) of some machines (all when empty). */
export async function scrapBetween(db: Executor, machines: readonly string[], from: number, to: number): Promise<ScrapRow[]> {
  let query = db.selectFrom('scrap_entries').selectAll().where('at', '>=', from).where('at', '<', to);
  if (machines.length > 0) query = query.where('machine_key', 'in', machines);
  return (await query.orderBy('machine_key').orderBy('at').execute()).map(toScrap);
}

export async function insertScrap(db: Executor, row: Omit<ScrapRow, 'id'>): Promise<number> {
  const values = {
    machine_key: row.machine, shift_start: row.shiftStart, at: row.at, lot: row.lot, reason_id: row.reasonId, tree_version: row.treeVersion, category: row.category,
    label: row.label, quantity: row.quantity, rework: row.rework, comment: row.comment, entered_by: row.enteredBy, entered_at: row.enteredAt,
  };
  if (dialectOf(db) === 'postgres') return Number((await db.insertInto('scrap_entries').values(values).returning('id').executeTakeFirstOrThrow()).id);
  return Number((await db.insertInto('scrap_entries').values(values).executeTakeFirstOrThrow()).insertId);
}

export async function getScrap(db: Executor, id: number): Promise<ScrapRow | undefined> {
  const row = await db.selectFrom('scrap_entries').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toScrap(row);
}

export async function deleteScrap(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('scrap_entries').where('id', '=', id).execute();
}

// ---- crew ---------------------------------------------------------------------------------------

export interface CrewRow {
  person: string;
  username: string | null;
  hours: number;
  enteredBy: string;
  enteredAt: number;
}

export async function crewOfShift(db: Executor, machine: string, shiftStart: number): Promise<CrewRow[]> {
  const rows = await db.selectFrom('crew_entries').selectAll().where('machine_key', '=', machine).where('shift_start', '=', shiftStart).orderBy('id').execute();
  return rows.map((r) => ({ person: r.person, username: r.username, hours: Number(r.hours), enteredBy: r.entered_by, enteredAt: Number(r.entered_at) }));
}

/** Crew of the shifts starting in [from, to) of some machines (all when empty), with machine and shift. */
export async function crewBetween(db: Executor, machines: readonly string[], from: number, to: number): Promise<(CrewRow & { machine: string; shiftStart: number })[]> {
  let query = db.selectFrom('crew_entries').selectAll().where('shift_start', '>=', from).where('shift_start', '<', to);
  if (machines.length > 0) query = query.where('machine_key', 'in', machines);
  const rows = await query.orderBy('machine_key').orderBy('shift_start').orderBy('id').execute();
  return rows.map((r) => ({ machine: r.machine_key, shiftStart: Number(r.shift_start), person: r.person, username: r.username, hours: Number(r.hours), enteredBy: r.entered_by, enteredAt: Number(r.entered_at) }));
}

export async function replaceCrew(db: Executor, machine: string, shiftStart: number, crew: readonly CrewRow[]): Promise<void> {
  await db.deleteFrom('crew_entries').where('machine_key', '=', machine).where('shift_start', '=', shiftStart).execute();
  if (crew.length === 0) return;
  await db
    .insertInto('crew_entries')
    .values(crew.map((c) => ({ machine_key: machine, shift_start: shiftStart, person: c.person, username: c.username, hours: c.hours, entered_by: c.enteredBy, entered_at: c.enteredAt })))
    .execute();
}

// ---- shift logs ---------------------------------------------------------------------------------

export interface ShiftLogRow {
  id: number;
  machine: string;
  shiftStart: number;
  shiftEnd: number;
  state: ShiftLogState;
  notes: string | null;
  openIssues: string | null;
  reportedCount: number | null;
  version: number;
  submittedBy: string | null;
  submittedAt: number | null;
  signedBy: string | null;
  signedAt: number | null;
  signedJson: string | null;
  reopenedBy: string | null;
  reopenedAt: number | null;
  reopenReason: string | null;
  updatedAt: number;
}

const nullableNumber = (v: number | null) => (v === null ? null : Number(v));

type ShiftLogDbRow = Selectable<ShiftLogTable>;
const toShiftLog = (r: ShiftLogDbRow): ShiftLogRow => ({
  id: Number(r.id), machine: r.machine_key, shiftStart: Number(r.shift_start), shiftEnd: Number(r.shift_end), state: r.state, notes: r.notes, openIssues: r.open_issues, reportedCount: nullableNumber(r.reported_count),
  version: Number(r.version), submittedBy: r.submitted_by, submittedAt: nullableNumber(r.submitted_at), signedBy: r.signed_by, signedAt: nullableNumber(r.signed_at),
  signedJson: r.signed_json, reopenedBy: r.reopened_by, reopenedAt: nullableNumber(r.reopened_at), reopenReason: r.reopen_reason, updatedAt: Number(r.updated_at),
});

export async function getShiftLog(db: Executor, machine: string, shiftStart: number): Promise<ShiftLogRow | undefined> {
  const r = await db.selectFrom('shift_logs').selectAll().where('machine_key', '=', machine).where('shift_start', '=', shiftStart).executeTakeFirst();
  return r && toShiftLog(r);
}

export async function insertShiftLog(db: Executor, machine: string, shiftStart: number, shiftEnd: number, now: number): Promise<void> {
  await db
    .insertInto('shift_logs')
    .values({ machine_key: machine, shift_start: shiftStart, shift_end: shiftEnd, state: 'draft', notes: null, open_issues: null, reported_count: null, version: 1, updated_at: now })
    .execute();
}

type ShiftLogChange = Partial<Omit<ShiftLogRow, 'id' | 'machine' | 'shiftStart' | 'shiftEnd' | 'version' | 'updatedAt'>>;

/** Writes the next version when the log is still at `expectedVersion`; false = somebody else changed it. */
export async function updateShiftLog(db: Executor, machine: string, shiftStart: number, expectedVersion: number, change: ShiftLogChange, now: number): Promise<boolean> {
  const set: Record<string, unknown> = { version: expectedVersion + 1, updated_at: now };
  const columns: Record<keyof ShiftLogChange, string> = {
    state: 'state', notes: 'notes', openIssues: 'open_issues', reportedCount: 'reported_count', submittedBy: 'submitted_by', submittedAt: 'submitted_at', signedBy: 'signed_by', signedAt: 'signed_at',
    signedJson: 'signed_json', reopenedBy: 'reopened_by', reopenedAt: 'reopened_at', reopenReason: 'reopen_reason',
  };
  for (const [field, value] of Object.entries(change)) if (value !== undefined) set[columns[field as keyof ShiftLogChange]] = value;
  const result = await db
    .updateTable('shift_logs')
    .set(set)
    .where('machine_key', '=', machine)
    .where('shift_start', '=', shiftStart)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The shift logs of some machines starting in [from, to), by machine and shift. */
export async function shiftLogsBetween(db: Executor, machines: readonly string[], from: number, to: number): Promise<ShiftLogRow[]> {
  let query = db.selectFrom('shift_logs').selectAll().where('shift_start', '>=', from).where('shift_start', '<', to);
  if (machines.length > 0) query = query.where('machine_key', 'in', machines);
  return (await query.orderBy('machine_key').orderBy('shift_start').execute()).map(toShiftLog);
}

// ---- handover -----------------------------------------------------------------------------------

export interface AckRow {
  username: string;
  at: number;
  comment: string | null;
}

export async function acksOf(db: Executor, machine: string, shiftStart: number): Promise<AckRow[]> {
  const rows = await db.selectFrom('shift_handover_acks').selectAll().where('machine_key', '=', machine).where('shift_start', '=', shiftStart).orderBy('at').execute();
  return rows.map((r) => ({ username: r.username, at: Number(r.at), comment: r.comment }));
}

export async function putAck(db: Executor, machine: string, shiftStart: number, ack: AckRow): Promise<void> {
  await db.deleteFrom('shift_handover_acks').where('machine_key', '=', machine).where('shift_start', '=', shiftStart).where('username', '=', ack.username).execute();
  await db.insertInto('shift_handover_acks').values({ machine_key: machine, shift_start: shiftStart, username: ack.username, at: ack.at, comment: ack.comment }).execute();
}
