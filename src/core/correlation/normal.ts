// Normal and Student-t helpers for the correlation and trend statistics (pure). simple-statistics
// gives the standard normal quantile (probit) and the error function; the t quantile is the
// Cornish–Fisher expansion around the normal one (Abramowitz & Stegun 26.7.5), within ~0.5 % of
// the exact value from 5 degrees of freedom on, plenty for a 95 % interval on a trend.
import { errorFunction, probit } from 'simple-statistics';

/** P(Z ≤ z) for a standard normal Z. */
export function normalCdf(z: number): number {
  if (z === Infinity) return 1;
  if (z === -Infinity) return 0;
  return Math.min(1, Math.max(0, 0.5 * (1 + errorFunction(z / Math.SQRT2))));
}

/** The z with P(Z ≤ z) = p. */
export function normalQuantile(p: number): number {
  return probit(p);
}

/** Two-sided p-value of a standard normal statistic. */
export function twoSidedNormalP(z: number): number {
  return Math.min(1, 2 * (1 - normalCdf(Math.abs(z))));
}

/** The t quantile with `df` degrees of freedom (Cornish–Fisher; df < 1 is treated as 1). */
export function studentTQuantile(p: number, df: number): number {
  const z = probit(p);
  const v = Math.max(1, df);
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v ** 2) + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v ** 3);
}
