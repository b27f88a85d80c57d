// The Monitoring page's windows and number formatting: pure, so they are tested without a browser.
import { DateTime } from 'luxon';

const HOUR = 3_600_000;

export const WINDOWS = [
  { key: '8h', label: '8 h' },
  { key: 'today', label: 'Today' },
  { key: '3d', label: '3 days' },
  { key: 'week', label: 'Week' },
] as const;
export type WindowKey = (typeof WINDOWS)[number]['key'];

/** The window's [from, to] in UTC ms, ending `now`; "today" starts at the plant's midnight. */
export function windowRange(key: WindowKey, now: number, zone: string): { from: number; to: number } {
  if (key === 'today') return { from: DateTime.fromMillis(now, { zone }).startOf('day').toMillis(), to: now };
  const hours = key === '8h' ? 8 : key === '3d' ? 72 : 168;
  return { from: now - hours * HOUR, to: now };
}

/** Enough decimals to tell a channel's values apart: 2 significant digits of their spread (0.1252 mm, 181.5 °C). */
export function decimalsFor(values: readonly number[]): number {
  const finite = values.filter(Number.isFinite);
  if (finite.length < 2) return 3;
  const spread = Math.max(...finite) - Math.min(...finite);
  if (!(spread > 0)) return 3;
  return Math.min(6, Math.max(0, 2 - Math.floor(Math.log10(spread))));
}
