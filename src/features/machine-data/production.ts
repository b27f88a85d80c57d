// What machine data tells the scheduler: the produced count of the operation running a lot on a
// machine, and its observed rate. Runs inside the ingest batch's transaction; orders writes it.
import type { Executor, Tx } from '../../db/database.js';
import { workingIntervals, type CalendarSpec } from '../../core/calendar/index.js';
import { loadCalendarSpec } from '../calendar/repository.js';
import * as plantRepo from '../plant/repository.js';
import { recordProgress, type LotProgress } from '../orders/progress.js';
import * as repo from './repository.js';
import * as derivedRepo from './derived-repository.js';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE } from '../../core/time.js';
import { DEFAULT_RECOMMENDED, MinuteUnits, recommendedRate } from '../../core/forecast/index.js';

/** How far back the calendar is searched for N working hours before falling back to clock hours. */
const LOOKBACK_DAYS = 42;
export const DEFAULT_OBSERVED_WINDOW_HOURS = 8;

/**
 * Start of the last `hours` working hours of the calendar that end at `anchor` (pure). When the
 * calendar has fewer working hours in the six weeks before, the window is `hours` clock hours.
 */
export function startOfLastWorkingHours(calendar: CalendarSpec, zone: string, anchor: number, hours: number): number {
  let remaining = hours * MS_PER_HOUR;
  const intervals = workingIntervals(calendar, zone, anchor - LOOKBACK_DAYS * MS_PER_DAY, anchor);
  for (let i = intervals.length - 1; i >= 0; i--) {
    const length = intervals[i].end - intervals[i].start;
    if (length >= remaining) return intervals[i].end - remaining;
    remaining -= length;
  }
  return anchor - hours * MS_PER_HOUR;
}

/**
 * Records in orders the progress of the running/queued operations of these lots on the machine
 * (orders/progress.ts recordProgress applies its rules): produced = parts − reworks, observed
 * rate = parts of the lot in the last N working hours of the calendar (site observedWindowHours;
 * stops inside them count, "downtime included") divided by N. The N hours end at the lot's latest
 * cycle, so a lot imported after the fact gets the rate it actually ran at, not a rate diluted by
 * the hours since. Parts made outside working time within that span count too (they were made).
 * A lot without cycles left on the machine (its import undone) goes back to nothing produced.
 * Returns how many operations changed.
 */
export function updateOperationsForLots(db: Tx, machine: string, lots: readonly string[], zone: string): Promise<number> {
  return recordProgress(db, machine, lots, async (active) => {
    const counts = await derivedRepo.getLotCounts(db, machine, active);
    const site = await plantRepo.getSite(db);
    const windowHours = site?.observedWindowHours ?? DEFAULT_OBSERVED_WINDOW_HOURS;
    const calendar = await loadCalendarSpec(db);
    const measured = new Map<string, LotProgress>();
    for (const lot of counts) {
      const windowStart = startOfLastWorkingHours(calendar, zone, lot.lastAt, windowHours);
      const recentParts = await repo.countLotParts(db, machine, lot.lot, windowStart, lot.lastAt);
      const recommendedRatePerHour = await learnedRate(db, machine, lot.item, lot.lastAt, calendar, zone);
      measured.set(lot.lot, { produced: lot.produced, observedRatePerHour: recentParts / windowHours, recommendedRatePerHour, firstAt: lot.firstAt, lastAt: lot.lastAt });
    }
    return measured;
  });
}

/**
 * The machine's learned rate ahead as of the lot's latest cycle (core/forecast recommendedRate):
 * per-minute units of the last days, shrunk toward the standard rate of the product's step on the
 * machine's group. Null when the product or its step is unknown (the plan then uses the standard).
 */
async function learnedRate(db: Executor, machine: string, item: string, at: number, calendar: CalendarSpec, zone: string): Promise<number | null> {
  // as of the start of the latest cycle's minute: the same answer for every batch of that minute
  // (live MQTT stores ~30 batches a second; the rate is for re-planning the next 16 hours)
  const asOf = Math.floor(at / MS_PER_MINUTE) * MS_PER_MINUTE;
  const key = `${machine}\u0001${item}\u0001${asOf}`;
  const known = learnedRates.get(key);
  if (known !== undefined) return known;
  const rate = await learnRate(db, machine, item, asOf, calendar, zone);
  learnedRates.set(key, rate);
  if (learnedRates.size > LEARNED_RATES_KEPT) learnedRates.delete(learnedRates.keys().next().value as string);
  return rate;
}

/**
 * Learned rates by machine, item and minute, per process. A file imported later into earlier days,
 * or an undo, shows in the rate from the next minute on; several instances each keep their own.
 */
const learnedRates = new Map<string, number | null>();
const LEARNED_RATES_KEPT = 512;

async function learnRate(db: Executor, machine: string, item: string, asOf: number, calendar: CalendarSpec, zone: string): Promise<number | null> {
  const productKey = await plantRepo.findProductByItemNumber(db, item);
  const machineRow = await plantRepo.getMachine(db, machine);
  const product = productKey === undefined ? undefined : await plantRepo.getProduct(db, productKey);
  const step = product?.routing.find((s) => s.group === machineRow?.group);
  if (!step) return null;
  const from = Math.floor((asOf - (DEFAULT_RECOMMENDED.lookbackDays + 1) * MS_PER_DAY) / MS_PER_MINUTE) * MS_PER_MINUTE;
  const minutes = (await derivedRepo.minuteRows(db, machine, from, asOf)).map((row) => ({ minute: row.start, units: row.parts - row.reworks }));
  const tail: { at: number; lot: string }[] = [];
  const lots = (await derivedRepo.listLotCounts(db, [machine], from, asOf)).map((row) => ({ lot: row.lot, firstAt: row.firstAt, lastAt: row.lastAt }));
  const units = new MinuteUnits({ at: asOf, minutes, tail, lots });
  const rate = recommendedRate({ at: asOf, units, calendar, zone, standardRatePerHour: step.ratePerHour });
  return rate === null ? null : Math.round(rate * 10) / 10;
}
