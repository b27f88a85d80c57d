// Buckets of an OEE series (pure): plant-local hours, days, ISO weeks, months, or the production
// calendar's shifts, each clipped to the window. Edges are whole minutes (Luxon does the zone).
import { DateTime } from 'luxon';
import { workingIntervals, type CalendarSpec, type Shift, type WeekPattern } from '../calendar/index.js';
import { WEEKDAYS } from '../calendar/index.js';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE } from '../time.js';

/** How an OEE series is cut: plant-local clock periods, or the production calendar's shifts. */
export const GROUP_BY = ['10min', 'hour', 'shift', 'day', 'week', 'month'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export interface Bucket {
  from: number;
  to: number;
  /** plant-local: '2026-11-25T06:00' (hour), '2026-11-25' (day), '2026-W48' (week), '2026-11' (month), '2026-11-25 06:30–14:45' (shift) */
  label: string;
}

const floorMinute = (instant: number) => Math.floor(instant / MS_PER_MINUTE) * MS_PER_MINUTE;

/** Buckets covering [from, to) (shift buckets cover only the shifts), at most `limit` (null = more). */
export function bucketsOf(groupBy: GroupBy, from: number, to: number, zone: string, calendar: CalendarSpec, limit: number): Bucket[] | null {
  return groupBy === 'shift' ? shiftBuckets(calendar, zone, from, to, limit) : clockBuckets(groupBy, from, to, zone, limit);
}

const TEN_MINUTES_MS = 10 * 60_000;

/** Ten-minute buckets on the clock's ten minutes (analysis of short leads and lags, e.g. a channel ahead of micro-stops). */
function tenMinuteBuckets(from: number, to: number, zone: string, limit: number): Bucket[] | null {
  const buckets: Bucket[] = [];
  // zones are whole quarter hours off UTC at worst, so UTC ten-minute marks are local ones but for :45 zones: align locally
  let start = DateTime.fromMillis(from, { zone }).startOf('hour');
  while (start.toMillis() + TEN_MINUTES_MS <= from) start = start.plus({ minutes: 10 });
  while (start.toMillis() < to) {
    const next = start.plus({ minutes: 10 });
    const bucketFrom = Math.max(from, floorMinute(start.toMillis()));
    const bucketTo = Math.min(to, floorMinute(next.toMillis()));
    if (bucketTo > bucketFrom) {
      if (buckets.length >= limit) return null;
      buckets.push({ from: bucketFrom, to: bucketTo, label: start.toFormat("yyyy-LL-dd'T'HH:mm") });
    }
    start = next;
  }
  return buckets;
}

function clockBuckets(groupBy: Exclude<GroupBy, 'shift'>, from: number, to: number, zone: string, limit: number): Bucket[] | null {
  if (groupBy === '10min') return tenMinuteBuckets(from, to, zone, limit);
  const unit = groupBy;
  const buckets: Bucket[] = [];
  let start = DateTime.fromMillis(from, { zone }).startOf(unit, { useLocaleWeeks: false });
  while (start.toMillis() < to) {
    const next = start.plus({ [`${unit}s`]: 1 });
    const bucketFrom = Math.max(from, floorMinute(start.toMillis()));
    const bucketTo = Math.min(to, floorMinute(next.toMillis()));
    if (bucketTo > bucketFrom) {
      if (buckets.length >= limit) return null;
      buckets.push({ from: bucketFrom, to: bucketTo, label: labelOf(unit, start) });
    }
    start = next;
  }
  return buckets;
}

function labelOf(unit: Exclude<GroupBy, 'shift' | '10min'>, start: DateTime): string {
  switch (unit) {
    case 'hour':
      return start.toFormat("yyyy-LL-dd'T'HH:mm");
    case 'day':
      return start.toFormat('yyyy-LL-dd');
    case 'week':
      return start.toFormat("kkkk-'W'WW");
    case 'month':
      return start.toFormat('yyyy-LL');
  }
}

/** The calendar with, on every day, only its k-th shift (so adjacent shifts are not merged). */
function onlyShift(calendar: CalendarSpec, k: number): CalendarSpec {
  const project = (pattern: WeekPattern): WeekPattern =>
    Object.fromEntries(WEEKDAYS.map((day) => [day, pattern[day][k] ? [pattern[day][k]] : []])) as Record<keyof WeekPattern, Shift[]>;
  return {
    default: project(calendar.default),
    weeks: Object.fromEntries(Object.entries(calendar.weeks).map(([week, pattern]) => [week, project(pattern)])),
    holidays: calendar.holidays,
  };
}

function shiftBuckets(calendar: CalendarSpec, zone: string, from: number, to: number, limit: number): Bucket[] | null {
  let shiftsPerDay = 0;
  for (const pattern of [calendar.default, ...Object.values(calendar.weeks)]) {
    for (const day of WEEKDAYS) shiftsPerDay = Math.max(shiftsPerDay, pattern[day].length);
  }
  const buckets: Bucket[] = [];
  for (let k = 0; k < shiftsPerDay; k++) {
    for (const interval of workingIntervals(onlyShift(calendar, k), zone, from, to)) {
      const bucketFrom = floorMinute(interval.start);
      const bucketTo = floorMinute(interval.end);
      if (bucketTo <= bucketFrom) continue;
      if (buckets.length >= limit) return null;
      const start = DateTime.fromMillis(bucketFrom, { zone });
      const end = DateTime.fromMillis(bucketTo, { zone });
      buckets.push({ from: bucketFrom, to: bucketTo, label: `${start.toFormat('yyyy-LL-dd HH:mm')}–${end.toFormat('HH:mm')}` });
    }
  }
  return buckets.sort((a, b) => a.from - b.from || a.to - b.to);
}


/**
 * At most how many `groupBy` buckets [from, to) has, from the parameters alone (no calendar, no
 * database): cheap enough to refuse an oversized request before any work. Null for shifts, whose
 * count depends on the production calendar.
 */
export function bucketCountBound(groupBy: GroupBy, from: number, to: number, zone: string): number | null {
  const span = to - from;
  switch (groupBy) {
    case '10min':
      return Math.ceil(span / TEN_MINUTES_MS) + 2;
    case 'hour':
      // whole hours of the span, one cut at each end; a zone's half-hour offset can add one more
      return Math.ceil(span / MS_PER_HOUR) + 2;
    case 'day':
      return Math.ceil(span / MS_PER_DAY) + 2;
    case 'week':
      return Math.ceil(span / (7 * MS_PER_DAY)) + 2;
    case 'month': {
      const start = DateTime.fromMillis(from, { zone }).startOf('month');
      return Math.ceil(DateTime.fromMillis(to, { zone }).diff(start, 'months').months) + 1;
    }
    case 'shift':
      return null;
  }
}
