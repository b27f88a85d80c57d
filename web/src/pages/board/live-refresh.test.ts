// Which schedule events refetch the board: every one, except the echo of a change this board made
// and fetched the plan for already.
import { describe, expect, it } from 'vitest';
import { ECHO_WINDOW_MS, EchoGate, applyProductionToBoard } from './live-refresh.js';
import type { Board } from '../../api/orders.js';
import type { MachineDelta } from '../../api/live.js';

describe('EchoGate', () => {
  it('refetches for events nobody here caused', () => {
    const gate = new EchoGate();
    expect(gate.shouldRefetch(1000)).toBe(true);
    expect(gate.shouldRefetch(1100)).toBe(true);
  });

  it('lets pass the echo that arrives after our change was answered, once', () => {
    const gate = new EchoGate();
    gate.ownChange(5000, 4900);
    expect(gate.shouldRefetch(5020)).toBe(false);
    // the next event is someone else's
    expect(gate.shouldRefetch(5040)).toBe(true);
  });

  it('expects no echo when one arrived after the change was sent (the server announces before it answers)', () => {
    const gate = new EchoGate();
    expect(gate.shouldRefetch(4950)).toBe(true); // the echo, its refetch replaced by ours
    gate.ownChange(5000, 4900);
    expect(gate.shouldRefetch(5030)).toBe(true);
  });

  it('counts an event before the change was sent as someone else’s', () => {
    const gate = new EchoGate();
    expect(gate.shouldRefetch(4800)).toBe(true);
    gate.ownChange(5000, 4900);
    expect(gate.shouldRefetch(5010)).toBe(false);
  });

  it('stops waiting for an echo after the window', () => {
    const gate = new EchoGate();
    gate.ownChange(5000, 4900);
    expect(gate.shouldRefetch(5000 + ECHO_WINDOW_MS + 1)).toBe(true);
  });

  it('without the send time, takes an event within the window before the answer as the echo', () => {
    const gate = new EchoGate();
    expect(gate.shouldRefetch(5000 - ECHO_WINDOW_MS / 2)).toBe(true);
    gate.ownChange(5000);
    expect(gate.shouldRefetch(5010)).toBe(true);
  });
});

describe('applyProductionToBoard', () => {
  const bar = (lot: string, step: number, produced: number, state = 'running') => ({
    lot, step, product: 'flu-ab', shortName: 'Flu', color: '#123456', quantity: 1000, produced, good: produced, state, position: 0,
    start: 1000, end: 9000, changeoverMinutes: 0, changeoverEnd: null, late: false, pinned: false, lateRisk: false, estimatedEnd: null, due: null, version: 1,
  });
  const board = (): Board => ({
    group: { key: 'g', name: 'G' }, from: 0, to: 100_000, now: 5000, parked: [], nonWorking: [],
    lanes: [
      { machine: 'line7', name: 'Line 7', enabled: true, queue: { jobs: 2, busyUntil: 9000, late: 0 }, bars: [bar('111', 0, 100), bar('222', 0, 0, 'queued')], downtime: [] },
      { machine: 'line8', name: 'Line 8', enabled: true, queue: { jobs: 0, busyUntil: null, late: 0 }, bars: [], downtime: [] },
    ],
  });
  const delta = (machine: string, job: Partial<MachineDelta['job']> | null): MachineDelta => ({
    machine,
    run: { machine, state: 'running', stateSince: 0, stopsAt: 6000, lastCycleAt: 5000, thresholdSeconds: 60, reported: null },
    lot: null,
    job: job && { lot: '111', step: 0, state: 'running', quantity: 1000, produced: 0, good: 0, remaining: 1000, forecastEnd: 9000, late: false, ...job },
    ratePerHour: null, partsToday: 0, partsShift: null, working: true, shift: null,
  });

  it('sets the produced count of the job\'s bar and leaves the rest as it was', () => {
    const before = board();
    const after = applyProductionToBoard(before, new Map([['line7', delta('line7', { produced: 450, remaining: 550 })]]));
    expect(after!.lanes[0].bars.map((b) => b.produced)).toEqual([450, 0]);
    expect(after!.lanes[1]).toBe(before.lanes[1]);
    expect(before.lanes[0].bars[0].produced).toBe(100);
  });

  it('ignores machines without a lane here and answers the same board when nothing changed', () => {
    const before = board();
    expect(applyProductionToBoard(before, new Map([['line9', delta('line9', { produced: 5 })]]))).toBe(before);
    expect(applyProductionToBoard(before, new Map([['line7', delta('line7', { produced: 100 })]]))).toBe(before);
  });

  it('asks for the board when a running job in the window has no bar (the queue changed)', () => {
    expect(applyProductionToBoard(board(), new Map([['line8', delta('line8', { lot: '333', produced: 5 })]]))).toBeNull();
    // outside the fetched window: nothing to show, nothing to fetch
    const later = { ...board(), from: 50_000, now: 5000 };
    expect(applyProductionToBoard(later, new Map([['line8', delta('line8', { lot: '333', produced: 5, forecastEnd: 9000 })]]))).toBe(later);
  });
});
