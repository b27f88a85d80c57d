// Per-minute statistics of samples and series buckets built from them. Pure.
export const MINUTE_MS = 60_000;
/** Series buckets the API chooses from when none is asked for (≤ MAX_POINTS points in the window). */
export const BUCKET_STEPS_MS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080, 20160, 43200].map((m) => m * MINUTE_MS);
export const MAX_POINTS = 600;

export interface MinuteStats {
  /** UTC minute start, epoch ms */
  minute: number;
  n: number;
  sum: number;
  sumSq: number;
  min: number;
  max: number;
}

export interface SeriesBucket {
  /** bucket start, epoch ms */
  start: number;
  n: number;
  mean: number;
  min: number;
  max: number;
  /** sample standard deviation (n − 1); null for one sample */
  sd: number | null;
}

export const minuteOf = (at: number): number => Math.floor(at / MINUTE_MS) * MINUTE_MS;

/** Statistics per minute of these samples (any order), sorted by minute. */
export function minutesOf(samples: readonly { at: number; value: number }[]): MinuteStats[] {
  const byMinute = new Map<number, MinuteStats>();
  for (const { at, value } of samples) {
    const minute = minuteOf(at);
    const stats = byMinute.get(minute);
    if (stats) {
      stats.n++;
      stats.sum += value;
      stats.sumSq += value * value;
      if (value < stats.min) stats.min = value;
      if (value > stats.max) stats.max = value;
    } else byMinute.set(minute, { minute, n: 1, sum: value, sumSq: value * value, min: value, max: value });
  }
  return [...byMinute.values()].sort((a, b) => a.minute - b.minute);
}

/** The bucket width for a window when none is asked for: the smallest step giving ≤ MAX_POINTS buckets. */
export function chooseBucketMs(from: number, to: number, maxPoints = MAX_POINTS): number {
  const span = Math.max(0, to - from);
  return BUCKET_STEPS_MS.find((step) => span / step <= maxPoints) ?? BUCKET_STEPS_MS[BUCKET_STEPS_MS.length - 1];
}

/**
 * Statistics merged into buckets of `bucketMs` (a multiple of a minute), aligned to multiples of it
 * since the epoch: n and sums add, min/max merge; `minute` holds the bucket start, in time order.
 * Minutes into hours for the roll-up, hours or minutes into a series' buckets.
 */
export function mergeStats(stats: readonly MinuteStats[], bucketMs: number): MinuteStats[] {
  const merged = new Map<number, MinuteStats>();
  for (const m of stats) {
    const start = Math.floor(m.minute / bucketMs) * bucketMs;
    const b = merged.get(start);
    if (b) {
      b.n += m.n;
      b.sum += m.sum;
      b.sumSq += m.sumSq;
      b.min = Math.min(b.min, m.min);
      b.max = Math.max(b.max, m.max);
    } else merged.set(start, { ...m, minute: start });
  }
  return [...merged.values()].sort((a, b) => a.minute - b.minute);
}

/** Minutes merged into buckets of `bucketMs` (a multiple of a minute), aligned to multiples of it since the epoch. */
export function bucketsFromMinutes(minutes: readonly MinuteStats[], bucketMs: number): SeriesBucket[] {
  return mergeStats(minutes, bucketMs).map(toBucket);
}

export function toBucket(stats: MinuteStats): SeriesBucket {
  const mean = stats.sum / stats.n;
  // Σx² − (Σx)²/n loses digits when the spread is tiny against the level; never below 0
  const sd = stats.n > 1 ? Math.sqrt(Math.max(0, (stats.sumSq - (stats.sum * stats.sum) / stats.n) / (stats.n - 1))) : null;
  return { start: stats.minute, n: stats.n, mean, min: stats.min, max: stats.max, sd };
}
