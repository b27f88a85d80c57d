// Lag search (pure): correlate x(t) with y(t + k) for every k in [−maxLag, maxLag] and keep the
// strongest. Looking at 2·maxLag + 1 lags and keeping the best is a multiple comparison: the best
// of many noise correlations looks significant far more often than 5 %. So the winning lag is
// judged with a Bonferroni correction — its p-value times the number of lags tried, and its
// interval at 1 − α/m instead of 1 − α. A lead is named only when that corrected test passes,
// there are enough pairs, the best lag is not 0, and the rank correlation at that lag agrees (at
// the same corrected level); otherwise the answer says why not.
import { completePairs, correlate, fisherEstimate, MIN_PAIRS, type Estimate } from './correlation.js';

export interface LagPoint {
  /** y is shifted k buckets later: k > 0 means x leads y by k buckets */
  lag: number;
  n: number;
  nEff: number;
  r: number | null;
}

export interface LagSearch {
  maxLag: number;
  /** number of lags tried (the Bonferroni factor) */
  tried: number;
  points: LagPoint[];
  /** the lag with the largest |r| (Pearson), null when no lag had a defined r */
  best: (LagPoint & { estimate: Estimate; adjustedP: number }) | null;
  /** the lead named: best.lag when the corrected evidence holds and it is not 0, otherwise null */
  lead: number | null;
  /** why no lead is named (null when one is) */
  refusal: string | null;
}

/** x(t) against y(t + lag): the overlapping part of both series. */
export function shifted<T>(x: readonly T[], y: readonly T[], lag: number): { x: T[]; y: T[] } {
  if (lag >= 0) return { x: x.slice(0, Math.max(0, y.length - lag)), y: y.slice(lag, lag + x.length) };
  return { x: x.slice(-lag, -lag + y.length), y: y.slice(0, Math.max(0, x.length + lag)) };
}

export function lagSearch(x: readonly (number | null)[], y: readonly (number | null)[], maxLag: number, alpha = 0.05): LagSearch {
  const points: LagPoint[] = [];
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    const pair = shifted(x, y, lag);
    const c = correlate(pair.x, pair.y);
    points.push({ lag, n: c.n, nEff: c.nEff, r: c.pearson?.r ?? null });
  }
  const tried = points.length;
  let best: LagPoint | null = null;
  for (const point of points) {
    if (point.r === null || point.n < 4) continue;
    // ties go to the smaller |lag| (the simpler story)
    if (best === null || best.r === null || Math.abs(point.r) > Math.abs(best.r) + 1e-12) best = point;
  }
  if (best === null || best.r === null) return { maxLag, tried, points, best: null, lead: null, refusal: 'no lag had two series with spread to correlate' };
  const estimate = fisherEstimate(best.r, best.nEff, 1 - alpha / tried, false);
  const single = fisherEstimate(best.r, best.nEff, 1 - alpha, false);
  const adjustedP = Math.min(1, single.p * tried);
  const withEstimate = { ...best, estimate, adjustedP };
  let refusal: string | null = null;
  if (best.n < MIN_PAIRS) refusal = `too few pairs (${best.n}) at lag ${best.lag} to name a lead; need ≥ ${MIN_PAIRS}`;
  else if (adjustedP >= alpha) refusal = `the strongest lag (${best.lag}, r = ${best.r.toFixed(2)}) is within what searching ${tried} lags of noise gives (Bonferroni-corrected p = ${formatP(adjustedP)})`;
  else if (best.lag === 0) refusal = 'the strongest relation is within the same bucket: neither series leads';
  else {
    // robustness: the rank correlation at that lag must agree at the same corrected level, or a
    // few extreme buckets are making the lead
    const pair = shifted(x, y, best.lag);
    const ranks = correlate(pair.x, pair.y, 1 - alpha / tried).spearman;
    if (!ranks || Math.sign(ranks.r) !== Math.sign(best.r) || (ranks.low <= 0 && ranks.high >= 0)) {
      refusal = `the rank (Spearman) correlation at lag ${best.lag} does not confirm it${ranks ? ` (ρ = ${ranks.r.toFixed(2)})` : ''}: a few extreme buckets drive the lead`;
    }
  }
  return { maxLag, tried, points, best: withEstimate, lead: refusal === null ? best.lag : null, refusal };
}

export function formatP(p: number): string {
  if (p < 0.001) return '< 0.001';
  return p.toFixed(3);
}

/** Complete pairs for a scatter plot (both values present). */
export function scatterPoints(x: readonly (number | null)[], y: readonly (number | null)[]): { x: number; y: number }[] {
  const pairs = completePairs(x, y);
  return pairs.x.map((value, i) => ({ x: value, y: pairs.y[i] }));
}
