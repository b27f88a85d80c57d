// How the dashboard writes numbers, durations and instants. Plant-local times throughout.
import { DateTime } from 'luxon';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** 0.6234 → "62.3 %"; null → "–" (undefined ratio: nothing to measure). */
export function formatPercent(fraction: number | null | undefined): string {
  return fraction === null || fraction === undefined ? '–' : `${oneDecimal.format(fraction * 100)} %`;
}

export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : integer.format(value);
}

export function formatDecimal(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : oneDecimal.format(value);
}

/** 75 → "1 min 15 s", 5400 → "1 h 30 min", 12.3 → "12.3 s". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '–';
  if (seconds < 59.95) return `${oneDecimal.format(seconds)} s`;
  // round once, then split: 2639.6 s is "44 min", never "43 min 60 s"
  const whole = Math.round(seconds);
  const totalMinutes = Math.floor(whole / 60);
  if (totalMinutes < 60) {
    const rest = whole - totalMinutes * 60;
    return rest ? `${totalMinutes} min ${rest} s` : `${totalMinutes} min`;
  }
  const wholeMinutes = Math.round(seconds / 60);
  const hours = Math.floor(wholeMinutes / 60);
  const minutes = wholeMinutes % 60;
  return minutes ? `${integer.format(hours)} h ${minutes} min` : `${integer.format(hours)} h`;
}

/** What the screens need of a stop to say how much of it the window counts. */
interface CountedStop {
  seconds: number;
  countedSeconds: number;
  startsBeforeWindow: boolean;
  endsAfterWindow: boolean;
}

/**
 * A stop's duration as the window counts it (its part inside the window's loading time, what stop
 * time adds up) and, when that is not the whole stop, a note: "of 31 min 32 s · continues after the window".
 */
export function stopDuration(stop: CountedStop): { counted: string; note: string | null } {
  const counted = formatDuration(stop.countedSeconds);
  if (Math.abs(stop.seconds - stop.countedSeconds) < 0.0005) return { counted, note: null };
  const where =
    stop.startsBeforeWindow && stop.endsAfterWindow ? 'continues before and after the window'
    : stop.startsBeforeWindow ? 'continues before the window'
    : stop.endsAfterWindow ? 'continues after the window'
    : 'partly outside the production run';
  return { counted, note: `of ${formatDuration(stop.seconds)} · ${where}` };
}

/** One line for a chart tooltip: "15 min 36 s stop (of 31 min 32 s · continues after the window)". */
export function stopDurationLabel(stop: CountedStop): string {
  const { counted, note } = stopDuration(stop);
  return note ? `${counted} stop (${note})` : `${counted} stop`;
}

/** A duration-class label: "1.1–12 s", "1–5 min", "≥ 30 min". */
export function formatStopClass(minSeconds: number, maxSeconds: number | null): string {
  const part = (s: number) => (s < 60 ? `${s}` : s < 3600 ? `${s / 60}` : `${s / 3600}`);
  const unit = (s: number) => (s < 60 ? 's' : s < 3600 ? 'min' : 'h');
  if (maxSeconds === null) return `≥ ${part(minSeconds)} ${unit(minSeconds)}`;
  if (unit(minSeconds) === unit(maxSeconds)) return `${part(minSeconds)}–${part(maxSeconds)} ${unit(maxSeconds)}`;
  return `${part(minSeconds)} ${unit(minSeconds)} – ${part(maxSeconds)} ${unit(maxSeconds)}`;
}

export function formatInstant(ms: number, zone: string, format = 'ccc d LLL HH:mm'): string {
  return DateTime.fromMillis(ms, { zone }).toFormat(format);
}

/** An instant for spreadsheets and CSV: plant-local "2022-10-11 06:30:05". */
export function spreadsheetTime(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toFormat('yyyy-LL-dd HH:mm:ss');
}

/** Excel's date-time number format for plant-local instants (with seconds). */
export const EXCEL_DATE_TIME = 'yyyy-mm-dd hh:mm:ss';

/**
 * An instant as an Excel date showing the plant-local wall clock: Excel dates carry no zone, and
 * ExcelJS writes a Date as its UTC fields, so the local fields are moved onto a UTC Date.
 */
export function excelLocalDate(ms: number, zone: string): Date {
  return DateTime.fromMillis(ms, { zone }).setZone('UTC', { keepLocalTime: true }).toJSDate();
}

/** What every card, table row and chart says when a window holds no parts (no cycles, or only empty ones). */
export const NO_PRODUCTION_TEXT = 'No production in this window';

/** A result with parts in it: otherwise show NO_PRODUCTION_TEXT instead of figures. */
export function hasProduction(result: { parts: number } | null | undefined): boolean {
  return !!result && result.parts > 0;
}

/** "12 s ago", "5 min ago", "3 h ago", "2 d ago". */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}
