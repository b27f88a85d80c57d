// Reads of machine data for a forecast as of a moment: the machine's per-minute produced units,
// the raw units of the partial minute before the moment, and the span of each lot. Read-only: these
// tables are written by machine-data's repositories.
import type { Executor } from '../../db/database.js';

const num = (value: unknown): number => Number(value);

/** Produced units (parts − reworks) per minute with minute in [from, to), ascending. */
export async function minuteUnits(db: Executor, machine: string, from: number, to: number): Promise<{ minute: number; units: number }[]> {
  const rows = await db
    .selectFrom('minute_counts')
    .select(['minute', 'parts', 'reworks'])
    .where('machine_key', '=', machine)
    .where('minute', '>=', from)
    .where('minute', '<', to)
    .orderBy('minute')
    .execute();
  return rows.map((row) => ({ minute: num(row.minute), units: num(row.parts) - num(row.reworks) }));
}

/** Produced units of any lot with at in [from, to) (at most one minute is asked: ~140 rows). */
export async function unitsBetween(db: Executor, machine: string, from: number, to: number): Promise<{ at: number; lot: string }[]> {
  const rows = await db
    .selectFrom('cycles')
    .select(['at', 'lot'])
    .where('machine_key', '=', machine)
    .where('at', '>=', from)
    .where('at', '<', to)
    .where('part', '=', 1)
    .where('rework', '=', 0)
    .execute();
  return rows.map((row) => ({ at: num(row.at), lot: row.lot }));
}

/** Every lot of the machine with its first and last cycle. */
export async function lotSpans(db: Executor, machine: string): Promise<{ lot: string; firstAt: number; lastAt: number }[]> {
  const rows = await db.selectFrom('lot_counts').select(['lot', 'first_at', 'last_at']).where('machine_key', '=', machine).execute();
  return rows.map((row) => ({ lot: row.lot, firstAt: num(row.first_at), lastAt: num(row.last_at) }));
}
