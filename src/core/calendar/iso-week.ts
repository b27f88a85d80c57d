// ISO-8601 week helpers and civil (zone-less) date arithmetic.
//
// A "day number" is the count of calendar days since 1970-01-01 on the proleptic Gregorian
// calendar. It names a plant-local date, not an instant: turning it into an instant always goes
// through Luxon with the site's zone (see working-time.ts), so no UTC offset is ever computed here.

import { DateTime } from 'luxon';
import { WEEKDAYS, type Weekday } from './types.js';
import { MS_PER_DAY } from '../time.js';

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_WEEK = /^(\d{4})-W(\d{2})$/;

export interface CivilDate {
  year: number;
  month: number; // 1..12
  day: number; // 1..31
}

/** Parses "YYYY-MM-DD" into a day number, or null if it is not a real calendar date. */
export function parseLocalDate(localDate: string): number | null {
  const match = LOCAL_DATE.exec(localDate);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1) return null;
  const dayNumber = dayNumberOf({ year, month, day });
  // Date.UTC rolls 2026-02-30 over to March; a round trip exposes dates that do not exist.
  const back = civilDateOf(dayNumber);
  if (back.year !== year || back.month !== month || back.day !== day) return null;
  return dayNumber;
}

export function dayNumberOf(date: CivilDate): number {
  // Date.UTC is used purely as a Gregorian calendar here (a day count), never as a time zone.
  // Years 0..99 would be mapped to 1900..1999 by Date.UTC, so set the full year explicitly.
  const asDate = new Date(0);
  asDate.setUTCFullYear(date.year, date.month - 1, date.day);
  return Math.round(asDate.getTime() / MS_PER_DAY);
}

export function civilDateOf(dayNumber: number): CivilDate {
  const asDate = new Date(dayNumber * MS_PER_DAY);
  return { year: asDate.getUTCFullYear(), month: asDate.getUTCMonth() + 1, day: asDate.getUTCDate() };
}

export function formatLocalDate(dayNumber: number): string {
  const { year, month, day } = civilDateOf(dayNumber);
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

/** 0 = Monday … 6 = Sunday (1970-01-01, day 0, was a Thursday). */
export function weekdayIndexOf(dayNumber: number): number {
  return (((dayNumber + 3) % 7) + 7) % 7;
}

export function weekdayOf(dayNumber: number): Weekday {
  return WEEKDAYS[weekdayIndexOf(dayNumber)];
}

/** ISO week-year and week number: the week belongs to the year that holds its Thursday. */
export function isoWeekPartsOf(dayNumber: number): { weekYear: number; weekNumber: number } {
  const thursday = dayNumber - weekdayIndexOf(dayNumber) + 3;
  const weekYear = civilDateOf(thursday).year;
  const firstOfYear = dayNumberOf({ year: weekYear, month: 1, day: 1 });
  return { weekYear, weekNumber: Math.floor((thursday - firstOfYear) / 7) + 1 };
}

export function isoWeekKey(weekYear: number, weekNumber: number): string {
  return `${String(weekYear).padStart(4, '0')}-W${pad2(weekNumber)}`;
}

export function isoWeekOfDayNumber(dayNumber: number): string {
  const { weekYear, weekNumber } = isoWeekPartsOf(dayNumber);
  return isoWeekKey(weekYear, weekNumber);
}

/** 52 or 53: 28 December always lies in the last ISO week of its year. */
export function weeksInIsoYear(weekYear: number): number {
  return isoWeekPartsOf(dayNumberOf({ year: weekYear, month: 12, day: 28 })).weekNumber;
}

/** "2026-12-31" → "2026-W53". Throws a RangeError for a string that is not a real date. */
export function isoWeekOf(localDate: string): string {
  const dayNumber = parseLocalDate(localDate);
  if (dayNumber === null) throw new RangeError(`"${localDate}" is not a date of the form YYYY-MM-DD`);
  return isoWeekOfDayNumber(dayNumber);
}

export function isValidIsoWeek(week: string): boolean {
  return mondayOfIsoWeek(week) !== null;
}

/** Day number of the Monday of an ISO week, or null when the week does not exist (e.g. 2027-W53). */
export function mondayOfIsoWeek(week: string): number | null {
  const match = ISO_WEEK.exec(week);
  if (!match) return null;
  const weekYear = Number(match[1]);
  const weekNumber = Number(match[2]);
  if (weekNumber < 1 || weekNumber > weeksInIsoYear(weekYear)) return null;
  // Week 1 is the week holding 4 January.
  const january4 = dayNumberOf({ year: weekYear, month: 1, day: 4 });
  return january4 - weekdayIndexOf(january4) + (weekNumber - 1) * 7;
}

/**
 * The real-time span of an ISO week at the site: from plant-local midnight starting its Monday to
 * plant-local midnight starting the next Monday (so a week with a DST change is 167 or 169 hours).
 */
export function isoWeekRange(week: string, zone: string): { from: number; to: number; days: string[] } {
  const monday = mondayOfIsoWeek(week);
  if (monday === null) throw new RangeError(`"${week}" is not an ISO week of the form YYYY-Www that exists`);
  const days = Array.from({ length: 7 }, (_, offset) => formatLocalDate(monday + offset));
  return { from: localMidnightUtc(monday, zone), to: localMidnightUtc(monday + 7, zone), days };
}

/**
 * The first instant of a plant-local date. Where midnight itself does not exist (a zone that springs
 * forward at 00:00) Luxon moves it forward, which is exactly the first instant of that day.
 */
export function localMidnightUtc(dayNumber: number, zone: string): number {
  const local = DateTime.fromObject(civilDateOf(dayNumber), { zone });
  if (!local.isValid) throw new RangeError(`cannot place ${formatLocalDate(dayNumber)} in zone "${zone}": ${local.invalidExplanation ?? local.invalidReason}`);
  return local.toMillis();
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}
