// Control charts from subgroups and frozen limits ({centre, sigma} of one reading). Per-point limits
// follow each point's n, so flagged-small subgroups aside, varying n is handled exactly:
//   X̄:  μ ± 3σ/√n                 (= X̄̄ ± A2·R̄ or ± A3·S̄ for one n)
//   R:   d2σ, UCL (d2 + 3d3)σ, LCL max(0, d2 − 3d3)σ   (= D4·R̄, D3·R̄)
//   S:   c4σ, UCL (c4 + 3√(1−c4²))σ, LCL max(0, …)σ   (= B4·S̄, B3·S̄)
//   I:   μ ± 3σ;  MR (span 2): d2(2)σ, UCL (d2 + 3d3)(2)σ = 3.267·MR̄, LCL 0; no moving range across a gap
//   EWMA: zᵢ = λx̄ᵢ + (1−λ)zᵢ₋₁, z₀ = μ; Var zᵢ = λ²σ²/nᵢ + (1−λ)² Var zᵢ₋₁ (the exact time-varying limit,
//         which for one n is σ/√n·√(λ/(2−λ)·(1−(1−λ)²ⁱ))); limits μ ± L·√Var zᵢ; restarts at z = μ after a gap.
import { Invalid } from '../errors.js';
import { c4, d2, d3 } from './constants.js';
import type { Chart, ChartKind, ChartPoint, ControlLimits, Subgroup } from './types.js';

/** The part of ControlLimits a chart needs (so hand-set limits work too). */
export type ChartLimits = Pick<ControlLimits, 'centre' | 'sigma'> & { subgroupSize?: number };

function checkLimits(limits: ChartLimits): void {
  if (!Number.isFinite(limits.centre)) throw Invalid.field('limits.centre', 'must be a finite number');
  if (!(limits.sigma > 0) || !Number.isFinite(limits.sigma)) throw Invalid.field('limits.sigma', 'must be a finite number > 0');
}

function build(
  kind: ChartKind,
  subgroups: readonly Subgroup[],
  centreLine: number,
  pointOf: (g: Subgroup, previous: Subgroup | null) => { value: number; centre: number; lcl: number; ucl: number } | null,
): Chart {
  const points: ChartPoint[] = [];
  const skipped: Chart['skipped'] = [];
  let previous: Subgroup | null = null;
  for (const g of subgroups) {
    if (!g.usable) {
      skipped.push({ subgroup: g.index, at: g.from, reason: g.reason ?? 'not usable' });
      previous = null;
      continue;
    }
    if (g.afterGap) previous = null;
    const p = pointOf(g, previous);
    previous = g;
    if (p === null) continue;
    points.push({ subgroup: g.index, at: g.from, n: g.n, value: p.value, centre: p.centre, lcl: p.lcl, ucl: p.ucl, afterGap: g.afterGap, outside: p.value > p.ucl || p.value < p.lcl });
  }
  return { kind, centre: centreLine, points, skipped };
}

export function xbarChart(subgroups: readonly Subgroup[], limits: ChartLimits): Chart {
  checkLimits(limits);
  const { centre, sigma } = limits;
  return build('xbar', subgroups, centre, (g) => {
    const half = (3 * sigma) / Math.sqrt(g.n);
    return { value: g.mean, centre, lcl: centre - half, ucl: centre + half };
  });
}

export function rangeChart(subgroups: readonly Subgroup[], limits: ChartLimits): Chart {
  checkLimits(limits);
  const { sigma } = limits;
  const nominal = limits.subgroupSize ?? subgroups.find((g) => g.usable)?.n ?? 2;
  return build('range', subgroups, d2(Math.max(2, nominal)) * sigma, (g) => {
    if (g.n < 2) throw Invalid.field('subgroups', 'an R chart needs subgroups of at least 2 readings');
    return { value: g.range, centre: d2(g.n) * sigma, lcl: Math.max(0, d2(g.n) - 3 * d3(g.n)) * sigma, ucl: (d2(g.n) + 3 * d3(g.n)) * sigma };
  });
}

export function sdChart(subgroups: readonly Subgroup[], limits: ChartLimits): Chart {
  checkLimits(limits);
  const { sigma } = limits;
  const nominal = limits.subgroupSize ?? subgroups.find((g) => g.usable)?.n ?? 2;
  return build('sd', subgroups, c4(Math.max(2, nominal)) * sigma, (g) => {
    if (g.n < 2) throw Invalid.field('subgroups', 'an S chart needs subgroups of at least 2 readings');
    const c = c4(g.n);
    const spread = 3 * Math.sqrt(1 - c * c);
    return { value: g.sd, centre: c * sigma, lcl: Math.max(0, c - spread) * sigma, ucl: (c + spread) * sigma };
  });
}

/** Individuals: each subgroup's mean (subgroups of one for a slow channel). */
export function individualsChart(subgroups: readonly Subgroup[], limits: ChartLimits): Chart {
  checkLimits(limits);
  const { centre, sigma } = limits;
  return build('individuals', subgroups, centre, (g) => ({ value: g.mean, centre, lcl: centre - 3 * sigma, ucl: centre + 3 * sigma }));
}

/** Moving range of 2: the first point and the first after a gap or a flagged subgroup have none. */
export function movingRangeChart(subgroups: readonly Subgroup[], limits: ChartLimits): Chart {
  checkLimits(limits);
  const { sigma } = limits;
  const ucl = (d2(2) + 3 * d3(2)) * sigma;
  return build('moving-range', subgroups, d2(2) * sigma, (g, previous) =>
    previous === null ? null : { value: Math.abs(g.mean - previous.mean), centre: d2(2) * sigma, lcl: 0, ucl },
  );
}

export interface EwmaOptions {
  /** weight of the newest point, 0 < λ ≤ 1 (default 0.2) */
  lambda?: number;
  /** limit width in σ of the EWMA statistic (default 3) */
  width?: number;
}

export function ewmaChart(subgroups: readonly Subgroup[], limits: ChartLimits, options: EwmaOptions = {}): Chart {
  checkLimits(limits);
  const lambda = options.lambda ?? 0.2;
  const width = options.width ?? 3;
  if (!(lambda > 0 && lambda <= 1)) throw Invalid.field('ewma.lambda', 'must be in (0, 1]');
  if (!(width > 0)) throw Invalid.field('ewma.width', 'must be > 0');
  const { centre, sigma } = limits;
  let z = centre;
  let variance = 0;
  let started = false;
  const keep = (1 - lambda) * (1 - lambda);
  return build('ewma', subgroups, centre, (g, previous) => {
    if (previous === null && (g.afterGap || !started)) {
      z = centre;
      variance = 0;
    }
    started = true;
    z = lambda * g.mean + (1 - lambda) * z;
    variance = (lambda * lambda * sigma * sigma) / g.n + keep * variance;
    const half = width * Math.sqrt(variance);
    return { value: z, centre, lcl: centre - half, ucl: centre + half };
  });
}

export interface ChartPair {
  location: Chart;
  dispersion: Chart;
}

export const xbarRChart = (subgroups: readonly Subgroup[], limits: ChartLimits): ChartPair => ({ location: xbarChart(subgroups, limits), dispersion: rangeChart(subgroups, limits) });
export const xbarSChart = (subgroups: readonly Subgroup[], limits: ChartLimits): ChartPair => ({ location: xbarChart(subgroups, limits), dispersion: sdChart(subgroups, limits) });
export const imrChart = (subgroups: readonly Subgroup[], limits: ChartLimits): ChartPair => ({ location: individualsChart(subgroups, limits), dispersion: movingRangeChart(subgroups, limits) });
