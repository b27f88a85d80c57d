import { describe, expect, it } from 'vitest';
import { plan, subtractIntervals } from './scheduler.js';
import { calendarSource, local, op, step, workOrder } from './test-helpers.js';

describe('subtractIntervals', () => {
  it('cuts the covered parts out, keeping what is around them', () => {
    const shifts = [
      { start: 0, end: 10 },
      { start: 20, end: 30 },
    ];
    expect(subtractIntervals(shifts, [])).toEqual(shifts);
    expect(subtractIntervals(shifts, [{ start: 5, end: 25 }])).toEqual([
      { start: 0, end: 5 },
      { start: 25, end: 30 },
    ]);
    expect(subtractIntervals(shifts, [{ start: 2, end: 3 }, { start: 0, end: 1 }, { start: 28, end: 40 }])).toEqual([
      { start: 1, end: 2 },
      { start: 3, end: 10 },
      { start: 20, end: 28 },
    ]);
    expect(subtractIntervals(shifts, [{ start: -5, end: 50 }])).toEqual([]);
  });
});

describe('plan: a machine down while the site works', () => {
  const product = { key: 'P', routing: [step('pouch', 5000)] };
  const run = (unavailable: { start: number; end: number }[]) =>
    plan({
      now: local('2026-11-23T06:30'),
      working: calendarSource(),
      machines: [
        { key: 'pouch1', group: 'pouch', unavailable },
        { key: 'pouch2', group: 'pouch' },
      ],
      products: [product],
      // 30 000 units at 5000/h: 6 working hours each
      workOrders: [workOrder('A', 'P', 30_000, [op(0, 'pouch1', 0)]), workOrder('B', 'P', 30_000, [op(0, 'pouch2', 0)])],
    });

  it('pauses the job over the downtime, and leaves the other machines alone', () => {
    // down Mon 10:00–14:00: 06:30–10:00 is 3.5 h, the other 2.5 h from 14:00 → 16:30
    const result = run([{ start: local('2026-11-23T10:00'), end: local('2026-11-23T14:00') }]);
    const [a, b] = result.operations;
    expect(a).toMatchObject({ lot: 'A', start: local('2026-11-23T06:30'), end: local('2026-11-23T16:30') });
    expect(b).toMatchObject({ lot: 'B', start: local('2026-11-23T06:30'), end: local('2026-11-23T12:30') });
  });

  it('starts after a day-long downtime in the next working time', () => {
    // down all Monday (site works 06:30–23:00): starts Tuesday 06:30, ends 12:30
    const result = run([{ start: local('2026-11-23T00:00'), end: local('2026-11-24T00:00') }]);
    expect(result.operations[0]).toMatchObject({ start: local('2026-11-24T06:30'), end: local('2026-11-24T12:30') });
  });
});
