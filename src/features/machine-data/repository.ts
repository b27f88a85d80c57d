// The only place with SQL for raw machine data: cycles, the per-machine ingest state (batch lock and
// carry), the MQTT message ledger and the state a machine reports. The derived tables are in
// derived-repository.ts, the ingest ledger in ledger-repository.ts. Stop reasons belong to oee,
// operation progress to orders.
import { dialectOf } from '../../db/transaction.js';
import type { Executor } from '../../db/database.js';
import { bulkInsert, bulkInsertWith } from '../../db/bulk.js';

const num = (value: unknown): number => Number(value);
const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

// ---- raw cycles --------------------------------------------------------------------------------

export const CYCLE_COLUMNS = ['machine_key', 'at', 'item', 'lot', 'serial', 'part', 'rework', 'file_id', 'line'] as const;

/** Raw cycles of one batch, with the rework flags derive decided. */
export async function insertCycles(db: Executor, machine: string, fileId: number, cycles: readonly { at: number; item: string; lot: string; serial: string; part: boolean; line: number }[], reworks: Uint8Array): Promise<void> {
  await bulkInsertWith(db, 'cycles', CYCLE_COLUMNS, cycles.length, (index, out, at) => {
    const c = cycles[index];
    out[at] = machine;
    out[at + 1] = c.at;
    out[at + 2] = c.item;
    out[at + 3] = c.lot;
    out[at + 4] = c.serial;
    out[at + 5] = c.part ? 1 : 0;
    out[at + 6] = reworks[index];
    out[at + 7] = fileId;
    out[at + 8] = c.line;
  });
}

/**
 * Serials of the parts of one lot on a machine (to rebuild the rework registry), searched within the
 * lot's time span; with `beforeFileId` only those that arrived in earlier files (an undo replays the rest).
 */
export async function lotPartSerials(db: Executor, machine: string, lot: string, beforeFileId?: number): Promise<string[]> {
  const span = await db.selectFrom('lot_counts').select(['first_at', 'last_at']).where('machine_key', '=', machine).where('lot', '=', lot).executeTakeFirst();
  if (!span) return [];
  const rows = await db
    .selectFrom('cycles')
    .select(['serial'])
    .where('machine_key', '=', machine)
    .where('at', '>=', num(span.first_at))
    .where('at', '<=', num(span.last_at))
    .where('lot', '=', lot)
    .where('part', '=', 1)
    .$if(beforeFileId !== undefined, (query) => query.where('file_id', '<', beforeFileId as number))
    .execute();
  return rows.map((r) => r.serial);
}

/**
 * Cycle identity (instant + serial) of the machine's stored cycles with at in [from, to], mapped to
 * the file they came from: a cycle arriving again (another copy of a file, MQTT after the file) is
 * recognised by it.
 */
export async function storedCycleKeys(db: Executor, machine: string, from: number, to: number): Promise<Map<string, number>> {
  const rows = await db.selectFrom('cycles').select(['at', 'serial', 'file_id']).where('machine_key', '=', machine).where('at', '>=', from).where('at', '<=', to).execute();
  return new Map(rows.map((r) => [cycleKey(num(r.at), r.serial), num(r.file_id)]));
}

export const cycleKey = (at: number, serial: string): string => `${at}|${serial}`;

export interface StoredCycle {
  at: number;
  item: string;
  lot: string;
  serial: string;
  part: boolean;
  rework: boolean;
  fileId: number;
  line: number;
}

/** Raw cycles of a machine in arrival order (file by file, line by line). */
export async function cyclesInArrivalOrder(db: Executor, machine: string): Promise<StoredCycle[]> {
  const rows = await db
    .selectFrom('cycles')
    .select(['at', 'item', 'lot', 'serial', 'part', 'rework', 'file_id', 'line'])
    .where('machine_key', '=', machine)
    .orderBy('file_id')
    .orderBy('line')
    .execute();
  return rows.map((r) => ({ at: num(r.at), item: r.item, lot: r.lot, serial: r.serial, part: num(r.part) === 1, rework: num(r.rework) === 1, fileId: num(r.file_id), line: num(r.line) }));
}

/** Raw cycles of a machine with at in [from, to), by instant: instant, part and rework only (the fine rate chart and undo read them). */
export async function cyclesBetween(db: Executor, machine: string, from: number, to: number): Promise<{ at: number; part: boolean; rework: boolean }[]> {
  const rows = await db.selectFrom('cycles').select(['at', 'part', 'rework']).where('machine_key', '=', machine).where('at', '>=', from).where('at', '<', to).orderBy('at').execute();
  return rows.map((r) => ({ at: num(r.at), part: num(r.part) === 1, rework: num(r.rework) === 1 }));
}

export async function countCycles(db: Executor, machine?: string): Promise<number> {
  let query = db.selectFrom('cycles').select(db.fn.countAll<number>().as('n'));
  if (machine !== undefined) query = query.where('machine_key', '=', machine);
  return num((await query.executeTakeFirst())?.n ?? 0);
}

/** Parts of a lot on a machine with at in [from, to]. */
export async function countLotParts(db: Executor, machine: string, lot: string, from: number, to: number): Promise<number> {
  const row = await db
    .selectFrom('cycles')
    .select(db.fn.countAll<number>().as('n'))
    .where('machine_key', '=', machine)
    .where('at', '>=', from)
    .where('at', '<=', to)
    .where('lot', '=', lot)
    .where('part', '=', 1)
    .executeTakeFirst();
  return num(row?.n ?? 0);
}

/** Deletes about `limit` raw cycles of a machine older than `before` (oldest first); returns how many went. */
export async function deleteCyclesBefore(db: Executor, machine: string, before: number, limit: number): Promise<number> {
  // In slices by instant, so one statement never holds a year of rows: the slice ends at the
  // instant of the (limit+1)-th oldest row.
  const edge = await db
    .selectFrom('cycles')
    .select(['at'])
    .where('machine_key', '=', machine)
    .where('at', '<', before)
    .orderBy('at')
    .offset(limit)
    .limit(1)
    .executeTakeFirst();
  const deleted = (result: { numDeletedRows: bigint }[]) => result.reduce((sum, r) => sum + Number(r.numDeletedRows), 0);
  if (!edge) return deleted(await db.deleteFrom('cycles').where('machine_key', '=', machine).where('at', '<', before).execute());
  const upTo = num(edge.at);
  const count = deleted(await db.deleteFrom('cycles').where('machine_key', '=', machine).where('at', '<', upTo).execute());
  // more than `limit` rows at one instant: take that instant whole rather than stall
  return count > 0 ? count : deleted(await db.deleteFrom('cycles').where('machine_key', '=', machine).where('at', '<=', upTo).execute());
}

export async function machinesWithCycles(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('machine_state').select(['machine_key']).execute();
  return rows.map((r) => r.machine_key);
}

export async function machinePartsInRange(db: Executor, machine: string, from: number, to: number): Promise<number> {
  const row = await db
    .selectFrom('cycles')
    .select(db.fn.countAll<number>().as('n'))
    .where('machine_key', '=', machine)
    .where('at', '>=', from)
    .where('at', '<', to)
    .where('part', '=', 1)
    .executeTakeFirst();
  return num(row?.n ?? 0);
}

// ---- machine state -------------------------------------------------------------------------------

export interface MachineState {
  machine: string;
  firstAt: number | null;
  lastAt: number | null;
  maxGapMs: number;
  seq: number;
}

/**
 * Takes the machine's batch lock (a row lock in PostgreSQL/MySQL; SQLite has one writer anyway)
 * by bumping seq, creating the row on the first batch, and returns the state after the bump.
 */
export async function lockMachineState(db: Executor, machine: string, now: number): Promise<MachineState> {
  const bumped = await db
    .updateTable('machine_state')
    .set((eb) => ({ seq: eb('seq', '+', 1) }))
    .where('machine_key', '=', machine)
    .executeTakeFirst();
  if (Number(bumped.numUpdatedRows) === 0) {
    await db.insertInto('machine_state').values({ machine_key: machine, first_at: null, last_at: null, max_gap_ms: 0, seq: 1, updated_at: now }).execute();
  }
  const state = await getMachineState(db, machine);
  if (!state) throw new Error(`machine_state row of ${machine} vanished inside its own transaction`);
  return state;
}

/**
 * Waits for (and holds until the transaction ends) the machine's batch lock without touching its
 * row, for a reader that must not interleave with a batch of the machine (the alert timer). SQLite
 * has one writer anyway; a machine without a row yet has nothing to wait for.
 */
export async function holdMachineState(db: Executor, machine: string): Promise<void> {
  if (dialectOf(db) === 'sqlite') return;
  await db.selectFrom('machine_state').select('machine_key').where('machine_key', '=', machine).forUpdate().executeTakeFirst();
}

export async function getMachineState(db: Executor, machine: string): Promise<MachineState | undefined> {
  const row = await db.selectFrom('machine_state').selectAll().where('machine_key', '=', machine).executeTakeFirst();
  return row && { machine: row.machine_key, firstAt: numOrNull(row.first_at), lastAt: numOrNull(row.last_at), maxGapMs: num(row.max_gap_ms), seq: num(row.seq) };
}

export async function saveMachineCarry(db: Executor, machine: string, carry: { firstAt: number | null; lastAt: number | null; maxGapMs: number }, now: number): Promise<void> {
  await db.updateTable('machine_state').set({ first_at: carry.firstAt, last_at: carry.lastAt, max_gap_ms: carry.maxGapMs, updated_at: now }).where('machine_key', '=', machine).execute();
}

// ---- MQTT message ledger --------------------------------------------------------------------------------

/** Which of these message keys are already stored for the machine. */
export async function knownMessageKeys(db: Executor, machine: string, keys: readonly string[]): Promise<Set<string>> {
  const known = new Set<string>();
  for (let i = 0; i < keys.length; i += 500) {
    const rows = await db
      .selectFrom('mqtt_messages')
      .select(['message_key'])
      .where('machine_key', '=', machine)
      .where('message_key', 'in', keys.slice(i, i + 500))
      .execute();
    for (const r of rows) known.add(r.message_key);
  }
  return known;
}

export async function insertMessageKeys(db: Executor, machine: string, keys: readonly string[], now: number): Promise<void> {
  await bulkInsert(db, 'mqtt_messages', ['machine_key', 'message_key', 'received_at'], keys.map((k) => [machine, k, now]));
}

export async function deleteMessageKeysBefore(db: Executor, before: number): Promise<number> {
  const result = await db.deleteFrom('mqtt_messages').where('received_at', '<', before).execute();
  return result.reduce((sum, r) => sum + Number(r.numDeletedRows), 0);
}

// ---- state reported by the machine's source ---------------------------------------------------------

export interface ReportedState {
  machine: string;
  state: 'running' | 'stopped';
  at: number;
  receivedAt: number;
  source: string;
  reason: string | null;
}

export async function putReportedState(db: Executor, report: ReportedState): Promise<void> {
  const values = { state: report.state, at: report.at, received_at: report.receivedAt, source: report.source, reason: report.reason };
  const updated = await db.updateTable('machine_reported_state').set(values).where('machine_key', '=', report.machine).executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) await db.insertInto('machine_reported_state').values({ machine_key: report.machine, ...values }).execute();
}

export async function reportedStates(db: Executor, machines: readonly string[]): Promise<Map<string, ReportedState>> {
  if (machines.length === 0) return new Map();
  const rows = await db.selectFrom('machine_reported_state').selectAll().where('machine_key', 'in', [...machines]).execute();
  return new Map(
    rows.map((r) => [
      r.machine_key,
      { machine: r.machine_key, state: r.state === 'stopped' ? 'stopped' : 'running', at: num(r.at), receivedAt: num(r.received_at), source: r.source, reason: r.reason },
    ]),
  );
}

// ---- taking a file back out (undo.ts) ---------------------------------------------------------------

/** Cycles of one ledger row in line order, found through the (machine, at) index. */
export async function fileCycles(db: Executor, machine: string, file: { id: number; firstAt: number; lastAt: number }): Promise<StoredCycle[]> {
  const rows = await db
    .selectFrom('cycles')
    .select(['at', 'item', 'lot', 'serial', 'part', 'rework', 'file_id', 'line'])
    .where('machine_key', '=', machine)
    .where('at', '>=', file.firstAt)
    .where('at', '<=', file.lastAt)
    .where('file_id', '=', file.id)
    .orderBy('line')
    .execute();
  return rows.map((r) => ({ at: num(r.at), item: r.item, lot: r.lot, serial: r.serial, part: num(r.part) === 1, rework: num(r.rework) === 1, fileId: num(r.file_id), line: num(r.line) }));
}

/** Instant of the last line of a file still stored (null when retention removed it all). */
export async function lastCycleOfFile(db: Executor, machine: string, file: { id: number; firstAt: number; lastAt: number }): Promise<number | null> {
  const row = await db
    .selectFrom('cycles')
    .select(['at'])
    .where('machine_key', '=', machine)
    .where('at', '>=', file.firstAt)
    .where('at', '<=', file.lastAt)
    .where('file_id', '=', file.id)
    .orderBy('line', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? num(row.at) : null;
}

export async function setReworkFlag(db: Executor, machine: string, cycle: { at: number; fileId: number; line: number }, rework: boolean): Promise<void> {
  await db
    .updateTable('cycles')
    .set({ rework: rework ? 1 : 0 })
    .where('machine_key', '=', machine)
    .where('at', '=', cycle.at)
    .where('file_id', '=', cycle.fileId)
    .where('line', '=', cycle.line)
    .execute();
}

export async function deleteFileCycles(db: Executor, machine: string, file: { id: number; firstAt: number; lastAt: number }): Promise<number> {
  const result = await db
    .deleteFrom('cycles')
    .where('machine_key', '=', machine)
    .where('at', '>=', file.firstAt)
    .where('at', '<=', file.lastAt)
    .where('file_id', '=', file.id)
    .execute();
  return result.reduce((sum, r) => sum + Number(r.numDeletedRows), 0);
}
