// What the alert engine's spc rules see (issue 14 item 3): per channel of a machine that has control
// limits, whether the chart of the last 8 h of readings has a signal in its last hour — a broken run
// rule or the drift detector — with the chart of the evidence for the mail. The engine applies the
// rule's hysteresis, cap and mail; here only the judgement.
import type { Executor } from '../../db/database.js';
import { screenForMonitoring } from '../../core/spc/index.js';
import { judgeWithLimits } from './service.js';
import { listChannels, minuteStats, samplesInWindow } from '../measurements/service.js';
import * as repo from './repository.js';
import { chartSvg } from './chart-svg.js';

const HOUR_MS = 3_600_000;
/** a signal this recent keeps the alert's condition holding */
const ACTIVE_MS = HOUR_MS;
const WINDOW_HOURS = 8;

export interface ChannelSignalSubject {
  key: string;
  label: string;
  active: boolean;
  since: number | null;
  detail: string;
  /** the chart of the evidence as SVG, drawn only when the alert's mail needs it (not on every evaluation) */
  chart?: () => string;
}

export async function spcSignalSubjects(db: Executor, machine: { key: string; name: string }, now: number): Promise<ChannelSignalSubject[]> {
  const subjects: ChannelSignalSubject[] = [];
  for (const channel of await listChannels(db, machine.key)) {
    const limits = await repo.latestLimits(db, channel.id);
    if (!limits) continue;
    const samples = await samplesInWindow(db, channel.id, now - WINDOW_HOURS * HOUR_MS, now);
    const key = `${machine.key}/${channel.key}`;
    const label = `${machine.name} ${channel.name}`;
    if (samples.length === 0) {
      subjects.push({ key, label, active: false, since: null, detail: 'no readings' });
      continue;
    }
    const judged = judgeWithLimits(screenForMonitoring(samples, limits.subgroupMinutes), limits);
    // a rule broken in the last hour, or the drift detector beyond its limits now (it signals once when it crosses)
    const lastDrift = judged.drift.at(-1);
    const driftBeyond = lastDrift !== undefined && (lastDrift.value > lastDrift.ucl || lastDrift.value < lastDrift.lcl) && lastDrift.at + 2 * limits.subgroupMinutes * 60_000 >= now - ACTIVE_MS;
    const crossing = driftBeyond ? judged.signals.filter((s) => s.rule === 'ewma-drift').at(-1) : undefined;
    const recent = judged.signals.filter((s) => s.at + limits.subgroupMinutes * 60_000 >= now - ACTIVE_MS || s === crossing);
    if (recent.length === 0) {
      subjects.push({ key, label, active: false, since: null, detail: 'in control' });
      continue;
    }
    const latest = recent[recent.length - 1];
    subjects.push({
      key, label, active: true, since: recent[0].at,
      detail: `${latest.ruleName}: ${latest.message} (limits v${limits.version})`,
      chart: () =>
        chartSvg({
          title: `${label} — ${latest.ruleName}`, unit: channel.unit, centre: limits.centre, lcl: limits.centre - 3 * limits.sigmaOfMeans, ucl: limits.centre + 3 * limits.sigmaOfMeans,
          points: judged.chart.points.map((p) => ({ at: p.at, value: p.value })), signals: judged.signals, drift: judged.drift,
        }),
    });
  }
  return subjects;
}

/**
 * Per-bucket statistics (n, Σ, Σ²) of a machine's channels, for the maintenance feature's drift of a
 * channel's mean and spread: what it needs, without it importing measurements.
 */
export async function channelBucketStats(db: Executor, machine: string, buckets: readonly { label: string; from: number; to: number }[]): Promise<{ channel: string; buckets: { label: string; n: number; sum: number; sumSq: number }[] }[]> {
  if (buckets.length === 0) return [];
  const out: { channel: string; buckets: { label: string; n: number; sum: number; sumSq: number }[] }[] = [];
  for (const channel of await listChannels(db, machine)) {
    const minutes = await minuteStats(db, channel.id, buckets[0].from, buckets[buckets.length - 1].to);
    let index = 0;
    const stats = buckets.map((b) => ({ label: b.label, n: 0, sum: 0, sumSq: 0 }));
    for (const minute of minutes) {
      while (index < buckets.length && minute.minute >= buckets[index].to) index++;
      if (index >= buckets.length) break;
      if (minute.minute < buckets[index].from) continue;
      stats[index].n += minute.n;
      stats[index].sum += minute.sum;
      stats[index].sumSq += minute.sumSq;
    }
    out.push({ channel: channel.name, buckets: stats });
  }
  return out;
}

/** A channel's mean or sd per bucket (null where it has no readings), for the correlation analysis; null for an unknown channel. */
export async function channelMetric(db: Executor, machine: string, channelKey: string, statistic: 'mean' | 'sd', buckets: readonly { from: number; to: number }[]): Promise<(number | null)[] | null> {
  const channel = (await listChannels(db, machine)).find((c) => c.key === channelKey);
  if (!channel) return null;
  const [stats] = (await channelBucketStats(db, machine, buckets.map((b, i) => ({ label: String(i), ...b })))).filter((s) => s.channel === channel.name);
  return (stats?.buckets ?? []).map((b) => {
    if (b.n === 0) return null;
    const mean = b.sum / b.n;
    if (statistic === 'mean') return mean;
    return b.n > 1 ? Math.sqrt(Math.max(0, (b.sumSq - b.n * mean * mean) / (b.n - 1))) : null;
  });
}
