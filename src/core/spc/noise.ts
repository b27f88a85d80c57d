// Noise and sensor faults, found before any chart so they are shown as what they are and never read
// as process signals:
// - spike: a single-sample outlier (a Hampel-type filter): the residual r = x − median of its window
//   (`halfWindow` samples each side) exceeds threshold × scale, the scale being 1.4826 × the median
//   non-zero |r| over the whole series (robust, and it follows drifts since the medians do). A window's
//   own MAD is not used: from 11 readings it is often tiny by chance, which flagged ordinary readings.
//   Zero residuals are left out of the scale so a stuck stretch or a quantised signal cannot shrink it.
//   Runs of more than `maxRun` flagged samples in a row are not spikes but a real change: unflagged.
//   Spikes are excluded from subgroups (hence from limits) and reported as findings.
// - stuck: `minRun` or more identical readings in a row: the sensor froze. Excluded likewise.
// - gap: two consecutive samples further apart than `maxPeriods` sampling periods (the period is the
//   median spacing unless given): subgroups, moving ranges, EWMA and run rules restart after it.
// Per-minute summaries carry no single readings, so only gaps and stuck minutes (min = max = the same
// value over consecutive minutes) can be found in them.
import { Invalid } from '../errors.js';
import type { MinuteSummary, Sample } from './types.js';

export type FindingKind = 'spike' | 'stuck' | 'gap';

export interface Finding {
  kind: FindingKind;
  /** first and last instant concerned (for a gap: the last sample before and the first after) */
  from: number;
  to: number;
  /** sample (or minute) indices concerned: the spike, the stuck run, or the two samples around a gap */
  indices: number[];
  /** the spike's or the stuck value; null for a gap */
  value: number | null;
  /** a sentence for the UI */
  message: string;
}

export interface SpikeOptions {
  halfWindow?: number;
  threshold?: number;
  maxRun?: number;
}

function median(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * x − the median of its window of 2·halfWindow + 1 readings (the window slides with i and stays put
 * at both ends). The window is kept sorted and moved one reading at a time (O(window) per reading)
 * instead of being copied and sorted for every reading: on a day at 1 Hz that was ~180 ms.
 */
function rollingMedianResiduals(values: readonly number[], halfWindow: number): number[] {
  const size = 2 * halfWindow + 1;
  const residuals = new Array<number>(values.length);
  const window = Float64Array.from(values.slice(0, size)).sort();
  let start = 0;
  for (let i = 0; i < values.length; i++) {
    const wanted = Math.max(0, Math.min(i - halfWindow, values.length - size));
    if (wanted !== start) {
      // wanted = start + 1: the oldest reading leaves, the next one enters
      slideSorted(window, values[start], values[start + size]);
      start = wanted;
    }
    residuals[i] = values[i] - window[halfWindow];
  }
  return residuals;
}

/** In a sorted array, replaces one occurrence of `leaving` by `entering`, keeping it sorted. */
function slideSorted(sorted: Float64Array, leaving: number, entering: number): void {
  let at = 0;
  while (sorted[at] !== leaving && !(Number.isNaN(leaving) && Number.isNaN(sorted[at]))) at++;
  if (entering > leaving) {
    while (at + 1 < sorted.length && sorted[at + 1] < entering) {
      sorted[at] = sorted[at + 1];
      at++;
    }
  } else {
    while (at > 0 && sorted[at - 1] > entering) {
      sorted[at] = sorted[at - 1];
      at--;
    }
  }
  sorted[at] = entering;
}

/** Single-sample outliers by the Hampel rule (defaults: 5 samples each side, threshold 5, runs of at most 2). */
export function findSpikes(samples: readonly Sample[], options: SpikeOptions = {}): Finding[] {
  const halfWindow = options.halfWindow ?? 5;
  const threshold = options.threshold ?? 5;
  const maxRun = options.maxRun ?? 2;
  if (!Number.isInteger(halfWindow) || halfWindow < 2) throw Invalid.field('spikes.halfWindow', 'must be a whole number ≥ 2');
  if (!(threshold > 0)) throw Invalid.field('spikes.threshold', 'must be > 0');
  if (samples.length < 2 * halfWindow + 1) return [];
  const values = samples.map((s) => s.value);
  const residuals = rollingMedianResiduals(values, halfWindow);
  // typed arrays sort numerically without a comparator: a day at 1 Hz is 86 400 residuals
  const absolute = new Float64Array(residuals.length);
  let nonZero = 0;
  for (const r of residuals) if (r !== 0) absolute[nonZero++] = Math.abs(r);
  const sortedAbsolute = absolute.subarray(0, nonZero).sort();
  const scale = nonZero === 0 ? 0 : 1.4826 * median(sortedAbsolute as unknown as readonly number[]);
  const flagged = residuals.map((r) => scale > 0 && Math.abs(r) > threshold * scale);
  const findings: Finding[] = [];
  for (let i = 0; i < values.length; i++) {
    if (!flagged[i]) continue;
    let end = i;
    while (end + 1 < values.length && flagged[end + 1]) end++;
    if (end - i + 1 <= maxRun) {
      for (let k = i; k <= end; k++) {
        findings.push({
          kind: 'spike',
          from: samples[k].at,
          to: samples[k].at,
          indices: [k],
          value: values[k],
          message: `spike: one reading of ${values[k]} far from its neighbours (left out of the limits)`,
        });
      }
    }
    i = end;
  }
  return findings;
}

/** Runs of `minRun` (default 10) or more identical readings. */
export function findStuck(samples: readonly Sample[], options: { minRun?: number } = {}): Finding[] {
  const minRun = options.minRun ?? 10;
  if (!Number.isInteger(minRun) || minRun < 2) throw Invalid.field('stuck.minRun', 'must be a whole number ≥ 2');
  const findings: Finding[] = [];
  let start = 0;
  for (let i = 1; i <= samples.length; i++) {
    if (i < samples.length && samples[i].value === samples[start].value) continue;
    const count = i - start;
    if (count >= minRun) {
      findings.push({
        kind: 'stuck',
        from: samples[start].at,
        to: samples[i - 1].at,
        indices: Array.from({ length: count }, (_, k) => start + k),
        value: samples[start].value,
        message: `sensor stuck: ${count} identical readings of ${samples[start].value} in a row (not a process signal; left out)`,
      });
    }
    start = i;
  }
  return findings;
}

/** The median spacing of consecutive samples (ms), ignoring zero spacings; null with fewer than 2 distinct instants. */
export function samplingPeriod(samples: readonly Sample[]): number | null {
  const spacings: number[] = [];
  for (let i = 1; i < samples.length; i++) {
    const d = samples[i].at - samples[i - 1].at;
    if (d > 0) spacings.push(d);
  }
  if (spacings.length === 0) return null;
  return median(spacings.sort((a, b) => a - b));
}

export interface GapOptions {
  /** the sampling period in ms (default: the median spacing) */
  periodMs?: number;
  /** a spacing longer than this many periods is a gap (default 5) */
  maxPeriods?: number;
}

/** The longest silence allowed inside a subgroup or a run-rule window (ms), or null when it cannot be told. */
export function gapThresholdMs(samples: readonly Sample[], options: GapOptions = {}): number | null {
  const period = options.periodMs ?? samplingPeriod(samples);
  const maxPeriods = options.maxPeriods ?? 5;
  if (!(maxPeriods > 0)) throw Invalid.field('gaps.maxPeriods', 'must be > 0');
  return period === null ? null : period * maxPeriods;
}

function gapFinding(beforeAt: number, afterAt: number, indices: number[], thresholdMs: number): Finding {
  const minutes = (afterAt - beforeAt) / 60_000;
  const text = minutes >= 1 ? `${minutes.toFixed(minutes < 10 ? 1 : 0)} min` : `${((afterAt - beforeAt) / 1000).toFixed(1)} s`;
  return {
    kind: 'gap',
    from: beforeAt,
    to: afterAt,
    indices,
    value: null,
    message: `gap: no reading for ${text} (over ${(thresholdMs / 1000).toFixed(1)} s): subgroups and run rules restart after it`,
  };
}

/** Spacings over the gap threshold. */
export function findGaps(samples: readonly Sample[], options: GapOptions = {}): Finding[] {
  const threshold = gapThresholdMs(samples, options);
  if (threshold === null) return [];
  const findings: Finding[] = [];
  for (let i = 1; i < samples.length; i++) {
    if (samples[i].at - samples[i - 1].at > threshold) findings.push(gapFinding(samples[i - 1].at, samples[i].at, [i - 1, i], threshold));
  }
  return findings;
}

/** Gaps between present minutes (n > 0) more than `maxMinutes` apart, start to start (default 5). */
export function findMinuteGaps(minutes: readonly MinuteSummary[], options: { maxMinutes?: number } = {}): Finding[] {
  const threshold = (options.maxMinutes ?? 5) * 60_000;
  const findings: Finding[] = [];
  let last = -1;
  for (let i = 0; i < minutes.length; i++) {
    if (minutes[i].n <= 0) continue;
    if (last >= 0 && minutes[i].minute - minutes[last].minute > threshold) {
      findings.push(gapFinding(minutes[last].minute + 60_000, minutes[i].minute, [last, i], threshold));
    }
    last = i;
  }
  return findings;
}

/** Consecutive minutes whose every reading was the same value (min = max, equal across the run), totalling ≥ minRun readings. */
export function findMinuteStuck(minutes: readonly MinuteSummary[], options: { minRun?: number } = {}): Finding[] {
  const minRun = options.minRun ?? 10;
  const findings: Finding[] = [];
  let i = 0;
  while (i < minutes.length) {
    const first = minutes[i];
    if (first.n <= 0 || first.min !== first.max) {
      i++;
      continue;
    }
    let end = i;
    let readings = first.n;
    while (end + 1 < minutes.length) {
      const next = minutes[end + 1];
      if (next.n <= 0 || next.min !== first.min || next.max !== first.min || next.minute !== minutes[end].minute + 60_000) break;
      end++;
      readings += next.n;
    }
    if (readings >= minRun) {
      findings.push({
        kind: 'stuck',
        from: first.minute,
        to: minutes[end].minute + 60_000,
        indices: Array.from({ length: end - i + 1 }, (_, k) => i + k),
        value: first.min,
        message: `sensor stuck: ${readings} identical readings of ${first.min} in a row (not a process signal; left out)`,
      });
    }
    i = end + 1;
  }
  return findings;
}

/** The sample indices of spike and stuck findings: pass as `exclude` to the subgroup builders. */
export function excludedIndices(findings: readonly Finding[]): Set<number> {
  const out = new Set<number>();
  for (const f of findings) if (f.kind !== 'gap') for (const i of f.indices) out.add(i);
  return out;
}
