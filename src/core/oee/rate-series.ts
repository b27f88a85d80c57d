// A fine rate series from raw cycles (the original system's rate chart): parts per minute smoothed
// by a rolling window, one point per second, and the cumulative good parts. Pure: no I/O, no clock.
//
// The rolling window is CENTRED on each point (parts in (t − w/2, t + w/2], scaled to a minute), so
// that the rate falls where the stop is: a trailing window would draw every dip up to w late.

/** Rolling windows the screens offer, in seconds. */
export const ROLLING_SECONDS = [2, 3, 5, 15, 30, 60] as const;
export type RollingSeconds = (typeof ROLLING_SECONDS)[number];

/** Points per request at most: 12 h at one point per second (a shift or less is what the chart is for). */
export const MAX_RATE_POINTS = 12 * 3600;
export const RATE_STEP_MS = 1000;

export interface RateCycle {
  /** UTC epoch ms */
  at: number;
  part: boolean;
  rework: boolean;
}

export interface RateSeries {
  /** point instants (UTC ms): from + step, from + 2·step, … up to to */
  at: number[];
  /** parts per minute in the rolling window centred on each point */
  ratePerMinute: number[];
  /** good parts (parts − reworks) from `from` up to each point */
  cumulativeGood: number[];
}

/** Number of points [from, to) gives at one per step. */
export function ratePointCount(from: number, to: number): number {
  return Math.max(0, Math.ceil((to - from) / RATE_STEP_MS));
}

/** The series of [from, to); cycles in any order, including those up to half a window either side. */
export function rateSeries(cycles: readonly RateCycle[], from: number, to: number, rollingSeconds: number): RateSeries {
  if (!(rollingSeconds > 0)) throw new RangeError('rollingSeconds must be positive');
  const count = ratePointCount(from, to);
  if (count > MAX_RATE_POINTS) throw new RangeError(`${count} points: at most ${MAX_RATE_POINTS}`);
  const partTimes = cycles.filter((c) => c.part).map((c) => c.at).sort((a, b) => a - b);
  const goodTimes = cycles.filter((c) => c.part && !c.rework && c.at >= from && c.at < to).map((c) => c.at).sort((a, b) => a - b);
  const half = (rollingSeconds * 1000) / 2;
  const scale = 60 / rollingSeconds;
  const at: number[] = new Array(count);
  const ratePerMinute: number[] = new Array(count);
  const cumulativeGood: number[] = new Array(count);
  // two pointers over the sorted parts: (t − half, t + half]
  let low = 0;
  let high = 0;
  let good = 0;
  for (let i = 0; i < count; i++) {
    const t = Math.min(from + (i + 1) * RATE_STEP_MS, to);
    while (low < partTimes.length && partTimes[low] <= t - half) low++;
    while (high < partTimes.length && partTimes[high] <= t + half) high++;
    while (good < goodTimes.length && goodTimes[good] <= t) good++;
    at[i] = t;
    ratePerMinute[i] = Math.round(Math.max(0, high - low) * scale * 10) / 10;
    cumulativeGood[i] = good;
  }
  return { at, ratePerMinute, cumulativeGood };
}
