// The plan as it stood at each shift start of the site calendar, recorded once per shift start.
//
// Why a table and not forecast_history: the history records only running lots' forecast ends when
// they change — no forecast start, no queued operations, nothing for a machine whose plan did not
// move — so "the plan at 06:00" cannot be rebuilt from it. Here every instance, on its alert timer
// (every QMFG_ALERT_INTERVAL_SECONDS) and after each settled re-plan, checks whether the shift it is
// in has a baseline; the first to insert the shift's claim row (primary key) writes the planned bars
// in the same transaction, the others fail on the key and skip. The plan read then is the stored
// forecast, i.e. what the last re-plan before (or at) that moment said.
import type { Db } from '../../db/database.js';
import { followEvents, type EventSource } from '../../core/follow-events.js';
import type { CalendarSpec } from '../../core/calendar/index.js';
import { bucketsOf } from '../../core/oee/buckets.js';
import { MS_PER_DAY, MS_PER_HOUR } from '../../core/time.js';
import { loadCalendarSpec } from '../calendar/repository.js';
import * as ordersRepo from '../orders/repository.js';
import * as repo from './repository.js';

/** How far past the shift's end planned bars are kept (the next shift's start needs the rest). */
export const BASELINE_LOOKAHEAD_MS = 24 * MS_PER_HOUR;

export interface Shift {
  start: number;
  end: number;
}

/** The site calendar's shifts overlapping [from, to), whole (back-to-back shifts stay apart). */
export function shiftsOverlapping(calendar: CalendarSpec, zone: string, from: number, to: number): Shift[] {
  const buckets = bucketsOf('shift', from - MS_PER_DAY, to + MS_PER_DAY, zone, calendar, 20_000) ?? [];
  return buckets.filter((b) => b.to > from && b.from < to).map((b) => ({ start: b.from, end: b.to }));
}

/** The shift holding `now`, or null outside working time. */
export function shiftAt(calendar: CalendarSpec, zone: string, now: number): Shift | null {
  return shiftsOverlapping(calendar, zone, now, now + 1).find((s) => s.start <= now && now < s.end) ?? null;
}

/** Per database: shift starts this process knows are recorded (saves the read on every tick). */
const knownByDb = new WeakMap<Db, Set<number>>();

/**
 * Records the plan as it stands now for the shift `now` lies in, unless that shift already has one.
 * Returns the shift start when this call wrote it, else null.
 */
export async function recordShiftBaseline(db: Db, zone: string, now: number): Promise<number | null> {
  const known = knownByDb.get(db) ?? new Set<number>();
  knownByDb.set(db, known);
  const calendar = await loadCalendarSpec(db);
  const shift = shiftAt(calendar, zone, now);
  if (!shift || known.has(shift.start)) return null;
  if (await repo.baselineShiftExists(db, shift.start)) {
    known.add(shift.start);
    return null;
  }
  try {
    await db.transaction().execute(async (trx) => {
      // the claim first: a second instance blocks here, then fails on the key and rolls back
      await repo.insertBaselineShift(trx, { shiftStart: shift.start, shiftEnd: shift.end, takenAt: now });
      const operations = await ordersRepo.listOperations(trx);
      const workOrders = new Map((await ordersRepo.listWorkOrders(trx)).map((wo) => [wo.lot, wo]));
      const bars: repo.BaselineBarRow[] = [];
      for (const op of operations) {
        if ((op.state !== 'queued' && op.state !== 'running') || op.machine_key === null || op.forecast_start === null || op.forecast_end === null) continue;
        if (op.forecast_end <= shift.start || op.forecast_start >= shift.end + BASELINE_LOOKAHEAD_MS) continue;
        const quantity = workOrders.get(op.lot)?.quantity ?? 0;
        bars.push({ shiftStart: shift.start, lot: op.lot, step: op.step, machine: op.machine_key, start: op.forecast_start, end: op.forecast_end, remaining: Math.max(0, quantity - op.produced), state: op.state });
      }
      await repo.insertBaselineBars(trx, bars);
    });
  } catch (error) {
    // another instance wrote it meanwhile: theirs stands
    if (await repo.baselineShiftExists(db, shift.start)) {
      known.add(shift.start);
      return null;
    }
    throw error;
  }
  known.add(shift.start);
  return shift.start;
}

/** Follows settled schedule and production events: the first re-plan in a new shift records its baseline (the timer catches the rest). */
export function followReplans(
  db: Db,
  zone: string,
  hub: EventSource,
  log: { error(message: string): void },
  clock: () => number = Date.now,
): { stop: () => void; idle: () => Promise<void> } {
  return followEvents(
    hub,
    (event) => (event.topic === 'schedule' || event.topic === 'production' ? true : undefined),
    () => recordShiftBaseline(db, zone, clock()),
    (error) => log.error(`recording the shift-start plan failed: ${error.message}`),
  );
}
