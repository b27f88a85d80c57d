// Control limits from a baseline period (Phase I). The within-subgroup σ̂ is estimated from the
// dispersion inside subgroups, never from the spread of all data, so slow drifts between subgroups
// do not widen the limits:
//   'rbar-d2'  σ̂ = mean(Rᵢ / d2(nᵢ))          (X̄–R; n ≤ 25)
//   'sbar-c4'  σ̂ = mean(sᵢ / c4(nᵢ))          (X̄–S; any n ≥ 2)
//   'mrbar-d2' σ̂ = mean(|xᵢ − xᵢ₋₁|) / d2(2)  (I–MR; moving ranges never across a gap)
// With one n these are the textbook R̄/d2 and S̄/c4. Robustness: spikes and stuck runs are left out
// before (noise.ts); flagged (too small) subgroups never count; and with `revise` the subgroups
// beyond the preliminary limits of the X̄ (or I) chart, or of the R/S/MR chart, are dropped once and
// the limits recomputed (the usual Phase I revision). At least 20 usable subgroups must remain.
import { Invalid } from '../errors.js';
import { c4, d2, d3 } from './constants.js';
import type { ControlLimits, SigmaMethod, Subgroup } from './types.js';

export const MIN_BASELINE_SUBGROUPS = 20;

export interface LimitOptions {
  /** drop baseline subgroups beyond the preliminary 3σ limits once and recompute (default true) */
  revise?: boolean;
  /** the minimum number of usable subgroups (default 20; may only be raised) */
  minSubgroups?: number;
}

function mostFrequent(values: readonly number[]): number {
  const counts = new Map<number, number>();
  let best = values[0];
  let bestCount = 0;
  for (const v of values) {
    const c = (counts.get(v) ?? 0) + 1;
    counts.set(v, c);
    if (c > bestCount || (c === bestCount && v > best)) {
      best = v;
      bestCount = c;
    }
  }
  return best;
}

function estimate(groups: readonly Subgroup[], method: SigmaMethod): { centre: number; sigma: number; dof: number } {
  let weighted = 0;
  let total = 0;
  for (const g of groups) {
    weighted += g.mean * g.n;
    total += g.n;
  }
  const centre = weighted / total;
  if (method === 'mrbar-d2') {
    let sum = 0;
    let count = 0;
    for (let i = 1; i < groups.length; i++) {
      if (groups[i].afterGap || groups[i].index !== groups[i - 1].index + 1) continue;
      sum += Math.abs(groups[i].mean - groups[i - 1].mean);
      count++;
    }
    if (count === 0) throw new Invalid('the baseline has no two consecutive readings to form a moving range');
    // ν ≈ 0.62 (m − 1) for σ̂ from the mean moving range (Montgomery's rule of thumb for MR̄/d2)
    return { centre, sigma: sum / count / d2(2), dof: Math.max(1, 0.62 * count) };
  }
  let sum = 0;
  let dof = 0;
  for (const g of groups) {
    sum += method === 'rbar-d2' ? g.range / d2(g.n) : g.sd / c4(g.n);
    // s from n readings has n − 1 degrees of freedom; the range about 0.9 (n − 1) (Patnaik/Duncan)
    dof += method === 'rbar-d2' ? 0.9 * (g.n - 1) : g.n - 1;
  }
  return { centre, sigma: sum / groups.length, dof };
}

/** Whether a subgroup lies beyond the 3σ limits of its location or dispersion chart. */
function beyond(g: Subgroup, centre: number, sigma: number, method: SigmaMethod, previous: Subgroup | null): boolean {
  const half = (3 * sigma) / Math.sqrt(g.n);
  if (g.mean > centre + half || g.mean < centre - half) return true;
  if (method === 'rbar-d2') {
    const upper = (d2(g.n) + 3 * d3(g.n)) * sigma;
    const lower = Math.max(0, d2(g.n) - 3 * d3(g.n)) * sigma;
    return g.range > upper || g.range < lower;
  }
  if (method === 'sbar-c4') {
    const c = c4(g.n);
    const spread = 3 * Math.sqrt(1 - c * c);
    return g.sd > (c + spread) * sigma || g.sd < Math.max(0, c - spread) * sigma;
  }
  if (previous === null) return false;
  return Math.abs(g.mean - previous.mean) > (d2(2) + 3 * d3(2)) * sigma;
}

/**
 * Estimates frozen control limits from the baseline subgroups (usable ones only).
 * Throws Invalid when fewer than 20 usable subgroups remain, saying how many there are.
 */
export function estimateLimits(subgroups: readonly Subgroup[], method: SigmaMethod, options: LimitOptions = {}): ControlLimits {
  const minSubgroups = Math.max(MIN_BASELINE_SUBGROUPS, options.minSubgroups ?? MIN_BASELINE_SUBGROUPS);
  const usable = subgroups.filter((g) => g.usable);
  const tooSmall = subgroups.length - usable.length;
  const check = (groups: readonly Subgroup[], dropped: number): void => {
    if (groups.length < minSubgroups) {
      const left = [tooSmall > 0 ? `${tooSmall} too small` : '', dropped > 0 ? `${dropped} beyond the preliminary limits` : ''].filter(Boolean).join(', ');
      throw Invalid.field(
        'baseline',
        `the baseline has ${groups.length} usable subgroup${groups.length === 1 ? '' : 's'}${left ? ` (${left} left out)` : ''}; at least ${minSubgroups} are needed`,
      );
    }
  };
  check(usable, 0);
  if (method === 'mrbar-d2' && usable.some((g) => g.n !== 1)) throw Invalid.field('baseline', 'moving-range limits need individual readings (subgroups of one)');
  if (method !== 'mrbar-d2' && usable.some((g) => g.n < 2)) throw Invalid.field('baseline', `${method === 'rbar-d2' ? 'R̄/d2' : 'S̄/c4'} needs subgroups of at least 2 readings`);
  if (method === 'rbar-d2') for (const g of usable) d2(g.n); // throws for n > 25 with a pointer to X̄–S
  let kept = usable;
  let result = estimate(kept, method);
  if (options.revise ?? true) {
    const inside = usable.filter((g, i) => !beyond(g, result.centre, result.sigma, method, i > 0 && !g.afterGap ? usable[i - 1] : null));
    if (inside.length !== usable.length) {
      check(inside, usable.length - inside.length);
      kept = inside;
      result = estimate(kept, method);
    }
  }
  if (!(result.sigma > 0)) throw Invalid.field('baseline', 'the baseline shows no variation within subgroups (σ̂ = 0): check for a stuck sensor');
  return {
    centre: result.centre,
    sigma: result.sigma,
    sigmaMethod: method,
    subgroupSize: mostFrequent(kept.map((g) => g.n)),
    subgroups: kept.length,
    excludedSubgroups: subgroups.length - kept.length,
    degreesOfFreedom: result.dof,
    from: subgroups[0].from,
    to: subgroups[subgroups.length - 1].to,
  };
}
