// Lot runs of a machine from its lot totals (pure): consecutive cycles of one lot are one run. A lot
// whose span (first → last cycle) no other lot's span touches is one run, straight from its totals;
// only where spans share a minute are the raw cycles needed — those minutes ("contested") are read
// cycle by cycle, the rest of such a lot's span is summed from the minute counts (every cycle there
// is that lot's or lot-less). So a month costs one lot-totals read, and raw cycles only at the rare
// interleaving of two lots.
import { MS_PER_MINUTE, floorTo } from '../../core/time.js';

export interface LotSpan {
  lot: string;
  item: string;
  firstAt: number;
  lastAt: number;
  cycles: number;
  parts: number;
}

export interface Run {
  lot: string;
  item: string;
  /** first and last cycle of the run */
  start: number;
  end: number;
  cycles: number;
  parts: number;
}

export interface Interval {
  start: number;
  end: number;
}

/** A lot's span as whole minutes [start, end). */
const minuteSpan = (span: LotSpan): Interval => ({ start: floorTo(span.firstAt, MS_PER_MINUTE), end: floorTo(span.lastAt, MS_PER_MINUTE) + MS_PER_MINUTE });

/** The whole minutes two or more lots' spans share, merged, ascending. */
export function contestedMinutes(spans: readonly LotSpan[]): Interval[] {
  const sorted = spans.map(minuteSpan).sort((a, b) => a.start - b.start);
  const shared: Interval[] = [];
  let reach = -Infinity;
  for (const span of sorted) {
    if (span.start < reach) shared.push({ start: span.start, end: Math.min(span.end, reach) });
    reach = Math.max(reach, span.end);
  }
  return mergeIntervals(shared);
}

export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ ...interval });
  }
  return merged;
}

/** [start, end) minus the given (merged, ascending) intervals. */
export function subtract(whole: Interval, removed: readonly Interval[]): Interval[] {
  const pieces: Interval[] = [];
  let cursor = whole.start;
  for (const cut of removed) {
    if (cut.end <= cursor || cut.start >= whole.end) continue;
    if (cut.start > cursor) pieces.push({ start: cursor, end: cut.start });
    cursor = Math.max(cursor, cut.end);
  }
  if (cursor < whole.end) pieces.push({ start: cursor, end: whole.end });
  return pieces;
}

/** Runs of consecutive cycles of one lot in raw cycles (by instant); lot-less cycles neither start nor break a run. */
export function runsOfCycles(cycles: readonly { at: number; lot: string; part: boolean }[], isNoLot: (lot: string) => boolean, itemOf: (lot: string) => string): Run[] {
  const runs: Run[] = [];
  let current: Run | null = null;
  for (const cycle of cycles) {
    if (isNoLot(cycle.lot)) continue;
    if (!current || current.lot !== cycle.lot) {
      current = { lot: cycle.lot, item: itemOf(cycle.lot), start: cycle.at, end: cycle.at, cycles: 0, parts: 0 };
      runs.push(current);
    }
    current.end = cycle.at;
    current.cycles++;
    if (cycle.part) current.parts++;
  }
  return runs;
}

/** Runs in instant order with neighbouring runs of the same lot joined (a lot's piece next to its contested part). */
export function joinRuns(runs: readonly Run[]): Run[] {
  const sorted = [...runs].sort((a, b) => a.start - b.start || a.end - b.end);
  const joined: Run[] = [];
  for (const run of sorted) {
    const last = joined[joined.length - 1];
    if (last && last.lot === run.lot) {
      last.end = Math.max(last.end, run.end);
      last.cycles += run.cycles;
      last.parts += run.parts;
    } else joined.push({ ...run });
  }
  return joined;
}

export interface StopGap {
  /** the previous cycle; the stop is (start, end] */
  start: number;
  end: number;
}

/** Index of the run holding the gap wholly, by binary search over runs in order; -1 when it falls between runs. */
export function runHolding(runs: readonly Run[], gap: StopGap): number {
  let low = 0;
  let high = runs.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    if (runs[mid].end < gap.end) low = mid + 1;
    else if (runs[mid].start > gap.start) high = mid - 1;
    else return runs[mid].start <= gap.start && gap.end <= runs[mid].end ? mid : -1;
  }
  return -1;
}
