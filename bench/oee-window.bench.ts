// OEE of any window from the derived tables, with 8 machines × 1 year of derived data in SQLite.
// The year is built from one real line-day (Line7/PR20221013.txt) derived exactly as ingest derives
// it — its minute and hour counts and its ~500 gaps — repeated for every day of 2025 and each of
// 8 machines, and written straight into a temp database (4.4 million rows: ingesting 233 million
// raw cycles would take the bench hours). Then the service path the API uses (machinesOee: read
// hour rows, the minute rows of cut hours and the packed gaps, compute) is timed for windows of
// 1 hour … 1 year with edges off the hour (06:30), for both built-in profiles.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { DateTime } from 'luxon';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { PartRegistry } from '../src/core/oee/rework.js';
import { parseSensorFile } from '../src/testing/parse-file.js';
import { seedDatabase } from '../src/features/demo/seed.js';
import { deriveBatch, gapsByDay, packGaps } from '../src/core/oee/derive.js';
import { MS_PER_DAY } from '../src/core/time.js';
import { machinesOee } from '../src/features/oee/service.js';
import { sample, type Figure } from './lib.js';

const FILE = fileURLToPath(new URL('../../shared/data/sensors/Line7/PR20221013.txt', import.meta.url));
const ZONE = 'America/Los_Angeles';
const MACHINES = ['line6', 'line7', 'line8', 'line9', 'line10', 'line11', 'dip-a', 'dip-b'];
const YEAR_START = Date.UTC(2025, 0, 1);
const DAYS = 365;

async function fillYear(file: string): Promise<void> {
  const { cycles } = await parseSensorFile(FILE, ZONE);
  const day = deriveBatch(cycles, { firstAt: null, lastAt: null, maxGapMs: 0 }, new PartRegistry());
  const sourceDay = Math.floor(cycles[0].at / MS_PER_DAY) * MS_PER_DAY;
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = OFF');
  const counts = (table: string, period: string) =>
    sqlite.prepare(
      `insert into ${table} (machine_key, ${period}, cycles, parts, empty, reworks, first_part_at, last_part_at, first_at, last_at, gap_ms, lead_in_ms) values (?,?,?,?,?,?,?,?,?,?,?,?)`,
    );
  const minute = counts('minute_counts', 'minute');
  const hour = counts('hour_counts', 'hour');
  const gap = sqlite.prepare('insert into gaps (machine_key, start_at, end_at) values (?,?,?)');
  const gapDay = sqlite.prepare('insert into gap_days (machine_key, day, gaps, data) values (?,?,?,?)');
  const state = sqlite.prepare('insert into machine_state (machine_key, first_at, last_at, max_gap_ms, seq, updated_at) values (?,?,?,?,?,?)');
  const shiftOrNull = (value: number | null, by: number) => (value === null ? null : value + by);
  sqlite.transaction(() => {
    for (const machine of MACHINES) {
      const yearGaps: { start: number; end: number }[] = [];
      for (let d = 0; d < DAYS; d++) {
        const by = YEAR_START + d * MS_PER_DAY - sourceDay;
        for (const [table, rows] of [[minute, day.minutes], [hour, day.hours]] as const) {
          for (const [start, c] of rows) {
            table.run(machine, start + by, c.cycles, c.parts, c.empty, c.reworks, shiftOrNull(c.firstPartAt, by), shiftOrNull(c.lastPartAt, by), c.firstAt + by, c.lastAt + by, c.gapMs, c.leadInMs);
          }
        }
        for (const g of day.gaps) {
          gap.run(machine, g.start + by, g.end + by);
          yearGaps.push({ start: g.start + by, end: g.end + by });
        }
      }
      // a plant day spans two UTC days: pack the whole year, then write one row per UTC day
      for (const [gapsDay, flat] of gapsByDay(yearGaps)) gapDay.run(machine, gapsDay, flat.length / 2, packGaps(flat));
      state.run(machine, (day.firstAt ?? 0) + YEAR_START - sourceDay, (day.lastAt ?? 0) + YEAR_START + (DAYS - 1) * MS_PER_DAY - sourceDay, Math.max(day.carry.maxGapMs, 86_400_000), 1, Date.now());
    }
  })();
  sqlite.close();
}

export default async function oeeWindowBench(): Promise<Figure[]> {
  const folder = mkdtempSync(join(tmpdir(), 'qmfg-bench-oee-'));
  const file = join(folder, 'qmfg.db');
  const url = `sqlite:${file}`;
  const handle = await openDatabase(url);
  try {
    await migrateToLatest(handle.db);
    await seedDatabase(handle.db, loadConfig({ DATABASE_URL: url, QMFG_TZ: ZONE } as NodeJS.ProcessEnv), true);
    await fillYear(file);
    const at = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();
    const windows: [string, number, number][] = [
      ['1 hour', at('2025-06-11T06:30'), at('2025-06-11T07:30')],
      ['1 shift', at('2025-06-11T06:30'), at('2025-06-11T14:45')],
      ['1 day', at('2025-06-11T06:30'), at('2025-06-12T06:30')],
      ['1 month', at('2025-06-01T06:30'), at('2025-07-01T06:30')],
      ['1 year', at('2025-01-01T06:30'), at('2025-12-31T06:30')],
    ];
    const figures: Figure[] = [];
    let worst = 0;
    for (const [name, from, to] of windows) {
      for (const profile of ['itrak-legacy', 'iso22400']) {
        let cycles = 0;
        const timing = await sample(async () => {
          const result = await machinesOee(handle.db, ZONE, { machines: ['line9'], from, to, profile });
          cycles = result.machines[0].totals.cycles;
        }, 15, 3);
        if (cycles === 0) throw new Error(`no cycles in the ${name} window: the fixture is wrong`);
        worst = Math.max(worst, timing.median);
        figures.push({ name: `oee: ${name} window, ${profile} (median)`, value: timing.median, unit: 'ms', target: 50 });
      }
    }
    const byDay = await sample(() => machinesOee(handle.db, ZONE, { machines: ['line9'], from: windows[4][1], to: windows[4][2], groupBy: 'day' }), 5, 1);
    const allMachines = await sample(() => machinesOee(handle.db, ZONE, { machines: MACHINES, from: windows[3][1], to: windows[3][2], groupBy: 'day' }), 5, 1);
    return [
      { name: 'oee: any window 1 h…1 year, 8 machines × 1 year in DB (worst median)', value: worst, unit: 'ms', target: 50 },
      ...figures,
      { name: 'oee: 1 year with a series by day (365 buckets)', value: byDay.median, unit: 'ms', target: 500 },
      { name: 'oee: 8 machines side by side, 1 month by day', value: allMachines.median, unit: 'ms', target: 500 },
    ];
  } finally {
    await handle.close();
    rmSync(folder, { recursive: true, force: true });
  }
}
