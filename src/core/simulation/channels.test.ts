import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { CalendarSpec, WeekPattern } from '../calendar/index.js';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE } from '../time.js';
import { channelSamples, DEMO_CHANNELS, demoFilmDrift, filmDriftAt, initialChannelSim, microStopMultiplierOf, naturalSd, type ChannelSample, type ChannelSim, type DemoChannelKey } from './channels.js';
import { initialMachineSim, simulateMachine, type SimCycle, type SimJob } from './simulate.js';

const ZONE = 'America/Los_Angeles';
const twoShifts: [string, string][] = [
  ['06:30', '14:45'],
  ['14:45', '23:00'],
];
const WEEK: WeekPattern = { mon: twoShifts, tue: twoShifts, wed: twoShifts, thu: twoShifts, fri: twoShifts, sat: twoShifts, sun: twoShifts };
const CALENDAR: CalendarSpec = { default: WEEK, weeks: {}, holidays: [] };
const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();
const JOBS: SimJob[] = [{ lot: '160101', item: '1169100', quantity: 50_000_000, produced: 0 }];
const FILM = DEMO_CHANNELS.find((c) => c.key === 'film-thickness')!;
const SEAL = DEMO_CHANNELS.find((c) => c.key === 'seal-bar-temperature')!;
const T0 = local('2026-12-01T00:00');

const valuesOf = (samples: readonly ChannelSample[], key: DemoChannelKey) => samples.filter((s) => s.channel === key);
const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const sd = (xs: readonly number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
};
/** Runs of identical consecutive values: [first index, length]. */
function runsOf(values: readonly number[], minimum: number): [number, number][] {
  const runs: [number, number][] = [];
  let start = 0;
  for (let i = 1; i <= values.length; i++) {
    if (i < values.length && values[i] === values[start]) continue;
    if (i - start >= minimum) runs.push([start, i - start]);
    start = i;
  }
  return runs;
}
/** The samples without spikes (beyond `limit` from target) and without stuck spells. */
function cleaned(samples: readonly ChannelSample[], target: number, limit: number): number[] {
  const values = samples.map((s) => s.value);
  const stuck = new Set<number>();
  for (const [start, length] of runsOf(values, 30)) for (let i = start + 1; i < start + length; i++) stuck.add(i);
  return values.filter((v, i) => !stuck.has(i) && Math.abs(v - target) <= limit);
}

function simulate(machine: string, seed: number, from: number, until: number, multiplier?: (at: number) => number): SimCycle[] {
  return simulateMachine({ state: initialMachineSim(machine, seed, from), jobs: JOBS, calendar: CALENDAR, zone: ZONE, until, microStopMultiplier: multiplier }).cycles;
}

describe('DEMO_CHANNELS', () => {
  it('specs film thickness 0.125 ± 0.004 mm with Cpk ≈ 1.9 centred, and the seal bar at 185 °C, one sample every 10 s', () => {
    expect(FILM).toMatchObject({ unit: 'mm', target: 0.125, lsl: 0.121, usl: 0.129, samplePeriodSeconds: 10 });
    expect(SEAL).toMatchObject({ unit: '°C', target: 185, samplePeriodSeconds: 10 });
    expect(naturalSd('film-thickness')).toBeCloseTo(0.0007, 4);
    expect((FILM.usl - FILM.target) / (3 * naturalSd('film-thickness'))).toBeGreaterThan(1.8);
    expect((FILM.usl - FILM.target) / (3 * naturalSd('film-thickness'))).toBeLessThan(2);
    expect(naturalSd('seal-bar-temperature')).toBeCloseTo(0.6, 1);
  });
});

describe('channelSamples over a stable week', () => {
  const end = T0 + 7 * MS_PER_DAY;
  const { samples } = channelSamples(initialChannelSim('line6', 1, T0), T0, end, CALENDAR, ZONE);
  const film = valuesOf(samples, 'film-thickness');
  const sigma = naturalSd('film-thickness');

  it('samples every 10 s of working time only (06:30–23:00 plant time), with dropout gaps', () => {
    expect(film.length).toBeGreaterThan(0.95 * 7 * 16.5 * 360);
    expect(film.length).toBeLessThanOrEqual(7 * 16.5 * 360);
    // no daylight-saving change in this week: one offset (PST) for the plant's clock
    const offset = DateTime.fromMillis(T0, { zone: ZONE }).offset * MS_PER_MINUTE;
    expect(DateTime.fromMillis(end, { zone: ZONE }).offset * MS_PER_MINUTE).toBe(offset);
    const outside = samples.filter((sample) => {
      const minuteOfDay = (((sample.at + offset) % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY / MS_PER_MINUTE;
      return sample.at % 10_000 !== 0 || minuteOfDay < 6.5 * 60 || minuteOfDay >= 23 * 60;
    });
    expect(outside).toEqual([]);
    const gaps = film.slice(1).map((s, i) => s.at - film[i].at);
    const dropouts = gaps.filter((g) => g > 10_000 && g <= 16 * MS_PER_MINUTE);
    expect(dropouts.length).toBeGreaterThanOrEqual(3);
    expect(dropouts.length).toBeLessThanOrEqual(15);
  });

  it('has the mean on target and the natural sd once spikes and stuck spells are removed', () => {
    const clean = cleaned(film, FILM.target, 6 * sigma);
    expect(Math.abs(mean(clean) - FILM.target)).toBeLessThan(0.0002);
    expect(sd(clean)).toBeGreaterThan(0.8 * 0.0007);
    expect(sd(clean)).toBeLessThan(1.2 * 0.0007);
  });

  it('spikes single samples by ±10 sd about once per 2000 samples', () => {
    const spikes = film.filter((s) => Math.abs(s.value - FILM.target) > 6 * sigma);
    expect(spikes.length / film.length).toBeGreaterThan(1 / 4000);
    expect(spikes.length / film.length).toBeLessThan(1 / 1000);
    for (const spike of spikes) expect(Math.abs(Math.abs(spike.value - FILM.target) - 10 * sigma)).toBeLessThan(5 * sigma);
    expect(spikes.some((s) => s.value > FILM.target)).toBe(true);
    expect(spikes.some((s) => s.value < FILM.target)).toBe(true);
    // single samples: the neighbours of a spike are back in the natural band
    const index = new Map(film.map((s, i) => [s.at, i]));
    for (const spike of spikes) {
      const i = index.get(spike.at)!;
      if (i > 0) expect(Math.abs(film[i - 1].value - FILM.target)).toBeLessThan(6 * sigma);
      if (i + 1 < film.length) expect(Math.abs(film[i + 1].value - FILM.target)).toBeLessThan(6 * sigma);
    }
  });

  it('sticks now and then: runs of ≥ 30 identical values (30–120 repeats), about one per 2 days, and no shorter runs by chance', () => {
    const values = film.map((s) => s.value);
    const spells = runsOf(values, 30);
    expect(spells.length).toBeGreaterThanOrEqual(1);
    expect(spells.length).toBeLessThanOrEqual(10);
    for (const [, length] of spells) expect(length).toBeLessThanOrEqual(121);
    expect(runsOf(values, 4).length).toBe(spells.length);
  });

  it('gives another stream with another seed or machine', () => {
    const other = channelSamples(initialChannelSim('line6', 2, T0), T0, T0 + MS_PER_DAY, CALENDAR, ZONE).samples;
    const otherMachine = channelSamples(initialChannelSim('line7', 1, T0), T0, T0 + MS_PER_DAY, CALENDAR, ZONE).samples;
    const mine = samples.filter((s) => s.at < T0 + MS_PER_DAY);
    expect(other).not.toEqual(mine);
    expect(otherMachine).not.toEqual(mine);
  });
});

describe('the seal bar and the machine’s stops', () => {
  const end = T0 + 2 * MS_PER_DAY;
  const cycles = simulate('line7', 3, T0, end);
  const temperature = valuesOf(channelSamples(initialChannelSim('line7', 3, T0), T0, end, CALENDAR, ZONE, cycles).samples, 'seal-bar-temperature');
  // the machine's stands: no cycle for ≥ 2 min, from 2 min after the last cycle to the next
  const stands: [number, number][] = [];
  for (let i = 1; i < cycles.length; i++) if (cycles[i].at - cycles[i - 1].at >= 2 * MS_PER_MINUTE) stands.push([cycles[i - 1].at + 2 * MS_PER_MINUTE, cycles[i].at]);
  const near = (at: number, window: number) => temperature.filter((s) => s.at >= at - window && s.at < at).map((s) => s.value);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

  it('drops ~8 °C during a long stop and recovers within ~10 min of the restart', () => {
    const long = stands.filter(([from, to]) => to - from >= 28 * MS_PER_MINUTE && DateTime.fromMillis(from, { zone: ZONE }).hour >= 7);
    expect(long.length).toBeGreaterThanOrEqual(2);
    for (const [, restart] of long) {
      const atRestart = median(near(restart, MS_PER_MINUTE));
      expect(atRestart).toBeLessThan(SEAL.target - 6);
      expect(atRestart).toBeGreaterThan(SEAL.target - 10);
      const after = near(restart + 12 * MS_PER_MINUTE, MS_PER_MINUTE);
      if (after.length > 0 && !stands.some(([from]) => from > restart && from < restart + 12 * MS_PER_MINUTE)) expect(Math.abs(median(after) - SEAL.target)).toBeLessThan(1.5);
    }
  });

  it('is on target with its natural sd while the machine has run for 20 min', () => {
    const steady = temperature.filter((s) => !stands.some(([from, to]) => s.at >= from && s.at < to + 20 * MS_PER_MINUTE) && s.at > cycles[0].at + 20 * MS_PER_MINUTE);
    const standing = temperature.filter((s) => stands.some(([from, to]) => s.at >= from + 10 * MS_PER_MINUTE && s.at < to));
    expect(steady.length).toBeGreaterThan(2_000);
    const clean = cleaned(steady, SEAL.target, 4);
    expect(Math.abs(mean(clean) - SEAL.target)).toBeLessThan(0.15);
    expect(sd(clean)).toBeGreaterThan(0.8 * 0.6);
    expect(sd(clean)).toBeLessThan(1.2 * 0.6);
    // standing ≥ 10 min: colder than any steady stretch
    expect(mean(cleaned(standing, SEAL.target - 6, 5))).toBeLessThan(SEAL.target - 4);
  });
});

describe('the drifting film on line9', () => {
  const days = 5;
  const end = T0 + days * MS_PER_DAY;
  // the rate itself, not levelling off within the 5 days
  const drifting = initialChannelSim('line9', 4, T0, demoFilmDrift(T0, null));
  const steady = initialChannelSim('line9', 4, T0);
  const dailyMeans = (state: ChannelSim) => {
    const film = valuesOf(channelSamples(state, T0, end, CALENDAR, ZONE).samples, 'film-thickness');
    return Array.from({ length: days }, (_, day) => {
      const ofDay = film.filter((s) => s.at >= T0 + day * MS_PER_DAY && s.at < T0 + (day + 1) * MS_PER_DAY);
      const centre = mean(ofDay.map((s) => s.value));
      return mean(cleaned(ofDay, centre, 0.004));
    });
  };

  it('moves the daily mean up by ~0.0015 mm a day; the same seed without drift stays on target', () => {
    const means = dailyMeans(drifting);
    for (let day = 1; day < days; day++) expect(means[day]).toBeGreaterThan(means[day - 1]);
    const perDay = (means[days - 1] - means[0]) / (days - 1);
    expect(perDay).toBeGreaterThan(0.0012);
    expect(perDay).toBeLessThan(0.0018);
    for (const m of dailyMeans(steady)) expect(Math.abs(m - FILM.target)).toBeLessThan(0.0002);
  });

  it('raises the micro-stop multiplier with the excess thickness: ×(1 + 3 · excess / 0.004)', () => {
    const multiplier = microStopMultiplierOf(drifting);
    expect(multiplier(T0 - MS_PER_HOUR)).toBe(1);
    expect(multiplier(T0)).toBe(1);
    expect(multiplier(T0 + MS_PER_DAY)).toBeCloseTo(1 + (3 * 0.0015) / 0.004, 9);
    expect(microStopMultiplierOf(steady)(T0 + 3 * MS_PER_DAY)).toBe(1);
  });

  it('levels off at +0.005 mm in the demo drift', () => {
    const drift = demoFilmDrift(T0);
    expect(filmDriftAt(drift, T0 + 2 * MS_PER_DAY)).toBeCloseTo(0.003, 12);
    expect(filmDriftAt(drift, T0 + 4 * MS_PER_DAY)).toBeCloseTo(0.005, 12);
    expect(filmDriftAt(drift, T0 + 30 * MS_PER_DAY)).toBe(0.005);
    expect(microStopMultiplierOf(initialChannelSim('line9', 4, T0, drift))(T0 + 30 * MS_PER_DAY)).toBeCloseTo(4.75, 9);
    expect(filmDriftAt(demoFilmDrift(T0, null), T0 + 30 * MS_PER_DAY)).toBeCloseTo(0.045, 12);
  });

  it('makes the camera data show more micro-stops per running hour after 3 days than the same line without drift', () => {
    const from = T0 + 3 * MS_PER_DAY;
    const microStopsPerRunningHour = (cycles: SimCycle[]) => {
      const gaps = cycles.filter((c) => c.at >= from).map((c, i, all) => (i === 0 ? 0 : c.at - all[i - 1].at));
      const micro = gaps.filter((g) => g >= 1_500 && g < 12_000).length;
      const runningMs = gaps.filter((g) => g < 60_000).reduce((s, g) => s + g, 0);
      return micro / (runningMs / MS_PER_HOUR);
    };
    const withDrift = microStopsPerRunningHour(simulate('line9', 4, T0, end, microStopMultiplierOf(drifting)));
    const without = microStopsPerRunningHour(simulate('line9', 4, T0, end));
    expect(without).toBeGreaterThan(5);
    expect(without).toBeLessThan(40);
    expect(withDrift).toBeGreaterThan(5 * without);
  });

  it('leaves the simulator as it was at ×1: the cycles before the drift starts are the same as without the hook', () => {
    const start = T0 + MS_PER_DAY + 8 * MS_PER_HOUR;
    const before = simulate('line9', 4, T0, start, microStopMultiplierOf(initialChannelSim('line9', 4, T0, demoFilmDrift(start))));
    expect(before).toEqual(simulate('line9', 4, T0, start));
    expect(before.length).toBeGreaterThan(100_000);
    expect(() => simulate('line9', 4, T0 + 7 * MS_PER_HOUR, T0 + 8 * MS_PER_HOUR, () => Number.NaN)).toThrow(RangeError);
  });
});

describe('channelSamples is deterministic', () => {
  it('gives the same samples and state in one go as in ticks of any size (state through JSON between ticks)', () => {
    // a day and a half: a night, the shift change, breaks and long stops of the machine
    const start = local('2026-12-02T12:00');
    const end = local('2026-12-04T00:00');
    const cycles = simulate('line9', 7, start, end);
    const drift = demoFilmDrift(start - MS_PER_DAY);
    const once = channelSamples(initialChannelSim('line9', 7, start, drift), start, end, CALENDAR, ZONE, cycles);
    expect(once.samples.length).toBeGreaterThan(18_000);

    // [t0, t1) + [t1, t2) with t1 mid-shift, off a sample instant
    const t1 = local('2026-12-03T09:17:03.5');
    const first = channelSamples(initialChannelSim('line9', 7, start, drift), start, t1, CALENDAR, ZONE, cycles.filter((c) => c.at < t1));
    const second = channelSamples(first.state, t1, end, CALENDAR, ZONE, cycles.filter((c) => c.at >= t1));
    expect([...first.samples, ...second.samples]).toEqual(once.samples);
    expect(second.state).toEqual(once.state);

    // irregular ticks of 7 min 13.3 s, the state serialised between them as the runner stores it
    let state: ChannelSim = initialChannelSim('line9', 7, start, drift);
    const ticked: ChannelSample[] = [];
    for (let from = start; from < end; ) {
      const to = Math.min(from + 433_300, end);
      const step = channelSamples(state, from, to, CALENDAR, ZONE, cycles.filter((c) => c.at >= from && c.at < to));
      ticked.push(...step.samples);
      state = JSON.parse(JSON.stringify(step.state)) as ChannelSim;
      from = to;
    }
    expect(ticked).toEqual(once.samples);
    expect(state).toEqual(once.state);
  });

  it('does not sample an instant twice when asked again for time already done', () => {
    const first = channelSamples(initialChannelSim('line6', 1, T0), T0, T0 + MS_PER_DAY, CALENDAR, ZONE);
    const again = channelSamples(first.state, T0 + 12 * MS_PER_HOUR, T0 + MS_PER_DAY, CALENDAR, ZONE);
    expect(again.samples).toEqual([]);
    expect(again.state).toEqual(first.state);
  });
});
