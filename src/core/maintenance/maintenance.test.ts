import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random.js';
import { reliabilityByClass, stopClassesOf, trendOf } from './reliability.js';
import { countDrift, monitor, statDrift, CUSUM_H } from './drift.js';
import { dailyCounts, poissonSample } from './stable-stream.js';
import { countFinding, healthVerdict, statFinding } from './verdict.js';
import { BUILTIN_PROFILES } from '../oee/profiles.js';

describe('reliability per stop class', () => {
  it('names the profile classes and computes MTBF/MTTR per bucket with a trend', () => {
    const classes = stopClassesOf(BUILTIN_PROFILES['itrak-legacy'].stopBinsSeconds);
    expect(classes.map((c) => `${c.name} ${c.label}`)).toEqual(['micro 1.1–12 s', 'short 12–60 s', 'medium 60–300 s', 'long ≥ 300 s']);
    // micro-stops more frequent every day: MTBF falls from 3600/10 to 3600/19
    const buckets = Array.from({ length: 10 }, (_, day) => ({
      label: `d${day}`, from: day, to: day + 1, runSeconds: 3600,
      classes: [{ count: 10 + day, seconds: (10 + day) * 3 }, { count: 0, seconds: 0 }, { count: 2, seconds: 200 }, { count: 1, seconds: 900 }],
    }));
    const result = reliabilityByClass(BUILTIN_PROFILES['itrak-legacy'].stopBinsSeconds, buckets);
    expect(result[0].series[0]).toMatchObject({ mtbfSeconds: 360, mttrSeconds: 3 });
    expect(result[0].totals.count).toBe(145);
    expect(result[0].mtbfTrend.direction).toBe('falling');
    expect(result[1].series[0].mtbfSeconds).toBeNull();
    expect(result[1].mtbfTrend.direction).toBe('unknown');
    expect(result[2].mtbfTrend.direction).toBe('flat');
    expect(result[2].totals.mttrSeconds).toBe(100);
  });

  it('trend interval: a noisy flat series is flat, a clean slope is found with its size', () => {
    const uniform = mulberry32(3);
    expect(trendOf(Array.from({ length: 30 }, () => 100 + 10 * (uniform() - 0.5))).direction).toBe('flat');
    const rising = trendOf(Array.from({ length: 20 }, (_, i) => 5 + 2 * i + (uniform() - 0.5)));
    expect(rising.direction).toBe('rising');
    expect(rising.low).toBeLessThan(2);
    expect(rising.high).toBeGreaterThan(2);
    expect(trendOf([1, 2, null, 3]).direction).toBe('unknown');
  });
});

describe('drift detection', () => {
  it('Poisson sampler has the right mean and variance', () => {
    const uniform = mulberry32(9);
    const draws = Array.from({ length: 20_000 }, () => poissonSample(uniform, 45));
    const mean = draws.reduce((s, v) => s + v, 0) / draws.length;
    const variance = draws.reduce((s, v) => s + (v - mean) ** 2, 0) / (draws.length - 1);
    expect(mean).toBeGreaterThan(44.7);
    expect(mean).toBeLessThan(45.3);
    expect(variance / mean).toBeGreaterThan(0.95);
    expect(variance / mean).toBeLessThan(1.05);
  });

  it('false alarms on long stable Poisson streams stay under 3 per 1000 days (CUSUM decides)', () => {
    for (const ratePerHour of [2, 20]) {
      let alarms = 0;
      let days = 0;
      for (let seed = 0; seed < 10; seed++) {
        const stream = dailyCounts(7000 + seed + ratePerHour, 28 + 1000, ratePerHour, 15);
        const drift = countDrift(stream.slice(0, 28), stream.slice(28))!;
        alarms += drift.monitoring.signals.filter((s) => s.statistic === 'CUSUM').length;
        days += 1000;
      }
      expect(alarms / (days / 1000)).toBeLessThan(3);
    }
  });

  it('a +50 % micro-stop rate step is found within days, with since/how much/which statistic in words', () => {
    const stream = dailyCounts(42, 28 + 40, 5, 15, { day: 28 + 20, factor: 1.5 });
    const drift = countDrift(stream.slice(0, 28), stream.slice(28))!;
    expect(drift.alarm).not.toBeNull();
    expect(drift.alarm!.index).toBeGreaterThanOrEqual(20);
    expect(drift.alarm!.index).toBeLessThanOrEqual(24);
    expect(drift.alarm!.ratio).toBeGreaterThan(1.3);
    expect(drift.alarm!.sinceIndex).toBeGreaterThanOrEqual(17);
    expect(drift.alarm!.sinceIndex).toBeLessThanOrEqual(21);
    const finding = countFinding('micro-stops per running hour', drift)!;
    expect(finding.text).toMatch(/^Maintenance suggested: micro-stops per running hour rose to \d+\.\d per hour since day \d+, \d+ % higher than the baseline 5\.\d per hour/);
    expect(finding.text).toMatch(/the CUSUM crossed its decision limit h = 5 on day \d+/);
    const verdict = healthVerdict({ classes: [], findings: [finding], microDrift: drift });
    expect(verdict.verdict).toBe('maintenance suggested');
  });

  it('no baseline → no drift judgement (the monitored period never becomes its own reference)', () => {
    const stream = dailyCounts(5, 40, 5, 15);
    expect(countDrift(stream.slice(0, 3), stream.slice(3))).toBeNull();
    const verdict = healthVerdict({ classes: [], findings: [], microDrift: null });
    expect(verdict.verdict).toBe('watch');
    expect(verdict.reasons.join(' ')).toMatch(/Not enough baseline/);
  });

  it('no running time → ok, saying there is nothing to judge', () => {
    expect(healthVerdict({ classes: [], findings: [], microDrift: null, runSeconds: 0 })).toEqual({ verdict: 'ok', reasons: ['No running time in the period: nothing to judge.'] });
  });

  it('stable stream → ok', () => {
    const stream = dailyCounts(77, 28 + 30, 20, 15);
    const drift = countDrift(stream.slice(0, 28), stream.slice(28))!;
    expect(drift.alarm).toBeNull();
    expect(healthVerdict({ classes: [], findings: [], microDrift: drift }).verdict).toBe('ok');
  });

  it('overdispersed baseline widens the reference (quasi-Poisson)', () => {
    const uniform = mulberry32(8);
    // day-to-day rate varies ±40 %: a pure Poisson reference would alarm on ordinary days
    const stream = Array.from({ length: 80 }, (_, day) => ({ label: `d${day}`, exposure: 15, count: poissonSample(uniform, 15 * 20 * (0.6 + 0.8 * uniform())) }));
    const drift = countDrift(stream.slice(0, 40), stream.slice(40))!;
    expect(drift.baseline.dispersion).toBeGreaterThan(3);
    expect(drift.alarm).toBeNull();
  });

  it('CUSUM arithmetic: k = 0.5, h = 5, restart after a signal; EWMA limit', () => {
    const m = monitor([0, 2, 2, 2, 1.5, 0].map((z, i) => ({ label: `b${i}`, z })), 'upper');
    expect(m.scored.map((s) => s.cusumUpper)).toEqual([0, 1.5, 3, 4.5, 5.5, 0]);
    expect(m.signals.find((s) => s.statistic === 'CUSUM')).toMatchObject({ statistic: 'CUSUM', index: 4, sinceIndex: 1, sinceLabel: 'b1', limit: CUSUM_H });
    expect(m.scored[0].ewmaLimit).toBeCloseTo(3 * Math.sqrt((0.2 / 1.8) * (1 - 0.64)), 9);
  });

  it("a channel's mean and spread: shift found, stable not", () => {
    const uniform = mulberry32(12);
    const bucket = (i: number, mean: number, sd: number) => {
      let sum = 0;
      let sumSq = 0;
      for (let k = 0; k < 60; k++) {
        const v = mean + sd * Math.sqrt(-2 * Math.log(Math.max(uniform(), 1e-12))) * Math.cos(2 * Math.PI * uniform());
        sum += v;
        sumSq += v * v;
      }
      return { label: `h${i}`, n: 60, sum, sumSq };
    };
    const base = Array.from({ length: 48 }, (_, i) => bucket(i, 20 + 0.1 * Math.sin(i), 1));
    const stable = Array.from({ length: 48 }, (_, i) => bucket(i, 20 + 0.1 * Math.sin(i), 1));
    const shifted = Array.from({ length: 48 }, (_, i) => bucket(i, i >= 24 ? 20.6 : 20, i >= 24 ? 1.6 : 1));
    expect(statDrift('mean', base, stable)!.alarm).toBeNull();
    const mean = statDrift('mean', base, shifted)!;
    expect(mean.alarm?.side).toBe('upper');
    expect(mean.alarm!.index).toBeGreaterThanOrEqual(24);
    expect(statFinding('channel temp-1', mean)!.text).toMatch(/the mean of channel temp-1 shifted up since h\d+/);
    expect(statDrift('sd', base, shifted)!.alarm!.index).toBeGreaterThanOrEqual(24);
    expect(statDrift('mean', base.slice(0, 3), shifted)).toBeNull();
  });
});
