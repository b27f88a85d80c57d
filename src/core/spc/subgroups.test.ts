import { describe, expect, it } from 'vitest';
import { findGaps, findMinuteGaps, findMinuteStuck, findSpikes, findStuck, samplingPeriod, excludedIndices } from './noise.js';
import { normalStream } from './simulate.js';
import { individuals, subgroupMinutes, subgroupSamples } from './subgroups.js';
import type { MinuteSummary, Sample } from './types.js';

const T0 = Date.UTC(2026, 0, 5, 8, 0, 0);
const every = (seconds: number, values: number[]): Sample[] => values.map((value, i) => ({ at: T0 + i * seconds * 1000, value }));

describe('rational subgroups', () => {
  it('by count: every k readings; the short tail is flagged with a reason, not used', () => {
    const groups = subgroupSamples(every(1, [1, 2, 3, 4, 6, 8, 5]), { by: 'count', size: 3 });
    expect(groups).toHaveLength(3);
    // [1,2,3]: mean 2, s = √((1+0+1)/2) = 1, R = 2
    expect(groups[0]).toMatchObject({ index: 0, n: 3, mean: 2, range: 2, min: 1, max: 3, usable: true, reason: null, afterGap: false, from: T0, to: T0 + 2000 });
    expect(groups[0].sd).toBeCloseTo(1, 12);
    // [4,6,8]: mean 6, s = √((4+0+4)/2) = 2, R = 4
    expect(groups[1]).toMatchObject({ n: 3, mean: 6, range: 4 });
    expect(groups[1].sd).toBeCloseTo(2, 12);
    expect(groups[2]).toMatchObject({ n: 1, usable: false, reason: 'only 1 sample (a subgroup needs 3 of 3)' });
  });

  it('leaves out excluded readings and never spans a gap', () => {
    // readings at 0..4 s, then 60 s later; index 1 excluded (a spike)
    const samples = [...every(1, [1, 99, 2, 3, 4]), { at: T0 + 64_000, value: 5 }, { at: T0 + 65_000, value: 6 }];
    const groups = subgroupSamples(samples, { by: 'count', size: 2 }, { exclude: new Set([1]), gapMs: 10_000 });
    expect(groups.map((g) => [g.mean, g.n, g.afterGap, g.usable])).toEqual([
      [1.5, 2, false, true], // 1, 2
      [3.5, 2, false, true], // 3, 4
      [5.5, 2, true, true], // 5, 6 after the 60 s silence
    ]);
    const split = subgroupSamples(samples, { by: 'count', size: 3 }, { exclude: new Set([1]), gapMs: 10_000 });
    // [1,2,3] then [4] cut by the gap (flagged), then [5,6] (flagged, after the gap)
    expect(split.map((g) => [g.n, g.usable, g.afterGap])).toEqual([[3, true, false], [1, false, false], [2, false, true]]);
  });

  it('by time: windows aligned to multiples of T minutes; too few readings flagged', () => {
    const samples = [
      { at: T0 + 5_000, value: 1 },
      { at: T0 + 20_000, value: 3 },
      { at: T0 + 59_999, value: 5 },
      { at: T0 + 60_000, value: 7 },
      { at: T0 + 180_000, value: 9 },
      { at: T0 + 200_000, value: 11 },
    ];
    const groups = subgroupSamples(samples, { by: 'time', minutes: 1, minSize: 2 });
    expect(groups.map((g) => [g.from - T0, g.n, g.mean, g.usable])).toEqual([[5_000, 3, 3, true], [60_000, 1, 7, false], [180_000, 2, 10, true]]);
    expect(groups[1].reason).toBe('only 1 sample (a 1-minute subgroup needs at least 2)');
    const twoMinutes = subgroupSamples(samples, { by: 'time', minutes: 2 });
    expect(twoMinutes.map((g) => g.n)).toEqual([4, 2]);
  });

  it('from minute summaries: sums combine, the range is exact, a missing stretch is a gap', () => {
    const minutes: MinuteSummary[] = [
      { minute: T0, n: 2, sum: 3, sumSq: 5, min: 1, max: 2 }, // 1, 2
      { minute: T0 + 60_000, n: 2, sum: 7, sumSq: 25, min: 3, max: 4 }, // 3, 4
      { minute: T0 + 600_000, n: 2, sum: 10, sumSq: 50, min: 5, max: 5 }, // 5, 5 after 9 minutes
    ];
    const groups = subgroupMinutes(minutes, { minutes: 2 }, { gapMinutes: 5 });
    expect(groups).toHaveLength(2);
    expect(groups[0]).toMatchObject({ n: 4, mean: 2.5, range: 3, from: T0, to: T0 + 120_000, afterGap: false });
    expect(groups[0].sd).toBeCloseTo(Math.sqrt(5 / 3), 12); // s of 1,2,3,4
    expect(groups[1]).toMatchObject({ n: 2, mean: 5, sd: 0, afterGap: true });
    expect(() => subgroupMinutes([minutes[1], minutes[0]], { minutes: 1 })).toThrow(/increasing order/);
  });

  it('individuals: one reading each, gap marked', () => {
    const samples = [...every(1, [1, 2]), { at: T0 + 30_000, value: 3 }];
    expect(individuals(samples, { gapMs: 5_000 }).map((g) => [g.mean, g.afterGap])).toEqual([[1, false], [2, false], [3, true]]);
  });

  it('by time: 30-second windows for a fast channel (whole seconds)', () => {
    // readings every 10 s from T0 (a multiple of 30 s): three per window
    const groups = subgroupSamples(every(10, [1, 2, 3, 4, 5, 6, 7]), { by: 'time', minutes: 0.5 });
    expect(groups.map((g) => [g.mean, g.n, g.from - T0])).toEqual([[2, 3, 0], [5, 3, 30_000], [7, 1, 60_000]]);
  });

  it('refuses bad plans and unordered readings with the field', () => {
    expect(() => subgroupSamples(every(1, [1]), { by: 'count', size: 0 })).toThrow(/subgroup.size/);
    expect(() => subgroupSamples(every(1, [1]), { by: 'count', size: 3, minSize: 4 })).toThrow(/subgroup.minSize/);
    expect(() => subgroupSamples(every(1, [1]), { by: 'time', minutes: 0.25 / 60 })).toThrow(/subgroup.minutes: must be a whole number of seconds/);
    expect(() => subgroupSamples(every(1, [1]), { by: 'time', minutes: 0 })).toThrow(/subgroup.minutes/);
    expect(() => subgroupMinutes([], { minutes: 0.5 })).toThrow(/subgroup.minutes: must be a whole number of minutes/);
    expect(() => subgroupSamples([{ at: 2, value: 1 }, { at: 1, value: 1 }], { by: 'count', size: 2 })).toThrow(/samples.1.at/);
    expect(() => subgroupSamples([{ at: 1, value: Number.NaN }], { by: 'count', size: 2 })).toThrow(/samples.0/);
  });
});

describe('noise findings', () => {
  // a quiet signal around 10 (±0.1 pattern)
  const quiet = Array.from({ length: 30 }, (_, i) => 10 + [0, 0.1, -0.1, 0.05, -0.05][i % 5]);

  it('a single spike is found by the median/MAD rule; a step change is not a spike', () => {
    const withSpike = [...quiet];
    withSpike[15] = 50;
    const spikes = findSpikes(every(1, withSpike));
    expect(spikes).toHaveLength(1);
    expect(spikes[0]).toMatchObject({ kind: 'spike', indices: [15], value: 50, from: T0 + 15_000 });
    expect(spikes[0].message).toMatch(/spike: one reading of 50/);
    const step = quiet.map((v, i) => (i >= 15 ? v + 20 : v));
    expect(findSpikes(every(1, step))).toEqual([]);
    // three outliers in a row are a change, not spikes (maxRun 2)
    const triple = [...quiet];
    triple[10] = triple[11] = triple[12] = 50;
    expect(findSpikes(every(1, triple))).toEqual([]);
    expect(findSpikes(every(1, quiet))).toEqual([]);
  });

  it('a spike in a quantised signal (one unit steps) and beside a stuck stretch is found, nothing else', () => {
    const steps: number[] = Array.from({ length: 60 }, (_, i) => (i < 40 ? 10 + [0, 1, 1, 0, 1, 0, 0][i % 7] : 12));
    steps[5] = 30;
    expect(findSpikes(every(1, steps)).map((f) => f.indices[0])).toEqual([5]);
  });

  it('ordinary normal readings are almost never called spikes', () => {
    const normal = normalStream(11);
    const readings = every(1, Array.from({ length: 20_000 }, () => 50 + normal()));
    expect(findSpikes(readings).length).toBeLessThanOrEqual(2); // P(|r| > 5 scale) ≈ 1e-6 per reading
    readings[777] = { ...readings[777], value: 58 };
    expect(findSpikes(readings).map((f) => f.indices[0])).toContain(777);
  });

  it('k identical readings in a row are a stuck finding', () => {
    const values = [1, 2, ...Array(12).fill(7), 3, 3];
    const stuck = findStuck(every(1, values), { minRun: 10 });
    expect(stuck).toHaveLength(1);
    expect(stuck[0]).toMatchObject({ kind: 'stuck', value: 7, from: T0 + 2000, to: T0 + 13_000 });
    expect(stuck[0].indices).toEqual(Array.from({ length: 12 }, (_, i) => i + 2));
    expect(stuck[0].message).toBe('sensor stuck: 12 identical readings of 7 in a row (not a process signal; left out)');
    expect(findStuck(every(1, values), { minRun: 13 })).toEqual([]);
    expect([...excludedIndices(stuck)]).toHaveLength(12);
  });

  it('gaps: spacings over maxPeriods sampling periods', () => {
    const samples = [...every(1, [1, 2, 3, 4]), { at: T0 + 33_000, value: 5 }, { at: T0 + 34_000, value: 6 }];
    expect(samplingPeriod(samples)).toBe(1000);
    const gaps = findGaps(samples, { maxPeriods: 5 });
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toMatchObject({ kind: 'gap', from: T0 + 3000, to: T0 + 33_000, indices: [3, 4], value: null });
    expect(gaps[0].message).toBe('gap: no reading for 30.0 s (over 5.0 s): subgroups and run rules restart after it');
    expect(findGaps(samples, { maxPeriods: 40 })).toEqual([]);
  });

  it('minute summaries: gaps between present minutes, and minutes stuck on one value', () => {
    const minute = (k: number, min: number, max: number, n = 6): MinuteSummary => ({ minute: T0 + k * 60_000, n, sum: ((min + max) / 2) * n, sumSq: 0, min, max });
    const minutes = [minute(0, 1, 2), minute(1, 4, 4), minute(2, 4, 4), minute(3, 1, 3), minute(12, 1, 2)];
    const gaps = findMinuteGaps(minutes, { maxMinutes: 5 });
    expect(gaps.map((g) => [g.from - T0, g.to - T0])).toEqual([[240_000, 720_000]]);
    const stuck = findMinuteStuck(minutes, { minRun: 10 });
    expect(stuck).toHaveLength(1);
    expect(stuck[0]).toMatchObject({ indices: [1, 2], value: 4 });
    expect(stuck[0].message).toMatch(/12 identical readings of 4/);
    expect(findMinuteStuck(minutes, { minRun: 13 })).toEqual([]);
  });
});
