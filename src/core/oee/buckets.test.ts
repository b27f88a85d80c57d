import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import type { CalendarSpec } from '../calendar/index.js';
import { bucketsOf } from './buckets.js';

const ZONE = 'America/Los_Angeles';
const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();
const twoShifts: [string, string][] = [['06:30', '14:45'], ['14:45', '23:00']];
const CALENDAR: CalendarSpec = {
  default: { mon: twoShifts, tue: twoShifts, wed: twoShifts, thu: twoShifts, fri: [['22:00', '06:00']], sat: [], sun: [] },
  weeks: { '2026-W11': { mon: [['08:00', '12:00']], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } },
  holidays: ['2026-03-18'],
};

describe('OEE series buckets', () => {
  it('hours and days follow the plant clock across the spring-forward night', () => {
    const days = bucketsOf('day', local('2026-03-07T12:00'), local('2026-03-10T00:00'), ZONE, CALENDAR, 100) ?? [];
    expect(days.map((b) => b.label)).toEqual(['2026-03-07', '2026-03-08', '2026-03-09']);
    expect(days.map((b) => (b.to - b.from) / 3_600_000)).toEqual([12, 23, 24]);
    const hours = bucketsOf('hour', local('2026-03-08T00:30'), local('2026-03-08T04:00'), ZONE, CALENDAR, 100) ?? [];
    expect(hours.map((b) => b.label)).toEqual(['2026-03-08T00:00', '2026-03-08T01:00', '2026-03-08T03:00']);
    expect(hours[0].from).toBe(local('2026-03-08T00:30'));
  });

  it('ISO weeks and months, clipped to the window', () => {
    expect((bucketsOf('week', local('2026-11-25T00:00'), local('2026-12-10T00:00'), ZONE, CALENDAR, 100) ?? []).map((b) => b.label)).toEqual(['2026-W48', '2026-W49', '2026-W50']);
    const months = bucketsOf('month', local('2026-01-15T00:00'), local('2026-03-01T00:00'), ZONE, CALENDAR, 100) ?? [];
    expect(months.map((b) => [b.label, DateTime.fromMillis(b.from, { zone: ZONE }).toISODate()])).toEqual([
      ['2026-01', '2026-01-15'],
      ['2026-02', '2026-02-01'],
    ]);
  });

  it('shifts one by one (adjacent shifts stay apart), with week overrides, holidays and night shifts', () => {
    const shifts = bucketsOf('shift', local('2026-03-09T00:00'), local('2026-03-21T00:00'), ZONE, CALENDAR, 100) ?? [];
    expect(shifts.map((b) => b.label)).toEqual([
      '2026-03-09 08:00–12:00', // override of 2026-W11
      '2026-03-16 06:30–14:45',
      '2026-03-16 14:45–23:00',
      '2026-03-17 06:30–14:45',
      '2026-03-17 14:45–23:00', // 2026-03-18 is a holiday
      '2026-03-19 06:30–14:45',
      '2026-03-19 14:45–23:00',
      '2026-03-20 22:00–00:00', // the night shift, clipped at the window's end
    ]);
    expect(shifts[shifts.length - 1].to).toBe(local('2026-03-21T00:00'));
  });

  it('refuses more buckets than the limit', () => {
    expect(bucketsOf('hour', local('2026-01-01T00:00'), local('2026-01-03T00:00'), ZONE, CALENDAR, 47)).toBeNull();
    expect(bucketsOf('hour', local('2026-01-01T00:00'), local('2026-01-03T00:00'), ZONE, CALENDAR, 48)).toHaveLength(48);
  });
});
