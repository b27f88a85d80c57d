// Family changeovers in the scheduler (issue 15): hand-computed plans on the real calendar core.
import { describe, expect, it } from 'vitest';
import { plan } from './scheduler.js';
import type { ChangeoverRule, PlanInput, PlanMachine, PlanProduct, PlanResult, PlanWorkOrder } from './types.js';
import type { WeekPattern } from '../calendar/index.js';
import { DAY_SHIFT, calendarSource, local, op, step, workOrder } from './test-helpers.js';

/** strep tests: 5000/h, 30 min setup on pouching */
const STREP: PlanProduct = { key: 'STREP', family: 'strep', routing: [step('pouch', 5000, 30)] };
/** another product of the strep family, no setup */
const STREP_PLUS: PlanProduct = { key: 'STREP_PLUS', family: 'strep', routing: [step('pouch', 5000)] };
/** flu tests: 5000/h, no setup */
const FLU: PlanProduct = { key: 'FLU', family: 'flu', routing: [step('pouch', 5000)] };
/** no family given: its own family 'KIT_ONLY'; one kitting step */
const KIT_ONLY: PlanProduct = { key: 'KIT_ONLY', routing: [step('kit', 10000)] };

const RULES: ChangeoverRule[] = [
  { group: 'pouch', from: 'flu', to: 'strep', minutes: 150 },
  { group: 'pouch', from: '*', to: '*', minutes: 45 },
];

function run(now: number, machines: PlanMachine[], workOrders: PlanWorkOrder[], overrides: Partial<PlanInput> = {}): PlanResult {
  return plan({
    now,
    working: calendarSource(),
    machines,
    products: [STREP, STREP_PLUS, FLU, KIT_ONLY],
    workOrders,
    changeovers: RULES,
    ...overrides,
  });
}

function find(result: PlanResult, lot: string, stepIndex = 0) {
  const found = result.operations.find((operation) => operation.lot === lot && operation.step === stepIndex);
  if (!found) throw new Error(`no operation ${lot}/${stepIndex} in the plan`);
  return found;
}

/** Two shifts with a half-hour gap between them: 06:00–14:00 and 14:30–22:30, Mon–Fri. */
const SPLIT_SHIFTS: WeekPattern = {
  mon: [['06:00', '14:00'], ['14:30', '22:30']],
  tue: [['06:00', '14:00'], ['14:30', '22:30']],
  wed: [['06:00', '14:00'], ['14:30', '22:30']],
  thu: [['06:00', '14:00'], ['14:30', '22:30']],
  fri: [['06:00', '14:00'], ['14:30', '22:30']],
  sat: [],
  sun: [],
};

describe('plan: a changeover runs in working time directly before its operation', () => {
  it('pauses over the gap between two shifts', () => {
    // line1 last ran flu; a strep lot of 5000 (1 h) with 30 min setup from Mon 2026-11-23 13:00.
    // flu → strep 150 min: 13:00–14:00 1 h, gap, 14:30 + 1.5 h = 16:00 (changeover over).
    // Then setup 0.5 h + 1 h = 1.5 h → 17:30.
    const result = run(local('2026-11-23T13:00'), [{ key: 'line1', group: 'pouch', lastFamily: 'flu' }], [workOrder('A', 'STREP', 5000, [op(0, 'line1', 0)])], {
      working: calendarSource({ default: SPLIT_SHIFTS }),
    });
    const a = find(result, 'A');
    expect(a.changeoverMinutes).toBe(150);
    expect(a.start).toBe(local('2026-11-23T13:00'));
    expect(a.changeoverEnd).toBe(local('2026-11-23T16:00'));
    expect(a.end).toBe(local('2026-11-23T17:30'));
  });

  it('pauses overnight when a shift ends during it (day shift only)', () => {
    // day shift 06:30–15:00. From Mon 14:00: 150 min = 14:00–15:00 1 h, Tue 06:30 + 1.5 h = 08:00;
    // setup 0.5 h + 1 h → Tue 09:30.
    const result = run(local('2026-11-23T14:00'), [{ key: 'line1', group: 'pouch', lastFamily: 'flu' }], [workOrder('A', 'STREP', 5000, [op(0, 'line1', 0)])], {
      working: calendarSource({ default: DAY_SHIFT }),
    });
    const a = find(result, 'A');
    expect(a.start).toBe(local('2026-11-23T14:00'));
    expect(a.changeoverEnd).toBe(local('2026-11-24T08:00'));
    expect(a.end).toBe(local('2026-11-24T09:30'));
  });

  it('carries over a weekend', () => {
    // two shifts Mon–Fri 06:30–23:00. From Fri 2026-11-27 22:00: 150 min = Fri 22:00–23:00 1 h,
    // Mon 30th 06:30 + 1.5 h = 08:00; setup 0.5 h + 1 h → Mon 09:30.
    const result = run(local('2026-11-27T22:00'), [{ key: 'line1', group: 'pouch', lastFamily: 'flu' }], [workOrder('A', 'STREP', 5000, [op(0, 'line1', 0)])]);
    const a = find(result, 'A');
    expect(a.start).toBe(local('2026-11-27T22:00'));
    expect(a.changeoverMinutes).toBe(150);
    expect(a.changeoverEnd).toBe(local('2026-11-30T08:00'));
    expect(a.end).toBe(local('2026-11-30T09:30'));
  });

  it('starts at the next shift when now is outside working time, and the changeover with it', () => {
    // Sat 28th 10:00 → Mon 30th 06:30; changeover to 09:00; setup + 1 h → 10:30
    const result = run(local('2026-11-28T10:00'), [{ key: 'line1', group: 'pouch', lastFamily: 'flu' }], [workOrder('A', 'STREP', 5000, [op(0, 'line1', 0)])]);
    const a = find(result, 'A');
    expect(a.start).toBe(local('2026-11-30T06:30'));
    expect(a.changeoverEnd).toBe(local('2026-11-30T09:00'));
    expect(a.end).toBe(local('2026-11-30T10:30'));
  });
});

describe("plan: a machine's first operation", () => {
  const now = local('2026-11-23T06:30');
  const machines: PlanMachine[] = [
    { key: 'known', group: 'pouch', lastFamily: 'flu' },
    { key: 'unknown', group: 'pouch' },
    { key: 'unknownNull', group: 'pouch', lastFamily: null },
    { key: 'same', group: 'pouch', lastFamily: 'strep' },
  ];
  const result = run(now, machines, [
    workOrder('K', 'STREP', 5000, [op(0, 'known', 0)]),
    workOrder('U', 'STREP', 5000, [op(0, 'unknown', 0)]),
    workOrder('N', 'STREP', 5000, [op(0, 'unknownNull', 0)]),
    workOrder('S', 'STREP', 5000, [op(0, 'same', 0)]),
  ]);

  it('has the changeover from the known last family', () => {
    // 06:30 + 150 min = 09:00; + 0.5 h setup + 1 h = 10:30
    const k = find(result, 'K');
    expect(k.changeoverMinutes).toBe(150);
    expect(k.start).toBe(now);
    expect(k.changeoverEnd).toBe(local('2026-11-23T09:00'));
    expect(k.end).toBe(local('2026-11-23T10:30'));
  });

  it('has none when the last family is unknown (absent or null), even with a * → * rule', () => {
    for (const lot of ['U', 'N']) {
      const operation = find(result, lot);
      expect(operation.changeoverMinutes).toBe(0);
      expect(operation.changeoverEnd).toBe(now);
      expect(operation.end).toBe(local('2026-11-23T08:00'));
    }
  });

  it('has none when the machine last ran the same family', () => {
    const s = find(result, 'S');
    expect(s.changeoverMinutes).toBe(0);
    expect(s.end).toBe(local('2026-11-23T08:00'));
  });
});

describe('plan: changeovers along a queue', () => {
  it('changes from the previous operation’s family; same family (another product) needs none', () => {
    // unknown last family. F (flu, 5000 = 1 h): 06:30–07:30, no changeover.
    // A (strep, flu → strep 150 min): 07:30 → 10:00, + 0.5 h setup + 1 h → 11:30.
    // B (STREP_PLUS, same family strep): no changeover, 1 h → 12:30.
    // G (flu, strep → flu: only * → * 45 min): 12:30 → 13:15, + 1 h → 14:15.
    const result = run(local('2026-11-23T06:30'), [{ key: 'line1', group: 'pouch' }], [
      workOrder('F', 'FLU', 5000, [op(0, 'line1', 0)]),
      workOrder('A', 'STREP', 5000, [op(0, 'line1', 1)]),
      workOrder('B', 'STREP_PLUS', 5000, [op(0, 'line1', 2)]),
      workOrder('G', 'FLU', 5000, [op(0, 'line1', 3)]),
    ]);
    expect(result.operations.map((o) => [o.lot, o.changeoverMinutes, o.start, o.changeoverEnd, o.end])).toEqual([
      ['F', 0, local('2026-11-23T06:30'), local('2026-11-23T06:30'), local('2026-11-23T07:30')],
      ['A', 150, local('2026-11-23T07:30'), local('2026-11-23T10:00'), local('2026-11-23T11:30')],
      ['B', 0, local('2026-11-23T11:30'), local('2026-11-23T11:30'), local('2026-11-23T12:30')],
      ['G', 45, local('2026-11-23T12:30'), local('2026-11-23T13:15'), local('2026-11-23T14:15')],
    ]);
  });

  it('applies a group’s rules only on that group’s machines', () => {
    // kit1 last ran flu; the pouch rules (even * → *) do not apply to kitting: 10 000 / 10 000 = 1 h
    const result = run(local('2026-11-23T06:30'), [{ key: 'kit1', group: 'kit', lastFamily: 'flu' }], [workOrder('K', 'KIT_ONLY', 10000, [op(0, 'kit1', 0)])]);
    expect(find(result, 'K').changeoverMinutes).toBe(0);
    expect(find(result, 'K').end).toBe(local('2026-11-23T07:30'));
    // an every-group rule (no group) does, to the product's own key as its family
    const everyGroup = run(local('2026-11-23T06:30'), [{ key: 'kit1', group: 'kit', lastFamily: 'flu' }], [workOrder('K', 'KIT_ONLY', 10000, [op(0, 'kit1', 0)])], {
      changeovers: [{ from: 'flu', to: 'KIT_ONLY', minutes: 20 }],
    });
    expect(find(everyGroup, 'K').changeoverMinutes).toBe(20);
    expect(find(everyGroup, 'K').changeoverEnd).toBe(local('2026-11-23T06:50'));
    expect(find(everyGroup, 'K').end).toBe(local('2026-11-23T07:50'));
  });
});

describe('plan: operations that need no changeover', () => {
  it('a running operation gets none (nor setup), the one behind it changes from its family', () => {
    // R (strep) is running on a machine that last ran flu, 1000 of 5000 produced: 4000 / 5000 = 0.8 h
    // → 06:30–07:18, no changeover. F (flu) behind it: strep → flu 45 min → 08:03, + 1 h → 09:03.
    const result = run(local('2026-11-23T06:30'), [{ key: 'line1', group: 'pouch', lastFamily: 'flu' }], [
      workOrder('R', 'STREP', 5000, [op(0, 'line1', 0, { state: 'running', produced: 1000 })]),
      workOrder('F', 'FLU', 5000, [op(0, 'line1', 1)]),
    ]);
    const r = find(result, 'R');
    expect(r.changeoverMinutes).toBe(0);
    expect(r.changeoverEnd).toBe(local('2026-11-23T06:30'));
    expect(r.end).toBe(local('2026-11-23T07:18'));
    const f = find(result, 'F');
    expect(f.changeoverMinutes).toBe(45);
    expect(f.start).toBe(local('2026-11-23T07:18'));
    expect(f.changeoverEnd).toBe(local('2026-11-23T08:03'));
    expect(f.end).toBe(local('2026-11-23T09:03'));
  });

  it('a running operation with nothing produced yet gets none either', () => {
    const result = run(local('2026-11-23T06:30'), [{ key: 'line1', group: 'pouch', lastFamily: 'flu' }], [
      workOrder('R', 'STREP', 5000, [op(0, 'line1', 0, { state: 'running' })]),
    ]);
    expect(find(result, 'R').changeoverMinutes).toBe(0);
    // no setup either: 1 h
    expect(find(result, 'R').end).toBe(local('2026-11-23T07:30'));
  });
});

describe('plan: a job with no work of its own', () => {
  // FLU has no setup, so a zero-quantity flu job takes no working time of its own
  it('waits for a shift when it has a changeover, and takes just the changeover', () => {
    // Sat 28th 10:00: strep → flu 45 min in working time: Mon 30th 06:30–07:15
    const result = run(local('2026-11-28T10:00'), [{ key: 'line1', group: 'pouch', lastFamily: 'strep' }], [workOrder('Z', 'FLU', 0, [op(0, 'line1', 0)])]);
    const z = find(result, 'Z');
    expect(z.changeoverMinutes).toBe(45);
    expect(z.start).toBe(local('2026-11-30T06:30'));
    expect(z.changeoverEnd).toBe(local('2026-11-30T07:15'));
    expect(z.end).toBe(local('2026-11-30T07:15'));
  });

  it('without a changeover it takes no time and need not wait for a shift', () => {
    const now = local('2026-11-28T10:00');
    const result = run(now, [{ key: 'line1', group: 'pouch', lastFamily: 'flu' }], [workOrder('Z', 'FLU', 0, [op(0, 'line1', 0)])]);
    const z = find(result, 'Z');
    expect(z.changeoverMinutes).toBe(0);
    expect([z.start, z.changeoverEnd, z.end]).toEqual([now, now, now]);
  });
});
