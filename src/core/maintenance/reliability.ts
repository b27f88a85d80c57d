// MTBF and MTTR per stop class and bucket (pure), from what the OEE engine already counts: the
// stop classes are the OEE profile's stopBinsSeconds (the first class is the micro-stop, e.g.
// 1.1–12 s in both built-in profiles), running time is the engine's runSeconds (time the machine
// was cycling inside the calendar's working time). MTBF of a class = running time / stops of the
// class; MTTR = stop time of the class / stops of the class. The trend is a least-squares slope of
// MTBF against the bucket index with a t interval on its standard error.
import { linearRegression } from 'simple-statistics';
import { studentTQuantile } from '../correlation/normal.js';

export interface ClassCounts {
  count: number;
  seconds: number;
}

export interface ReliabilityBucket {
  label: string;
  from: number;
  to: number;
  /** seconds the machine was running (cycling) in the bucket */
  runSeconds: number;
  /** one entry per stop class, in the profile's order */
  classes: readonly ClassCounts[];
}

export interface StopClassInfo {
  index: number;
  /** 'micro' | 'short' | 'medium' | 'long' | 'very long' */
  name: string;
  /** '1.1–12 s' */
  label: string;
  minSeconds: number;
  maxSeconds: number | null;
}

export interface Trend {
  /** change of the value per bucket */
  slope: number;
  low: number;
  high: number;
  level: number;
  /** buckets the line was fitted to */
  n: number;
  /** 'falling' / 'rising' only when the interval excludes 0 */
  direction: 'falling' | 'rising' | 'flat' | 'unknown';
}

export interface ClassReliability extends StopClassInfo {
  series: { label: string; from: number; count: number; runSeconds: number; mtbfSeconds: number | null; mttrSeconds: number | null }[];
  totals: { count: number; stopSeconds: number; runSeconds: number; mtbfSeconds: number | null; mttrSeconds: number | null };
  mtbfTrend: Trend;
}

/** Fewer buckets than this with an MTBF and no trend is fitted. */
export const MIN_TREND_BUCKETS = 5;

function className(minSeconds: number): string {
  if (minSeconds < 12) return 'micro';
  if (minSeconds < 60) return 'short';
  if (minSeconds < 300) return 'medium';
  if (minSeconds < 1800) return 'long';
  return 'very long';
}

/** The stop classes of a profile's bins, named by their lower bound. */
export function stopClassesOf(stopBinsSeconds: readonly number[]): StopClassInfo[] {
  return stopBinsSeconds.map((minSeconds, index) => {
    const maxSeconds = stopBinsSeconds[index + 1] ?? null;
    return { index, name: className(minSeconds), label: maxSeconds === null ? `≥ ${minSeconds} s` : `${minSeconds}–${maxSeconds} s`, minSeconds, maxSeconds };
  });
}

/** Least-squares slope of values against their index (nulls skipped) with a t interval. */
export function trendOf(values: readonly (number | null)[], level = 0.95): Trend {
  const points: [number, number][] = [];
  values.forEach((value, index) => {
    if (value !== null && Number.isFinite(value)) points.push([index, value]);
  });
  const n = points.length;
  if (n < MIN_TREND_BUCKETS) return { slope: 0, low: 0, high: 0, level, n, direction: 'unknown' };
  const { m, b } = linearRegression(points);
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  let sxx = 0;
  let sse = 0;
  for (const [x, y] of points) {
    sxx += (x - meanX) ** 2;
    sse += (y - (m * x + b)) ** 2;
  }
  const se = Math.sqrt(sse / (n - 2) / sxx);
  const q = studentTQuantile(1 - (1 - level) / 2, n - 2);
  const low = m - q * se;
  const high = m + q * se;
  const direction = low > 0 ? 'rising' : high < 0 ? 'falling' : 'flat';
  return { slope: m, low, high, level, n, direction };
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

export function reliabilityByClass(stopBinsSeconds: readonly number[], buckets: readonly ReliabilityBucket[]): ClassReliability[] {
  return stopClassesOf(stopBinsSeconds).map((info) => {
    const series = buckets.map((bucket) => {
      const counts = bucket.classes[info.index] ?? { count: 0, seconds: 0 };
      return {
        label: bucket.label,
        from: bucket.from,
        count: counts.count,
        runSeconds: bucket.runSeconds,
        // a bucket without running time has no MTBF; one without stops of the class has none either (it is open-ended)
        mtbfSeconds: bucket.runSeconds > 0 ? ratio(bucket.runSeconds, counts.count) : null,
        mttrSeconds: ratio(counts.seconds, counts.count),
      };
    });
    const count = series.reduce((sum, s) => sum + s.count, 0);
    const stopSeconds = buckets.reduce((sum, b) => sum + (b.classes[info.index]?.seconds ?? 0), 0);
    const runSeconds = buckets.reduce((sum, b) => sum + b.runSeconds, 0);
    return {
      ...info,
      series,
      totals: { count, stopSeconds, runSeconds, mtbfSeconds: ratio(runSeconds, count), mttrSeconds: ratio(stopSeconds, count) },
      mtbfTrend: trendOf(series.map((s) => s.mtbfSeconds)),
    };
  });
}
