// Rational subgroups: every k consecutive samples, or every T minutes (of samples or of per-minute
// summaries). A subgroup never spans a gap (DESIGN: a gap longer than X sampling periods breaks
// subgroups and run rules), and a subgroup with fewer samples than asked is kept but flagged
// (`usable: false` + reason) so the UI can show it and no chart or limit silently uses it.
import { Invalid } from '../errors.js';
import type { MinuteSummary, Sample, Subgroup } from './types.js';

const MINUTE_MS = 60_000;

export interface SubgroupByCount {
  by: 'count';
  /** k: samples per subgroup */
  size: number;
  /** fewer usable samples than this flags the subgroup (default: size) */
  minSize?: number;
}

export interface SubgroupByTime {
  by: 'time';
  /** T: window length in minutes, a whole number of seconds (0.5 = 30 s: fast channels); windows are aligned to UTC multiples of T from the epoch */
  minutes: number;
  /** fewer samples than this flags the subgroup (default 2) */
  minSize?: number;
}

export type SubgroupPlan = SubgroupByCount | SubgroupByTime;

export interface SubgroupOptions {
  /** sample indices left out of every subgroup (spikes, stuck runs: see noise.ts) */
  exclude?: ReadonlySet<number>;
  /** a silence longer than this (ms) between two kept samples ends the subgroup; null: never */
  gapMs?: number | null;
}

/** Running sums of one subgroup under construction (Welford, so large offsets keep their precision). */
class Accumulator {
  n = 0;
  mean = 0;
  m2 = 0;
  min = Infinity;
  max = -Infinity;
  from = 0;
  to = 0;
  add(at: number, value: number): void {
    if (this.n === 0) this.from = at;
    this.to = at;
    this.n++;
    const delta = value - this.mean;
    this.mean += delta / this.n;
    this.m2 += delta * (value - this.mean);
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }
}

function assertOrdered(samples: readonly Sample[]): void {
  for (let i = 0; i < samples.length; i++) {
    const { at, value } = samples[i];
    if (!Number.isFinite(at) || !Number.isFinite(value)) throw Invalid.field(`samples.${i}`, 'needs a finite instant and value');
    if (i > 0 && at < samples[i - 1].at) throw Invalid.field(`samples.${i}.at`, 'samples must be in non-decreasing time order');
  }
}

function validatePlan(plan: SubgroupPlan, unit: 'second' | 'minute' = 'minute'): { minSize: number } {
  if (plan.by === 'count') {
    if (!Number.isInteger(plan.size) || plan.size < 1) throw Invalid.field('subgroup.size', 'must be a whole number ≥ 1');
    const minSize = plan.minSize ?? plan.size;
    if (!Number.isInteger(minSize) || minSize < 1 || minSize > plan.size) throw Invalid.field('subgroup.minSize', `must be a whole number from 1 to the size (${plan.size})`);
    return { minSize };
  }
  // readings can be grouped by whole seconds; per-minute summaries only by whole minutes
  const steps = unit === 'second' ? plan.minutes * 60 : plan.minutes;
  if (!(Math.abs(steps - Math.round(steps)) < 1e-9) || Math.round(steps) < 1) throw Invalid.field('subgroup.minutes', `must be a whole number of ${unit}s ≥ 1`);
  const minSize = plan.minSize ?? 2;
  if (!Number.isInteger(minSize) || minSize < 1) throw Invalid.field('subgroup.minSize', 'must be a whole number ≥ 1');
  return { minSize };
}

function finish(acc: Accumulator, index: number, minSize: number, afterGap: boolean, wanted: string): Subgroup {
  const usable = acc.n >= minSize;
  return {
    index,
    from: acc.from,
    to: acc.to,
    n: acc.n,
    mean: acc.mean,
    sd: acc.n > 1 ? Math.sqrt(Math.max(0, acc.m2 / (acc.n - 1))) : 0,
    range: acc.max - acc.min,
    min: acc.min,
    max: acc.max,
    usable,
    reason: usable ? null : `only ${acc.n} sample${acc.n === 1 ? '' : 's'} (${wanted})`,
    afterGap,
  };
}

/** Cuts ordered samples into rational subgroups by count or by time. */
export function subgroupSamples(samples: readonly Sample[], plan: SubgroupPlan, options: SubgroupOptions = {}): Subgroup[] {
  assertOrdered(samples);
  const { minSize } = validatePlan(plan, 'second');
  const wanted = plan.by === 'count' ? `a subgroup needs ${minSize} of ${plan.size}` : `a ${plan.minutes}-minute subgroup needs at least ${minSize}`;
  const windowMs = plan.by === 'time' ? Math.round(plan.minutes * 60) * 1000 : 0;
  const gapMs = options.gapMs ?? null;
  const exclude = options.exclude;
  const out: Subgroup[] = [];
  let acc = new Accumulator();
  let window = Number.NaN;
  let lastAt = Number.NaN;
  let gapBefore = false;
  const close = (): void => {
    if (acc.n > 0) out.push(finish(acc, out.length, minSize, gapBefore, wanted));
    acc = new Accumulator();
    gapBefore = false;
  };
  for (let i = 0; i < samples.length; i++) {
    if (exclude?.has(i)) continue;
    const { at, value } = samples[i];
    if (gapMs !== null && !Number.isNaN(lastAt) && at - lastAt > gapMs) {
      close();
      gapBefore = true;
    }
    if (plan.by === 'time') {
      const start = Math.floor(at / windowMs) * windowMs;
      if (start !== window) {
        const keepGap: boolean = gapBefore && acc.n === 0;
        close();
        gapBefore = keepGap;
        window = start;
      }
    }
    acc.add(at, value);
    lastAt = at;
    if (plan.by === 'count' && acc.n === plan.size) close();
  }
  close();
  return out;
}

/**
 * Subgroups of per-minute summaries: every T minutes (aligned to UTC multiples of T). A missing
 * minute run longer than `gapMinutes` ends the subgroup and marks the next one `afterGap`.
 * The range is exact (from min/max); s comes from Σx and Σx² (clamped at 0).
 */
export function subgroupMinutes(
  minutes: readonly MinuteSummary[],
  plan: { minutes: number; minSize?: number },
  options: { gapMinutes?: number | null } = {},
): Subgroup[] {
  const { minSize } = validatePlan({ by: 'time', ...plan });
  const windowMs = plan.minutes * MINUTE_MS;
  const gapMs = options.gapMinutes == null ? Infinity : options.gapMinutes * MINUTE_MS;
  const wanted = `a ${plan.minutes}-minute subgroup needs at least ${minSize}`;
  const out: Subgroup[] = [];
  // a hot loop (a year is 525 600 minutes): plain locals, no closure
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  let min = Infinity;
  let max = -Infinity;
  let from = 0;
  let to = 0;
  let window = Number.NaN;
  let lastMinute = Number.NaN;
  let gapBefore = false;
  for (let i = 0; i <= minutes.length; i++) {
    const m = i < minutes.length ? minutes[i] : null;
    if (m !== null) {
      if (i > 0 && m.minute <= minutes[i - 1].minute) throw Invalid.field(`minutes.${i}.minute`, 'minutes must be in increasing order');
      if (m.n <= 0) continue;
    }
    const gap = m !== null && m.minute - lastMinute > gapMs;
    const start = m === null ? Number.NaN : m.minute - (((m.minute % windowMs) + windowMs) % windowMs);
    if (m === null || start !== window || gap) {
      if (n > 0) {
        const mean = sum / n;
        const usable = n >= minSize;
        out.push({
          index: out.length,
          from,
          to,
          n,
          mean,
          sd: n > 1 ? Math.sqrt(Math.max(0, (sumSq - sum * mean) / (n - 1))) : 0,
          range: max - min,
          min,
          max,
          usable,
          reason: usable ? null : `only ${n} sample${n === 1 ? '' : 's'} (${wanted})`,
          afterGap: gapBefore,
        });
      }
      if (m === null) break;
      n = sum = sumSq = 0;
      min = Infinity;
      max = -Infinity;
      window = start;
      gapBefore = gap;
      from = m.minute;
    }
    to = m.minute + MINUTE_MS;
    n += m.n;
    sum += m.sum;
    sumSq += m.sumSq;
    if (m.min < min) min = m.min;
    if (m.max > max) max = m.max;
    lastMinute = m.minute;
  }
  return out;
}

/** Each sample its own subgroup of one (for I–MR on slow channels), with the same exclusions and gaps. */
export function individuals(samples: readonly Sample[], options: SubgroupOptions = {}): Subgroup[] {
  return subgroupSamples(samples, { by: 'count', size: 1 }, options);
}
