// The OEE engine (DESIGN §4): from a machine's cycles, a window and a profile to availability,
// performance, quality, OEE and the stop statistics behind them. Pure: no I/O, no clock.
// OeeAccumulator takes the cycles one at a time (streaming callers); computeOee takes an array.
//
// Decisions where the model leaves room (each one is pinned by a test):
// - A stop is classed by its FULL duration (the gap), but only the part of it that overlaps the
//   loading time counts as stop seconds and availability loss. A 90-minute stop that starts
//   10 minutes before the window is still a long stop; only its 80 minutes inside count as loss.
// - A stop is counted (count, classes, MTBF/MTTR) only when it overlaps the loading time by more
//   than zero; stops entirely outside it (e.g. the night before the first part) are not the
//   window's stops. The cycle that ends a stop may lie after the window.
// - Whether a stop is an availability loss also uses its full duration.
// - firstToLastPart loading is built from PRODUCTION RUNS PER PRODUCTION DAY (issue 9). A
//   production day is a plant-local calendar day, midnight to midnight (ProductionDayRule.zone; the
//   demo plant works 06:30–23:00, so no shift crosses midnight — a night shift that did would have
//   its part after midnight counted in the next day's run). The run of a closed day is
//   [first part of the day, last part of the day] (instants, not file positions: after a backward
//   clock step the last line is not always the latest instant), whether or not those parts lie in
//   the window; loading(window) = ⋃ over days (run of day ∩ window). So an hour or a shift inside a
//   day uses the DAY's run clipped to it (a stop at the hour's edge counts), and a window of several
//   days sums the days' runs (the closed nights between them are no loading).
//   Worked example, Line 8 on 11 Oct 2022: the day's run is 06:12:29–22:30:34. The hour 10:00–11:00
//   lies inside it: loading 60 min, of which 30.6 min belong to the stop 10:29:24–11:00:56, so
//   A = 0.49 (the old rule, first to last part inside the hour, ended the loading at 10:29:24 and
//   gave A 100 %). 10–13 Oct as one window: 62.1 h of loading (four day runs), A 0.77, where
//   first-to-last part of the whole window gave 88.6 h with three nights as stops and A 0.54.
// - The day holding "now" (a parameter) is still open: its run starts at the start of the day's
//   first shift (production calendar), or the first part if earlier, and ends now. A line that
//   started at 11:00 after a 06:30 shift start has 4.5 h of loss. Time before the machine's very
//   first cycle and the time since its latest cycle have no closing cycle; in the open day's run
//   they are counted as stops (the machine is not producing), classed by their length so far.
// - "Now" ends every loading, on either basis: calendar planned time of the open day after now is
//   not loading yet (a shift planned to 23:00 seen at 11:30 loads 06:30–11:30, so stop time never
//   holds the future), and the open day's unclosed stops above count on the calendar basis too.
// - A day without parts has no run. Without a ProductionDayRule the window itself is one day
//   (first to last part inside the window), for callers that know no plant zone.
// - Running time = the gaps ≤ maxCycleSeconds of the window's cycles (clipped to the window; a
//   negative gap adds a running cycle of zero duration). The first cycle of the data has no gap
//   and is neither running nor a stop.
// - A rework is a part whose (lot, serial) was seen on an earlier PART in file order; an empty
//   pocket reading a serial does not make the next part with it a rework, and an all-zero or empty
//   serial identifies nothing (the camera writes 000000 when it could not read one). Serials compare
//   as numbers (the camera zero-pads them since 13 Oct 2022), lots as strings: see rework.ts.
// - Calendar basis: planned time before the data's first cycle (when no previousAt is known) or
//   after its last cycle has no gap to measure, so it is neither run nor stop; a warning says how
//   much (add the neighbouring day's data to close it) rather than guessing.
//   In the open day that time is the machine standing still now, and counts as a stop (see above).
// - Undefined ratios are null with a warning, never NaN; OEE is still 0 when availability or
//   performance is 0 (nothing good was made in the loading time), even if P or Q is undefined.
// - A window with loading time but neither a cycle nor a stop in it measured nothing: A, P and OEE
//   are null (not "A 100 %"). An hour that a long stop fills is measured: A 0 %.

import type { Interval } from '../calendar/types.js';
import { profileLabel, type OeeProfile } from './profiles.js';
import { DayFinder, dayRuns, openDayOf, type DayParts, type OpenDay, type ProductionDayRule } from './production-days.js';
import { PartRegistry } from './rework.js';
import { unitCounts } from './units.js';
import { MS_PER_MINUTE } from '../time.js';

/** What the engine needs of a camera cycle (the sensor parser's Cycle satisfies it). */
export interface OeeCycle {
  /** UTC epoch milliseconds */
  at: number;
  lot: string;
  serial: string;
  part: boolean;
}

/** Half-open [start, end) in UTC epoch milliseconds: the calendar's working intervals plug in as they are. */
export type { Interval };

export interface OeeInput {
  machine?: string | null;
  /** in file order, NOT re-sorted: the camera clock can step back */
  cycles: ArrayLike<OeeCycle>;
  /** instant of the last cycle before cycles[0], if known (gives the first cycle its gap) */
  previousAt?: number | null;
  from: number;
  to: number;
  profile: OeeProfile;
  /** planned production time; required for the calendar basis, ignored for firstToLastPart */
  loadingIntervals?: readonly Interval[];
  /** parts rejected by inspection outside the camera (operator reports); 0 from sensors */
  rejects?: number;
  /** production days for the firstToLastPart basis (see the top of this file) */
  days?: ProductionDayRule;
}

export interface StopClass {
  minSeconds: number;
  /** null for the last, open-ended class */
  maxSeconds: number | null;
  count: number;
  seconds: number;
}

export interface OeeResult {
  machine: string | null;
  /** window start, ISO 8601 UTC */
  from: string;
  /** window end (exclusive), ISO 8601 UTC */
  to: string;
  /** "<name>@v<version>" */
  profile: string;
  cycles: number;
  parts: number;
  emptyCycles: number;
  reworks: number;
  loadingSeconds: number;
  availabilityLossSeconds: number;
  netRunSeconds: number;
  availability: number | null;
  performance: number | null;
  quality: number | null;
  oee: number | null;
  stops: { count: number; seconds: number; classes: StopClass[] };
  mtbfSeconds: number | null;
  mttrSeconds: number | null;
  averageRatePerMinute: number | null;
  emptyRate: number | null;
  reworkRate: number | null;
  runSeconds: number;
  effectiveRatePerMinute: number | null;
  rejects: number;
  warnings: string[];
}


/** Seconds → ms without binary noise (0.3 * 1000 = 300.00000000000006), to a microsecond. */
export function secondsToMs(seconds: number): number {
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

/** Sorts, clips to [from, to) and merges, so that overlapping calendar entries are not counted twice. */
export function normalizeIntervals(intervals: readonly Interval[], from: number, to: number): Interval[] {
  const clipped: Interval[] = [];
  for (const interval of intervals) {
    const start = Math.max(interval.start, from);
    const end = Math.min(interval.end, to);
    if (end > start) clipped.push({ start, end });
  }
  clipped.sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const interval of clipped) {
    const last = merged[merged.length - 1];
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ ...interval });
  }
  return merged;
}

/** ⋃intervals minus ⋃removed, both sorted and disjoint (see normalizeIntervals): what is left, sorted. */
export function subtractIntervals(intervals: readonly Interval[], removed: readonly Interval[]): Interval[] {
  const left: Interval[] = [];
  let r = 0;
  for (const interval of intervals) {
    let start = interval.start;
    while (r < removed.length && removed[r].end <= start) r++;
    let k = r;
    while (k < removed.length && removed[k].start < interval.end) {
      if (removed[k].start > start) left.push({ start, end: removed[k].start });
      start = Math.max(start, removed[k].end);
      if (removed[k].end > interval.end) break;
      k++;
    }
    if (start < interval.end) left.push({ start, end: interval.end });
  }
  return left;
}

/** Length of (start, end] ∩ ⋃intervals; intervals sorted and disjoint (see normalizeIntervals). */
export function overlapMs(start: number, end: number, intervals: readonly Interval[]): number {
  if (!(end > start)) return 0;
  // binary search for the first interval ending after start
  let low = 0;
  let high = intervals.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (intervals[mid].end <= start) low = mid + 1;
    else high = mid;
  }
  let total = 0;
  for (let i = low; i < intervals.length && intervals[i].start < end; i++) {
    total += Math.min(end, intervals[i].end) - Math.max(start, intervals[i].start);
  }
  return total;
}

interface StopCandidate {
  previousAt: number;
  at: number;
}

/** Window and parameters of an incremental OEE computation (see OeeAccumulator). */
export interface OeeAccumulatorOptions {
  profile: OeeProfile;
  /** window start; omitted = open: the window starts at the earliest cycle */
  from?: number;
  /** window end (exclusive); omitted = open: the window ends just after the latest cycle */
  to?: number;
  /** instant of the last cycle before the first one added, if known (needs an explicit `from`) */
  previousAt?: number | null;
  /** production days for the firstToLastPart basis; omitted = the window is one day */
  days?: ProductionDayRule;
}

/** What is settled only at the end: who, the planned time and the rejects reported by people. */
export interface OeeFinishOptions {
  machine?: string | null;
  /** required for the calendar basis; clipped to the window */
  loadingIntervals?: readonly Interval[];
  rejects?: number;
}

/**
 * The OEE engine, fed one cycle at a time in file order, so that a caller streaming camera files
 * never has to hold every cycle in memory (`qmfg analyze`). computeOee is this over an array.
 * An open window side is resolved at the end to the data's extent, which gives exactly the
 * figures computeOee gives for that extent as an explicit window.
 */
export class OeeAccumulator {
  private readonly profile: OeeProfile;
  private readonly from: number;
  private readonly to: number;
  private readonly maxCycleMs: number;
  private readonly partsSeen = new PartRegistry();
  private readonly stopCandidates: StopCandidate[] = [];
  private previousAt: number | null;
  private cycleCount = 0;
  private partCount = 0;
  private reworkCount = 0;
  private earliestAt = Infinity;
  private latestAt = -Infinity;
  private firstPartAt = Infinity;
  private lastPartAt = -Infinity;
  private runningCycles = 0;
  private runMs = 0;
  /** instant of the first cycle when nothing before it was known: the data's blind start */
  private firstAtWithoutPrevious: number | null = null;
  /** latest instant of any cycle, in the window or not: the data's blind end */
  private latestAnyAt = -Infinity;
  private readonly days: ProductionDayRule | undefined;
  private readonly dayFinder: DayFinder | null;
  /** first/last part per production day (any instant, in the window or not), by day start */
  private readonly dayParts = new Map<number, DayParts>();
  private currentDay: DayParts | null = null;

  constructor(options: OeeAccumulatorOptions) {
    this.profile = options.profile;
    this.from = options.from ?? -Infinity;
    this.to = options.to ?? Infinity;
    if (Number.isNaN(this.from) || Number.isNaN(this.to)) throw new RangeError('OEE window: from and to must be epoch milliseconds');
    if (!(this.from < this.to)) throw new RangeError(`OEE window: the window start (${this.from}) must be before its end (${this.to})`);
    this.previousAt = options.previousAt ?? null;
    // an open start is the first cycle's instant: a known earlier cycle would contradict it
    if (this.previousAt !== null && !Number.isFinite(this.from)) throw new RangeError('OEE window: previousAt needs an explicit window start');
    this.maxCycleMs = secondsToMs(options.profile.maxCycleSeconds);
    this.days = options.days;
    this.dayFinder = options.days ? new DayFinder(options.days.zone) : null;
  }

  private notePartOfDay(at: number): void {
    let day = this.currentDay;
    if (day === null || !(at >= day.dayStart && at < day.dayEnd)) {
      const bounds = (this.dayFinder as DayFinder).of(at);
      day = this.dayParts.get(bounds.start) ?? null;
      if (day === null) this.dayParts.set(bounds.start, (day = { dayStart: bounds.start, dayEnd: bounds.end, firstPartAt: at, lastPartAt: at }));
      this.currentDay = day;
    }
    if (at < day.firstPartAt) day.firstPartAt = at;
    if (at > day.lastPartAt) day.lastPartAt = at;
  }

  /** Cycles counted so far (inside the window). */
  get cycles(): number {
    return this.cycleCount;
  }

  /** The window: as given, open sides resolved to the data's extent; null while an open side has no data. */
  window(): { from: number; to: number } | null {
    const from = Number.isFinite(this.from) ? this.from : this.earliestAt;
    const to = Number.isFinite(this.to) ? this.to : this.latestAt + 1;
    return Number.isFinite(from) && Number.isFinite(to) && from < to ? { from, to } : null;
  }

  add(cycle: OeeCycle): void {
    const at = cycle.at;
    const inWindow = at >= this.from && at < this.to;

    if (cycle.part && this.partsSeen.isRework(cycle.lot, cycle.serial) && inWindow) this.reworkCount++;

    if (inWindow) {
      this.cycleCount++;
      if (at < this.earliestAt) this.earliestAt = at;
      if (at > this.latestAt) this.latestAt = at;
      if (cycle.part) {
        this.partCount++;
        if (at < this.firstPartAt) this.firstPartAt = at;
        if (at > this.lastPartAt) this.lastPartAt = at;
      }
    }

    if (cycle.part && this.dayFinder !== null) this.notePartOfDay(at);
    if (at > this.latestAnyAt) this.latestAnyAt = at;
    const previousAt = this.previousAt;
    if (previousAt === null) this.firstAtWithoutPrevious = at;
    else {
      const gapMs = at - previousAt;
      if (gapMs > this.maxCycleMs) {
        // (previousAt, at] touches the window: its overlap with the loading time is settled at the end
        if (previousAt < this.to && at > this.from) this.stopCandidates.push({ previousAt, at });
      } else if (inWindow) {
        this.runningCycles++;
        // a negative gap (clock stepped back) counts as 0
        if (gapMs > 0) this.runMs += at - Math.max(previousAt, this.from);
      }
    }
    this.previousAt = at;
  }

  result(options: OeeFinishOptions = {}): OeeResult {
    const profile = this.profile;
    const window = this.window();
    if (window === null) throw new RangeError('OEE window: a window side is open and no cycle fell inside it');
    const { from, to } = window;
    if (profile.basis === 'calendar' && !options.loadingIntervals) {
      throw new RangeError(`OEE: profile ${profileLabel(profile)} uses the calendar basis and needs loadingIntervals`);
    }
    return assembleOeeResult({
      machine: options.machine ?? null,
      from,
      to,
      profile,
      loadingIntervals: options.loadingIntervals,
      rejects: options.rejects ?? 0,
      cycles: this.cycleCount,
      parts: this.partCount,
      reworks: this.reworkCount,
      firstPartAt: this.firstPartAt,
      lastPartAt: this.lastPartAt,
      runningCycles: this.runningCycles,
      runMs: this.runMs,
      forEachStop: (visit) => {
        for (const stop of this.stopCandidates) visit(stop.previousAt, stop.at);
      },
      firstAtWithoutPrevious: this.firstAtWithoutPrevious,
      latestAt: this.latestAnyAt,
      dayParts: this.days ? [...this.dayParts.values()].sort((a, b) => a.dayStart - b.dayStart) : undefined,
      openDay: openDayOf(this.days),
    });
  }
}

/**
 * What a window's OEE is computed from, whatever produced it: the raw-cycle accumulator below or the
 * derived tables of stored machine data (derived-oee.ts). One assembly keeps both
 * paths to the same arithmetic, rounding and wording.
 */
export interface OeeFacts {
  machine: string | null;
  from: number;
  to: number;
  profile: OeeProfile;
  /** required for the calendar basis; clipped to the window */
  loadingIntervals?: readonly Interval[];
  rejects: number;
  cycles: number;
  parts: number;
  reworks: number;
  /** earliest / latest part instant in the window (±Infinity when none) */
  firstPartAt: number;
  lastPartAt: number;
  /** cycles ending a gap ≤ maxCycleSeconds in the window, and the time of those gaps */
  runningCycles: number;
  runMs: number;
  /** every gap > maxCycleSeconds touching the window, as (start, end] */
  forEachStop(visit: (start: number, end: number) => void): void;
  /** first cycle of the data when no earlier one is known (its blind start), else null */
  firstAtWithoutPrevious: number | null;
  /** latest cycle of the data, in the window or not (-Infinity when none) */
  latestAt: number;
  /** firstToLastPart: first/last part of each production day touching the window; omitted = the window is one day */
  dayParts?: readonly DayParts[];
  /** firstToLastPart: the day holding "now", whose run is still open */
  openDay?: OpenDay | null;
}

/** What the loading time of a window is worked out from (a part of OeeFacts). */
export type LoadingFacts = Pick<OeeFacts, 'from' | 'to' | 'profile' | 'loadingIntervals' | 'parts' | 'firstPartAt' | 'lastPartAt' | 'dayParts' | 'openDay'>;

/**
 * The loading time of a window (DESIGN §4), sorted and disjoint: the calendar's planned time, or
 * the production runs of its days (firstToLastPart), clipped to the window — and never past "now"
 * (openDay.now): planned time that has not happened yet is no loading. The one rule for every
 * figure that says "in the loading time" (stop time, availability, the stops list).
 */
export function windowLoading(facts: LoadingFacts): Interval[] {
  const { from, to, profile } = facts;
  const end = facts.openDay ? Math.min(to, facts.openDay.now) : to;
  if (profile.basis === 'calendar') return normalizeIntervals(facts.loadingIntervals ?? [], from, end);
  const days = facts.dayParts ?? (facts.parts > 0 ? [{ dayStart: from, dayEnd: to, firstPartAt: facts.firstPartAt, lastPartAt: facts.lastPartAt }] : []);
  // the open day's run already ends at now (or at a later part: a camera clock ahead of the server's)
  return normalizeIntervals(dayRuns(days, facts.openDay ?? null), from, to);
}

/**
 * Stops of the open day that no cycle closes yet: before the machine's very first cycle (from the
 * start of the day's loading), and since its latest one (longer than maxCycleSeconds) up to now.
 * On either basis: the machine is not producing. Only their overlap with the loading counts.
 */
function openDayStops(facts: OeeFacts, maxCycleMs: number): [number, number][] {
  const open = facts.openDay;
  if (!open) return [];
  let dayLoading: Interval[];
  if (facts.profile.basis === 'calendar') dayLoading = normalizeIntervals(facts.loadingIntervals ?? [], open.dayStart, open.now);
  else {
    const today = facts.dayParts?.find((day) => day.dayStart === open.dayStart);
    dayLoading = today ? dayRuns([today], open) : [];
  }
  if (dayLoading.length === 0) return [];
  const start = dayLoading[0].start;
  const end = Math.max(open.now, dayLoading[dayLoading.length - 1].end);
  const inOpenDay = (at: number) => at >= start && at <= end;
  const stops: [number, number][] = [];
  const first = facts.firstAtWithoutPrevious;
  if (first !== null && inOpenDay(first) && start < first) stops.push([start, first]);
  if (inOpenDay(facts.latestAt) && open.now - facts.latestAt > maxCycleMs) stops.push([facts.latestAt, open.now]);
  return stops;
}

/** Turns the facts of a window into the result (DESIGN §4); key order is the JSON contract of `qmfg analyze --json`. */
export function assembleOeeResult(facts: OeeFacts): OeeResult {
  const { machine, from, to, profile, rejects, runningCycles, runMs } = facts;
  const { cycles: cycleCount, parts: partCount, reworks: reworkCount } = facts;
  const availabilityLossThresholdMs = secondsToMs(profile.availabilityLossSeconds);
  const binsMs = profile.stopBinsSeconds.map(secondsToMs);

  const loading = windowLoading(facts);
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
  const countStop = (start: number, end: number) => {
    const overlap = overlapMs(start, end, loading);
    if (overlap <= 0) return;
    const durationMs = end - start;
    // last bin whose lower bound the full duration reaches; a profile whose first bin exceeds
    // maxCycleSeconds is refused by the schema, class 0 keeps the sums whole if one slips through
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
  };
  facts.forEachStop(countStop);
  const openStops = openDayStops(facts, secondsToMs(profile.maxCycleSeconds));
  for (const [start, end] of openStops) countStop(start, end);
  classes.forEach((stopClass, i) => (stopClass.seconds = seconds(classMs[i])));

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
    // Planned time before the first cycle or after the last one is neither run nor stop: a gap
    // needs a cycle at both ends. Say so rather than guess (the model only knows gaps).
    // (in the open day that time is counted as a stop, see openDayStops: nothing is blind there)
    const first = facts.firstAtWithoutPrevious;
    const blindStartMs = first === null ? 0 : overlapMs(from, Math.min(first, ...openStops.filter(([, end]) => end === first).map(([start]) => start)), loading);
    const latestInOpenDay = facts.openDay !== null && facts.openDay !== undefined && facts.latestAt >= facts.openDay.dayStart && facts.latestAt <= facts.openDay.now;
    const blindEndMs = facts.latestAt < to && !latestInOpenDay ? overlapMs(Math.max(facts.latestAt, from), to, loading) : 0;
    if (blindStartMs > 0) {
      warnings.push(`the data starts ${minutes(blindStartMs)} into the planned production time: with no earlier cycle that time is counted neither as run nor as stop (add the previous day's data)`);
    }
    if (blindEndMs > 0) {
      warnings.push(`the data ends ${minutes(blindEndMs)} before the planned production time does: that time is counted neither as run nor as stop`);
    }
  }

  // No cycle and no stop in the loading time: nothing was measured (on the calendar basis the planned
  // time of a machine without data would otherwise read "A 100 %, P 0 %").
  const measured = loadingMs > 0 && (cycleCount > 0 || stopCount > 0);
  const availability = measured ? netRunMs / loadingMs : null;
  const netRunMinutes = netRunMs / MS_PER_MINUTE;
  const performance = measured && netRunMs > 0 ? partCount / netRunMinutes / profile.idealRatePerMinute : null;
  const quality = partCount > 0 ? unitCounts({ parts: partCount, reworks: reworkCount, rejects }).good / partCount : null;
  // With no run time or no parts nothing good was made: OEE is 0 even though P or Q is undefined.
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

  // Key order is the JSON contract of `qmfg analyze --json`: keep it.
  return {
    machine,
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
    effectiveRatePerMinute: perMinute(measured ? partCount / (loadingMs / MS_PER_MINUTE) : null),
    rejects,
    warnings,
  };
}

/** OEE of a machine's cycles (in file order) over the window [from, to): DESIGN §4. */
export function computeOee(input: OeeInput): OeeResult {
  const { cycles, from, to, profile } = input;
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw new RangeError('computeOee: from and to must be finite epoch milliseconds');
  if (!(from < to)) throw new RangeError(`computeOee: the window start (${from}) must be before its end (${to})`);
  if (profile.basis === 'calendar' && !input.loadingIntervals) {
    throw new RangeError(`computeOee: profile ${profileLabel(profile)} uses the calendar basis and needs loadingIntervals`);
  }
  const accumulator = new OeeAccumulator({ profile, from, to, previousAt: input.previousAt, days: input.days });
  for (let i = 0; i < cycles.length; i++) accumulator.add(cycles[i]);
  return accumulator.result({ machine: input.machine, loadingIntervals: input.loadingIntervals, rejects: input.rejects });
}
