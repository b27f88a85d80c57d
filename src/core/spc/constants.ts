// Control-chart constants. c4 is computed from the gamma function (exact for any n ≥ 2); d2 and d3
// (mean and standard deviation of the range of n standard normal samples) have no closed form, so
// they come from a six-decimal table, which constants.test.ts re-derives by numerical integration
// (agreement < 1e-5) and checks against the three-decimal textbook table (Montgomery, Appendix VI). d3 for
// n ≥ 13 is the integrated value: the six-decimal d3 usually printed for n ≥ 13 drifts from the integral
// by up to 7e-4 (n = 25); at three decimals only n = 19 differs (0.7335 here, 0.734 printed). Everything else follows from c4, d2, d3:
//   A2 = 3/(d2√n)   D3 = max(0, 1 − 3d3/d2)   D4 = 1 + 3d3/d2
//   A3 = 3/(c4√n)   B3 = max(0, 1 − 3√(1−c4²)/c4)   B4 = 1 + 3√(1−c4²)/c4
import jStat from 'jstat';
import { Invalid } from '../errors.js';

export const MIN_TABLE_N = 2;
export const MAX_TABLE_N = 25;

/** d2(n) for n = 2..25 (index n − 2). */
export const D2_TABLE: readonly number[] = [
  1.128379, 1.692569, 2.058751, 2.325929, 2.534413, 2.704357, 2.847201, 2.970026, 3.077505, 3.172873, 3.258455, 3.33598,
  3.406763, 3.471827, 3.531983, 3.587884, 3.640064, 3.688963, 3.734949, 3.778336, 3.819385, 3.858323, 3.895348, 3.930629,
];
/** d3(n) for n = 2..25 (index n − 2). */
export const D3_TABLE: readonly number[] = [
  0.852502, 0.888368, 0.879808, 0.864082, 0.84804, 0.833205, 0.819831, 0.807834, 0.797051, 0.787315, 0.778478, 0.770416,
  0.763022, 0.756211, 0.749907, 0.744051, 0.73859, 0.733481, 0.728686, 0.724173, 0.719914, 0.715886, 0.712067, 0.70844,
];

const c4Cache = new Map<number, number>();

/** c4(n) = √(2/(n−1)) · Γ(n/2) / Γ((n−1)/2): E[s] = c4·σ for n normal samples. Any n ≥ 2. */
export function c4(n: number): number {
  if (!Number.isInteger(n) || n < 2) throw Invalid.field('n', `c4 needs a whole subgroup size of at least 2 (got ${n})`);
  let value = c4Cache.get(n);
  if (value === undefined) {
    value = Math.sqrt(2 / (n - 1)) * Math.exp(jStat.gammaln(n / 2) - jStat.gammaln((n - 1) / 2));
    if (c4Cache.size < 10_000) c4Cache.set(n, value);
  }
  return value;
}

function tableIndex(n: number, what: string): number {
  if (!Number.isInteger(n) || n < MIN_TABLE_N || n > MAX_TABLE_N) {
    throw Invalid.field('n', `${what} is tabulated for subgroup sizes ${MIN_TABLE_N}–${MAX_TABLE_N} (got ${n}); use an X̄–S chart for larger subgroups`);
  }
  return n - MIN_TABLE_N;
}

export function d2(n: number): number {
  return D2_TABLE[tableIndex(n, 'd2')];
}

export function d3(n: number): number {
  return D3_TABLE[tableIndex(n, 'd3')];
}

export interface SpcConstants {
  n: number;
  d2: number;
  d3: number;
  c4: number;
  A2: number;
  D3: number;
  D4: number;
  A3: number;
  B3: number;
  B4: number;
}

/** The Shewhart constants for subgroup size n = 2..25. */
export function spcConstants(n: number): SpcConstants {
  const i = tableIndex(n, 'the constant table');
  const dTwo = D2_TABLE[i];
  const dThree = D3_TABLE[i];
  const cFour = c4(n);
  const sFactor = (3 * Math.sqrt(1 - cFour * cFour)) / cFour;
  return {
    n,
    d2: dTwo,
    d3: dThree,
    c4: cFour,
    A2: 3 / (dTwo * Math.sqrt(n)),
    D3: Math.max(0, 1 - (3 * dThree) / dTwo),
    D4: 1 + (3 * dThree) / dTwo,
    A3: 3 / (cFour * Math.sqrt(n)),
    B3: Math.max(0, 1 - sFactor),
    B4: 1 + sFactor,
  };
}
