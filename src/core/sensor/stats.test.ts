import { describe, expect, it } from 'vitest';
import type { Cycle } from './parse.js';
import { summarize } from './stats.js';

const T0 = Date.UTC(2022, 9, 11, 13, 0, 0);

/** A cycle `seconds` after T0; defaults: a part of lot 159070 with a fresh serial. */
function cycleAt(seconds: number, fields: Partial<Cycle> = {}): Cycle {
  cycleAt.serial++;
  return { at: T0 + Math.round(seconds * 1000), item: '1330700', lot: '159070', serial: String(cycleAt.serial), part: true, line: 0, ...fields };
}
cycleAt.serial = 1000;

describe('summarize', () => {
  it('classes gaps into running time, stops per bin, availability loss and backwards steps', () => {
    // gaps: 0.5, 0.5, −0.3 (clock back), 1.3 (micro-stop), 0.4, 20 (12–60 s), 0.5, 90 (60–300 s),
    //       0.5, 400 (≥ 300 s), 1.1 (exactly the max cycle: running)
    const offsets = [0, 0.5, 1.0, 0.7, 2.0, 2.4, 22.4, 22.9, 112.9, 113.4, 513.4, 514.5];
    const cycles = offsets.map((seconds) => cycleAt(seconds));
    const summary = summarize(cycles);

    expect(summary.cycles).toBe(12);
    expect(summary.parts).toBe(12);
    expect(summary.emptyCycles).toBe(0);
    expect(summary.gapsBackwards).toBe(1);
    expect(summary.stopsByClass).toEqual([
      { fromSeconds: 1.1, toSeconds: 12, count: 1, seconds: expect.closeTo(1.3, 6) },
      { fromSeconds: 12, toSeconds: 60, count: 1, seconds: expect.closeTo(20, 6) },
      { fromSeconds: 60, toSeconds: 300, count: 1, seconds: expect.closeTo(90, 6) },
      { fromSeconds: 300, toSeconds: null, count: 1, seconds: expect.closeTo(400, 6) },
    ]);
    // Running gaps: 0.5 + 0.5 + 0 (the backwards step counts as zero) + 0.4 + 0.5 + 0.5 + 1.1 = 3.5 s for 7 cycles.
    expect(summary.runningRatePerMinute).toBeCloseTo(7 / (3.5 / 60), 6);
    // Span 514.5 s; stops ≥ 60 s: 90 + 400 = 490 s.
    expect(summary.spanMs).toBe(514_500);
    expect(summary.stopMs).toBe(490_000);
    expect(summary.availability).toBeCloseTo((514.5 - 490) / 514.5, 9);
    expect(summary.firstAt).toBe(T0);
    expect(summary.lastAt).toBe(T0 + 514_500);
  });

  it('honours a different max cycle time and custom bins', () => {
    const cycles = [0, 0.5, 2.5, 3, 33].map((seconds) => cycleAt(seconds));
    const summary = summarize(cycles, 2.5, { stopBinsSeconds: [2.5, 30], availabilityLossSeconds: 30 });
    // 2.0 s is running with max 2.5 s; only the 30 s gap is a stop, and it is an availability loss
    expect(summary.stopsByClass.map((stopClass) => stopClass.count)).toEqual([0, 1]);
    expect(summary.stopMs).toBe(30_000);
    expect(summary.runningRatePerMinute).toBeCloseTo(3 / (3 / 60), 6);
  });

  it('counts empty cycles and reworks: same (lot, serial) again, serial 0 ignored', () => {
    const cycles = [
      cycleAt(0, { serial: '500' }),
      cycleAt(0.5, { serial: '501' }),
      cycleAt(1, { serial: '500' }), // rework
      cycleAt(1.5, { serial: '500', lot: '159071' }), // same serial, other lot: not a rework
      cycleAt(2, { lot: '0', serial: '0', part: false }),
      cycleAt(2.5, { lot: '000000', serial: '000000', part: false }),
      cycleAt(3, { serial: '0' }), // a part without a serial is never a rework
      cycleAt(3.5, { serial: '0' }),
      cycleAt(4, { serial: '000000' }),
      cycleAt(4.2, { serial: '000000' }), // zero-padded "no serial" twice: still not a rework
      cycleAt(4.5, { serial: '501' }), // rework
      cycleAt(5, { serial: '500' }), // rework again
    ];
    const summary = summarize(cycles);
    expect(summary.parts).toBe(10);
    expect(summary.emptyCycles).toBe(2);
    expect(summary.reworks).toBe(3);
  });

  it('lists lot runs in order; no-lot cycles neither start nor break a run', () => {
    const cycles = [
      cycleAt(0, { lot: '0', serial: '0', part: false, item: '1169100' }),
      cycleAt(1, { item: '1169100', lot: '159159' }),
      cycleAt(2, { item: '1169100', lot: '0', serial: '0', part: false }),
      cycleAt(3, { item: '1169100', lot: '159159' }),
      cycleAt(4, { item: '1451300', lot: '000000', serial: '000000', part: false }),
      cycleAt(5, { item: '1451300', lot: '159053' }),
      cycleAt(6, { item: '1451300', lot: '159053' }),
      cycleAt(7, { item: '1169100', lot: '159159' }),
    ];
    expect(summarize(cycles).lots).toEqual([
      { item: '1169100', lot: '159159', first: T0 + 1000, last: T0 + 3000, cycles: 2 },
      { item: '1451300', lot: '159053', first: T0 + 5000, last: T0 + 6000, cycles: 2 },
      { item: '1169100', lot: '159159', first: T0 + 7000, last: T0 + 7000, cycles: 1 },
    ]);
  });

  it('handles no cycles and a single cycle without dividing by zero', () => {
    const none = summarize([]);
    expect(none).toMatchObject({ cycles: 0, parts: 0, availability: null, runningRatePerMinute: 0, firstAt: null, lastAt: null, spanMs: 0, lots: [] });
    const one = summarize([cycleAt(0)]);
    expect(one).toMatchObject({ cycles: 1, parts: 1, availability: null, spanMs: 0, gapsBackwards: 0 });
    expect(one.stopsByClass.every((stopClass) => stopClass.count === 0)).toBe(true);
  });
});
