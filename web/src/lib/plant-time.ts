// Plant-local time for display. The browser may sit in another zone than the plant (a planner
// working from home, a TV whose clock is set to UTC), so everything shown is in the site's zone.
import { DateTime } from 'luxon';
import { isoWeekOf } from '../../../src/core/calendar/index.js';
import { formatLocalDate, isoWeekOfDayNumber, mondayOfIsoWeek } from '../../../src/core/calendar/iso-week.js';

export function plantNow(zone: string, nowMs: number): DateTime {
  return DateTime.fromMillis(nowMs, { zone });
}

/** Today's plant-local date "YYYY-MM-DD". */
export function plantToday(zone: string, nowMs: number): string {
  return plantNow(zone, nowMs).toISODate() ?? '';
}

/** The ISO week the plant is in right now. */
export function currentPlantWeek(zone: string, nowMs: number): string {
  return isoWeekOf(plantToday(zone, nowMs));
}

/** The ISO week `offset` weeks after `week` ("2026-W52" + 1 → "2026-W53", then "2027-W01"). */
export function shiftWeek(week: string, offset: number): string {
  const monday = mondayOfIsoWeek(week);
  if (monday === null) throw new RangeError(`"${week}" is not an ISO week`);
  return isoWeekOfDayNumber(monday + offset * 7);
}

/** The Monday of a week as "YYYY-MM-DD" (for date pickers). */
export function mondayOf(week: string): string {
  const monday = mondayOfIsoWeek(week);
  if (monday === null) throw new RangeError(`"${week}" is not an ISO week`);
  return formatLocalDate(monday);
}

/** "23–29 Nov", "30 Nov – 6 Dec", "28 Dec 2026 – 3 Jan 2027" for the dates of a week. */
export function weekSpanLabel(dates: readonly string[]): string {
  const first = DateTime.fromISO(dates[0]);
  const last = DateTime.fromISO(dates[dates.length - 1]);
  if (first.year !== last.year) return `${first.toFormat('d LLL yyyy')} – ${last.toFormat('d LLL yyyy')}`;
  if (first.month !== last.month) return `${first.toFormat('d LLL')} – ${last.toFormat('d LLL')}`;
  return `${first.toFormat('d')}–${last.toFormat('d LLL')}`;
}

/** "Tue 24 Nov" */
export function dayLabel(date: string): { weekday: string; date: string; long: string } {
  const day = DateTime.fromISO(date);
  return { weekday: day.toFormat('ccc'), date: day.toFormat('d LLL'), long: day.toFormat('cccc d LLLL yyyy') };
}
