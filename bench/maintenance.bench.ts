// Maintenance signals on simulated stable and stepped micro-stop streams (issue 14 item 5): the
// CUSUM's false-alarm rate per machine-year on stable Poisson data, and its detection delay for a
// +50 % step in the micro-stop rate, at low, typical and high rates (the real Line 7 logs run
// ~8–14 micro-stops per running hour). Each stream: a 28-day baseline, then the monitored period.
// Targets: ≤ 1 false alarm per machine-year with daily buckets (≤ 12 with hourly ones, the more
// sensitive reading); a +50 % step found within 3 days at ≥ 8/h, within 7 days at 2/h.
import { countDrift } from '../src/core/maintenance/drift.js';
import { dailyCounts } from '../src/core/maintenance/stable-stream.js';
import type { Figure } from './lib.js';

const STREAMS = 40;
const BASELINE = 28;

function falseAlarmsPerYear(ratePerHour: number, hoursPerBucket: number, bucketsPerYear: number, years: number): { cusum: number; ewma: number } {
  let cusum = 0;
  let ewma = 0;
  for (let seed = 0; seed < STREAMS; seed++) {
    const baseline = Math.round((BASELINE * 15) / hoursPerBucket);
    const stream = dailyCounts(90_000 + seed * 7 + ratePerHour, baseline + bucketsPerYear * years, ratePerHour, hoursPerBucket);
    const drift = countDrift(stream.slice(0, baseline), stream.slice(baseline));
    if (!drift) continue;
    cusum += drift.monitoring.signals.filter((s) => s.statistic === 'CUSUM').length;
    ewma += drift.monitoring.signals.filter((s) => s.statistic === 'EWMA').length;
  }
  return { cusum: cusum / (STREAMS * years), ewma: ewma / (STREAMS * years) };
}

/** Mean buckets from the step to the first CUSUM signal at or after it (a signal before the step restarts nothing: it is counted as a false alarm elsewhere). */
function detectionDelay(ratePerHour: number, hoursPerBucket: number, stepAfter: number): number {
  let total = 0;
  for (let seed = 0; seed < STREAMS; seed++) {
    const baseline = Math.round((BASELINE * 15) / hoursPerBucket);
    const stream = dailyCounts(50_000 + seed * 13 + ratePerHour, baseline + stepAfter + 200, ratePerHour, hoursPerBucket, { day: baseline + stepAfter, factor: 1.5 });
    const drift = countDrift(stream.slice(0, baseline), stream.slice(baseline))!;
    const hit = drift.monitoring.signals.find((s) => s.statistic === 'CUSUM' && s.index >= stepAfter);
    total += hit ? hit.index - stepAfter + 1 : 200;
  }
  return total / STREAMS;
}

export default async function run(): Promise<Figure[]> {
  const figures: Figure[] = [];
  const notes: string[] = [];
  for (const rate of [2, 8, 20]) {
    const daily = falseAlarmsPerYear(rate, 15, 365, 5);
    figures.push({ name: `maintenance CUSUM false alarms, daily buckets, ${rate} micro-stops/h`, value: daily.cusum, unit: '/machine-year', target: 1 });
    notes.push(`${rate}/h daily: CUSUM ${daily.cusum.toFixed(2)}, EWMA (watch only) ${daily.ewma.toFixed(2)} per machine-year`);
    figures.push({ name: `maintenance +50 % step detection delay, daily, ${rate}/h`, value: detectionDelay(rate, 15, 30), unit: 'days', target: rate >= 8 ? 3 : 7 });
  }
  const hourly = falseAlarmsPerYear(8, 1, 15 * 365, 1);
  figures.push({ name: 'maintenance CUSUM false alarms, hourly buckets, 8/h', value: hourly.cusum, unit: '/machine-year', target: 12 });
  figures.push({ name: 'maintenance +50 % step detection delay, hourly, 8/h', value: detectionDelay(8, 1, 100), unit: 'hours', target: 24 });
  notes.push(`8/h hourly: CUSUM ${hourly.cusum.toFixed(2)}, EWMA ${hourly.ewma.toFixed(2)} per machine-year (15 running hours a day)`);
  process.stderr.write(`${notes.join('\n')}\n`);
  return figures;
}
