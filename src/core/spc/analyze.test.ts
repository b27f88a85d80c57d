import { describe, expect, it } from 'vitest';
import { baselineFromMinutes, baselineFromSamples, chartMinutes, chartSamples } from './analyze.js';
import { normalStream } from './simulate.js';
import type { MinuteSummary, Sample } from './types.js';

const T0 = Date.UTC(2026, 0, 5, 6, 0, 0);

/** Readings every 10 s from N(50, 1), seeded. */
function stable(count: number, seed = 1, startAt = T0): Sample[] {
  const normal = normalStream(seed);
  return Array.from({ length: count }, (_, i) => ({ at: startAt + i * 10_000, value: 50 + normal() }));
}

describe('the SPC path from readings to charts', () => {
  const plan = { chart: 'xbar-s' as const, subgroup: { by: 'count' as const, size: 5 } };

  it('a baseline leaves a spike out of the limits but reports it', () => {
    const samples = stable(200);
    const clean = baselineFromSamples(samples, plan);
    const spiked = samples.map((s, i) => (i === 42 ? { ...s, value: 500 } : s));
    const withSpike = baselineFromSamples(spiked, plan);
    expect(withSpike.findings.map((f) => [f.kind, f.indices])).toEqual([['spike', [42]]]);
    // the spike's subgroup has 4 readings: not usable (size 5) → 39 subgroups, σ̂ barely moved
    expect(withSpike.subgroups).toBe(39);
    expect(withSpike.sigma / clean.sigma).toBeGreaterThan(0.9);
    expect(withSpike.sigma / clean.sigma).toBeLessThan(1.1);
    // without screening the spike would have blown σ̂ up
    const unscreened = baselineFromSamples(spiked, { ...plan, spikes: false, limits: { revise: false } });
    expect(unscreened.sigma / clean.sigma).toBeGreaterThan(3);
    expect(clean.sigma).toBeGreaterThan(0.85);
    expect(clean.sigma).toBeLessThan(1.15);
  });

  it('a too-short baseline is refused with how many subgroups it has', () => {
    expect(() => baselineFromSamples(stable(95), plan)).toThrow('baseline: the baseline has 19 usable subgroups; at least 20 are needed');
  });

  it('a stuck sensor is a finding, not a process signal', () => {
    const limits = baselineFromSamples(stable(200), plan);
    const monitored = stable(200, 2, T0 + 86_400_000).map((s, i) => (i >= 50 && i < 110 ? { ...s, value: 50.3 } : s));
    const result = chartSamples(monitored, limits, { ...plan, rules: 'nelson' });
    expect(result.findings.filter((f) => f.kind === 'stuck').map((f) => f.indices.length)).toEqual([60]);
    // the 60 frozen readings (12 subgroups at exactly 50.3, s = 0) are not plotted, so neither
    // "15 within 1σ" nor a run above the centre nor an S below its limit can come from them
    expect(result.location.points).toHaveLength(28);
    const stuckWindow = (at: number) => at >= monitored[50].at && at <= monitored[109].at;
    expect(result.location.points.some((p) => stuckWindow(p.at))).toBe(false);
  });

  it('a shift after the baseline is signalled; a gap restarts the rules', () => {
    const limits = baselineFromSamples(stable(200), plan);
    const shifted = stable(100, 3, T0 + 86_400_000).map((s) => ({ ...s, value: s.value + 1.5 }));
    const result = chartSamples(shifted, limits, { ...plan, rules: 'western-electric' });
    expect(result.violations.location.length).toBeGreaterThan(0);
    expect(result.violations.location.some((v) => v.rule === 'we4' || v.rule === 'we1')).toBe(true);
    // a 7-subgroup run above the centre, a gap, another 7: no rule 4 (8 in a row)
    const run = (startAt: number) => Array.from({ length: 35 }, (_, i) => ({ at: startAt + i * 10_000, value: limits.centre + 0.3 + (i % 5) * 0.01 }));
    const gapped = [...run(T0), ...run(T0 + 3_600_000)];
    const rules = chartSamples(gapped, limits, { ...plan, rules: ['we4'], stuckRun: false, spikes: false });
    expect(rules.findings.map((f) => f.kind)).toEqual(['gap']);
    expect(rules.location.points[7].afterGap).toBe(true);
    expect(rules.violations.location).toEqual([]);
    const joined = chartSamples(gapped, limits, { ...plan, rules: ['we4'], stuckRun: false, spikes: false, gapPeriods: 1000 });
    expect(joined.violations.location.map((v) => v.message)).toEqual(['14 points in a row above the centre line']);
  });

  it('I–MR and EWMA for a slow channel', () => {
    const samples = stable(60);
    const limits = baselineFromSamples(samples, { chart: 'i-mr' });
    expect(limits.sigmaMethod).toBe('mrbar-d2');
    expect(limits.subgroups).toBeGreaterThanOrEqual(58);
    const imr = chartSamples(samples, limits, { chart: 'i-mr' });
    expect(imr.location.points).toHaveLength(60);
    expect(imr.dispersion!.points).toHaveLength(59);
    const ewma = chartSamples(samples, limits, { chart: 'ewma', ewma: { lambda: 0.2, width: 3 } });
    expect(ewma.dispersion).toBeNull();
    expect(ewma.location.points[0].ucl - ewma.location.points[0].centre).toBeLessThan(ewma.location.points[59].ucl - ewma.location.points[59].centre);
    expect(() => chartSamples(samples, limits, { chart: 'xbar-r' })).toThrow(/subgroup plan/);
  });

  it('per-minute summaries: baseline, chart, stuck minutes left out', () => {
    const normal = normalStream(9);
    const minutes: MinuteSummary[] = Array.from({ length: 300 }, (_, m) => {
      const values = Array.from({ length: 6 }, () => 20 + 0.5 * normal());
      return { minute: T0 + m * 60_000, n: 6, sum: values.reduce((a, b) => a + b, 0), sumSq: values.reduce((a, b) => a + b * b, 0), min: Math.min(...values), max: Math.max(...values) };
    });
    const limits = baselineFromMinutes(minutes, { chart: 'xbar-s', minutes: 5 });
    expect(limits.subgroups).toBeGreaterThanOrEqual(55);
    expect(limits.sigma).toBeGreaterThan(0.42);
    expect(limits.sigma).toBeLessThan(0.58);
    for (let m = 100; m < 103; m++) minutes[m] = { minute: minutes[m].minute, n: 6, sum: 120, sumSq: 2400, min: 20, max: 20 };
    const chart = chartMinutes(minutes, limits, { chart: 'xbar-s', minutes: 5 });
    expect(chart.findings.map((f) => [f.kind, f.indices])).toEqual([['stuck', [100, 101, 102]]]);
    expect(chart.location.points[0].ucl).toBeCloseTo(limits.centre + (3 * limits.sigma) / Math.sqrt(30), 9);
  });
});
