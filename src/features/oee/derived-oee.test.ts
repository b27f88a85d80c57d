// The OEE from the derived tables (loaded by the service) must equal computeOee over the raw
// cycles on the four real Line 7 days in each database. The random-stream comparison is pure:
// src/core/oee/derived-oee.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { computeOee, type OeeCycle } from '../../core/oee/oee.js';
import { BUILTIN_PROFILES } from '../../core/oee/profiles.js';
import { workingIntervals, type CalendarSpec } from '../../core/calendar/index.js';
import { computeOeeFromDerived } from '../../core/oee/derived-oee.js';
import type { ProductionDayRule } from '../../core/oee/production-days.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../testing/databases.js';
import { seedDatabase } from '../demo/seed.js';
import { loadCalendarSpec } from '../calendar/repository.js';
import { ingestFile } from '../machine-data/ingest.js';
import * as machineRepo from '../machine-data/repository.js';
import { LINE7_DAYS, ZONE } from '../../testing/machine-data.js';
import { loadSlice } from './service.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const floorMinute = (t: number) => Math.floor(t / MINUTE) * MINUTE;

describe.each(DIALECTS)('OEE from the derived tables equals computeOee on 4 real Line 7 days (%s)', (dialect) => {
  let t: TestDatabase;
  let raw: OeeCycle[];
  let calendar: CalendarSpec;
  beforeAll(async () => {
    t = await createTestDatabase(dialect, 'derived_oee');
    await seedDatabase(t.db, t.config, true);
    for (const path of LINE7_DAYS) await ingestFile(t.db, { machine: 'line7', path, zone: ZONE });
    raw = (await machineRepo.cyclesInArrivalOrder(t.db, 'line7')).map((c) => ({ at: c.at, lot: c.lot, serial: c.serial, part: c.part }));
    calendar = await loadCalendarSpec(t.db);
  });
  afterAll(async () => t?.destroy());

  const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();
  const windows: [string, () => [number, number]][] = [
    ['one hour', () => [local('2022-10-11T10:00'), local('2022-10-11T11:00')]],
    ['a shift (06:30–14:45)', () => [local('2022-10-12T06:30'), local('2022-10-12T14:45')]],
    ['a day', () => [local('2022-10-13T00:00'), local('2022-10-14T00:00')]],
    ['the whole 4 days', () => [floorMinute(raw[0].at), floorMinute(raw.reduce((max, c) => Math.max(max, c.at), 0)) + MINUTE]],
  ];

  it.each(windows)('%s, both built-in profiles', async (_name, window) => {
    const [from, to] = window();
    for (const profile of [BUILTIN_PROFILES['itrak-legacy'], BUILTIN_PROFILES.iso22400]) {
      const loadingIntervals = profile.basis === 'calendar' ? workingIntervals(calendar, ZONE, from, to) : undefined;
      const expected = computeOee({ machine: 'line7', cycles: raw, from, to, profile, loadingIntervals });
      const actual = computeOeeFromDerived({ slice: await loadSlice(t.db, 'line7', from, to, []), from, to, profile, loadingIntervals });
      // exact counts; seconds within 1 ms (in fact the whole result is identical)
      expect([actual.cycles, actual.parts, actual.emptyCycles, actual.reworks, actual.stops.count]).toEqual([expected.cycles, expected.parts, expected.emptyCycles, expected.reworks, expected.stops.count]);
      for (const key of ['loadingSeconds', 'availabilityLossSeconds', 'netRunSeconds', 'runSeconds'] as const) expect(Math.abs(actual[key] - expected[key])).toBeLessThanOrEqual(0.001);
      expect(actual).toEqual(expected);
      expect(expected.cycles).toBeGreaterThan(0);
    }
  });

  it.each([
    ['the hours of 12 Oct, a closed day', { zone: ZONE }],
    ['the hours of 12 Oct while that day is open (now 14:10, shift from 06:30)', { zone: ZONE, now: local('2022-10-12T14:10'), openDayShiftStart: local('2022-10-12T06:30') }],
  ] as [string, ProductionDayRule][])('production days: %s, and 10–13 Oct as one window', async (_name, days) => {
    const profile = BUILTIN_PROFILES['itrak-legacy'];
    const from = local('2022-10-12T00:00');
    const to = local('2022-10-13T00:00');
    const edges: number[] = [];
    for (let hour = from; hour < to; hour += HOUR) edges.push(hour, hour + HOUR);
    const slice = await loadSlice(t.db, 'line7', from, to, edges, ZONE);
    let loading = 0;
    for (let hour = from; hour < to; hour += HOUR) {
      const expected = computeOee({ machine: 'line7', cycles: raw, from: hour, to: hour + HOUR, profile, days });
      expect(computeOeeFromDerived({ slice, from: hour, to: hour + HOUR, profile, days }), new Date(hour).toISOString()).toEqual(expected);
      loading += expected.loadingSeconds;
    }
    const day = computeOee({ machine: 'line7', cycles: raw, from, to, profile, days });
    expect(Math.abs(loading - day.loadingSeconds)).toBeLessThan(0.01);
    const [fourFrom, fourTo] = [local('2022-10-10T00:00'), local('2022-10-14T00:00')];
    const four = computeOee({ machine: 'line7', cycles: raw, from: fourFrom, to: fourTo, profile, days });
    expect(computeOeeFromDerived({ slice: await loadSlice(t.db, 'line7', fourFrom, fourTo, [], ZONE), from: fourFrom, to: fourTo, profile, days })).toEqual(four);
  });
});
