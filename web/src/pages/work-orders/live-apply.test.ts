// The work-order panel takes production of its own lot in place; production of other lots changes
// nothing; a step that left the machine of the delta makes it fetch again.
import { describe, expect, it } from 'vitest';
import type { WorkOrder } from '../../api/orders.js';
import type { MachineDelta } from '../../api/live.js';
import { applyProductionToWorkOrder } from './work-order-panel.js';

const op = (step: number, machine: string | null, produced: number) => ({ step, machine, produced, good: produced, state: produced > 0 ? 'running' : 'queued', forecastEnd: null, late: false });
const wo = (): WorkOrder => ({ lot: '111', quantity: 1000, produced: 0, producedStep: null, operations: [op(0, 'line7', 0), op(1, null, 0)] }) as unknown as WorkOrder;
const event = (machine: string, lot: string, step: number, produced: number) => {
  const delta: MachineDelta = {
    machine,
    run: { machine, state: 'running', stateSince: 0, stopsAt: null, lastCycleAt: 1, thresholdSeconds: 60, reported: null },
    lot: null, ratePerHour: null, partsToday: produced, partsShift: null, working: true, shift: null,
    job: { lot, step, state: 'running', quantity: 1000, produced, good: produced - 1, remaining: 1000 - produced, forecastEnd: Date.UTC(2026, 11, 3, 8), late: true },
  };
  return { topic: 'production', at: 1, data: { machines: [machine], cycles: 1, deltas: [delta] } };
};

describe('work-order panel: production in place', () => {
  it('sets the step\'s counts, state, planned end and the order\'s progress', () => {
    const after = applyProductionToWorkOrder(wo(), event('line7', '111', 0, 250))!;
    expect(after.operations[0]).toMatchObject({ produced: 250, good: 249, state: 'running', late: true, forecastEnd: '2026-12-03T08:00:00.000Z' });
    expect(after.operations[1]).toEqual(wo().operations[1]);
    expect(after).toMatchObject({ produced: 249, producedStep: 0 });
  });

  it('another lot changes nothing; a step not on that machine any more, or no deltas, refetch', () => {
    const before = wo();
    expect(applyProductionToWorkOrder(before, event('line8', '222', 0, 5))).toBe(before);
    expect(applyProductionToWorkOrder(before, event('line8', '111', 0, 5))).toBeNull();
    expect(applyProductionToWorkOrder(before, { topic: 'production', at: 1, data: { machines: ['line7'], cycles: 1 } })).toBeNull();
  });
});
