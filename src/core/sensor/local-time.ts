// Plant-local wall time → UTC epoch milliseconds, fast enough for the sensor-log hot path.
//
// Luxon does the zone arithmetic (DST rules, historical offsets); we only call it once per distinct
// local hour and add minutes/seconds/milliseconds to the cached UTC instant of that hour's start.
// That is exact whenever the UTC offset is the same at hh:00 and hh:59 — true for every hour
// except one in which an offset change happens mid-hour (rare zones such as Lord Howe's 30-minute
// DST). We detect such hours when filling the cache and ask Luxon for every row in them instead.
//
// DST edge hours (documented choice: Luxon's resolution is taken for the whole hour):
// - Spring forward (e.g. 02:xx does not exist in America/Los_Angeles): Luxon moves a nonexistent
//   wall time forward by the gap, so 02:30 maps to the instant of 03:30 PDT.
// - Fall back (01:xx happens twice): Luxon resolves the ambiguous wall time to the later offset
//   (the second pass, standard time: 01:30 → 09:30Z in Los Angeles). Rows logged during the first
//   pass therefore map one hour late, onto the second pass's instants: the log shows a phantom
//   one-hour gap after 00:59 and a backwards step of about an hour when the second pass starts,
//   which the OEE model counts as a zero gap. A camera that logs wall time without an offset gives
//   us nothing to tell the two passes apart.
import { DateTime, IANAZone } from 'luxon';
import { MS_PER_MINUTE, MS_PER_SECOND } from '../time.js';


/** Throws when `zone` is not an IANA zone Luxon knows, naming the bad value. */
export function assertValidZone(zone: string): void {
  // IANAZone.create is cached per name; isValidZone builds a new Intl formatter on every call
  if (!IANAZone.create(zone).isValid) {
    throw new Error(`time zone '${zone}' is not a valid IANA zone (e.g. America/Los_Angeles)`);
  }
}

/** Days in a month of the proleptic Gregorian calendar (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Converts plant-local wall-clock fields to UTC epoch ms for one zone, caching per local hour.
 * Fields are assumed already range-checked (month 1–12, day valid for the month, hour 0–23 …).
 */
export class LocalTimeConverter {
  readonly zone: string;
  /** key = local hour (yyyymmddhh as an integer) → UTC ms of hh:00:00.000, or NaN for an irregular hour */
  private readonly hourStartUtc = new Map<number, number>();
  // Rows arrive in time order, so the previous row's hour answers almost every lookup.
  private lastHourKey = -1;
  private lastHourStartUtc = 0;

  constructor(zone: string) {
    assertValidZone(zone);
    this.zone = zone;
  }

  toUtc(year: number, month: number, day: number, hour: number, minute: number, second: number, millisecond: number): number {
    const hourKey = ((year * 100 + month) * 100 + day) * 100 + hour;
    let hourStart: number;
    if (hourKey === this.lastHourKey) {
      hourStart = this.lastHourStartUtc;
    } else {
      const cached = this.hourStartUtc.get(hourKey);
      hourStart = cached === undefined ? this.fillHour(hourKey, year, month, day, hour) : cached;
      this.lastHourKey = hourKey;
      this.lastHourStartUtc = hourStart;
    }
    if (Number.isNaN(hourStart)) {
      return this.luxonUtc(year, month, day, hour, minute, second, millisecond);
    }
    return hourStart + minute * MS_PER_MINUTE + second * MS_PER_SECOND + millisecond;
  }

  private fillHour(hourKey: number, year: number, month: number, day: number, hour: number): number {
    const start = this.luxonUtc(year, month, day, hour, 0, 0, 0);
    const endProbe = this.luxonUtc(year, month, day, hour, 59, 59, 999);
    // Contiguous hour: the last millisecond is exactly one hour minus 1 ms after the first.
    const contiguous = endProbe - start === 60 * MS_PER_MINUTE - 1;
    const value = contiguous ? start : Number.NaN;
    this.hourStartUtc.set(hourKey, value);
    return value;
  }

  private luxonUtc(year: number, month: number, day: number, hour: number, minute: number, second: number, millisecond: number): number {
    return DateTime.fromObject({ year, month, day, hour, minute, second, millisecond }, { zone: this.zone }).toMillis();
  }
}

/** The plant-local calendar date ('YYYY-MM-DD') of a UTC instant. */
export function localDateOf(utcMs: number, zone: string): string {
  assertValidZone(zone);
  const iso = DateTime.fromMillis(utcMs, { zone }).toISODate();
  if (iso === null) throw new Error(`instant ${utcMs} cannot be expressed in zone '${zone}'`);
  return iso;
}
