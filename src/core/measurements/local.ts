// Local date-times of measurement files (LVM Date/Time, CSV timestamps) to UTC epoch ms. Pure.
import { DateTime } from 'luxon';

/** LVM `Date` (yyyy/MM/dd, also yyyy-MM-dd) and `Time` (HH:mm:ss with any fraction) in `zone`; null when malformed. */
export function lvmDateTime(date: string, time: string, zone: string, decimal: '.' | ','): number | null {
  const d = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(date.trim());
  const t = /^(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d+))?$/.exec(time.trim());
  if (!d || !t) return null;
  if (t[4] !== undefined && decimal === '.' && time.includes(',')) return null;
  const local = DateTime.fromObject(
    { year: Number(d[1]), month: Number(d[2]), day: Number(d[3]), hour: Number(t[1]), minute: Number(t[2]), second: Number(t[3]) },
    { zone },
  );
  if (!local.isValid) return null;
  const fraction = t[4] ? Number(`0.${t[4]}`) : 0;
  return local.toMillis() + Math.round(fraction * 1000);
}

/** The same for one field holding both ("2026/12/04 10:15:30.5" or ISO with T). */
export function lvmDateTimeField(text: string, zone: string, decimal: '.' | ','): number | null {
  const m = /^(\S+)[ T](\S+)$/.exec(text.trim());
  return m ? lvmDateTime(m[1], m[2], zone, decimal) : null;
}
