// Forecasts on the real Line 8 logs, checked against values worked out here by hand: the lot's
// parts counted straight from the text (not through the parser), reworks dropped by serial, and
// the working-time walk done with the demo week's 06:30–23:00 written out (October 2022 in Los
// Angeles is PDT, UTC−7, on every day involved).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { forecastLot, MachineUnits } from './index.js';
import { DEMO_CALENDAR } from '../../testing/forecast-accuracy.js';

const SENSORS = fileURLToPath(new URL('../../../../shared/data/sensors/Line8', import.meta.url));
const FILES = ['PR20221010.txt', 'PR20221011.txt', 'PR20221012.txt'];
const ZONE = 'America/Los_Angeles';
const H = 3_600_000;
const LOT = '159070';
const QUANTITY = 190468;

/** "10/11/22 12:39:21.479" (or ";479") in PDT → UTC ms */
function pdt(stamp: string): number {
  const [date, time] = stamp.split(' ');
  const [mm, dd, yy] = date.split('/').map(Number);
  const [hh, mi, rest] = time.split(':');
  const [ss, ms] = rest.split(/[.;]/).map(Number);
  return Date.UTC(2000 + yy, mm - 1, dd, Number(hh) + 7, Number(mi), ss, ms);
}
const local = (iso: string) => Date.parse(`${iso}-07:00`);

const rows = FILES.flatMap((name) =>
  readFileSync(join(SENSORS, name), 'latin1')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.trim().split(',')),
);

function units(): MachineUnits {
  const machine = new MachineUnits();
  for (const [, lot, serial, part, stamp] of rows) machine.add({ at: pdt(stamp), lot, serial, part: part === '1' });
  return machine;
}

/** produced = parts − reworks of the lot before `before`, and the parts in [from, before) of them */
function countByHand(before: number, from = -Infinity): { produced: number; inWindow: number } {
  const seen = new Set<number>();
  let produced = 0;
  let inWindow = 0;
  for (const [, lot, serial, part, stamp] of rows) {
    if (lot !== LOT || part !== '1') continue;
    const at = pdt(stamp);
    const key = Number(serial);
    const rework = key !== 0 && seen.has(key);
    seen.add(key);
    if (rework || at >= before) continue;
    produced++;
    if (at >= from) inWindow++;
  }
  return { produced, inWindow };
}

/** Walks `hours` of working time from `at` (a working instant on `day`) over 06:30–23:00 days. */
function walk(at: number, hours: number, day: string): number {
  let left = hours * H;
  let cursor = at;
  let date = new Date(`${day}T00:00:00Z`);
  for (;;) {
    const dayEnd = local(`${date.toISOString().slice(0, 10)}T23:00:00`);
    if (cursor + left <= dayEnd) return cursor + left;
    left -= dayEnd - cursor;
    date = new Date(date.getTime() + 24 * H);
    cursor = local(`${date.toISOString().slice(0, 10)}T06:30:00`);
  }
}

const machine = units();
const ask = (at: number) => forecastLot({ at, lot: LOT, quantity: QUANTITY, standardRatePerHour: 5000, units: machine, calendar: DEMO_CALENDAR, zone: ZONE });

describe('forecasts on the real Line 8 logs, values by hand', () => {
  it('as of 11 Oct 14:30: the last 8 working hours are 06:30–14:30 of the same day', () => {
    const at = local('2022-10-11T14:30:00');
    const { produced, inWindow } = countByHand(at, local('2022-10-11T06:30:00'));
    const remaining = QUANTITY - produced;
    const result = ask(at);
    expect(result.produced).toBe(produced);
    expect(result.remaining).toBe(remaining);
    expect(result.standard.end).toBeCloseTo(walk(at, remaining / 5000, '2022-10-11'), -1);
    const rate = inWindow / 8;
    expect(result.observed.ratePerHour).toBeCloseTo(rate, 1);
    expect(result.observed.end).toBeCloseTo(walk(at, remaining / rate, '2022-10-11'), -1);
    expect(result.forecast.method).toBe('recommended');
  });

  it('as of 12 Oct 10:00: the window reaches back over the night to 18:30 of 11 Oct', () => {
    const at = local('2022-10-12T10:00:00');
    const { produced, inWindow } = countByHand(at, local('2022-10-11T18:30:00'));
    const remaining = QUANTITY - produced;
    const result = ask(at);
    expect(result.produced).toBe(produced);
    expect(result.standard.end).toBeCloseTo(walk(at, remaining / 5000, '2022-10-12'), -1);
    expect(result.observed.ratePerHour).toBeCloseTo(inWindow / 8, 1);
    expect(result.observed.end).toBeCloseTo(walk(at, remaining / (inWindow / 8), '2022-10-12'), -1);
  });

  it('as of 10 Oct 16:00, before the lot\'s first part (16:11): produced 0 and the standard estimate', () => {
    const at = local('2022-10-10T16:00:00');
    const result = ask(at);
    expect(result.produced).toBe(0);
    expect(result.remaining).toBe(QUANTITY);
    expect(result.standard.end).toBeCloseTo(walk(at, QUANTITY / 5000, '2022-10-10'), -1);
    expect(result.observed).toEqual({ end: null, ratePerHour: 0 });
    expect(result.forecast).toEqual({ end: result.standard.end, method: 'standard' });
  });
});

describe('a forecast across a DST change', () => {
  // 1 Nov 2026: Los Angeles falls back from PDT (−7) to PST (−8) at 02:00.
  const history = new MachineUnits();
  // a steady 5000/h during working time of 28–31 Oct (PDT): the learned rate is the standard rate
  for (const day of ['2026-10-28', '2026-10-29', '2026-10-30', '2026-10-31']) {
    const start = local(`${day}T06:30:00`);
    const end = day === '2026-10-31' ? local(`${day}T22:00:00`) : local(`${day}T23:00:00`);
    for (let at = start; at < end; at += 720) history.addUnit(at, 'LOT');
  }
  const at = local('2026-10-31T22:00:00');
  const made = history.lotUnits('LOT', -Infinity, at);
  const result = forecastLot({ at, lot: 'LOT', quantity: made + 15000, standardRatePerHour: 5000, units: history, calendar: DEMO_CALENDAR, zone: ZONE });

  it('standard: 1 h on 31 Oct (PDT), then 2 h from 06:30 PST on 1 Nov — 08:30−08:00, not 07:30', () => {
    expect(result.remaining).toBe(15000);
    expect(result.standard.end).toBe(Date.parse('2026-11-01T08:30:00-08:00'));
  });

  it('recommended: a machine that ran at standard is forecast to end with it, in PST', () => {
    expect(result.forecast.method).toBe('recommended');
    expect(Math.abs(result.forecast.end - Date.parse('2026-11-01T08:30:00-08:00'))).toBeLessThan(2 * 60_000);
  });
});
