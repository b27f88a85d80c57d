// The OEE engine on the real camera logs (../shared/data/sensors, never copied into the project):
// no expected values are known for them, so these tests check that the figures hold together.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Cycle } from '../sensor/index.js';
import { parseSensorFile } from '../../testing/parse-file.js';
import { computeOee, type OeeResult } from './oee.js';
import { BUILTIN_PROFILES, type OeeProfile } from './profiles.js';

const SENSORS = fileURLToPath(new URL('../../../../shared/data/sensors', import.meta.url));
const ZONE = 'America/Los_Angeles';

async function loadDays(line: string, days: string[]): Promise<Cycle[]> {
  const cycles: Cycle[] = [];
  for (const day of days) {
    const parsed = await parseSensorFile(join(SENSORS, line, `PR${day}.txt`), ZONE);
    expect(parsed.errors).toEqual([]);
    for (const cycle of parsed.cycles) cycles.push(cycle);
  }
  return cycles;
}

const local = (iso: string): number => DateTime.fromISO(iso, { zone: ZONE }).toMillis();

function dataExtent(cycles: readonly Cycle[]): { from: number; to: number } {
  let from = Infinity;
  let to = -Infinity;
  for (const cycle of cycles) {
    from = Math.min(from, cycle.at);
    to = Math.max(to, cycle.at + 1);
  }
  return { from, to };
}

function expectConsistent(result: OeeResult): void {
  expect(result.parts + result.emptyCycles).toBe(result.cycles);
  const classCount = result.stops.classes.reduce((sum, stopClass) => sum + stopClass.count, 0);
  const classSeconds = result.stops.classes.reduce((sum, stopClass) => sum + stopClass.seconds, 0);
  expect(classCount).toBe(result.stops.count);
  expect(classSeconds).toBeCloseTo(result.stops.seconds, 3);
  expect(result.availability).not.toBeNull();
  expect(result.performance).not.toBeNull();
  expect(result.quality).not.toBeNull();
  const [availability, performance, quality, oee] = [result.availability!, result.performance!, result.quality!, result.oee!];
  expect(availability).toBeGreaterThan(0);
  expect(availability).toBeLessThanOrEqual(1);
  expect(quality).toBeGreaterThan(0);
  expect(quality).toBeLessThanOrEqual(1);
  expect(Math.abs(availability * performance * quality - oee)).toBeLessThanOrEqual(1e-4);
  expect(result.loadingSeconds).toBeGreaterThanOrEqual(result.netRunSeconds);
  expect(result.netRunSeconds).toBeCloseTo(result.loadingSeconds - result.availabilityLossSeconds, 3);
  // availability loss is a subset of the stop time, and stop time lies inside the loading time
  expect(result.availabilityLossSeconds).toBeLessThanOrEqual(result.stops.seconds + 1e-9);
  expect(result.stops.seconds).toBeLessThanOrEqual(result.loadingSeconds + 1e-9);
  expect(JSON.stringify(result)).not.toMatch(/NaN|Infinity/);
}

describe('real data: Line 8, 11–13 Oct 2022 (itrak-legacy)', () => {
  let cycles: Cycle[];
  let whole: OeeResult;
  beforeAll(async () => {
    cycles = await loadDays('Line8', ['20221011', '20221012', '20221013']);
    whole = computeOee({ machine: 'line8', cycles, ...dataExtent(cycles), profile: BUILTIN_PROFILES['itrak-legacy'] });
  });

  it('holds together over the three days', () => {
    expect(whole.cycles).toBe(cycles.length);
    expect(cycles.length).toBeGreaterThan(200_000);
    expectConsistent(whole);
    // three days of first-to-last part span the two nights, which are ≥ 300 s stops
    expect(whole.stops.classes[3].count).toBeGreaterThanOrEqual(2);
    expect(whole.warnings.filter((warning) => !warning.startsWith('performance'))).toEqual([]);
  });

  it('splits exactly into plant-local days', () => {
    const days = ['2022-10-11', '2022-10-12', '2022-10-13'].map((day) => {
      const from = local(`${day}T00:00`);
      const to = DateTime.fromMillis(from, { zone: ZONE }).plus({ days: 1 }).toMillis();
      const result = computeOee({ machine: 'line8', cycles, from, to, profile: BUILTIN_PROFILES['itrak-legacy'] });
      expectConsistent(result);
      return result;
    });
    expect(days.reduce((sum, day) => sum + day.cycles, 0)).toBe(whole.cycles);
    expect(days.reduce((sum, day) => sum + day.parts, 0)).toBe(whole.parts);
    // a rework is judged on everything seen before it, whatever the window: the days add up
    expect(days.reduce((sum, day) => sum + day.reworks, 0)).toBe(whole.reworks);
  });

  it('on the calendar basis, loss stays inside the shifts', () => {
    // two shifts a day, 06:00–14:30 and 14:30–23:00, plant-local
    const shifts = ['2022-10-11', '2022-10-12', '2022-10-13'].flatMap((day) => [
      { start: local(`${day}T06:00`), end: local(`${day}T14:30`) },
      { start: local(`${day}T14:30`), end: local(`${day}T23:00`) },
    ]);
    const profile: OeeProfile = BUILTIN_PROFILES.iso22400;
    const result = computeOee({ machine: 'line8', cycles, from: local('2022-10-11T00:00'), to: local('2022-10-14T00:00'), profile, loadingIntervals: shifts });
    expectConsistent(result);
    expect(result.loadingSeconds).toBe(3 * 17 * 3600);
    // every stop is an availability loss in the ISO profile
    expect(result.availabilityLossSeconds).toBeCloseTo(result.stops.seconds, 3);
  });
});

describe('real data: Line 7, 12 Oct 2022 (lot changeover day)', () => {
  it('holds together under both built-in profiles', async () => {
    const cycles = await loadDays('Line7', ['20221012']);
    const extent = dataExtent(cycles);
    const legacy = computeOee({ machine: 'line7', cycles, ...extent, profile: BUILTIN_PROFILES['itrak-legacy'] });
    expectConsistent(legacy);
    expect(legacy.cycles).toBe(cycles.length);
    const iso = computeOee({
      machine: 'line7',
      cycles,
      from: local('2022-10-12T00:00'),
      to: local('2022-10-13T00:00'),
      profile: BUILTIN_PROFILES.iso22400,
      loadingIntervals: [{ start: local('2022-10-12T06:00'), end: local('2022-10-12T23:00') }],
    });
    expectConsistent(iso);
    expect(iso.loadingSeconds).toBe(17 * 3600);
    // ISO counts every stop as availability loss; legacy only those ≥ 60 s
    expect(iso.availabilityLossSeconds).toBeCloseTo(iso.stops.seconds, 3);
    expect(legacy.availabilityLossSeconds).toBeLessThan(legacy.stops.seconds);
  });
});
