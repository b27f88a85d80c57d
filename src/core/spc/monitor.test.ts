// The monitoring method on data like real film thickness (white noise + slow wander + spikes + stuck
// spells, the demo generator's channels): false alarms on stable days, the delay to a 1.5 σ shift,
// and limits worked by hand on a small sequence.
import { describe, expect, it } from 'vitest';
import { channelSamples, initialChannelSim, naturalSd } from '../simulation/channels.js';
import type { CalendarSpec } from '../calendar/index.js';
import { mulberry32 } from '../random.js';
import { meansLimits, monitorSamples, monitorWithLimits, screenForMonitoring } from './monitor.js';
import type { Sample } from './types.js';

const ZONE = 'America/Los_Angeles';
const DAY = 86_400_000;
// the demo plant's week: every day 06:30–23:00 in two shifts
const DAY_SHIFTS: [string, string][] = [['06:30', '14:45'], ['14:45', '23:00']];
const CALENDAR: CalendarSpec = {
  default: { mon: DAY_SHIFTS, tue: DAY_SHIFTS, wed: DAY_SHIFTS, thu: DAY_SHIFTS, fri: DAY_SHIFTS, sat: DAY_SHIFTS, sun: DAY_SHIFTS },
  weeks: {},
  holidays: [],
};
const T0 = Date.parse('2026-10-05T00:00:00-07:00');

function film(seed: number, days: number): Sample[] {
  const { samples } = channelSamples(initialChannelSim('line6', seed, T0), T0, T0 + days * DAY, CALENDAR, ZONE, []);
  return samples.filter((s) => s.channel === 'film-thickness').map((s) => ({ at: s.at, value: s.value }));
}

describe('monitoring a wandering, spiky channel', () => {
  const streams = [1, 2, 3].map((seed) => {
    const all = film(seed, 33);
    return { seed, baseline: all.filter((s) => s.at < T0 + 3 * DAY), monitored: all.filter((s) => s.at >= T0 + 3 * DAY) };
  });

  it('raises fewer than one drift signal per machine-week on 30 stable days (3 machines × 30 days)', () => {
    let signals = 0;
    for (const { baseline, monitored } of streams) {
      const limits = meansLimits(screenForMonitoring(baseline, 5).subgroups, 5);
      signals += monitorWithLimits(screenForMonitoring(monitored, 5), limits, { rules: 'none' }).signals.length;
    }
    const perWeek = (signals / (3 * 30)) * 7;
    expect(perWeek).toBeLessThan(1);
  });

  it('signals a 1.5 σ shift starting at a random moment within 60 min of working time (median of 30 moments; 2 in 3 within the hour)', () => {
    const sigma = naturalSd('film-thickness');
    const delays: number[] = [];
    for (const { seed, baseline, monitored } of streams) {
      const limits = meansLimits(screenForMonitoring(baseline, 5).subgroups, 5);
      const random = mulberry32(1000 + seed);
      for (let k = 0; k < 10; k++) {
        const start = Math.floor(random() * (monitored.length - 2000));
        const stepAt = monitored[start].at;
        const window = monitored.slice(Math.max(0, start - 720), start + 1200).map((s) => (s.at >= stepAt ? { at: s.at, value: s.value + 1.5 * sigma } : s));
        const { signals } = monitorWithLimits(screenForMonitoring(window, 5), limits, { rules: 'none' });
        const first = signals.find((s) => s.at >= stepAt - 5 * 60_000);
        // known at the end of its subgroup; counted in working time (readings every 10 s)
        const known = first ? first.at + 5 * 60_000 : Infinity;
        delays.push(first ? (window.filter((s) => s.at >= stepAt && s.at < known).length * 10) / 60 : Infinity);
      }
    }
    delays.sort((a, b) => a - b);
    expect(delays[delays.length >> 1]).toBeLessThanOrEqual(60);
    expect(delays.filter((d) => d <= 60).length).toBeGreaterThanOrEqual(20);
  });

  it('a within-subgroup chart (S̄/c4) on the same stable data would alarm dozens of times a week: why the means are charted', () => {
    const { baseline, monitored } = streams[0];
    const limits = meansLimits(screenForMonitoring(baseline, 5).subgroups, 5);
    expect(limits.sigmaWithin).not.toBeNull();
    // limits of the means from the within σ̂ (σ/√n) against the means' own σ
    const naiveSigmaOfMeans = limits.sigmaWithin! / Math.sqrt(30);
    const naive = monitorWithLimits(screenForMonitoring(monitored, 5), { ...limits, sigmaOfMeans: naiveSigmaOfMeans }, { rules: ['we1'], drift: false });
    const robust = monitorWithLimits(screenForMonitoring(monitored, 5), limits, { rules: ['we1'], drift: false });
    expect((naive.signals.length / 30) * 7).toBeGreaterThan(20 * ((robust.signals.length / 30) * 7 + 1));
  });
});

describe('monitorSamples on a small sequence', () => {
  it('charts subgroup means with limits from their median and MAD, counts out-of-spec readings apart', () => {
    // 24 five-minute subgroups of 2 readings one minute apart: means alternate 10 ± 0.1, one subgroup at 10.5
    const samples: Sample[] = [];
    const base = Date.parse('2026-10-05T07:00:00Z');
    for (let g = 0; g < 24; g++) {
      const mean = g === 20 ? 10.5 : 10 + (g % 2 === 0 ? 0.1 : -0.1);
      samples.push({ at: base + g * 300_000, value: mean - 0.05 }, { at: base + g * 300_000 + 60_000, value: mean + 0.05 });
    }
    const result = monitorSamples(samples, { lsl: 9.5, usl: 10.5, subgroupMinutes: 5, rules: ['we1'], drift: false, minSubgroupSize: 2 });
    expect(result.samples).toBe(48);
    // means: g odd → 9.9 (12), g even → 10.1 (11) and g = 20 → 10.5: sorted 12 × 9.9, 11 × 10.1, 10.5
    // median of 24 = (12th + 13th) / 2 = (9.9 + 10.1) / 2 = 10.0; deviations 23 × 0.1 and 0.5 → MAD 0.1, σ = 1.4826 × 0.1
    expect(result.limits.centre).toBeCloseTo(10.0, 9);
    expect(result.means.sigmaOfMeans).toBeCloseTo(0.14826, 9);
    expect(result.limits.ucl).toBeCloseTo(10 + 3 * 0.14826, 9);
    expect(result.signals.map((s) => s.rule)).toEqual(['we1']);
    expect(result.signals[0].at).toBe(base + 20 * 300_000);
    expect(result.signals[0].value).toBeCloseTo(10.5, 9);
    // 10.55 > 10.5: one reading above the spec, reported apart from the signals
    expect(result.outOfSpec).toEqual({ below: 0, above: 1 });
  });

  it('refuses a baseline of fewer than 20 subgroups with the count', () => {
    const samples: Sample[] = Array.from({ length: 20 }, (_, i) => ({ at: i * 300_000, value: 1 + (i % 3) * 0.01 }));
    expect(() => monitorSamples(samples, { minSubgroupSize: 1, subgroupMinutes: 10 })).toThrow(/10 usable subgroups/);
  });
});
