// Pearson and Spearman correlation of two bucket series with a confidence interval that respects
// autocorrelation (pure). Buckets of a process (hours, shifts, days) are autocorrelated: a slow
// drift in both series makes neighbouring buckets alike, and a plain n then overstates the
// evidence — the classic spurious correlation of two independent random walks. So the interval
// and p-value use an effective sample size (Bretherton et al. 1999, J. Climate 12:1990):
//   n_eff = n · (1 − ρx·ρy) / (1 + ρx·ρy),  ρ = lag-1 autocorrelation of each series,
// clamped to [3, n] (never more evidence than buckets). The interval is Fisher's z:
//   z = atanh(r) ± q · se,  se = 1/√(n_eff − 3)          (Pearson)
//   se = √((1 + r²/2)/(n_eff − 3))                        (Spearman, Bonett & Wright 2000)
// Spearman ranks ties by their average rank.
import { normalQuantile, twoSidedNormalP } from './normal.js';

/** Fewer complete pairs than this and nothing is said at all. */
export const MIN_PAIRS = 30;

export interface Estimate {
  r: number;
  /** confidence interval at `level` */
  low: number;
  high: number;
  level: number;
  /** two-sided p-value of r = 0 (Fisher z on n_eff) */
  p: number;
}

export interface CorrelationResult {
  /** complete pairs (both values finite) */
  n: number;
  /** effective sample size after the autocorrelation adjustment */
  nEff: number;
  /** lag-1 autocorrelation of each series */
  autocorrelation: { x: number; y: number };
  /** null when fewer than 4 pairs or a series is constant */
  pearson: Estimate | null;
  spearman: Estimate | null;
}

/** Pairs whose two values are both finite numbers, in order. */
export function completePairs(x: readonly (number | null)[], y: readonly (number | null)[]): { x: number[]; y: number[] } {
  const xs: number[] = [];
  const ys: number[] = [];
  const length = Math.min(x.length, y.length);
  for (let i = 0; i < length; i++) {
    const a = x[i];
    const b = y[i];
    if (a !== null && b !== null && Number.isFinite(a) && Number.isFinite(b)) {
      xs.push(a);
      ys.push(b);
    }
  }
  return { x: xs, y: ys };
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Pearson r, or null when a series has no spread. */
export function pearsonR(x: readonly number[], y: readonly number[]): number | null {
  const n = Math.min(x.length, y.length);
  if (n < 2) return null;
  const mx = mean(x.slice(0, n));
  const my = mean(y.slice(0, n));
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx <= 0 || syy <= 0) return null;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** Ranks 1..n, ties sharing their average rank. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const ranks = new Array<number>(values.length);
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && order[j + 1].value === order[i].value) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k].index] = rank;
    i = j + 1;
  }
  return ranks;
}

/** Lag-1 autocorrelation (the usual biased estimator, in [−1, 1]); 0 for fewer than 3 values or no spread. */
export function lag1Autocorrelation(values: readonly number[]): number {
  const n = values.length;
  if (n < 3) return 0;
  const m = mean(values);
  let numerator = 0;
  let denominator = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i] - m;
    denominator += d * d;
    if (i + 1 < n) numerator += d * (values[i + 1] - m);
  }
  return denominator > 0 ? Math.max(-1, Math.min(1, numerator / denominator)) : 0;
}

/** Bretherton et al.'s effective sample size of a correlation between two autocorrelated series. */
export function effectiveSampleSize(n: number, rhoX: number, rhoY: number): number {
  if (n <= 3) return n;
  const product = rhoX * rhoY;
  // negative products would claim more evidence than buckets: keep n (conservative)
  const adjusted = product > 0 ? (n * (1 - product)) / (1 + product) : n;
  return Math.max(3, Math.min(n, adjusted));
}

/** Fisher-z interval and p-value of r on nEff, with the standard error factor (1 for Pearson). */
export function fisherEstimate(r: number, nEff: number, level: number, spearman: boolean): Estimate {
  const clipped = Math.max(-0.999999, Math.min(0.999999, r));
  const z = Math.atanh(clipped);
  const dof = Math.max(nEff - 3, 1e-9);
  const se = Math.sqrt((spearman ? 1 + (clipped * clipped) / 2 : 1) / dof);
  const q = normalQuantile(1 - (1 - level) / 2);
  return { r, low: Math.tanh(z - q * se), high: Math.tanh(z + q * se), level, p: twoSidedNormalP(z / se) };
}

/** Pearson and Spearman of the complete pairs, with intervals at `level` on the effective n. */
export function correlate(x: readonly (number | null)[], y: readonly (number | null)[], level = 0.95): CorrelationResult {
  const pairs = completePairs(x, y);
  const n = pairs.x.length;
  const rhoX = lag1Autocorrelation(pairs.x);
  const rhoY = lag1Autocorrelation(pairs.y);
  const nEff = effectiveSampleSize(n, rhoX, rhoY);
  const result: CorrelationResult = { n, nEff, autocorrelation: { x: rhoX, y: rhoY }, pearson: null, spearman: null };
  if (n < 4) return result;
  const r = pearsonR(pairs.x, pairs.y);
  if (r !== null) result.pearson = fisherEstimate(r, nEff, level, false);
  const rs = pearsonR(averageRanks(pairs.x), averageRanks(pairs.y));
  if (rs !== null) result.spearman = fisherEstimate(rs, nEff, level, true);
  return result;
}
