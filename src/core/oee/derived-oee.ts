// OEE of a window from the derived tables (minute/hour counts + gaps > 1 s) instead of raw cycles.
// Pure: the service loads a DerivedSlice, this computes. It returns exactly what computeOee
// (src/core/oee/oee.ts) returns over the raw cycles — same counts, same integer milliseconds, same
// rounding and warnings — for any window whose edges are whole minutes and any profile with
// maxCycleSeconds ≥ 1.0 s. The tests compare the two on the real sensor files.
//
// How each figure is recovered (gap = cycle instant − previous cycle instant, arrival order):
// - cycles, parts, empty, reworks, first/last part: sums and min/max of the window's minutes/hours.
// - stops: the stored gaps > 1 s; a stop is a gap > maxCycleSeconds (≥ 1 s, so all stops are stored).
// - running cycles: the window's cycles minus those ending a stop, minus the machine's very first
//   cycle (it has no gap).
// - run time: Σ positive gaps of the window's cycles, minus the gaps of stops, minus the part of the
//   running gaps that reaches back before the window start: for gaps ≤ 1 s this is the stored
//   "lead-in" of the first minute (such a cycle lies within 1 s of the start); for 1 s < gap ≤
//   maxCycleSeconds it comes from the stored gap itself.
import { assembleOeeResult, secondsToMs, type Interval, type OeeResult } from './oee.js';
import { profileLabel, type OeeProfile } from './profiles.js';
import { openDayOf, type DayParts, type ProductionDayRule } from './production-days.js';
import type { PeriodCounts } from './derive.js';
import { MS_PER_HOUR, MS_PER_MINUTE } from '../time.js';


export interface PeriodRow extends PeriodCounts {
  start: number;
}

/** Sums of the period counts over a window (plus the lead-in at its start). */
export interface WindowCounts {
  cycles: number;
  parts: number;
  emptyCycles: number;
  reworks: number;
  firstPartAt: number | null;
  lastPartAt: number | null;
  gapMs: number;
  leadInMs: number;
}

/** Gaps sorted by end instant, with the longest gap as the search bound. */
export class GapIndex {
  readonly starts: Float64Array;
  readonly ends: Float64Array;

  /** `days` = packed [start, end, …] arrays in ascending day order (each day holds the gaps ending in it). */
  constructor(
    days: readonly Float64Array[],
    readonly maxGapMs: number,
  ) {
    let total = 0;
    for (const day of days) total += day.length / 2;
    this.starts = new Float64Array(total);
    this.ends = new Float64Array(total);
    let n = 0;
    for (const day of days) {
      const dayStart = n;
      for (let i = 0; i < day.length; i += 2) {
        // insertion sort by end: arrival order is already almost sorted (the clock rarely steps back)
        const start = day[i];
        const end = day[i + 1];
        let j = n;
        while (j > dayStart && this.ends[j - 1] > end) {
          this.starts[j] = this.starts[j - 1];
          this.ends[j] = this.ends[j - 1];
          j--;
        }
        this.starts[j] = start;
        this.ends[j] = end;
        n++;
      }
    }
  }

  get length(): number {
    return this.ends.length;
  }

  /** First index whose end ≥ instant. */
  firstEndingAtOrAfter(instant: number): number {
    let low = 0;
    let high = this.ends.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.ends[mid] < instant) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

/** The whole hours of one window summed by the database (a year is then one row, not 8 760). */
export interface HourSpanTotals {
  from: number;
  to: number;
  counts: PeriodCounts;
  /** lead-in of the hour starting at `from` */
  leadInAtStart: number;
}

/** What a window's OEE is computed from: one machine's derived rows over a span. */
export interface DerivedSlice {
  machine: string;
  /** hour rows, ascending */
  hours: readonly PeriodRow[];
  /** instead of hour rows, for a single window: the sums of exactly its whole hours */
  hourSpan?: HourSpanTotals;
  /** minute rows of the hours that bucket edges cut, ascending */
  minutes: readonly PeriodRow[];
  gaps: GapIndex;
  /** instant of the machine's very first cycle (null: no data) */
  firstCycleAt: number | null;
  /** latest instant of any of the machine's cycles (null: no data) */
  latestCycleAt: number | null;
  /** first/last part of each plant-local day overlapping the slice's window (see dayPartsOf) */
  dayParts?: readonly DayParts[];
}

/**
 * First and last part of each day from the hour rows of the days, and from the minute rows of any
 * hour a day edge cuts (zones whose offset is not whole hours). Days without parts are left out.
 */
export function dayPartsOf(days: readonly Interval[], hours: readonly PeriodRow[], minutes: readonly PeriodRow[]): DayParts[] {
  const result: DayParts[] = [];
  for (const day of days) {
    let first = Infinity;
    let last = -Infinity;
    const take = (row: PeriodRow) => {
      if (row.firstPartAt !== null && row.firstPartAt < first) first = row.firstPartAt;
      if (row.lastPartAt !== null && row.lastPartAt > last) last = row.lastPartAt;
    };
    for (let i = lowerBound(hours, day.start); i < hours.length && hours[i].start + MS_PER_HOUR <= day.end; i++) take(hours[i]);
    for (let i = lowerBound(minutes, day.start); i < minutes.length && minutes[i].start < day.end; i++) {
      const hourStart = Math.floor(minutes[i].start / MS_PER_HOUR) * MS_PER_HOUR;
      // only minutes of an hour the day holds in part (whole hours came from the hour rows)
      if (hourStart < day.start || hourStart + MS_PER_HOUR > day.end) take(minutes[i]);
    }
    if (first <= last) result.push({ dayStart: day.start, dayEnd: day.end, firstPartAt: first, lastPartAt: last });
  }
  return result;
}

function lowerBound(rows: readonly PeriodRow[], start: number): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (rows[mid].start < start) low = mid + 1;
    else high = mid;
  }
  return low;
}

function addRows(into: WindowCounts, rows: readonly PeriodRow[], from: number, to: number): void {
  for (let i = lowerBound(rows, from); i < rows.length && rows[i].start < to; i++) {
    const row = rows[i];
    into.cycles += row.cycles;
    into.parts += row.parts;
    into.emptyCycles += row.empty;
    into.reworks += row.reworks;
    into.gapMs += row.gapMs;
    if (row.firstPartAt !== null && (into.firstPartAt === null || row.firstPartAt < into.firstPartAt)) into.firstPartAt = row.firstPartAt;
    if (row.lastPartAt !== null && (into.lastPartAt === null || row.lastPartAt > into.lastPartAt)) into.lastPartAt = row.lastPartAt;
  }
}

function rowAt(rows: readonly PeriodRow[], start: number): PeriodRow | null {
  const i = lowerBound(rows, start);
  return i < rows.length && rows[i].start === start ? rows[i] : null;
}

/** Whole hours of [from, to) from the hour rows, the cut hours' minutes from the minute rows. */
export function windowCounts(slice: DerivedSlice, from: number, to: number): WindowCounts {
  assertMinuteAligned(from, to);
  const counts: WindowCounts = { cycles: 0, parts: 0, emptyCycles: 0, reworks: 0, firstPartAt: null, lastPartAt: null, gapMs: 0, leadInMs: 0 };
  const firstWholeHour = Math.ceil(from / MS_PER_HOUR) * MS_PER_HOUR;
  const endWholeHours = Math.floor(to / MS_PER_HOUR) * MS_PER_HOUR;
  if (firstWholeHour >= endWholeHours) {
    addRows(counts, slice.minutes, from, to);
  } else {
    addRows(counts, slice.minutes, from, firstWholeHour);
    const span = slice.hourSpan;
    if (span && span.from === firstWholeHour && span.to === endWholeHours) addRows(counts, [{ start: span.from, ...span.counts }], firstWholeHour, endWholeHours);
    else addRows(counts, slice.hours, firstWholeHour, endWholeHours);
    addRows(counts, slice.minutes, endWholeHours, to);
  }
  if (from === firstWholeHour) {
    const span = slice.hourSpan;
    counts.leadInMs = span && span.from === from ? span.leadInAtStart : (rowAt(slice.hours, from)?.leadInMs ?? 0);
  } else {
    counts.leadInMs = rowAt(slice.minutes, from)?.leadInMs ?? 0;
  }
  return counts;
}

export function assertMinuteAligned(from: number, to: number): void {
  if (from % MS_PER_MINUTE !== 0 || to % MS_PER_MINUTE !== 0) throw new RangeError(`window [${from}, ${to}) must start and end on whole minutes`);
}


export interface DerivedOeeInput {
  slice: DerivedSlice;
  /** whole minutes, UTC ms */
  from: number;
  to: number;
  profile: OeeProfile;
  /** planned production time; required for the calendar basis */
  loadingIntervals?: readonly Interval[];
  rejects?: number;
  /** production days for the firstToLastPart basis (the slice must carry dayParts); omitted = the window is one day */
  days?: ProductionDayRule;
}

/** The OeeResult of [from, to) for the slice's machine (see the top of this file). */
export function computeOeeFromDerived(input: DerivedOeeInput): OeeResult {
  const { slice, from, to, profile } = input;
  if (!(from < to)) throw new RangeError(`the window start (${from}) must be before its end (${to})`);
  if (profile.maxCycleSeconds < 1) throw new RangeError(`profile ${profileLabel(profile)}: maxCycleSeconds must be at least 1.0 s for results from derived data`);
  if (profile.basis === 'calendar' && !input.loadingIntervals) throw new RangeError(`profile ${profileLabel(profile)} uses the calendar basis and needs loadingIntervals`);
  const rejects = input.rejects ?? 0;
  if (input.days && profile.basis === 'firstToLastPart' && !slice.dayParts) throw new RangeError('production days need a slice loaded with the plant zone (dayParts)');
  const maxCycleMs = secondsToMs(profile.maxCycleSeconds);
  const counts = windowCounts(slice, from, to);

  // Stops and the running-time corrections, from the gaps.
  const stopStarts: number[] = [];
  const stopEnds: number[] = [];
  let stopsEndingInWindow = 0;
  let runMs = counts.gapMs - counts.leadInMs;
  const { gaps } = slice;
  const searchEnd = to + gaps.maxGapMs;
  for (let i = gaps.firstEndingAtOrAfter(from); i < gaps.length && gaps.ends[i] <= searchEnd; i++) {
    const start = gaps.starts[i];
    const end = gaps.ends[i];
    const gapMs = end - start;
    const endsInWindow = end < to;
    if (gapMs > maxCycleMs) {
      if (start < to && end > from) {
        stopStarts.push(start);
        stopEnds.push(end);
      }
      if (endsInWindow) {
        stopsEndingInWindow++;
        runMs -= gapMs;
      }
    } else if (endsInWindow && start < from) {
      runMs -= from - start;
    }
  }
  const firstCycleInWindow = slice.firstCycleAt !== null && slice.firstCycleAt >= from && slice.firstCycleAt < to ? 1 : 0;
  const runningCycles = counts.cycles - stopsEndingInWindow - firstCycleInWindow;

  return assembleOeeResult({
    machine: slice.machine,
    from,
    to,
    profile,
    loadingIntervals: input.loadingIntervals,
    rejects,
    cycles: counts.cycles,
    parts: counts.parts,
    reworks: counts.reworks,
    firstPartAt: counts.firstPartAt ?? Infinity,
    lastPartAt: counts.lastPartAt ?? -Infinity,
    runningCycles,
    runMs,
    forEachStop: (visit) => {
      for (let s = 0; s < stopStarts.length; s++) visit(stopStarts[s], stopEnds[s]);
    },
    // the machine's data has no gap before its first cycle nor after its latest one
    firstAtWithoutPrevious: slice.firstCycleAt,
    latestAt: slice.latestCycleAt ?? -Infinity,
    dayParts: input.days ? slice.dayParts : undefined,
    openDay: openDayOf(input.days),
  });
}
