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
import { normalizeIntervals, overlapMs, type Interval, type OeeResult, type StopClass } from '../../core/oee/oee.js';
import { profileLabel, type OeeProfile } from '../../core/oee/profiles.js';
import type { PeriodCounts } from '../machine-data/derive.js';

export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;

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

/** Seconds → ms without binary noise, to a microsecond (the same conversion as the core). */
function secondsToMs(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e3;
}
const round = (value: number, decimals: number): number => {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
};
const ratio = (value: number | null): number | null => (value === null ? null : round(value, 4));
const seconds = (ms: number): number => round(ms / 1000, 3);
const perMinute = (value: number | null): number | null => (value === null ? null : round(value, 2));
const percent = (value: number): string => `${round(value * 100, 1)} %`;
const minutes = (ms: number): string => `${round(ms / MS_PER_MINUTE, 1)} min`;

export interface DerivedOeeInput {
  slice: DerivedSlice;
  /** whole minutes, UTC ms */
  from: number;
  to: number;
  profile: OeeProfile;
  /** planned production time; required for the calendar basis */
  loadingIntervals?: readonly Interval[];
  rejects?: number;
}

/** The OeeResult of [from, to) for the slice's machine (see the top of this file). */
export function computeOeeFromDerived(input: DerivedOeeInput): OeeResult {
  const { slice, from, to, profile } = input;
  if (!(from < to)) throw new RangeError(`the window start (${from}) must be before its end (${to})`);
  if (profile.maxCycleSeconds < 1) throw new RangeError(`profile ${profileLabel(profile)}: maxCycleSeconds must be at least 1.0 s for results from derived data`);
  if (profile.basis === 'calendar' && !input.loadingIntervals) throw new RangeError(`profile ${profileLabel(profile)} uses the calendar basis and needs loadingIntervals`);
  const rejects = input.rejects ?? 0;
  const maxCycleMs = secondsToMs(profile.maxCycleSeconds);
  const availabilityLossThresholdMs = secondsToMs(profile.availabilityLossSeconds);
  const binsMs = profile.stopBinsSeconds.map(secondsToMs);
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

  const { cycles: cycleCount, parts: partCount, reworks: reworkCount } = counts;
  const firstPartAt = counts.firstPartAt ?? Infinity;
  const lastPartAt = counts.lastPartAt ?? -Infinity;
  const loading =
    profile.basis === 'calendar'
      ? normalizeIntervals(input.loadingIntervals ?? [], from, to)
      : partCount > 0 && lastPartAt > firstPartAt
        ? [{ start: firstPartAt, end: lastPartAt }]
        : [];
  let loadingMs = 0;
  for (const interval of loading) loadingMs += interval.end - interval.start;

  const classes: StopClass[] = profile.stopBinsSeconds.map((minSeconds, i) => ({
    minSeconds,
    maxSeconds: i + 1 < profile.stopBinsSeconds.length ? profile.stopBinsSeconds[i + 1] : null,
    count: 0,
    seconds: 0,
  }));
  const classMs = classes.map(() => 0);
  let stopCount = 0;
  let stopMs = 0;
  let lossMs = 0;
  let lossStopCount = 0;
  for (let s = 0; s < stopStarts.length; s++) {
    const overlap = overlapMs(stopStarts[s], stopEnds[s], loading);
    if (overlap <= 0) continue;
    const durationMs = stopEnds[s] - stopStarts[s];
    let classIndex = 0;
    while (classIndex + 1 < binsMs.length && durationMs >= binsMs[classIndex + 1]) classIndex++;
    stopCount++;
    stopMs += overlap;
    if (classes.length > 0) {
      classes[classIndex].count++;
      classMs[classIndex] += overlap;
    }
    if (durationMs >= availabilityLossThresholdMs) {
      lossMs += overlap;
      lossStopCount++;
    }
  }
  classes.forEach((stopClass, i) => (stopClass.seconds = seconds(classMs[i])));

  // From here on the same arithmetic, rounding and wording as computeOee.
  const netRunMs = loadingMs - lossMs;
  const warnings: string[] = [];
  const lossRule = `stops ≥ ${profile.availabilityLossSeconds} s`;

  if (cycleCount === 0) warnings.push('no cycles in the window: every figure is empty');
  if (loadingMs <= 0) {
    warnings.push(
      profile.basis === 'calendar'
        ? 'no planned production time in the window (calendar basis): availability, performance, effective rate and OEE are undefined'
        : 'loading time is 0 (fewer than two distinct part instants in the window, basis firstToLastPart): availability, performance, effective rate and OEE are undefined',
    );
  } else if (netRunMs <= 0) {
    warnings.push(`net run time is 0 (${lossRule} fill the whole loading time): performance is undefined, OEE is 0`);
  }
  if (cycleCount > 0 && partCount === 0) warnings.push('no parts in the window: quality and rework rate are undefined');
  if (profile.basis === 'calendar') {
    // the machine's data has no gap before its first cycle nor after its latest one
    const latestAt = slice.latestCycleAt ?? -Infinity;
    const blindStartMs = slice.firstCycleAt === null ? 0 : overlapMs(from, slice.firstCycleAt, loading);
    const blindEndMs = latestAt < to ? overlapMs(Math.max(latestAt, from), to, loading) : 0;
    if (blindStartMs > 0) {
      warnings.push(`the data starts ${minutes(blindStartMs)} into the planned production time: with no earlier cycle that time is counted neither as run nor as stop (add the previous day's data)`);
    }
    if (blindEndMs > 0) {
      warnings.push(`the data ends ${minutes(blindEndMs)} before the planned production time does: that time is counted neither as run nor as stop`);
    }
  }

  const availability = loadingMs > 0 ? netRunMs / loadingMs : null;
  const netRunMinutes = netRunMs / MS_PER_MINUTE;
  const performance = loadingMs > 0 && netRunMs > 0 ? partCount / netRunMinutes / profile.idealRatePerMinute : null;
  const quality = partCount > 0 ? (partCount - reworkCount - rejects) / partCount : null;
  const oee =
    availability === null ? null
    : availability === 0 || performance === 0 ? 0
    : performance !== null && quality !== null ? availability * performance * quality
    : null;

  if (availability !== null && (availability < 0 || availability > 1)) {
    warnings.push(`availability ${percent(availability)} is outside 0–100 %: the availability loss (${seconds(lossMs)} s) and loading time (${seconds(loadingMs)} s) disagree — this is a bug, please report it`);
  }
  if (performance !== null && performance > 1) {
    warnings.push(
      `performance ${percent(performance)} > 100 %: the ideal rate ${profile.idealRatePerMinute}/min is lower than the observed rate (${round(partCount / netRunMinutes, 1)} parts/min of net run time) — check the profile`,
    );
  }
  if (quality !== null && quality < 0) {
    warnings.push(`quality ${percent(quality)} < 0 %: reworks (${reworkCount}) and rejects (${rejects}) exceed the parts (${partCount}) — check the reject count`);
  }

  let mtbf: number | null = null;
  let mttr: number | null = null;
  if (lossStopCount > 0) {
    mtbf = netRunMs / lossStopCount / 1000;
    mttr = lossMs / lossStopCount / 1000;
  } else if (loadingMs > 0) {
    warnings.push(`no availability-loss stops (${lossRule}) in the loading time: MTBF and MTTR are undefined`);
  }

  const averageRate = runMs > 0 ? runningCycles / (runMs / MS_PER_MINUTE) : null;
  if (averageRate === null && cycleCount > 0) warnings.push(`no running time (no gaps ≤ ${profile.maxCycleSeconds} s in the window): the average rate is undefined`);

  return {
    machine: slice.machine,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    profile: profileLabel(profile),
    cycles: cycleCount,
    parts: partCount,
    emptyCycles: cycleCount - partCount,
    reworks: reworkCount,
    loadingSeconds: seconds(loadingMs),
    availabilityLossSeconds: seconds(lossMs),
    netRunSeconds: seconds(netRunMs),
    availability: ratio(availability),
    performance: ratio(performance),
    quality: ratio(quality),
    oee: ratio(oee),
    stops: { count: stopCount, seconds: seconds(stopMs), classes },
    mtbfSeconds: mtbf === null ? null : round(mtbf, 3),
    mttrSeconds: mttr === null ? null : round(mttr, 3),
    averageRatePerMinute: perMinute(averageRate),
    emptyRate: ratio(cycleCount > 0 ? (cycleCount - partCount) / cycleCount : null),
    reworkRate: ratio(partCount > 0 ? reworkCount / partCount : null),
    runSeconds: seconds(runMs),
    effectiveRatePerMinute: perMinute(loadingMs > 0 ? partCount / (loadingMs / MS_PER_MINUTE) : null),
    rejects,
    warnings,
  };
}
