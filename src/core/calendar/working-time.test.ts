import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  isoWeekRange,
  totalMs,
  workingIntervals,
  WEEKDAYS,
  type CalendarSpec,
  type Interval,
  type Shift,
  type WeekPattern,
} from './index.js';

const LA = 'America/Los_Angeles';
const HOUR = 3_600_000;

function pattern(days: Partial<WeekPattern>): WeekPattern {
  return { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [], ...days };
}
function weekdays(...shifts: Shift[]): WeekPattern {
  return pattern({ mon: shifts, tue: shifts, wed: shifts, thu: shifts, fri: shifts });
}
function everyDay(...shifts: Shift[]): WeekPattern {
  return pattern(Object.fromEntries(WEEKDAYS.map((day) => [day, shifts])));
}
function calendar(defaultWeek: WeekPattern, weeks: Record<string, WeekPattern> = {}, holidays: string[] = []): CalendarSpec {
  return { default: defaultWeek, weeks, holidays };
}
/** Instant of a plant-local wall-clock time, through Luxon. */
function at(local: string, zone = LA): number {
  const instant = DateTime.fromISO(local, { zone });
  if (!instant.isValid) throw new Error(`bad test time ${local}`);
  return instant.toMillis();
}
/** Intervals as readable local times with their offset, so DST shows in a failing assertion. */
function show(intervals: Interval[], zone = LA): string[] {
  const local = (ms: number) => DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mmZZ");
  return intervals.map((interval) => `${local(interval.start)} → ${local(interval.end)}`);
}
function hoursIn(spec: CalendarSpec, week: string, zone = LA): number {
  const { from, to } = isoWeekRange(week, zone);
  return totalMs(workingIntervals(spec, zone, from, to)) / HOUR;
}

describe('workingIntervals: a plain week', () => {
  const twoShifts = calendar(weekdays(['06:00', '14:00'], ['14:00', '22:00']));

  it('totals the hours of a normal Monday–Friday two-shift week', () => {
    expect(hoursIn(twoShifts, '2026-W20')).toBe(80);
  });

  it('merges touching shifts (14:00 end / 14:00 start) into one interval per day', () => {
    const { from, to } = isoWeekRange('2026-W20', LA);
    expect(show(workingIntervals(twoShifts, LA, from, to))).toEqual([
      '2026-05-11T06:00-07:00 → 2026-05-11T22:00-07:00',
      '2026-05-12T06:00-07:00 → 2026-05-12T22:00-07:00',
      '2026-05-13T06:00-07:00 → 2026-05-13T22:00-07:00',
      '2026-05-14T06:00-07:00 → 2026-05-14T22:00-07:00',
      '2026-05-15T06:00-07:00 → 2026-05-15T22:00-07:00',
    ]);
  });

  it('keeps several separate shifts of a day apart, in time order, whatever order they were entered in', () => {
    const split = calendar(pattern({ wed: [['18:00', '20:00'], ['06:00', '10:00'], ['11:00', '15:00']] }));
    expect(show(workingIntervals(split, LA, at('2026-05-13T00:00'), at('2026-05-14T00:00')))).toEqual([
      '2026-05-13T06:00-07:00 → 2026-05-13T10:00-07:00',
      '2026-05-13T11:00-07:00 → 2026-05-13T15:00-07:00',
      '2026-05-13T18:00-07:00 → 2026-05-13T20:00-07:00',
    ]);
  });

  it('merges overlapping shifts instead of counting the overlap twice', () => {
    const overlapping = calendar(pattern({ thu: [['06:00', '15:00'], ['14:00', '23:00']] }));
    const intervals = workingIntervals(overlapping, LA, at('2026-05-14T00:00'), at('2026-05-15T00:00'));
    expect(show(intervals)).toEqual(['2026-05-14T06:00-07:00 → 2026-05-14T23:00-07:00']);
    expect(totalMs(intervals) / HOUR).toBe(17);
  });

  it('reads "24:00" as the midnight that ends the day and a shift ending when it starts as 24 h', () => {
    const allDay = calendar(pattern({ mon: [['00:00', '24:00']], tue: [['06:00', '06:00']] }));
    expect(show(workingIntervals(allDay, LA, at('2026-05-11T00:00'), at('2026-05-14T00:00')))).toEqual([
      '2026-05-11T00:00-07:00 → 2026-05-12T00:00-07:00',
      '2026-05-12T06:00-07:00 → 2026-05-13T06:00-07:00',
    ]);
  });

  it('returns nothing for an empty or reversed window', () => {
    expect(workingIntervals(twoShifts, LA, at('2026-05-11T08:00'), at('2026-05-11T08:00'))).toEqual([]);
    expect(workingIntervals(twoShifts, LA, at('2026-05-12T08:00'), at('2026-05-11T08:00'))).toEqual([]);
  });
});

describe('workingIntervals: clipping at the window', () => {
  const dayShift = calendar(weekdays(['06:00', '14:00']));

  it('cuts shifts that start before `from` or end after `to`', () => {
    const intervals = workingIntervals(dayShift, LA, at('2026-05-11T10:00'), at('2026-05-12T08:30'));
    expect(show(intervals)).toEqual([
      '2026-05-11T10:00-07:00 → 2026-05-11T14:00-07:00',
      '2026-05-12T06:00-07:00 → 2026-05-12T08:30-07:00',
    ]);
    expect(totalMs(intervals) / HOUR).toBe(6.5);
  });

  it('gives a window inside one shift exactly that window, and a window between shifts nothing', () => {
    expect(workingIntervals(dayShift, LA, at('2026-05-11T07:15'), at('2026-05-11T07:45'))).toEqual([
      { start: at('2026-05-11T07:15'), end: at('2026-05-11T07:45') },
    ]);
    expect(workingIntervals(dayShift, LA, at('2026-05-11T14:00'), at('2026-05-12T06:00'))).toEqual([]);
  });

  it('includes the tail of a night shift that started the day before the window', () => {
    const nights = calendar(weekdays(['22:00', '06:00']));
    expect(show(workingIntervals(nights, LA, at('2026-05-12T03:00'), at('2026-05-12T12:00')))).toEqual([
      '2026-05-12T03:00-07:00 → 2026-05-12T06:00-07:00',
    ]);
  });
});

describe('workingIntervals: shifts crossing midnight', () => {
  it('runs a night shift into the next morning and counts it in full', () => {
    const nights = calendar(weekdays(['22:00', '06:00']));
    const { from, to } = isoWeekRange('2026-W20', LA);
    const intervals = workingIntervals(nights, LA, from, to);
    expect(intervals).toHaveLength(5);
    expect(show(intervals)[4]).toBe('2026-05-15T22:00-07:00 → 2026-05-16T06:00-07:00');
    expect(totalMs(intervals) / HOUR).toBe(40);
  });

  it('joins a night shift with the next morning shift when they touch at 06:00', () => {
    const continuous = calendar(pattern({ mon: [['22:00', '06:00']], tue: [['06:00', '14:00']] }));
    expect(show(workingIntervals(continuous, LA, at('2026-05-11T00:00'), at('2026-05-13T00:00')))).toEqual([
      '2026-05-11T22:00-07:00 → 2026-05-12T14:00-07:00',
    ]);
  });

  it('gives a Sunday night shift to the week it started in, even when the next week is overridden', () => {
    // Default: a Sunday night shift. Week 21 is overridden to no work at all. The shift that starts
    // Sunday 17 May (week 20) still runs into Monday 18 May (week 21) …
    const spec = calendar(pattern({ sun: [['22:00', '06:00']] }), { '2026-W21': pattern({}) });
    const week21 = isoWeekRange('2026-W21', LA);
    expect(show(workingIntervals(spec, LA, week21.from, week21.to))).toEqual(['2026-05-18T00:00-07:00 → 2026-05-18T06:00-07:00']);
    // … and week 21's own Sunday, overridden to nothing, starts no shift into week 22.
    const week22 = isoWeekRange('2026-W22', LA);
    expect(show(workingIntervals(spec, LA, week22.from, week22.from + 12 * HOUR))).toEqual([]);
  });

  it('lets an overridden week\'s Sunday night shift run into a default week that has none', () => {
    const spec = calendar(pattern({}), { '2026-W20': pattern({ sun: [['23:00', '07:00']] }) });
    expect(show(workingIntervals(spec, LA, at('2026-05-17T00:00'), at('2026-05-19T00:00')))).toEqual([
      '2026-05-17T23:00-07:00 → 2026-05-18T07:00-07:00',
    ]);
  });
});

describe('workingIntervals: override weeks', () => {
  const spec = calendar(weekdays(['06:00', '14:00']), {
    '2026-W48': pattern({ mon: [['06:00', '14:00']], tue: [['06:00', '14:00']], wed: [['06:00', '10:00']], sat: [['08:00', '12:00']] }),
  });

  it('replaces the default for the overridden week only', () => {
    expect(hoursIn(spec, '2026-W47')).toBe(40);
    expect(hoursIn(spec, '2026-W48')).toBe(8 + 8 + 4 + 4);
    expect(hoursIn(spec, '2026-W49')).toBe(40);
  });

  it('uses the override\'s days, not a mix with the default', () => {
    const { from, to } = isoWeekRange('2026-W48', LA);
    expect(show(workingIntervals(spec, LA, from, to))).toEqual([
      '2026-11-23T06:00-08:00 → 2026-11-23T14:00-08:00',
      '2026-11-24T06:00-08:00 → 2026-11-24T14:00-08:00',
      '2026-11-25T06:00-08:00 → 2026-11-25T10:00-08:00',
      '2026-11-28T08:00-08:00 → 2026-11-28T12:00-08:00',
    ]);
  });

  it('treats a week key that only looks like an object property as no override', () => {
    expect(hoursIn(calendar(weekdays(['06:00', '14:00']), {}), '2026-W47')).toBe(40);
    const inherited = calendar(weekdays(['06:00', '14:00']));
    expect(Object.hasOwn(inherited.weeks, 'constructor')).toBe(false);
    expect(hoursIn(inherited, '2026-W48')).toBe(40);
  });
});

describe('workingIntervals: holidays', () => {
  it('starts no shift on a holiday', () => {
    const spec = calendar(weekdays(['06:00', '14:00'], ['14:00', '22:00']), {}, ['2026-11-26']);
    expect(hoursIn(spec, '2026-W48')).toBe(64);
    const thanksgiving = workingIntervals(spec, LA, at('2026-11-26T00:00'), at('2026-11-27T00:00'));
    expect(thanksgiving).toEqual([]);
  });

  it('lets the night shift that started the evening before run to its end into the holiday, and starts none that evening', () => {
    const spec = calendar(weekdays(['22:00', '06:00']), {}, ['2026-11-26']);
    expect(show(workingIntervals(spec, LA, at('2026-11-25T12:00'), at('2026-11-28T12:00')))).toEqual([
      '2026-11-25T22:00-08:00 → 2026-11-26T06:00-08:00', // Wednesday's shift runs into Thanksgiving
      '2026-11-27T22:00-08:00 → 2026-11-28T06:00-08:00', // Thursday starts none; Friday's runs normally
    ]);
  });

  it('applies holidays inside an overridden week too', () => {
    const spec = calendar(weekdays(['06:00', '14:00']), { '2026-W48': everyDay(['06:00', '14:00']) }, ['2026-11-26']);
    expect(hoursIn(spec, '2026-W48')).toBe(6 * 8);
  });
});

describe('workingIntervals: DST in America/Los_Angeles, 2026', () => {
  const nightAndDay = calendar(everyDay(['06:30', '15:00'], ['22:00', '06:00']));

  it('spring-forward (8 March): the 22:00–06:00 night shift lasts 7 h, the day shift 8.5 h', () => {
    const intervals = workingIntervals(nightAndDay, LA, at('2026-03-07T12:00'), at('2026-03-08T20:00'));
    expect(show(intervals)).toEqual([
      '2026-03-07T12:00-08:00 → 2026-03-07T15:00-08:00',
      '2026-03-07T22:00-08:00 → 2026-03-08T06:00-07:00',
      '2026-03-08T06:30-07:00 → 2026-03-08T15:00-07:00',
    ]);
    expect((intervals[1].end - intervals[1].start) / HOUR).toBe(7);
    expect((intervals[2].end - intervals[2].start) / HOUR).toBe(8.5);
  });

  it('fall-back (1 November): the 22:00–06:00 night shift lasts 9 h, the day shift 8.5 h', () => {
    const intervals = workingIntervals(nightAndDay, LA, at('2026-10-31T12:00'), at('2026-11-01T20:00'));
    expect(show(intervals)).toEqual([
      '2026-10-31T12:00-07:00 → 2026-10-31T15:00-07:00',
      '2026-10-31T22:00-07:00 → 2026-11-01T06:00-08:00',
      '2026-11-01T06:30-08:00 → 2026-11-01T15:00-08:00',
    ]);
    expect((intervals[1].end - intervals[1].start) / HOUR).toBe(9);
    expect((intervals[2].end - intervals[2].start) / HOUR).toBe(8.5);
  });

  it('moves a shift start inside the missing hour forward (02:30 → 03:30 PDT)', () => {
    const early = calendar(pattern({ sun: [['02:30', '06:00']] }));
    expect(show(workingIntervals(early, LA, at('2026-03-08T00:00'), at('2026-03-09T00:00')))).toEqual([
      '2026-03-08T03:30-07:00 → 2026-03-08T06:00-07:00',
    ]);
  });

  it('drops a shift that lies wholly inside the missing hour and comes out reversed', () => {
    const ghost = calendar(pattern({ sun: [['02:30', '03:00']] }));
    expect(workingIntervals(ghost, LA, at('2026-03-08T00:00'), at('2026-03-09T00:00'))).toEqual([]);
  });

  it('reads a time inside the repeated hour of fall-back as its second occurrence, as Luxon does', () => {
    const ambiguous = calendar(pattern({ sun: [['00:00', '01:30'], ['01:45', '04:00']] }));
    const intervals = workingIntervals(ambiguous, LA, at('2026-11-01T00:00'), at('2026-11-02T00:00'));
    expect(show(intervals)).toEqual(['2026-11-01T00:00-07:00 → 2026-11-01T01:30-08:00', '2026-11-01T01:45-08:00 → 2026-11-01T04:00-08:00']);
    expect(intervals.map((interval) => (interval.end - interval.start) / HOUR)).toEqual([2.5, 2.25]);
  });

  it('makes a round-the-clock week 167 h and 169 h long, as one interval', () => {
    const roundTheClock = calendar(everyDay(['00:00', '24:00']));
    for (const [week, hours] of [['2026-W10', 167], ['2026-W44', 169], ['2026-W20', 168]] as const) {
      const { from, to } = isoWeekRange(week, LA);
      const intervals = workingIntervals(roundTheClock, LA, from, to);
      expect(intervals).toEqual([{ start: from, end: to }]);
      expect(totalMs(intervals) / HOUR).toBe(hours);
    }
  });

  it('counts the two DST weeks of a 7-day night-shift pattern as 55 h and 57 h', () => {
    const nights = calendar(everyDay(['22:00', '06:00']));
    // Each week: its own Monday–Sunday night shifts, minus Sunday night's part past the week end,
    // plus the previous Sunday night's part that falls into Monday.
    expect(hoursIn(nights, '2026-W10')).toBe(55);
    expect(hoursIn(nights, '2026-W44')).toBe(57);
    expect(hoursIn(nights, '2026-W20')).toBe(56);
  });
});

describe('workingIntervals: bad input', () => {
  it('names the unreadable time in the calendar', () => {
    const spec = calendar(weekdays(['06:00', '14:00']), { '2026-W48': pattern({ tue: [['06:00', '14:00'], ['14:00', '25:00']] }) });
    const { from, to } = isoWeekRange('2026-W48', LA);
    expect(() => workingIntervals(spec, LA, from, to)).toThrow('calendar weeks["2026-W48"].tue[1][1]: "25:00" is not a time of day');
  });

  it('rejects an unknown zone, a bad holiday and non-finite windows', () => {
    const spec = calendar(weekdays(['06:00', '14:00']));
    expect(() => workingIntervals(spec, 'Europe/Atlantis', 0, HOUR)).toThrow(/IANA/);
    expect(() => workingIntervals({ ...spec, holidays: ['2026-11-31'] }, LA, 0, HOUR)).toThrow(/holiday "2026-11-31"/);
    expect(() => workingIntervals(spec, LA, Number.NaN, HOUR)).toThrow(RangeError);
  });
});

/**
 * Reference: every shift edge converted with its own Luxon call (slow but obviously right). The fast
 * path of workingIntervals converts most edges without Luxon and must give identical instants.
 */
function referenceIntervals(spec: CalendarSpec, zone: string, from: number, to: number): Interval[] {
  const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
  const collected: Interval[] = [];
  let date = DateTime.fromMillis(from, { zone }).startOf('day').minus({ days: 1 });
  const lastDate = DateTime.fromMillis(to, { zone }).toISODate() as string;
  while ((date.toISODate() as string) <= lastDate) {
    const isoDate = date.toISODate() as string;
    const week = `${date.weekYear}-W${String(date.weekNumber).padStart(2, '0')}`;
    const weekPattern = Object.hasOwn(spec.weeks, week) ? spec.weeks[week] : spec.default;
    const weekday = WEEKDAYS[date.weekday - 1];
    if (!spec.holidays.includes(isoDate)) {
      for (const [startText, endText] of weekPattern[weekday]) {
        const startMinutes = toMinutes(startText);
        let endMinutes = toMinutes(endText);
        if (endMinutes <= startMinutes) endMinutes += 1440;
        const wall = (minutes: number) => {
          const day = DateTime.fromISO(isoDate, { zone: 'utc' }).plus({ days: Math.floor(minutes / 1440) });
          return DateTime.fromObject(
            { year: day.year, month: day.month, day: day.day, hour: Math.floor((minutes % 1440) / 60), minute: minutes % 60 },
            { zone },
          ).toMillis();
        };
        const start = Math.max(wall(startMinutes), from);
        const end = Math.min(wall(endMinutes), to);
        if (end > start) collected.push({ start, end });
      }
    }
    date = DateTime.fromISO(isoDate, { zone: 'utc' }).plus({ days: 1 }).setZone(zone, { keepLocalTime: true });
  }
  collected.sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const interval of collected) {
    const last = merged.at(-1);
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ ...interval });
  }
  return merged;
}

describe('workingIntervals agrees with per-edge Luxon conversion', () => {
  // Midnight shifts are the hard case for the fast path: they touch the day boundary where some
  // zones change their offset (Santiago, Havana), 30-minute DST (Lord Howe), a skipped date (Apia 2011).
  const spec = calendar(
    everyDay(['00:00', '01:30'], ['06:30', '15:00'], ['15:00', '23:00'], ['23:30', '00:30']),
    { '2026-W15': pattern({ sat: [['02:00', '02:45']], sun: [['01:15', '03:15']] }), '2011-W52': everyDay(['12:00', '12:00']) },
    ['2026-04-03', '2026-09-07', '2011-12-29'],
  );
  const cases: [zone: string, fromLocal: string, toLocal: string][] = [
    ['America/Los_Angeles', '2026-01-01T00:00', '2027-01-01T00:00'],
    ['Europe/London', '2026-01-01T00:00', '2027-01-01T00:00'],
    ['America/Santiago', '2026-01-01T00:00', '2027-01-01T00:00'],
    ['America/Havana', '2026-01-01T00:00', '2027-01-01T00:00'],
    ['Australia/Lord_Howe', '2026-01-01T00:00', '2027-01-01T00:00'],
    ['Asia/Kolkata', '2026-03-01T05:17', '2026-05-01T11:11'],
    ['Pacific/Apia', '2011-12-01T00:00', '2012-01-15T00:00'],
  ];
  for (const [zone, fromLocal, toLocal] of cases) {
    it(`${zone} ${fromLocal} … ${toLocal}`, () => {
      const from = at(fromLocal, zone);
      const to = at(toLocal, zone);
      const expected = referenceIntervals(spec, zone, from, to);
      expect(expected.length).toBeGreaterThan(10);
      expect(show(workingIntervals(spec, zone, from, to), zone)).toEqual(show(expected, zone));
      expect(workingIntervals(spec, zone, from, to)).toEqual(expected);
    });
  }
});
