import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { CalendarSpec, WeekPattern } from '../calendar/index.js';
import { cameraLine, initialMachineSim, resumeMachineSim, simulateMachine, type MachineSim, type SimCycle, type SimJob } from './simulate.js';
import { SensorLogParser } from '../sensor/index.js';

const ZONE = 'America/Los_Angeles';
const twoShifts: [string, string][] = [
  ['06:30', '14:45'],
  ['14:45', '23:00'],
];
const WEEK: WeekPattern = { mon: twoShifts, tue: twoShifts, wed: twoShifts, thu: twoShifts, fri: twoShifts, sat: twoShifts, sun: twoShifts };
const CALENDAR: CalendarSpec = { default: WEEK, weeks: {}, holidays: [] };
const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();
const JOBS: SimJob[] = [
  { lot: '160101', item: '1169100', quantity: 200_000, produced: 0 },
  { lot: '160102', item: '1440700', quantity: 120_000, produced: 0 },
];

function run(state: MachineSim, jobs: readonly SimJob[], until: number) {
  return simulateMachine({ state, jobs, calendar: CALENDAR, zone: ZONE, until });
}

describe('simulateMachine', () => {
  it('makes nothing off shift (before 06:30 and after 23:00 plant time)', () => {
    const night = run(initialMachineSim('line6', 1, local('2026-12-02T23:00')), JOBS, local('2026-12-03T06:30'));
    expect(night.cycles).toEqual([]);
    // across the end of one day's shifts and the start of the next
    const span = run(initialMachineSim('line6', 1, local('2026-12-02T22:30')), JOBS, local('2026-12-03T07:00'));
    expect(span.cycles.length).toBeGreaterThan(1_000);
    const off = span.cycles.filter((c) => c.at >= local('2026-12-02T23:00') && c.at < local('2026-12-03T06:30'));
    expect(off).toEqual([]);
    expect(span.cycles.some((c) => c.at < local('2026-12-02T23:00'))).toBe(true);
    expect(span.cycles.some((c) => c.at >= local('2026-12-03T06:30'))).toBe(true);
  });

  it('runs about 140 cycles a minute while running, with empty pockets, stops, breaks and reworks like the generator', () => {
    const { cycles } = run(initialMachineSim('line7', 3, local('2026-12-02T06:30')), JOBS, local('2026-12-02T23:00'));
    const gaps = cycles.slice(1).map((c, i) => c.at - cycles[i].at);
    const running = gaps.filter((g) => g < 1100);
    const ratePerMinute = 60_000 / (running.reduce((s, g) => s + g, 0) / running.length);
    expect(ratePerMinute).toBeGreaterThan(120);
    expect(ratePerMinute).toBeLessThan(150);
    const empty = cycles.filter((c) => c.serial === 0).length / cycles.length;
    expect(empty).toBeGreaterThan(0.02);
    expect(empty).toBeLessThan(0.08);
    expect(cycles.some((c) => c.rework)).toBe(true);
    const stoppedMs = gaps.filter((g) => g >= 60_000).reduce((s, g) => s + g, 0);
    const availability = 1 - stoppedMs / (cycles[cycles.length - 1].at - cycles[0].at);
    expect(availability).toBeGreaterThan(0.6);
    expect(availability).toBeLessThan(0.92);
    // a break by the clock: 10:30 for ~31 min unless skipped that day; some stop ≥ 5 min in the day
    expect(gaps.some((g) => g >= 5 * 60_000)).toBe(true);
  });

  it('moves to the next queued job when the lot quantity is reached, with a changeover stop', () => {
    const jobs: SimJob[] = [
      { lot: '160101', item: '1169100', quantity: 10_000, produced: 9_000 },
      { lot: '160102', item: '1440700', quantity: 120_000, produced: 0 },
    ];
    const { cycles, events, state } = run(initialMachineSim('line6', 2, local('2026-12-02T07:00')), jobs, local('2026-12-02T14:00'));
    const first = cycles.filter((c) => c.lot === '160101' && c.serial > 0 && !c.rework);
    expect(first[0].serial).toBe(9_001);
    expect(first[first.length - 1].serial).toBe(10_000);
    const lastOfFirst = cycles.findLastIndex((c) => c.lot === '160101');
    const next = cycles[lastOfFirst + 1];
    expect(next.lot).toBe('160102');
    expect(next.item).toBe('1440700');
    expect(next.at - cycles[lastOfFirst].at).toBeGreaterThanOrEqual(35 * 60_000);
    expect(cycles.find((c) => c.lot === '160102' && c.serial > 0)?.serial).toBe(1);
    expect(events.map((e) => e.kind)).toEqual(['changeover', 'finished', 'changeover']);
    expect(state.lot).toBe('160102');
  });

  it('works every day of a run of several days in one go', () => {
    // the working-time window fetched two days at a time once ended in the night and the search
    // went on two days later: one run of a week skipped two whole days
    const { cycles } = run(initialMachineSim('line6', 1, local('2026-12-01T00:00')), [{ lot: '1', item: '1169100', quantity: 50_000_000, produced: 0 }], local('2026-12-08T00:00'));
    const days = ['2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06', '2026-12-07'];
    const perDay = days.map((day) => {
      const [from, to] = [local(`${day}T06:30`), local(`${day}T23:00`)];
      return cycles.filter((c) => c.at >= from && c.at < to).length;
    });
    for (const count of perDay) expect(count).toBeGreaterThan(50_000);
    const longestGap = cycles.reduce((longest, c, i) => (i === 0 ? 0 : Math.max(longest, c.at - cycles[i - 1].at)), 0);
    expect(longestGap).toBeLessThan(8 * 3_600_000);
  });

  it('is idle with an empty queue and after the last job', () => {
    const { cycles, state } = run(initialMachineSim('line6', 2, local('2026-12-02T07:00')), [], local('2026-12-02T14:00'));
    expect(cycles).toEqual([]);
    expect(state.nextAt).toBe(local('2026-12-02T14:00'));
    const done = run(initialMachineSim('line6', 2, local('2026-12-02T07:00')), [{ lot: '1', item: '1169100', quantity: 500, produced: 0 }], local('2026-12-02T14:00'));
    expect(done.cycles.filter((c) => c.serial > 0 && !c.rework)).toHaveLength(500);
    expect(done.state.lot).toBeNull();
  });

  it('is deterministic with a seed, however the time is cut into ticks', () => {
    // an hour across a break (14:20) and the shift change (14:45)
    const start = local('2026-12-02T14:10');
    const end = local('2026-12-02T15:10');
    const once = run(initialMachineSim('line8', 5, start), JOBS, end).cycles;
    let state = initialMachineSim('line8', 5, start);
    const ticked: SimCycle[] = [];
    for (let t = start + 2_999; t < end + 2_999; t += 2_999) {
      const step = run(state, JOBS, Math.min(t, end));
      ticked.push(...step.cycles);
      state = step.state;
    }
    expect(ticked).toEqual(once);
    expect(run(initialMachineSim('line8', 6, start), JOBS, end).cycles).not.toEqual(once);
  });

  it('resumes after a pause without a burst of old cycles', () => {
    const start = local('2026-12-02T12:00');
    const paused = run(initialMachineSim('line8', 5, start), JOBS, start + 60_000).state;
    const resumed = resumeMachineSim(paused, start + 10 * 60_000);
    const after = run(resumed, JOBS, start + 11 * 60_000).cycles;
    expect(after.length).toBeGreaterThan(0);
    expect(after[0].at).toBeGreaterThanOrEqual(start + 10 * 60_000);
  });

  it('writes camera lines the sensor parser reads back with lot, item and serial', () => {
    const { cycles } = run(initialMachineSim('line6', 2, local('2026-12-02T07:00')), JOBS, local('2026-12-02T07:10'));
    const text = `${cycles.map((c) => cameraLine(c, ZONE)).join('\n')}\n`;
    const parser = new SensorLogParser({ zone: ZONE, file: 'sim' });
    const parsed = parser.push(Buffer.from(text, 'latin1'));
    expect(parsed.errors).toEqual([]);
    const parts = parsed.cycles.filter((c) => c.lot === '160101');
    expect(parts.length).toBe(cycles.filter((c) => c.serial > 0).length);
    expect(parts[0].at).toBe(cycles.find((c) => c.serial > 0)?.at);
  });
});
