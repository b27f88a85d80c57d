// Plan against actual for a month on all 19 demo machines (4 process groups, as the board's four tabs
// ask it), SQLite. Each machine gets 35 days of derived data built from one real line-day
// (src/testing/derived-year.ts: minute and hour counts and ~500 gaps a day), a lot per day in its
// lot totals, and a second lot interleaved inside the day's lot (30 minutes of raw cycles: the path
// that reads cycles; its minutes count its cycles, as ingest counts them) once a month per machine —
// then, the pessimistic case, on 4 days a month — and
// the shift-start plan of every shift (one bar per machine and shift).
import { DateTime } from 'luxon';
import { seedDatabase } from '../src/features/demo/seed.js';
import * as plantRepo from '../src/features/plant/repository.js';
import { loadCalendarSpec } from '../src/features/calendar/repository.js';
import { createTestDatabase } from '../src/testing/databases.js';
import { fillDerivedDays } from '../src/testing/derived-year.js';
import { shiftsOverlapping } from '../src/features/plan-actuals/baselines.js';
import * as repo from '../src/features/plan-actuals/repository.js';
import { getActuals } from '../src/features/plan-actuals/service.js';
import { MS_PER_DAY } from '../src/core/time.js';
import { sample, type Figure } from './lib.js';

const ZONE = 'America/Los_Angeles';
const DAYS = 35;
const START = Date.UTC(2025, 5, 1);

export default async function planActualsBench(): Promise<Figure[]> {
  const database = await createTestDatabase('sqlite', 'bench-actuals');
  try {
    const { db, config } = database;
    await seedDatabase(db, config, true);
    const machines = await plantRepo.listMachines(db);
    const groups = [...new Set(machines.map((m) => m.group))];
    await fillDerivedDays(db, { machines: machines.map((m) => m.key), start: START, days: DAYS });
    // a lot per machine and day over the day's production span (from the hour rows), a second lot inside it on 4 days
    const lotRows: Record<string, unknown>[] = [];
    const cycleRows: Record<string, unknown>[] = [];
    const laterLots: Record<string, unknown>[] = [];
    const laterCycles: Record<string, unknown>[] = [];
    for (const machine of machines) {
      const hours = await db.selectFrom('hour_counts').select(['hour', 'first_at', 'last_at', 'parts', 'cycles']).where('machine_key', '=', machine.key).orderBy('hour').execute();
      for (let d = 0; d < DAYS; d++) {
        const dayStart = START + d * MS_PER_DAY;
        const dayHours = hours.filter((h) => Number(h.first_at) >= dayStart - 12 * 3_600_000 && Number(h.first_at) < dayStart + 12 * 3_600_000);
        if (dayHours.length === 0) continue;
        const first = Math.min(...dayHours.map((h) => Number(h.first_at)));
        const last = Math.max(...dayHours.map((h) => Number(h.last_at)));
        const lot = `${machine.key}-${d}`;
        lotRows.push({ machine_key: machine.key, lot, item: '1330700', cycles: dayHours.reduce((s, h) => s + Number(h.cycles), 0), parts: dayHours.reduce((s, h) => s + Number(h.parts), 0), reworks: 0, first_at: first, last_at: last });
        if (d % 9 === 4) {
          const list = d === 4 ? lotRows : laterLots;
          const cyclesList = d === 4 ? cycleRows : laterCycles;
          const from = first + Math.floor((last - first) / 2);
          const inner = `${machine.key}-${d}x`;
          let n = 0;
          for (let at = from; at < from + 30 * 60_000; at += 450, n++) cyclesList.push({ machine_key: machine.key, at, item: '1169100', lot: inner, serial: String(n + 1), part: 1, rework: 0, file_id: 1, line: n + 1 });
          list.push({ machine_key: machine.key, lot: inner, item: '1169100', cycles: n, parts: n, reworks: 0, first_at: from, last_at: from + (n - 1) * 450 });
        }
      }
    }
    const insert = async (lots: Record<string, unknown>[], cycles: Record<string, unknown>[]) => {
      for (let i = 0; i < lots.length; i += 200) await db.insertInto('lot_counts').values(lots.slice(i, i + 200) as never).execute();
      for (let i = 0; i < cycles.length; i += 500) await db.insertInto('cycles').values(cycles.slice(i, i + 500) as never).execute();
      // the minutes of the interleaved lot count its cycles, as ingest would have counted them
      const minutes = new Map<string, { machine: string; minute: number; cycles: number; first: number; last: number }>();
      for (const c of cycles as { machine_key: string; at: number }[]) {
        const minute = Math.floor(c.at / 60_000) * 60_000;
        const key = `${c.machine_key}@${minute}`;
        const row = minutes.get(key) ?? { machine: c.machine_key, minute, cycles: 0, first: c.at, last: c.at };
        row.cycles++;
        row.last = c.at;
        minutes.set(key, row);
      }
      for (const m of minutes.values()) {
        await db.deleteFrom('minute_counts').where('machine_key', '=', m.machine).where('minute', '=', m.minute).execute();
        await db.insertInto('minute_counts').values({ machine_key: m.machine, minute: m.minute, cycles: m.cycles, parts: m.cycles, empty: 0, reworks: 0, first_part_at: m.first, last_part_at: m.last, first_at: m.first, last_at: m.last, gap_ms: 0, lead_in_ms: 0 }).execute();
      }
    };
    await insert(lotRows, cycleRows);

    const from = DateTime.fromMillis(START + 2 * MS_PER_DAY, { zone: ZONE }).startOf('day').toMillis();
    const to = DateTime.fromMillis(from, { zone: ZONE }).plus({ months: 1 }).toMillis();
    const calendar = await loadCalendarSpec(db);
    for (const shift of shiftsOverlapping(calendar, ZONE, from, to)) {
      await repo.insertBaselineShift(db, { shiftStart: shift.start, shiftEnd: shift.end, takenAt: shift.start });
      await repo.insertBaselineBars(db, machines.map((m) => ({ shiftStart: shift.start, lot: `${m.key}-plan`, step: 0, machine: m.key, start: shift.start, end: shift.end, remaining: 50_000, state: 'queued' })));
    }
    const now = to + MS_PER_DAY;
    const allGroups = async () => {
      let runs = 0;
      let stops = 0;
      for (const group of groups) {
        const result = await getActuals(db, ZONE, group, from, to, now);
        for (const m of result.machines) {
          runs += m.runs.length;
          stops += m.runs.reduce((s, r) => s + r.stopCount, 0);
        }
      }
      if (runs < machines.length * 25 || stops === 0) throw new Error(`the fixture is wrong: ${runs} runs, ${stops} stops`);
      return { runs, stops };
    };
    const counted = await allGroups();
    const month = await sample(allGroups, 7, 2);
    const oneGroup = await sample(() => getActuals(db, ZONE, 'pouching-itrak', from, to, now), 7, 2);
    await insert(laterLots, laterCycles);
    const interleaved = await allGroups();
    const pessimistic = await sample(allGroups, 5, 1);
    return [
      { name: `plan-actuals: 1 month, ${machines.length} machines (4 groups; ${counted.runs} runs, ${counted.stops} stops) (median)`, value: month.median, unit: 'ms', target: 500 },
      { name: 'plan-actuals: 1 month, one group of 6 machines (median)', value: oneGroup.median, unit: 'ms', target: 200 },
      { name: `plan-actuals: same, a lot interleaved 4× a month per machine (${interleaved.runs} runs)`, value: pessimistic.median, unit: 'ms', target: 1000 },
    ];
  } finally {
    await database.destroy();
  }
}
