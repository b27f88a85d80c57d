// Working time as a sorted list of intervals fetched once per planning run, so that placing an
// operation is a binary search plus a short walk instead of a calendar computation per operation.
import type { Interval, WorkingTimeSource } from './types.js';
import { MS_PER_DAY } from '../time.js';

/** first window fetched from the calendar; later windows double, so a year costs ~5 calls */
const INITIAL_WINDOW_MS = 28 * MS_PER_DAY;
/** used by the standalone addWorkingTime when no horizon is given */
const DEFAULT_LOOKAHEAD_MS = 3 * 366 * MS_PER_DAY;

export class WorkingTimeline {
  /** ascending, non-overlapping, non-adjacent (touching shifts are merged), all inside [origin, fetchedUntil) */
  private readonly intervals: Interval[] = [];
  private fetchedUntil: number;
  private nextWindowMs = INITIAL_WINDOW_MS;

  constructor(
    private readonly source: WorkingTimeSource,
    /** nothing before this instant is ever asked for (the plan's "now") */
    readonly origin: number,
    /** working time at or after this instant does not exist for the plan */
    readonly horizonEnd: number,
  ) {
    this.fetchedUntil = origin;
  }

  /** The earliest working instant at or after `instant`, or null when there is none before the horizon. */
  firstWorkingInstant(instant: number): number | null {
    const index = this.indexOfFirstEndingAfter(instant);
    if (index < 0) return null;
    return Math.max(instant, this.intervals[index].start);
  }

  /**
   * The instant at which `durationMs` of working time, counted from `start`, has elapsed; null when
   * that is not reached before the horizon. A zero duration ends where it starts.
   */
  addWorkingTime(start: number, durationMs: number): number | null {
    if (!(durationMs >= 0)) throw new RangeError(`working duration must be >= 0, got ${durationMs}`);
    if (durationMs === 0) return start;
    let index = this.indexOfFirstEndingAfter(start);
    if (index < 0) return null;
    let cursor = Math.max(start, this.intervals[index].start);
    let remaining = durationMs;
    for (;;) {
      const interval = this.intervals[index];
      cursor = Math.max(cursor, interval.start);
      const available = interval.end - cursor;
      if (remaining <= available) return cursor + remaining;
      remaining -= available;
      cursor = interval.end;
      if (index + 1 < this.intervals.length) {
        index += 1;
      } else if (!this.fetchNextWindow()) {
        return null;
      }
      // After a fetch, look at the same interval again: a shift cut by the window edge has just been
      // extended by its continuation (the cursor is at its old end, so nothing is counted twice).
    }
  }

  /** Index of the first interval whose end lies after `instant`, fetching more calendar as needed; -1 if none. */
  private indexOfFirstEndingAfter(instant: number): number {
    let searchFrom = 0;
    for (;;) {
      const index = this.binarySearchFirstEndingAfter(instant, searchFrom);
      if (index < this.intervals.length) return index;
      // The last interval may be extended by the next window (a shift cut at the edge): search it again.
      searchFrom = Math.max(0, this.intervals.length - 1);
      if (!this.fetchNextWindow()) return -1;
    }
  }

  private binarySearchFirstEndingAfter(instant: number, low: number): number {
    let high = this.intervals.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.intervals[middle].end > instant) high = middle;
      else low = middle + 1;
    }
    return low;
  }

  private fetchNextWindow(): boolean {
    if (this.fetchedUntil >= this.horizonEnd) return false;
    const from = this.fetchedUntil;
    const to = Math.min(this.horizonEnd, from + this.nextWindowMs);
    this.nextWindowMs *= 2;
    // Clip to the window: a calendar may return a shift that began before `from` (it crosses midnight
    // or the previous window's edge); what lies before `from` is already stored.
    const fetched = this.source(from, to)
      .map((interval) => ({ start: Math.max(interval.start, from), end: Math.min(interval.end, to) }))
      .filter((interval) => interval.end > interval.start)
      .sort((a, b) => a.start - b.start);
    for (const interval of fetched) {
      const last = this.intervals[this.intervals.length - 1];
      if (last !== undefined && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
      else this.intervals.push({ start: interval.start, end: interval.end });
    }
    this.fetchedUntil = to;
    return true;
  }
}

/**
 * End of `durationMs` of working time starting at `start`, or null when it does not fit before the
 * horizon (the timeline's own, or start + 3 years for a bare calendar function).
 */
export function addWorkingTime(
  working: WorkingTimeline | WorkingTimeSource,
  start: number,
  durationMs: number,
): number | null {
  const timeline =
    working instanceof WorkingTimeline ? working : new WorkingTimeline(working, start, start + DEFAULT_LOOKAHEAD_MS);
  return timeline.addWorkingTime(start, durationMs);
}
