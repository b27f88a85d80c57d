import { DateTime } from 'luxon';

/**
 * The one rule for reading a stored due instant (shared by the screens, the audit trail and the exports).
 *
 * A due date entered as a day ("2026-12-05") is stored as the end of that plant day: the local midnight
 * after it (older and demo data use 23:59:59.999 of the day). Such a due IS that day, shown without a time;
 * any other instant is a due time on its own day.
 */
export function dueDay(value: number | string, zone: string): { day: DateTime; timeOfDay: boolean } {
  const at = typeof value === 'number' ? DateTime.fromMillis(value, { zone }) : DateTime.fromISO(value, { zone });
  if (at.hour === 0 && at.minute === 0 && at.second === 0 && at.millisecond === 0) return { day: at.minus({ days: 1 }), timeOfDay: false };
  if (at.hour === 23 && at.minute === 59 && at.second === 59) return { day: at.startOf('second'), timeOfDay: false };
  return { day: at, timeOfDay: true };
}
