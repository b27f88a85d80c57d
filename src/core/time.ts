// Time units for UTC epoch milliseconds, the one unit instants have everywhere in qmfg. Calendar
// arithmetic in a plant's zone (days that last 23 or 25 hours) goes through Luxon, not these.
import { DateTime } from 'luxon';
export const MS_PER_SECOND = 1_000;
export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;
export const SECONDS_PER_HOUR = 3_600;

/** The start of the UTC-aligned unit (minute, hour, day …) an instant falls in. */
export function floorTo(instant: number, unitMs: number): number {
  return Math.floor(instant / unitMs) * unitMs;
}

/**
 * An exact instant given in a path or query: epoch milliseconds, or ISO 8601 (read in `zone` when it
 * carries no offset). Null when it is neither.
 */
export function parseExactInstant(value: string, zone: string): number | null {
  if (/^\d{1,15}$/.test(value)) return Number(value);
  const parsed = DateTime.fromISO(value, { zone });
  return parsed.isValid ? parsed.toMillis() : null;
}
