import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { LocalTimeConverter, assertValidZone, daysInMonth, localDateOf } from './local-time.js';

/** Luxon's own answer, row by row: what the hour cache must reproduce exactly. */
function luxonUtc(zone: string, year: number, month: number, day: number, hour: number, minute: number, second: number, millisecond: number): number {
  return DateTime.fromObject({ year, month, day, hour, minute, second, millisecond }, { zone }).toMillis();
}

describe('LocalTimeConverter', () => {
  // Every hour of a year, probed at its first, a middle and its last millisecond, in zones with
  // hour-aligned DST (Los Angeles, London), no DST (Kolkata, +05:30) and half-hour DST (Lord Howe).
  for (const zone of ['America/Los_Angeles', 'Europe/London', 'Asia/Kolkata', 'Australia/Lord_Howe']) {
    it(`matches Luxon for every local hour of 2022 in ${zone}`, () => {
      const converter = new LocalTimeConverter(zone);
      let mismatches = 0;
      let checked = 0;
      for (let month = 1; month <= 12; month++) {
        for (let day = 1; day <= daysInMonth(2022, month); day++) {
          for (let hour = 0; hour < 24; hour++) {
            for (const [minute, second, millisecond] of [[0, 0, 0], [17, 42, 123], [59, 59, 999]]) {
              checked++;
              const expected = luxonUtc(zone, 2022, month, day, hour, minute, second, millisecond);
              if (converter.toUtc(2022, month, day, hour, minute, second, millisecond) !== expected) mismatches++;
            }
          }
        }
      }
      expect(checked).toBe(365 * 24 * 3);
      expect(mismatches).toBe(0);
    });
  }

  it('takes Luxon’s choice in the DST hours of America/Los_Angeles', () => {
    const converter = new LocalTimeConverter('America/Los_Angeles');
    // Fall back, 6 Nov 2022: 01:30 happens twice; Luxon (and so we) take the second pass, PST.
    expect(new Date(converter.toUtc(2022, 11, 6, 1, 30, 0, 0)).toISOString()).toBe('2022-11-06T09:30:00.000Z');
    // …so the hour before it is followed by a phantom one-hour gap.
    expect(converter.toUtc(2022, 11, 6, 1, 0, 0, 0) - converter.toUtc(2022, 11, 6, 0, 59, 59, 0)).toBe(3_601_000);
    // Spring forward, 13 Mar 2022: 02:30 does not exist and is moved forward to 03:30 PDT.
    expect(new Date(converter.toUtc(2022, 3, 13, 2, 30, 0, 0)).toISOString()).toBe('2022-03-13T10:30:00.000Z');
    expect(converter.toUtc(2022, 3, 13, 3, 30, 0, 0)).toBe(converter.toUtc(2022, 3, 13, 2, 30, 0, 0));
    // An ordinary October day: PDT, UTC−7.
    expect(new Date(converter.toUtc(2022, 10, 11, 12, 39, 21, 479)).toISOString()).toBe('2022-10-11T19:39:21.479Z');
  });

  it('rejects an unknown zone naming it', () => {
    expect(() => new LocalTimeConverter('Mars/Olympus_Mons')).toThrow(/Mars\/Olympus_Mons/);
    expect(() => assertValidZone('America/Los_Angeles')).not.toThrow();
  });
});

describe('calendar helpers', () => {
  it('knows month lengths and leap years', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((month) => daysInMonth(2023, month))).toEqual([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2100, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
  });

  it('gives the plant-local date of an instant', () => {
    // 06:30 UTC on 11 Oct is still 10 Oct, 23:30 in Los Angeles.
    expect(localDateOf(Date.UTC(2022, 9, 11, 6, 30), 'America/Los_Angeles')).toBe('2022-10-10');
    expect(localDateOf(Date.UTC(2022, 9, 11, 7, 30), 'America/Los_Angeles')).toBe('2022-10-11');
  });
});
