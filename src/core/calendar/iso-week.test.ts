import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { isoWeekOf, isoWeekRange, isValidIsoWeek } from './index.js';
import { dayNumberOf, formatLocalDate, parseLocalDate, weekdayOf } from './iso-week.js';

const LA = 'America/Los_Angeles';
const HOUR = 3_600_000;

describe('isoWeekOf', () => {
  it('puts the days around the 2026/2027 year end in the right ISO week', () => {
    expect(isoWeekOf('2026-12-28')).toBe('2026-W53');
    expect(isoWeekOf('2026-12-31')).toBe('2026-W53');
    expect(isoWeekOf('2027-01-01')).toBe('2026-W53');
    expect(isoWeekOf('2027-01-03')).toBe('2026-W53');
    expect(isoWeekOf('2027-01-04')).toBe('2027-W01');
  });

  it('puts early-January days in the previous year and late-December days in the next when the ISO year says so', () => {
    expect(isoWeekOf('2021-01-03')).toBe('2020-W53');
    expect(isoWeekOf('2024-12-30')).toBe('2025-W01');
    expect(isoWeekOf('2026-01-01')).toBe('2026-W01');
    expect(isoWeekOf('2025-12-29')).toBe('2026-W01');
    expect(isoWeekOf('2026-11-23')).toBe('2026-W48');
  });

  it('agrees with Luxon for every day from 1995 to 2045', () => {
    const mismatches: string[] = [];
    let date = DateTime.fromISO('1995-01-01', { zone: 'utc' });
    const end = DateTime.fromISO('2045-12-31', { zone: 'utc' });
    while (date <= end) {
      const localDate = date.toISODate() as string;
      const expected = `${date.weekYear}-W${String(date.weekNumber).padStart(2, '0')}`;
      if (isoWeekOf(localDate) !== expected) mismatches.push(`${localDate}: ${isoWeekOf(localDate)} ≠ ${expected}`);
      date = date.plus({ days: 1 });
    }
    expect(mismatches).toEqual([]);
  });

  it('rejects strings that are not real dates', () => {
    expect(() => isoWeekOf('2026-02-30')).toThrow(RangeError);
    expect(() => isoWeekOf('2026-13-01')).toThrow(/YYYY-MM-DD/);
    expect(() => isoWeekOf('26-01-01')).toThrow(RangeError);
    expect(() => isoWeekOf('')).toThrow(RangeError);
  });
});

describe('civil date helpers', () => {
  it('round-trips dates, including leap days, and names weekdays', () => {
    expect(parseLocalDate('2024-02-29')).not.toBeNull();
    expect(parseLocalDate('2026-02-29')).toBeNull();
    expect(formatLocalDate(parseLocalDate('2028-02-29') as number)).toBe('2028-02-29');
    expect(weekdayOf(dayNumberOf({ year: 2026, month: 11, day: 23 }))).toBe('mon');
    expect(weekdayOf(dayNumberOf({ year: 2027, month: 1, day: 3 }))).toBe('sun');
    expect(weekdayOf(dayNumberOf({ year: 1969, month: 12, day: 31 }))).toBe('wed');
  });
});

describe('isValidIsoWeek', () => {
  it('accepts existing weeks and rejects others', () => {
    expect(isValidIsoWeek('2026-W01')).toBe(true);
    expect(isValidIsoWeek('2026-W48')).toBe(true);
    expect(isValidIsoWeek('2026-W53')).toBe(true);
    expect(isValidIsoWeek('2027-W52')).toBe(true);
    expect(isValidIsoWeek('2027-W53')).toBe(false); // 2027 has 52 ISO weeks
    expect(isValidIsoWeek('2026-W00')).toBe(false);
    expect(isValidIsoWeek('2026-W54')).toBe(false);
    expect(isValidIsoWeek('2026-W8')).toBe(false);
    expect(isValidIsoWeek('2026W08')).toBe(false);
    expect(isValidIsoWeek('2026-w08')).toBe(false);
    expect(isValidIsoWeek('')).toBe(false);
  });
});

describe('isoWeekRange', () => {
  it('spans Monday to Monday plant-local midnight and lists the seven dates', () => {
    const range = isoWeekRange('2026-W48', LA);
    expect(range.days).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']);
    expect(range.from).toBe(DateTime.fromISO('2026-11-23T00:00', { zone: LA }).toMillis());
    expect(range.to).toBe(DateTime.fromISO('2026-11-30T00:00', { zone: LA }).toMillis());
    expect(new Date(range.from).toISOString()).toBe('2026-11-23T08:00:00.000Z');
  });

  it('crosses the year end for week 53', () => {
    const range = isoWeekRange('2026-W53', LA);
    expect(range.days[0]).toBe('2026-12-28');
    expect(range.days[6]).toBe('2027-01-03');
    expect(range.to).toBe(isoWeekRange('2027-W01', LA).from);
  });

  it('is 167 h long over spring-forward and 169 h over fall-back', () => {
    const spring = isoWeekRange('2026-W10', LA); // 2–8 March 2026, DST starts on the 8th
    const fall = isoWeekRange('2026-W44', LA); // 26 Oct – 1 Nov 2026, DST ends on the 1st
    expect((spring.to - spring.from) / HOUR).toBe(167);
    expect((fall.to - fall.from) / HOUR).toBe(169);
    expect((isoWeekRange('2026-W20', LA).to - isoWeekRange('2026-W20', LA).from) / HOUR).toBe(168);
  });

  it('rejects weeks that do not exist and unknown zones', () => {
    expect(() => isoWeekRange('2027-W53', LA)).toThrow(RangeError);
    expect(() => isoWeekRange('2026-W48', 'Mars/Olympus_Mons')).toThrow(/zone/);
  });
});
