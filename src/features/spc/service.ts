// Control charts of measurement channels (issue 14 item 3): limits frozen from a baseline period the
// quality engineer chooses (a new version each time, audited), and the chart of a window with those
// limits — the monitoring method of core/spc/monitor.ts: subgroup means with a wander-robust σ, run
// rules, the EWMA drift detector, capability and histogram. Readings come from the measurements
// feature (raw samples for windows up to MAX_RAW_DAYS, so spikes are screened; per-minute statistics
// beyond, where the chart shows subgroup means of whole minutes and no capability).
import type { Db, Executor } from '../../db/database.js';
import { Invalid } from '../../core/errors.js';
import { requireReason } from '../../core/reasons.js';
import { capability, histogram, meansLimits, monitorWithLimits, screenForMonitoring, subgroupMinutes, findMinuteGaps, type MeansLimits, type Screening } from '../../core/spc/index.js';
import { appendAudit } from '../audit/repository.js';
import type { Who } from '../audit/who.js';
import { getChannel, hourStats, minuteStats, samplesInWindow } from '../measurements/service.js';
import type { Channel } from '../measurements/schemas.js';
import * as repo from './repository.js';
import type { LimitsInput, LimitsView, SpcChart } from './schemas.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Windows up to this many days are charted from raw readings (spikes screened out). */
export const MAX_RAW_DAYS = 3;
/** A baseline may span at most this long (its raw readings are read at once). */
const MAX_BASELINE_DAYS = 14;
const DEFAULT_WINDOW_MS = 8 * HOUR_MS;
const DRIFT_WIDTH = 3.5;
const DRIFT_LAMBDA = 0.2;

function limitsView(stored: repo.StoredLimits): LimitsView {
  const half = stored.width * stored.ewmaSd;
  return {
    version: stored.version, subgroupMinutes: stored.subgroupMinutes, rules: stored.rules, centre: stored.centre,
    lcl: stored.centre - 3 * stored.sigmaOfMeans, ucl: stored.centre + 3 * stored.sigmaOfMeans, sigmaOfMeans: stored.sigmaOfMeans, sigmaWithin: stored.sigmaWithin,
    lambda: stored.lambda, width: stored.width, ewmaLcl: stored.centre - half, ewmaUcl: stored.centre + half, subgroups: stored.subgroups,
    baselineFrom: stored.baselineFrom, baselineTo: stored.baselineTo, createdBy: stored.createdBy, createdAt: stored.createdAt, reason: stored.reason,
  };
}

const asMeansLimits = (stored: repo.StoredLimits): MeansLimits => ({
  centre: stored.centre, sigmaOfMeans: stored.sigmaOfMeans, sigmaWithin: stored.sigmaWithin, degreesOfFreedom: stored.degreesOfFreedom, ewmaSd: stored.ewmaSd,
  lambda: stored.lambda, subgroupMinutes: stored.subgroupMinutes, subgroups: stored.subgroups, from: stored.baselineFrom, to: stored.baselineTo,
});

/** Screened readings judged with a channel's stored limits: its rules and its drift detector (the chart and the alerts). */
export function judgeWithLimits(screening: Screening, stored: repo.StoredLimits) {
  return monitorWithLimits(screening, asMeansLimits(stored), { rules: stored.rules, drift: { width: stored.width } });
}

export async function listLimits(db: Executor, machine: string, channelKey: string): Promise<LimitsView[]> {
  const channel = await getChannel(db, machine, channelKey);
  return (await repo.listLimits(db, channel.id)).map(limitsView);
}

/** New limits from the readings of [baselineFrom, baselineTo): version n + 1, audited with the reason. */
export async function setLimits(db: Db, who: Who, machine: string, channelKey: string, input: LimitsInput, now: number): Promise<LimitsView> {
  const from = Date.parse(input.baselineFrom);
  const to = Date.parse(input.baselineTo);
  if (!(to > from)) throw Invalid.field('body.baselineTo', 'must be after baselineFrom');
  if (to - from > MAX_BASELINE_DAYS * DAY_MS) throw Invalid.field('body.baselineTo', `a baseline spans at most ${MAX_BASELINE_DAYS} days`);
  if (to > now) throw Invalid.field('body.baselineTo', 'must not be in the future: limits are computed from readings that exist');
  const reason = requireReason({ ...who, reason: input.reason }, 'new control limits');
  return db.transaction().execute(async (trx) => {
    const channel = await getChannel(trx, machine, channelKey);
    const samples = await samplesInWindow(trx, channel.id, from, to);
    if (samples.length === 0) throw Invalid.field('body.baselineFrom', 'the baseline period holds no readings of this channel');
    let computed: MeansLimits;
    try {
      computed = meansLimits(screenForMonitoring(samples, input.subgroupMinutes).subgroups, input.subgroupMinutes, DRIFT_LAMBDA);
    } catch (error) {
      if (error instanceof Invalid) throw Invalid.field('body.baselineFrom', error.message.replace(/^baseline: /, ''));
      throw error;
    }
    const previous = await repo.latestLimits(trx, channel.id);
    const stored: repo.StoredLimits = {
      channelId: channel.id, version: (previous?.version ?? 0) + 1, subgroupMinutes: input.subgroupMinutes, rules: input.rules,
      centre: computed.centre, sigmaOfMeans: computed.sigmaOfMeans, sigmaWithin: computed.sigmaWithin, degreesOfFreedom: computed.degreesOfFreedom,
      ewmaSd: computed.ewmaSd, lambda: computed.lambda, width: DRIFT_WIDTH, subgroups: computed.subgroups, baselineFrom: from, baselineTo: to,
      createdBy: who.actor, createdAt: now, reason,
    };
    await repo.insertLimits(trx, stored);
    const view = limitsView(stored);
    await appendAudit(trx, {
      actor: who.actor, source: who.source, reason, entity: 'spc-limits', entityKey: `${machine}/${channelKey}`, action: previous ? 'update' : 'create',
      before: previous ? limitsView(previous) : null, after: view,
    });
    return view;
  });
}

/** Windows beyond this many days are read from the hourly statistics. */
const HOURLY_BEYOND_DAYS = 30;

/**
 * Subgroups of whole minutes or hours (long windows): the means of their readings, no spike
 * screening. Beyond HOURLY_BEYOND_DAYS the hourly statistics are read (a year: 8 760 rows).
 */
async function screeningFromStats(db: Executor, channel: Channel, from: number, to: number, minutes: number): Promise<Screening> {
  const hourly = to - from > HOURLY_BEYOND_DAYS * DAY_MS;
  const stats = hourly ? await hourStats(db, channel.id, Math.ceil(from / HOUR_MS) * HOUR_MS, to) : await minuteStats(db, channel.id, from, to);
  const summaries = stats.map((m) => ({ minute: m.minute, n: m.n, sum: m.sum, sumSq: m.sumSq, min: m.min, max: m.max }));
  const size = hourly ? Math.max(60, Math.ceil(minutes / 60) * 60) : minutes;
  // hours are 60 min apart: only a missing hour is a gap
  const gapMinutes = hourly ? 120 : 5;
  return { findings: findMinuteGaps(summaries, { maxMinutes: gapMinutes }), subgroups: subgroupMinutes(summaries, { minutes: size }, { gapMinutes }), kept: [] };
}

/** The chart of a channel over [from, to) with its newest limits. */
export async function channelChart(db: Executor, machine: string, channelKey: string, window: { from?: number; to?: number }, now: number): Promise<SpcChart> {
  const channel = await getChannel(db, machine, channelKey);
  const to = window.to ?? now;
  const from = window.from ?? to - DEFAULT_WINDOW_MS;
  if (!(to > from)) throw Invalid.field('query.to', 'must be after from');
  if (to - from > 400 * DAY_MS) throw Invalid.field('query.from', 'a chart spans at most 400 days');
  const stored = await repo.latestLimits(db, channel.id);
  const minutes = stored?.subgroupMinutes ?? 5;
  const raw = to - from <= MAX_RAW_DAYS * DAY_MS;
  const samples = raw ? await samplesInWindow(db, channel.id, from, to) : [];
  // long windows: subgroups of an hour's minutes at most ~10 000 points, limits scaled to their size are not claimed
  // long windows: subgroups wide enough for at most ~2 000 points (whole hours beyond 30 days)
  const screening = raw ? screenForMonitoring(samples, minutes) : await screeningFromStats(db, channel, from, to, Math.max(minutes, Math.ceil((to - from) / 60_000 / 2000)));
  const words: string[] = [];
  let limits: LimitsView | null = null;
  let chartPoints: SpcChart['points'] = screening.subgroups.filter((g) => g.usable).map((g) => ({ at: g.from, mean: g.mean, n: g.n, outside: false }));
  let drift: SpcChart['drift'] = [];
  let signals: SpcChart['signals'] = [];
  if (stored) {
    limits = limitsView(stored);
    if (raw) {
      const judged = judgeWithLimits(screening, stored);
      chartPoints = judged.chart.points.map((p) => ({ at: p.at, mean: p.value, n: screening.subgroups[p.subgroup]?.n ?? 1, outside: p.outside }));
      drift = judged.drift;
      signals = judged.signals;
    } else {
      chartPoints = chartPoints.map((p) => ({ ...p, outside: p.mean > limits!.ucl || p.mean < limits!.lcl }));
      words.push(`Over ${Math.round((to - from) / DAY_MS)} days the chart shows means of ${Math.round((screening.subgroups[0]?.to ?? 0) - (screening.subgroups[0]?.from ?? 0)) / 60_000 || minutes}-min subgroups against the ${stored.subgroupMinutes}-min limits; rules and the drift detector are judged on windows of up to ${MAX_RAW_DAYS} days.`);
    }
    words.push(
      signals.length === 0
        ? `No signal in this window: the subgroup means stayed within ${limits.lcl.toPrecision(5)}–${limits.ucl.toPrecision(5)} ${channel.unit} and the drift detector within its limits.`
        : `${signals.length} signal${signals.length === 1 ? '' : 's'} in this window; the latest: ${signals[signals.length - 1].message}.`,
    );
  } else {
    words.push('No control limits yet — set them from a baseline period of stable running.');
  }
  const values = screening.kept.map((s) => s.value);
  const spec = { lsl: channel.lsl, usl: channel.usl, target: channel.target };
  const cap = raw
    ? capability({ values, spec, limits: stored?.sigmaWithin ? { sigma: stored.sigmaWithin, degreesOfFreedom: stored.degreesOfFreedom } : null })
    : null;
  const index = (value: { value: number; lower: number; upper: number } | null | undefined) => (value ? { value: value.value, lower: value.lower, upper: value.upper } : null);
  const outOfSpec = {
    below: channel.lsl === null ? 0 : values.filter((v) => v < channel.lsl!).length,
    above: channel.usl === null ? 0 : values.filter((v) => v > channel.usl!).length,
  };
  if (outOfSpec.below + outOfSpec.above > 0) words.push(`${outOfSpec.below + outOfSpec.above} single reading(s) outside the specification (${outOfSpec.below} below, ${outOfSpec.above} above) — reported apart from the chart's signals.`);
  const count = (kind: string) => screening.findings.filter((f) => f.kind === kind).length;
  if (count('spike') > 0 || count('stuck') > 0) words.push(`${count('spike')} spike(s) and ${count('stuck')} stuck spell(s) of the sensor were left out of the means.`);
  const hist = values.length >= 2 ? histogram(values, spec) : null;
  return {
    channel: { key: channel.key, name: channel.name, unit: channel.unit, target: channel.target, lsl: channel.lsl, usl: channel.usl },
    window: { from, to },
    subgroupMinutes: minutes,
    limits,
    points: chartPoints,
    drift,
    signals,
    findings: { spikes: count('spike'), stuck: count('stuck'), gaps: count('gap') },
    capability: cap
      ? { n: cap.n, mean: cap.mean, sigmaWithin: cap.sigmaWithin, sigmaOverall: cap.sigmaOverall, cp: index(cap.cp), cpk: index(cap.cpk), pp: index(cap.pp), ppk: index(cap.ppk), reasons: cap.reasons }
      : { n: 0, mean: null, sigmaWithin: null, sigmaOverall: null, cp: null, cpk: null, pp: null, ppk: null, reasons: [`capability is computed on windows of up to ${MAX_RAW_DAYS} days of readings`] },
    histogram: hist ? { bins: hist.bins, markers: hist.markers, belowLsl: hist.belowLsl, aboveUsl: hist.aboveUsl } : null,
    outOfSpec,
    samples: raw ? samples.length : screening.subgroups.reduce((a, g) => a + g.n, 0),
    words,
  };
}
