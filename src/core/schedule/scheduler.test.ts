import { describe, expect, it } from 'vitest';
import { plan } from './scheduler.js';
import type { PlanInput, PlanResult, PlanWorkOrder, PlanProduct } from './types.js';
import { DAY_SHIFT, calendarSource, iso, local, op, step, workOrder } from './test-helpers.js';

const MACHINES = [
  { key: 'pouch1', group: 'pouch' },
  { key: 'pouch2', group: 'pouch' },
  { key: 'kit1', group: 'kit' },
];
/** pouching 5000/h with 30 min setup, then kitting 10000/h; no gates */
const P: PlanProduct = { key: 'P', routing: [step('pouch', 5000, 30), step('kit', 10000)] };
/** no setups at all, for tests about queue order */
const PLAIN: PlanProduct = { key: 'PLAIN', routing: [step('pouch', 5000), step('kit', 10000)] };
/** a 4 h QC release after pouching */
const GATED: PlanProduct = { key: 'GATED', routing: [step('pouch', 5000, 30, 4), step('kit', 10000)] };
/** a 24 h (clock) release after pouching */
const LONG_GATE: PlanProduct = { key: 'LONG_GATE', routing: [step('pouch', 5000, 30, 24), step('kit', 10000)] };
/** two steps on the same group, for queue-order deadlocks */
const TWICE: PlanProduct = { key: 'TWICE', routing: [step('pouch', 5000), step('pouch', 5000)] };

function run(now: number, workOrders: PlanWorkOrder[], overrides: Partial<PlanInput> = {}): PlanResult {
  return plan({
    now,
    working: calendarSource(),
    machines: MACHINES,
    products: [P, PLAIN, GATED, LONG_GATE, TWICE],
    workOrders,
    ...overrides,
  });
}

function find(result: PlanResult, lot: string, stepIndex: number) {
  const found = result.operations.find((operation) => operation.lot === lot && operation.step === stepIndex);
  if (!found) throw new Error(`no operation ${lot}/${stepIndex} in the plan`);
  return found;
}

describe('plan: working time', () => {
  it('carries a long lot across days and a weekend', () => {
    // 200 000 units / 5000 per h = 40 h, + 30 min setup = 40.5 working hours from Thu 2026-11-19 06:30.
    // Thu 06:30–23:00 16.5 h, Fri 16.5 h (33 h), Sat/Sun off, Mon 23rd 06:30 + 7.5 h = 14:00 PST (22:00Z).
    const result = run(local('2026-11-19T06:30'), [workOrder('A', 'P', 200_000, [op(0, 'pouch1', 0)])]);
    const pouching = find(result, 'A', 0);
    expect(pouching.start).toBe(local('2026-11-19T06:30'));
    expect(iso(pouching.end)).toBe('2026-11-23T22:00:00.000Z');
    expect(pouching.end).toBe(local('2026-11-23T14:00'));
  });

  it('skips a holiday', () => {
    // 40.5 h from Wed 2026-11-25 06:30 with Thu 26th a holiday: Wed 16.5 h, Fri 16.5 h (33 h),
    // Mon 30th 06:30 + 7.5 h = 14:00.
    const result = run(local('2026-11-25T06:30'), [workOrder('A', 'P', 200_000, [op(0, 'pouch1', 0)])], {
      working: calendarSource({ holidays: ['2026-11-26'] }),
    });
    expect(find(result, 'A', 0).end).toBe(local('2026-11-30T14:00'));
  });

  it('uses a week override for that week only', () => {
    // 2026-W48 (Mon 23rd – Sun 29th) works one shift 06:30–15:00 (8.5 h/day).
    // Lot A: 100 000 / 5000 = 20 h + 0.5 h setup = 20.5 h from Fri 20th 22:00 (W47, two shifts):
    //   Fri 22:00–23:00 1 h, Mon 8.5 h (9.5), Tue 8.5 h (18), Wed 06:30 + 2.5 h = 09:00.
    // Lot B behind it: 150 000 / 5000 = 30 h + 0.5 h = 30.5 h from Wed 09:00:
    //   Wed 09:00–15:00 6 h, Thu 8.5 h (14.5), Fri 8.5 h (23), W49 is back to two shifts:
    //   Mon 30th 06:30 + 7.5 h = 14:00.
    const result = run(
      local('2026-11-20T22:00'),
      [workOrder('A', 'P', 100_000, [op(0, 'pouch1', 0)]), workOrder('B', 'P', 150_000, [op(0, 'pouch1', 1)])],
      { working: calendarSource({ weeks: { '2026-W48': DAY_SHIFT } }) },
    );
    expect(find(result, 'A', 0).start).toBe(local('2026-11-20T22:00'));
    expect(find(result, 'A', 0).end).toBe(local('2026-11-25T09:00'));
    expect(find(result, 'B', 0).start).toBe(local('2026-11-25T09:00'));
    expect(find(result, 'B', 0).end).toBe(local('2026-11-30T14:00'));
  });

  it('spans the autumn DST change in America/Los_Angeles (2026-11-01)', () => {
    // Day shift only. 50 000 / 5000 = 10 h, setup 0 (PLAIN) from Fri 2026-10-30 06:30 PDT (13:30Z):
    // Fri 8.5 h, Mon 2nd 06:30 PST + 1.5 h = 08:00 PST = 16:00Z (the offset went from -7 to -8).
    const result = run(local('2026-10-30T06:30'), [workOrder('A', 'PLAIN', 50_000, [op(0, 'pouch1', 0)])], {
      working: calendarSource({ default: DAY_SHIFT }),
    });
    expect(iso(find(result, 'A', 0).start)).toBe('2026-10-30T13:30:00.000Z');
    expect(iso(find(result, 'A', 0).end)).toBe('2026-11-02T16:00:00.000Z');
  });

  it('counts the repeated hour of fall-back and the missing hour of spring-forward as real time', () => {
    const sundaysOnly = {
      mon: [], tue: [], wed: [], thu: [], fri: [], sat: [],
      sun: [['00:00', '24:00'] as [string, string]],
    };
    const working = calendarSource({ default: sundaysOnly });
    // PLAIN: 120 000 / 5000 = 24 h from Sun 2026-11-01 00:00 PDT (07:00Z).
    // That Sunday lasts 25 h, so 24 h end at 23:00 PST the same day = 2026-11-02T07:00Z.
    const autumn = run(local('2026-11-01T00:00'), [workOrder('A', 'PLAIN', 120_000, [op(0, 'pouch1', 0)])], { working });
    expect(iso(find(autumn, 'A', 0).start)).toBe('2026-11-01T07:00:00.000Z');
    expect(iso(find(autumn, 'A', 0).end)).toBe('2026-11-02T07:00:00.000Z');
    // Sun 2026-03-08 lasts 23 h (00:00 PST = 08:00Z to 24:00 PDT = 07:00Z next day); the 24th hour is
    // worked the next Sunday: 2026-03-15 00:00 PDT (07:00Z) + 1 h = 08:00Z.
    const spring = run(local('2026-03-08T00:00'), [workOrder('A', 'PLAIN', 120_000, [op(0, 'pouch1', 0)])], { working });
    expect(iso(find(spring, 'A', 0).start)).toBe('2026-03-08T08:00:00.000Z');
    expect(iso(find(spring, 'A', 0).end)).toBe('2026-03-15T08:00:00.000Z');
  });

  it('starts at the next shift when now is outside working time', () => {
    // Sat 2026-11-21 10:00 → Mon 23rd 06:30; 25 000 / 5000 = 5 h + 0.5 h setup → 12:00.
    const result = run(local('2026-11-21T10:00'), [workOrder('A', 'P', 25_000, [op(0, 'pouch1', 0)])]);
    expect(find(result, 'A', 0).start).toBe(local('2026-11-23T06:30'));
    expect(find(result, 'A', 0).end).toBe(local('2026-11-23T12:00'));
  });
});

describe('plan: dependencies and queues', () => {
  it('delays the next process by the gate of the previous step', () => {
    // GATED step 0: 200 000 / 5000 = 40 h + 0.5 h from Mon 23rd 06:30: Mon 16.5, Tue 16.5 (33), Wed 06:30 + 7.5 = 14:00.
    // Gate 4 h → kitting may start Wed 18:00. 200 000 / 10 000 = 20 h: Wed 18:00–23:00 5 h, Thu 06:30 + 15 h = 21:30.
    const result = run(local('2026-11-23T06:30'), [workOrder('A', 'GATED', 200_000, [op(0, 'pouch1', 0), op(1, 'kit1', 0)])]);
    expect(find(result, 'A', 0).end).toBe(local('2026-11-25T14:00'));
    expect(find(result, 'A', 1).start).toBe(local('2026-11-25T18:00'));
    expect(find(result, 'A', 1).end).toBe(local('2026-11-26T21:30'));
  });

  it('counts a gate in clock hours, over non-working time', () => {
    // LONG_GATE step 0: 50 000 / 5000 = 10 h + 0.5 h from Fri 20th 06:30 → Fri 17:00.
    // Gate 24 clock hours → Sat 17:00 (not working) → kitting starts Mon 23rd 06:30, 5 h → 11:30.
    const result = run(local('2026-11-20T06:30'), [workOrder('A', 'LONG_GATE', 50_000, [op(0, 'pouch1', 0), op(1, 'kit1', 0)])]);
    expect(find(result, 'A', 0).end).toBe(local('2026-11-20T17:00'));
    expect(find(result, 'A', 1).start).toBe(local('2026-11-23T06:30'));
    expect(find(result, 'A', 1).end).toBe(local('2026-11-23T11:30'));
  });

  it("pushes a machine's later jobs back, in queue position order, and flags late ones", () => {
    // pouch1 from Mon 23rd 06:30 (P: 30 min setup each):
    //   A pos 0: 50 000 / 5000 = 10 h + 0.5 → 06:30–17:00 (due 16:00 → late)
    //   B pos 1: 25 000 / 5000 = 5 h + 0.5 → 17:00–22:30 (due Tue 00:00 → on time)
    //   C pos 2: 5 000 / 5000 = 1 h + 0.5 → 22:30–23:00 (0.5 h), Tue 06:30 + 1 h = 07:30 (no due date)
    // Listed C, A, B in the input to show that the queue follows positions, not input order.
    const result = run(local('2026-11-23T06:30'), [
      workOrder('C', 'P', 5_000, [op(0, 'pouch1', 2)]),
      workOrder('A', 'P', 50_000, [op(0, 'pouch1', 0)], { due: local('2026-11-23T16:00') }),
      workOrder('B', 'P', 25_000, [op(0, 'pouch1', 1)], { due: local('2026-11-24T00:00') }),
    ]);
    expect(find(result, 'A', 0)).toMatchObject({ start: local('2026-11-23T06:30'), end: local('2026-11-23T17:00'), late: true });
    expect(find(result, 'B', 0)).toMatchObject({ start: local('2026-11-23T17:00'), end: local('2026-11-23T22:30'), late: false });
    expect(find(result, 'C', 0)).toMatchObject({ start: local('2026-11-23T22:30'), end: local('2026-11-24T07:30'), late: false });
    // a due instant equal to the end is on time (late means strictly after)
    const exact = run(local('2026-11-23T06:30'), [
      workOrder('A', 'P', 50_000, [op(0, 'pouch1', 0)], { due: local('2026-11-23T17:00') }),
    ]);
    expect(find(exact, 'A', 0).late).toBe(false);
  });

  it('waits for a predecessor on another machine that sits behind other jobs', () => {
    // PLAIN (no setups) from Mon 23rd 06:30.
    // pouch1: X step 0 (50 000 → 10 h) 06:30–16:30, then Y step 0 (25 000 → 5 h) 16:30–21:30.
    // kit1 queue: Y step 1 first, then X step 1.
    //   Y step 1 waits for Y step 0 (21:30): 25 000 / 10 000 = 2.5 h → 21:30–23:00 1.5 h, Tue 06:30 + 1 h = 07:30.
    //   X step 1 is ready since Mon 16:30 but kit1 works in order: 07:30 + 5 h = 12:30 Tue.
    const orders = [
      workOrder('X', 'PLAIN', 50_000, [op(0, 'pouch1', 0), op(1, 'kit1', 1)]),
      workOrder('Y', 'PLAIN', 25_000, [op(0, 'pouch1', 1), op(1, 'kit1', 0)]),
    ];
    const expected = {
      X0: [local('2026-11-23T06:30'), local('2026-11-23T16:30')],
      Y0: [local('2026-11-23T16:30'), local('2026-11-23T21:30')],
      Y1: [local('2026-11-23T21:30'), local('2026-11-24T07:30')],
      X1: [local('2026-11-24T07:30'), local('2026-11-24T12:30')],
    };
    // The machine order must not matter.
    for (const machines of [MACHINES, [...MACHINES].reverse()]) {
      const result = run(local('2026-11-23T06:30'), orders, { machines });
      expect([find(result, 'X', 0).start, find(result, 'X', 0).end]).toEqual(expected.X0);
      expect([find(result, 'Y', 0).start, find(result, 'Y', 0).end]).toEqual(expected.Y0);
      expect([find(result, 'Y', 1).start, find(result, 'Y', 1).end]).toEqual(expected.Y1);
      expect([find(result, 'X', 1).start, find(result, 'X', 1).end]).toEqual(expected.X1);
    }
  });

  it('uses the observed rate only in observed mode with a positive observed rate', () => {
    // 50 000 ordered, 10 000 produced → running, so no setup; 40 000 remain.
    //   observed 2500/h: 16 h from Mon 06:30 → Mon 22:30; standard 5000/h: 8 h → 14:30.
    const now = local('2026-11-23T06:30');
    const running = (observedRatePerHour: number | null) => [op(0, 'pouch1', 0, { produced: 10_000, observedRatePerHour })];
    const observed = run(now, [workOrder('A', 'P', 50_000, running(2500), { rateMode: 'observed' })]);
    expect(find(observed, 'A', 0).end).toBe(local('2026-11-23T22:30'));
    const standard = run(now, [workOrder('A', 'P', 50_000, running(2500), { rateMode: 'standard' })]);
    expect(find(standard, 'A', 0).end).toBe(local('2026-11-23T14:30'));
    const noObservation = run(now, [workOrder('A', 'P', 50_000, running(null), { rateMode: 'observed' })]);
    expect(find(noObservation, 'A', 0).end).toBe(local('2026-11-23T14:30'));
    const zeroObserved = run(now, [workOrder('A', 'P', 50_000, running(0), { rateMode: 'observed' })]);
    expect(find(zeroObserved, 'A', 0).end).toBe(local('2026-11-23T14:30'));
  });

  it('uses the recommended (learned) rate in recommended mode, the standard rate without one (issue 12 item 2)', () => {
    // 40 000 remain; recommended 4000/h: 10 h from Mon 06:30 → 16:30; observed is ignored in this mode
    const now = local('2026-11-23T06:30');
    const running = (recommendedRatePerHour: number | null) => [op(0, 'pouch1', 0, { produced: 10_000, observedRatePerHour: 2500, recommendedRatePerHour })];
    const recommended = run(now, [workOrder('A', 'P', 50_000, running(4000), { rateMode: 'recommended' })]);
    expect(find(recommended, 'A', 0).end).toBe(local('2026-11-23T16:30'));
    const notLearned = run(now, [workOrder('A', 'P', 50_000, running(null), { rateMode: 'recommended' })]);
    expect(find(notLearned, 'A', 0).end).toBe(local('2026-11-23T14:30'));
    const observed = run(now, [workOrder('A', 'P', 50_000, running(4000), { rateMode: 'observed' })]);
    expect(find(observed, 'A', 0).end).toBe(local('2026-11-23T22:30'));
  });

  it('skips the setup of a job already running', () => {
    // state running, nothing produced yet: 25 000 / 5000 = 5 h, no setup → 06:30–11:30.
    const result = run(local('2026-11-23T06:30'), [workOrder('A', 'P', 25_000, [op(0, 'pouch1', 0, { state: 'running' })])]);
    expect(find(result, 'A', 0).end).toBe(local('2026-11-23T11:30'));
    // finished but not closed: nothing left, no setup → ends where it starts, even outside working time
    const finished = run(local('2026-11-21T10:00'), [workOrder('A', 'P', 25_000, [op(0, 'pouch1', 0, { produced: 25_500 })])]);
    expect(find(finished, 'A', 0)).toMatchObject({ start: local('2026-11-21T10:00'), end: local('2026-11-21T10:00') });
  });

  it("keeps a done operation's actual times, does not occupy its machine, and gates its successor from its actual end", () => {
    // GATED: step 0 done at Mon 05:30 (before now, 06:30), gate 4 h → kitting from 09:30; 25 000 / 10 000 = 2.5 h → 12:00.
    // pouch1 is free at now for lot B (25 000 / 5000 = 5 h + 0.5 → 06:30–12:00).
    const now = local('2026-11-23T06:30');
    const result = run(now, [
      workOrder('A', 'GATED', 25_000, [
        op(0, 'pouch1', 0, { state: 'done', produced: 25_000, actualStart: local('2026-11-20T08:00'), actualEnd: local('2026-11-23T05:30') }),
        op(1, 'kit1', 0),
      ]),
      workOrder('B', 'P', 25_000, [op(0, 'pouch1', 1)]),
    ]);
    expect(find(result, 'A', 0)).toMatchObject({ start: local('2026-11-20T08:00'), end: local('2026-11-23T05:30') });
    expect(find(result, 'A', 1)).toMatchObject({ start: local('2026-11-23T09:30'), end: local('2026-11-23T12:00') });
    expect(find(result, 'B', 0)).toMatchObject({ start: now, end: local('2026-11-23T12:00') });
    // B's kitting was never loaded
    expect(result.unplanned).toEqual([{ lot: 'B', step: 1, reason: 'parked' }]);
  });
});

describe('plan: parked, held, horizon, deadlock', () => {
  it('leaves parked and held operations and their successors unplanned without blocking machines', () => {
    // PLAIN from Mon 06:30. A: step 0 parked → A step 1 (kit1 pos 0) cannot be planned.
    // H: step 0 held at pouch1 pos 0 → skipped; H step 1 (kit1 pos 1) cannot be planned.
    // B: step 0 at pouch1 pos 1 runs from now (the held job does not block): 25 000 / 5000 = 5 h → 11:30;
    //    B step 1 at kit1 pos 2: 2.5 h → 11:30–14:00 (the two unplannable jobs ahead do not block kit1).
    const now = local('2026-11-23T06:30');
    const result = run(now, [
      workOrder('A', 'PLAIN', 25_000, [op(0, null, null), op(1, 'kit1', 0)]),
      workOrder('H', 'PLAIN', 25_000, [op(0, 'pouch1', 0, { state: 'held' }), op(1, 'kit1', 1)]),
      workOrder('B', 'PLAIN', 25_000, [op(0, 'pouch1', 1), op(1, 'kit1', 2)]),
      workOrder('N', 'PLAIN', 25_000, []),
    ]);
    for (const [lot, stepIndex] of [['A', 0], ['A', 1], ['H', 0], ['H', 1], ['N', 0], ['N', 1]] as const) {
      expect(find(result, lot, stepIndex)).toMatchObject({ start: null, end: null, late: false });
    }
    expect(find(result, 'B', 0)).toMatchObject({ start: now, end: local('2026-11-23T11:30') });
    expect(find(result, 'B', 1)).toMatchObject({ start: local('2026-11-23T11:30'), end: local('2026-11-23T14:00') });
    expect(result.unplanned).toEqual([
      { lot: 'A', step: 0, reason: 'parked' },
      { lot: 'A', step: 1, reason: 'predecessor-unplanned' },
      { lot: 'H', step: 0, reason: 'held' },
      { lot: 'H', step: 1, reason: 'predecessor-unplanned' },
      { lot: 'N', step: 0, reason: 'parked' },
      { lot: 'N', step: 1, reason: 'parked' },
    ]);
    // output: work-order order then step, every routing step present, machine as loaded
    expect(result.operations.map((operation) => `${operation.lot}/${operation.step}/${operation.machine}`)).toEqual([
      'A/0/null', 'A/1/kit1', 'H/0/pouch1', 'H/1/kit1', 'B/0/pouch1', 'B/1/kit1', 'N/0/null', 'N/1/null',
    ]);
    expect(result.horizonExceeded).toEqual([]);
  });

  it('treats an operation with state parked as parked even when a machine is named', () => {
    const result = run(local('2026-11-23T06:30'), [workOrder('A', 'PLAIN', 25_000, [op(0, 'pouch1', 0, { state: 'parked' })])]);
    expect(find(result, 'A', 0)).toMatchObject({ machine: 'pouch1', start: null, end: null });
    expect(result.unplanned[0]).toEqual({ lot: 'A', step: 0, reason: 'parked' });
  });

  it('stops at now + 3 years and lists what does not fit', () => {
    // 1 000 000 units at 5000/h = 200 working hours: fits. 100 000 000 units = 20 000 h, more than
    // 3 years of 16.5 h × 5 days (≈ 12 900 h): does not fit, and so neither does the job behind it
    // on pouch1 nor its own kitting step. pouch2 is unaffected.
    const now = local('2026-11-23T06:30');
    const result = run(now, [
      workOrder('BIG', 'PLAIN', 100_000_000, [op(0, 'pouch1', 0), op(1, 'kit1', 0)]),
      workOrder('BEHIND', 'PLAIN', 5_000, [op(0, 'pouch1', 1)]),
      workOrder('OTHER', 'PLAIN', 1_000_000, [op(0, 'pouch2', 0)]),
    ]);
    expect(result.horizonExceeded).toEqual(['BIG/0', 'BIG/1', 'BEHIND/0']);
    for (const [lot, stepIndex] of [['BIG', 0], ['BIG', 1], ['BEHIND', 0]] as const) {
      expect(find(result, lot, stepIndex)).toMatchObject({ start: null, end: null });
    }
    // 200 h = 12 working days of 16.5 h (198 h: Mon 23rd – Fri 27th, Mon 30th – Fri Dec 4th, Mon 7th, Tue 8th)
    // + 2 h: Wed Dec 9th 06:30 + 2 h = 08:30.
    expect(find(result, 'OTHER', 0).end).toBe(local('2026-12-09T08:30'));
  });

  it('reports a queue order that can never run (a step queued ahead of its own predecessor)', () => {
    // pouch1 queue: A step 1 (pos 0) waits for A step 0 (pos 1), which waits behind it; C behind both.
    const result = run(local('2026-11-23T06:30'), [
      workOrder('A', 'TWICE', 5_000, [op(0, 'pouch1', 1), op(1, 'pouch1', 0)]),
      workOrder('C', 'PLAIN', 5_000, [op(0, 'pouch1', 2)]),
      workOrder('D', 'PLAIN', 5_000, [op(0, 'pouch2', 0)]),
    ]);
    expect(result.unplanned).toEqual([
      { lot: 'A', step: 0, reason: 'queue-deadlock' },
      { lot: 'A', step: 1, reason: 'queue-deadlock' },
      { lot: 'C', step: 0, reason: 'queue-deadlock' },
      { lot: 'C', step: 1, reason: 'parked' },
      { lot: 'D', step: 1, reason: 'parked' },
    ]);
    expect(find(result, 'D', 0).end).toBe(local('2026-11-23T07:30'));
  });

  it('rejects input that references what does not exist', () => {
    const now = local('2026-11-23T06:30');
    expect(() => run(now, [workOrder('A', 'NOPE', 1, [])])).toThrow(/unknown product 'NOPE'/);
    expect(() => run(now, [workOrder('A', 'P', 1, [op(0, 'line99', 0)])])).toThrow(/unknown machine 'line99'/);
    expect(() => run(now, [workOrder('A', 'P', 1, [op(2, 'kit1', 0)])])).toThrow(/step 2/);
  });
});
