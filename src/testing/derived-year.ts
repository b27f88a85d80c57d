// Test and bench support: many days of derived machine data, fast, on any dialect. One real line-day
// (Line7/PR20221013.txt) is derived exactly as ingest derives it (minute and hour counts, ~500 gaps),
// written once per machine, then repeated for every further day by the database itself
// (INSERT … SELECT over a recursive day counter), so a year for several machines takes seconds
// instead of the hours ingesting the raw cycles would take. Packed gaps (gap_days) are written per
// UTC day, as ingest writes them.
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { PartRegistry } from '../core/oee/rework.js';
import { parseSensorFile } from './parse-file.js';
import { deriveBatch, gapsByDay, packGaps, type PeriodCounts } from '../core/oee/derive.js';
import { MS_PER_DAY } from '../core/time.js';

const SOURCE_DAY = fileURLToPath(new URL('../../../shared/data/sensors/Line7/PR20221013.txt', import.meta.url));
const SOURCE_ZONE = 'America/Los_Angeles';
const BATCH = 500;

export interface DerivedYearOptions {
  machines: readonly string[];
  /** UTC midnight of the first day */
  start: number;
  days: number;
}

function periodRow(machine: string, start: number, c: PeriodCounts, by: number) {
  const shift = (value: number | null) => (value === null ? null : value + by);
  return {
    machine_key: machine, cycles: c.cycles, parts: c.parts, empty: c.empty, reworks: c.reworks, first_part_at: shift(c.firstPartAt), last_part_at: shift(c.lastPartAt),
    first_at: c.firstAt + by, last_at: c.lastAt + by, gap_ms: c.gapMs, lead_in_ms: c.leadInMs, start: start + by,
  };
}

async function insertBatched<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await insert(rows.slice(i, i + BATCH));
}

/** Fills minute_counts, hour_counts, gaps, gap_days and machine_state for `days` days of each machine. */
export async function fillDerivedDays(db: Db, options: DerivedYearOptions): Promise<{ minuteRows: number; hourRows: number }> {
  const { cycles } = await parseSensorFile(SOURCE_DAY, SOURCE_ZONE);
  const day = deriveBatch(cycles, { firstAt: null, lastAt: null, maxGapMs: 0 }, new PartRegistry());
  const sourceDay = Math.floor(cycles[0].at / MS_PER_DAY) * MS_PER_DAY;
  const by = options.start - sourceDay;
  const repeat = options.days - 1;
  for (const machine of options.machines) {
    const minutes = [...day.minutes].map(([start, c]) => periodRow(machine, start, c, by));
    const hours = [...day.hours].map(([start, c]) => periodRow(machine, start, c, by));
    await insertBatched(minutes, (batch) => db.insertInto('minute_counts').values(batch.map(({ start, ...r }) => ({ ...r, minute: start }))).execute());
    await insertBatched(hours, (batch) => db.insertInto('hour_counts').values(batch.map(({ start, ...r }) => ({ ...r, hour: start }))).execute());
    await insertBatched(day.gaps, (batch) => db.insertInto('gaps').values(batch.map((g) => ({ machine_key: machine, start_at: g.start + by, end_at: g.end + by }))).execute());
    const yearGaps = [];
    for (let d = 0; d < options.days; d++) for (const g of day.gaps) yearGaps.push({ start: g.start + by + d * MS_PER_DAY, end: g.end + by + d * MS_PER_DAY });
    const gapDays = [...gapsByDay(yearGaps)].map(([gapsDay, flat]) => ({ machine_key: machine, day: gapsDay, gaps: flat.length / 2, data: packGaps(flat) }));
    await insertBatched(gapDays, (batch) => db.insertInto('gap_days').values(batch).execute());
    const lastAt = (day.lastAt ?? 0) + by + repeat * MS_PER_DAY;
    await db.insertInto('machine_state').values({ machine_key: machine, first_at: (day.firstAt ?? 0) + by, last_at: lastAt, max_gap_ms: Math.max(day.carry.maxGapMs, MS_PER_DAY), seq: 1, updated_at: Date.now() }).execute();
  }
  if (repeat > 0) {
    // the first day of every machine, shifted by 1 … repeat days; BIGINT keeps PostgreSQL from 32-bit overflow
    const days = sql`with recursive d(k) as (select 1 union all select k + 1 from d where k < ${sql.lit(repeat)})`;
    const dayMs = sql`cast(k as bigint) * cast(${sql.lit(MS_PER_DAY)} as bigint)`;
    // the first day's rows: everything of these machines written above (the tables held none of theirs before)
    const ours = sql`machine_key in (${sql.join(options.machines.map((m) => sql.lit(m)))})`;
    for (const [table, period] of [['minute_counts', 'minute'], ['hour_counts', 'hour']] as const) {
      await sql`insert into ${sql.table(table)} (machine_key, ${sql.ref(period)}, cycles, parts, empty, reworks, first_part_at, last_part_at, first_at, last_at, gap_ms, lead_in_ms)
        ${days} select machine_key, ${sql.ref(period)} + ${dayMs}, cycles, parts, empty, reworks, first_part_at + ${dayMs}, last_part_at + ${dayMs}, first_at + ${dayMs}, last_at + ${dayMs}, gap_ms, lead_in_ms
        from ${sql.table(table)} cross join d where ${ours}`.execute(db);
    }
    await sql`insert into gaps (machine_key, start_at, end_at) ${days} select machine_key, start_at + ${dayMs}, end_at + ${dayMs} from gaps cross join d where ${ours}`.execute(db);
  }
  return { minuteRows: day.minutes.size * options.days * options.machines.length, hourRows: day.hours.size * options.days * options.machines.length };
}
