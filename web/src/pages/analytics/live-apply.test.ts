// Which production events the Analytics page takes in place (a live window: parts so far, lot
// counts of the viewed machines), which it ignores (other machines) and which refetch it.
import { describe, expect, it } from 'vitest';
import type { MachineDelta } from '../../api/live.js';
import type { LotCount, MachineOee } from '../../api/analytics.js';
import { applyProductionToDashboard, type LiveDashboardData } from './live-apply.js';

const lot = (machine: string, name: string, parts: number, lastAt: number): LotCount => ({ machine, lot: name, item: '1169100', cycles: parts, parts, reworks: 0, produced: parts, good: parts, firstAt: 0, lastAt });
const data = (): LiveDashboardData => ({
  oee: [{ machine: 'line7', totals: { parts: 100, oee: 0.5 } } as unknown as MachineOee, { machine: 'line8', totals: { parts: 7 } } as unknown as MachineOee],
  lots: [lot('line7', '111', 100, 5000)],
});
const delta = (machine: string, partsToday: number, partsShift: number | null, shiftFrom: number | null, latest: LotCount | null): MachineDelta => ({
  machine,
  run: { machine, state: 'running', stateSince: 0, stopsAt: null, lastCycleAt: 9000, thresholdSeconds: 60, reported: null },
  lot: latest, job: null, ratePerHour: 100, partsToday, partsShift, working: true, shift: shiftFrom === null ? null : { from: shiftFrom, to: 9000 },
});
const event = (...deltas: MachineDelta[]) => ({ topic: 'production', at: 9000, data: { machines: deltas.map((d) => d.machine), cycles: 1, deltas } });
const today = { machines: ['line7', 'line8'], preset: 'today' as const, window: { from: 1000, to: 9000 } };

describe('Analytics: production in place', () => {
  it('a live window takes the parts so far and the latest lot of a viewed machine, keeping every other figure', () => {
    const before = data();
    const after = applyProductionToDashboard(before, event(delta('line7', 130, 40, 2000, lot('line7', '111', 130, 9000))), today)!;
    expect(after.oee[0].totals).toEqual({ parts: 130, oee: 0.5 });
    expect(after.oee[1]).toBe(before.oee[1]);
    expect(after.lots).toEqual([lot('line7', '111', 130, 9000)]);
    // a new lot is added; on "This shift" the shift's count is taken when it is the shift shown
    const shift = { ...today, preset: 'shift' as const, window: { from: 2000, to: 9000 } };
    const next = applyProductionToDashboard(before, event(delta('line8', 50, 12, 2000, lot('line8', '222', 12, 9000))), shift)!;
    expect(next.oee[1].totals.parts).toBe(12);
    expect(next.lots.map((l) => l.lot)).toEqual(['111', '222']);
  });

  it('production elsewhere changes nothing; a past window, another shift or no deltas refetch', () => {
    const before = data();
    expect(applyProductionToDashboard(before, event(delta('line9', 1, 1, 2000, null)), today)).toBe(before);
    expect(applyProductionToDashboard(before, event(delta('line7', 1, 1, 2000, null)), { ...today, preset: 'yesterday' })).toBeNull();
    expect(applyProductionToDashboard(before, event(delta('line7', 1, 1, 3000, null)), { ...today, preset: 'shift', window: { from: 2000, to: 9000 } })).toBeNull();
    expect(applyProductionToDashboard(before, { topic: 'production', at: 1, data: { profile: 'x' } }, today)).toBeNull();
  });
});
