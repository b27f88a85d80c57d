// SQL for taking one imported file back out (see undo.ts) and for the pre-upload check: which
// machines already have a file's lots and items. Part of the machine-data repository (same tables,
// same owner: cycles, derived tables, ledger), kept apart so that each file stays readable.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { packGaps, unpackGaps, type PeriodCounts } from '../../core/oee/derive.js';
import { bulkInsert } from '../../db/bulk.js';
import type { StoredCycle } from './repository.js';

const num = (value: unknown): number => Number(value);

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

/** Ledger rows of a machine with cycles, other than undone ones, before or after a file id (arrival order). */
export async function filesAround(db: Executor, machine: string, fileId: number, side: 'before' | 'after'): Promise<{ id: number; cycles: number; firstAt: number; lastAt: number }[]> {
  let query = db
    .selectFrom('ingest_files')
    .select(['id', 'cycles', 'first_at', 'last_at'])
    .where('machine_key', '=', machine)
    .where('status', '!=', 'undone')
    .where('cycles', '>', 0)
    .where('first_at', 'is not', null);
  query = side === 'before' ? query.where('id', '<', fileId).orderBy('id', 'desc').limit(1) : query.where('id', '>', fileId).orderBy('id');
  const rows = await query.execute();
  return rows.map((r) => ({ id: num(r.id), cycles: num(r.cycles), firstAt: num(r.first_at), lastAt: num(r.last_at) }));
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

/** (at, part, rework) of the machine's stored cycles in [from, to), by instant. */
export async function cyclesBetween(db: Executor, machine: string, from: number, to: number): Promise<{ at: number; part: boolean; rework: boolean }[]> {
  const rows = await db
    .selectFrom('cycles')
    .select(['at', 'part', 'rework'])
    .where('machine_key', '=', machine)
    .where('at', '>=', from)
    .where('at', '<', to)
    .orderBy('at')
    .execute();
  return rows.map((r) => ({ at: num(r.at), part: num(r.part) === 1, rework: num(r.rework) === 1 }));
}

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

export async function insertGapRows(db: Executor, machine: string, gaps: readonly { start: number; end: number }[]): Promise<void> {
  await bulkInsert(db, 'gaps', ['machine_key', 'start_at', 'end_at'], gaps.map((g) => [machine, g.start, g.end]));
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

export async function markLedgerUndone(db: Executor, id: number, message: string, now: number): Promise<void> {
  await db.updateTable('ingest_files').set({ status: 'undone', message, identity: `undone:${id}`, updated_at: now }).where('id', '=', id).execute();
}

// ---- the pre-upload check ------------------------------------------------------------------------------

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

/** Active ledger rows of this file identity on any machine (the same file imported before). */
export async function ledgerByIdentity(db: Executor, identity: string): Promise<{ id: number; machine: string; cycles: number }[]> {
  const rows = await db.selectFrom('ingest_files').select(['id', 'machine_key', 'cycles']).where('identity', '=', identity).where('status', '=', 'active').execute();
  return rows.map((r) => ({ id: num(r.id), machine: r.machine_key, cycles: num(r.cycles) }));
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
