// The only place with SQL for machine data: raw cycles, the ingest ledger and errors, the derived
// tables (gaps, packed gap days, minute/hour/lot counts), machine state, MQTT message ledger, stop
// reasons, and the operations an ingest updates.
import { CompiledQuery, MysqlAdapter, PostgresAdapter, sql, type RawBuilder, type Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { IngestFileTable, PeriodCountsColumns } from '../../db/tables/machine-data.js';
import { packGaps, unpackGaps, type LotTotals, type PeriodCounts } from '../../core/oee/derive.js';
import { unitCounts } from '../../core/oee/units.js';
import type { OperationState } from '../../core/schedule/index.js';

type DialectName = 'sqlite' | 'postgres' | 'mysql';

export function dialectOf(db: Executor): DialectName {
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof PostgresAdapter) return 'postgres';
  if (adapter instanceof MysqlAdapter) return 'mysql';
  return 'sqlite';
}

const num = (value: unknown): number => Number(value);
const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

// ---- bulk insert ---------------------------------------------------------------------------

/** Parameters per statement stay well under SQLite's 32 766 (and PostgreSQL's 65 535) limit. */
const MAX_PARAMETERS = 30_000;
/**
 * Rows per INSERT. SQLite (in process, a statement is prepared per query): ~250 measured best for
 * 85k cycles, beating single rows and huge statements. PostgreSQL/MySQL pay a round trip per
 * statement: bigger ones win.
 */
const ROWS_PER_STATEMENT = { sqlite: 250, postgres: 500, mysql: 500 } as const;
const insertSqlCache = new Map<string, string>();

type BulkTable = 'cycles' | 'gaps' | 'ingest_errors' | 'mqtt_messages';

/**
 * Multi-row INSERT with the statement text compiled once by Kysely per (dialect, table, columns,
 * row count) and reused: building Kysely's query tree for 85 000 rows costs more than inserting them.
 * `rows` are positional, in `columns` order.
 */
export async function bulkInsert(db: Executor, table: BulkTable, columns: readonly string[], rows: readonly unknown[][]): Promise<void> {
  await bulkInsertWith(db, table, columns, rows.length, (index, out, at) => {
    const row = rows[index];
    for (let c = 0; c < columns.length; c++) out[at + c] = row[c];
  });
}

/**
 * The same, with the values of row `index` written by `writeRow` straight into the statement's
 * parameter array at `at` (no array per row: 85 000 rows make a lot of garbage otherwise).
 */
export async function bulkInsertWith(
  db: Executor,
  table: BulkTable,
  columns: readonly string[],
  rowCount: number,
  writeRow: (index: number, out: unknown[], at: number) => void,
): Promise<void> {
  if (rowCount === 0) return;
  const dialect = dialectOf(db);
  const perStatement = Math.max(1, Math.min(ROWS_PER_STATEMENT[dialect], Math.floor(MAX_PARAMETERS / columns.length)));
  for (let startRow = 0; startRow < rowCount; startRow += perStatement) {
    const count = Math.min(perStatement, rowCount - startRow);
    const cacheKey = `${dialect}|${table}|${columns.join(',')}|${count}`;
    let text = insertSqlCache.get(cacheKey);
    if (text === undefined) {
      const placeholderRow = sql`(${sql.join(columns.map(() => 0))})`;
      text = sql`insert into ${sql.table(table)} (${sql.join(columns.map((column) => sql.ref(column)))}) values ${sql.join(Array.from({ length: count }, () => placeholderRow))}`.compile(db).sql;
      insertSqlCache.set(cacheKey, text);
    }
    const parameters: unknown[] = new Array(count * columns.length);
    for (let r = 0; r < count; r++) writeRow(startRow + r, parameters, r * columns.length);
    await db.executeQuery(CompiledQuery.raw(text, parameters));
  }
}

// ---- upserts (the one place the dialects really differ) -------------------------------------

type Merge = 'add' | 'min' | 'max' | 'replace';

/**
 * INSERT … ON CONFLICT DO UPDATE (SQLite, PostgreSQL) / ON DUPLICATE KEY UPDATE (MySQL), merging
 * each column with `merges`: counts add, first instants take the minimum, last ones the maximum
 * (NULL = no value: the other side wins). Rows are positional in `columns` order.
 */
async function upsertRows(
  db: Executor,
  table: 'minute_counts' | 'hour_counts' | 'lot_counts',
  columns: readonly string[],
  keyColumns: readonly string[],
  rows: readonly unknown[][],
  merges: Record<string, Merge>,
): Promise<void> {
  if (rows.length === 0) return;
  const mysql = dialectOf(db) === 'mysql';
  const incoming = (column: string) => (mysql ? sql`values(${sql.ref(column)})` : sql.ref(`excluded.${column}`));
  const existing = (column: string) => (mysql ? sql.ref(column) : sql.ref(`${table}.${column}`));
  const assignments = Object.entries(merges).map(([column, merge]) => {
    const now = existing(column);
    const add = incoming(column);
    const value =
      merge === 'add' ? sql`${now} + ${add}`
      : merge === 'replace' ? add
      : merge === 'min' ? sql`case when ${add} is null then ${now} when ${now} is null or ${add} < ${now} then ${add} else ${now} end`
      : sql`case when ${add} is null then ${now} when ${now} is null or ${add} > ${now} then ${add} else ${now} end`;
    return sql`${sql.ref(column)} = ${value}`;
  });
  const onConflict = mysql
    ? sql`on duplicate key update ${sql.join(assignments)}`
    : sql`on conflict (${sql.join(keyColumns.map((c) => sql.ref(c)))}) do update set ${sql.join(assignments)}`;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length / 4));
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const values = sql.join(chunk.map((row) => sql`(${sql.join(row)})`));
    await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) values ${values} ${onConflict}`.execute(db);
  }
}

const COUNT_MERGES: Record<string, Merge> = {
  cycles: 'add', parts: 'add', empty: 'add', reworks: 'add', first_part_at: 'min', last_part_at: 'max', first_at: 'min', last_at: 'max', gap_ms: 'add', lead_in_ms: 'add',
};

const COUNT_COLUMNS = ['cycles', 'parts', 'empty', 'reworks', 'first_part_at', 'last_part_at', 'first_at', 'last_at', 'gap_ms', 'lead_in_ms'] as const;

function countValues(counts: PeriodCounts): unknown[] {
  return [counts.cycles, counts.parts, counts.empty, counts.reworks, counts.firstPartAt, counts.lastPartAt, counts.firstAt, counts.lastAt, counts.gapMs, counts.leadInMs];
}

export async function addMinuteCounts(db: Executor, machine: string, minutes: Map<number, PeriodCounts>): Promise<void> {
  const rows = [...minutes].map(([minute, counts]) => [machine, minute, ...countValues(counts)]);
  await upsertRows(db, 'minute_counts', ['machine_key', 'minute', ...COUNT_COLUMNS], ['machine_key', 'minute'], rows, COUNT_MERGES);
}

export async function addHourCounts(db: Executor, machine: string, hours: Map<number, PeriodCounts>): Promise<void> {
  const rows = [...hours].map(([hour, counts]) => [machine, hour, ...countValues(counts)]);
  await upsertRows(db, 'hour_counts', ['machine_key', 'hour', ...COUNT_COLUMNS], ['machine_key', 'hour'], rows, COUNT_MERGES);
}

export async function addLotCounts(db: Executor, machine: string, lots: Iterable<LotTotals>): Promise<void> {
  const rows = [...lots].map((l) => [machine, l.lot, l.item, l.cycles, l.parts, l.reworks, l.firstAt, l.lastAt]);
  await upsertRows(db, 'lot_counts', ['machine_key', 'lot', 'item', 'cycles', 'parts', 'reworks', 'first_at', 'last_at'], ['machine_key', 'lot'], rows, {
    item: 'replace', cycles: 'add', parts: 'add', reworks: 'add', first_at: 'min', last_at: 'max',
  });
}

// ---- period counts (read side) ---------------------------------------------------------------

export interface PeriodRow extends PeriodCounts {
  start: number;
}

function toPeriodRow(start: unknown, r: Omit<PeriodCountsColumns, 'machine_key'>): PeriodRow {
  return {
    start: num(start),
    cycles: num(r.cycles),
    parts: num(r.parts),
    empty: num(r.empty),
    reworks: num(r.reworks),
    firstPartAt: numOrNull(r.first_part_at),
    lastPartAt: numOrNull(r.last_part_at),
    firstAt: num(r.first_at),
    lastAt: num(r.last_at),
    gapMs: num(r.gap_ms),
    leadInMs: num(r.lead_in_ms),
  };
}

const COUNT_SELECT = COUNT_COLUMNS;

/** Hour rows with hour in [from, to), ascending. */
export async function hourRows(db: Executor, machine: string, from: number, to: number): Promise<PeriodRow[]> {
  const rows = await db
    .selectFrom('hour_counts')
    .select(['hour', ...COUNT_SELECT])
    .where('machine_key', '=', machine)
    .where('hour', '>=', from)
    .where('hour', '<', to)
    .orderBy('hour')
    .execute();
  return rows.map((r) => toPeriodRow(r.hour, r));
}

/** Sums of the hour rows with hour in [from, to), and the lead-in of the hour starting at `from`: one row for any span. */
export async function hourTotals(db: Executor, machine: string, from: number, to: number): Promise<PeriodCounts & { leadInAtStart: number }> {
  const row = await db
    .selectFrom('hour_counts')
    .select((eb) => [
      eb.fn.coalesce(eb.fn.sum<number>('cycles'), sql.lit(0)).as('cycles'),
      eb.fn.coalesce(eb.fn.sum<number>('parts'), sql.lit(0)).as('parts'),
      eb.fn.coalesce(eb.fn.sum<number>('empty'), sql.lit(0)).as('empty'),
      eb.fn.coalesce(eb.fn.sum<number>('reworks'), sql.lit(0)).as('reworks'),
      eb.fn.min<number | null>('first_part_at').as('first_part_at'),
      eb.fn.max<number | null>('last_part_at').as('last_part_at'),
      eb.fn.min<number | null>('first_at').as('first_at'),
      eb.fn.max<number | null>('last_at').as('last_at'),
      eb.fn.coalesce(eb.fn.sum<number>('gap_ms'), sql.lit(0)).as('gap_ms'),
      eb.fn.coalesce(eb.fn.sum<number>(sql`case when ${sql.ref('hour')} = ${from} then ${sql.ref('lead_in_ms')} else 0 end`), sql.lit(0)).as('lead_in_at_start'),
    ])
    .where('machine_key', '=', machine)
    .where('hour', '>=', from)
    .where('hour', '<', to)
    .executeTakeFirstOrThrow();
  return {
    cycles: num(row.cycles),
    parts: num(row.parts),
    empty: num(row.empty),
    reworks: num(row.reworks),
    firstPartAt: numOrNull(row.first_part_at),
    lastPartAt: numOrNull(row.last_part_at),
    firstAt: numOrNull(row.first_at) ?? 0,
    lastAt: numOrNull(row.last_at) ?? 0,
    gapMs: num(row.gap_ms),
    leadInMs: 0,
    leadInAtStart: num(row.lead_in_at_start),
  };
}

/** Minute rows with minute in [from, to), ascending. */
export async function minuteRows(db: Executor, machine: string, from: number, to: number): Promise<PeriodRow[]> {
  const rows = await db
    .selectFrom('minute_counts')
    .select(['minute', ...COUNT_SELECT])
    .where('machine_key', '=', machine)
    .where('minute', '>=', from)
    .where('minute', '<', to)
    .orderBy('minute')
    .execute();
  return rows.map((r) => toPeriodRow(r.minute, r));
}

/** Latest instant of any cycle of the machine (the last hour row holds it), or null. */
export async function latestCycleAt(db: Executor, machine: string): Promise<number | null> {
  const row = await db.selectFrom('hour_counts').select(['last_at']).where('machine_key', '=', machine).orderBy('hour', 'desc').limit(1).executeTakeFirst();
  return row ? num(row.last_at) : null;
}

/** Minute rows of the given hours (hour starts), ascending: the hours a window or bucket edge cuts. */
export async function minuteRowsOfHours(db: Executor, machine: string, hourStarts: readonly number[]): Promise<PeriodRow[]> {
  const hours = [...new Set(hourStarts)].sort((a, b) => a - b);
  const rows: PeriodRow[] = [];
  // runs of consecutive hours become one range; ranges go 100 to a query
  const ranges: [number, number][] = [];
  for (const hour of hours) {
    const last = ranges[ranges.length - 1];
    if (last && last[1] === hour) last[1] = hour + 3_600_000;
    else ranges.push([hour, hour + 3_600_000]);
  }
  // one index range per hour run, glued with UNION ALL: an OR of ranges makes SQLite scan the machine's rows
  for (let i = 0; i < ranges.length; i += 50) {
    const queries = ranges.slice(i, i + 50).map(([from, to]) =>
      db.selectFrom('minute_counts').select(['minute', ...COUNT_SELECT]).where('machine_key', '=', machine).where('minute', '>=', from).where('minute', '<', to),
    );
    const union = queries.slice(1).reduce((query, next) => query.unionAll(next), queries[0]);
    for (const r of await union.execute()) rows.push(toPeriodRow(r.minute, r));
  }
  return rows.sort((a, b) => a.start - b.start);
}

// ---- gaps ---------------------------------------------------------------------------------------

export async function insertGaps(db: Executor, machine: string, gaps: readonly { start: number; end: number }[]): Promise<void> {
  await bulkInsert(db, 'gaps', ['machine_key', 'start_at', 'end_at'], gaps.map((g) => [machine, g.start, g.end]));
}

/** Appends flat [start, end, …] lists to the packed gap rows of their days (read, append, write). */
export async function appendGapDays(db: Executor, machine: string, days: Map<number, number[]>): Promise<void> {
  if (days.size === 0) return;
  const existing = await db
    .selectFrom('gap_days')
    .select(['day', 'data'])
    .where('machine_key', '=', machine)
    .where('day', 'in', [...days.keys()])
    .execute();
  const stored = new Map(existing.map((r) => [num(r.day), r.data]));
  for (const [day, flat] of days) {
    const before = stored.get(day);
    const data = before === undefined ? packGaps(flat) : Buffer.concat([Buffer.from(before), packGaps(flat)]);
    const gaps = data.byteLength / 16;
    if (before === undefined) await db.insertInto('gap_days').values({ machine_key: machine, day, gaps, data }).execute();
    else await db.updateTable('gap_days').set({ gaps, data }).where('machine_key', '=', machine).where('day', '=', day).execute();
  }
}

/** Gaps of the packed rows whose end-day lies in [fromDay, toDay], as flat [start, end, …] arrays per day. */
export async function packedGaps(db: Executor, machine: string, fromDay: number, toDay: number): Promise<Float64Array[]> {
  const rows = await db
    .selectFrom('gap_days')
    .select(['data'])
    .where('machine_key', '=', machine)
    .where('day', '>=', fromDay)
    .where('day', '<=', toDay)
    .orderBy('day')
    .execute();
  return rows.map((r) => unpackGaps(r.data));
}

/** Gap rows overlapping (from, to) — start < to and end > from — longer than minMs, by start. */
export async function gapRows(db: Executor, machine: string, from: number, to: number, maxGapMs: number, minMs: number, limit: number): Promise<{ start: number; end: number }[]> {
  const rows = await db
    .selectFrom('gaps')
    .select(['start_at', 'end_at'])
    .where('machine_key', '=', machine)
    // the longest gap bounds how early an overlapping gap can start: the index range stays short
    .where('start_at', '>=', from - maxGapMs)
    .where('start_at', '<', to)
    .where('end_at', '>', from)
    .where(sql<boolean>`${sql.ref('end_at')} - ${sql.ref('start_at')} > ${minMs}`)
    .orderBy('start_at')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ start: num(r.start_at), end: num(r.end_at) }));
}

export async function gapExists(db: Executor, machine: string, start: number): Promise<{ start: number; end: number } | undefined> {
  const row = await db.selectFrom('gaps').select(['start_at', 'end_at']).where('machine_key', '=', machine).where('start_at', '=', start).executeTakeFirst();
  return row && { start: num(row.start_at), end: num(row.end_at) };
}

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

/** Raw cycles of a machine with at in [from, to): instant, part and rework only (the fine rate chart reads them). */
export async function cyclesBetween(db: Executor, machine: string, from: number, to: number): Promise<{ at: number; part: boolean; rework: boolean }[]> {
  const rows = await db.selectFrom('cycles').select(['at', 'part', 'rework']).where('machine_key', '=', machine).where('at', '>=', from).where('at', '<', to).execute();
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

export async function getMachineState(db: Executor, machine: string): Promise<MachineState | undefined> {
  const row = await db.selectFrom('machine_state').selectAll().where('machine_key', '=', machine).executeTakeFirst();
  return row && { machine: row.machine_key, firstAt: numOrNull(row.first_at), lastAt: numOrNull(row.last_at), maxGapMs: num(row.max_gap_ms), seq: num(row.seq) };
}

export async function saveMachineCarry(db: Executor, machine: string, carry: { firstAt: number | null; lastAt: number | null; maxGapMs: number }, now: number): Promise<void> {
  await db.updateTable('machine_state').set({ first_at: carry.firstAt, last_at: carry.lastAt, max_gap_ms: carry.maxGapMs, updated_at: now }).where('machine_key', '=', machine).execute();
}

// ---- ingest ledger -----------------------------------------------------------------------------------

export interface LedgerRow {
  id: number;
  machine: string;
  name: string;
  path: string | null;
  source: string;
  identity: string;
  identityBytes: number;
  consumedBytes: number;
  consumedLines: number;
  prefixSha256: string;
  cycles: number;
  errors: number;
  status: 'active' | 'replaced' | 'rejected' | 'undone';
  message: string | null;
  firstAt: number | null;
  lastAt: number | null;
  createdAt: number;
  updatedAt: number;
  createdBy: string | null;
  headSha256: string | null;
  /** the ledger row whose content this one repeats (its consumed prefix, or stored cycles) */
  duplicateOf: number | null;
  /** what the audit trail covers of this row so far */
  auditedCycles: number;
  auditedBytes: number;
  auditedAt: number | null;
}

function toLedger(r: Selectable<IngestFileTable>): LedgerRow {
  return {
    id: num(r.id),
    machine: r.machine_key,
    name: r.name,
    path: r.path,
    source: r.source,
    identity: r.identity,
    identityBytes: num(r.identity_bytes),
    consumedBytes: num(r.consumed_bytes),
    consumedLines: num(r.consumed_lines),
    prefixSha256: r.prefix_sha256,
    cycles: num(r.cycles),
    errors: num(r.errors),
    status: r.status as LedgerRow['status'],
    message: r.message,
    firstAt: numOrNull(r.first_at),
    lastAt: numOrNull(r.last_at),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
    createdBy: r.created_by,
    headSha256: r.head_sha256,
    duplicateOf: numOrNull(r.duplicate_of),
    auditedCycles: num(r.audited_cycles ?? 0),
    auditedBytes: num(r.audited_bytes ?? 0),
    auditedAt: numOrNull(r.audited_at),
  };
}

/** Ledger rows of a file name on a machine that are not superseded or undone (active or rejected). */
export async function ledgerByName(db: Executor, machine: string, name: string): Promise<LedgerRow[]> {
  const rows = await db
    .selectFrom('ingest_files')
    .selectAll()
    .where('machine_key', '=', machine)
    .where('name', '=', name)
    .where('status', 'not in', ['replaced', 'undone'])
    .orderBy('id')
    .execute();
  return rows.map(toLedger);
}

export async function ledgerById(db: Executor, id: number): Promise<LedgerRow | undefined> {
  const row = await db.selectFrom('ingest_files').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toLedger(row);
}

export interface NewLedgerRow {
  machine: string;
  name: string;
  path: string | null;
  source: string;
  identity: string;
  identityBytes: number;
  prefixSha256: string;
  status: 'active' | 'rejected';
  message: string | null;
  /** who imported it (uploads), else null */
  createdBy?: string | null;
  /** sha256 of the first identityBytes bytes without the name (null for MQTT streams) */
  headSha256?: string | null;
  /** a copy of this row's content: the new row starts where it stands (its prefix counts as consumed) */
  duplicateOf?: LedgerRow | null;
}

/** Removes a ledger row that never moved from where it started (its first batch, or a copy's audit, failed). */
export async function deleteEmptyLedger(db: Executor, fileId: number, startedAt = 0): Promise<void> {
  await db.deleteFrom('ingest_errors').where('file_id', '=', fileId).execute();
  await db.deleteFrom('ingest_files').where('id', '=', fileId).where('consumed_bytes', '=', startedAt).where('cycles', '=', 0).execute();
}

export async function insertLedger(db: Executor, row: NewLedgerRow, now: number): Promise<LedgerRow> {
  const values = {
    machine_key: row.machine, name: row.name, path: row.path, source: row.source, identity: row.identity, identity_bytes: row.identityBytes,
    consumed_bytes: 0, consumed_lines: 0, prefix_sha256: row.prefixSha256, cycles: 0, errors: 0, status: row.status, message: row.message,
    first_at: null, last_at: null, created_at: now, updated_at: now, created_by: row.createdBy ?? null, head_sha256: row.headSha256 ?? null,
    duplicate_of: null as number | null,
  };
  const original = row.duplicateOf;
  if (original) {
    Object.assign(values, { consumed_bytes: original.consumedBytes, consumed_lines: original.consumedLines, prefix_sha256: original.prefixSha256, duplicate_of: original.id });
  }
  await db.insertInto('ingest_files').values(values).execute();
  // read back by the unique (machine, identity): portable, unlike RETURNING / insertId
  const stored = await db.selectFrom('ingest_files').selectAll().where('machine_key', '=', row.machine).where('identity', '=', row.identity).executeTakeFirstOrThrow();
  return toLedger(stored);
}

/** Retires a row whose file changed under it; its identity is freed for the row that takes over. */
export async function markLedgerReplaced(db: Executor, id: number, message: string, now: number): Promise<void> {
  await db
    .updateTable('ingest_files')
    .set({ status: 'replaced', message, identity: `replaced:${id}`, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/**
 * Retires the rows that repeated an undone file (their skipped prefix or cycles are not stored any
 * more): the same bytes coming again are imported, not taken for already stored.
 */
export async function retireCopiesOf(db: Executor, originalId: number, message: string, now: number): Promise<number> {
  const copies = await db.selectFrom('ingest_files').select(['id']).where('duplicate_of', '=', originalId).where('status', '=', 'active').execute();
  for (const copy of copies) await markLedgerReplaced(db, num(copy.id), message, now);
  return copies.length;
}

export async function updateLedgerIdentity(db: Executor, id: number, identity: string, identityBytes: number, headSha256: string, path: string | null, now: number): Promise<void> {
  await db.updateTable('ingest_files').set({ identity, identity_bytes: identityBytes, head_sha256: headSha256, path, updated_at: now }).where('id', '=', id).execute();
}

/** The identity lengths (bytes hashed into head_sha256) among a machine's active file rows: a new file's head is hashed at each. */
export async function ledgerHeadLengths(db: Executor, machine: string): Promise<number[]> {
  const rows = await db
    .selectFrom('ingest_files')
    .select(['identity_bytes'])
    .distinct()
    .where('machine_key', '=', machine)
    .where('status', '=', 'active')
    .where('head_sha256', 'is not', null)
    .execute();
  return rows.map((r) => num(r.identity_bytes));
}

/** Active rows of a machine whose first bytes hash to one of `heads` and that consumed at most `maxBytes`: largest prefix first. */
export async function ledgerByHead(db: Executor, machine: string, heads: readonly string[], maxBytes: number): Promise<LedgerRow[]> {
  if (heads.length === 0) return [];
  const rows = await db
    .selectFrom('ingest_files')
    .selectAll()
    .where('machine_key', '=', machine)
    .where('head_sha256', 'in', [...heads])
    .where('status', '=', 'active')
    .where('consumed_bytes', '>', 0)
    .where('consumed_bytes', '<=', maxBytes)
    .orderBy('consumed_bytes', 'desc')
    .orderBy('id')
    .limit(20)
    .execute();
  return rows.map(toLedger);
}

/** Records how far the audit trail covers a ledger row (in the transaction of the entry). */
export async function markLedgerAudited(db: Executor, id: number, cycles: number, bytes: number, now: number): Promise<void> {
  await db.updateTable('ingest_files').set({ audited_cycles: cycles, audited_bytes: bytes, audited_at: now }).where('id', '=', id).execute();
}

export interface LedgerProgress {
  consumedBytes: number;
  consumedLines: number;
  prefixSha256: string;
  addCycles: number;
  addErrors: number;
  firstAt: number | null;
  lastAt: number | null;
  path: string | null;
  /** the file whose cycles this batch repeated (kept only if the row has none yet) */
  duplicateOf?: number | null;
}

/**
 * Moves the ledger forward inside the batch's transaction, only if nobody else moved it since it
 * was read (false → a concurrent import got there first and this batch must roll back).
 */
export async function advanceLedger(db: Executor, id: number, expectedConsumedBytes: number, progress: LedgerProgress, now: number): Promise<boolean> {
  const minAt = (column: 'first_at', value: number | null) =>
    value === null ? sql.ref(column) : sql`case when ${sql.ref(column)} is null or ${sql.ref(column)} > ${value} then ${value} else ${sql.ref(column)} end`;
  const maxAt = (column: 'last_at', value: number | null) =>
    value === null ? sql.ref(column) : sql`case when ${sql.ref(column)} is null or ${sql.ref(column)} < ${value} then ${value} else ${sql.ref(column)} end`;
  const result = await db
    .updateTable('ingest_files')
    .set((eb) => ({
      consumed_bytes: progress.consumedBytes,
      consumed_lines: progress.consumedLines,
      prefix_sha256: progress.prefixSha256,
      cycles: eb('cycles', '+', progress.addCycles),
      errors: eb('errors', '+', progress.addErrors),
      first_at: minAt('first_at', progress.firstAt) as RawBuilder<number | null>,
      last_at: maxAt('last_at', progress.lastAt) as RawBuilder<number | null>,
      path: progress.path,
      updated_at: now,
      ...(progress.duplicateOf ? { duplicate_of: eb.fn.coalesce('duplicate_of', eb.val(progress.duplicateOf)) } : {}),
    }))
    .where('id', '=', id)
    .where('consumed_bytes', '=', expectedConsumedBytes)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface LedgerFilter {
  machine?: string;
  status?: string;
  /** only rows of these sources (file, upload, mqtt, demo) */
  sources?: readonly string[];
  limit: number;
}

export async function listLedger(db: Executor, filter: LedgerFilter): Promise<LedgerRow[]> {
  let query = db.selectFrom('ingest_files').selectAll();
  if (filter.machine) query = query.where('machine_key', '=', filter.machine);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.sources && filter.sources.length > 0) query = query.where('source', 'in', [...filter.sources]);
  const rows = await query.orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
  return rows.map(toLedger);
}

// ---- ingest errors ---------------------------------------------------------------------------------

export async function countStoredErrors(db: Executor, fileId: number): Promise<number> {
  const row = await db.selectFrom('ingest_errors').select(db.fn.countAll<number>().as('n')).where('file_id', '=', fileId).executeTakeFirst();
  return num(row?.n ?? 0);
}

export async function insertErrors(db: Executor, fileId: number, machine: string, errors: readonly { line: number; message: string }[], now: number): Promise<void> {
  await bulkInsert(db, 'ingest_errors', ['file_id', 'machine_key', 'line', 'message', 'created_at'], errors.map((e) => [fileId, machine, e.line, e.message, now]));
}

export interface StoredError {
  id: number;
  fileId: number;
  file: string;
  machine: string;
  line: number;
  message: string;
  createdAt: number;
}

export async function listErrors(db: Executor, filter: { machine?: string; fileId?: number; limit: number }): Promise<StoredError[]> {
  let query = db
    .selectFrom('ingest_errors as e')
    .innerJoin('ingest_files as f', 'f.id', 'e.file_id')
    .select(['e.id', 'e.file_id', 'f.name', 'e.machine_key', 'e.line', 'e.message', 'e.created_at']);
  if (filter.machine) query = query.where('e.machine_key', '=', filter.machine);
  if (filter.fileId !== undefined) query = query.where('e.file_id', '=', filter.fileId);
  const rows = await query.orderBy('e.id', 'desc').limit(filter.limit).execute();
  return rows.map((r) => ({ id: num(r.id), fileId: num(r.file_id), file: r.name, machine: r.machine_key, line: num(r.line), message: r.message, createdAt: num(r.created_at) }));
}

// ---- lots ------------------------------------------------------------------------------------------

export interface LotRow {
  machine: string;
  lot: string;
  item: string;
  cycles: number;
  parts: number;
  reworks: number;
  /** units made and good units (core/oee/units.ts; machine data has no rejects) */
  produced: number;
  good: number;
  firstAt: number;
  lastAt: number;
}

const toLotRow = (r: { machine_key: string; lot: string; item: string; cycles: unknown; parts: unknown; reworks: unknown; first_at: unknown; last_at: unknown }): LotRow => {
  const counts = { parts: num(r.parts), reworks: num(r.reworks) };
  return { machine: r.machine_key, lot: r.lot, item: r.item, cycles: num(r.cycles), ...counts, ...unitCounts(counts), firstAt: num(r.first_at), lastAt: num(r.last_at) };
};

export async function getLotCounts(db: Executor, machine: string, lots: readonly string[]): Promise<LotRow[]> {
  if (lots.length === 0) return [];
  const rows = await db.selectFrom('lot_counts').selectAll().where('machine_key', '=', machine).where('lot', 'in', [...lots]).execute();
  return rows.map(toLotRow);
}

/** Lots whose production span overlaps [from, to) on the given machines. */
export async function listLotCounts(db: Executor, machines: readonly string[], from: number, to: number): Promise<LotRow[]> {
  if (machines.length === 0) return [];
  const rows = await db
    .selectFrom('lot_counts')
    .selectAll()
    .where('machine_key', 'in', [...machines])
    .where('first_at', '<', to)
    .where('last_at', '>=', from)
    .orderBy('machine_key')
    .orderBy('first_at')
    .execute();
  return rows.map(toLotRow);
}

// ---- operations the ingest updates ------------------------------------------------------------------

export interface RunningOperation {
  lot: string;
  step: number;
  state: OperationState;
  position: number | null;
  scrap: number;
  actualStart: number | null;
}

/** Operations of these lots on this machine that are running or queued. */
export async function activeOperations(db: Executor, machine: string, lots: readonly string[]): Promise<RunningOperation[]> {
  if (lots.length === 0) return [];
  const rows = await db
    .selectFrom('operations')
    .select(['lot', 'step', 'state', 'position', 'scrap', 'actual_start'])
    .where('machine_key', '=', machine)
    .where('lot', 'in', [...lots])
    .where('state', 'in', ['running', 'queued'])
    .execute();
  return rows.map((r) => ({ lot: r.lot, step: num(r.step), state: r.state, position: numOrNull(r.position), scrap: num(r.scrap), actualStart: numOrNull(r.actual_start) }));
}

export async function updateOperationProgress(
  db: Executor,
  op: { lot: string; step: number },
  values: { produced: number; good: number; observedRatePerHour: number | null; actualStart: number | null; state: OperationState },
): Promise<void> {
  await db
    .updateTable('operations')
    .set({ produced: values.produced, good: values.good, observed_rate_per_hour: values.observedRatePerHour, actual_start: values.actualStart, state: values.state })
    .where('lot', '=', op.lot)
    .where('step', '=', op.step)
    .execute();
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

// ---- stop reasons ----------------------------------------------------------------------------------------

export interface StopReasonRow {
  start: number;
  reason: string | null;
  comment: string | null;
  updatedAt: number;
  updatedBy: string;
}

export async function stopReasons(db: Executor, machine: string, starts: readonly number[]): Promise<Map<number, StopReasonRow>> {
  const found = new Map<number, StopReasonRow>();
  for (let i = 0; i < starts.length; i += 500) {
    const rows = await db
      .selectFrom('stop_reasons')
      .selectAll()
      .where('machine_key', '=', machine)
      .where('start_at', 'in', starts.slice(i, i + 500))
      .execute();
    for (const r of rows) found.set(num(r.start_at), { start: num(r.start_at), reason: r.reason, comment: r.comment, updatedAt: num(r.updated_at), updatedBy: r.updated_by });
  }
  return found;
}

export async function putStopReason(db: Executor, machine: string, start: number, reason: string | null, comment: string | null, actor: string, now: number): Promise<void> {
  const updated = await db
    .updateTable('stop_reasons')
    .set({ reason, comment, updated_at: now, updated_by: actor })
    .where('machine_key', '=', machine)
    .where('start_at', '=', start)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) {
    await db.insertInto('stop_reasons').values({ machine_key: machine, start_at: start, reason, comment, updated_at: now, updated_by: actor }).execute();
  }
}

export async function machineHasData(db: Executor, machine: string): Promise<boolean> {
  const row = await db.selectFrom('ingest_files').select(['id']).where('machine_key', '=', machine).limit(1).executeTakeFirst();
  return row !== undefined;
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

/** End of the machine's latest gap of at least `minMs` that ended by `until` (the start of the current run), or null. */
export async function latestLongGapEnd(db: Executor, machine: string, minMs: number, until: number): Promise<number | null> {
  const row = await db
    .selectFrom('gaps')
    .select(['end_at'])
    .where('machine_key', '=', machine)
    .where('start_at', '<=', until)
    .where('end_at', '<=', until)
    .where(sql<boolean>`${sql.ref('end_at')} - ${sql.ref('start_at')} >= ${minMs}`)
    .orderBy('start_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? num(row.end_at) : null;
}
