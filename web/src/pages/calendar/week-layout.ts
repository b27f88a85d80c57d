// Turns a week pattern into what the week view draws: per day, the pieces of shifts that fall on
// it (a shift crossing midnight is drawn to 24:00 on its day and from 00:00 on the next), and the
// hours planned per day. Wall-clock only: the exact hours of a DST week come from the server.
import { parseHHMM, WEEKDAYS, type Shift, type Weekday, type WeekPattern } from '../../../../src/core/calendar/index.js';
import type { Holiday } from '../../../../src/features/calendar/schemas.js';

export const MINUTES_PER_DAY = 1440;

export interface ShiftPiece {
  /** weekday and index of the shift in the pattern */
  weekday: Weekday;
  shiftIndex: number;
  shift: Shift;
  /** minutes after this column's midnight */
  top: number;
  bottom: number;
  /** true for the morning part of a shift that started the day before */
  continuation: boolean;
  /** the shift runs on past midnight of the column */
  continues: boolean;
  /** the shift starts on a holiday, so it is not worked */
  cancelled: boolean;
}

export interface DayLayout {
  weekday: Weekday;
  date: string;
  holiday: Holiday | undefined;
  pieces: ShiftPiece[];
  /** wall-clock minutes of the shifts starting on this day (0 on a holiday) */
  plannedMinutes: number;
}

/** Start and end as minutes after the start day's midnight; the end is on the next day when not after the start. */
export function shiftSpan(shift: Shift): { start: number; end: number } | null {
  const start = parseHHMM(shift[0]);
  const endOfDay = parseHHMM(shift[1]);
  if (start === null || endOfDay === null || start >= MINUTES_PER_DAY) return null;
  return { start, end: endOfDay <= start ? endOfDay + MINUTES_PER_DAY : endOfDay };
}

export function layoutWeek(days: WeekPattern, dates: readonly string[], holidays: readonly Holiday[]): DayLayout[] {
  const layouts: DayLayout[] = WEEKDAYS.map((weekday, index) => ({
    weekday,
    date: dates[index],
    holiday: holidays.find((h) => h.date === dates[index]),
    pieces: [],
    plannedMinutes: 0,
  }));
  layouts.forEach((day, dayIndex) => {
    days[day.weekday].forEach((shift, shiftIndex) => {
      const span = shiftSpan(shift);
      if (!span) return;
      const cancelled = Boolean(day.holiday);
      if (!cancelled) day.plannedMinutes += span.end - span.start;
      const continues = span.end > MINUTES_PER_DAY;
      day.pieces.push({ weekday: day.weekday, shiftIndex, shift, top: span.start, bottom: Math.min(span.end, MINUTES_PER_DAY), continuation: false, continues, cancelled });
      const nextDay = layouts[dayIndex + 1];
      if (continues && nextDay) {
        nextDay.pieces.push({ weekday: day.weekday, shiftIndex, shift, top: 0, bottom: span.end - MINUTES_PER_DAY, continuation: true, continues: false, cancelled });
      }
    });
  });
  return layouts;
}

/** "8 h", "8 h 15 min", "45 min" */
export function formatMinutes(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = Math.round(minutes % 60);
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** Hours as the header shows them: "115.5 h", "16.25 h", "0 h". */
export function formatHours(hours: number): string {
  return `${Math.round(hours * 100) / 100} h`;
}

/**
 * Lenient reading of a typed time, so "6:30", "630", "6" and "06.30" all become "06:30". Anything
 * it cannot read is returned unchanged for the validation to name.
 */
export function normaliseTimeInput(text: string): string {
  const trimmed = text.trim();
  let match = /^(\d{1,2})[:.h](\d{2})$/.exec(trimmed);
  if (!match) match = /^(\d{1,2})(\d{2})$/.exec(trimmed);
  if (match) return `${match[1].padStart(2, '0')}:${match[2]}`;
  const hoursOnly = /^(\d{1,2})$/.exec(trimmed);
  if (hoursOnly) return `${hoursOnly[1].padStart(2, '0')}:00`;
  return trimmed;
}

/** A sensible next shift: from the end of the last one, 8 hours long (06:00–14:00 on an empty day). */
export function suggestNextShift(shifts: readonly Shift[]): Shift {
  const last = shifts.length ? shiftSpan(shifts[shifts.length - 1]) : null;
  const start = last ? last.end % MINUTES_PER_DAY : 6 * 60;
  const end = (start + 8 * 60) % MINUTES_PER_DAY;
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return [hhmm(start), hhmm(end)];
}
