// Which shift an instant belongs to, from the production calendar: operators report per line and
// shift. Back-to-back shifts stay separate (the OEE shift buckets keep them apart).
import type { Executor } from '../../db/database.js';
import type { CalendarSpec } from '../../core/calendar/types.js';
import { bucketsOf, type Bucket } from '../../core/oee/buckets.js';
import { MS_PER_DAY } from '../../core/time.js';
import { loadCalendarSpec } from '../calendar/repository.js';
import { Invalid } from '../../core/errors.js';

export interface ShiftWindow {
  start: number;
  end: number;
  /** plant-local: '2026-11-25 06:30–14:45' */
  label: string;
}

const toShift = (b: Bucket): ShiftWindow => ({ start: b.from, end: b.to, label: b.label });

/** The shifts of [from, to), whole: a shift that began before `from` is included with its real start. */
export function shiftsOf(calendar: CalendarSpec, zone: string, from: number, to: number): ShiftWindow[] {
  // look a day beyond both edges, so no shift is cut by the window
  const buckets = bucketsOf('shift', from - MS_PER_DAY, to + MS_PER_DAY, zone, calendar, 10_000) ?? [];
  return buckets.filter((b) => b.to > from && b.from < to).map(toShift);
}

/** The shift holding `instant`, else the latest one that ended before it (within 8 days), else null. */
export function shiftAtOrBefore(calendar: CalendarSpec, zone: string, instant: number): ShiftWindow | null {
  const shifts = shiftsOf(calendar, zone, instant - 8 * MS_PER_DAY, instant + 1);
  for (let i = shifts.length - 1; i >= 0; i--) if (shifts[i].start <= instant) return shifts[i];
  return null;
}

/** The shift before `shift` (the one whose handover it reads), within 8 days. */
export function previousShift(calendar: CalendarSpec, zone: string, shift: ShiftWindow): ShiftWindow | null {
  const shifts = shiftsOf(calendar, zone, shift.start - 8 * MS_PER_DAY, shift.start);
  const earlier = shifts.filter((s) => s.end <= shift.start);
  return earlier.length > 0 ? earlier[earlier.length - 1] : null;
}

/** The shift starting exactly at `start`, or a 400 naming the field. */
export async function requireShift(db: Executor, zone: string, start: number, field = 'params.shift'): Promise<ShiftWindow> {
  const calendar = await loadCalendarSpec(db);
  const shift = shiftsOf(calendar, zone, start, start + 1).find((s) => s.start === start);
  if (!shift) throw Invalid.field(field, `no shift of the production calendar starts at ${new Date(start).toISOString()}`);
  return shift;
}
