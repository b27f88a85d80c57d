// The loss waterfall and TEEP of a small constructed shift, computed by hand (issue 13 acceptance),
// under both built-in profiles' loading rules, and the two-level Pareto.
import { describe, expect, it } from 'vitest';
import { pareto, waterfall, type WaterfallInput } from './waterfall.js';

// One plant-local day seen as a 24 h window with one shift 06:00–14:00 (8 h = 28 800 s) on an iTrak
// line (ideal 140/min, so one unit is 60/140 = 3/7 s of ideal time):
// - a 30-min break (planned downtime, 1 800 s), a 20-min changeover (setup, 1 200 s) and a 15-min
//   pocket jam (breakdown, 900 s); 10 min of short stops (600 s)
// - 49 000 parts (= 21 000 s at the ideal rate), 700 startup rejects (300 s), 1 400 production
//   rejects and 350 camera reworks (1 750 units = 750 s); good = 49 000 − 700 − 1 750 = 46 550 (19 950 s)
// - crew: two people paid 8 h each
const shift = {
  parts: 49_000, good: 46_550, startupRejects: 700, productionRejects: 1_400, reworks: 350, idealRatePerMinute: 140, shortStopSeconds: 600,
  crew: { paidHours: 16, producingHours: 0 },
};

const seconds = (w: ReturnType<typeof waterfall>) => Object.fromEntries(w.steps.map((s) => [s.key, Math.round(s.seconds * 1000) / 1000]));

describe('loss waterfall of a constructed shift', () => {
  it('ISO 22400 (calendar basis): the break and the time outside the shift leave loading', () => {
    // loading = 28 800 − 1 800 = 27 000 s; operating = 27 000 − 1 200 − 900 = 24 900 s
    // reduced speed = 24 900 − 600 − 21 000 = 3 300 s
    // labour: producing = 16 h × 24 900 / 28 800 = 13.8333 h
    const input: WaterfallInput = {
      ...shift, calendarSeconds: 86_400, notScheduledSeconds: 57_600, plannedDowntimeSeconds: 1_800, loadingSeconds: 27_000,
      availabilityLosses: [{ category: 'setup', seconds: 1_200 }, { category: 'breakdown', seconds: 900 }], operatingSeconds: 24_900,
      crew: { paidHours: 16, producingHours: (16 * 24_900) / 28_800 },
    };
    const w = waterfall(input);
    expect(seconds(w)).toEqual({
      calendar: 86_400, 'not-scheduled': 57_600, 'planned-downtime': 1_800, loading: 27_000, 'availability-breakdown': 900, 'availability-setup': 1_200, operating: 24_900,
      'minor-stops': 600, 'reduced-speed': 3_300, 'net-operating': 21_000, 'startup-rejects': 300, 'production-rejects': 750, 'fully-productive': 19_950,
    });
    // every loss between two totals adds up, and all of them = calendar − fully productive
    const losses = w.steps.filter((s) => s.kind === 'loss').reduce((sum, s) => sum + s.seconds, 0);
    expect(losses).toBeCloseTo(86_400 - 19_950, 6);
    expect(w.availability).toBe(0.9222); // 24 900 / 27 000
    expect(w.performance).toBe(0.8434); // 21 000 / 24 900
    expect(w.quality).toBe(0.95); // 46 550 / 49 000
    expect(w.oee).toBe(0.7389); // 19 950 / 27 000
    expect(w.utilisation).toBe(0.3125); // 27 000 / 86 400
    expect(w.teep).toBe(0.2309); // 19 950 / 86 400 = OEE × utilisation
    expect(w.labourUtilisation).toBe(0.8646); // 13.8333 / 16
    expect(w.sixBigLosses).toMatchObject({ breakdown: 900, setup: 1_200, minorStop: 600, startupReject: 300 });
    expect(w.sixBigLosses.reducedSpeed).toBeCloseTo(3_300, 6);
    expect(w.sixBigLosses.productionReject).toBeCloseTo(750, 6);
  });

  it('iTrak legacy (first to last part): the break stays inside loading as a loss', () => {
    // first part 06:10, last 13:50: loading 27 600 s; everything else of the day is "not scheduled"
    // operating = 27 600 − 1 200 − 900 − 1 800 = 23 700 s; reduced speed = 23 700 − 600 − 21 000 = 2 100 s
    const w = waterfall({
      ...shift, calendarSeconds: 86_400, notScheduledSeconds: 58_800, plannedDowntimeSeconds: 0, loadingSeconds: 27_600,
      availabilityLosses: [{ category: 'setup', seconds: 1_200 }, { category: 'breakdown', seconds: 900 }, { category: 'plannedDowntime', seconds: 1_800 }],
      operatingSeconds: 23_700,
    });
    const s = seconds(w);
    expect(s).toMatchObject({ loading: 27_600, 'availability-plannedDowntime': 1_800, operating: 23_700, 'reduced-speed': 2_100, 'fully-productive': 19_950 });
    expect(w.availability).toBe(0.8587); // 23 700 / 27 600
    expect(w.oee).toBe(0.7228); // 19 950 / 27 600
    expect(w.teep).toBe(0.2309); // the same fully productive time over the same calendar time
    expect(w.labourUtilisation).toBe(0); // producing hours given as 0
  });

  it('undefined ratios are null, never NaN; a line faster than its ideal rate has negative reduced speed', () => {
    const empty = waterfall({ ...shift, parts: 0, good: 0, startupRejects: 0, productionRejects: 0, reworks: 0, calendarSeconds: 0, notScheduledSeconds: 0, plannedDowntimeSeconds: 0, loadingSeconds: 0, availabilityLosses: [], operatingSeconds: 0, shortStopSeconds: 0, crew: undefined });
    expect([empty.availability, empty.performance, empty.quality, empty.oee, empty.teep, empty.labourUtilisation]).toEqual([null, null, null, null, null, null]);
    const fast = waterfall({ ...shift, calendarSeconds: 3_600, notScheduledSeconds: 0, plannedDowntimeSeconds: 0, loadingSeconds: 3_600, availabilityLosses: [], operatingSeconds: 3_600, shortStopSeconds: 0, parts: 9_800, good: 9_800, startupRejects: 0, productionRejects: 0, reworks: 0 });
    // 9 800 parts at 140/min = 4 200 s of ideal time in 3 600 s of operating time
    expect(fast.steps.find((s) => s.key === 'reduced-speed')!.seconds).toBeCloseTo(-600, 6);
    expect(fast.performance).toBe(1.1667);
  });
});

describe('two-level Pareto', () => {
  it('orders categories and their reasons by time, with shares of each level', () => {
    const result = pareto([
      { category: 'breakdown', reasonId: 'pocket-jam', label: 'Pocket jam', seconds: 600, count: 4 },
      { category: 'setup', reasonId: 'format-change', label: 'Format change', seconds: 1_200, count: 1 },
      { category: 'breakdown', reasonId: 'film-splice', label: 'Film splice', seconds: 900, count: 2 },
      { category: 'breakdown', reasonId: 'pocket-jam', label: 'Pocket jam', seconds: 300, count: 1 },
    ]);
    expect(result.map((c) => [c.category, c.seconds, c.count, c.share, c.cumulativeShare])).toEqual([
      ['breakdown', 1_800, 7, 0.6, 0.6],
      ['setup', 1_200, 1, 0.4, 1],
    ]);
    expect(result[0].reasons.map((r) => [r.label, r.seconds, r.count, r.share])).toEqual([
      ['Pocket jam', 900, 5, 0.5],
      ['Film splice', 900, 2, 0.5],
    ]);
  });
});
