import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random.js';
import { averageRanks, correlate, effectiveSampleSize, lag1Autocorrelation } from './correlation.js';
import { lagSearch } from './lag.js';
import { describeFinding } from './describe.js';
import { normalCdf, studentTQuantile } from './normal.js';

function normals(seed: number, n: number): number[] {
  const uniform = mulberry32(seed);
  const out: number[] = [];
  while (out.length < n) {
    const u = Math.max(uniform(), 1e-12);
    const v = uniform();
    out.push(Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
  }
  return out;
}

const randomWalk = (seed: number, n: number) => {
  let level = 0;
  return normals(seed, n).map((step) => (level += step));
};

describe('correlation core', () => {
  it('average ranks for ties; Pearson of a known pair; normal and t quantiles', () => {
    expect(averageRanks([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
    const c = correlate([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]);
    expect(c.pearson?.r).toBeCloseTo(0.7746, 3);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 3);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228, 2);
    expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.042, 2);
  });

  it('effective sample size: n for white noise, far fewer for autocorrelated series', () => {
    expect(effectiveSampleSize(100, 0, 0.9)).toBe(100);
    expect(effectiveSampleSize(100, 0.9, 0.9)).toBeCloseTo((100 * 0.19) / 1.81, 6);
    expect(lag1Autocorrelation(randomWalk(1, 300))).toBeGreaterThan(0.9);
    expect(Math.abs(lag1Autocorrelation(normals(2, 300)))).toBeLessThan(0.15);
  });

  it('independent series → no claim', () => {
    const x = normals(11, 200);
    const y = normals(12, 200);
    const c = correlate(x, y);
    const words = describeFinding({ x: 'x', y: 'y', bucket: 'hour', correlation: c, lags: lagSearch(x, y, 6) });
    expect(words.strength).toBe('no evidence of');
    expect(words.text).toMatch(/No evidence of a correlation/);
    expect(words.text).toMatch(/No lead named/);
  });

  it('y = x + noise → strong, with the causation caution', () => {
    const x = normals(21, 120);
    const noise = normals(22, 120);
    const y = x.map((v, i) => v + 0.5 * noise[i]);
    const c = correlate(x, y);
    expect(c.pearson!.low).toBeGreaterThan(0.75);
    expect(c.spearman!.r).toBeGreaterThan(0.75);
    const words = describeFinding({ x: 'rate', y: 'rework', bucket: 'hour', correlation: c });
    expect(words.strength).toBe('strong');
    expect(words.text).toMatch(/strong positive correlation/);
    expect(words.text).toMatch(/not that one causes the other/);
  });

  it('y lagged by 3 buckets → lag 3 found, corrected for the lags tried', () => {
    const x = normals(31, 150);
    const noise = normals(32, 150);
    const y = x.map((_, t) => (t >= 3 ? x[t - 3] : 0) + 0.7 * noise[t]);
    const lags = lagSearch(x, y, 8);
    expect(lags.tried).toBe(17);
    expect(lags.lead).toBe(3);
    expect(lags.best!.estimate.level).toBeCloseTo(1 - 0.05 / 17, 9);
    const words = describeFinding({ x: 'x', y: 'y', bucket: 'hour', correlation: correlate(x, y), lags });
    expect(words.text).toMatch(/x leads y by 3 hours/);
    // and the other way round: a negative lag
    expect(lagSearch(y, x, 8).lead).toBe(-3);
  });

  it('one extreme pair cannot make a lead: the rank correlation must confirm it', () => {
    const x = normals(51, 120);
    const y = normals(52, 120);
    x[50] = 40;
    y[54] = 40;
    const lags = lagSearch(x, y, 6);
    expect(lags.best?.lag).toBe(4);
    expect(lags.best!.adjustedP).toBeLessThan(0.05);
    expect(lags.lead).toBeNull();
    expect(lags.refusal).toMatch(/rank \(Spearman\) correlation at lag 4 does not confirm it/);
  });

  it('independent random walks: the classic spurious case must NOT be claimed', () => {
    let naiveClaims = 0;
    let claims = 0;
    const runs = 40;
    for (let seed = 0; seed < runs; seed++) {
      const x = randomWalk(1000 + seed, 200);
      const y = randomWalk(5000 + seed, 200);
      const c = correlate(x, y);
      // what plain n would have said
      const z = Math.atanh(c.pearson!.r) * Math.sqrt(c.n - 3);
      if (Math.abs(z) > 1.96) naiveClaims++;
      const words = describeFinding({ x: 'x', y: 'y', bucket: 'day', correlation: c, lags: lagSearch(x, y, 5) });
      if (words.strength !== 'no evidence of' && words.strength !== 'insufficient data') claims++;
    }
    // plain n claims a correlation for most pairs of independent walks; n_eff keeps that near α
    expect(naiveClaims).toBeGreaterThan(runs / 2);
    expect(claims).toBeLessThanOrEqual(Math.ceil(runs * 0.1));
  });

  it('too few buckets → refuses to say anything', () => {
    const x = normals(41, 12);
    const words = describeFinding({ x: 'x', y: 'y', bucket: 'day', correlation: correlate(x, x) });
    expect(words.strength).toBe('insufficient data');
    expect(words.text).toMatch(/too few days with both values \(12\) to say anything; need ≥ 30/);
    expect(lagSearch(x, x, 2).refusal).toMatch(/too few pairs/);
  });

  it('nulls are skipped pairwise; a constant series gives no r', () => {
    const c = correlate([1, null, 3, 4, 5, 6], [2, 3, null, 5, 6, 8]);
    expect(c.n).toBe(4);
    expect(correlate([1, 1, 1, 1, 1], [1, 2, 3, 4, 5]).pearson).toBeNull();
  });
});
