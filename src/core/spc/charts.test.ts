import { describe, expect, it } from 'vitest';
import { ewmaChart, imrChart, rangeChart, sdChart, xbarChart } from './charts.js';
import { spcConstants } from './constants.js';
import { estimateLimits } from './limits.js';
import { individuals, subgroupSamples } from './subgroups.js';
import type { Sample, Subgroup } from './types.js';

const T0 = Date.UTC(2026, 0, 5, 8, 0, 0);
const samplesOf = (values: number[]): Sample[] => values.map((value, i) => ({ at: T0 + i * 1000, value }));

/** 20 subgroups of 3: ten of [9, 10, 11] (x̄ 10) and ten of [10, 11, 12] (x̄ 11); R = 2 and s = 1 throughout. */
function baseline(): Subgroup[] {
  const values: number[] = [];
  for (let k = 0; k < 20; k++) values.push(...(k % 2 === 0 ? [9, 10, 11] : [10, 11, 12]));
  return subgroupSamples(samplesOf(values), { by: 'count', size: 3 });
}

describe('limits from a baseline', () => {
  it('R̄/d2 and S̄/c4 worked by hand', () => {
    const r = estimateLimits(baseline(), 'rbar-d2');
    expect(r.centre).toBeCloseTo(10.5, 12);
    expect(r.sigma).toBeCloseTo(2 / 1.692569, 6); // R̄ / d2(3)
    expect(r).toMatchObject({ sigmaMethod: 'rbar-d2', subgroupSize: 3, subgroups: 20, excludedSubgroups: 0, from: T0, to: T0 + 59_000 });
    expect(r.degreesOfFreedom).toBeCloseTo(20 * 0.9 * 2, 9);
    const s = estimateLimits(baseline(), 'sbar-c4');
    expect(s.sigma).toBeCloseTo(1 / 0.886227, 5); // S̄ / c4(3)
    expect(s.degreesOfFreedom).toBe(40);
  });

  it('drops subgroups beyond the preliminary limits once (Phase I revision), unless told not to', () => {
    const groups = [...baseline(), ...subgroupSamples(samplesOf([30, 31, 32]), { by: 'count', size: 3 }).map((g) => ({ ...g, index: 20 }))];
    const revised = estimateLimits(groups, 'rbar-d2');
    expect(revised.centre).toBeCloseTo(10.5, 12);
    expect(revised.excludedSubgroups).toBe(1);
    const raw = estimateLimits(groups, 'rbar-d2', { revise: false });
    expect(raw.centre).toBeCloseTo((10.5 * 60 + 31 * 3) / 63, 12);
  });

  it('refuses fewer than 20 usable subgroups, saying how many', () => {
    const groups = baseline().slice(0, 19);
    expect(() => estimateLimits(groups, 'rbar-d2')).toThrow('baseline: the baseline has 19 usable subgroups; at least 20 are needed');
    const flagged = [...groups, { ...groups[0], index: 19, n: 1, usable: false, reason: 'only 1 sample' }];
    expect(() => estimateLimits(flagged, 'sbar-c4')).toThrow('the baseline has 19 usable subgroups (1 too small left out); at least 20 are needed');
    const flat = subgroupSamples(samplesOf(Array(60).fill(5)), { by: 'count', size: 3 });
    expect(() => estimateLimits(flat, 'sbar-c4')).toThrow(/σ̂ = 0/);
  });

  it('MR̄/d2 from individuals, never across a gap', () => {
    // 1, 3 alternating: every moving range is 2 → σ̂ = 2 / 1.128379
    const values = Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? 1 : 3));
    const samples = samplesOf(values);
    samples[12] = { at: T0 + 600_000, value: 20 };
    for (let i = 13; i < 24; i++) samples[i] = { at: T0 + 600_000 + (i - 12) * 1000, value: values[i] };
    const limits = estimateLimits(individuals(samples, { gapMs: 10_000 }), 'mrbar-d2', { revise: false });
    // moving ranges: 11 of 2 before the gap, none across it, then |3 − 20| = 17 and 10 of 2
    expect(limits.sigma).toBeCloseTo((21 * 2 + 17) / 22 / 1.128379, 6);
  });
});

describe('charts with frozen limits', () => {
  const limits = { centre: 10.5, sigma: 2 / 1.692569, subgroupSize: 3 };

  it('X̄ and R match X̄̄ ± A2·R̄, D3·R̄ … D4·R̄ for one n', () => {
    const k = spcConstants(3);
    const xbar = xbarChart(baseline(), limits);
    expect(xbar.kind).toBe('xbar');
    expect(xbar.points).toHaveLength(20);
    expect(xbar.points[0]).toMatchObject({ subgroup: 0, at: T0, n: 3, value: 10, centre: 10.5, outside: false, afterGap: false });
    expect(xbar.points[0].ucl).toBeCloseTo(10.5 + k.A2 * 2, 9);
    expect(xbar.points[0].lcl).toBeCloseTo(10.5 - k.A2 * 2, 9);
    expect(xbar.points[0].ucl).toBeCloseTo(10.5 + 1.023 * 2, 2); // textbook A2(3) = 1.023
    const range = rangeChart(baseline(), limits);
    expect(range.centre).toBeCloseTo(2, 9);
    expect(range.points[0].ucl).toBeCloseTo(k.D4 * 2, 9);
    expect(range.points[0].ucl).toBeCloseTo(2.574 * 2, 2);
    expect(range.points[0].lcl).toBe(0);
  });

  it('S chart: B3·S̄ … B4·S̄ for one n; and the limits follow each point’s n', () => {
    const sLimits = { centre: 10.5, sigma: 1 / spcConstants(3).c4 };
    const s = sdChart(baseline(), sLimits);
    expect(s.points[0].centre).toBeCloseTo(1, 9);
    expect(s.points[0].ucl).toBeCloseTo(spcConstants(3).B4, 9);
    expect(s.points[0].ucl).toBeCloseTo(2.568, 3);
    const mixed = subgroupSamples(samplesOf([1, 2, 3, 4, 5, 6, 7, 8, 9]), { by: 'count', size: 6, minSize: 3 });
    const xbar = xbarChart(mixed, { centre: 5, sigma: 1 });
    expect(xbar.points.map((p) => p.n)).toEqual([6, 3]);
    expect(xbar.points[0].ucl).toBeCloseTo(5 + 3 / Math.sqrt(6), 12);
    expect(xbar.points[1].ucl).toBeCloseTo(5 + 3 / Math.sqrt(3), 12);
  });

  it('flagged subgroups are skipped with their reason, not plotted', () => {
    const groups = subgroupSamples(samplesOf([1, 2, 3, 4]), { by: 'count', size: 3 });
    const chart = xbarChart(groups, { centre: 2, sigma: 1 });
    expect(chart.points).toHaveLength(1);
    expect(chart.skipped).toEqual([{ subgroup: 1, at: T0 + 3000, reason: 'only 1 sample (a subgroup needs 3 of 3)' }]);
  });

  it('I–MR worked by hand: MR̄ = 2 → σ̂ = 1.7725, MR UCL = 3.267·MR̄; none across a gap', () => {
    const samples = samplesOf([1, 3, 2, 5]);
    samples.push({ at: T0 + 60_000, value: 9 });
    const groups = individuals(samples, { gapMs: 10_000 });
    const sigma = 2 / 1.128379;
    const { location, dispersion } = imrChart(groups, { centre: 2.75, sigma });
    expect(location.points.map((p) => p.value)).toEqual([1, 3, 2, 5, 9]);
    expect(location.points[0].ucl).toBeCloseTo(2.75 + 3 * sigma, 9);
    expect(location.points[4].outside).toBe(true); // 9 > 2.75 + 5.32
    expect(dispersion.points.map((p) => p.value)).toEqual([2, 1, 3]); // no range from 5 to 9 across the gap
    expect(dispersion.points[0].ucl).toBeCloseTo(3.267 * 2, 2);
    expect(dispersion.centre).toBeCloseTo(2, 6);
  });

  it('EWMA worked by hand, with time-varying limits towards the asymptote and a restart after a gap', () => {
    // λ = 0.5, L = 3, μ = 0, σ = 1: z = 1, 0.5, −0.75; Var = 0.25, 0.3125, 0.328125
    const samples = samplesOf([2, 0, -2]);
    samples.push({ at: T0 + 60_000, value: 2 });
    const chart = ewmaChart(individuals(samples, { gapMs: 10_000 }), { centre: 0, sigma: 1 }, { lambda: 0.5, width: 3 });
    expect(chart.points.map((p) => p.value)).toEqual([1, 0.5, -0.75, 1]);
    expect(chart.points[0].ucl).toBeCloseTo(3 * Math.sqrt(0.25), 12);
    expect(chart.points[1].ucl).toBeCloseTo(3 * Math.sqrt(0.3125), 12);
    expect(chart.points[2].lcl).toBeCloseTo(-3 * Math.sqrt(0.328125), 12);
    expect(chart.points[3].ucl).toBeCloseTo(1.5, 12); // restarted
    // the closed form σ√(λ/(2−λ)(1−(1−λ)^2i)) for one n, and the asymptote
    const long = ewmaChart(individuals(samplesOf(Array(60).fill(0))), { centre: 0, sigma: 1 }, { lambda: 0.2, width: 3 });
    for (const i of [1, 5, 20]) expect(long.points[i - 1].ucl).toBeCloseTo(3 * Math.sqrt((0.2 / 1.8) * (1 - 0.8 ** (2 * i))), 12);
    expect(long.points[59].ucl).toBeCloseTo(3 * Math.sqrt(0.2 / 1.8), 6);
  });

  it('refuses bad limits and R charts over n = 25', () => {
    expect(() => xbarChart(baseline(), { centre: 0, sigma: 0 })).toThrow(/limits.sigma/);
    expect(() => ewmaChart(baseline(), { centre: 0, sigma: 1 }, { lambda: 1.5 })).toThrow(/ewma.lambda/);
    const big = subgroupSamples(samplesOf(Array.from({ length: 30 }, (_, i) => i)), { by: 'count', size: 30 });
    expect(() => rangeChart(big, { centre: 0, sigma: 1 })).toThrow(/X̄–S/);
    expect(sdChart(big, { centre: 0, sigma: 1 }).points).toHaveLength(1);
  });
});
