// Monitoring a measurement channel (issue 14 items 3 and 7): the method behind `qmfg monitor` and the
// channel's alerts. Real film thickness is not white noise: besides sensor noise it wanders slowly
// (temperature, roll changes) and has single-sample spikes. Limits from within-subgroup variation
// alone (σ̂ = S̄/c4) then sit far inside the wander of the subgroup means and flood the chart with
// alarms. So the chart plots subgroup MEANS (5-min subgroups by default) as individuals, with a σ of
// the means estimated from the baseline's means themselves — wander included — and robustly
// (1.4826 × the median absolute deviation, so a few odd subgroups in the baseline do not widen it):
//   1. screen the readings: spikes (Hampel), stuck runs and gaps are findings; spikes and stuck runs
//      are left out of every subgroup and estimate, gaps end a subgroup and restart the rules;
//   2. limits on the means of the baseline's subgroups (all subgroups without a baseline window);
//   3. run rules (Western Electric or Nelson) on the chart of means, and a drift detector: an EWMA
//      of the means whose limits are `width` × the EWMA's own spread over the baseline (the EWMA of
//      autocorrelated means varies more than the white-noise formula says, so the formula would
//      alarm on wander);
//   4. capability of the kept readings: Cp/Cpk with the within-subgroup σ̂ (S̄/c4), Pp/Ppk overall.
// Signals are control-chart and drift signals only; single readings out of spec are counted apart.
import { Invalid } from '../errors.js';
import { capability, type CapabilityResult } from './capability.js';
import { individualsChart } from './charts.js';
import { estimateLimits } from './limits.js';
import { excludedIndices, findGaps, findSpikes, findStuck, gapThresholdMs, type Finding } from './noise.js';
import { applyRules, type RuleSelection } from './rules.js';
import { subgroupSamples } from './subgroups.js';
import type { Chart, ControlLimits, Sample, Subgroup } from './types.js';

export interface MonitorOptions {
  lsl?: number | null;
  usl?: number | null;
  target?: number | null;
  /** baseline window (UTC ms, [from, to)); null: every subgroup read */
  baseline?: { from: number; to: number } | null;
  /** minutes per subgroup (default 5) */
  subgroupMinutes?: number;
  /** rules on the chart of means (default Western Electric) */
  rules?: RuleSelection;
  /** the drift detector: λ (default 0.2) and its limit width in the EWMA's baseline sd (default 3.5) */
  drift?: { lambda?: number; width?: number } | false;
  /** a subgroup needs at least this many readings (default: half of what its minutes should hold, at least 2) */
  minSubgroupSize?: number;
}

/** Limits of the chart of means, frozen from a baseline (what the feature stores, versioned). */
export interface MeansLimits {
  centre: number;
  /** σ of the subgroup means (wander included) */
  sigmaOfMeans: number;
  /** within-subgroup σ̂ of one reading (S̄/c4), for Cp/Cpk; null when subgroups are too small */
  sigmaWithin: number | null;
  degreesOfFreedom: number;
  /** the EWMA's sd over the baseline (drift limits = centre ± width × this) */
  ewmaSd: number;
  lambda: number;
  subgroupMinutes: number;
  subgroups: number;
  from: number;
  to: number;
}

export interface MonitorSignal {
  /** e.g. "we1", "nelson2", "ewma-drift" */
  rule: string;
  ruleName: string;
  at: number;
  value: number;
  message: string;
}

export interface MonitorResult {
  /** every reading read, outliers included */
  samples: number;
  /** of the kept readings (spikes and stuck runs left out) */
  mean: number | null;
  sd: number | null;
  limits: { centre: number; lcl: number; ucl: number };
  means: MeansLimits;
  signals: MonitorSignal[];
  /** single readings beyond the spec (kept readings), reported apart from the signals */
  outOfSpec: { below: number; above: number };
  findings: { spikes: number; stuck: number; gaps: number; list: Finding[] };
  /** null without a spec (no LSL and no USL): there is nothing to be capable of */
  capability: CapabilityResult | null;
  /** the chart of means and the drift statistic, for screens and mails */
  chart: Chart;
  drift: { at: number; value: number; lcl: number; ucl: number }[];
}

const DEFAULT_WIDTH = 3.5;
const DEFAULT_LAMBDA = 0.2;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The subgroups' means as points of one reading each (the chart of means). */
function meansAsPoints(subgroups: readonly Subgroup[]): Subgroup[] {
  return subgroups.map((g) => ({ ...g, n: 1, sd: 0, range: 0 }));
}

function ewmaSeries(points: readonly Subgroup[], centre: number, lambda: number): number[] {
  const values: number[] = [];
  let z = centre;
  for (const point of points) {
    if (point.afterGap) z = centre;
    z = lambda * point.mean + (1 - lambda) * z;
    values.push(z);
  }
  return values;
}

export interface Screening {
  findings: Finding[];
  subgroups: Subgroup[];
  kept: Sample[];
}

export function screenForMonitoring(samples: readonly Sample[], subgroupMinutes: number, minSize?: number): Screening {
  const findings = [...findSpikes(samples), ...findStuck(samples, { minRun: 10 }), ...findGaps(samples)].sort((a, b) => a.from - b.from);
  const exclude = excludedIndices(findings);
  const gapMs = gapThresholdMs(samples);
  const period = samples.length > 1 ? (samples[samples.length - 1].at - samples[0].at) / (samples.length - 1) : 60_000;
  const expected = Math.max(1, Math.round((subgroupMinutes * 60_000) / Math.max(period, 1)));
  const minimum = minSize ?? Math.max(2, Math.floor(expected / 2));
  const subgroups = subgroupSamples(samples, { by: 'time', minutes: subgroupMinutes, minSize: minimum }, { exclude, gapMs });
  const kept = samples.filter((_, i) => !exclude.has(i));
  return { findings, subgroups, kept };
}

/** Frozen limits of the chart of means from the baseline's subgroups (≥ 20 usable, else Invalid). */
export function meansLimits(subgroups: readonly Subgroup[], subgroupMinutes: number, lambda = DEFAULT_LAMBDA): MeansLimits {
  const usable = subgroups.filter((g) => g.usable);
  if (usable.length < 20) throw Invalid.field('baseline', `the baseline has ${usable.length} usable subgroups of ${subgroupMinutes} min; at least 20 are needed`);
  const means = usable.map((g) => g.mean);
  const centre = median(means);
  const mad = median(means.map((m) => Math.abs(m - centre)));
  let sigmaOfMeans = 1.4826 * mad;
  if (!(sigmaOfMeans > 0)) {
    const average = means.reduce((a, b) => a + b, 0) / means.length;
    sigmaOfMeans = Math.sqrt(means.reduce((a, m) => a + (m - average) ** 2, 0) / Math.max(1, means.length - 1));
  }
  if (!(sigmaOfMeans > 0)) throw Invalid.field('baseline', 'the baseline shows no variation between subgroups (σ = 0): check for a stuck sensor');
  let within: ControlLimits | null = null;
  try {
    within = estimateLimits(usable, 'sbar-c4', { revise: false });
  } catch {
    within = null;
  }
  const ewma = ewmaSeries(meansAsPoints(usable), centre, lambda);
  // the first points start from the centre: the spread is read once the EWMA has settled
  const settled = ewma.slice(Math.min(ewma.length - 1, Math.ceil(2 / lambda)));
  const ewmaMean = settled.reduce((a, b) => a + b, 0) / settled.length;
  const ewmaSd = Math.sqrt(settled.reduce((a, z) => a + (z - ewmaMean) ** 2, 0) / Math.max(1, settled.length - 1)) || sigmaOfMeans * Math.sqrt(lambda / (2 - lambda));
  return {
    centre, sigmaOfMeans, sigmaWithin: within?.sigma ?? null, degreesOfFreedom: within?.degreesOfFreedom ?? 0, ewmaSd, lambda, subgroupMinutes,
    subgroups: usable.length, from: usable[0].from, to: usable[usable.length - 1].to,
  };
}

/** Chart of means with frozen limits: rule violations and drift signals. */
export function monitorWithLimits(screening: Screening, limits: MeansLimits, options: Pick<MonitorOptions, 'rules' | 'drift'> = {}): { chart: Chart; signals: MonitorSignal[]; drift: MonitorResult['drift'] } {
  const points = meansAsPoints(screening.subgroups);
  const chart = individualsChart(points, { centre: limits.centre, sigma: limits.sigmaOfMeans });
  const signals: MonitorSignal[] = [];
  for (const violation of applyRules(chart, options.rules ?? 'western-electric')) {
    const point = chart.points[violation.signalIndex];
    signals.push({ rule: violation.rule, ruleName: violation.ruleName, at: point.at, value: point.value, message: violation.message });
  }
  const drift: MonitorResult['drift'] = [];
  if (options.drift !== false) {
    const width = options.drift?.width ?? DEFAULT_WIDTH;
    const usable = points.filter((g) => g.usable);
    const series = ewmaSeries(usable, limits.centre, limits.lambda);
    const half = width * limits.ewmaSd;
    let beyond = false;
    usable.forEach((g, i) => {
      const z = series[i];
      drift.push({ at: g.from, value: z, lcl: limits.centre - half, ucl: limits.centre + half });
      const outside = z > limits.centre + half || z < limits.centre - half;
      if (g.afterGap) beyond = false;
      // one signal when the EWMA crosses its limit (not one per point while it stays beyond)
      if (outside && !beyond) {
        const above = z > limits.centre;
        signals.push({
          rule: 'ewma-drift', ruleName: 'EWMA drift', at: g.from, value: z,
          message: `the running mean (EWMA λ ${limits.lambda}) moved ${above ? 'above' : 'below'} ${width} × its baseline spread: the process mean has drifted ${above ? 'up' : 'down'}`,
        });
      }
      beyond = outside;
    });
  }
  signals.sort((a, b) => a.at - b.at);
  return { chart, signals, drift };
}

/** The whole method on readings (a file or a window of a channel). */
export function monitorSamples(samples: readonly Sample[], options: MonitorOptions = {}): MonitorResult {
  if (samples.length === 0) throw Invalid.field('samples', 'no readings to monitor');
  const subgroupMinutes = options.subgroupMinutes ?? 5;
  if (!(subgroupMinutes > 0)) throw Invalid.field('subgroup', 'must be a positive number of minutes');
  const screening = screenForMonitoring(samples, subgroupMinutes, options.minSubgroupSize);
  const baselineGroups = options.baseline ? screening.subgroups.filter((g) => g.from >= options.baseline!.from && g.to <= options.baseline!.to) : screening.subgroups;
  const limits = meansLimits(baselineGroups, subgroupMinutes, options.drift === false ? DEFAULT_LAMBDA : (options.drift?.lambda ?? DEFAULT_LAMBDA));
  const { chart, signals, drift } = monitorWithLimits(screening, limits, options);
  const values = screening.kept.map((s) => s.value);
  const mean = values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
  const sd = values.length > 1 && mean !== null ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1)) : null;
  const lsl = options.lsl ?? null;
  const usl = options.usl ?? null;
  const outOfSpec = { below: lsl === null ? 0 : values.filter((v) => v < lsl).length, above: usl === null ? 0 : values.filter((v) => v > usl).length };
  const cap = lsl === null && usl === null ? null : capability({ values, spec: { lsl, usl, target: options.target ?? null }, limits: limits.sigmaWithin ? { sigma: limits.sigmaWithin, degreesOfFreedom: limits.degreesOfFreedom } : null });
  const count = (kind: Finding['kind']) => screening.findings.filter((f) => f.kind === kind).length;
  return {
    samples: samples.length,
    mean,
    sd,
    limits: { centre: limits.centre, lcl: limits.centre - 3 * limits.sigmaOfMeans, ucl: limits.centre + 3 * limits.sigmaOfMeans },
    means: limits,
    signals,
    outOfSpec,
    findings: { spikes: count('spike'), stuck: count('stuck'), gaps: count('gap'), list: screening.findings },
    capability: cap,
    chart,
    drift,
  };
}
