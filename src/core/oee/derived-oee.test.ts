// The OEE from derived data must equal computeOee over the raw cycles, on random cycle streams
// (every edge case the camera produces). The same comparison on the real Line 7 days in each
// database is src/features/oee/derived-oee.test.ts.
import { describe, expect, it } from 'vitest';
import { computeOee, type OeeCycle } from './oee.js';
import { PartRegistry } from './rework.js';
import { BUILTIN_PROFILES, type OeeProfile } from './profiles.js';
import { workingIntervals, type CalendarSpec } from '../calendar/index.js';
import { mulberry32, type Cycle } from '../sensor/index.js';
import { deriveBatch, gapsByDay, mergeCounts, packGaps, unpackGaps, type MachineCarry, type PeriodCounts } from './derive.js';
import { daysOverlapping, type ProductionDayRule } from './production-days.js';
import { computeOeeFromDerived, dayPartsOf, GapIndex, type DerivedSlice, type PeriodRow } from './derived-oee.js';

const ZONE = 'America/Los_Angeles';
const MINUTE = 60_000;
const HOUR = 3_600_000;
const floorMinute = (t: number) => Math.floor(t / MINUTE) * MINUTE;

/** A custom profile at the 1.0 s floor with odd bins, to catch anything tied to the built-ins' numbers. */
const TIGHT: OeeProfile = { name: 'tight', version: 3, maxCycleSeconds: 1, stopBinsSeconds: [1, 2.5, 45, 600], availabilityLossSeconds: 2.5, basis: 'firstToLastPart', idealRatePerMinute: 150 };
const WIDE_CALENDAR: OeeProfile = { name: 'wide', version: 1, maxCycleSeconds: 7.5, stopBinsSeconds: [7.5, 90], availabilityLossSeconds: 90, basis: 'calendar', idealRatePerMinute: 120 };
const PROFILES = [BUILTIN_PROFILES['itrak-legacy'], BUILTIN_PROFILES.iso22400, TIGHT, WIDE_CALENDAR];

/** Random camera-like cycles: running at ~0.45 s, gaps around the 1 s edge, stops up to an hour, clock steps back. */
function randomCycles(seed: number, count: number, start: number): Cycle[] {
  const random = mulberry32(seed);
  const cycles: Cycle[] = [];
  let at = start;
  let serial = 1;
  let lot = '159070';
  for (let i = 0; i < count; i++) {
    const r = random();
    if (r < 0.02) at -= Math.floor(random() * 1700); // clock steps back (sometimes across a minute edge)
    else if (r < 0.1) at += 900 + Math.floor(random() * 300); // around the 1.0 s edge
    else if (r < 0.13) at += 1000 + Math.floor(random() * 60_000);
    else if (r < 0.135) at += Math.floor(random() * 3_600_000);
    else if (r < 0.14) at += 0; // two cycles at the same instant
    else at += 420 + Math.floor(random() * 90);
    if (random() < 0.002) lot = String(159_000 + Math.floor(random() * 5));
    const part = random() > 0.05;
    const rework = part && random() < 0.01 && serial > 10;
    cycles.push({ at, item: '1330700', lot: part ? lot : '0', serial: part ? String(rework ? serial - 1 - Math.floor(random() * 9) : serial++) : '0', part, line: i + 1 });
  }
  return cycles;
}

/** Derives cycles in batches (as ingest does) and builds the slice in memory. */
function sliceOf(cycles: Cycle[], batchSize: number): DerivedSlice {
  const registry = new PartRegistry();
  let carry: MachineCarry = { firstAt: null, lastAt: null, maxGapMs: 0 };
  const minutes = new Map<number, PeriodCounts>();
  const hours = new Map<number, PeriodCounts>();
  const gapDays = new Map<number, number[]>();
  for (let i = 0; i < cycles.length; i += batchSize) {
    const batch = deriveBatch(cycles.slice(i, i + batchSize), carry, registry);
    carry = batch.carry;
    for (const [target, source] of [[minutes, batch.minutes], [hours, batch.hours]] as const) {
      for (const [start, counts] of source) {
        const existing = target.get(start);
        if (existing) mergeCounts(existing, counts);
        else target.set(start, { ...counts });
      }
    }
    for (const [day, flat] of gapsByDay(batch.gaps)) gapDays.set(day, [...(gapDays.get(day) ?? []), ...flat]);
  }
  const rows = (map: Map<number, PeriodCounts>): PeriodRow[] => [...map].map(([start, counts]) => ({ start, ...counts })).sort((a, b) => a.start - b.start);
  const days = [...gapDays.keys()].sort((a, b) => a - b).map((day) => unpackGaps(packGaps(gapDays.get(day) ?? [])));
  let latest: number | null = null;
  for (const cycle of cycles) if (latest === null || cycle.at > latest) latest = cycle.at;
  const hourRows = rows(hours);
  const minuteRows = rows(minutes);
  const span = daysOverlapping(ZONE, cycles.reduce((min, c) => Math.min(min, c.at), Infinity) - 2 * 86_400_000, (latest ?? 0) + 2 * 86_400_000);
  return {
    machine: 'm1', hours: hourRows, minutes: minuteRows, gaps: new GapIndex(days, carry.maxGapMs), firstCycleAt: carry.firstAt, latestCycleAt: latest,
    dayParts: dayPartsOf(span, hourRows, minuteRows),
  };
}

const CALENDAR: CalendarSpec = {
  default: { mon: [['06:30', '14:45'], ['14:45', '23:00']], tue: [['06:30', '14:45']], wed: [['22:00', '06:00']], thu: [], fri: [['00:00', '24:00']], sat: [['08:00', '12:00']], sun: [] },
  weeks: {},
  holidays: [],
};

describe('OEE from derived rows equals computeOee over the raw cycles (random streams)', () => {
  it.each([1, 2, 3, 4, 5, 6])('seed %i', (seed) => {
    const start = Date.UTC(2026, 10, 23, 14, 0, 0) + seed * 7919;
    const cycles = randomCycles(seed, 30_000, start);
    const slice = sliceOf(cycles, 7_000 + seed * 333);
    const raw: OeeCycle[] = cycles;
    const random = mulberry32(seed * 101);
    const first = floorMinute(start) - HOUR;
    const last = cycles.reduce((max, c) => Math.max(max, c.at), 0) + HOUR;
    for (let w = 0; w < 40; w++) {
      const from = floorMinute(first + random() * (last - first));
      const length = [1, 7, 60, 61, 24 * 60, 3 * 24 * 60][w % 6] * MINUTE;
      const to = w === 0 ? floorMinute(last) : from + length;
      const fromEdge = w === 0 ? first : from;
      for (const profile of PROFILES) {
        const loadingIntervals = profile.basis === 'calendar' ? workingIntervals(CALENDAR, ZONE, fromEdge, to) : undefined;
        const expected = computeOee({ machine: 'm1', cycles: raw, from: fromEdge, to, profile, loadingIntervals });
        const actual = computeOeeFromDerived({ slice, from: fromEdge, to, profile, loadingIntervals });
        expect(actual, `${profile.name} [${new Date(fromEdge).toISOString()}, ${new Date(to).toISOString()})`).toEqual(expected);
      }
    }
  });

  it.each([1, 2, 3])('seed %i with production days: hour buckets, multi-day windows and an open day', (seed) => {
    const start = Date.UTC(2026, 10, 23, 14, 0, 0) + seed * 7919;
    const cycles = randomCycles(seed + 40, 30_000, start);
    const slice = sliceOf(cycles, 5_000 + seed * 777);
    const random = mulberry32(seed * 31);
    const last = cycles.reduce((max, c) => Math.max(max, c.at), 0);
    const rules: ProductionDayRule[] = [
      { zone: ZONE },
      // "now" inside the data (cycles after it, as a clock skew would give) and after its end, with a shift start
      { zone: ZONE, now: start + Math.floor(random() * (last - start)), openDayShiftStart: start - 3 * HOUR },
      { zone: ZONE, now: last + 40 * MINUTE, openDayShiftStart: null },
      { zone: ZONE, now: last + 5 * MINUTE, openDayShiftStart: floorMinute(start) - 20 * HOUR },
    ];
    for (let w = 0; w < 30; w++) {
      const from = floorMinute(start - 2 * HOUR + random() * (last - start + 4 * HOUR));
      const to = from + [60, 60, 7, 24 * 60, 3 * 24 * 60][w % 5] * MINUTE;
      for (const profile of [BUILTIN_PROFILES['itrak-legacy'], TIGHT]) {
        for (const days of rules) {
          const expected = computeOee({ machine: 'm1', cycles, from, to, profile, days });
          const actual = computeOeeFromDerived({ slice, from, to, profile, days });
          expect(actual, `${profile.name} now=${days.now} [${new Date(from).toISOString()}, ${new Date(to).toISOString()})`).toEqual(expected);
        }
      }
    }
  });

  it('refuses windows that are not whole minutes and profiles below the 1.0 s floor', () => {
    const slice = sliceOf(randomCycles(9, 100, Date.UTC(2026, 0, 5)), 50);
    const profile = BUILTIN_PROFILES['itrak-legacy'];
    expect(() => computeOeeFromDerived({ slice, from: 1, to: MINUTE * 10, profile })).toThrow(/whole minutes/);
    expect(() => computeOeeFromDerived({ slice, from: 0, to: MINUTE, profile: { ...profile, maxCycleSeconds: 0.9, stopBinsSeconds: [0.9] } })).toThrow(/at least 1.0 s/);
  });
});
