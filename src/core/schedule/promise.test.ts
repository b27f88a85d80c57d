import { describe, expect, it } from 'vitest';
import { capableToPromise } from './promise.js';
import { plan } from './scheduler.js';
import type { PlanInput, PlanWorkOrder } from './types.js';
import { calendarSource, local, op, step, workOrder } from './test-helpers.js';

const NOW = local('2026-11-23T06:30'); // Monday; two shifts 06:30–23:00

function input(workOrders: PlanWorkOrder[]): PlanInput {
  return {
    now: NOW,
    working: calendarSource(),
    machines: [
      { key: 'pouch1', group: 'pouch' },
      { key: 'pouch2', group: 'pouch' },
      { key: 'kit1', group: 'kit' },
    ],
    products: [
      { key: 'flu-a', family: 'flu', routing: [step('pouch', 5000, 15)] },
      { key: 'strep', routing: [step('pouch', 5000, 15)] },
      { key: 'kit-flu', family: 'flu', routing: [step('pouch', 5000, 15, 4), step('kit', 10000)] },
    ],
    changeovers: [{ from: '*', to: '*', minutes: 60 }],
    workOrders,
  };
}

describe('capableToPromise', () => {
  // A: 50 000 flu on pouch1 = 10 h + 15 min setup → Mon 06:30–16:45; B: 80 000 strep on pouch2 = 16.25 h → Tue 06:45
  const plant = (dueA: string, dueB: string) => [
    workOrder('A', 'flu-a', 50_000, [op(0, 'pouch1', 0)], { due: local(dueA) }),
    workOrder('B', 'strep', 80_000, [op(0, 'pouch2', 0)], { due: local(dueB) }),
  ];

  it('appends without touching the plan, and jumps a queue with slack', () => {
    const workOrders = plant('2026-11-27T23:00', '2026-11-24T08:00');
    const before = plan(input(workOrders));
    // 25 000 flu = 5 h + 15 min setup; after A on pouch1 (same family: no changeover): 16:45 → 22:00
    const answer = capableToPromise(input(workOrders), { product: 'flu-a', quantity: 25_000 });
    expect(answer.untouched.end).toBe(local('2026-11-23T22:00'));
    expect(answer.untouched.steps).toEqual([
      { step: 0, machine: 'pouch1', position: 1, start: local('2026-11-23T16:45'), end: local('2026-11-23T22:00'), changeoverMinutes: 0 },
    ]);
    expect(answer.untouched.delayedWorkOrders).toBe(0);
    // A is due on Friday: the new order can go first on pouch1 (06:30–11:45, machine's family unknown: no changeover)
    expect(answer.resequenced.end).toBe(local('2026-11-23T11:45'));
    expect(answer.resequenced.steps[0]).toMatchObject({ machine: 'pouch1', position: 0 });
    expect(answer.resequenced.delayedWorkOrders).toBe(1);
    // asking changes nothing in the caller's input
    expect(plan(input(workOrders))).toEqual(before);
  });

  it('does not jump an order it would make late', () => {
    // A due Mon 17:00 (5 h behind it would make it late); B due Tue 08:00, ends 06:45 (no room for 5.25 h either)
    const answer = capableToPromise(input(plant('2026-11-23T17:00', '2026-11-24T08:00')), { product: 'flu-a', quantity: 25_000 });
    expect(answer.resequenced.end).toBe(answer.untouched.end);
    expect(answer.resequenced.delayedWorkOrders).toBe(0);
  });

  it('chains the steps of a routing through the QC gate', () => {
    const answer = capableToPromise(input(plant('2026-11-27T23:00', '2026-11-27T23:00')), { product: 'kit-flu', quantity: 30_000 });
    const [pouching, kitting] = answer.untouched.steps;
    expect(kitting.machine).toBe('kit1');
    expect(kitting.start >= pouching.end + 4 * 3_600_000).toBe(true);
    expect(answer.untouched.end).toBe(kitting.end);
    // pouching after A: 16:45 + 6.25 h = 23:00 Mon; the gate ends Tue 03:00, kitting waits for the shift: 06:30 + 3 h
    expect(pouching).toMatchObject({ machine: 'pouch1', start: local('2026-11-23T16:45'), end: local('2026-11-23T23:00') });
    expect(kitting.start).toBe(local('2026-11-24T06:30'));
    expect(kitting.end).toBe(local('2026-11-24T09:30'));
    expect(answer.resequenced.end! <= answer.untouched.end!).toBe(true);
  });

  it('refuses an unknown product and a bad quantity', () => {
    expect(() => capableToPromise(input([]), { product: 'nope', quantity: 10 })).toThrow(/unknown product 'nope'/);
    expect(() => capableToPromise(input([]), { product: 'flu-a', quantity: 0 })).toThrow(/quantity/);
  });
});
