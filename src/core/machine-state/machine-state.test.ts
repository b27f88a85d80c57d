import { describe, expect, it } from 'vitest';
import { BUILTIN_PROFILES } from '../oee/profiles.js';
import { machineRunState } from './index.js';

const THRESHOLD = BUILTIN_PROFILES['itrak-legacy'].availabilityLossSeconds * 1000;
const last = Date.UTC(2022, 9, 11, 14, 0, 0);

describe('machine run state', () => {
  it('uses the profile threshold: stopped 60 s after the last cycle under itrak-legacy, not after 3 minutes', () => {
    expect(THRESHOLD).toBe(60_000);
    expect(machineRunState({ lastCycleAt: last, thresholdMs: THRESHOLD, now: last + 59_999, runStartAt: last - 3_600_000 })).toEqual({
      state: 'running', since: last - 3_600_000, stopsAt: last + 60_000,
    });
    expect(machineRunState({ lastCycleAt: last, thresholdMs: THRESHOLD, now: last + 60_000 })).toEqual({ state: 'stopped', since: last, stopsAt: null });
    expect(machineRunState({ lastCycleAt: last, thresholdMs: THRESHOLD, now: last + 90_000 }).state).toBe('stopped');
  });

  it('a stop reported by the machine counts at once, until a cycle comes after it', () => {
    const report = { state: 'stopped' as const, at: last + 2_000 };
    expect(machineRunState({ lastCycleAt: last, reported: report, thresholdMs: THRESHOLD, now: last + 3_000 })).toEqual({ state: 'stopped', since: last + 2_000, stopsAt: null });
    expect(machineRunState({ lastCycleAt: last + 5_000, reported: report, thresholdMs: THRESHOLD, now: last + 6_000 }).state).toBe('running');
  });

  it('a running report is a sign of life; nothing at all is no data', () => {
    expect(machineRunState({ lastCycleAt: last, reported: { state: 'running', at: last + 50_000 }, thresholdMs: THRESHOLD, now: last + 100_000 }).state).toBe('running');
    expect(machineRunState({ lastCycleAt: null, reported: { state: 'running', at: last }, thresholdMs: THRESHOLD, now: last + 1_000 })).toEqual({ state: 'running', since: last, stopsAt: last + 60_000 });
    expect(machineRunState({ lastCycleAt: null, thresholdMs: THRESHOLD, now: last })).toEqual({ state: 'no-data', since: null, stopsAt: null });
  });
});
