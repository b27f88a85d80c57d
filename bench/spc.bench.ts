// SPC (issue 14 item 3): false-alarm rates of the run-rule sets on long stable normal processes next
// to their theory, detection delay for a 1σ mean shift (Shewhart vs EWMA), and the time to turn a year
// of per-minute summaries into an X̄–S chart with the Western Electric rules. Seeded: figures repeat.
// Theory: rule 1 alone 2.70 per 1000 (ARL₀ 370.4); Western Electric 1–4 ARL₀ 91.75 (Champ & Woodall
// 1987) → 10.9 per 1000; 1σ shift: Shewhart rule 1 ARL 43.9, EWMA λ 0.2 L 2.962 ≈ 10.2 (Lucas &
// Saccucci 1990, asymptotic limits; the time-varying limits used here detect a little sooner).
import { chartMinutes, estimateLimits, subgroupMinutes, type MinuteSummary } from '../src/core/spc/index.js';
import { averageRunLength, falseAlarmsPer1000, normalStream } from '../src/core/spc/simulate.js';
import { sample, type Figure } from './lib.js';

const SUBGROUPS = 500_000;
const YEAR_MINUTES = 525_600;

/** A year of per-minute summaries of 10 readings from N(50, 2), from 2026-01-01 UTC. */
function yearOfMinutes(): MinuteSummary[] {
  const normal = normalStream(2026);
  const start = Date.UTC(2026, 0, 1);
  const out: MinuteSummary[] = new Array(YEAR_MINUTES);
  for (let m = 0; m < YEAR_MINUTES; m++) {
    let sum = 0;
    let sumSq = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let j = 0; j < 10; j++) {
      const x = 50 + 2 * normal();
      sum += x;
      sumSq += x * x;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    out[m] = { minute: start + m * 60_000, n: 10, sum, sumSq, min, max };
  }
  return out;
}

export default async function run(): Promise<Figure[]> {
  const figures: Figure[] = [];
  const table: string[] = [];
  const sets = [
    { name: 'rule 1 alone', rules: ['we1'] as const, theory: 1000 / 370.4, target: 4.5 },
    { name: 'Western Electric 1–4', rules: 'western-electric' as const, theory: 1000 / 91.75, target: 12.5 },
    { name: 'Nelson 1–8', rules: 'nelson' as const, theory: null, target: 25 },
  ];
  for (const [i, set] of sets.entries()) {
    const { per1000, arl } = falseAlarmsPer1000({ seed: 100 + i, subgroups: SUBGROUPS, rules: set.rules });
    const theory = set.theory === null ? 'no closed form' : `theory ${set.theory.toFixed(2)} (ARL₀ ${(1000 / set.theory).toFixed(1)})`;
    table.push(`${set.name.padEnd(22)} ${per1000.toFixed(2)} false alarms per 1000 subgroups (ARL₀ ${arl.toFixed(1)}); ${theory}`);
    figures.push({ name: `SPC false alarms per 1000, ${set.name} (${theory})`, value: per1000, unit: '/1k', target: set.target });
  }
  const shewhart = averageRunLength({ seed: 7, runs: 4000, shift: 1, chart: 'shewhart' });
  const weShift = averageRunLength({ seed: 8, runs: 4000, shift: 1, chart: 'shewhart', rules: 'western-electric' });
  const ewma = averageRunLength({ seed: 9, runs: 4000, shift: 1, chart: 'ewma', lambda: 0.2, width: 2.962 });
  const ewmaZero = averageRunLength({ seed: 10, runs: 1000, shift: 0, chart: 'ewma', lambda: 0.2, width: 2.962 });
  table.push(`1σ shift ARL: Shewhart rule 1 ${shewhart.toFixed(1)} (theory 43.9) · WE 1–4 ${weShift.toFixed(1)} · EWMA λ0.2 L2.962 ${ewma.toFixed(1)} (≈10.2); EWMA ARL₀ ${ewmaZero.toFixed(0)} (≈500)`);
  figures.push({ name: 'SPC 1σ shift ARL, Shewhart rule 1 (theory 43.9)', value: shewhart, unit: 'sg', target: 50 });
  figures.push({ name: 'SPC 1σ shift ARL, Western Electric 1–4', value: weShift, unit: 'sg', target: shewhart });
  figures.push({ name: `SPC 1σ shift ARL, EWMA λ 0.2 L 2.962 (< Shewhart ${shewhart.toFixed(1)})`, value: ewma, unit: 'sg', target: shewhart });

  const year = yearOfMinutes();
  const limits = estimateLimits(subgroupMinutes(year.slice(0, 1440), { minutes: 1 }), 'sbar-c4');
  // one subgroup per minute (525 600 points), and the 5-minute subgroups a chart of a year would rather show
  for (const minutes of [1, 5]) {
    let result: ReturnType<typeof chartMinutes> | null = null;
    const timing = await sample(() => {
      result = chartMinutes(year, limits, { chart: 'xbar-s', minutes, rules: 'western-electric' });
    }, 7, 2);
    const done = result as ReturnType<typeof chartMinutes> | null;
    table.push(`year of minutes → X̄–S (${minutes}-min subgroups) + WE rules: median ${timing.median.toFixed(1)} ms, p95 ${timing.p95.toFixed(1)} ms; ${done?.location.points.length} points, ${done?.violations.location.length} X̄ signals, ${done?.violations.dispersion.length} S signals`);
    figures.push({ name: `SPC a year of per-minute data → X̄–S (${minutes}-min subgroups) + WE rules (median)`, value: timing.median, unit: 'ms', target: 200 });
  }
  process.stderr.write(`${table.join('\n')}\n`);
  return figures;
}
