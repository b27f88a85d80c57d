// A machine's health verdict and "maintenance suggested" findings in words (pure).
//   maintenance suggested — a drift statistic signalled in the monitored period (micro-stop rate
//                           up against the baseline, or a channel's mean/spread shifted)
//   watch                 — no CUSUM signal, but an EWMA signal, or the MTBF of a stop class
//                           falling with a 95 % interval below 0, or too short a baseline
//   ok                    — neither (or no running time at all: nothing to judge, said so)
import type { ClassReliability } from './reliability.js';
import type { CountDrift, StatDrift } from './drift.js';

export type Verdict = 'ok' | 'watch' | 'maintenance suggested';

export interface MaintenanceFinding {
  kind: 'micro-stop rate' | 'channel mean' | 'channel spread';
  /** what was watched: "micro-stops per running hour" or "channel temp-1 mean" */
  subject: string;
  statistic: 'CUSUM' | 'EWMA';
  /** bucket label of the crossing and of the likely start */
  at: string;
  since: string;
  text: string;
}

const one = (value: number) => value.toFixed(1);
const pct = (ratio: number) => `${Math.round((ratio - 1) * 100)} %`;

export function countFinding(subject: string, drift: CountDrift): MaintenanceFinding | null {
  const alarm = drift.alarm;
  if (!alarm) return null;
  const change = alarm.ratio >= 1 ? `${pct(alarm.ratio)} higher` : `${pct(1 / alarm.ratio)} lower`;
  const limit = alarm.statistic === 'CUSUM' ? `its decision limit h = ${alarm.limit}` : `its control limit ${alarm.limit.toFixed(2)}`;
  return {
    kind: 'micro-stop rate',
    subject,
    statistic: alarm.statistic,
    at: alarm.label,
    since: alarm.sinceLabel,
    text:
      `Maintenance suggested: ${subject} rose to ${one(alarm.rateSince)} per hour since ${alarm.sinceLabel}, ${change} than the baseline ${one(drift.baseline.rate)} per hour ` +
      `(${drift.baseline.buckets} baseline buckets, dispersion ${drift.baseline.dispersion.toFixed(2)}); the ${alarm.statistic} crossed ${limit} on ${alarm.label} (value ${alarm.value.toFixed(2)}).`,
  };
}

export function statFinding(subject: string, drift: StatDrift): MaintenanceFinding | null {
  const alarm = drift.alarm;
  if (!alarm) return null;
  const what = drift.statistic === 'mean' ? 'mean' : 'spread';
  const direction = alarm.side === 'upper' ? 'up' : 'down';
  const reference = drift.statistic === 'mean' ? `baseline mean ${drift.baseline.mean.toPrecision(4)} ± ${drift.baseline.sd.toPrecision(3)} between buckets` : `baseline sd ${Math.exp(drift.baseline.mean).toPrecision(3)}`;
  return {
    kind: drift.statistic === 'mean' ? 'channel mean' : 'channel spread',
    subject,
    statistic: alarm.statistic,
    at: alarm.label,
    since: alarm.sinceLabel,
    text: `Maintenance suggested: the ${what} of ${subject} shifted ${direction} since ${alarm.sinceLabel} (${reference}); the ${alarm.statistic} crossed ${Math.abs(alarm.limit).toFixed(2)} on ${alarm.label}.`,
  };
}

export interface VerdictInput {
  classes: readonly ClassReliability[];
  findings: readonly MaintenanceFinding[];
  /** null when the baseline was too short to judge drift */
  microDrift: CountDrift | null;
  /** running seconds in the period: 0 means there is nothing to judge */
  runSeconds?: number;
  /** EWMA-only signals of other monitored statistics (channels), in words */
  ewmaNotes?: readonly string[];
}

export function healthVerdict(input: VerdictInput): { verdict: Verdict; reasons: string[] } {
  const reasons: string[] = [];
  if (input.runSeconds === 0 && input.findings.length === 0) return { verdict: 'ok', reasons: ['No running time in the period: nothing to judge.'] };
  for (const finding of input.findings) reasons.push(finding.text);
  if (input.findings.length > 0) return { verdict: 'maintenance suggested', reasons };
  let watch = false;
  for (const c of input.classes) {
    if (c.mtbfTrend.direction === 'falling') {
      watch = true;
      reasons.push(
        `MTBF of ${c.name} stops (${c.label}) is falling by ${one(-c.mtbfTrend.slope)} s per bucket (95 % interval ${one(-c.mtbfTrend.high)} to ${one(-c.mtbfTrend.low)} s) over ${c.mtbfTrend.n} buckets.`,
      );
    }
  }
  const ewma = input.microDrift?.ewmaSignal;
  if (ewma) {
    watch = true;
    reasons.push(`The EWMA of micro-stops per running hour crossed its limit on ${ewma.label} (${ewma.value.toFixed(2)} > ${ewma.limit.toFixed(2)}), without a CUSUM signal: watch it.`);
  }
  for (const note of input.ewmaNotes ?? []) {
    watch = true;
    reasons.push(note);
  }
  if (input.microDrift === null) {
    watch = true;
    reasons.push('Not enough baseline before the period (at least 7 days with running time) to judge drift of the micro-stop rate.');
  } else if (!ewma) reasons.push(`Micro-stop rate within its baseline (${one(input.microDrift.baseline.rate)} per running hour): no CUSUM or EWMA signal.`);
  return { verdict: watch ? 'watch' : 'ok', reasons };
}
