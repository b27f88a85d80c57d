// Process capability against a specification, with confidence intervals.
//   Cp  = (USL − LSL) / 6σ_within         Cpk = min(USL − μ, μ − LSL) / 3σ_within
//   Pp  = (USL − LSL) / 6σ_overall        Ppk = the same with σ_overall (sample sd of all readings)
// One-sided specs: only Cpk/Ppk (= Cpu or Cpl) exist; Cp/Pp are null with the reason.
// Intervals (two-sided, level 1 − α, default 95 %):
//   Cp, Pp:  exact under normality via chi-square: C·√(χ²_{α/2,ν}/ν) … C·√(χ²_{1−α/2,ν}/ν),
//            ν = N − 1 for Pp, ν = the within-σ̂ degrees of freedom (ControlLimits) for Cp.
//   Cpk, Ppk: Bissell's (1990) normal approximation, Ĉ ± z_{1−α/2}·√(1/(9N) + Ĉ²/(2(N − 1))).
// Fewer than `minReadings` (default 30) readings, or no variation, gives nulls with the reason.
import jStat from 'jstat';
import { Invalid } from '../errors.js';
import type { ControlLimits } from './types.js';

export interface Spec {
  lsl?: number | null;
  usl?: number | null;
  target?: number | null;
}

export interface CapabilityIndex {
  value: number;
  lower: number;
  upper: number;
  /** how the interval was computed */
  interval: 'chi-square' | 'bissell';
}

export interface CapabilityResult {
  n: number;
  mean: number;
  sigmaWithin: number | null;
  sigmaOverall: number;
  confidence: number;
  cp: CapabilityIndex | null;
  cpk: CapabilityIndex | null;
  pp: CapabilityIndex | null;
  ppk: CapabilityIndex | null;
  /** which side(s) the spec has */
  sides: 'two-sided' | 'lower only' | 'upper only';
  /** why an index is null, one sentence each (empty when all four are given) */
  reasons: string[];
}

export interface CapabilityInput {
  /** the readings (spikes and stuck runs already left out) */
  values: readonly number[];
  spec: Spec;
  /** frozen limits of the channel: σ_within and its degrees of freedom; without them Cp/Cpk are null */
  limits?: Pick<ControlLimits, 'sigma' | 'degreesOfFreedom'> | null;
  /** default 0.95 */
  confidence?: number;
  /** default 30 */
  minReadings?: number;
}

function chiSquareInterval(value: number, dof: number, alpha: number): CapabilityIndex {
  return {
    value,
    lower: value * Math.sqrt(jStat.chisquare.inv(alpha / 2, dof) / dof),
    upper: value * Math.sqrt(jStat.chisquare.inv(1 - alpha / 2, dof) / dof),
    interval: 'chi-square',
  };
}

function bissellInterval(value: number, n: number, alpha: number): CapabilityIndex {
  const half = jStat.normal.inv(1 - alpha / 2, 0, 1) * Math.sqrt(1 / (9 * n) + (value * value) / (2 * (n - 1)));
  return { value, lower: value - half, upper: value + half, interval: 'bissell' };
}

export function capability(input: CapabilityInput): CapabilityResult {
  const lsl = input.spec.lsl ?? null;
  const usl = input.spec.usl ?? null;
  const confidence = input.confidence ?? 0.95;
  const minReadings = input.minReadings ?? 30;
  if (lsl === null && usl === null) throw Invalid.field('spec', 'needs a lower or an upper specification limit');
  if (lsl !== null && usl !== null && !(usl > lsl)) throw Invalid.field('spec.usl', `must be above the lower limit (${lsl})`);
  if (!(confidence > 0 && confidence < 1)) throw Invalid.field('confidence', 'must be between 0 and 1');
  const alpha = 1 - confidence;
  const n = input.values.length;
  const bad = input.values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw Invalid.field(`values.${bad}`, 'must be a finite number');
  let mean = 0;
  for (const v of input.values) mean += v;
  mean = n > 0 ? mean / n : Number.NaN;
  let squares = 0;
  for (const v of input.values) squares += (v - mean) * (v - mean);
  const sigmaOverall = n > 1 ? Math.sqrt(squares / (n - 1)) : Number.NaN;
  const sigmaWithin = input.limits?.sigma ?? null;
  const sides = lsl !== null && usl !== null ? 'two-sided' : lsl !== null ? 'lower only' : 'upper only';
  const result: CapabilityResult = { n, mean, sigmaWithin, sigmaOverall, confidence, cp: null, cpk: null, pp: null, ppk: null, sides, reasons: [] };
  if (n < minReadings) {
    result.reasons.push(`only ${n} reading${n === 1 ? '' : 's'}: capability needs at least ${minReadings}`);
    return result;
  }
  if (!(sigmaOverall > 0)) {
    result.reasons.push('the readings show no variation (σ = 0): capability cannot be computed (check for a stuck sensor)');
    return result;
  }
  const spread = (sigma: number): number | null => (lsl !== null && usl !== null ? (usl - lsl) / (6 * sigma) : null);
  const position = (sigma: number): number => Math.min(usl !== null ? (usl - mean) / (3 * sigma) : Infinity, lsl !== null ? (mean - lsl) / (3 * sigma) : Infinity);
  const pp = spread(sigmaOverall);
  result.pp = pp === null ? null : chiSquareInterval(pp, n - 1, alpha);
  result.ppk = bissellInterval(position(sigmaOverall), n, alpha);
  if (pp === null) result.reasons.push(`Cp and Pp need both specification limits (the spec is ${sides}); Cpk and Ppk are the one-sided ${usl !== null ? 'Cpu/Ppu' : 'Cpl/Ppl'}`);
  if (sigmaWithin === null || !(sigmaWithin > 0)) {
    result.reasons.push('Cp and Cpk need the within-subgroup σ of frozen control limits');
  } else {
    const cp = spread(sigmaWithin);
    const dof = Math.max(1, input.limits?.degreesOfFreedom ?? n - 1);
    result.cp = cp === null ? null : chiSquareInterval(cp, dof, alpha);
    result.cpk = bissellInterval(position(sigmaWithin), n, alpha);
  }
  return result;
}
