import { describe, expect, it } from 'vitest';
import { addWorkingTime, WorkingTimeline } from './working-time.js';
import type { Interval } from './types.js';
import { calendarSource, local } from './test-helpers.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('addWorkingTime', () => {
  const working = calendarSource(); // two touching shifts Mon–Fri 06:30–23:00, America/Los_Angeles

  it('adds working time inside one day and across nights and weekends', () => {
    // Mon 2026-11-23 06:30 + 3 h = 09:30
    expect(addWorkingTime(working, local('2026-11-23T06:30'), 3 * HOUR)).toBe(local('2026-11-23T09:30'));
    // Fri 20th 22:00 + 2 h: 1 h Friday, Mon 06:30 + 1 h = 07:30
    expect(addWorkingTime(working, local('2026-11-20T22:00'), 2 * HOUR)).toBe(local('2026-11-23T07:30'));
    // starting in non-working time counts from the next shift: Sat 12:00 + 1 h → Mon 07:30
    expect(addWorkingTime(working, local('2026-11-21T12:00'), HOUR)).toBe(local('2026-11-23T07:30'));
  });

  it('ends at the end of a shift, not at the start of the next one, when the work fits exactly', () => {
    // Mon 06:30 + 16.5 h = Mon 23:00 exactly
    expect(addWorkingTime(working, local('2026-11-23T06:30'), 16.5 * HOUR)).toBe(local('2026-11-23T23:00'));
  });

  it('returns the start for a zero duration and rejects a negative one', () => {
    expect(addWorkingTime(working, local('2026-11-21T12:00'), 0)).toBe(local('2026-11-21T12:00'));
    expect(() => addWorkingTime(working, local('2026-11-21T12:00'), -1)).toThrow(RangeError);
  });

  it('walks far beyond the first fetched window', () => {
    // 1 000 h = 60 working days of 16.5 h (990 h) + 10 h. From Mon 2026-11-23 06:30, 60 working days
    // are 12 full weeks: Mon 23rd … Fri 2027-02-12; then Mon 2027-02-15 06:30 + 10 h = 16:30.
    expect(addWorkingTime(working, local('2026-11-23T06:30'), 1000 * HOUR)).toBe(local('2027-02-15T16:30'));
  });

  it('loses no time where a fetch window edge cuts a shift', () => {
    // From Mon 2026-11-23 12:00 the first 28-day window ends Mon 2026-12-21 12:00, mid-shift.
    // 1 000 h: Mon 23rd 12:00–23:00 11 h; 989 h = 59 full days (973.5 h) + 15.5 h. 59 days = Tue–Fri
    // of that week (4) + 11 weeks (55) → Fri 2027-02-12; then Mon 2027-02-15 06:30 + 15.5 h = 22:00.
    expect(addWorkingTime(working, local('2026-11-23T12:00'), 1000 * HOUR)).toBe(local('2027-02-15T22:00'));
  });

  it('gives null when the work does not fit before the horizon', () => {
    const timeline = new WorkingTimeline(working, local('2026-11-23T06:30'), local('2026-11-24T00:00'));
    expect(timeline.addWorkingTime(local('2026-11-23T06:30'), 16.5 * HOUR)).toBe(local('2026-11-23T23:00'));
    expect(timeline.addWorkingTime(local('2026-11-23T06:30'), 17 * HOUR)).toBeNull();
    expect(timeline.firstWorkingInstant(local('2026-11-23T23:00'))).toBeNull();
  });

  it('clips and merges what a source returns beyond the window it was asked for', () => {
    // A source that ignores the window: 8 h on / 2 h off blocks from t0, each block returned whole to
    // every window it touches, newest first. Windows are 28 days, then 56 (edges at 672 h and 2016 h,
    // i.e. 2 h into block 67 and 6 h into block 201), so the edges cut blocks in two.
    const t0 = Date.UTC(2026, 0, 5);
    const calls: [number, number][] = [];
    const blockStarts: number[] = [];
    for (let i = 0; i < 400; i++) blockStarts.push(t0 + i * 10 * HOUR);
    const source = (from: number, to: number): Interval[] => {
      calls.push([from, to]);
      return blockStarts
        .filter((start) => start < to && start + 8 * HOUR > from)
        .map((start) => ({ start, end: start + 8 * HOUR }))
        .reverse();
    };
    const timeline = new WorkingTimeline(source, t0, t0 + 200 * DAY);
    // 100 blocks × 8 h = 800 h end with block 99: t0 + 99 × 10 h + 8 h (crosses the cut block 67)
    expect(timeline.addWorkingTime(t0, 800 * HOUR)).toBe(t0 + 99 * 10 * HOUR + 8 * HOUR);
    // 250 blocks cross the second edge too; the time of a cut block is neither lost nor counted twice
    expect(timeline.addWorkingTime(t0, 250 * 8 * HOUR)).toBe(t0 + 249 * 10 * HOUR + 8 * HOUR);
    expect(timeline.firstWorkingInstant(t0 + 67 * 10 * HOUR + HOUR)).toBe(t0 + 67 * 10 * HOUR + HOUR);
    // growing windows: 104 days were fetched in 3 calls, not one per block or per day
    expect(calls.map(([from, to]) => (to - from) / DAY)).toEqual([28, 56, 112]);
  });
});
