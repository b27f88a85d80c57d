// The TV tile's state from the run state, the calendar and the job (no database).
import { describe, expect, it } from 'vitest';
import { currentShift, tileState } from './service.js';
import { applyStateEvent } from '../../../web/src/pages/tv/tv-page.js';
import type { TvResponse, TvTile } from './schemas.js';

describe('TV tile state', () => {
  it('running wins; off shift outside working time; no data; stopped before the loaded job made a part = changeover', () => {
    expect(tileState('running', false, true)).toBe('running');
    expect(tileState('stopped', false, true)).toBe('off-shift');
    expect(tileState('no-data', false, null)).toBe('off-shift');
    expect(tileState('no-data', true, null)).toBe('no-data');
    expect(tileState('stopped', true, true)).toBe('stopped');
    expect(tileState('stopped', true, null)).toBe('stopped');
    expect(tileState('stopped', true, false)).toBe('changeover');
  });

  it('the shift is the working interval holding now, else the last one before it', () => {
    const shifts = [{ start: 100, end: 200 }, { start: 200, end: 300 }, { start: 400, end: 500 }];
    expect(currentShift(shifts, 250)).toEqual({ interval: { start: 200, end: 300 }, working: true });
    expect(currentShift(shifts, 350)).toEqual({ interval: { start: 200, end: 300 }, working: false });
    expect(currentShift(shifts, 50)).toBeNull();
  });

  it('the screen applies a state message at once the way the server will answer it', () => {
    const tile: TvTile = {
      machine: 'line7', name: 'Line 7', state: 'running', stateSince: 1, stopsAt: 61_000, lastCycleAt: 1000, lot: '1', product: null, quantity: 10,
      produced: 0, done: 0, ratePerHour: null, standardRatePerHour: null, finish: null, due: null, late: false, oee: null,
    };
    const data: TvResponse = { at: 0, zone: 'UTC', shift: null, groups: [{ key: 'g', name: 'G', tiles: [tile, { ...tile, machine: 'line8', produced: 5 }] }] };
    const stopped = applyStateEvent(data, ['line7', 'line8'], 'stopped', 5000).groups[0].tiles;
    expect(stopped.map((t) => [t.state, t.stateSince])).toEqual([['changeover', 5000], ['stopped', 5000]]);
    const offShift = { ...data, groups: [{ ...data.groups[0], tiles: [{ ...tile, state: 'off-shift' as const }] }] };
    expect(applyStateEvent(offShift, ['line7'], 'stopped', 9).groups[0].tiles[0].state).toBe('off-shift');
    expect(applyStateEvent(offShift, ['line7'], 'running', 9).groups[0].tiles[0]).toMatchObject({ state: 'running', stateSince: 9 });
    expect(applyStateEvent(data, ['line9'], 'stopped', 9)).toEqual(data);
  });
});
