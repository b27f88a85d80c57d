// When the board shows a move the server answered: a newer board answer that has the lot at the
// answered version (or no longer shows it), never the answer on screen when the move was answered.
import { describe, expect, it } from 'vitest';
import type { Board, BoardBar } from '../../api/orders.js';
import { lotVersionOn, showsMove, type Moving } from './use-moves.js';

const bar = (lot: string, version: number, position: number | null = 0): BoardBar => ({
  lot, step: 0, product: 'p', shortName: 'P', color: '#2f6fde', quantity: 10, produced: 0, good: 0, state: position === null ? 'parked' : 'queued', position,
  start: position === null ? null : 1000, end: position === null ? null : 2000, late: false, lateRisk: false, estimatedEnd: null, due: null, version,
});
const board = (lane: BoardBar[], parked: BoardBar[] = []): Board => ({
  group: { key: 'g', name: 'G' }, from: 0, to: 10_000, now: 500, nonWorking: [], parked,
  lanes: [{ machine: 'line7', name: 'Line 7', enabled: true, queue: { jobs: lane.length, busyUntil: null, late: 0 }, bars: lane }],
});

describe('showsMove', () => {
  const before = board([bar('D1001', 1)], [bar('D1003', 4, null)]);
  const moving: Moving = { op: { lot: 'D1003', step: 0 }, hint: null, answered: { version: 5, shownWith: before } };

  it('finds the lot on a lane or in the parking lot', () => {
    expect(lotVersionOn(before, 'D1003')).toBe(4);
    expect(lotVersionOn(before, 'D1001')).toBe(1);
    expect(lotVersionOn(before, 'X')).toBeUndefined();
  });

  it('is false before the server answered the move', () => {
    expect(showsMove(board([bar('D1003', 5)]), { op: moving.op, hint: null })).toBe(false);
  });

  it('is false for the answer that was on screen when the move was answered', () => {
    expect(showsMove(before, moving)).toBe(false);
  });

  it('is false for a newer answer that still shows the lot as it was (a fetch begun before the move)', () => {
    expect(showsMove(board([bar('D1001', 1)], [bar('D1003', 4, null)]), moving)).toBe(false);
  });

  it('is true for an answer with the lot at the answered version or later', () => {
    expect(showsMove(board([bar('D1001', 1), bar('D1003', 5, 1)]), moving)).toBe(true);
    expect(showsMove(board([bar('D1001', 1), bar('D1003', 6, 1)]), moving)).toBe(true);
  });

  it('is true for an answer whose window no longer shows the lot', () => {
    expect(showsMove(board([bar('D1001', 1)]), moving)).toBe(true);
  });
});
