// Finish estimates of a lot on its machine "as of" a moment, from the machine's units before it.
// Pure: units, calendar, zone and the moment come in; nothing after `at` is ever read.
//
// - standard: `at` advanced through working time by remaining ÷ standard rate, nothing added.
// - observed: units of the lot in the last N working hours before `at` (stops inside them count,
//   "downtime included") ÷ N, and the remainder at that rate through working time; no units in the
//   window → no estimate (end null, rate 0).
// - recommended: the machine's learned output per working hour, by time of day. Every working
//   hour of the last `lookbackDays` before `at` (from the machine's first unit, lot changeovers
//   left out: the running lot's remainder holds none) is cut into slots of `slotMinutes` of the
//   plant-local day; each slot keeps its units and its working time, weighted down with age
//   (half-life `halfLifeHours`). The overall rate is shrunk toward the standard rate by
//   `priorHours` of pseudo-observation, and each slot's rate toward that overall rate by
//   `slotPriorHours` — so a fresh machine starts at standard, a line that always stops at 12:00
//   for lunch is expected to stop at 12:00 again, and one odd day does not swing the estimate.
//   The remainder is then spent slot by slot from `at` through working time.
// The defaults were chosen on synthetic streams of the demo generator (bench/forecast.bench.ts,
// "synthetic" table), never on the finish times of the real lots.
import { DateTime, IANAZone, type Zone } from 'luxon';
import { workingIntervals, type CalendarSpec, type Interval } from '../calendar/index.js';
import { WorkingTimeline } from '../schedule/working-time.js';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE } from '../time.js';
import type { UnitSource } from './history.js';

export interface RecommendedParams {
  lookbackDays: number;
  halfLifeHours: number;
  priorHours: number;
  slotMinutes: number;
  slotPriorHours: number;
}

export const DEFAULT_RECOMMENDED: RecommendedParams = Object.freeze({
  lookbackDays: 7,
  halfLifeHours: 12,
  priorHours: 4,
  slotMinutes: 30,
  slotPriorHours: 0.1,
});

export const DEFAULT_OBSERVED_HOURS = 8;

export type ForecastMethod = 'recommended' | 'standard';

export interface LotForecast {
  at: number;
  produced: number;
  remaining: number;
  standard: { end: number | null };
  observed: { end: number | null; ratePerHour: number };
  forecast: { end: number; method: ForecastMethod };
}

export interface ForecastInput {
  at: number;
  lot: string;
  quantity: number;
  standardRatePerHour: number;
  units: UnitSource;
  calendar: CalendarSpec;
  zone: string;
  observedHours?: number;
  params?: Partial<RecommendedParams>;
}

const LOOKAHEAD_MS = 3 * 366 * MS_PER_DAY;

export function forecastLot(input: ForecastInput): LotForecast {
  const { at, lot, quantity, standardRatePerHour, units, calendar, zone } = input;
  if (!(quantity > 0)) throw new RangeError(`quantity must be > 0, got ${quantity}`);
  if (!(standardRatePerHour > 0)) throw new RangeError(`standard rate must be > 0 units/h, got ${standardRatePerHour}`);
  const siteZone = IANAZone.create(zone);
  if (!siteZone.isValid) throw new RangeError(`"${zone}" is not an IANA time zone`);
  const produced = units.lotUnits(lot, -Infinity, at);
  const remaining = Math.max(0, quantity - produced);
  const timeline = new WorkingTimeline((from, to) => workingIntervals(calendar, zone, from, to), at, at + LOOKAHEAD_MS);
  const standardEnd = endAtRate(timeline, at, remaining, standardRatePerHour);

  const observedHours = input.observedHours ?? DEFAULT_OBSERVED_HOURS;
  const past = workingIntervals(calendar, zone, at - (input.params?.lookbackDays ?? DEFAULT_RECOMMENDED.lookbackDays) * MS_PER_DAY - observedHours * MS_PER_HOUR * 4, at);
  const windowStart = startOfLastWorkingHours(past, at, observedHours);
  const observedRate = units.lotUnits(lot, windowStart, at) / observedHours;
  const observedEnd = remaining === 0 ? at : observedRate > 0 ? endAtRate(timeline, at, remaining, observedRate) : null;

  let forecast: LotForecast['forecast'];
  if (produced === 0 || remaining === 0) {
    forecast = { end: standardEnd ?? clockEnd(at, remaining, standardRatePerHour), method: 'standard' };
  } else {
    const params = { ...DEFAULT_RECOMMENDED, ...input.params };
    const profile = learnProfile(units, past, at, standardRatePerHour, params, siteZone);
    const end = spendBySlot(calendar, zone, at, remaining, profile, params.slotMinutes, siteZone);
    forecast = { end: end ?? clockEnd(at, remaining, profile.overall), method: 'recommended' };
  }
  return {
    at,
    produced,
    remaining,
    standard: { end: standardEnd },
    observed: { end: observedEnd, ratePerHour: Math.round(observedRate * 10) / 10 },
    forecast,
  };
}

/** Without any working time ahead the estimate runs on the clock (an empty calendar): never null. */
function clockEnd(at: number, remaining: number, ratePerHour: number): number {
  return at + (remaining / ratePerHour) * MS_PER_HOUR;
}

function endAtRate(timeline: WorkingTimeline, at: number, remaining: number, ratePerHour: number): number | null {
  if (remaining === 0) return at;
  const start = timeline.firstWorkingInstant(at);
  if (start === null) return null;
  return timeline.addWorkingTime(start, (remaining / ratePerHour) * MS_PER_HOUR);
}

/** Start of the last `hours` working hours ending at `at`, given the working intervals before it. */
export function startOfLastWorkingHours(past: readonly Interval[], at: number, hours: number): number {
  let left = hours * MS_PER_HOUR;
  for (let i = past.length - 1; i >= 0; i--) {
    const end = Math.min(past[i].end, at);
    const length = end - past[i].start;
    if (length <= 0) continue;
    if (length >= left) return end - left;
    left -= length;
  }
  return past.length > 0 ? past[0].start : at - hours * MS_PER_HOUR;
}

interface Profile {
  /** units per working hour, all slots */
  overall: number;
  /** slot index → units per working hour */
  bySlot: Map<number, number>;
}

/** Plant-local milliseconds since midnight. */
function localMsOfDay(instant: number, zone: Zone): number {
  const local = DateTime.fromMillis(instant, { zone });
  return ((local.hour * 60 + local.minute) * 60 + local.second) * 1000 + local.millisecond;
}

/** Cuts [start, end) at the plant-local slot edges and calls back with each piece and its slot. */
function forEachSlotPiece(start: number, end: number, slotMs: number, zone: Zone, visit: (from: number, to: number, slot: number) => boolean | void): boolean {
  let cursor = start;
  while (cursor < end) {
    const msOfDay = localMsOfDay(cursor, zone);
    const slot = Math.floor(msOfDay / slotMs);
    const to = Math.min(end, cursor + (slotMs - (msOfDay % slotMs)));
    if (visit(cursor, to, slot) === true) return true;
    cursor = to;
  }
  return false;
}

function learnProfile(units: UnitSource, past: readonly Interval[], at: number, standard: number, params: RecommendedParams, zone: Zone): Profile {
  const slotMs = params.slotMinutes * MS_PER_MINUTE;
  // from the minute of the machine's first unit (stored counts are per minute)
  const since = Math.max(at - params.lookbackDays * MS_PER_DAY, Math.floor((units.firstBefore(at) ?? at) / MS_PER_MINUTE) * MS_PER_MINUTE);
  const changeovers = units.changeoversBefore(at).filter((gap) => gap.end > since);
  const slotUnits = new Map<number, number>();
  const slotHours = new Map<number, number>();
  let totalUnits = 0;
  let totalHours = 0;
  for (const interval of past) {
    const start = Math.max(interval.start, since);
    const end = Math.min(interval.end, at);
    if (end <= start) continue;
    forEachSlotPiece(start, end, slotMs, zone, (from, to, slot) => {
      const weight = Math.pow(0.5, (at - to) / MS_PER_HOUR / params.halfLifeHours);
      let lost = 0;
      for (const gap of changeovers) lost += Math.max(0, Math.min(gap.end, to) - Math.max(gap.start, from));
      const hours = ((to - from - lost) / MS_PER_HOUR) * weight;
      const made = units.units(from, to) * weight;
      slotUnits.set(slot, (slotUnits.get(slot) ?? 0) + made);
      slotHours.set(slot, (slotHours.get(slot) ?? 0) + hours);
      totalUnits += made;
      totalHours += hours;
    });
  }
  const overall = (totalUnits + params.priorHours * standard) / (totalHours + params.priorHours);
  const bySlot = new Map<number, number>();
  for (const [slot, hours] of slotHours) {
    bySlot.set(slot, ((slotUnits.get(slot) ?? 0) + params.slotPriorHours * overall) / (hours + params.slotPriorHours));
  }
  return { overall, bySlot };
}

function spendBySlot(calendar: CalendarSpec, zoneName: string, at: number, remaining: number, profile: Profile, slotMinutes: number, zone: Zone): number | null {
  const slotMs = slotMinutes * MS_PER_MINUTE;
  let left = remaining;
  let end: number | null = null;
  // working time in growing windows (a shift cut at a window's edge continues in the next one)
  let from = at;
  let windowMs = 14 * MS_PER_DAY;
  while (end === null && from < at + LOOKAHEAD_MS) {
    const to = Math.min(at + LOOKAHEAD_MS, from + windowMs);
    for (const interval of workingIntervals(calendar, zoneName, from, to)) {
      const done = forEachSlotPiece(interval.start, interval.end, slotMs, zone, (pieceFrom, pieceTo, slot) => {
        const rate = profile.bySlot.get(slot) ?? profile.overall;
        if (rate <= 0) return false;
        const can = (rate * (pieceTo - pieceFrom)) / MS_PER_HOUR;
        if (can >= left) {
          end = pieceFrom + (left / rate) * MS_PER_HOUR;
          return true;
        }
        left -= can;
        return false;
      });
      if (done) break;
    }
    from = to;
    windowMs *= 2;
  }
  return end;
}

/**
 * The recommended method's rate ahead, as one number for the scheduler (rate mode 'recommended'):
 * the units its learned profile expects in the next `hours` of working time after `at`, ÷ hours.
 * Independent of the quantity left, so machine data can store it per operation; null without
 * working time ahead.
 */
export function recommendedRate(input: {
  at: number;
  units: UnitSource;
  calendar: CalendarSpec;
  zone: string;
  standardRatePerHour: number;
  hours?: number;
  params?: Partial<RecommendedParams>;
}): number | null {
  const { at, units, calendar, zone, standardRatePerHour } = input;
  const hours = input.hours ?? 16;
  const siteZone = IANAZone.create(zone);
  if (!siteZone.isValid) throw new RangeError(`"${zone}" is not an IANA time zone`);
  const params = { ...DEFAULT_RECOMMENDED, ...input.params };
  const past = workingIntervals(calendar, zone, at - params.lookbackDays * MS_PER_DAY, at);
  const profile = learnProfile(units, past, at, standardRatePerHour, params, siteZone);
  const slotMs = params.slotMinutes * MS_PER_MINUTE;
  let left = hours * MS_PER_HOUR;
  let made = 0;
  for (const interval of workingIntervals(calendar, zone, at, at + 30 * MS_PER_DAY)) {
    const end = Math.min(interval.end, interval.start + left);
    forEachSlotPiece(interval.start, end, slotMs, siteZone, (from, to, slot) => {
      made += ((profile.bySlot.get(slot) ?? profile.overall) * (to - from)) / MS_PER_HOUR;
    });
    left -= end - interval.start;
    if (left <= 0) break;
  }
  const worked = hours * MS_PER_HOUR - left;
  return worked > 0 ? made / (worked / MS_PER_HOUR) : null;
}
