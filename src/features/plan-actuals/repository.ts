// The only place with SQL for plan against actual: the shift-start plan (plan_baseline_shifts and
// plan_baselines, written here only) and the few reads of machine data the lot runs need beyond
// machine data's own repositories (raw cycles of the minutes two lots share, minute sums of a piece).
import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';

const num = (value: unknown): number => Number(value);

// ---- shift-start plan ---------------------------------------------------------------------------------

export interface BaselineShiftRow {
  shiftStart: number;
  shiftEnd: number;
  takenAt: number;
}

export interface BaselineBarRow {
  shiftStart: number;
  lot: string;
  step: number;
  machine: string;
  start: number;
  end: number;
  remaining: number;
  state: string;
}

export async function baselineShiftExists(db: Executor, shiftStart: number): Promise<boolean> {
  const row = await db.selectFrom('plan_baseline_shifts').select(['shift_start']).where('shift_start', '=', shiftStart).executeTakeFirst();
  return row !== undefined;
}

/** The claim of a shift start's baseline: fails on the primary key when another instance took it first. */
export async function insertBaselineShift(db: Executor, shift: BaselineShiftRow): Promise<void> {
  await db.insertInto('plan_baseline_shifts').values({ shift_start: shift.shiftStart, shift_end: shift.shiftEnd, taken_at: shift.takenAt }).execute();
}

export async function insertBaselineBars(db: Executor, bars: readonly BaselineBarRow[]): Promise<void> {
  for (let i = 0; i < bars.length; i += 500) {
    await db
      .insertInto('plan_baselines')
      .values(
        bars.slice(i, i + 500).map((b) => ({
          shift_start: b.shiftStart, lot: b.lot, step: b.step, machine_key: b.machine, start_at: Math.round(b.start), end_at: Math.round(b.end), remaining: b.remaining, state: b.state,
        })),
      )
      .execute();
  }
}

/** Baselines whose shift overlaps [from, to), by shift start. */
export async function baselineShifts(db: Executor, from: number, to: number): Promise<BaselineShiftRow[]> {
  const rows = await db
    .selectFrom('plan_baseline_shifts')
    .selectAll()
    .where('shift_start', '<', to)
    .where('shift_end', '>', from)
    .orderBy('shift_start')
    .execute();
  return rows.map((r) => ({ shiftStart: num(r.shift_start), shiftEnd: num(r.shift_end), takenAt: num(r.taken_at) }));
}

/** The latest baseline taken at or before `at`. */
export async function latestBaselineShift(db: Executor, at: number): Promise<BaselineShiftRow | undefined> {
  const row = await db.selectFrom('plan_baseline_shifts').selectAll().where('shift_start', '<=', at).orderBy('shift_start', 'desc').limit(1).executeTakeFirst();
  return row && { shiftStart: num(row.shift_start), shiftEnd: num(row.shift_end), takenAt: num(row.taken_at) };
}

/** Bars of the given baselines on the given machines. */
export async function baselineBars(db: Executor, shiftStarts: readonly number[], machines: readonly string[]): Promise<BaselineBarRow[]> {
  if (shiftStarts.length === 0 || machines.length === 0) return [];
  const rows = await db
    .selectFrom('plan_baselines')
    .selectAll()
    .where('shift_start', 'in', [...shiftStarts])
    .where('machine_key', 'in', [...machines])
    .orderBy('shift_start')
    .orderBy('start_at')
    .execute();
  return rows.map((r) => ({
    shiftStart: num(r.shift_start), lot: r.lot, step: num(r.step), machine: r.machine_key, start: num(r.start_at), end: num(r.end_at), remaining: num(r.remaining), state: r.state,
  }));
}

// ---- machine data the lot runs need -------------------------------------------------------------------

/** Raw cycles (instant, lot, part) of a machine with at in [from, to), by instant: only the minutes two lots share are asked. */
export async function cyclesWithLot(db: Executor, machine: string, from: number, to: number): Promise<{ at: number; lot: string; part: boolean }[]> {
  const rows = await db.selectFrom('cycles').select(['at', 'lot', 'part']).where('machine_key', '=', machine).where('at', '>=', from).where('at', '<', to).orderBy('at').execute();
  return rows.map((r) => ({ at: num(r.at), lot: r.lot, part: num(r.part) === 1 }));
}

/** Sums of the minute rows with minute in [from, to): cycles, parts, first and last cycle (null without cycles). */
export async function minuteSums(db: Executor, machine: string, from: number, to: number): Promise<{ cycles: number; parts: number; firstAt: number | null; lastAt: number | null }> {
  const row = await db
    .selectFrom('minute_counts')
    .select((eb) => [
      eb.fn.coalesce(eb.fn.sum<number>('cycles'), sql.lit(0)).as('cycles'),
      eb.fn.coalesce(eb.fn.sum<number>('parts'), sql.lit(0)).as('parts'),
      eb.fn.min<number | null>('first_at').as('first_at'),
      eb.fn.max<number | null>('last_at').as('last_at'),
    ])
    .where('machine_key', '=', machine)
    .where('minute', '>=', from)
    .where('minute', '<', to)
    .executeTakeFirstOrThrow();
  const cycles = num(row.cycles);
  return { cycles, parts: num(row.parts), firstAt: cycles > 0 && row.first_at !== null ? num(row.first_at) : null, lastAt: cycles > 0 && row.last_at !== null ? num(row.last_at) : null };
}

/** Per minute and lot in [from, to): cycles, parts, first and last cycle — the minutes two lots share, without reading every cycle. */
export async function lotMinutes(db: Executor, machine: string, from: number, to: number): Promise<{ minute: number; lot: string; cycles: number; parts: number; firstAt: number; lastAt: number }[]> {
  // at − at % 60000: the minute in every dialect (integer modulo; no floor(), which SQLite may lack)
  const minute = sql<number>`${sql.ref('at')} - ${sql.ref('at')} % 60000`;
  const rows = await db
    .selectFrom('cycles')
    .select((eb) => [
      minute.as('minute'),
      'lot',
      eb.fn.countAll<number>().as('cycles'),
      eb.fn.sum<number>('part').as('parts'),
      eb.fn.min<number>('at').as('first_at'),
      eb.fn.max<number>('at').as('last_at'),
    ])
    .where('machine_key', '=', machine)
    .where('at', '>=', from)
    .where('at', '<', to)
    .groupBy([minute, 'lot'])
    .execute();
  return rows
    .map((r) => ({ minute: num(r.minute), lot: r.lot, cycles: num(r.cycles), parts: num(r.parts), firstAt: num(r.first_at), lastAt: num(r.last_at) }))
    .sort((a, b) => a.minute - b.minute || a.firstAt - b.firstAt);
}

/** Parts made in each [start, end) (whole minutes), from the minute counts: one statement of index ranges per 50 intervals. */
export async function partsInIntervals(db: Executor, machine: string, intervals: readonly { start: number; end: number }[]): Promise<number[]> {
  const result = new Array<number>(intervals.length).fill(0);
  for (let i = 0; i < intervals.length; i += 50) {
    const queries = intervals.slice(i, i + 50).map((interval, k) =>
      db
        .selectFrom('minute_counts')
        .select((eb) => [sql.lit(i + k).as('k'), eb.fn.coalesce(eb.fn.sum<number>('parts'), sql.lit(0)).as('parts')])
        .where('machine_key', '=', machine)
        .where('minute', '>=', interval.start)
        .where('minute', '<', interval.end),
    );
    const union = queries.slice(1).reduce((query, next) => query.unionAll(next), queries[0]);
    for (const row of await union.execute()) result[num(row.k)] = num(row.parts);
  }
  return result;
}
