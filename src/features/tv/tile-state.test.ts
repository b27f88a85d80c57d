// The TV tile's state from the run state, the calendar and the job (no database).
import { describe, expect, it } from 'vitest';
import { currentShift, tileState } from './service.js';
import { applyProductionDeltas, applyStateEvent } from '../../../web/src/pages/tv/tv-page.js';
import type { MachineDelta } from '../live/schemas.js';
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

  it('the screen applies production deltas to its tiles, and asks again when a machine\'s job is not the tile\'s', () => {
    const tile: TvTile = {
      machine: 'line7', name: 'Line 7', state: 'changeover', stateSince: 1, stopsAt: null, lastCycleAt: 1000, lot: '1', product: null, quantity: 10,
      produced: 0, done: 0, ratePerHour: null, standardRatePerHour: 5000, finish: 7000, due: null, late: false, oee: 0.5,
    };
    const data: TvResponse = { at: 0, zone: 'UTC', shift: null, groups: [{ key: 'g', name: 'G', tiles: [tile, { ...tile, machine: 'line8', lot: '2' }] }] };
    const delta = (machine: string, lot: string | null, produced: number): MachineDelta => ({
      machine,
      run: { machine, state: 'running', stateSince: 4000, stopsAt: 65_000, lastCycleAt: 5000, thresholdSeconds: 60, reported: null },
      lot: null,
      job: lot === null ? null : { lot, step: 0, state: 'running', quantity: 10, produced, good: produced, remaining: 10 - produced, forecastEnd: 8000, late: true },
      ratePerHour: 1200, partsToday: produced, partsShift: produced, working: true, shift: null,
    });
    const applied = applyProductionDeltas(data, [delta('line7', '1', 4), delta('line9', '3', 1)])!;
    expect(applied.groups[0].tiles[0]).toEqual({ ...tile, state: 'running', stateSince: 4000, stopsAt: 65_000, lastCycleAt: 5000, produced: 4, done: 0.4, ratePerHour: 1200, finish: 8000, late: true });
    expect(applied.groups[0].tiles[1]).toBe(data.groups[0].tiles[1]);
    // line 8 runs another lot than its tile shows: the tiles are fetched again
    expect(applyProductionDeltas(data, [delta('line8', '9', 1)])).toBeNull();
    expect(applyProductionDeltas(data, [delta('line8', null, 0)])).toBeNull();
  });
});
