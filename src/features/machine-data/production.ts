// What machine data tells the scheduler: the produced count of the operation running a lot on a
// machine, and its observed rate. Runs inside the ingest batch's transaction.
import type { Executor } from '../../db/database.js';
import { workingIntervals, type CalendarSpec } from '../../core/calendar/index.js';
import { loadCalendarSpec } from '../calendar/repository.js';
import * as plantRepo from '../plant/repository.js';
import { queueState } from '../../core/schedule/index.js';
import { unitCounts } from '../../core/oee/units.js';
import * as repo from './repository.js';
import { MS_PER_DAY, MS_PER_HOUR } from '../../core/time.js';

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
 * Updates the running/queued operations of these lots on the machine: produced and good units by
 * core/oee/units.ts (the operation's scrap are its rejects; good is never below 0), observed rate = parts of the lot in the last N working hours of the
 * calendar (site observedWindowHours; stops inside them count, "downtime included") divided by N.
 * The N hours end at the lot's latest cycle, so a lot imported after the fact gets the rate it
 * actually ran at, not a rate diluted by the hours since. Parts made outside working time within
 * that span count too (they were made). The first cycle sets actual start, and the head of the
 * queue becomes 'running'. A lot without cycles left on the machine (its import undone) goes back to
 * nothing produced. Returns how many operations changed.
 */
export async function updateOperationsForLots(db: Executor, machine: string, lots: readonly string[], zone: string): Promise<number> {
  const operations = await repo.activeOperations(db, machine, lots);
  if (operations.length === 0) return 0;
  const counts = new Map((await repo.getLotCounts(db, machine, [...new Set(operations.map((op) => op.lot))])).map((row) => [row.lot, row]));
  const site = await plantRepo.getSite(db);
  const windowHours = site?.observedWindowHours ?? DEFAULT_OBSERVED_WINDOW_HOURS;
  const calendar = await loadCalendarSpec(db);
  let changed = 0;
  for (const op of operations) {
    const lot = counts.get(op.lot);
    if (!lot) {
      // no cycles of the lot left on the machine (an import was undone): nothing produced here
      await repo.updateOperationProgress(db, op, {
        produced: 0, good: 0, observedRatePerHour: null, actualStart: null, state: queueState({ state: op.state, produced: 0, actual_start: null }, op.position ?? 1),
      });
      changed++;
      continue;
    }
    const { produced, good } = unitCounts({ parts: lot.parts, reworks: lot.reworks, rejects: op.scrap });
    const windowStart = startOfLastWorkingHours(calendar, zone, lot.lastAt, windowHours);
    const recentParts = await repo.countLotParts(db, machine, op.lot, windowStart, lot.lastAt);
    const actualStart = op.actualStart ?? lot.firstAt;
    await repo.updateOperationProgress(db, op, {
      produced,
      good: Math.max(0, good),
      observedRatePerHour: recentParts / windowHours,
      actualStart,
      // the head of the queue is 'running' once production started on it (orders' rule)
      state: queueState({ state: op.state, produced, actual_start: actualStart }, op.position ?? 1),
    });
    changed++;
  }
  return changed;
}
