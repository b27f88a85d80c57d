// Maintenance signals and comparative analysis over the OEE feature's series (which reads machine
// data's derived tables through their owner): MTBF/MTTR per stop class with trend, drift of the
// micro-stop rate against a baseline before the period, a health verdict; correlation of two
// metrics per bucket, and of one metric on two machines.
import type { Executor } from '../../db/database.js';
import { NotFound } from '../../core/errors.js';
import { DEFAULT_WORK_LIMITS, type RequestWorkLimits } from '../../core/limits.js';
import { MS_PER_DAY } from '../../core/time.js';
import { correlate, describeFinding, lagSearch, scatterPoints, type Finding } from '../../core/correlation/index.js';
import {
  countDrift, countFinding, CUSUM_H, CUSUM_K, healthVerdict, reliabilityByClass, statDrift, statFinding, type CountBucket, type MaintenanceFinding, type ReliabilityBucket,
  type StatBucket,
} from '../../core/maintenance/index.js';
import { linearRegression } from 'simple-statistics';
import * as plantRepo from '../plant/repository.js';
import { machinesOee } from '../oee/service.js';
import type { MachineOee, OeeBucket } from '../oee/schemas.js';
import { metricRegistry, type ChannelMetricSource, type MetricRegistry } from './metrics.js';
import type { CompareResponse, CorrelationResponse, HealthResponse } from './schemas.js';

export const DEFAULT_BASELINE_DAYS = 28;
export const DEFAULT_MAX_LAG = 6;

type Series = (OeeBucket & { fromMs: number; toMs: number })[];

async function requireMachine(db: Executor, machine: string): Promise<void> {
  if (!(await plantRepo.getMachine(db, machine))) throw new NotFound('machine', machine);
}

async function oeeSeries(db: Executor, zone: string, machine: string, from: number, to: number, groupBy: '10min' | 'hour' | 'shift' | 'day' | 'week', now: number, limits: RequestWorkLimits): Promise<{ result: MachineOee; series: Series }> {
  const answer = await machinesOee(db, zone, { machines: [machine], from, to, groupBy }, now, limits);
  const result = answer.machines[0];
  return { result, series: result.series.map((b) => ({ ...b, fromMs: Date.parse(b.from), toMs: Date.parse(b.to) })) };
}

const iso = (ms: number) => new Date(ms).toISOString();

// ---- health ------------------------------------------------------------------------------------------

export interface HealthQuery {
  machine: string;
  from: number;
  to: number;
  groupBy?: 'day' | 'week';
  /** buckets the micro-stop drift is judged per (default day) */
  driftBucket?: 'hour' | 'day';
  /** start of the baseline; default DEFAULT_BASELINE_DAYS before `from` (it ends at `from`) */
  baselineFrom?: number;
}

/**
 * Per-bucket statistics of the channels of a machine over [from, to) cut by `buckets` (the
 * measurements feature's minute stats summed per bucket): plugged in by the caller, so this feature
 * does not import the measurements feature.
 */
export type ChannelStatsSource = (db: Executor, machine: string, buckets: readonly { label: string; from: number; to: number }[]) => Promise<{ channel: string; buckets: StatBucket[] }[]>;

/** Drift of each channel's mean and spread against its baseline: CUSUM findings, and EWMA-only notes for a watch. */
async function channelDrift(db: Executor, machine: string, source: ChannelStatsSource, baseline: Series, monitored: Series): Promise<{ findings: MaintenanceFinding[]; notes: string[] }> {
  const cut = (series: Series) => series.map((b) => ({ label: b.label, from: b.fromMs, to: b.toMs }));
  const before = new Map((await source(db, machine, cut(baseline))).map((c) => [c.channel, c.buckets]));
  const findings: MaintenanceFinding[] = [];
  const notes: string[] = [];
  for (const { channel, buckets } of await source(db, machine, cut(monitored))) {
    for (const statistic of ['mean', 'sd'] as const) {
      const drift = statDrift(statistic, before.get(channel) ?? [], buckets);
      if (!drift) continue;
      const finding = statFinding(`channel ${channel}`, drift);
      if (finding) findings.push(finding);
      else if (drift.ewmaSignal) notes.push(`The EWMA of channel ${channel}'s ${statistic === 'mean' ? 'mean' : 'spread'} crossed its limit on ${drift.ewmaSignal.label}, without a CUSUM signal: watch it.`);
    }
  }
  return { findings, notes };
}

const microBucket = (b: OeeBucket): CountBucket => ({ label: b.label, count: b.stops.classes[0]?.count ?? 0, exposure: b.runSeconds / 3600 });

export async function machineHealth(db: Executor, zone: string, query: HealthQuery, now: number, limits: RequestWorkLimits = DEFAULT_WORK_LIMITS, channelStats?: ChannelStatsSource): Promise<HealthResponse> {
  await requireMachine(db, query.machine);
  const groupBy = query.groupBy ?? 'day';
  const driftBucket = query.driftBucket ?? 'day';
  const baselineFrom = query.baselineFrom ?? query.from - DEFAULT_BASELINE_DAYS * MS_PER_DAY;
  const period = await oeeSeries(db, zone, query.machine, query.from, query.to, groupBy, now, limits);
  const stopBins = period.result.totals.stops.classes.map((c) => c.minSeconds);
  const reliabilityBuckets: ReliabilityBucket[] = period.series.map((b) => ({
    label: b.label, from: b.fromMs, to: b.toMs, runSeconds: b.runSeconds, classes: b.stops.classes.map((c) => ({ count: c.count, seconds: c.seconds })),
  }));
  const classes = reliabilityByClass(stopBins, reliabilityBuckets);

  const monitored = driftBucket === groupBy ? period.series : (await oeeSeries(db, zone, query.machine, query.from, query.to, driftBucket, now, limits)).series;
  const baseline = baselineFrom < query.from ? (await oeeSeries(db, zone, query.machine, baselineFrom, query.from, driftBucket, now, limits)).series : [];
  const monitoredCounts = monitored.map(microBucket);
  const drift = countDrift(baseline.map(microBucket), monitoredCounts);
  const findings: MaintenanceFinding[] = [];
  const finding = drift ? countFinding(`micro-stops per running hour on ${query.machine}`, drift) : null;
  if (finding) findings.push(finding);
  const channels = channelStats ? await channelDrift(db, query.machine, channelStats, baseline, monitored) : { findings: [], notes: [] };
  findings.push(...channels.findings);
  const { verdict, reasons } = healthVerdict({ classes, findings, microDrift: drift, runSeconds: period.result.totals.runSeconds, ewmaNotes: channels.notes });

  return {
    machine: query.machine,
    profile: period.result.profile,
    zone,
    from: iso(query.from),
    to: iso(query.to),
    groupBy,
    classes: classes.map((c) => ({ ...c, series: c.series.map((s) => ({ ...s, from: iso(s.from) })) })),
    microStops: {
      bucket: driftBucket,
      baseline: { from: iso(baselineFrom), to: iso(query.from), buckets: drift?.baseline.buckets ?? 0, ratePerHour: drift?.baseline.rate ?? null, dispersion: drift?.baseline.dispersion ?? null },
      cusumK: CUSUM_K,
      cusumH: CUSUM_H,
      series: monitored.map((b, i) => {
        const counts = monitoredCounts[i];
        const scored = drift?.monitoring.scored[i];
        return {
          label: b.label,
          from: b.from,
          count: counts.count,
          runningHours: counts.exposure,
          perRunningHour: counts.exposure > 0 ? counts.count / counts.exposure : null,
          z: scored?.z ?? null,
          cusum: scored ? scored.cusumUpper : null,
          ewma: scored ? scored.ewma : null,
          ewmaLimit: scored ? scored.ewmaLimit : null,
        };
      }),
      signals: drift?.monitoring.signals ?? [],
    },
    findings,
    verdict,
    reasons,
  };
}

/**
 * The "maintenance suggested" findings of a machine as of `now`, for the alert engine: the last day in
 * hourly buckets judged against the 7 days before (an alert should come within hours of a drift, not
 * after a week: the bench's hourly false-alarm rate is the price, see README). It decides what to notify.
 */
export async function maintenanceFindings(db: Executor, machineKey: string, now: number, zone: string, channelStats?: ChannelStatsSource): Promise<MaintenanceFinding[]> {
  const to = Math.floor(now / 3_600_000) * 3_600_000;
  const from = to - MS_PER_DAY;
  const health = await machineHealth(db, zone, { machine: machineKey, from, to, driftBucket: 'hour', baselineFrom: from - 7 * MS_PER_DAY }, now, DEFAULT_WORK_LIMITS, channelStats);
  return health.findings;
}

// ---- correlation ---------------------------------------------------------------------------------------

export type AnalysisBucket = '10min' | 'hour' | 'shift' | 'day' | 'week';

export interface CorrelationQuery {
  machine: string;
  x: string;
  y: string;
  from: number;
  to: number;
  bucket?: AnalysisBucket;
  maxLag?: number;
}

function fitLine(points: { x: number; y: number }[]): { slope: number; intercept: number } | null {
  if (points.length < 2) return null;
  const { m, b } = linearRegression(points.map((p) => [p.x, p.y]));
  return Number.isFinite(m) && Number.isFinite(b) ? { slope: m, intercept: b } : null;
}

const bucketWord = (bucket: AnalysisBucket) => (bucket === '10min' ? 'ten-minute bucket' : bucket);

export async function correlationAnalysis(db: Executor, zone: string, query: CorrelationQuery, now: number, options: { channels?: ChannelMetricSource; registry?: MetricRegistry; limits?: RequestWorkLimits } = {}): Promise<CorrelationResponse> {
  const registry = options.registry ?? metricRegistry(options.channels);
  const x = registry.resolve(query.x, 'query.x');
  const y = registry.resolve(query.y, 'query.y');
  await requireMachine(db, query.machine);
  const bucket = query.bucket ?? 'hour';
  const { series } = await oeeSeries(db, zone, query.machine, query.from, query.to, bucket, now, options.limits ?? DEFAULT_WORK_LIMITS);
  const xs = await x.values(db, series, query.machine);
  const ys = await y.values(db, series, query.machine);
  const correlation = correlate(xs, ys);
  const lags = lagSearch(xs, ys, query.maxLag ?? DEFAULT_MAX_LAG);
  const points = series.flatMap((b, i) => (xs[i] !== null && ys[i] !== null && Number.isFinite(xs[i]) && Number.isFinite(ys[i]) ? [{ label: b.label, x: xs[i] as number, y: ys[i] as number }] : []));
  const words: Finding = describeFinding({ x: x.view.label, y: y.view.label, bucket: bucketWord(bucket), correlation, lags });
  return { machine: query.machine, from: iso(query.from), to: iso(query.to), bucket, x: x.view, y: y.view, points, fit: fitLine(scatterPoints(xs, ys)), correlation, lags, words };
}

export interface CompareQuery {
  machines: [string, string];
  metric: string;
  from: number;
  to: number;
  bucket?: AnalysisBucket;
  maxLag?: number;
}

export async function compareMachines(db: Executor, zone: string, query: CompareQuery, now: number, options: { channels?: ChannelMetricSource; limits?: RequestWorkLimits } = {}): Promise<CompareResponse> {
  const metric = metricRegistry(options.channels).resolve(query.metric, 'query.metric');
  for (const machine of query.machines) await requireMachine(db, machine);
  const bucket = query.bucket ?? 'day';
  const limits = options.limits ?? DEFAULT_WORK_LIMITS;
  const series = await Promise.all(query.machines.map((machine) => oeeSeries(db, zone, machine, query.from, query.to, bucket, now, limits)));
  const values = await Promise.all(series.map((s) => metric.values(db, s.series, query.machines[series.indexOf(s)])));
  const [a, b] = values;
  const correlation = correlate(a, b);
  const lags = lagSearch(a, b, query.maxLag ?? DEFAULT_MAX_LAG);
  const mean = (list: (number | null)[]) => {
    const present = list.filter((v): v is number => v !== null && Number.isFinite(v));
    return present.length > 0 ? present.reduce((s, v) => s + v, 0) / present.length : null;
  };
  const words = describeFinding({ x: `${metric.view.label} on ${query.machines[0]}`, y: `${metric.view.label} on ${query.machines[1]}`, bucket: bucketWord(bucket), correlation, lags });
  return {
    machines: [...query.machines],
    from: iso(query.from),
    to: iso(query.to),
    bucket,
    metric: metric.view,
    labels: series[0].series.map((s) => s.label),
    series: query.machines.map((machine, i) => ({ machine, values: values[i], mean: mean(values[i]) })),
    correlation,
    lags,
    words,
  };
}
