// How long the production calendar takes to answer "when does the plant work in 2026?" — the query
// behind every forecast horizon and calendar-basis OEE window.
import { DateTime } from 'luxon';
import { totalMs, workingIntervals, type CalendarSpec, type Shift, type WeekPattern } from '../src/core/calendar/index.js';
import { sample, timeIt, type Figure } from './lib.js';

const ZONE = 'America/Los_Angeles';
const twoShifts: Shift[] = [['06:30', '15:00'], ['15:00', '23:00']];
const everyDay: WeekPattern = { mon: twoShifts, tue: twoShifts, wed: twoShifts, thu: twoShifts, fri: twoShifts, sat: twoShifts, sun: twoShifts };
const noWeekend: WeekPattern = { ...everyDay, sat: [], sun: [] };

const calendar: CalendarSpec = {
  default: everyDay,
  weeks: {
    '2026-W10': { ...everyDay, sun: [['22:00', '06:00']] }, // a night shift over spring-forward
    '2026-W27': noWeekend,
    '2026-W44': { ...everyDay, sat: [['22:00', '06:00']] }, // and over fall-back
    '2026-W48': { ...noWeekend, thu: [], fri: [['06:30', '15:00']] },
    '2026-W52': { mon: [['06:30', '15:00']], tue: [['06:30', '12:00']], wed: [], thu: [], fri: [], sat: [], sun: [] },
  },
  holidays: ['2026-01-01', '2026-05-25', '2026-07-03', '2026-09-07', '2026-11-26', '2026-12-25'],
};

export default async function bench(): Promise<Figure[]> {
  const yearFrom = DateTime.fromObject({ year: 2026 }, { zone: ZONE }).toMillis();
  const yearTo = DateTime.fromObject({ year: 2027 }, { zone: ZONE }).toMillis();

  // Warm Luxon's zone formatter and the JIT on a different range, so no result of it can be reused.
  const warmFrom = DateTime.fromObject({ year: 2025, month: 3, day: 1 }, { zone: ZONE }).toMillis();
  for (let round = 0; round < 5; round++) workingIntervals(calendar, ZONE, warmFrom, warmFrom + 30 * 86_400_000);

  const first = await timeIt(() => workingIntervals(calendar, ZONE, yearFrom, yearTo));
  const hours = totalMs(first.result) / 3_600_000;
  if (first.result.length < 300 || hours < 5000) throw new Error(`implausible year: ${first.result.length} intervals, ${hours} h`);
  console.log(`first call ${first.ms.toFixed(3)} ms: ${first.result.length} intervals, ${hours.toFixed(1)} working hours`);

  const timing = await sample(() => workingIntervals(calendar, ZONE, yearFrom, yearTo), 20, 0);
  console.log(`median ${timing.median.toFixed(3)} ms, p95 ${timing.p95.toFixed(3)} ms, min ${timing.min.toFixed(3)} ms over 20 runs`);
  return [{ name: 'calendar: working-time query, one year', value: timing.median, unit: 'ms', target: 5 }];
}
