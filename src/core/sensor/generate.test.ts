import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ITEMS, demoFileName, generateDay, generateDays, iterateDays, mulberry32 } from './generate.js';
import { SensorLogParser, isNoLot, type Cycle } from './parse.js';
import { parseSensorFile } from '../../testing/parse-file.js';
import { summarize, type SensorSummary } from './stats.js';

const SENSORS = fileURLToPath(new URL('../../../../shared/data/sensors/', import.meta.url));
const ZONE = 'America/Los_Angeles';
const REAL_FILES = ['Line7/PR20221010.txt', 'Line7/PR20221011.txt', 'Line7/PR20221012.txt', 'Line7/PR20221013.txt', 'Line8/PR20221010.txt', 'Line8/PR20221011.txt', 'Line8/PR20221012.txt', 'Line8/PR20221013.txt'];
/** The exact camera row: 7-digit item, digit lot and serial, 0/1, MM/DD/YY HH:MM:SS.fff */
const CAMERA_ROW = /^\d{7},\d+,\d+,[01],\d\d\/\d\d\/\d\d \d\d:\d\d:\d\d\.\d{3}$/;

function parseLines(lines: string[], file = 'generated.txt'): Cycle[] {
  const parser = new SensorLogParser({ file, zone: ZONE });
  const batch = parser.push(Buffer.from(`${lines.join('\n')}\n`));
  const last = parser.end(true);
  expect([...batch.errors, ...last.errors]).toEqual([]);
  return [...batch.cycles, ...last.cycles];
}

function localHourOf(utcMs: number): number {
  const local = DateTime.fromMillis(utcMs, { zone: ZONE });
  return local.hour + local.minute / 60;
}

describe('generateDay', () => {
  const base = { machine: 'line7', date: '2022-10-11', zone: ZONE, seed: 1 };

  it('writes rows in the exact camera format that parse without error, one cycle per row', () => {
    const lines = generateDay(base);
    expect(lines.length).toBeGreaterThan(40_000);
    const badRows = lines.filter((line) => !CAMERA_ROW.test(line));
    expect(badRows).toEqual([]);
    const cycles = parseLines(lines);
    expect(cycles).toHaveLength(lines.length);
    expect(lines[0]).toMatch(/10\/11\/22 06:\d\d:\d\d\.\d{3}$/);
  });

  it('is deterministic for a seed and differs between seeds and machines', () => {
    expect(generateDay(base)).toEqual(generateDay(base));
    const otherSeed = generateDay({ ...base, seed: 2 });
    const otherMachine = generateDay({ ...base, machine: 'line8' });
    expect(otherSeed.slice(0, 200)).not.toEqual(generateDay(base).slice(0, 200));
    expect(otherMachine.slice(0, 200)).not.toEqual(generateDay(base).slice(0, 200));
  });

  it('models a plant day: ~06:00 to ~23:00, breaks, one or two long stoppages, clock steps back', () => {
    for (const date of ['2022-10-10', '2022-10-11', '2022-10-12', '2022-10-13', '2022-10-14']) {
      const cycles = parseLines(generateDay({ ...base, date }));
      const summary = summarize(cycles);
      expect(localHourOf(summary.firstAt ?? 0)).toBeGreaterThanOrEqual(6);
      expect(localHourOf(summary.firstAt ?? 0)).toBeLessThan(6.3);
      expect(localHourOf(summary.lastAt ?? 0)).toBeGreaterThan(22.3);
      expect(localHourOf(summary.lastAt ?? 0)).toBeLessThan(23);
      const gapsMinutes: number[] = [];
      let largestStepBack = 0;
      for (let i = 1; i < cycles.length; i++) {
        const gap = cycles[i].at - cycles[i - 1].at;
        gapsMinutes.push(gap / 60_000);
        largestStepBack = Math.max(largestStepBack, -gap);
      }
      expect(gapsMinutes.filter((minutes) => minutes >= 29).length).toBeGreaterThanOrEqual(1);
      expect(gapsMinutes.filter((minutes) => minutes >= 8).length).toBeGreaterThanOrEqual(4); // breaks
      expect(summary.gapsBackwards).toBeGreaterThanOrEqual(3);
      expect(summary.gapsBackwards).toBeLessThanOrEqual(6);
      expect(largestStepBack).toBeLessThanOrEqual(1600);
      // every stop class occurs, like on the real lines
      expect(summary.stopsByClass.every((stopClass) => stopClass.count > 0)).toBe(true);
    }
  });

  it('runs the lots it is given, in order, with their first serials and changeover time', () => {
    const lines = generateDay({
      ...base,
      lots: [
        { item: '1330700', lot: '159070', firstSerial: 137_000 },
        { item: '1169100', lot: '159391', startsAt: '14:00' },
      ],
    });
    const cycles = parseLines(lines);
    const lots = summarize(cycles).lots;
    expect(lots.map((run) => `${run.item}/${run.lot}`)).toEqual(['1330700/159070', '1169100/159391']);
    expect(localHourOf(lots[0].last)).toBeLessThan(14.05);
    expect(localHourOf(lots[1].first)).toBeGreaterThan(14.5); // after the changeover stop
    const serialsOf = (lot: string) => cycles.filter((cycle) => cycle.lot === lot).map((cycle) => Number(cycle.serial));
    expect(serialsOf('159070')[0]).toBe(137_000);
    expect(Math.min(...serialsOf('159391'))).toBe(1);
  });

  it('leaves out what happens after `until`: today’s file is a prefix of the full day', () => {
    const full = generateDay(base);
    const until = DateTime.fromISO('2022-10-11T12:00', { zone: ZONE }).toMillis();
    const partial = generateDay({ ...base, until });
    expect(partial.length).toBeGreaterThan(1000);
    expect(partial.length).toBeLessThan(full.length);
    expect(full.slice(0, partial.length)).toEqual(partial);
    expect(parseLines(partial).every((cycle) => cycle.at < until)).toBe(true);
    expect(generateDay({ ...base, until: DateTime.fromISO('2022-10-11T05:00', { zone: ZONE }).toMillis() })).toEqual([]);
    expect(generateDay({ ...base, until: DateTime.fromISO('2022-10-12T05:00', { zone: ZONE }).toMillis() })).toEqual(full);
  });

  it('rejects bad options with a message naming the value', () => {
    expect(() => generateDay({ ...base, date: '2022-02-30' })).toThrow(/2022-02-30/);
    expect(() => generateDay({ ...base, zone: 'Atlantis/Capital' })).toThrow(/Atlantis/);
    expect(() => generateDay({ ...base, lots: [{ item: 'ABC', lot: '1' }] })).toThrow(/ABC/);
    expect(() => generateDay({ ...base, lots: [{ item: '1', lot: '1' }, { item: '2', lot: '2', startsAt: '25:00' }] })).toThrow(/25:00/);
    expect(() => generateDay({ ...base, lots: [] })).toThrow(/at least one/);
    expect(() => generateDay({ ...base, lots: [{ item: '1', lot: '1' }, { item: '2', lot: '2', startsAt: '15:00' }, { item: '3', lot: '3', startsAt: '14:00' }] })).toThrow(/later than/);
    expect(() => generateDay({ ...base, machine: ' ' })).toThrow(/machine/);
  });
});

describe('generateDays', () => {
  const opts = { machine: 'line8', endDate: '2026-03-10', days: 6, zone: ZONE, seed: 5 };

  it('gives consecutive days ending with endDate, named like the camera names them', () => {
    const days = generateDays(opts);
    expect(days.map((day) => day.date)).toEqual(['2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08', '2026-03-09', '2026-03-10']);
    expect(days.map((day) => day.fileName)).toEqual(['PR20260305.txt', 'PR20260306.txt', 'PR20260307.txt', 'PR20260308.txt', 'PR20260309.txt', 'PR20260310.txt']);
    expect(demoFileName('2022-10-11')).toBe('PR20221011.txt');
  });

  it('makes each day exactly as generateDay alone would (lots and serials carry over by themselves)', () => {
    const days = generateDays(opts);
    for (const day of [days[0], days[3], days[5]]) {
      expect(generateDay({ machine: opts.machine, date: day.date, zone: ZONE, seed: opts.seed })).toEqual(day.lines);
    }
    expect([...iterateDays(opts)]).toEqual(days);
  });

  it('continues serials across days and changes lots every few days, without false reworks', () => {
    const days = generateDays({ ...opts, days: 10 });
    const perDay = days.map((day) => parseLines(day.lines, day.fileName));
    const all = perDay.flat();
    // Over 10 days lots change a few times, each lot lasting no more than ~4 days.
    const runs = summarize(all).lots;
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(new Set(runs.map((run) => run.lot)).size).toBe(runs.length);
    for (const run of runs) {
      expect(run.lot).toMatch(/^\d{6}$/);
      expect(Number(run.lot)).toBeGreaterThan(150_000);
      expect(Number(run.lot)).toBeLessThan(170_000);
      expect(DEMO_ITEMS).toContain(run.item);
      expect(run.last - run.first).toBeLessThan(4.7 * 86_400_000);
    }
    // Reworks never span days: the multi-day count is the sum of the daily ones.
    const dailyReworks = perDay.reduce((sum, cycles) => sum + summarize(cycles).reworks, 0);
    expect(summarize(all).reworks).toBe(dailyReworks);
    // A lot running over midnight continues with the next serial.
    for (let i = 1; i < perDay.length; i++) {
      const lastLot = [...perDay[i - 1]].reverse().find((cycle) => cycle.part && !isNoLot(cycle.lot));
      const firstOfSameLot = perDay[i].find((cycle) => cycle.part && cycle.lot === lastLot?.lot);
      if (lastLot === undefined || firstOfSameLot === undefined) continue;
      const maxSerialBefore = Math.max(...perDay[i - 1].filter((cycle) => cycle.lot === lastLot.lot).map((cycle) => Number(cycle.serial)));
      expect(Number(firstOfSameLot.serial)).toBe(maxSerialBefore + 1);
    }
  });

  it('never gives two demo machines the same lot', () => {
    const lotsByMachine = ['line7', 'line8', 'line9', 'line10'].map((machine) => {
      const lots = new Set<string>();
      for (const day of generateDays({ machine, endDate: '2026-01-31', days: 6, zone: ZONE, seed: 1 })) {
        for (const line of day.lines) lots.add(line.split(',')[1]);
      }
      return [...lots].filter((lot) => !isNoLot(lot));
    });
    const all = lotsByMachine.flat();
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('mulberry32', () => {
  it('is a deterministic uniform stream in [0, 1)', () => {
    const a = mulberry32(123);
    const b = mulberry32(123);
    const values = Array.from({ length: 10_000 }, () => a());
    expect(Array.from({ length: 10_000 }, () => b())).toEqual(values);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
  });
});

describe('calibration against the real logs', () => {
  interface Profile {
    runningRate: number;
    emptyFraction: number;
    reworkFraction: number;
    availability: number;
  }
  const profileOf = (summaries: SensorSummary[]): Profile => {
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    return {
      runningRate: mean(summaries.map((summary) => summary.runningRatePerMinute)),
      emptyFraction: mean(summaries.map((summary) => summary.emptyCycles / summary.cycles)),
      reworkFraction: mean(summaries.map((summary) => summary.reworks / summary.parts)),
      availability: mean(summaries.map((summary) => summary.availability ?? 0)),
    };
  };
  let realProfile: Profile;
  let generatedProfile: Profile;

  beforeAll(async () => {
    const real = await Promise.all(REAL_FILES.map(async (name) => summarize((await parseSensorFile(join(SENSORS, name), ZONE)).cycles)));
    realProfile = profileOf(real);
    const generated = generateDays({ machine: 'line7', endDate: '2022-10-13', days: 4, zone: ZONE, seed: 1 }).map((day) => summarize(parseLines(day.lines, day.fileName)));
    generatedProfile = profileOf(generated);
  });

  afterAll(() => {
    console.table({
      'real (mean of 8 files)': realProfile,
      'generated (4 days)': generatedProfile,
    });
  });

  it('running rate within ±10 % of the real mean', () => {
    expect(Math.abs(generatedProfile.runningRate / realProfile.runningRate - 1)).toBeLessThanOrEqual(0.1);
  });

  it('empty-pocket fraction within a factor of 2', () => {
    const ratio = generatedProfile.emptyFraction / realProfile.emptyFraction;
    expect(ratio).toBeGreaterThanOrEqual(0.5);
    expect(ratio).toBeLessThanOrEqual(2);
  });

  it('rework fraction within a factor of 2', () => {
    const ratio = generatedProfile.reworkFraction / realProfile.reworkFraction;
    expect(ratio).toBeGreaterThanOrEqual(0.5);
    expect(ratio).toBeLessThanOrEqual(2);
  });

  it('availability between 0.7 and 0.9', () => {
    expect(generatedProfile.availability).toBeGreaterThanOrEqual(0.7);
    expect(generatedProfile.availability).toBeLessThanOrEqual(0.9);
  });
});
