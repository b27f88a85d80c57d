// Seeded simulations of stable and shifted normal processes: the false-alarm rates and run lengths
// that bench/spc.bench.ts prints and simulate.test.ts bounds. Pure and deterministic (seeded).
import { mulberry32 } from '../random.js';
import { ewmaChart, xbarChart } from './charts.js';
import { applyRules, type RuleSelection } from './rules.js';
import type { Chart, Subgroup } from './types.js';

/** Standard normal numbers from a seeded mulberry32 stream (Box–Muller, both halves used). */
export function normalStream(seed: number): () => number {
  const uniform = mulberry32(seed);
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const value = spare;
      spare = null;
      return value;
    }
    let u = uniform();
    while (u === 0) u = uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    const angle = 2 * Math.PI * uniform();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}


/** `count` subgroups of n draws from N(shift, 1), one minute apart from instant 0. */
export function normalSubgroups(normal: () => number, count: number, n: number, shift = 0, firstIndex = 0): Subgroup[] {
  const out: Subgroup[] = new Array(count);
  for (let k = 0; k < count; k++) {
    let sum = 0;
    let sumSq = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let j = 0; j < n; j++) {
      const x = normal() + shift;
      sum += x;
      sumSq += x * x;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    const mean = sum / n;
    const index = firstIndex + k;
    out[k] = { index, from: index * 60_000, to: index * 60_000 + 59_999, n, mean, sd: n > 1 ? Math.sqrt(Math.max(0, (sumSq - sum * mean) / (n - 1))) : 0, range: max - min, min, max, usable: true, reason: null, afterGap: false };
  }
  return out;
}

/**
 * Signals per 1000 subgroups of a stable N(0, 1) process on an X̄ chart with known limits, the rules
 * restarting after each signal (so 1000 / rate is the in-control average run length, ARL₀).
 */
export function falseAlarmsPer1000(options: { seed: number; subgroups: number; n?: number; rules: RuleSelection }): { signals: number; per1000: number; arl: number } {
  const n = options.n ?? 5;
  const groups = normalSubgroups(normalStream(options.seed), options.subgroups, n);
  const signals = applyRules(xbarChart(groups, { centre: 0, sigma: 1 }), options.rules, { restartAfterSignal: true }).length;
  return { signals, per1000: (1000 * signals) / options.subgroups, arl: options.subgroups / signals };
}

/**
 * Zero-state average run length with the mean shifted by `shift` σ of the plotted mean (σ/√n):
 * `runs` independent runs, each drawn until the chart's first signal.
 */
export function averageRunLength(options: {
  seed: number;
  runs: number;
  shift: number;
  n?: number;
  chart: 'shewhart' | 'ewma';
  rules?: RuleSelection;
  lambda?: number;
  width?: number;
}): number {
  const n = options.n ?? 5;
  const normal = normalStream(options.seed);
  const limits = { centre: 0, sigma: 1 };
  const meanShift = options.shift / Math.sqrt(n);
  const draw = (groups: Subgroup[]): Chart => (options.chart === 'ewma' ? ewmaChart(groups, limits, { lambda: options.lambda, width: options.width }) : xbarChart(groups, limits));
  let total = 0;
  for (let run = 0; run < options.runs; run++) {
    const groups: Subgroup[] = [];
    let length = 0;
    while (length === 0) {
      groups.push(...normalSubgroups(normal, Math.max(32, groups.length), n, meanShift, groups.length));
      const chart = draw(groups);
      if (options.chart === 'ewma') {
        const first = chart.points.findIndex((p) => p.outside);
        if (first >= 0) length = first + 1;
      } else {
        const violations = applyRules(chart, options.rules ?? ['we1'], { restartAfterSignal: true });
        if (violations.length > 0) length = violations[0].signalIndex + 1;
      }
    }
    total += length;
  }
  return total / options.runs;
}
