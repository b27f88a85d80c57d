import { describe, expect, it } from 'vitest';
import { parseHHMM, patternForWeek, validateWeekPattern, type CalendarSpec, type WeekPattern } from './index.js';

function pattern(days: Partial<WeekPattern>): WeekPattern {
  return { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [], ...days };
}

describe('parseHHMM', () => {
  it('reads times of day as minutes after midnight', () => {
    expect(parseHHMM('00:00')).toBe(0);
    expect(parseHHMM('06:30')).toBe(390);
    expect(parseHHMM('23:59')).toBe(1439);
    expect(parseHHMM('24:00')).toBe(1440);
  });

  it('rejects anything that is not HH:MM from 00:00 to 24:00', () => {
    for (const bad of ['24:01', '25:00', '12:60', '6:30', '06:3', '0630', '06:30:00', ' 06:30', '-1:00', '', 'ab:cd']) {
      expect(parseHHMM(bad), bad).toBeNull();
    }
  });
});

describe('patternForWeek', () => {
  const override = pattern({ sat: [['08:00', '12:00']] });
  const spec: CalendarSpec = { default: pattern({ mon: [['06:00', '14:00']] }), weeks: { '2026-W48': override }, holidays: [] };

  it('returns the override for its week and the default elsewhere', () => {
    expect(patternForWeek(spec, '2026-W48')).toEqual({ pattern: override, overridden: true });
    expect(patternForWeek(spec, '2026-W49')).toEqual({ pattern: spec.default, overridden: false });
    expect(patternForWeek(spec, 'constructor')).toEqual({ pattern: spec.default, overridden: false });
  });
});

describe('validateWeekPattern', () => {
  it('accepts a sound pattern, including night shifts and 24:00 ends', () => {
    expect(
      validateWeekPattern(
        pattern({
          mon: [['06:00', '14:00'], ['14:00', '22:00'], ['22:00', '06:00']],
          tue: [['06:00', '14:00']],
          wed: [['00:00', '24:00']],
          sun: [['22:00', '06:00']],
        }),
      ),
    ).toEqual([]);
  });

  it('points at the bad time of a shift with weekday[shift][0|1]', () => {
    expect(validateWeekPattern(pattern({ tue: [['06:00', '14:00'], ['25:00', '23:00']], fri: [['06:00', '6pm']] }))).toEqual([
      { path: 'tue[1][0]', message: '"25:00" is not a time of day; use HH:MM from 00:00 to 24:00' },
      { path: 'fri[0][1]', message: '"6pm" is not a time of day; use HH:MM from 00:00 to 24:00' },
    ]);
  });

  it('refuses a shift that starts at 24:00', () => {
    expect(validateWeekPattern(pattern({ wed: [['24:00', '06:00']] }))).toEqual([
      { path: 'wed[0][0]', message: 'a shift cannot start at 24:00; start it at 00:00 on the next day' },
    ]);
  });

  it('reports overlapping shifts of a day on the later one, naming the earlier', () => {
    expect(validateWeekPattern(pattern({ thu: [['06:00', '15:00'], ['14:00', '23:00'], ['23:00', '02:00']] }))).toEqual([
      { path: 'thu[1]', message: 'overlaps thu[0] (06:00–15:00)' },
    ]);
  });

  it('reports a night shift that runs into the next day\'s first shift, Sunday into Monday too', () => {
    expect(validateWeekPattern(pattern({ mon: [['22:00', '07:00']], tue: [['06:00', '14:00']], sun: [['21:00', '05:30']] }))).toEqual([
      { path: 'mon[0]', message: 'runs into tue until 07:00 and overlaps tue[0] (06:00–14:00)' },
    ]);
    expect(validateWeekPattern(pattern({ mon: [['05:00', '13:00']], sun: [['21:00', '05:30']] }))).toEqual([
      { path: 'sun[0]', message: 'runs into mon until 05:30 and overlaps mon[0] (05:00–13:00)' },
    ]);
  });

  it('refuses more than 24 h of shifts starting on one day', () => {
    expect(validateWeekPattern(pattern({ sat: [['00:00', '12:00'], ['12:00', '12:00']] }))).toEqual([
      { path: 'sat', message: 'shifts starting on sat add up to 36 h 00 min; one day can hold at most 24 h' },
    ]);
  });

  it('explains structural mistakes', () => {
    expect(validateWeekPattern(null)).toEqual([{ path: '', message: 'a week pattern must be an object with a list of shifts for each of mon..sun' }]);
    expect(validateWeekPattern([])).toHaveLength(1);
    expect(validateWeekPattern({ ...pattern({}), mon2: [] })).toEqual([
      { path: 'mon2', message: 'unknown weekday "mon2"; expected one of mon, tue, wed, thu, fri, sat, sun' },
    ]);
    const { sun: _omitted, ...withoutSunday } = pattern({});
    expect(validateWeekPattern({ ...withoutSunday, wed: 'closed', fri: [['06:00'], '06:00-14:00', [6, 14]] })).toEqual([
      { path: 'wed', message: 'must be a list of shifts ["HH:MM", "HH:MM"]' },
      { path: 'fri[0]', message: 'a shift must be a pair of times ["HH:MM", "HH:MM"]' },
      { path: 'fri[1]', message: 'a shift must be a pair of times ["HH:MM", "HH:MM"]' },
      { path: 'fri[2]', message: 'a shift must be a pair of times ["HH:MM", "HH:MM"]' },
      { path: 'sun', message: 'missing; give an empty list for a day without shifts' },
    ]);
  });
});
