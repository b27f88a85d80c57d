// Shapes of the production calendar (DESIGN.md §2). Plain data so it can be stored as JSON,
// sent to the browser and validated with the same rules everywhere.

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** ISO order: Monday first, as ISO weeks are counted. */
export const WEEKDAYS: readonly Weekday[] = Object.freeze(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const);

/**
 * Plant-local wall-clock start and end, "HH:MM". An end at or before the start means the shift
 * crosses midnight into the next day; "24:00" is accepted as an end meaning midnight.
 */
export type Shift = [start: string, end: string];

export type WeekPattern = Record<Weekday, Shift[]>;

export interface CalendarSpec {
  /** Applies to every ISO week without an override ("indefinitely"). */
  default: WeekPattern;
  /** ISO week ("2026-W48") → pattern that replaces the default for that week only. */
  weeks: Record<string, WeekPattern>;
  /** Plant-local dates "YYYY-MM-DD" on which no shift starts. */
  holidays: string[];
}

/** UTC epoch milliseconds, half-open [start, end). */
export interface Interval {
  start: number;
  end: number;
}
