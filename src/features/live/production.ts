// The deltas a 'production' live event carries (schemas.ts): worked out once per published event,
// for the machines it names, before the event goes to every open stream — not once per screen.
// A handful of indexed reads per machine (its state, queue, latest lot, today's minute counts);
// nothing here re-plans or computes OEE, so it keeps up with events a second apart.
import { DateTime } from 'luxon';
import type { Executor } from '../../db/database.js';
import { MS_PER_MINUTE } from '../../core/time.js';
import { workingIntervals } from '../../core/calendar/index.js';
import { loadCalendarSpec } from '../calendar/repository.js';
import * as plantRepo from '../plant/repository.js';
import * as ordersRepo from '../orders/repository.js';
import * as derivedRepo from '../machine-data/derived-repository.js';
import { machineStates } from '../machine-data/machine-state.js';
import { resolveProfile } from '../oee/service.js';
import { currentShift, RATE_WINDOW_MS } from '../tv/service.js';
import type { LiveJob, MachineDelta, ProductionEventData } from './schemas.js';

/** The delta of each known machine of `machines` as of `now` (unknown keys are left out). */
export async function productionDeltas(db: Executor, zone: string, machines: readonly string[], now: number): Promise<MachineDelta[]> {
  const calendar = await loadCalendarSpec(db);
  const dayStart = DateTime.fromMillis(now, { zone }).startOf('day').toMillis();
  const shiftNow = currentShift(workingIntervals(calendar, zone, dayStart, now + 1), now);
  const shift = shiftNow && { from: shiftNow.interval.start, to: Math.min(shiftNow.interval.end, now) };
  const rateFrom = Math.floor((now - RATE_WINDOW_MS) / MS_PER_MINUTE) * MS_PER_MINUTE;
  const deltas: MachineDelta[] = [];
  for (const key of new Set(machines)) {
    const machine = await plantRepo.getMachine(db, key);
    if (!machine) continue;
    const profile = await resolveProfile(db, machine.oeeProfile, 'machine.oeeProfile');
    const [run] = await machineStates(db, [{ key, thresholdMs: profile.availabilityLossSeconds * 1000 }], now);
    const queue = await ordersRepo.machineQueue(db, key);
    const op = queue.find((o) => o.state === 'running') ?? queue[0] ?? null;
    const workOrder = op ? await ordersRepo.getWorkOrder(db, op.lot) : undefined;
    const lot = (await derivedRepo.latestLotCount(db, key)) ?? null;
    // one read serves the day's, the shift's and the last 15 minutes' counts (the rate window may start yesterday)
    const minutes = await derivedRepo.minuteRows(db, key, Math.min(dayStart, rateFrom), now + 1);
    const sum = (from: number) => minutes.reduce((total, m) => (m.start >= from ? total + m.parts : total), 0);
    const job: LiveJob | null =
      op && workOrder
        ? {
            lot: op.lot, step: op.step, state: op.state, quantity: workOrder.quantity, produced: op.produced, good: op.good, remaining: Math.max(0, workOrder.quantity - op.produced),
            forecastEnd: op.forecast_end, late: op.late === 1 || (workOrder.due !== null && op.forecast_end !== null && op.forecast_end > workOrder.due),
          }
        : null;
    deltas.push({
      machine: key,
      run,
      lot,
      job,
      ratePerHour: run.lastCycleAt === null ? null : (sum(rateFrom) * 3600_000) / RATE_WINDOW_MS,
      partsToday: sum(dayStart),
      // minute rows of the shift: a shift starts on a whole minute in every calendar the app accepts
      partsShift: shift ? minutes.reduce((total, m) => (m.start >= Math.floor(shift.from / MS_PER_MINUTE) * MS_PER_MINUTE && m.start < shift.to ? total + m.parts : total), 0) : null,
      working: shiftNow?.working ?? false,
      shift,
    });
  }
  return deltas;
}

/**
 * Adds the deltas to a production event's data that names machines (`{ machines, cycles }`, as
 * machine data publishes after an ingest or an undo); other production events (a profile or stop
 * reason changed) pass unchanged: screens refetch on them.
 */
export async function withProductionDeltas(db: Executor, zone: string, data: unknown, now: number): Promise<unknown> {
  const named = data as Partial<ProductionEventData> | undefined;
  if (!named || !Array.isArray(named.machines) || typeof named.cycles !== 'number') return data;
  const machines = named.machines.filter((m): m is string => typeof m === 'string');
  return { ...named, at: now, deltas: await productionDeltas(db, zone, machines, now) };
}
