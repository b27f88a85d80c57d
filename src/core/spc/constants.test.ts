import jStat from 'jstat';
import { describe, expect, it } from 'vitest';
import { c4, D2_TABLE, D3_TABLE, d2, spcConstants } from './constants.js';

/**
 * d2(n) = E[range] and d3(n) = sd[range] of n standard normals, by numerical integration on a grid:
 *   E[R]  = ∫ 1 − Φ(x)ⁿ − (1 − Φ(x))ⁿ dx
 *   E[R²] = 2 ∫₀^∞ r · (1 − F_R(r)) dr,  F_R(r) = n ∫ φ(x) (Φ(x + r) − Φ(x))ⁿ⁻¹ dx
 * (trapezoid rule, step h, x over ±7; r on the same grid so Φ(x + r) is a table look-up).
 */
function rangeMoments(n: number): { d2: number; d3: number } {
  const h = 0.005;
  const xs = 2800; // x from −7 to +7 (φ(7) ≈ 1e-11)
  const rs = 2200; // r from 0 to 11
  const phi: number[] = [];
  const cdf: number[] = [];
  for (let i = 0; i <= xs + rs; i++) {
    const x = -7 + i * h;
    phi.push(Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI));
    cdf.push(jStat.normal.cdf(x, 0, 1));
  }
  let mean = 0;
  for (let i = 0; i <= xs; i++) mean += (1 - cdf[i] ** n - (1 - cdf[i]) ** n) * h;
  let second = 0;
  for (let j = 1; j <= rs; j++) {
    let distribution = 0;
    for (let i = 0; i <= xs; i++) distribution += phi[i] * (cdf[i + j] - cdf[i]) ** (n - 1) * h;
    second += 2 * (j * h) * (1 - n * distribution) * h;
  }
  return { d2: mean, d3: Math.sqrt(second - mean * mean) };
}

describe('SPC constants', () => {
  it('c4 from the gamma function matches the textbook values', () => {
    // Montgomery, Appendix VI
    expect(c4(2)).toBeCloseTo(0.7979, 4);
    expect(c4(5)).toBeCloseTo(0.94, 4);
    expect(c4(10)).toBeCloseTo(0.9727, 4);
    expect(c4(25)).toBeCloseTo(0.9896, 4);
    // c4(2) = √(2/π) exactly
    expect(c4(2)).toBeCloseTo(Math.sqrt(2 / Math.PI), 12);
    // c4 → 1 − 1/(4n) for large n
    expect(c4(400)).toBeCloseTo(1 - 1 / 1600, 5);
  });

  it('the d2/d3 table agrees with numerical integration to 1e-5', () => {
    for (let n = 2; n <= 25; n++) {
      const { d2: integratedD2, d3: integratedD3 } = rangeMoments(n);
      expect(Math.abs(D2_TABLE[n - 2] - integratedD2), `d2(${n}) = ${integratedD2}`).toBeLessThan(1e-5);
      expect(Math.abs(D3_TABLE[n - 2] - integratedD3), `d3(${n}) = ${integratedD3}`).toBeLessThan(1e-5);
    }
    // and the closed form for n = 2: d2 = 2/√π
    expect(d2(2)).toBeCloseTo(2 / Math.sqrt(Math.PI), 6);
  });

  it('d2/d3 round to the three-decimal textbook table', () => {
    // Montgomery, Appendix VI, n = 2..25
    const d2Printed = [1.128, 1.693, 2.059, 2.326, 2.534, 2.704, 2.847, 2.97, 3.078, 3.173, 3.258, 3.336, 3.407, 3.472, 3.532, 3.588, 3.64, 3.689, 3.735, 3.778, 3.819, 3.858, 3.895, 3.931];
    const d3Printed = [0.853, 0.888, 0.88, 0.864, 0.848, 0.833, 0.82, 0.808, 0.797, 0.787, 0.778, 0.77, 0.763, 0.756, 0.75, 0.744, 0.739, 0.734, 0.729, 0.724, 0.72, 0.716, 0.712, 0.708];
    for (let n = 2; n <= 25; n++) {
      expect(Math.abs(D2_TABLE[n - 2] - d2Printed[n - 2]), `d2(${n})`).toBeLessThanOrEqual(0.0005);
      expect(Math.abs(D3_TABLE[n - 2] - d3Printed[n - 2]), `d3(${n})`).toBeLessThanOrEqual(n === 19 ? 0.0006 : 0.0005);
    }
  });

  it('derived constants match the textbook table', () => {
    const five = spcConstants(5);
    expect(five.A2).toBeCloseTo(0.577, 3);
    expect(five.D3).toBe(0);
    expect(five.D4).toBeCloseTo(2.114, 3);
    expect(five.A3).toBeCloseTo(1.427, 3);
    expect(five.B3).toBe(0);
    expect(five.B4).toBeCloseTo(2.089, 3);
    const ten = spcConstants(10);
    expect(ten.A2).toBeCloseTo(0.308, 3);
    expect(ten.D3).toBeCloseTo(0.223, 3);
    expect(ten.D4).toBeCloseTo(1.777, 3);
    expect(ten.A3).toBeCloseTo(0.975, 3);
    expect(ten.B3).toBeCloseTo(0.284, 3);
    expect(ten.B4).toBeCloseTo(1.716, 3);
    const two = spcConstants(2);
    expect(two.A2).toBeCloseTo(1.88, 2);
    expect(two.D4).toBeCloseTo(3.267, 3);
    expect(two.d3).toBeCloseTo(Math.sqrt(2 - 4 / Math.PI), 6); // R = |X₁ − X₂|: E[R²] = 2, E[R] = 2/√π
    expect(two.B4).toBeCloseTo(3.267, 3);
    const twentyFive = spcConstants(25);
    expect(twentyFive.A3).toBeCloseTo(0.606, 3);
    expect(twentyFive.B3).toBeCloseTo(0.565, 3);
    expect(twentyFive.B4).toBeCloseTo(1.435, 3);
    expect(twentyFive.D3).toBeCloseTo(0.46, 2);
  });

  it('refuses sizes outside the table and non-integers', () => {
    expect(() => spcConstants(1)).toThrow(/2–25/);
    expect(() => spcConstants(26)).toThrow(/X̄–S/);
    expect(() => c4(1.5)).toThrow(/whole/);
  });
});
