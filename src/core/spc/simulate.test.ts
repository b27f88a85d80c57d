// The rules' false-alarm rates on long stable processes, against their theory, with tolerant bounds
// (the same measurement as bench/spc.bench.ts, smaller). Seeded, so a failure reproduces.
import { describe, expect, it } from 'vitest';
import { averageRunLength, falseAlarmsPer1000, normalStream } from './simulate.js';

describe('false alarms and run lengths (simulated)', () => {
  it('the normal stream is standard normal', () => {
    const normal = normalStream(7);
    let sum = 0;
    let sumSq = 0;
    let beyond3 = 0;
    const count = 200_000;
    for (let i = 0; i < count; i++) {
      const x = normal();
      sum += x;
      sumSq += x * x;
      if (Math.abs(x) > 3) beyond3++;
    }
    expect(Math.abs(sum / count)).toBeLessThan(0.01);
    expect(sumSq / count).toBeGreaterThan(0.98);
    expect(sumSq / count).toBeLessThan(1.02);
    expect((1000 * beyond3) / count).toBeGreaterThan(2.0); // theory 2.70 per 1000
    expect((1000 * beyond3) / count).toBeLessThan(3.4);
  });

  it('rule 1 alone: 1.5–4.5 false alarms per 1000 subgroups over 200 000 (theory 2.70)', () => {
    const { per1000 } = falseAlarmsPer1000({ seed: 1, subgroups: 200_000, rules: ['we1'] });
    expect(per1000).toBeGreaterThan(1.5);
    expect(per1000).toBeLessThan(4.5);
  });

  it('Western Electric rules 1–4: ARL₀ near 91.75 (Champ & Woodall)', () => {
    const { arl } = falseAlarmsPer1000({ seed: 2, subgroups: 200_000, rules: 'western-electric' });
    expect(arl).toBeGreaterThan(80);
    expect(arl).toBeLessThan(104);
  });

  it('a 1σ shift: Shewhart rule 1 needs about 44 subgroups, EWMA (λ 0.2, L 2.962) about 10', () => {
    const shewhart = averageRunLength({ seed: 3, runs: 1000, shift: 1, chart: 'shewhart' });
    const ewma = averageRunLength({ seed: 4, runs: 1000, shift: 1, chart: 'ewma', lambda: 0.2, width: 2.962 });
    expect(shewhart).toBeGreaterThan(36);
    expect(shewhart).toBeLessThan(52);
    expect(ewma).toBeGreaterThan(7);
    expect(ewma).toBeLessThan(13);
  });
});
