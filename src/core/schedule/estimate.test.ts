import { describe, expect, it } from 'vitest';
import { estimateCompletion, type EstimateOperation } from './estimate.js';
import { workOrderProgress } from './progress.js';
import { planningHorizonEnd } from './scheduler.js';
import { WorkingTimeline } from './working-time.js';
import { calendarSource, local, step } from './test-helpers.js';

// pouching 5000/h + 30 min setup, then a 24 h QC release; kitting 4000/h + 20 min setup
const ROUTING = [step('pouching', 5000, 30, 24), step('kitting', 4000, 20, 0)];
const HOUR = 3_600_000;

function estimate(now: number, due: number | null, operations: EstimateOperation[], quantity = 250_000) {
  const timeline = new WorkingTimeline(calendarSource(), now, planningHorizonEnd(now));
  return estimateCompletion({ now, timeline, workOrder: { lot: '160106', quantity, due }, routing: ROUTING, operations });
}
const planned = (s: number, start: number, end: number): EstimateOperation => ({ step: s, state: 'queued', produced: 0, forecastStart: start, forecastEnd: end });
const parked = (s: number): EstimateOperation => ({ step: s, state: 'parked', produced: 0, forecastStart: null, forecastEnd: null });

describe('estimateCompletion', () => {
  it('carries on after the last planned step: its gate, then setup + quantity / standard rate in working time (lot 160106)', () => {
    // Mon–Fri 06:30–23:00. Pouching planned to end Thu 3 Dec 20:00; due end of Sat 5 Dec.
    const now = local('2026-11-30T08:00');
    const pouchEnd = local('2026-12-03T20:00');
    const due = local('2026-12-06T00:00');
    const result = estimateCompletion({
      now,
      timeline: new WorkingTimeline(calendarSource(), now, planningHorizonEnd(now)),
      workOrder: { lot: '160106', quantity: 250_000, due },
      routing: ROUTING,
      operations: [planned(0, now, pouchEnd), parked(1)],
    });
    // QC release until Fri 4 Dec 20:00; kitting 62.5 h + 20 min from then: Fri 3 h, then Mon–Thu
    expect(result.steps[0]).toEqual({ step: 0, start: now, end: pouchEnd, estimated: false });
    expect(result.steps[1].start).toBe(local('2026-12-04T20:00'));
    // Fri 20:00–23:00 = 3 h; Mon 16.5, Tue 16.5, Wed 16.5 = 52.5 h; 10 h 20 min left on Thu → 16:50
    expect(result.steps[1].end).toBe(local('2026-12-10T16:50'));
    expect(result).toMatchObject({ finish: local('2026-12-10T16:50'), estimated: true, lateRisk: true });
  });

  it('a lot whose later steps fit before due is not at risk; a fully planned lot is not estimated', () => {
    const now = local('2026-11-30T08:00');
    const pouchEnd = local('2026-11-30T10:00');
    const small = estimate(now, local('2026-12-20T00:00'), [planned(0, now, pouchEnd), parked(1)], 10_000);
    expect(small).toMatchObject({ estimated: true, lateRisk: false });
    // 24 h gate, then 2.5 h + 20 min of kitting
    expect(small.steps[1]).toMatchObject({ start: pouchEnd + 24 * HOUR, end: pouchEnd + 24 * HOUR + 2.5 * HOUR + 20 * 60_000 });
    const full = estimate(now, local('2026-12-01T00:00'), [planned(0, now, pouchEnd), planned(1, pouchEnd + 24 * HOUR, pouchEnd + 30 * HOUR)]);
    expect(full).toMatchObject({ estimated: false, lateRisk: false, finish: pouchEnd + 30 * HOUR });
  });

  it('nothing planned: every step estimated from now, in working time (a night waits for the shift)', () => {
    const now = local('2026-11-30T23:30'); // after the last shift of Monday
    const result = estimate(now, null, [parked(0), parked(1)], 5000);
    expect(result.steps[0]).toMatchObject({ start: local('2026-12-01T06:30'), end: local('2026-12-01T08:00'), estimated: true });
    // due unknown: never at risk
    expect(result.lateRisk).toBe(false);
  });

  it('counts what a step already produced, and starts no earlier than now', () => {
    const now = local('2026-12-01T10:00');
    const result = estimate(now, null, [{ ...parked(0), produced: 240_000 }, parked(1)]);
    // 10 000 left at 5000/h, no setup (it has started): 2 h
    expect(result.steps[0]).toMatchObject({ start: now, end: now + 2 * HOUR });
  });

  it('a done step counts with its actual end', () => {
    const now = local('2026-12-01T10:00');
    const done: EstimateOperation = { step: 0, state: 'done', produced: 250_000, forecastStart: null, forecastEnd: null, actualStart: local('2026-11-30T07:00'), actualEnd: local('2026-12-01T09:00') };
    const result = estimate(now, local('2026-12-02T12:00'), [done, parked(1)]);
    expect(result.steps[0]).toMatchObject({ end: local('2026-12-01T09:00'), estimated: false });
    expect(result.steps[1].start).toBe(local('2026-12-02T09:00'));
    expect(result.lateRisk).toBe(true);
  });
});

describe('workOrderProgress', () => {
  it('is the good units of the furthest step that has produced anything', () => {
    expect(workOrderProgress([{ step: 0, produced: 0, good: 0 }, { step: 1, produced: 0, good: 0 }])).toEqual({ good: 0, step: null });
    expect(workOrderProgress([{ step: 0, produced: 64_000, good: 63_500 }, { step: 1, produced: 0, good: 0 }])).toEqual({ good: 63_500, step: 0 });
    expect(workOrderProgress([{ step: 1, produced: 10, good: 9 }, { step: 0, produced: 64_000, good: 63_500 }])).toEqual({ good: 9, step: 1 });
  });
});
