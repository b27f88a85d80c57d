// The board's time axis: zoom presets, the visible window, and the ticks of the axis in plant time.
// Ticks are computed with Luxon in the site's zone, so a day starts at the plant's midnight and the
// DST days have their 23 or 25 hours, whatever zone the browser (or the TV) is set to.
import { DateTime } from 'luxon';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const MIN_SPAN = HOUR;
export const MAX_SPAN = 366 * DAY;
/** The server answers windows of up to two years. */
export const MAX_FETCH_SPAN = 2 * 365 * DAY;

export interface ZoomPreset {
  key: string;
  label: string;
  span: number;
  /** where "now" sits when the preset is chosen from the toolbar (0 = left edge) */
  nowAt: number;
}

export const ZOOM_PRESETS: readonly ZoomPreset[] = [
  { key: '1h', label: '1 h', span: HOUR, nowAt: 0.25 },
  { key: 'shift', label: '8 h', span: 8 * HOUR, nowAt: 0.2 },
  { key: 'day', label: 'Day', span: DAY, nowAt: 0.15 },
  { key: 'week', label: 'Week', span: 7 * DAY, nowAt: 0.1 },
  { key: 'month', label: 'Month', span: 31 * DAY, nowAt: 0.08 },
  { key: 'quarter', label: 'Quarter', span: 92 * DAY, nowAt: 0.06 },
  { key: 'year', label: 'Year', span: 365 * DAY, nowAt: 0.05 },
];

export function presetByKey(key: string | null): ZoomPreset | undefined {
  return ZOOM_PRESETS.find((p) => p.key === key);
}

/** The preset whose span the window has (within 1 %), for highlighting the toolbar button. */
export function presetOf(window: TimeWindow): ZoomPreset | undefined {
  const span = window.end - window.start;
  return ZOOM_PRESETS.find((p) => Math.abs(p.span - span) / p.span < 0.01);
}

export interface TimeWindow {
  start: number;
  end: number;
}

export function windowAround(now: number, preset: ZoomPreset): TimeWindow {
  const start = now - preset.span * preset.nowAt;
  return { start, end: start + preset.span };
}

const clampSpan = (span: number) => Math.min(MAX_SPAN, Math.max(MIN_SPAN, span));

/** Zooms by `factor` (> 1 = out) keeping the instant at `anchor` (0..1 of the width) in place. */
export function zoomWindow(window: TimeWindow, factor: number, anchor = 0.5): TimeWindow {
  const span = window.end - window.start;
  const nextSpan = clampSpan(span * factor);
  const pivot = window.start + span * anchor;
  const start = pivot - nextSpan * anchor;
  return { start, end: start + nextSpan };
}

/** A preset's span centred where the user is looking now. */
export function zoomToSpan(window: TimeWindow, span: number): TimeWindow {
  const centre = (window.start + window.end) / 2;
  const next = clampSpan(span);
  return { start: centre - next / 2, end: centre + next / 2 };
}

export function panWindow(window: TimeWindow, deltaMs: number): TimeWindow {
  return { start: window.start + deltaMs, end: window.end + deltaMs };
}

/**
 * The range to ask the server for: the visible window with one span of margin on each side, so a
 * pan of up to a screen needs no new request. Limited to what the server serves.
 */
export function fetchWindowFor(view: TimeWindow): TimeWindow {
  const span = view.end - view.start;
  const margin = Math.min(span, (MAX_FETCH_SPAN - span) / 2);
  // whole minutes keep the query string (and the request cache key) stable while panning by pixels
  const start = Math.floor((view.start - margin) / MINUTE) * MINUTE;
  const end = Math.ceil((view.end + margin) / MINUTE) * MINUTE;
  return { start, end };
}

/** Whether the data fetched for `fetched` still serves `view` well enough not to ask again. */
export function fetchCovers(fetched: TimeWindow, view: TimeWindow): boolean {
  const span = view.end - view.start;
  const fetchedSpan = fetched.end - fetched.start;
  // much wider than needed (the user zoomed in a lot): ask for less so the answer stays small
  return fetched.start <= view.start && fetched.end >= view.end && fetchedSpan <= span * 8;
}

// ---- ticks ----

type TickKind = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';

interface TickUnit {
  kind: TickKind;
  step: number;
  /** a typical length, to find the unit that fits the pixels available */
  approxMs: number;
  /** the narrowest spacing in pixels at which its labels stay readable */
  minPx: number;
}

const TICK_UNITS: readonly TickUnit[] = [
  { kind: 'minute', step: 5, approxMs: 5 * MINUTE, minPx: 64 },
  { kind: 'minute', step: 15, approxMs: 15 * MINUTE, minPx: 64 },
  { kind: 'minute', step: 30, approxMs: 30 * MINUTE, minPx: 64 },
  { kind: 'hour', step: 1, approxMs: HOUR, minPx: 58 },
  { kind: 'hour', step: 2, approxMs: 2 * HOUR, minPx: 58 },
  { kind: 'hour', step: 3, approxMs: 3 * HOUR, minPx: 58 },
  { kind: 'hour', step: 6, approxMs: 6 * HOUR, minPx: 58 },
  { kind: 'hour', step: 12, approxMs: 12 * HOUR, minPx: 58 },
  { kind: 'day', step: 1, approxMs: DAY, minPx: 30 },
  { kind: 'week', step: 1, approxMs: 7 * DAY, minPx: 64 },
  { kind: 'month', step: 1, approxMs: 30.4 * DAY, minPx: 44 },
  { kind: 'quarter', step: 1, approxMs: 91.3 * DAY, minPx: 40 },
  { kind: 'year', step: 1, approxMs: 365.25 * DAY, minPx: 48 },
];

export interface Tick {
  at: number;
  label: string;
}

export interface Axis {
  minor: Tick[];
  /** coarser ticks drawn above the minor ones (the day of the hours, the month of the days…) */
  major: Tick[];
  /** the minor unit in words, for the axis' accessible description */
  unitLabel: string;
}

function startOf(dt: DateTime, unit: TickUnit): DateTime {
  switch (unit.kind) {
    case 'minute':
      return dt.startOf('hour');
    case 'hour':
      return dt.startOf('day');
    case 'day':
      return dt.startOf('day');
    case 'week':
      return dt.startOf('week');
    case 'month':
      return dt.startOf('month');
    case 'quarter':
      return dt.startOf('quarter');
    case 'year':
      return dt.startOf('year');
  }
}

/** Successive tick instants of `unit` from before `from` up to `to`, in plant-local calendar terms. */
function tickTimes(unit: TickUnit, from: number, to: number, zone: string): DateTime[] {
  const out: DateTime[] = [];
  let cursor = startOf(DateTime.fromMillis(from, { zone }), unit);
  const limit = 4000;
  // minutes and hours advance in absolute time (a DST change shifts no later tick) and keep the
  // ticks that fall on a multiple of the step in local time
  while (cursor.toMillis() <= to && out.length < limit) {
    switch (unit.kind) {
      case 'minute':
        if (cursor.minute % unit.step === 0) out.push(cursor);
        cursor = cursor.plus({ minutes: 5 });
        break;
      case 'hour':
        if (cursor.minute === 0 && cursor.hour % unit.step === 0) out.push(cursor);
        cursor = cursor.plus({ hours: 1 });
        break;
      case 'day':
        out.push(cursor);
        cursor = cursor.plus({ days: 1 }).startOf('day');
        break;
      case 'week':
        out.push(cursor);
        cursor = cursor.plus({ weeks: 1 }).startOf('week');
        break;
      case 'month':
        out.push(cursor);
        cursor = cursor.plus({ months: 1 }).startOf('month');
        break;
      case 'quarter':
        out.push(cursor);
        cursor = cursor.plus({ months: 3 }).startOf('quarter');
        break;
      case 'year':
        out.push(cursor);
        cursor = cursor.plus({ years: 1 }).startOf('year');
        break;
    }
  }
  return out;
}

function minorLabel(dt: DateTime, unit: TickUnit, pxPerTick: number): string {
  switch (unit.kind) {
    case 'minute':
    case 'hour':
      return dt.toFormat('HH:mm');
    case 'day':
      return pxPerTick >= 84 ? dt.toFormat('ccc d') : pxPerTick >= 44 ? dt.toFormat('ccccc d') : dt.toFormat('d');
    case 'week':
      return pxPerTick >= 110 ? `W${dt.toFormat('WW')} · ${dt.toFormat('d LLL')}` : `W${dt.toFormat('WW')}`;
    case 'month':
      return pxPerTick >= 90 ? dt.toFormat('LLLL') : dt.toFormat('LLL');
    case 'quarter':
      return `Q${dt.quarter}`;
    case 'year':
      return dt.toFormat('yyyy');
  }
}

/** The coarser unit above `unit`, labelled as fully as its width allows. */
function majorOf(unit: TickUnit, pxPerMs: number): { unit: TickUnit; label: (dt: DateTime) => string } | null {
  const find = (kind: TickKind) => TICK_UNITS.find((u) => u.kind === kind) as TickUnit;
  switch (unit.kind) {
    case 'minute':
    case 'hour': {
      const px = DAY * pxPerMs;
      const format = px >= 300 ? 'cccc d LLLL yyyy' : px >= 180 ? 'cccc d LLL' : px >= 110 ? 'ccc d LLL' : 'ccc d';
      return { unit: find('day'), label: (dt) => dt.toFormat(format) };
    }
    case 'day':
    case 'week':
      return { unit: find('month'), label: (dt) => dt.toFormat('LLLL yyyy') };
    case 'month':
    case 'quarter':
      return { unit: find('year'), label: (dt) => dt.toFormat('yyyy') };
    case 'year':
      return null;
  }
}

const UNIT_WORDS: Record<TickKind, string> = { minute: 'minutes', hour: 'hours', day: 'days', week: 'weeks', month: 'months', quarter: 'quarters', year: 'years' };

/** The axis for `window` drawn `widthPx` wide: the finest unit whose labels still fit. */
export function axisFor(window: TimeWindow, widthPx: number, zone: string): Axis {
  const span = window.end - window.start;
  const pxPerMs = widthPx / span;
  const unit = TICK_UNITS.find((u) => u.approxMs * pxPerMs >= u.minPx) ?? TICK_UNITS[TICK_UNITS.length - 1];
  const pxPerTick = unit.approxMs * pxPerMs;
  const minor = tickTimes(unit, window.start, window.end, zone).map((dt) => ({ at: dt.toMillis(), label: minorLabel(dt, unit, pxPerTick) }));
  const major = majorOf(unit, pxPerMs);
  return {
    minor,
    major: major ? tickTimes(major.unit, window.start, window.end, zone).map((dt) => ({ at: dt.toMillis(), label: major.label(dt) })) : [],
    unitLabel: UNIT_WORDS[unit.kind],
  };
}

/** "Tue 24 Nov 2026, 06:30 – Wed 25 Nov, 06:30" style summary of the visible window. */
export function windowLabel(window: TimeWindow, zone: string): string {
  const start = DateTime.fromMillis(window.start, { zone });
  const end = DateTime.fromMillis(window.end, { zone });
  const span = window.end - window.start;
  if (span <= 2 * DAY) {
    const sameDay = start.hasSame(end, 'day');
    return `${start.toFormat('ccc d LLL, HH:mm')} – ${sameDay ? end.toFormat('HH:mm') : end.toFormat('ccc d LLL, HH:mm')}`;
  }
  if (span <= 100 * DAY) return `${start.toFormat(start.year === end.year ? 'd LLL' : 'd LLL yyyy')} – ${end.toFormat('d LLL yyyy')}`;
  return `${start.toFormat('LLL yyyy')} – ${end.toFormat('LLL yyyy')}`;
}
