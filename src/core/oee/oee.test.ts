import { describe, expect, it } from 'vitest';
import { computeOee, normalizeIntervals, OeeAccumulator, overlapMs, subtractIntervals, type OeeCycle } from './oee.js';
import { BUILTIN_PROFILES, type OeeProfile } from './profiles.js';

// All instants are seconds after T0 = 2022-10-11 06:00 PDT (13:00 UTC), written as plain numbers
// so that the hand calculations below can be checked line by line.
const T0 = Date.UTC(2022, 9, 11, 13, 0, 0);
const t = (secondsAfterT0: number): number => T0 + Math.round(secondsAfterT0 * 1000);
const part = (at: number, serial: string, lot = '159070'): OeeCycle => ({ at: t(at), lot, serial, part: true });
const empty = (at: number): OeeCycle => ({ at: t(at), lot: '0', serial: '0', part: false });

const legacy = BUILTIN_PROFILES['itrak-legacy'];
const calendarLegacy: OeeProfile = { ...legacy, name: 'legacy-on-calendar', basis: 'calendar' };

// Window [0 s, 300 s). itrak-legacy parameters: max cycle 1.1 s, bins 1.1/12/60/300, loss ≥ 60 s.
//  #   at (s)   kind           gap      what it exercises
//  1   -50.0    part  100      —        before the window: not counted, but its serial is "seen"
//  2    10.0    part  101      60.0     stop (-50, 10] straddles the window start; class [60,300)
//  3    10.5    part  102       0.5     running
//  4    11.0    empty           0.5     running, empty cycle
//  5    11.5    part  103       0.5     running
//  6    13.5    part  104       2.0     micro stop, class [1.1,12)
//  7    14.0    part  100       0.5     running; REWORK (100 was seen at #1, before the window)
//  8    13.2    part  105      -0.8     clock stepped back: gap counts as 0, running, 0 s of run time
//  9    13.7    part  106       0.5     running
// 10    14.2    part  103       0.5     running; REWORK (103 seen at #5)
// 11   104.2    part  107      90.0     stop ≥ 60 s, class [60,300)
// 12   104.7    empty           0.5     running, empty cycle
// 13   105.2    part  108       0.5     running
// 14   106.3    part  109       1.1     exactly maxCycleSeconds: not a stop, running
// 15   119.3    part  110      13.0     stop, class [12,60)
// 16   119.8    part  111       0.5     running
// 17   300.0    part  112     180.2     at == to: outside the window; its stop (119.8, 300] reaches in
const handCycles: OeeCycle[] = [
  part(-50, '100'),
  part(10, '101'),
  part(10.5, '102'),
  empty(11),
  part(11.5, '103'),
  part(13.5, '104'),
  part(14, '100'),
  part(13.2, '105'),
  part(13.7, '106'),
  part(14.2, '103'),
  part(104.2, '107'),
  empty(104.7),
  part(105.2, '108'),
  part(106.3, '109'),
  part(119.3, '110'),
  part(119.8, '111'),
  part(300, '112'),
];

describe('computeOee — hand calculation, calendar basis', () => {
  // Loading intervals [0,200) and [250,400) clipped to the window → [0,200) + [250,300) = 250 s.
  // Counts: cycles #2–#16 = 15; empties #4, #12 = 2; parts 13; reworks #7, #10 = 2.
  // Stops and their overlap with the loading time (class by FULL gap, seconds by overlap):
  //   #2  (-50, 10]      full 60   → [60,300)  overlap 10          availability loss
  //   #6  (11.5, 13.5]   full 2    → [1.1,12)  overlap 2
  //   #11 (14.2, 104.2]  full 90   → [60,300)  overlap 90          availability loss
  //   #15 (106.3, 119.3] full 13   → [12,60)   overlap 13
  //   #17 (119.8, 300]   full 180.2 → [60,300) overlap 80.2 + 50 = 130.2   availability loss
  //   count 5, seconds 2 + 13 + 10 + 90 + 130.2 = 245.2
  // availability loss = 10 + 90 + 130.2 = 230.2 s over 3 stops; net run = 250 − 230.2 = 19.8 s
  // A = 19.8 / 250 = 0.0792
  // P = 13 / (19.8 / 60) / 140 = 0.281385… → 0.2814
  // Q = (13 − 2 − 0) / 13 = 0.846153… → 0.8462
  // OEE = 0.0792 × 0.281385… × 0.846153… = 0.0792 × 11/46.2 = 0.018857… → 0.0189
  // MTBF = 19.8 / 3 = 6.6 s; MTTR = 230.2 / 3 = 76.7333 s
  // running cycles: #3 #4 #5 #7 #8 #9 #10 #12 #13 #14 #16 = 11; run time 9 × 0.5 + 0 + 1.1 = 5.6 s
  // average rate = 11 / (5.6 / 60) = 117.857… → 117.86/min; effective rate = 13 / (250/60) = 3.12/min
  // empty rate = 2/15 = 0.1333; rework rate = 2/13 = 0.1538
  const result = computeOee({
    machine: 'line8',
    cycles: handCycles,
    from: t(0),
    to: t(300),
    profile: calendarLegacy,
    loadingIntervals: [
      { start: t(250), end: t(400) },
      { start: t(0), end: t(200) },
    ],
  });

  it('counts cycles, parts, empties and reworks', () => {
    expect(result.cycles).toBe(15);
    expect(result.parts).toBe(13);
    expect(result.emptyCycles).toBe(2);
    expect(result.reworks).toBe(2);
    expect(result.rejects).toBe(0);
    expect(result.emptyRate).toBe(0.1333);
    expect(result.reworkRate).toBe(0.1538);
  });

  it('classes stops by full duration and counts only their overlap with the loading time', () => {
    expect(result.stops).toEqual({
      count: 5,
      seconds: 245.2,
      classes: [
        { minSeconds: 1.1, maxSeconds: 12, count: 1, seconds: 2 },
        { minSeconds: 12, maxSeconds: 60, count: 1, seconds: 13 },
        { minSeconds: 60, maxSeconds: 300, count: 3, seconds: 230.2 },
        { minSeconds: 300, maxSeconds: null, count: 0, seconds: 0 },
      ],
    });
  });

  it('derives loading, loss, net run and the three ratios', () => {
    expect(result.loadingSeconds).toBe(250);
    expect(result.availabilityLossSeconds).toBe(230.2);
    expect(result.netRunSeconds).toBe(19.8);
    expect(result.availability).toBe(0.0792);
    expect(result.performance).toBe(0.2814);
    expect(result.quality).toBe(0.8462);
    expect(result.oee).toBe(0.0189);
  });

  it('reports MTBF, MTTR, run time and rates', () => {
    expect(result.mtbfSeconds).toBe(6.6);
    expect(result.mttrSeconds).toBe(76.733);
    expect(result.runSeconds).toBe(5.6);
    expect(result.averageRatePerMinute).toBe(117.86);
    expect(result.effectiveRatePerMinute).toBe(3.12);
  });

  it('names the window, machine and profile and has nothing to warn about', () => {
    expect(result.machine).toBe('line8');
    expect(result.from).toBe('2022-10-11T13:00:00.000Z');
    expect(result.to).toBe('2022-10-11T13:05:00.000Z');
    expect(result.profile).toBe('legacy-on-calendar@v1');
    expect(result.warnings).toEqual([]);
  });

  it('puts the JSON keys in the contract order', () => {
    expect(Object.keys(result)).toEqual([
      'machine', 'from', 'to', 'profile', 'cycles', 'parts', 'emptyCycles', 'reworks', 'loadingSeconds',
      'availabilityLossSeconds', 'netRunSeconds', 'availability', 'performance', 'quality', 'oee', 'stops',
      'mtbfSeconds', 'mttrSeconds', 'averageRatePerMinute', 'emptyRate', 'reworkRate', 'runSeconds',
      'effectiveRatePerMinute', 'rejects', 'warnings',
    ]);
    expect(Object.keys(result.stops)).toEqual(['count', 'seconds', 'classes']);
  });
});

describe('computeOee — hand calculation, firstToLastPart basis (itrak-legacy)', () => {
  // Loading = first part in the window (#2 at 10.0) to the last (#16 at 119.8) = 109.8 s.
  //   #2  (-50, 10]     overlap with [10, 119.8] = 0 → not a stop of this window
  //   #6  2 s [1.1,12); #11 90 s [60,300) loss; #15 13 s [12,60)
  //   #17 (119.8, 300]  overlap 0 → not counted
  // count 3, seconds 105; loss 90 over 1 stop; net run 109.8 − 90 = 19.8 s
  // A = 19.8 / 109.8 = 0.180327… → 0.1803; P, Q as above (0.2814, 0.8462)
  // OEE = 0.180327… × 11/46.2 = 0.042935… → 0.0429
  // MTBF = 19.8 s; MTTR = 90 s; effective rate = 13 / (109.8/60) = 7.1038… → 7.1
  const result = computeOee({ machine: 'line8', cycles: handCycles, from: t(0), to: t(300), profile: legacy });

  it('follows the hand calculation', () => {
    expect(result.profile).toBe('itrak-legacy@v1');
    expect(result.loadingSeconds).toBe(109.8);
    expect(result.stops.count).toBe(3);
    expect(result.stops.seconds).toBe(105);
    expect(result.stops.classes.map((c) => [c.count, c.seconds])).toEqual([
      [1, 2],
      [1, 13],
      [1, 90],
      [0, 0],
    ]);
    expect(result.availabilityLossSeconds).toBe(90);
    expect(result.netRunSeconds).toBe(19.8);
    expect(result.availability).toBe(0.1803);
    expect(result.performance).toBe(0.2814);
    expect(result.quality).toBe(0.8462);
    expect(result.oee).toBe(0.0429);
    expect(result.mtbfSeconds).toBe(19.8);
    expect(result.mttrSeconds).toBe(90);
    expect(result.effectiveRatePerMinute).toBe(7.1);
    expect(result.averageRatePerMinute).toBe(117.86);
    expect(result.warnings).toEqual([]);
  });
});

describe('computeOee — previousAt instead of cycles before the window', () => {
  // Same in-window cycles, but the array starts at #2 and previousAt = -50 s stands for #1.
  // The straddling stop is found from previousAt alone; serial 100 was never seen, so #7 is not
  // a rework: reworks 1 (#10), Q = 12/13 = 0.923076… → 0.9231. Everything else is unchanged.
  const result = computeOee({
    cycles: handCycles.slice(1),
    previousAt: t(-50),
    from: t(0),
    to: t(300),
    profile: calendarLegacy,
    loadingIntervals: [{ start: t(0), end: t(200) }, { start: t(250), end: t(400) }],
  });

  it('finds the straddling stop and only the reworks it can see', () => {
    expect(result.machine).toBeNull();
    expect(result.stops.count).toBe(5);
    expect(result.availabilityLossSeconds).toBe(230.2);
    expect(result.reworks).toBe(1);
    expect(result.quality).toBe(0.9231);
  });

  it('without previousAt the first cycle has no gap and the straddling stop disappears', () => {
    const withoutPrevious = computeOee({
      cycles: handCycles.slice(1),
      from: t(0),
      to: t(300),
      profile: calendarLegacy,
      loadingIntervals: [{ start: t(0), end: t(200) }, { start: t(250), end: t(400) }],
    });
    // loss 230.2 − 10 = 220.2 s over 2 stops
    expect(withoutPrevious.stops.count).toBe(4);
    expect(withoutPrevious.availabilityLossSeconds).toBe(220.2);
    // the first 10 s of planned time are now blind: neither run nor stop, and the result says so
    expect(withoutPrevious.warnings).toEqual([
      'the data starts 0.2 min into the planned production time: with no earlier cycle that time is counted neither as run nor as stop (add the previous day\'s data)',
    ]);
  });

  it('warns about planned time after the last cycle of the data', () => {
    const result = computeOee({
      cycles: handCycles.slice(0, -1), // ends with #16 at 119.8 s
      from: t(0),
      to: t(300),
      profile: calendarLegacy,
      loadingIntervals: [{ start: t(0), end: t(200) }, { start: t(250), end: t(400) }],
    });
    // (119.8, 200) + [250, 300) = 130.2 s = 2.17 min
    expect(result.warnings).toEqual(['the data ends 2.2 min before the planned production time does: that time is counted neither as run nor as stop']);
    expect(result.availabilityLossSeconds).toBe(100);
  });
});

describe('computeOee — window edges', () => {
  it('counts a cycle at `from` and excludes a cycle at `to`', () => {
    const cycles = [part(0, '1'), part(0.5, '2'), part(1, '3'), part(2, '4')];
    const result = computeOee({ cycles, from: t(0), to: t(2), profile: legacy });
    expect(result.cycles).toBe(3);
    expect(result.parts).toBe(3);
    // firstToLastPart: 0 → 1 s
    expect(result.loadingSeconds).toBe(1);
  });

  it('clips a running gap that straddles the window start', () => {
    // #2 gap 1.0 s from -0.6 to 0.4: only 0.4 s lies inside the window
    const cycles = [part(-0.6, '1'), part(0.4, '2'), part(0.9, '3')];
    const result = computeOee({ cycles, from: t(0), to: t(10), profile: legacy });
    expect(result.runSeconds).toBe(0.9);
    expect(result.averageRatePerMinute).toBe(round2(2 / (0.9 / 60)));
  });

  it('never counts loss outside the loading intervals', () => {
    // one 1000 s stop (100, 1100]; loading intervals cover [0,50), [500,600), [1000,1200)
    const cycles = [part(99.5, '1'), part(100, '2'), part(1100, '3'), part(1100.5, '4')];
    const result = computeOee({
      cycles,
      from: t(0),
      to: t(1200),
      profile: calendarLegacy,
      loadingIntervals: [{ start: t(0), end: t(50) }, { start: t(500), end: t(600) }, { start: t(1000), end: t(1200) }],
    });
    expect(result.loadingSeconds).toBe(350);
    // overlap = [500,600) 100 s + [1000,1100] 100 s; the loading interval [0,50) is not touched
    expect(result.availabilityLossSeconds).toBe(200);
    expect(result.stops.classes[3]).toEqual({ minSeconds: 300, maxSeconds: null, count: 1, seconds: 200 });
  });

  it('refuses a calendar profile without loading intervals and an empty window', () => {
    expect(() => computeOee({ cycles: [], from: t(0), to: t(10), profile: calendarLegacy })).toThrow(/loadingIntervals/);
    expect(() => computeOee({ cycles: [], from: t(10), to: t(10), profile: legacy })).toThrow(/before its end/);
  });
});

describe('computeOee — rework identification', () => {
  it('does not treat unreadable serials or empty pockets as identifying a strip', () => {
    const cycles: OeeCycle[] = [
      { at: t(0), lot: '159070', serial: '000000', part: true },
      { at: t(0.5), lot: '159070', serial: '000000', part: true },
      { at: t(1), lot: '159070', serial: '55', part: false },
      { at: t(1.5), lot: '159070', serial: '55', part: true },
      { at: t(2), lot: '159071', serial: '55', part: true }, // same serial, other lot: a new part
      { at: t(2.5), lot: '159070', serial: '55', part: true }, // the only rework
    ];
    const result = computeOee({ cycles, from: t(0), to: t(10), profile: legacy });
    expect(result.parts).toBe(5);
    expect(result.reworks).toBe(1);
  });
});

describe('computeOee — ratios outside 0–1 and undefined figures', () => {
  it('warns when the observed rate beats the ideal rate (performance > 100 %)', () => {
    // 201 parts 0.3 s apart: loading 60 s, no stops, 201 parts/min against an ideal 140/min
    const cycles = Array.from({ length: 201 }, (_, i) => part(i * 0.3, String(i + 1)));
    const result = computeOee({ cycles, from: t(0), to: t(100), profile: legacy });
    expect(result.loadingSeconds).toBe(60);
    expect(result.availability).toBe(1);
    expect(result.performance).toBe(round4(201 / 140));
    expect(result.quality).toBe(1);
    expect(result.oee).toBe(round4(201 / 140));
    expect(result.warnings).toHaveLength(2);
    expect(result.warnings[0]).toBe(
      'performance 143.6 % > 100 %: the ideal rate 140/min is lower than the observed rate (201 parts/min of net run time) — check the profile',
    );
    expect(result.warnings[1]).toMatch(/MTBF and MTTR are undefined/);
    expect(result.mtbfSeconds).toBeNull();
    expect(result.mttrSeconds).toBeNull();
  });

  it('warns when rejects exceed the good parts (quality < 0 %)', () => {
    const cycles = [part(0, '1'), part(0.5, '2'), part(1, '1')];
    const result = computeOee({ cycles, from: t(0), to: t(10), profile: legacy, rejects: 3 });
    // Q = (3 − 1 − 3) / 3 = −0.3333
    expect(result.quality).toBe(-0.3333);
    expect(result.warnings.some((w) => w.startsWith('quality -33.3 % < 0 %: reworks (1) and rejects (3) exceed the parts (3)'))).toBe(true);
  });

  it('keeps availability and quality within 0–1 by construction, even for a stop longer than the loading time', () => {
    const cycles = [part(0, '1'), part(0.4, '2'), part(5000, '3')];
    const result = computeOee({
      cycles,
      from: t(0),
      to: t(6000),
      profile: calendarLegacy,
      // overlapping calendar entries must not inflate the loading time
      loadingIntervals: [{ start: t(0), end: t(3000) }, { start: t(1000), end: t(2000) }, { start: t(2500), end: t(6000) }],
    });
    expect(result.loadingSeconds).toBe(6000);
    expect(result.availability).toBeGreaterThanOrEqual(0);
    expect(result.availability).toBeLessThanOrEqual(1);
    expect(result.quality).toBe(1);
  });

  it('returns null with a warning instead of NaN when loading time is 0', () => {
    const result = computeOee({ cycles: [empty(0), part(0.4, '9'), empty(0.8)], from: t(0), to: t(10), profile: legacy });
    expect(result.loadingSeconds).toBe(0);
    expect(result.availability).toBeNull();
    expect(result.performance).toBeNull();
    expect(result.oee).toBeNull();
    expect(result.effectiveRatePerMinute).toBeNull();
    expect(result.quality).toBe(1);
    expect(result.warnings[0]).toMatch(/loading time is 0/);
    expect(JSON.stringify(result)).not.toMatch(/NaN|Infinity/);
  });

  it('reports OEE 0 when the whole loading time is lost, and no-parts windows without NaN', () => {
    // one stop covering the entire calendar loading interval, no parts in the window
    const cycles = [empty(-10), empty(200)];
    const result = computeOee({
      cycles,
      from: t(0),
      to: t(100),
      profile: calendarLegacy,
      loadingIntervals: [{ start: t(0), end: t(100) }],
    });
    expect(result.cycles).toBe(0);
    expect(result.availabilityLossSeconds).toBe(100);
    expect(result.availability).toBe(0);
    expect(result.performance).toBeNull();
    expect(result.quality).toBeNull();
    expect(result.oee).toBe(0);
    expect(result.mtbfSeconds).toBe(0);
    expect(result.mttrSeconds).toBe(100);
    expect(result.averageRatePerMinute).toBeNull();
    expect(result.emptyRate).toBeNull();
    expect(result.warnings.some((w) => w.includes('no cycles in the window'))).toBe(true);
    expect(result.warnings.some((w) => w.includes('net run time is 0'))).toBe(true);
    expect(JSON.stringify(result)).not.toMatch(/NaN|Infinity/);
  });
});

describe('OeeAccumulator (streaming)', () => {
  it('with an open window gives exactly what computeOee gives for the data extent', () => {
    const extent = { from: t(-50), to: t(300) + 1 };
    for (const profile of [legacy, calendarLegacy]) {
      const loadingIntervals = [{ start: t(-40), end: t(120) }];
      const accumulator = new OeeAccumulator({ profile });
      for (const cycle of handCycles) accumulator.add(cycle);
      expect(accumulator.window()).toEqual(extent);
      expect(accumulator.cycles).toBe(17);
      const streamed = accumulator.result({ machine: 'line8', loadingIntervals });
      expect(streamed).toEqual(computeOee({ machine: 'line8', cycles: handCycles, ...extent, profile, loadingIntervals }));
      expect(streamed.cycles).toBe(17);
    }
  });

  it('resolves only the open side of a half-open window', () => {
    const accumulator = new OeeAccumulator({ profile: legacy, from: t(0) });
    for (const cycle of handCycles) accumulator.add(cycle);
    expect(accumulator.window()).toEqual({ from: t(0), to: t(300) + 1 });
    expect(accumulator.result().cycles).toBe(16);
  });

  it('has no window while an open side saw no cycle, and refuses contradictory options', () => {
    const accumulator = new OeeAccumulator({ profile: legacy, from: t(1000) });
    for (const cycle of handCycles) accumulator.add(cycle);
    expect(accumulator.window()).toBeNull();
    expect(() => accumulator.result()).toThrow(/no cycle fell inside/);
    expect(() => new OeeAccumulator({ profile: legacy, previousAt: t(0) })).toThrow(/explicit window start/);
    expect(() => new OeeAccumulator({ profile: legacy, from: t(5), to: t(5) })).toThrow(/before its end/);
  });
});

describe('interval helpers', () => {
  it('normalizeIntervals clips, sorts and merges', () => {
    expect(
      normalizeIntervals(
        [
          { start: 50, end: 70 },
          { start: -10, end: 20 },
          { start: 15, end: 30 },
          { start: 30, end: 40 },
          { start: 90, end: 200 },
          { start: 5, end: 5 },
        ],
        0,
        100,
      ),
    ).toEqual([
      { start: 0, end: 40 },
      { start: 50, end: 70 },
      { start: 90, end: 100 },
    ]);
  });

  it('overlapMs sums the overlap with each interval', () => {
    const intervals = [
      { start: 0, end: 40 },
      { start: 50, end: 70 },
      { start: 90, end: 100 },
    ];
    expect(overlapMs(30, 95, intervals)).toBe(10 + 20 + 5);
    expect(overlapMs(40, 50, intervals)).toBe(0);
    expect(overlapMs(-100, 1000, intervals)).toBe(70);
    expect(overlapMs(100, 200, intervals)).toBe(0);
  });
});

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
function round4(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}

describe('computeOee — firstToLastPart over production days (issue 9)', () => {
  // Plant-local days in America/Los_Angeles; T0 = 11 Oct 2022 06:00 PDT. Parts every 0.5 s from
  // 06:00 to 07:00, then a 40-min stop, then parts 07:40–08:00; the next day 06:00–06:30.
  const days = { zone: 'America/Los_Angeles' };
  const run = (fromS: number, toS: number, serial0: number): OeeCycle[] => {
    const cycles: OeeCycle[] = [];
    for (let s = fromS, n = serial0; s < toS; s += 0.5, n++) cycles.push(part(s, String(n)));
    return cycles;
  };
  const cycles = [...run(0, 3600, 1), ...run(6000, 7200, 100_000), ...run(86_400, 88_200, 200_000)];

  it('an hour inside the day uses the day\'s run: the stop at the hour\'s end counts', () => {
    // hour 07:00–08:00: loading 60 min (day run 06:00–07:59:59.5), loss = the stop (06:59:59.5, 07:40] ∩ hour = 40 min
    const hour = computeOee({ cycles, from: t(3600), to: t(7200), profile: legacy, days });
    expect(hour.loadingSeconds).toBeCloseTo(3599.5, 3);
    expect(hour.availabilityLossSeconds).toBeCloseTo(2400, 3);
    // the old rule (no days: the window is the day) loads only 07:40–08:00 and sees no stop
    const old = computeOee({ cycles, from: t(3600), to: t(7200), profile: legacy });
    expect([old.loadingSeconds, old.availability]).toEqual([1199.5, 1]);
  });

  it('a window of two days sums the two runs; the night between is not a stop', () => {
    const both = computeOee({ cycles, from: t(-6 * 3600), to: t(42 * 3600), profile: legacy, days });
    expect(both.loadingSeconds).toBeCloseTo(7199.5 + 1799.5, 3);
    expect(both.availabilityLossSeconds).toBeCloseTo(2400.5, 3);
    expect(both.stops.count).toBe(1);
  });

  it('the open day runs from its first shift start (or first part) to now, the time since the last cycle is a stop', () => {
    const today = cycles.filter((c) => c.at < t(86_400));
    const now = t(3 * 3600); // 09:00, an hour after the last part
    const open = computeOee({ cycles: today, from: t(-6 * 3600), to: t(18 * 3600), profile: legacy, days: { ...days, now, openDayShiftStart: t(-1800) } });
    // 05:30 → 09:00 = 3.5 h; loss: 05:30–06:00 (before the first cycle), 40 min stop, 08:00–09:00
    expect(open.loadingSeconds).toBe(3.5 * 3600);
    expect(open.availabilityLossSeconds).toBeCloseTo(1800 + 2400.5 + 3600.5, 3);
    expect(open.stops.count).toBe(3);
    // a shift that starts after the first part: the run starts at the first part
    const late = computeOee({ cycles: today, from: t(-6 * 3600), to: t(18 * 3600), profile: legacy, days: { ...days, now, openDayShiftStart: t(1800) } });
    expect(late.loadingSeconds).toBe(3 * 3600);
  });

  it('no cycle and no stop: every figure is empty, on either basis (not "A 100 %, P 0 %")', () => {
    for (const profile of [legacy, calendarLegacy]) {
      const result = computeOee({ cycles: [], from: t(0), to: t(3600), profile, loadingIntervals: [{ start: t(0), end: t(3600) }], days });
      expect([result.availability, result.performance, result.quality, result.oee, result.effectiveRatePerMinute]).toEqual([null, null, null, null, null]);
    }
  });
});

describe('computeOee — the open day\'s unclosed stops stay in the open day', () => {
  it('a machine whose very first cycle is recent: an old window gets no stop reaching back from it', () => {
    // demo data of "today" stored first, then an old day imported: its first cycle has no previous one
    const old = [0, 0.5, 1, 1.5].map((s, i) => part(s, String(i + 1)));
    const recent = [part(10 * 86_400, '900'), part(10 * 86_400 + 0.5, '901')];
    const cycles = [...recent, ...old];
    const now = t(10 * 86_400 + 3600);
    const result = computeOee({ cycles, from: t(-3600), to: t(3600), profile: legacy, days: { zone: 'America/Los_Angeles', now, openDayShiftStart: t(10 * 86_400 - 1800) } });
    expect([result.loadingSeconds, result.availabilityLossSeconds, result.availability]).toEqual([1.5, 0, 1]);
  });
});

describe('computeOee — boundary stops and the open day on the calendar basis (issue 9 defect 5 follow-up)', () => {
  // parts every 0.5 s 06:00–07:00, a 40-min stop (06:59:59.5, 07:40], parts 07:40–08:00
  const run = (fromS: number, toS: number, serial0: number): OeeCycle[] => {
    const cycles: OeeCycle[] = [];
    for (let s = fromS, n = serial0; s < toS; s += 0.5, n++) cycles.push(part(s, String(n)));
    return cycles;
  };
  const cycles = [...run(0, 3600, 1), ...run(6000, 7200, 100_000)];
  const days = { zone: 'America/Los_Angeles' };

  it('a stop cut by the window start or end counts only its part inside, on either basis', () => {
    for (const profile of [legacy, calendarLegacy]) {
      const shift = [{ start: t(0), end: t(8 * 3600) }];
      // 07:10–07:30 lies inside the stop: 20 min of loss, not the stop's 40 min
      const inside = computeOee({ cycles, from: t(4200), to: t(5400), profile, loadingIntervals: shift, days });
      expect([inside.loadingSeconds, inside.stops.seconds, inside.availabilityLossSeconds, inside.availability]).toEqual([1200, 1200, 1200, 0]);
      // 07:30–07:50: the last 10 min of the stop, then 10 min of parts
      const end = computeOee({ cycles, from: t(5400), to: t(6600), profile, loadingIntervals: shift, days });
      expect(end.availabilityLossSeconds).toBe(600);
      expect(end.stops.count).toBe(1);
      expect(end.stops.classes[3]).toMatchObject({ count: 1, seconds: 600 });
    }
  });

  it('the calendar loading of the open day ends at now: no future planned time, the time since the last cycle is a stop', () => {
    const shift = [{ start: t(-1800), end: t(17 * 3600) }]; // 05:30–23:00 planned
    const now = t(3 * 3600); // 09:00, an hour after the last part
    const today = computeOee({ cycles, from: t(-6 * 3600), to: t(18 * 3600), profile: calendarLegacy, loadingIntervals: shift, days: { ...days, now, openDayShiftStart: t(-1800) } });
    // 05:30 → 09:00, not 05:30 → 23:00
    expect(today.loadingSeconds).toBe(3.5 * 3600);
    // loss: 05:30–06:00 before the machine's first cycle, the 40-min stop, 08:00–09:00 since the last cycle
    expect(today.availabilityLossSeconds).toBeCloseTo(1800 + 2400.5 + 3600.5, 3);
    expect(today.stops.seconds).toBeLessThanOrEqual(today.loadingSeconds);
    expect(today.availability).toBeCloseTo((3.5 * 3600 - 7801) / (3.5 * 3600), 4);
    // the same figures as firstToLastPart gives for this day (its shift starts at 05:30 as well)
    const ftl = computeOee({ cycles, from: t(-6 * 3600), to: t(18 * 3600), profile: legacy, days: { ...days, now, openDayShiftStart: t(-1800) } });
    expect([today.loadingSeconds, today.availabilityLossSeconds, today.availability]).toEqual([ftl.loadingSeconds, ftl.availabilityLossSeconds, ftl.availability]);
    // nothing is said about "planned time after the last cycle": it is counted, as a stop
    expect(today.warnings.filter((w) => w.startsWith('the data'))).toEqual([]);
  });
});

describe('subtractIntervals', () => {
  it('cuts planned downtime out of working time, across and at the edges of the intervals', () => {
    const working = [{ start: 0, end: 100 }, { start: 200, end: 300 }];
    expect(subtractIntervals(working, [])).toEqual(working);
    expect(subtractIntervals(working, [{ start: 10, end: 20 }, { start: 90, end: 210 }, { start: 290, end: 400 }])).toEqual([
      { start: 0, end: 10 }, { start: 20, end: 90 }, { start: 210, end: 290 },
    ]);
    expect(subtractIntervals(working, [{ start: -5, end: 500 }])).toEqual([]);
    expect(subtractIntervals(working, [{ start: 100, end: 200 }])).toEqual(working);
  });
});
