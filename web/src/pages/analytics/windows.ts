// The analytics view's state as it lives in the URL (so a view can be bookmarked, shared and shown
// on a TV), and the time windows the presets stand for. Windows are plant-local: "today" is the
// plant's day, whatever zone the viewer's browser is in. Luxon does the zone arithmetic.
import { DateTime } from 'luxon';
import { WEEKDAYS, isoWeekOf, patternForWeek, parseHHMM, workingIntervals, type CalendarSpec } from '../../../../src/core/calendar/index.js';
import type { CalendarView } from '../../../../src/features/calendar/schemas.js';
import { GROUP_BY, type GroupBy } from '../../../../src/core/oee/buckets.js';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE } from '../../../../src/core/time.js';

export const WINDOW_PRESETS = ['shift', 'today', 'yesterday', 'week', 'last7', 'month', 'custom'] as const;
export type WindowPreset = (typeof WINDOW_PRESETS)[number];

export const PRESET_LABELS: Record<WindowPreset, string> = {
  shift: 'This shift',
  today: 'Today',
  yesterday: 'Yesterday',
  week: 'This week',
  last7: 'Last 7 days',
  month: 'This month',
  custom: 'Custom',
};

/** The bucket sizes the OEE API offers (its own list: the server validates groupBy with it). */
export const GROUP_BYS = GROUP_BY;
export type { GroupBy };

/** The custom window's limits (the brief: 1 hour … 1 year). A leap year's 366 days still count as one year. */
export const MIN_WINDOW_MS = MS_PER_HOUR;
export const MAX_WINDOW_MS = 366 * MS_PER_DAY;

export interface AnalyticsQuery {
  machines: string[];
  /** false when the URL names no machines at all (a first visit): the page picks a default */
  machinesChosen: boolean;
  preset: WindowPreset;
  /** custom window, plant-local "YYYY-MM-DDTHH:mm" (what <input type="datetime-local"> holds) */
  from: string;
  to: string;
  /** '' = each machine's own profile */
  profile: string;
  /** 'auto' = chosen from the window's length */
  groupBy: GroupBy | 'auto';
  /** the machine the detail charts show when several are selected */
  focus: string;
}

export function parseQuery(params: URLSearchParams): AnalyticsQuery {
  const preset = params.get('window');
  const groupBy = params.get('by');
  return {
    machines: (params.get('machines') ?? '').split(',').map((key) => key.trim()).filter(Boolean),
    machinesChosen: params.has('machines'),
    preset: (WINDOW_PRESETS as readonly string[]).includes(preset ?? '') ? (preset as WindowPreset) : 'today',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    profile: params.get('profile') ?? '',
    groupBy: (GROUP_BYS as readonly string[]).includes(groupBy ?? '') ? (groupBy as GroupBy) : 'auto',
    focus: params.get('focus') ?? '',
  };
}

/** The URL parameters of a view; defaults are left out so that URLs stay short. */
export function queryParams(query: AnalyticsQuery): URLSearchParams {
  const params = new URLSearchParams();
  // an empty choice stays in the URL ("machines="): the user cleared it, no default should come back
  params.set('machines', query.machines.join(','));
  params.set('window', query.preset);
  if (query.preset === 'custom') {
    if (query.from) params.set('from', query.from);
    if (query.to) params.set('to', query.to);
  }
  if (query.profile) params.set('profile', query.profile);
  if (query.groupBy !== 'auto') params.set('by', query.groupBy);
  if (query.focus && query.machines.length > 1) params.set('focus', query.focus);
  return params;
}

export interface ResolvedWindow {
  from: number;
  to: number;
  /** "Tue 11 Oct 2022", "Mon 10 – Sun 16 Oct 2022", "Shift 06:30–14:45 (Tue 11 Oct)" */
  label: string;
}

export type WindowResult = { window: ResolvedWindow } | { error: string };

const floorToMinute = (ms: number) => Math.floor(ms / MS_PER_MINUTE) * MS_PER_MINUTE;

/** A datetime-local value ("2022-10-11T06:00") read as plant-local time; null when unreadable. */
export function parseLocalInput(value: string, zone: string): number | null {
  if (!value) return null;
  const local = DateTime.fromISO(value, { zone });
  return local.isValid ? local.toMillis() : null;
}

/** An instant as a datetime-local value in the plant's zone. */
export function toLocalInput(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toFormat("yyyy-LL-dd'T'HH:mm");
}

function spanLabel(from: number, to: number, zone: string): string {
  const start = DateTime.fromMillis(from, { zone });
  // the end is exclusive: a window ending at midnight ends on the day before
  const lastInstant = DateTime.fromMillis(to - 1, { zone });
  const wholeDays = start.hour === 0 && start.minute === 0 && DateTime.fromMillis(to, { zone }).startOf('day').toMillis() === to;
  if (wholeDays) {
    if (start.hasSame(lastInstant, 'day')) return start.toFormat('ccc d LLL yyyy');
    if (start.hasSame(lastInstant, 'year')) return `${start.toFormat('ccc d LLL')} – ${lastInstant.toFormat('ccc d LLL yyyy')}`;
    return `${start.toFormat('d LLL yyyy')} – ${lastInstant.toFormat('d LLL yyyy')}`;
  }
  const end = DateTime.fromMillis(to, { zone });
  if (start.hasSame(lastInstant, 'day')) return `${start.toFormat('ccc d LLL yyyy, HH:mm')}–${end.toFormat('HH:mm')}`;
  return `${start.toFormat('ccc d LLL yyyy HH:mm')} – ${end.toFormat('ccc d LLL yyyy HH:mm')}`;
}

/**
 * The shift running at `now`, or the last one that ended before it (between shifts, "this shift"
 * is the one just finished: that is what a lead looks at during the changeover). Shifts come from
 * the calendar's pattern for the week they start in; a shift may cross midnight, so yesterday's
 * shifts are looked at too. Holidays start no shift. Searches back a week; null when none.
 */
export function currentShift(calendar: CalendarSpec, zone: string, now: number): { start: number; end: number } | null {
  const holidays = new Set(calendar.holidays);
  const today = DateTime.fromMillis(now, { zone }).startOf('day');
  let latestEnded: { start: number; end: number } | null = null;
  for (let back = 0; back <= 7; back++) {
    const day = today.minus({ days: back });
    const date = day.toISODate() ?? '';
    if (holidays.has(date)) continue;
    const { pattern } = patternForWeek(calendar, isoWeekOf(date));
    const shifts = pattern[WEEKDAYS[day.weekday - 1]];
    for (const [startText, endText] of shifts) {
      const startMinute = parseHHMM(startText);
      const endOfDayMinute = parseHHMM(endText);
      if (startMinute === null || endOfDayMinute === null) continue;
      const endMinute = endOfDayMinute <= startMinute ? endOfDayMinute + 1440 : endOfDayMinute;
      // wall-clock times through Luxon, so a shift across a DST change gets its real length
      const start = day.plus({ minutes: startMinute }).toMillis();
      const end = day.plus({ minutes: endMinute }).toMillis();
      if (start <= now && now < end) return { start, end };
      if (end <= now && (!latestEnded || end > latestEnded.end)) latestEnded = { start, end };
    }
  }
  return latestEnded;
}

/**
 * The [from, to) of a view. Windows that include the present end at the current minute, so the
 * figures are "so far" rather than diluted by hours that have not happened yet.
 */
export function resolveWindow(query: AnalyticsQuery, zone: string, now: number, calendar: CalendarSpec | undefined): WindowResult {
  const nowMinute = floorToMinute(now);
  const today = DateTime.fromMillis(now, { zone }).startOf('day');
  const soFar = (from: number, label: string): WindowResult =>
    nowMinute > from ? { window: { from, to: nowMinute, label } } : { window: { from, to: from + MS_PER_MINUTE, label } };
  switch (query.preset) {
    case 'shift': {
      if (!calendar) return { error: 'Loading the production calendar…' };
      const shift = currentShift(calendar, zone, now);
      if (!shift) return { error: 'The production calendar has no shift in the last week; pick another window.' };
      const start = DateTime.fromMillis(shift.start, { zone });
      const label = `Shift ${start.toFormat('HH:mm')}–${DateTime.fromMillis(shift.end, { zone }).toFormat('HH:mm')} (${start.toFormat('ccc d LLL')})`;
      return shift.end > nowMinute ? soFar(shift.start, label) : { window: { from: shift.start, to: shift.end, label } };
    }
    case 'today':
      return soFar(today.toMillis(), `Today, ${today.toFormat('ccc d LLL yyyy')}`);
    case 'yesterday': {
      const from = today.minus({ days: 1 }).toMillis();
      return { window: { from, to: today.toMillis(), label: spanLabel(from, today.toMillis(), zone) } };
    }
    case 'week': {
      const monday = today.startOf('week');
      return soFar(monday.toMillis(), `This week, ${spanLabel(monday.toMillis(), monday.plus({ weeks: 1 }).toMillis(), zone)}`);
    }
    case 'last7': {
      // the six days before today and today so far
      const from = today.minus({ days: 6 }).toMillis();
      return soFar(from, `Last 7 days, ${spanLabel(from, today.plus({ days: 1 }).toMillis(), zone)}`);
    }
    case 'month': {
      const first = today.startOf('month');
      return soFar(first.toMillis(), `This month, ${first.toFormat('LLLL yyyy')}`);
    }
    case 'custom': {
      const from = parseLocalInput(query.from, zone);
      const to = parseLocalInput(query.to, zone);
      if (from === null || to === null) return { error: 'Enter the start and end of the window.' };
      if (to <= from) return { error: 'The window must end after it starts.' };
      if (to - from < MIN_WINDOW_MS) return { error: 'The window must be at least 1 hour long.' };
      if (to - from > MAX_WINDOW_MS) return { error: 'The window can be at most 1 year long.' };
      return { window: { from, to, label: spanLabel(from, to, zone) } };
    }
  }
}

/** Buckets that give a readable chart: about 8–60 bars. */
export function autoGroupBy(from: number, to: number): GroupBy {
  const span = to - from;
  if (span <= 2 * MS_PER_DAY) return 'hour';
  if (span <= 62 * MS_PER_DAY) return 'day';
  if (span <= 190 * MS_PER_DAY) return 'week';
  return 'month';
}

/** The calendar as the API sends it → the core's CalendarSpec. */
export function calendarSpecOf(calendar: CalendarView): CalendarSpec {
  return {
    default: calendar.default.days,
    weeks: Object.fromEntries(calendar.weeks.map((week) => [week.week, week.days])),
    holidays: calendar.holidays.map((holiday) => holiday.date),
  };
}

/** Whether `now` lies in the calendar's working time (a stopped machine outside it is not an alarm). */
export function isWorkingTime(calendar: CalendarSpec, zone: string, now: number): boolean {
  return workingIntervals(calendar, zone, now, now + 1).length > 0;
}
