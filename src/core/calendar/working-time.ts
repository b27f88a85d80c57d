// Working time of a production calendar: which real (UTC) instants a site's machines are planned
// to work. Pure: the caller passes the calendar, the site's zone and the window.
//
// Rules (DESIGN.md §2):
// - A shift belongs to the plant-local date on which it starts, and so to that date's ISO week.
//   A Sunday night shift that runs into Monday follows Sunday's week, even if Monday's week is
//   overridden.
// - An override for an ISO week replaces the default pattern for that whole week.
// - Holidays: no shift STARTS on a holiday. A shift that started the evening before and crosses
//   midnight into the holiday still runs to its end — the crew is already on the floor and the
//   shift was planned as one piece, so cutting it at midnight would plan a half shift nobody works.
// - Wall-clock times are turned into instants by Luxon in the site's zone. At spring-forward a start
//   or end inside the missing hour is moved forward by Luxon (22:00–06:00 over it lasts 7 h); at
//   fall-back the repeated hour is worked twice (22:00–06:00 over it lasts 9 h). A time inside the
//   repeated hour itself is ambiguous; Luxon reads it as its second (standard-time) occurrence, so
//   01:00–04:00 on that night lasts 3 h and 00:00–01:30 lasts 2.5 h.

import { DateTime, IANAZone, type Zone } from 'luxon';
import {
  civilDateOf,
  dayNumberOf,
  isoWeekOfDayNumber,
  parseLocalDate,
  weekdayIndexOf,
} from './iso-week.js';
import { WEEKDAYS, type CalendarSpec, type Interval, type Weekday, type WeekPattern } from './types.js';
import { MS_PER_DAY, MS_PER_MINUTE } from '../time.js';

const MINUTES_PER_DAY = 1440;
const HH_MM = /^(\d{2}):(\d{2})$/;

/** "06:30" → 390 minutes after midnight; "24:00" → 1440; null for anything else. */
export function parseHHMM(value: string): number | null {
  if (typeof value !== 'string') return null;
  const match = HH_MM.exec(value);
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) return null;
  return hours * 60 + minutes;
}

export function totalMs(intervals: Interval[]): number {
  let total = 0;
  for (const interval of intervals) total += interval.end - interval.start;
  return total;
}

export function patternForWeek(calendar: CalendarSpec, week: string): { pattern: WeekPattern; overridden: boolean } {
  // hasOwn, not `in`: a week key must never resolve to something inherited like "constructor".
  if (Object.hasOwn(calendar.weeks, week)) return { pattern: calendar.weeks[week], overridden: true };
  return { pattern: calendar.default, overridden: false };
}

/** A shift as minutes after the local midnight of the day it starts; end may exceed 1440 (next day). */
interface ShiftMinutes {
  startMinute: number;
  endMinute: number;
}

/**
 * Reads one shift. The end is pushed into the next day when it is not after the start, so a shift
 * lasts more than 0 and at most 24 wall-clock hours ("06:00"–"06:00" is a 24-hour shift).
 */
function shiftMinutes(shift: readonly [string, string]): { value: ShiftMinutes } | { error: { index: 0 | 1; message: string } } {
  const startMinute = parseHHMM(shift[0]);
  if (startMinute === null) return { error: { index: 0, message: badTimeMessage(shift[0]) } };
  if (startMinute === MINUTES_PER_DAY) {
    return { error: { index: 0, message: 'a shift cannot start at 24:00; start it at 00:00 on the next day' } };
  }
  const endOfDayMinute = parseHHMM(shift[1]);
  if (endOfDayMinute === null) return { error: { index: 1, message: badTimeMessage(shift[1]) } };
  const endMinute = endOfDayMinute <= startMinute ? endOfDayMinute + MINUTES_PER_DAY : endOfDayMinute;
  return { value: { startMinute, endMinute } };
}

function badTimeMessage(value: unknown): string {
  return `${JSON.stringify(value) ?? String(value)} is not a time of day; use HH:MM from 00:00 to 24:00`;
}

function formatDuration(minutes: number): string {
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** A readable shift of a pattern under validation, with its position and text for messages. */
interface ValidShift {
  index: number;
  shift: ShiftMinutes;
  text: string;
  endText: string;
}

/**
 * Checks a week pattern as an editor would submit it. Paths name the weekday, shift index and
 * (for a time) 0 = start, 1 = end: "tue[1][0]" is the start of Tuesday's second shift.
 */
export function validateWeekPattern(pattern: unknown): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (typeof pattern !== 'object' || pattern === null || Array.isArray(pattern)) {
    return [{ path: '', message: 'a week pattern must be an object with a list of shifts for each of mon..sun' }];
  }
  const record = pattern as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(WEEKDAYS as readonly string[]).includes(key)) {
      problems.push({ path: key, message: `unknown weekday "${key}"; expected one of ${WEEKDAYS.join(', ')}` });
    }
  }

  // Parsed shifts per weekday, kept with their index so overlap messages can name both shifts.
  const parsedByDay = new Map<Weekday, ValidShift[]>();
  for (const weekday of WEEKDAYS) {
    const shifts = record[weekday];
    if (!Object.hasOwn(record, weekday) || shifts === undefined) {
      problems.push({ path: weekday, message: 'missing; give an empty list for a day without shifts' });
      continue;
    }
    if (!Array.isArray(shifts)) {
      problems.push({ path: weekday, message: 'must be a list of shifts ["HH:MM", "HH:MM"]' });
      continue;
    }
    const parsed: ValidShift[] = [];
    shifts.forEach((shift: unknown, index: number) => {
      const path = `${weekday}[${index}]`;
      if (!Array.isArray(shift) || shift.length !== 2 || typeof shift[0] !== 'string' || typeof shift[1] !== 'string') {
        problems.push({ path, message: 'a shift must be a pair of times ["HH:MM", "HH:MM"]' });
        return;
      }
      const result = shiftMinutes(shift as [string, string]);
      if ('error' in result) {
        problems.push({ path: `${path}[${result.error.index}]`, message: result.error.message });
        return;
      }
      parsed.push({ index, shift: result.value, text: `${shift[0]}–${shift[1]}`, endText: shift[1] });
    });
    parsedByDay.set(weekday, parsed);
  }

  WEEKDAYS.forEach((weekday, weekdayIndex) => {
    const parsed = parsedByDay.get(weekday);
    if (!parsed) return;
    for (let later = 0; later < parsed.length; later++) {
      for (let earlier = 0; earlier < later; earlier++) {
        const a = parsed[earlier];
        const b = parsed[later];
        if (a.shift.startMinute < b.shift.endMinute && b.shift.startMinute < a.shift.endMinute) {
          problems.push({ path: `${weekday}[${b.index}]`, message: `overlaps ${weekday}[${a.index}] (${a.text})` });
        }
      }
    }
    // A shift crossing midnight must not run into the first shifts of the next day. Sunday wraps to
    // Monday because consecutive weeks on the same pattern meet there.
    const nextWeekday = WEEKDAYS[(weekdayIndex + 1) % 7];
    for (const crossing of parsed) {
      const minutesIntoNextDay = crossing.shift.endMinute - MINUTES_PER_DAY;
      if (minutesIntoNextDay <= 0) continue;
      for (const next of parsedByDay.get(nextWeekday) ?? []) {
        if (next.shift.startMinute < minutesIntoNextDay) {
          problems.push({
            path: `${weekday}[${crossing.index}]`,
            message: `runs into ${nextWeekday} until ${crossing.endText} and overlaps ${nextWeekday}[${next.index}] (${next.text})`,
          });
        }
      }
    }
    const totalMinutes = parsed.reduce((sum, entry) => sum + entry.shift.endMinute - entry.shift.startMinute, 0);
    if (totalMinutes > MINUTES_PER_DAY) {
      problems.push({
        path: weekday,
        message: `shifts starting on ${weekday} add up to ${formatDuration(totalMinutes)}; one day can hold at most 24 h`,
      });
    }
  });
  return problems;
}

/**
 * Wall clock → instant for one site, fast. Luxon is authoritative but costs ~20 µs per conversion,
 * and a year has ~1500 shift edges. Between two instants where nothing changes (no DST step), local
 * time and real time advance together, so a stretch of days is resolved with two Luxon calls at its
 * ends: if both ends are true local midnights exactly (days × 24 h) apart, every day inside is 24 h
 * long and a time within it is its midnight plus the minutes. Stretches that fail that test (they
 * hold a DST change) are resolved day by day, and a day that holds the change itself converts each
 * shift edge with Luxon. Assumption: no zone changes its offset and back again within one stretch
 * (7 days); the tz database has no such case since the 1940s.
 */
class WallClock {
  private static readonly STRETCH_DAYS = 7;
  /** day number → instant of its local midnight when the day is a plain 24 h; NaN when it holds an offset change. */
  private readonly plainDayMidnight = new Map<number, number>();
  private readonly midnights = new Map<number, { utc: number; isTrueMidnight: boolean }>();

  constructor(private readonly zone: Zone) {}

  toUtc(dayNumber: number, minuteOfDay: number): number {
    let day = dayNumber;
    let minute = minuteOfDay;
    while (minute >= MINUTES_PER_DAY) {
      day += 1;
      minute -= MINUTES_PER_DAY;
    }
    let midnight = this.plainDayMidnight.get(day);
    if (midnight === undefined) {
      this.resolveStretch(day);
      midnight = this.plainDayMidnight.get(day) as number;
    }
    if (!Number.isNaN(midnight)) return midnight + minute * MS_PER_MINUTE;
    const local = DateTime.fromObject({ ...civilDateOf(day), hour: Math.floor(minute / 60), minute: minute % 60 }, { zone: this.zone });
    return local.toMillis();
  }

  private resolveStretch(dayNumber: number): void {
    const first = dayNumber - weekdayIndexOf(dayNumber);
    const last = first + WallClock.STRETCH_DAYS;
    const start = this.midnight(first);
    const end = this.midnight(last);
    const isPlain = start.isTrueMidnight && end.isTrueMidnight && end.utc - start.utc === WallClock.STRETCH_DAYS * MS_PER_DAY;
    for (let day = first; day < last; day++) {
      if (isPlain) {
        this.plainDayMidnight.set(day, start.utc + (day - first) * MS_PER_DAY);
        continue;
      }
      const dayStart = this.midnight(day);
      const dayEnd = this.midnight(day + 1);
      const isPlainDay = dayStart.isTrueMidnight && dayEnd.isTrueMidnight && dayEnd.utc - dayStart.utc === MS_PER_DAY;
      this.plainDayMidnight.set(day, isPlainDay ? dayStart.utc : Number.NaN);
    }
  }

  /** Luxon's instant for 00:00 of a local date; where 00:00 does not exist Luxon moves it forward. */
  private midnight(dayNumber: number): { utc: number; isTrueMidnight: boolean } {
    const cached = this.midnights.get(dayNumber);
    if (cached) return cached;
    const local = DateTime.fromObject(civilDateOf(dayNumber), { zone: this.zone });
    const resolved = { utc: local.toMillis(), isTrueMidnight: local.hour === 0 && local.minute === 0 };
    this.midnights.set(dayNumber, resolved);
    return resolved;
  }
}

function localDayNumberAt(instant: number, zone: Zone): number {
  const local = DateTime.fromMillis(instant, { zone });
  return dayNumberOf({ year: local.year, month: local.month, day: local.day });
}

/** Shifts of a pattern in minutes, indexed by weekday (0 = Monday). Throws on a time that cannot be read. */
function parsePattern(pattern: WeekPattern, where: string): ShiftMinutes[][] {
  return WEEKDAYS.map((weekday) => {
    const shifts = pattern[weekday];
    if (!Array.isArray(shifts)) throw new RangeError(`calendar ${where}.${weekday}: must be a list of shifts`);
    return shifts.map((shift, index) => {
      const result = shiftMinutes(shift);
      if ('error' in result) throw new RangeError(`calendar ${where}.${weekday}[${index}][${result.error.index}]: ${result.error.message}`);
      return result.value;
    });
  });
}

/** Working intervals intersecting [from, to), clipped to it, sorted, merged when touching/overlapping. */
export function workingIntervals(calendar: CalendarSpec, zone: string, from: number, to: number): Interval[] {
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw new RangeError(`window [${from}, ${to}) must be two finite epoch milliseconds`);
  // IANAZone.create is cached per name; isValidZone would build a new Intl formatter on every call.
  const siteZone = IANAZone.create(zone);
  if (!siteZone.isValid) throw new RangeError(`"${zone}" is not an IANA time zone`);
  if (to <= from) return [];

  const holidays = new Set<number>();
  for (const holiday of calendar.holidays) {
    const dayNumber = parseLocalDate(holiday);
    if (dayNumber === null) throw new RangeError(`calendar holiday "${holiday}" is not a date of the form YYYY-MM-DD`);
    holidays.add(dayNumber);
  }

  const parsedPatterns = new Map<WeekPattern, ShiftMinutes[][]>();
  const shiftsOfWeek = (week: string): ShiftMinutes[][] => {
    const { pattern, overridden } = patternForWeek(calendar, week);
    let parsed = parsedPatterns.get(pattern);
    if (!parsed) {
      parsed = parsePattern(pattern, overridden ? `weeks["${week}"]` : 'default');
      parsedPatterns.set(pattern, parsed);
    }
    return parsed;
  };

  const clock = new WallClock(siteZone);
  // A shift lasts at most 24 wall-clock hours, so only one started the day before `from` can reach it.
  const firstDay = localDayNumberAt(from, siteZone) - 1;
  const lastDay = localDayNumberAt(to, siteZone);
  const clipped: Interval[] = [];
  let shiftsByWeekday: ShiftMinutes[][] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    const weekdayIndex = weekdayIndexOf(day);
    if (day === firstDay || weekdayIndex === 0) shiftsByWeekday = shiftsOfWeek(isoWeekOfDayNumber(day));
    if (holidays.has(day)) continue;
    for (const shift of shiftsByWeekday[weekdayIndex]) {
      // Both edges inside a spring-forward gap can come out reversed (02:30–03:00 → 03:30, 03:00): max/min drop it.
      const start = Math.max(clock.toUtc(day, shift.startMinute), from);
      const end = Math.min(clock.toUtc(day, shift.endMinute), to);
      if (end > start) clipped.push({ start, end });
    }
  }
  return mergeIntervals(clipped);
}

function mergeIntervals(intervals: Interval[]): Interval[] {
  intervals.sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Interval[] = [];
  for (const interval of intervals) {
    const last = merged[merged.length - 1];
    if (last && interval.start <= last.end) {
      if (interval.end > last.end) last.end = interval.end;
    } else {
      merged.push({ start: interval.start, end: interval.end });
    }
  }
  return merged;
}
