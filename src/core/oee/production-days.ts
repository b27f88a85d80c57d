// Production days and runs for the firstToLastPart loading basis (see the header of oee.ts).
// Pure: the plant zone, "now" and the first shift start of the day holding "now" are parameters.
import { DateTime } from 'luxon';
import type { Interval } from '../calendar/types.js';

/** How a window is split into production days (without it the window itself is one day). */
export interface ProductionDayRule {
  /** IANA zone of the plant: a production day runs from one plant-local midnight to the next */
  zone: string;
  /** the present instant: the day holding it is still open and runs to now (never a clock inside core) */
  now?: number | null;
  /** start of the first shift of the day holding `now` (production calendar); null = no shift that day */
  openDayShiftStart?: number | null;
}

/** First and last part instant of one production day (the day's run when the day is closed). */
export interface DayParts {
  dayStart: number;
  dayEnd: number;
  firstPartAt: number;
  lastPartAt: number;
}

/** The day holding `now`, and where its run starts and ends. */
export interface OpenDay {
  dayStart: number;
  dayEnd: number;
  /** start of the day's first shift, or null when none is planned */
  shiftStart: number | null;
  now: number;
}

/** Finds the plant-local day of an instant, remembering the last one (cycles come in order). */
export class DayFinder {
  private start = Infinity;
  private end = -Infinity;

  constructor(private readonly zone: string) {}

  /** [start, end) of the plant-local day holding `at` (DST days are 23 or 25 h long). */
  of(at: number): { start: number; end: number } {
    if (!(at >= this.start && at < this.end)) {
      const day = DateTime.fromMillis(at, { zone: this.zone }).startOf('day');
      this.start = day.toMillis();
      this.end = day.plus({ days: 1 }).toMillis();
    }
    return { start: this.start, end: this.end };
  }
}

/** The plant-local days overlapping [from, to), in order. */
export function daysOverlapping(zone: string, from: number, to: number): Interval[] {
  const days: Interval[] = [];
  let day = DateTime.fromMillis(from, { zone }).startOf('day');
  while (day.toMillis() < to) {
    const next = day.plus({ days: 1 });
    days.push({ start: day.toMillis(), end: next.toMillis() });
    day = next;
  }
  return days;
}

/** The open day of a rule, or null when the rule knows no "now". */
export function openDayOf(rule: ProductionDayRule | undefined): OpenDay | null {
  if (!rule || rule.now === undefined || rule.now === null) return null;
  const day = new DayFinder(rule.zone).of(rule.now);
  return { dayStart: day.start, dayEnd: day.end, shiftStart: rule.openDayShiftStart ?? null, now: rule.now };
}

/**
 * The run of each day: [first part, last part] for a closed day; for the open day [first shift
 * start or first part if earlier, now or last part if later]. A day without parts has no run.
 */
export function dayRuns(days: readonly DayParts[], open: OpenDay | null): Interval[] {
  const runs: Interval[] = [];
  for (const day of days) {
    if (!(day.firstPartAt <= day.lastPartAt)) continue;
    if (open && open.dayStart === day.dayStart) {
      const start = open.shiftStart === null ? day.firstPartAt : Math.min(open.shiftStart, day.firstPartAt);
      runs.push({ start, end: Math.max(open.now, day.lastPartAt) });
    } else {
      runs.push({ start: day.firstPartAt, end: day.lastPartAt });
    }
  }
  return runs;
}
