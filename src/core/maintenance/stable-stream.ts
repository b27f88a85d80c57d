// Seeded Poisson streams for the false-alarm test and bench of the drift detectors (pure).
import { mulberry32 } from '../random.js';

/** Poisson(mean) by Knuth's product method, in chunks of ≤ 30 so exp(−mean) never underflows. */
export function poissonSample(uniform: () => number, mean: number): number {
  let count = 0;
  let remaining = mean;
  while (remaining > 0) {
    const chunk = Math.min(remaining, 30);
    remaining -= chunk;
    const limit = Math.exp(-chunk);
    let product = uniform();
    while (product > limit) {
      count++;
      product *= uniform();
    }
  }
  return count;
}

/** Daily micro-stop counts of a machine running `hoursPerDay` at `ratePerHour`, the rate × `factor` from day `stepDay` on. */
export function dailyCounts(seed: number, days: number, ratePerHour: number, hoursPerDay: number, step?: { day: number; factor: number }): { label: string; count: number; exposure: number }[] {
  const uniform = mulberry32(seed);
  const out: { label: string; count: number; exposure: number }[] = [];
  for (let day = 0; day < days; day++) {
    // running time varies from day to day (breaks, changeovers): ±20 %
    const exposure = hoursPerDay * (0.8 + 0.4 * uniform());
    const rate = step && day >= step.day ? ratePerHour * step.factor : ratePerHour;
    out.push({ label: `day ${day}`, count: poissonSample(uniform, rate * exposure), exposure });
  }
  return out;
}
