import { describe, expect, it } from 'vitest';
import { capability } from './capability.js';
import { histogram, quantile } from './histogram.js';

// 15 readings of 9 and 15 of 11: mean 10, s = √(30/29) = 1.017095
const values = [...Array(15).fill(9), ...Array(15).fill(11)];
const s = Math.sqrt(30 / 29);

describe('capability', () => {
  it('Pp/Ppk from the overall s and Cp/Cpk from the within σ, with intervals worked by hand', () => {
    const result = capability({ values, spec: { lsl: 4, usl: 16 }, limits: { sigma: 1, degreesOfFreedom: 40 } });
    expect(result.mean).toBe(10);
    expect(result.sigmaOverall).toBeCloseTo(s, 9);
    expect(result.sides).toBe('two-sided');
    expect(result.reasons).toEqual([]);
    const pp = 12 / (6 * s);
    expect(result.pp!.value).toBeCloseTo(pp, 9);
    // chi-square, ν = 29: χ²(0.025) = 16.047, χ²(0.975) = 45.722
    expect(result.pp!.lower).toBeCloseTo(pp * Math.sqrt(16.047 / 29), 3);
    expect(result.pp!.upper).toBeCloseTo(pp * Math.sqrt(45.722 / 29), 3);
    expect(result.pp!.interval).toBe('chi-square');
    expect(result.ppk!.value).toBeCloseTo(6 / (3 * s), 9);
    // Bissell: ± 1.95996 √(1/(9·30) + Ppk²/(2·29))
    const half = 1.959964 * Math.sqrt(1 / 270 + pp ** 2 / 58);
    expect(result.ppk!.lower).toBeCloseTo(pp - half, 5);
    expect(result.ppk!.upper).toBeCloseTo(pp + half, 5);
    expect(result.ppk!.interval).toBe('bissell');
    expect(result.cp!.value).toBe(2);
    // ν = 40: χ²(0.025) = 24.433, χ²(0.975) = 59.342
    expect(result.cp!.lower).toBeCloseTo(2 * Math.sqrt(24.433 / 40), 3);
    expect(result.cp!.upper).toBeCloseTo(2 * Math.sqrt(59.342 / 40), 3);
    expect(result.cpk!.value).toBe(2);
  });

  it('an off-centre process: Cpk is the nearer limit', () => {
    const result = capability({ values, spec: { lsl: 7, usl: 16 }, limits: { sigma: 1, degreesOfFreedom: 40 } });
    expect(result.cpk!.value).toBeCloseTo(1, 12); // (10 − 7) / 3
    expect(result.cp!.value).toBeCloseTo(1.5, 12);
  });

  it('one-sided specs give Cpu/Cpl only, with the reason; no limits → no Cp/Cpk', () => {
    const upper = capability({ values, spec: { usl: 16 }, limits: { sigma: 1, degreesOfFreedom: 40 } });
    expect(upper.sides).toBe('upper only');
    expect(upper.cp).toBeNull();
    expect(upper.pp).toBeNull();
    expect(upper.cpk!.value).toBe(2);
    expect(upper.reasons[0]).toMatch(/need both specification limits .* one-sided Cpu\/Ppu/);
    const lower = capability({ values, spec: { lsl: 7 } });
    expect(lower.ppk!.value).toBeCloseTo(3 / (3 * s), 9);
    expect(lower.cpk).toBeNull();
    expect(lower.reasons).toContain('Cp and Cpk need the within-subgroup σ of frozen control limits');
  });

  it('refuses with too few readings or no variation (null + reason), and bad specs (Invalid)', () => {
    const few = capability({ values: values.slice(1), spec: { lsl: 4, usl: 16 } });
    expect([few.cp, few.cpk, few.pp, few.ppk]).toEqual([null, null, null, null]);
    expect(few.reasons).toEqual(['only 29 readings: capability needs at least 30']);
    const flat = capability({ values: Array(40).fill(3), spec: { lsl: 1, usl: 5 } });
    expect(flat.ppk).toBeNull();
    expect(flat.reasons[0]).toMatch(/no variation/);
    expect(() => capability({ values, spec: {} })).toThrow(/spec: needs a lower or an upper/);
    expect(() => capability({ values, spec: { lsl: 5, usl: 5 } })).toThrow(/spec.usl/);
    expect(() => capability({ values: [1, Number.NaN], spec: { lsl: 0 } })).toThrow(/values.1/);
  });
});

describe('histogram', () => {
  it('Freedman–Diaconis bins worked by hand, with spec markers and counts outside', () => {
    const data = Array.from({ length: 16 }, (_, i) => i + 1);
    expect(quantile(data, 0.25)).toBe(4.75);
    expect(quantile(data, 0.75)).toBe(12.25);
    const h = histogram(data, { lsl: 2, usl: 15, target: 8 });
    // width = 2 · 7.5 / ∛16 = 5.9528; range 15 → 3 bins from 1
    expect(h.method).toBe('freedman-diaconis');
    expect(h.binWidth).toBeCloseTo(15 / Math.cbrt(16), 12);
    expect(h.bins.map((b) => b.count)).toEqual([6, 6, 4]);
    expect(h.bins[0].from).toBe(1);
    expect(h.markers).toEqual({ lsl: 2, usl: 15, target: 8 });
    expect([h.belowLsl, h.aboveUsl]).toEqual([1, 1]);
  });

  it('Sturges when the IQR is 0; one bin for constant data; empty for none', () => {
    const data = [...Array(30).fill(5), 1, 9];
    const h = histogram(data);
    expect(h.method).toBe('sturges');
    expect(h.bins).toHaveLength(6); // ⌈log₂ 32⌉ + 1
    expect(h.bins.reduce((sum, b) => sum + b.count, 0)).toBe(32);
    expect(histogram([2, 2, 2]).bins).toEqual([{ from: 2, to: 2, count: 3 }]);
    expect(histogram([]).bins).toEqual([]);
  });
});
