// The only place with SQL for the tables derived from raw cycles at ingest: gaps, packed gap days,
// minute/hour/lot counts. Machine data owns them (the ingest batch and undo write them in their
// transactions); the OEE feature reads them through the functions here.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { PeriodCountsColumns } from '../../db/tables/machine-data.js';
import { bulkInsert, upsertRows, type Merge } from '../../db/bulk.js';
import { packGaps, unpackGaps, type LotTotals, type PeriodCounts } from '../../core/oee/derive.js';
import { unitCounts } from '../../core/oee/units.js';

const num = (value: unknown): number => Number(value);
const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

// ---- minute/hour/lot counts (write side) ------------------------------------------------------------

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

/** The lot with the latest cycle on the machine (what it makes now, or made last), or undefined. */
export async function latestLotCount(db: Executor, machine: string): Promise<LotRow | undefined> {
  const row = await db.selectFrom('lot_counts').selectAll().where('machine_key', '=', machine).orderBy('last_at', 'desc').limit(1).executeTakeFirst();
  return row ? toLotRow(row) : undefined;
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

// ---- rewrites when a file is taken back out (undo.ts), and what the pre-upload check asks -----------

/** Σ gap_ms and lead_in_ms of the given period rows (the two fields that need the arrival order). */
export async function periodGapSums(db: Executor, table: 'minute_counts' | 'hour_counts', machine: string, starts: readonly number[]): Promise<Map<number, { gapMs: number; leadInMs: number }>> {
  const column = table === 'minute_counts' ? 'minute' : 'hour';
  const found = new Map<number, { gapMs: number; leadInMs: number }>();
  for (let i = 0; i < starts.length; i += 500) {
    const rows = await db
      .selectFrom(table)
      .select([column, 'gap_ms', 'lead_in_ms'] as const)
      .where('machine_key', '=', machine)
      .where(column, 'in', starts.slice(i, i + 500))
      .execute();
    for (const r of rows as { gap_ms: unknown; lead_in_ms: unknown; [key: string]: unknown }[]) found.set(num(r[column]), { gapMs: num(r.gap_ms), leadInMs: num(r.lead_in_ms) });
  }
  return found;
}

/** Writes one period row as given (insert or replace), or deletes it when it has no cycles left. */
export async function writePeriodRow(db: Executor, table: 'minute_counts' | 'hour_counts', machine: string, start: number, counts: PeriodCounts | null): Promise<void> {
  const column = table === 'minute_counts' ? 'minute' : 'hour';
  // delete + insert: one code path for the three dialects, and the row is rewritten whole anyway
  await sql`delete from ${sql.table(table)} where ${sql.ref('machine_key')} = ${machine} and ${sql.ref(column)} = ${start}`.execute(db);
  if (counts === null || counts.cycles === 0) return;
  await sql`insert into ${sql.table(table)} (${sql.join(['machine_key', column, 'cycles', 'parts', 'empty', 'reworks', 'first_part_at', 'last_part_at', 'first_at', 'last_at', 'gap_ms', 'lead_in_ms'].map((c) => sql.ref(c)))})
    values (${sql.join([machine, start, counts.cycles, counts.parts, counts.empty, counts.reworks, counts.firstPartAt, counts.lastPartAt, counts.firstAt, counts.lastAt, counts.gapMs, counts.leadInMs])})`.execute(db);
}

/** Deletes the stored gaps with these (start, end) pairs, 400 to a statement. */
export async function deleteGaps(db: Executor, machine: string, gaps: readonly { start: number; end: number }[]): Promise<void> {
  for (let i = 0; i < gaps.length; i += 400) {
    const chunk = gaps.slice(i, i + 400);
    await db
      .deleteFrom('gaps')
      .where('machine_key', '=', machine)
      // start_at IN keeps the (machine, start) index in use; the pair test makes it exact
      .where('start_at', 'in', chunk.map((g) => g.start))
      .where(sql<boolean>`(${sql.ref('start_at')}, ${sql.ref('end_at')}) in (${sql.join(chunk.map((g) => sql`(${g.start}, ${g.end})`))})`)
      .execute();
  }
}

/**
 * Rewrites packed gap days: removes the listed (start, end) pairs (one occurrence each) and appends
 * the added ones, keeping the order of the rest; a day left without gaps is deleted.
 */
export async function rewriteGapDays(db: Executor, machine: string, remove: Map<number, number[]>, add: Map<number, number[]>): Promise<void> {
  const days = [...new Set([...remove.keys(), ...add.keys()])];
  if (days.length === 0) return;
  const existing = await db.selectFrom('gap_days').select(['day', 'data']).where('machine_key', '=', machine).where('day', 'in', days).execute();
  const stored = new Map(existing.map((r) => [num(r.day), unpackGaps(r.data)]));
  for (const day of days) {
    const before = stored.get(day) ?? new Float64Array(0);
    const toRemove = new Map<string, number>();
    const removing = remove.get(day) ?? [];
    for (let i = 0; i < removing.length; i += 2) {
      const key = `${removing[i]}|${removing[i + 1]}`;
      toRemove.set(key, (toRemove.get(key) ?? 0) + 1);
    }
    const kept: number[] = [];
    for (let i = 0; i < before.length; i += 2) {
      const key = `${before[i]}|${before[i + 1]}`;
      const pending = toRemove.get(key) ?? 0;
      if (pending > 0) toRemove.set(key, pending - 1);
      else kept.push(before[i], before[i + 1]);
    }
    kept.push(...(add.get(day) ?? []));
    await db.deleteFrom('gap_days').where('machine_key', '=', machine).where('day', '=', day).execute();
    if (kept.length > 0) await db.insertInto('gap_days').values({ machine_key: machine, day, gaps: kept.length / 2, data: packGaps(kept) }).execute();
  }
}

/** Recounts a lot of a machine from its stored cycles (within the span it had) and writes or deletes its row. */
export async function recountLot(db: Executor, machine: string, lot: string): Promise<void> {
  const span = await db.selectFrom('lot_counts').select(['first_at', 'last_at']).where('machine_key', '=', machine).where('lot', '=', lot).executeTakeFirst();
  if (!span) return;
  const inSpan = db
    .selectFrom('cycles')
    .where('machine_key', '=', machine)
    .where('at', '>=', num(span.first_at))
    .where('at', '<=', num(span.last_at))
    .where('lot', '=', lot);
  const totals = await inSpan
    .select((eb) => [
      eb.fn.countAll<number>().as('cycles'),
      eb.fn.coalesce(eb.fn.sum<number>('part'), sql.lit(0)).as('parts'),
      eb.fn.coalesce(eb.fn.sum<number>('rework'), sql.lit(0)).as('reworks'),
      eb.fn.min<number>('at').as('first_at'),
      eb.fn.max<number>('at').as('last_at'),
    ])
    .executeTakeFirstOrThrow();
  if (num(totals.cycles) === 0) {
    await db.deleteFrom('lot_counts').where('machine_key', '=', machine).where('lot', '=', lot).execute();
    return;
  }
  const latest = await inSpan.select(['item']).orderBy('at', 'desc').limit(1).executeTakeFirstOrThrow();
  await db
    .updateTable('lot_counts')
    .set({ item: latest.item, cycles: num(totals.cycles), parts: num(totals.parts), reworks: num(totals.reworks), first_at: num(totals.first_at), last_at: num(totals.last_at) })
    .where('machine_key', '=', machine)
    .where('lot', '=', lot)
    .execute();
}

/** Per machine: which of these lots it already has (with cycles), from the lot totals kept forever. */
export async function machinesWithLots(db: Executor, lots: readonly string[]): Promise<{ machine: string; lot: string; item: string; cycles: number }[]> {
  if (lots.length === 0) return [];
  const rows = await db.selectFrom('lot_counts').select(['machine_key', 'lot', 'item', 'cycles']).where('lot', 'in', [...lots]).execute();
  return rows.map((r) => ({ machine: r.machine_key, lot: r.lot, item: r.item, cycles: num(r.cycles) }));
}

/** Per machine: which of these item numbers it has made (any lot). */
export async function machinesWithItems(db: Executor, items: readonly string[]): Promise<{ machine: string; item: string }[]> {
  if (items.length === 0) return [];
  const rows = await db.selectFrom('lot_counts').select(['machine_key', 'item']).distinct().where('item', 'in', [...items]).execute();
  return rows.map((r) => ({ machine: r.machine_key, item: r.item }));
}

/** The longest stored gap of a machine (0 without gaps): the bound machine_state.max_gap_ms keeps. */
export async function longestGapMs(db: Executor, machine: string): Promise<number> {
  const row = await db
    .selectFrom('gaps')
    .select((eb) => eb.fn.max<number | null>(sql`${sql.ref('end_at')} - ${sql.ref('start_at')}`).as('longest'))
    .where('machine_key', '=', machine)
    .executeTakeFirst();
  return row?.longest === null || row?.longest === undefined ? 0 : num(row.longest);
}
