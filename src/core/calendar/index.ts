// Production calendar (DESIGN.md §2): the public surface other parts code against.
export { WEEKDAYS } from './types.js';
export type { Weekday, Shift, WeekPattern, CalendarSpec, Interval } from './types.js';
export { isoWeekOf, isoWeekRange, isValidIsoWeek } from './iso-week.js';
export { workingIntervals, totalMs, patternForWeek, parseHHMM, validateWeekPattern } from './working-time.js';
