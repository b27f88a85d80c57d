// Drift detection (pure): a tabular CUSUM and an EWMA on standardised bucket statistics, with the
// in-control level estimated from a baseline period BEFORE the monitored one (no peeking: the
// monitored buckets never move the reference).
//
// Micro-stop counts are Poisson-like with a varying exposure (running hours differ per bucket).
// Each bucket's count c with exposure e is standardised against the baseline rate λ0:
//   z = (c − λ0·e) / √(φ·λ0·e·(1 + e/E0))
// where E0 is the baseline's exposure (the (1 + e/E0) term is the prediction variance: λ0 itself
// is estimated, and at low rates its error would otherwise read as drift), and φ ≥ 1 is the baseline's dispersion (Pearson χ²/(m − 1), floored at 1): real stop counts
// vary more from day to day than a Poisson process, and a pure Poisson reference would alarm on
// that ordinary variation (quasi-Poisson). With daily buckets λ0·e is in the tens to hundreds, so
// z is close to normal; buckets with fewer than MIN_EXPECTED expected stops are skipped, where the
// normal reading of a Poisson count is poor.
//
// Tabular CUSUM (Montgomery, Introduction to SQC, §9.1): S = max(0, S + z − k), k = 0.5 (tuned to
// a 1σ shift), signal when S > h, h = 5 (in-control ARL ≈ 930 buckets one-sided). EWMA:
// E = λz + (1 − λ)E, λ = 0.2, signal when E exceeds L·√(λ/(2 − λ)·(1 − (1 − λ)^{2i})), L = 3.
// For micro-stops only an increase matters (upper side); a channel's mean watches both sides,
// its spread (ln of the bucket sd, near normal) the upper side.
//
// The CUSUM is the decision statistic ("maintenance suggested"); an EWMA signal on its own is a
// "watch". Two charts on the same data, either of which decides, roughly double the false alarms
// (measured: ~2 vs ~1 per 1000 stable days at 20 stops/h, see bench/maintenance.bench.ts).

export const CUSUM_K = 0.5;
export const CUSUM_H = 5;
export const EWMA_LAMBDA = 0.2;
export const EWMA_L = 3;
/** Buckets with fewer expected stops than this are not scored. */
export const MIN_EXPECTED = 5;
/** A baseline needs at least this many scored buckets. */
export const MIN_BASELINE_BUCKETS = 7;

export type Side = 'upper' | 'lower' | 'both';

export interface Signal {
  statistic: 'CUSUM' | 'EWMA';
  side: 'upper' | 'lower';
  /** index into the monitored buckets where it crossed */
  index: number;
  label: string;
  /** the statistic and the limit it crossed */
  value: number;
  limit: number;
  /** CUSUM: the bucket after its last zero before the crossing, the likely start of the shift */
  sinceIndex: number;
  sinceLabel: string;
}

export interface ScoredBucket {
  label: string;
  /** the standardised statistic, null when the bucket is not scored */
  z: number | null;
  cusumUpper: number;
  cusumLower: number;
  ewma: number;
  ewmaLimit: number;
}

export interface Monitoring {
  scored: ScoredBucket[];
  /** first signal of each statistic and side, in bucket order (the chart restarts after each) */
  signals: Signal[];
  /** the statistic is over its limit at the last bucket */
  activeAtEnd: boolean;
}

/** CUSUM and EWMA over standardised values; after a signal the chart that signalled restarts from 0. */
export function monitor(values: readonly { label: string; z: number | null }[], side: Side): Monitoring {
  const scored: ScoredBucket[] = [];
  const signals: Signal[] = [];
  let upper = 0;
  let lower = 0;
  let ewma = 0;
  let steps = 0;
  let upperSince = 0;
  let lowerSince = 0;
  let activeAtEnd = false;
  const watchUpper = side !== 'lower';
  const watchLower = side !== 'upper';
  values.forEach(({ label, z }, index) => {
    activeAtEnd = false;
    if (z === null) {
      scored.push({ label, z, cusumUpper: upper, cusumLower: lower, ewma, ewmaLimit: ewmaLimitAt(Math.max(steps, 1)) });
      return;
    }
    steps++;
    if (upper === 0) upperSince = index;
    if (lower === 0) lowerSince = index;
    upper = Math.max(0, upper + z - CUSUM_K);
    lower = Math.max(0, lower - z - CUSUM_K);
    ewma = EWMA_LAMBDA * z + (1 - EWMA_LAMBDA) * ewma;
    const limit = ewmaLimitAt(steps);
    scored.push({ label, z, cusumUpper: upper, cusumLower: lower, ewma, ewmaLimit: limit });
    const at = (statistic: Signal['statistic'], s: Signal['side'], value: number, lim: number, since: number): Signal => ({
      statistic, side: s, index, label, value, limit: lim, sinceIndex: since, sinceLabel: values[since].label,
    });
    let cusumSignal = false;
    let ewmaSignal = false;
    if (watchUpper && upper > CUSUM_H) signals.push(at('CUSUM', 'upper', upper, CUSUM_H, upperSince)), (cusumSignal = true);
    if (watchLower && lower > CUSUM_H) signals.push(at('CUSUM', 'lower', lower, CUSUM_H, lowerSince)), (cusumSignal = true);
    if (watchUpper && ewma > limit) signals.push(at('EWMA', 'upper', ewma, limit, upperSince)), (ewmaSignal = true);
    if (watchLower && ewma < -limit) signals.push(at('EWMA', 'lower', ewma, -limit, lowerSince)), (ewmaSignal = true);
    // each chart restarts after its own signal (as after an intervention)
    if (cusumSignal) {
      upper = 0;
      lower = 0;
    }
    if (ewmaSignal) {
      ewma = 0;
      steps = 0;
    }
    activeAtEnd = cusumSignal || ewmaSignal;
  });
  return { scored, signals, activeAtEnd };
}

function ewmaLimitAt(step: number): number {
  return EWMA_L * Math.sqrt((EWMA_LAMBDA / (2 - EWMA_LAMBDA)) * (1 - (1 - EWMA_LAMBDA) ** (2 * step)));
}

// ---- counts per exposure (micro-stops per running hour) ---------------------------------------------

export interface CountBucket {
  label: string;
  count: number;
  /** running hours */
  exposure: number;
}

export interface CountBaseline {
  /** events per unit of exposure */
  rate: number;
  /** quasi-Poisson dispersion φ ≥ 1 */
  dispersion: number;
  buckets: number;
  exposure: number;
}

/** The baseline rate and dispersion, or null when it has too few scored buckets. */
export function countBaseline(buckets: readonly CountBucket[]): CountBaseline | null {
  const usable = buckets.filter((b) => b.exposure > 0);
  const exposure = usable.reduce((sum, b) => sum + b.exposure, 0);
  const count = usable.reduce((sum, b) => sum + b.count, 0);
  if (exposure <= 0 || count <= 0) return null;
  const rate = count / exposure;
  const scored = usable.filter((b) => rate * b.exposure >= MIN_EXPECTED);
  if (scored.length < MIN_BASELINE_BUCKETS) return null;
  let chi = 0;
  for (const b of scored) chi += (b.count - rate * b.exposure) ** 2 / (rate * b.exposure);
  return { rate, dispersion: Math.max(1, chi / (scored.length - 1)), buckets: scored.length, exposure };
}

export function standardisedCounts(baseline: CountBaseline, buckets: readonly CountBucket[]): { label: string; z: number | null }[] {
  return buckets.map((b) => {
    const expected = baseline.rate * b.exposure;
    const variance = baseline.dispersion * expected * (1 + b.exposure / baseline.exposure);
    return { label: b.label, z: expected >= MIN_EXPECTED ? (b.count - expected) / Math.sqrt(variance) : null };
  });
}

export interface CountDrift {
  baseline: CountBaseline;
  monitoring: Monitoring;
  /** the first upward CUSUM signal, with the rate since the shift began against the baseline */
  alarm: (Signal & { rateSince: number; ratio: number }) | null;
  /** the first EWMA signal (supporting evidence, or a "watch" on its own) */
  ewmaSignal: Signal | null;
}

/** Upward drift of an event rate (micro-stops per running hour) against its baseline. */
export function countDrift(baselineBuckets: readonly CountBucket[], monitored: readonly CountBucket[]): CountDrift | null {
  const baseline = countBaseline(baselineBuckets);
  if (!baseline) return null;
  const monitoring = monitor(standardisedCounts(baseline, monitored), 'upper');
  const first = monitoring.signals.find((s) => s.statistic === 'CUSUM');
  const ewmaSignal = monitoring.signals.find((s) => s.statistic === 'EWMA') ?? null;
  if (!first) return { baseline, monitoring, alarm: null, ewmaSignal };
  // the change point: within the CUSUM's run, the start whose later rate is the most likely
  // departure from the baseline (Poisson likelihood ratio); the run's start alone is early
  const start = changePoint(baseline.rate, monitored, first.sinceIndex, first.index);
  const since = monitored.slice(start, first.index + 1);
  const exposure = since.reduce((sum, b) => sum + b.exposure, 0);
  const rateSince = exposure > 0 ? since.reduce((sum, b) => sum + b.count, 0) / exposure : baseline.rate;
  first.sinceIndex = start;
  first.sinceLabel = monitored[start].label;
  return { baseline, monitoring, alarm: { ...first, rateSince, ratio: rateSince / baseline.rate }, ewmaSignal };
}

function changePoint(rate0: number, buckets: readonly CountBucket[], from: number, to: number): number {
  let best = from;
  let bestScore = -Infinity;
  let count = 0;
  let exposure = 0;
  for (let start = to; start >= from; start--) {
    count += buckets[start].count;
    exposure += buckets[start].exposure;
    if (exposure <= 0 || count <= 0) continue;
    const rate1 = count / exposure;
    const score = rate1 > rate0 ? count * Math.log(rate1 / rate0) - (rate1 - rate0) * exposure : 0;
    if (score > bestScore) {
      bestScore = score;
      best = start;
    }
  }
  return best;
}

// ---- a channel's mean or spread from per-bucket stats -------------------------------------------------

export interface StatBucket {
  label: string;
  n: number;
  sum: number;
  sumSq: number;
}

export interface StatDrift {
  statistic: 'mean' | 'sd';
  baseline: { mean: number; sd: number; buckets: number };
  monitoring: Monitoring;
  /** the first CUSUM signal */
  alarm: Signal | null;
  ewmaSignal: Signal | null;
}

const bucketMean = (b: StatBucket) => (b.n > 0 ? b.sum / b.n : null);
function bucketSd(b: StatBucket): number | null {
  if (b.n < 2) return null;
  const variance = (b.sumSq - (b.sum * b.sum) / b.n) / (b.n - 1);
  return variance > 0 ? Math.sqrt(variance) : null;
}

/**
 * Drift of a channel's bucket mean (two-sided) or spread (ln sd, upper side). The reference is the
 * baseline buckets' mean and between-bucket standard deviation of that statistic: it already holds
 * the ordinary bucket-to-bucket variation, so a stable process does not alarm on it.
 */
export function statDrift(statistic: 'mean' | 'sd', baselineBuckets: readonly StatBucket[], monitored: readonly StatBucket[]): StatDrift | null {
  const valueOf = (b: StatBucket) => {
    if (statistic === 'mean') return bucketMean(b);
    const sd = bucketSd(b);
    return sd === null ? null : Math.log(sd);
  };
  const base = baselineBuckets.map(valueOf).filter((v): v is number => v !== null);
  if (base.length < MIN_BASELINE_BUCKETS) return null;
  const mean = base.reduce((s, v) => s + v, 0) / base.length;
  const sd = Math.sqrt(base.reduce((s, v) => s + (v - mean) ** 2, 0) / (base.length - 1));
  if (!(sd > 0)) return null;
  const values = monitored.map((b) => {
    const v = valueOf(b);
    return { label: b.label, z: v === null ? null : (v - mean) / sd };
  });
  const monitoring = monitor(values, statistic === 'mean' ? 'both' : 'upper');
  const alarm = monitoring.signals.find((s) => s.statistic === 'CUSUM');
  if (alarm) {
    // the change point within the CUSUM's run: the start whose later mean z departs the most
    // (normal likelihood ratio, (Σz)²/m with the sign of the side that signalled)
    const sign = alarm.side === 'upper' ? 1 : -1;
    let best = alarm.sinceIndex;
    let bestScore = -Infinity;
    let sum = 0;
    let count = 0;
    for (let start = alarm.index; start >= alarm.sinceIndex; start--) {
      const z = values[start].z;
      if (z === null) continue;
      sum += sign * z;
      count++;
      const score = sum > 0 ? (sum * sum) / count : 0;
      if (score > bestScore) {
        bestScore = score;
        best = start;
      }
    }
    alarm.sinceIndex = best;
    alarm.sinceLabel = values[best].label;
  }
  return {
    statistic,
    baseline: { mean, sd, buckets: base.length },
    monitoring,
    alarm: monitoring.signals.find((s) => s.statistic === 'CUSUM') ?? null,
    ewmaSignal: monitoring.signals.find((s) => s.statistic === 'EWMA') ?? null,
  };
}
