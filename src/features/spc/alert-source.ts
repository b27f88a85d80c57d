// What the alert engine's spc rules see (issue 14 item 3): per channel of a machine that has control
// limits, whether the chart of the last 8 h of readings has a signal in its last hour — a broken run
// rule or the drift detector — with the chart of the evidence for the mail. The engine applies the
// rule's hysteresis, cap and mail; here only the judgement.
import type { Executor } from '../../db/database.js';
import { screenForMonitoring, monitorWithLimits } from '../../core/spc/index.js';
import { listChannels, samplesInWindow } from '../measurements/service.js';
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
  chartSvg?: string;
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
    const screening = screenForMonitoring(samples, limits.subgroupMinutes);
    const judged = monitorWithLimits(
      screening,
      {
        centre: limits.centre, sigmaOfMeans: limits.sigmaOfMeans, sigmaWithin: limits.sigmaWithin, degreesOfFreedom: limits.degreesOfFreedom, ewmaSd: limits.ewmaSd,
        lambda: limits.lambda, subgroupMinutes: limits.subgroupMinutes, subgroups: limits.subgroups, from: limits.baselineFrom, to: limits.baselineTo,
      },
      { rules: limits.rules, drift: { width: limits.width } },
    );
    const recent = judged.signals.filter((s) => s.at + limits.subgroupMinutes * 60_000 >= now - ACTIVE_MS);
    if (recent.length === 0) {
      subjects.push({ key, label, active: false, since: null, detail: 'in control' });
      continue;
    }
    const latest = recent[recent.length - 1];
    subjects.push({
      key, label, active: true, since: recent[0].at,
      detail: `${latest.ruleName}: ${latest.message} (limits v${limits.version})`,
      chartSvg: chartSvg({
        title: `${label} — ${latest.ruleName}`, unit: channel.unit, centre: limits.centre, lcl: limits.centre - 3 * limits.sigmaOfMeans, ucl: limits.centre + 3 * limits.sigmaOfMeans,
        points: judged.chart.points.map((p) => ({ at: p.at, value: p.value })), signals: judged.signals, drift: judged.drift,
      }),
    });
  }
  return subjects;
}
