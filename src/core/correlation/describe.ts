// Plain words for a correlation finding (pure): what was compared, how much evidence there is
// (n and the effective n), r with its interval, a strength word, and explicit refusals when the
// data cannot support a claim. Strength words go by |r| only once the interval excludes 0:
// < 0.3 weak, < 0.5 moderate, otherwise strong (Cohen's conventions).
import { MIN_PAIRS, type CorrelationResult, type Estimate } from './correlation.js';
import { formatP, type LagSearch } from './lag.js';

export type Strength = 'insufficient data' | 'no evidence of' | 'weak' | 'moderate' | 'strong';

export interface FindingInput {
  /** "micro-stops per running hour on line7" */
  x: string;
  y: string;
  /** "hour", "day" … */
  bucket: string;
  correlation: CorrelationResult;
  lags?: LagSearch | null;
}

export interface Finding {
  strength: Strength;
  /** the sentences, in reading order */
  sentences: string[];
  text: string;
}

export function strengthOf(estimate: Estimate | null, n: number): Strength {
  if (n < MIN_PAIRS || estimate === null) return 'insufficient data';
  if (estimate.low <= 0 && estimate.high >= 0) return 'no evidence of';
  const size = Math.abs(estimate.r);
  if (size < 0.3) return 'weak';
  if (size < 0.5) return 'moderate';
  return 'strong';
}

const two = (value: number) => value.toFixed(2);

export function describeFinding(input: FindingInput): Finding {
  const { correlation: c, x, y, bucket } = input;
  const sentences: string[] = [];
  const compared = `Compared ${x} with ${y}, per ${bucket}`;
  if (c.n < MIN_PAIRS) {
    sentences.push(`${compared}: too few ${bucket}s with both values (${c.n}) to say anything; need ≥ ${MIN_PAIRS}.`);
    return finish('insufficient data', sentences);
  }
  const evidence = c.nEff < c.n - 0.5 ? `${c.n} ${bucket}s, worth about ${Math.round(c.nEff)} independent ones because neighbouring ${bucket}s are alike` : `${c.n} ${bucket}s`;
  sentences.push(`${compared} (${evidence}).`);
  const p = c.pearson;
  if (p === null) {
    sentences.push('One of the series does not vary, so there is nothing to correlate.');
    return finish('insufficient data', sentences);
  }
  const strength = strengthOf(p, c.n);
  const interval = `r = ${two(p.r)}, 95 % interval ${two(p.low)} to ${two(p.high)}, p = ${formatP(p.p)}`;
  if (strength === 'no evidence of') sentences.push(`No evidence of a correlation (${interval}): the interval includes 0.`);
  else {
    const direction = p.r > 0 ? 'higher' : 'lower';
    sentences.push(`A ${strength} ${p.r > 0 ? 'positive' : 'negative'} correlation (${interval}): ${bucket}s with higher ${x} tend to have ${direction} ${y}.`);
  }
  if (c.spearman) {
    const s = c.spearman;
    const rankStrength = strengthOf(s, c.n);
    if ((rankStrength === 'no evidence of') !== (strength === 'no evidence of')) {
      sentences.push(`The rank (Spearman) correlation disagrees (ρ = ${two(s.r)}, ${two(s.low)} to ${two(s.high)}): a few extreme ${bucket}s drive the result, read it with care.`);
    } else sentences.push(`Rank (Spearman) correlation ρ = ${two(s.r)} (${two(s.low)} to ${two(s.high)}).`);
  }
  if (Math.min(c.autocorrelation.x, c.autocorrelation.y) > 0.7) {
    sentences.push('Both series drift slowly (strong autocorrelation): a shared trend can make unrelated series look correlated, and the interval is widened for it.');
  }
  const lags = input.lags;
  if (lags) {
    if (lags.lead !== null && lags.best) {
      const leads = lags.lead > 0 ? `${x} leads ${y} by ${lags.lead} ${bucket}${lags.lead === 1 ? '' : 's'}` : `${y} leads ${x} by ${-lags.lead} ${bucket}${lags.lead === -1 ? '' : 's'}`;
      sentences.push(`Lead: ${leads} (r = ${two(lags.best.r ?? 0)}, interval ${two(lags.best.estimate.low)} to ${two(lags.best.estimate.high)} corrected for trying ${lags.tried} lags).`);
    } else if (lags.refusal) sentences.push(`No lead named: ${lags.refusal}.`);
  }
  if (strength === 'moderate' || strength === 'strong') sentences.push('A correlation shows the two move together, not that one causes the other.');
  return finish(strength, sentences);
}

function finish(strength: Strength, sentences: string[]): Finding {
  return { strength, sentences, text: sentences.join(' ') };
}
