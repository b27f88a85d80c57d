// Reads of machine data for a forecast as of a moment: the machine's per-minute produced units,
// the raw units of the partial minute before the moment, and the span of each lot. Read-only: these
// tables are written by machine-data's repositories.
import type { Executor } from '../../db/database.js';
import type { ForecastHistoryTable } from '../../db/tables/forecasts.js';

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

// ---- forecast_history (this repository is its one writer) ----------------------------------------

export interface ForecastHistoryRow {
  lot: string;
  step: number;
  machine: string;
  at: number;
  produced: number;
  remaining: number;
  standardEnd: number | null;
  observedEnd: number | null;
  observedRatePerHour: number;
  forecastEnd: number;
  method: string;
}

/** instants are whole milliseconds in bigint columns */
const roundOrNull = (value: number | null): number | null => (value === null ? null : Math.round(value));
const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

export async function insertForecast(db: Executor, row: ForecastHistoryRow): Promise<void> {
  await db
    .insertInto('forecast_history')
    .values({
      lot: row.lot, step: row.step, machine_key: row.machine, at: Math.round(row.at), produced: row.produced, remaining: row.remaining,
      standard_end: roundOrNull(row.standardEnd), observed_end: roundOrNull(row.observedEnd), observed_rate_per_hour: row.observedRatePerHour,
      forecast_end: Math.round(row.forecastEnd), method: row.method,
    })
    .execute();
}

/** The lot's recorded forecasts, oldest first (optionally of one step). */
export async function forecastHistory(db: Executor, lot: string, step?: number): Promise<ForecastHistoryRow[]> {
  let query = db.selectFrom('forecast_history').selectAll().where('lot', '=', lot);
  if (step !== undefined) query = query.where('step', '=', step);
  return (await query.orderBy('at').execute()).map(toHistoryRow);
}

function toHistoryRow(r: ForecastHistoryTable): ForecastHistoryRow {
  return {
    lot: r.lot, step: num(r.step), machine: r.machine_key, at: num(r.at), produced: num(r.produced), remaining: num(r.remaining),
    standardEnd: numOrNull(r.standard_end), observedEnd: numOrNull(r.observed_end), observedRatePerHour: num(r.observed_rate_per_hour), forecastEnd: num(r.forecast_end), method: r.method,
  };
}

/** The forecast of one lot operation in force at `at` (the latest recorded at or before it), or undefined. */
export async function latestForecast(db: Executor, lot: string, step: number, at: number): Promise<ForecastHistoryRow | undefined> {
  const row = await db
    .selectFrom('forecast_history')
    .selectAll()
    .where('lot', '=', lot)
    .where('step', '=', step)
    .where('at', '<=', Math.round(at))
    .orderBy('at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? undefined : toHistoryRow(row);
}
