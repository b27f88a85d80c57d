// The whole path from readings to a chart, in one call each for the feature: screen the readings
// (spikes, stuck runs, gaps), cut subgroups (without the screened-out readings, never across a gap),
// then either estimate limits (baseline) or draw the charts with frozen limits and apply the rules.
import { Invalid } from '../errors.js';
import { ewmaChart, imrChart, xbarRChart, xbarSChart, type EwmaOptions } from './charts.js';
import { estimateLimits, type LimitOptions } from './limits.js';
import { excludedIndices, findGaps, findMinuteGaps, findMinuteStuck, findSpikes, findStuck, gapThresholdMs, type Finding, type SpikeOptions } from './noise.js';
import { applyRules, type RuleSelection, type Violation } from './rules.js';
import { individuals, subgroupMinutes, subgroupSamples, type SubgroupPlan } from './subgroups.js';
import type { Chart, ControlLimits, MinuteSummary, Sample, SigmaMethod, Subgroup } from './types.js';

export type ChartType = 'xbar-r' | 'xbar-s' | 'i-mr' | 'ewma';

export interface ScreenOptions {
  /** false: no spike screening; default on (Hampel, see noise.ts) */
  spikes?: SpikeOptions | false;
  /** identical readings in a row that make a stuck finding (default 10); false: off */
  stuckRun?: number | false;
  /** a spacing over this many sampling periods is a gap (default 5) */
  gapPeriods?: number;
  /** the sampling period (ms); default the median spacing */
  periodMs?: number;
}

export interface SampleChartOptions extends ScreenOptions {
  chart: ChartType;
  /** how readings form subgroups (ignored for 'i-mr': one reading per point) */
  subgroup?: SubgroupPlan;
  /** EWMA: λ and L; the EWMA plots subgroup means (of one reading when no subgroup is given) */
  ewma?: EwmaOptions;
}

export interface Screened {
  findings: Finding[];
  subgroups: Subgroup[];
}

/** The σ̂ each chart type's limits are estimated with. */
export function sigmaMethodFor(chart: ChartType, subgroups: readonly Subgroup[]): SigmaMethod {
  if (chart === 'xbar-r') return 'rbar-d2';
  if (chart === 'xbar-s') return 'sbar-c4';
  if (chart === 'i-mr') return 'mrbar-d2';
  return subgroups.some((g) => g.usable && g.n > 1) ? 'sbar-c4' : 'mrbar-d2';
}

/** Findings (spikes, stuck, gaps) and the subgroups built without the readings they leave out. */
export function screenSamples(samples: readonly Sample[], options: SampleChartOptions): Screened {
  const findings: Finding[] = [];
  if (options.spikes !== false) findings.push(...findSpikes(samples, options.spikes ?? {}));
  if (options.stuckRun !== false) findings.push(...findStuck(samples, { minRun: options.stuckRun ?? 10 }));
  const gapOptions = { periodMs: options.periodMs, maxPeriods: options.gapPeriods };
  findings.push(...findGaps(samples, gapOptions));
  findings.sort((a, b) => a.from - b.from);
  const exclude = excludedIndices(findings);
  const gapMs = gapThresholdMs(samples, gapOptions);
  const subgroupOptions = { exclude, gapMs };
  const perPoint = options.chart === 'i-mr' || (options.chart === 'ewma' && options.subgroup === undefined);
  if (!perPoint && options.subgroup === undefined) throw Invalid.field('subgroup', `a ${options.chart} chart needs a subgroup plan (by count or by time)`);
  const subgroups = perPoint ? individuals(samples, subgroupOptions) : subgroupSamples(samples, options.subgroup!, subgroupOptions);
  return { findings, subgroups };
}

/** Limits from a baseline period of readings; Invalid (saying how many) with fewer than 20 usable subgroups. */
export function baselineFromSamples(samples: readonly Sample[], options: SampleChartOptions & { limits?: LimitOptions }): ControlLimits & { findings: Finding[] } {
  const { findings, subgroups } = screenSamples(samples, options);
  if (subgroups.length === 0) throw Invalid.field('baseline', 'the baseline has no readings');
  return { ...estimateLimits(subgroups, sigmaMethodFor(options.chart, subgroups), options.limits), findings };
}

export interface ChartResult {
  findings: Finding[];
  subgroups: Subgroup[];
  /** X̄, I or EWMA */
  location: Chart;
  /** R, S or MR; null for EWMA */
  dispersion: Chart | null;
  violations: { location: Violation[]; dispersion: Violation[] };
}

export interface RuleOptions {
  /** rules on the location chart (default Western Electric); EWMA only ever signals beyond its limits */
  rules?: RuleSelection;
  /** rules on the R/S/MR chart (default: rule 1 only) */
  dispersionRules?: RuleSelection;
}

/** Charts with the given (frozen) limits and their rule violations. */
export function chartSubgroups(subgroups: Subgroup[], findings: Finding[], chart: ChartType, limits: ControlLimits, options: RuleOptions & { ewma?: EwmaOptions } = {}): ChartResult {
  if (chart === 'ewma') {
    const location = ewmaChart(subgroups, limits, options.ewma);
    return { findings, subgroups, location, dispersion: null, violations: { location: applyRules(location, ['we1']), dispersion: [] } };
  }
  const pair = chart === 'xbar-r' ? xbarRChart(subgroups, limits) : chart === 'xbar-s' ? xbarSChart(subgroups, limits) : imrChart(subgroups, limits);
  const dispersionRules = options.dispersionRules ?? (['we1'] as const);
  return {
    findings,
    subgroups,
    location: pair.location,
    dispersion: pair.dispersion,
    violations: { location: applyRules(pair.location, options.rules ?? 'western-electric'), dispersion: applyRules(pair.dispersion, dispersionRules) },
  };
}

export function chartSamples(samples: readonly Sample[], limits: ControlLimits, options: SampleChartOptions & RuleOptions): ChartResult {
  const { findings, subgroups } = screenSamples(samples, options);
  return chartSubgroups(subgroups, findings, options.chart, limits, options);
}

export interface MinuteChartOptions extends RuleOptions {
  chart: 'xbar-r' | 'xbar-s' | 'ewma';
  /** T minutes per subgroup */
  minutes: number;
  minSize?: number;
  /** present minutes further apart than this are a gap (default 5) */
  gapMinutes?: number;
  /** readings of one value in a row over consecutive all-equal minutes that make a stuck finding (default 10); false: off */
  stuckRun?: number | false;
  ewma?: EwmaOptions;
}

/** Findings and subgroups from per-minute summaries (stuck minutes are left out). */
export function screenMinutes(minutes: readonly MinuteSummary[], options: MinuteChartOptions): Screened {
  const findings = findMinuteGaps(minutes, { maxMinutes: options.gapMinutes ?? 5 });
  if (options.stuckRun !== false) findings.push(...findMinuteStuck(minutes, { minRun: options.stuckRun ?? 10 }));
  findings.sort((a, b) => a.from - b.from);
  const stuck = excludedIndices(findings);
  const kept = stuck.size === 0 ? minutes : minutes.filter((_, i) => !stuck.has(i));
  const subgroups = subgroupMinutes(kept, { minutes: options.minutes, minSize: options.minSize }, { gapMinutes: options.gapMinutes ?? 5 });
  return { findings, subgroups };
}

export function baselineFromMinutes(minutes: readonly MinuteSummary[], options: MinuteChartOptions & { limits?: LimitOptions }): ControlLimits & { findings: Finding[] } {
  const { findings, subgroups } = screenMinutes(minutes, options);
  if (subgroups.length === 0) throw Invalid.field('baseline', 'the baseline has no readings');
  return { ...estimateLimits(subgroups, sigmaMethodFor(options.chart, subgroups), options.limits), findings };
}

export function chartMinutes(minutes: readonly MinuteSummary[], limits: ControlLimits, options: MinuteChartOptions): ChartResult {
  const { findings, subgroups } = screenMinutes(minutes, options);
  return chartSubgroups(subgroups, findings, options.chart, limits, options);
}
