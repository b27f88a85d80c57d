// A histogram of readings against the specification. Bin width by Freedman–Diaconis
// (2·IQR·N^(−1/3)); when the IQR is 0 or that would give more than `maxBins` bins, Sturges
// (⌈log₂ N⌉ + 1 bins). Bins are [from, to), the last one closed; the LSL/USL/target markers and
// the counts outside the spec come along so the UI draws them without recomputing.
import { Invalid } from '../errors.js';
import type { Spec } from './capability.js';

export interface HistogramBin {
  from: number;
  to: number;
  count: number;
}

export interface Histogram {
  method: 'freedman-diaconis' | 'sturges';
  n: number;
  binWidth: number;
  bins: HistogramBin[];
  markers: { lsl: number | null; usl: number | null; target: number | null };
  belowLsl: number;
  aboveUsl: number;
}

/** Quantile by linear interpolation between order statistics (Hyndman–Fan type 7, as R and Excel). */
export function quantile(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const low = Math.floor(h);
  const high = Math.min(sorted.length - 1, low + 1);
  return sorted[low] + (h - low) * (sorted[high] - sorted[low]);
}

export function histogram(values: readonly number[], spec: Spec = {}, options: { maxBins?: number } = {}): Histogram {
  const maxBins = options.maxBins ?? 200;
  const lsl = spec.lsl ?? null;
  const usl = spec.usl ?? null;
  const markers = { lsl, usl, target: spec.target ?? null };
  const n = values.length;
  let belowLsl = 0;
  let aboveUsl = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) throw Invalid.field('values', 'must be finite numbers');
    if (lsl !== null && v < lsl) belowLsl++;
    if (usl !== null && v > usl) aboveUsl++;
  }
  if (n === 0) return { method: 'sturges', n, binWidth: 0, bins: [], markers, belowLsl, aboveUsl };
  const sorted = [...values].sort((a, b) => a - b);
  const min = sorted[0];
  const max = sorted[n - 1];
  if (max === min) return { method: 'sturges', n, binWidth: 0, bins: [{ from: min, to: max, count: n }], markers, belowLsl, aboveUsl };
  const iqr = quantile(sorted, 0.75) - quantile(sorted, 0.25);
  let method: Histogram['method'] = 'freedman-diaconis';
  let width = 2 * iqr * Math.cbrt(1 / n);
  if (!(width > 0) || Math.ceil((max - min) / width) > maxBins) {
    method = 'sturges';
    width = (max - min) / Math.min(maxBins, Math.ceil(Math.log2(n)) + 1);
  }
  const count = Math.max(1, Math.ceil((max - min) / width));
  const bins: HistogramBin[] = Array.from({ length: count }, (_, i) => ({ from: min + i * width, to: min + (i + 1) * width, count: 0 }));
  for (const v of sorted) bins[Math.min(count - 1, Math.floor((v - min) / width))].count++;
  return { method, n, binWidth: width, bins, markers, belowLsl, aboveUsl };
}
