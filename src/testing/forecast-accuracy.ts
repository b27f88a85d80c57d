// Accuracy of the forecast methods on a machine's cycle stream (bench and tuning support, not app
// code): for a lot that starts and finishes inside the stream, ask as of every working hour from
// `fromHours` after its first unit to 1 h before its end, and average each method's absolute error
// against the actual end. A smaller ordered quantity "finishes" when the lot's produced count
// reached it, in the same stream.
import { workingIntervals, type CalendarSpec } from '../core/calendar/index.js';
import { forecastLot, MachineUnits, type RecommendedParams } from '../core/forecast/index.js';
import { SensorLogParser } from '../core/sensor/parse.js';
import { WorkingTimeline } from '../core/schedule/working-time.js';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE } from '../core/time.js';
import { DEMO_WEEK } from '../features/demo/plant.js';

export const DEMO_CALENDAR: CalendarSpec = { default: DEMO_WEEK, weeks: {}, holidays: [] };

export interface AccuracyCase {
  lot: string;
  quantity: number;
  /** instant the ordered quantity was reached (the lot's last part for the whole lot) */
  actualEnd: number;
  fromHours: number;
}

export interface AccuracyResult {
  lot: string;
  quantity: number;
  asks: number;
  /** mean absolute error, minutes; observed counts only the asks it answered */
  standard: number;
  observed: number;
  observedAnswered: number;
  recommended: number;
}

export function unitsFromLines(lines: Iterable<string>, zone: string, file = 'stream'): MachineUnits {
  const units = new MachineUnits();
  const parser = new SensorLogParser({ file, zone });
  for (const line of lines) for (const cycle of parser.push(Buffer.from(`${line}\n`, 'latin1')).cycles) units.add(cycle);
  for (const cycle of parser.end(true).cycles) units.add(cycle);
  return units;
}

/** As-of moments: every working hour from `fromHours` of working time after `first` until `last` − 1 h. */
export function askMoments(calendar: CalendarSpec, zone: string, first: number, last: number, fromHours: number): number[] {
  const timeline = new WorkingTimeline((a, b) => workingIntervals(calendar, zone, a, b), first, last + 30 * MS_PER_DAY);
  const moments: number[] = [];
  let at = timeline.addWorkingTime(first, fromHours * MS_PER_HOUR);
  while (at !== null && at <= last - MS_PER_HOUR) {
    moments.push(at);
    at = timeline.addWorkingTime(at, MS_PER_HOUR);
  }
  return moments;
}

export function evaluate(
  units: MachineUnits,
  cases: readonly AccuracyCase[],
  options: { standardRatePerHour: number; calendar: CalendarSpec; zone: string; params?: Partial<RecommendedParams> },
): AccuracyResult[] {
  return cases.map((entry) => {
    const first = units.lotFirstBefore(entry.lot, Infinity);
    if (first === null) throw new Error(`lot ${entry.lot} has no units`);
    const moments = askMoments(options.calendar, options.zone, first, entry.actualEnd, entry.fromHours);
    let standard = 0;
    let observed = 0;
    let observedAnswered = 0;
    let recommended = 0;
    for (const at of moments) {
      const result = forecastLot({ at, lot: entry.lot, quantity: entry.quantity, standardRatePerHour: options.standardRatePerHour, units, calendar: options.calendar, zone: options.zone, params: options.params });
      standard += Math.abs((result.standard.end ?? Infinity) - entry.actualEnd);
      if (result.observed.end !== null) {
        observed += Math.abs(result.observed.end - entry.actualEnd);
        observedAnswered++;
      }
      recommended += Math.abs(result.forecast.end - entry.actualEnd);
    }
    const mean = (sum: number, n: number) => (n === 0 ? Number.NaN : sum / n / MS_PER_MINUTE);
    return {
      lot: entry.lot,
      quantity: entry.quantity,
      asks: moments.length,
      standard: mean(standard, moments.length),
      observed: mean(observed, observedAnswered),
      observedAnswered,
      recommended: mean(recommended, moments.length),
    };
  });
}

/** The whole lot (ordered = its parts, ends at its last part) and smaller orders of it. */
export function casesOfLot(units: MachineUnits, lot: string, parts: number, fractions: readonly number[] = [0.3, 0.5, 0.7]): AccuracyCase[] {
  const last = units.lotLast(lot);
  if (last === null) throw new Error(`lot ${lot} has no units`);
  const cases: AccuracyCase[] = [{ lot, quantity: parts, actualEnd: last, fromHours: 10 }];
  const produced = units.lotUnits(lot, -Infinity, Infinity);
  for (const fraction of fractions) {
    const quantity = Math.round(produced * fraction);
    cases.push({ lot, quantity, actualEnd: units.lotUnitTime(lot, quantity) as number, fromHours: 6 });
  }
  return cases;
}
