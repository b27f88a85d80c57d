// Small pure pieces of the operator screen's wording and order.
import { DateTime } from 'luxon';

/** "Thu 13 Oct · 06:30–14:45": the day and the clock, as the shift is called at the line. */
export function shiftLabel(startMs: number, endMs: number, zone: string): string {
  const start = DateTime.fromMillis(startMs, { zone });
  const end = DateTime.fromMillis(endMs, { zone });
  return `${start.toFormat('ccc d LLL')} · ${start.toFormat('HH:mm')}–${end.toFormat('HH:mm')}`;
}

/** Stops without a reason first (oldest first among them: work through the shift), then the rest, newest first. */
export function orderStops<S extends { startMs: number; segments: readonly unknown[] }>(stops: readonly S[]): S[] {
  const byStart = stops.slice().sort((a, b) => a.startMs - b.startMs);
  const open = byStart.filter((s) => s.segments.length === 0);
  const done = byStart.filter((s) => s.segments.length > 0).reverse();
  return [...open, ...done];
}
