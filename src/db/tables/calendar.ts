/** One row per week pattern: week = 'default' or an ISO week ('2026-W48') that overrides it. */
export interface CalendarWeekTable {
  week: string;
  /** JSON of a WeekPattern: {"mon": [["06:30","15:00"]], …} */
  days: string;
  version: number;
  updated_at: number;
}

export interface HolidayTable {
  date: string;
  name: string;
}
