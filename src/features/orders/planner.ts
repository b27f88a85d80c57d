// The shell around the pure scheduler: reads the plant and open work orders, plans, stores forecasts.
import type { Db, Executor, Tx } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { workingIntervals, type CalendarSpec, type Interval } from '../../core/calendar/index.js';
import { operationId, plan, type PlanInput, type PlanResult, type RateMode, type WorkingTimeSource } from '../../core/schedule/index.js';
import { loadCalendarSpec } from '../calendar/repository.js';
import * as plantRepo from '../plant/repository.js';
import * as repo from './repository.js';
import { MS_PER_DAY } from '../../core/time.js';

export interface PlanSnapshot {
  input: PlanInput;
  workOrders: repo.WorkOrderRow[];
  operations: repo.OperationRow[];
}

/** working time is computed and kept per UTC week: a re-plan mostly asks for weeks an earlier one computed */
const CHUNK_MS = 7 * MS_PER_DAY;
/** per calendar: a bit over the 3-year planning horizon; beyond that the oldest weeks are dropped */
const MAX_CHUNKS = 200;
const MAX_CALENDARS = 8;
const workingTimeCache = new Map<string, Map<number, Interval[]>>();

/**
 * The site's working time as a source for the scheduler, equal to workingIntervals(calendar, zone,
 * from, to) but remembered per week across re-plans: converting shifts to UTC through Luxon was a
 * good part of every re-plan, and the calendar rarely changes. Keyed by the calendar's content, so
 * an edited calendar is a new entry.
 */
export function cachedWorkingTime(calendar: CalendarSpec, zone: string): WorkingTimeSource {
  const key = `${zone}\u0000${JSON.stringify(calendar)}`;
  let chunks = workingTimeCache.get(key);
  if (!chunks) {
    if (workingTimeCache.size >= MAX_CALENDARS) workingTimeCache.delete(workingTimeCache.keys().next().value!);
    chunks = new Map();
    workingTimeCache.set(key, chunks);
  }
  const chunkAt = (chunkStart: number): Interval[] => {
    let intervals = chunks.get(chunkStart);
    if (!intervals) {
      if (chunks.size >= MAX_CHUNKS) chunks.delete(chunks.keys().next().value!);
      intervals = workingIntervals(calendar, zone, chunkStart, chunkStart + CHUNK_MS);
      chunks.set(chunkStart, intervals);
    }
    return intervals;
  };
  return (from, to) => {
    const result: Interval[] = [];
    if (!(to > from)) return result;
    for (let chunkStart = Math.floor(from / CHUNK_MS) * CHUNK_MS; chunkStart < to; chunkStart += CHUNK_MS) {
      for (const interval of chunkAt(chunkStart)) {
        const start = Math.max(interval.start, from);
        const end = Math.min(interval.end, to);
        if (end <= start) continue;
        const last = result[result.length - 1];
        // a shift running over a week seam comes in two pieces: join them as workingIntervals would
        if (last && start <= last.end) last.end = Math.max(last.end, end);
        else result.push({ start, end });
      }
    }
    return result;
  };
}

/** Everything the scheduler needs, read in one go. */
export async function loadPlanSnapshot(db: Executor, zone: string, now: number): Promise<PlanSnapshot> {
  const [site, calendar, machines, products, workOrders, operations, changeovers, setFamilies, downtime] = await Promise.all([
    plantRepo.getSite(db),
    loadCalendarSpec(db),
    plantRepo.listMachines(db),
    plantRepo.listProducts(db),
    repo.listWorkOrders(db),
    repo.listOperations(db),
    plantRepo.listChangeoverRules(db),
    plantRepo.machineLastFamilies(db),
    plantRepo.listMachineDowntime(db, now),
  ]);
  const unavailable = new Map<string, { start: number; end: number }[]>();
  for (const d of downtime) unavailable.set(d.machine, [...(unavailable.get(d.machine) ?? []), { start: d.start, end: d.end }]);
  const lastFamilies = machineLastFamilies(setFamilies, operations, workOrders, products);
  const defaultMode: RateMode = site?.defaultRateMode ?? 'standard';
  const opsByLot = new Map<string, repo.OperationRow[]>();
  for (const op of operations) {
    const list = opsByLot.get(op.lot);
    if (list) list.push(op);
    else opsByLot.set(op.lot, [op]);
  }
  const input: PlanInput = {
    now,
    working: cachedWorkingTime(calendar, zone),
    // disabled machines stay in: their queue is empty (disabling one with jobs is refused) and nothing new can be loaded on them
    // planned downtime (plant feature) comes out of the machine's own working time
    machines: machines.map((m) => ({ key: m.key, group: m.group, lastFamily: lastFamilies.get(m.key) ?? null, ...(unavailable.has(m.key) ? { unavailable: unavailable.get(m.key) } : {}) })),
    products: products.map((p) => ({
      key: p.key,
      family: p.family ?? p.key,
      routing: p.routing.map((s) => ({ group: s.group, ratePerHour: s.ratePerHour, setupMinutes: s.setupMinutes, gateHours: s.gate?.hours ?? 0 })),
    })),
    workOrders: workOrders.map((wo) => ({
      lot: wo.lot,
      product: wo.product_key,
      quantity: wo.quantity,
      due: wo.due,
      rateMode: wo.rate_mode ?? defaultMode,
      operations: (opsByLot.get(wo.lot) ?? []).map((op) => ({
        step: op.step,
        machine: op.state === 'parked' || op.state === 'done' ? null : op.machine_key,
        position: op.position,
        state: op.state,
        produced: op.produced,
        observedRatePerHour: op.observed_rate_per_hour,
        recommendedRatePerHour: op.recommended_rate_per_hour,
        actualStart: op.actual_start,
        actualEnd: op.actual_end,
        pinned: op.pinned === 1,
      })),
    })),
    changeovers,
  };
  return { input, workOrders, operations };
}

/**
 * The family each machine ran last, as far as anyone knows: the planner's setting, unless a job on
 * the machine finished after it was set — then that job's product family (the most recent finish
 * wins); nothing when neither is known. A cleared setting (null) stands until a later job finishes.
 */
export function machineLastFamilies(
  set: ReadonlyMap<string, { family: string | null; setAt: number | null }>,
  operations: readonly Pick<repo.OperationRow, 'lot' | 'state' | 'machine_key' | 'actual_end'>[],
  workOrders: readonly Pick<repo.WorkOrderRow, 'lot' | 'product_key'>[],
  products: readonly { key: string; family?: string | null }[],
): Map<string, string | null> {
  const productOfLot = new Map(workOrders.map((wo) => [wo.lot, wo.product_key]));
  const familyOfProduct = new Map(products.map((p) => [p.key, p.family ?? p.key]));
  const lastFinished = new Map<string, { at: number; lot: string }>();
  for (const op of operations) {
    if (op.state !== 'done' || op.machine_key === null || op.actual_end === null) continue;
    const known = lastFinished.get(op.machine_key);
    if (!known || op.actual_end > known.at) lastFinished.set(op.machine_key, { at: op.actual_end, lot: op.lot });
  }
  const result = new Map<string, string | null>();
  for (const machine of new Set([...set.keys(), ...lastFinished.keys()])) {
    const setting = set.get(machine);
    const finished = lastFinished.get(machine);
    const finishedFamily = finished ? familyOfProduct.get(productOfLot.get(finished.lot) ?? '') : undefined;
    if (finished && finishedFamily !== undefined && (setting?.setAt == null || finished.at > setting.setAt)) result.set(machine, finishedFamily);
    else result.set(machine, setting?.family ?? null);
  }
  return result;
}

/** Re-plans the whole plant (cross-machine dependencies make "only this machine" wrong) and writes the forecasts that changed. */
/** Told how long each re-plan's scheduler run took (the server's metrics); see observeReplans. */
const replanListeners = new Set<(run: { ms: number; operations: number }) => void>();

/** Calls `listener` with the duration of every re-plan (inputs read, scheduled, forecasts written) in this process; returns the function that stops it. */
export function observeReplans(listener: (run: { ms: number; operations: number }) => void): () => void {
  replanListeners.add(listener);
  return () => replanListeners.delete(listener);
}

export async function replan(db: Executor, zone: string, now: number): Promise<{ result: PlanResult; changed: number }> {
  const started = performance.now();
  const snapshot = await loadPlanSnapshot(db, zone, now);
  const result = plan(snapshot.input);
  const stored = new Map(snapshot.operations.map((op) => [operationId(op), op]));
  const changes = result.operations.filter((p) => {
    const op = stored.get(operationId(p));
    if (!op || op.state === 'done') return false;
    return (
      op.forecast_start !== p.start ||
      op.forecast_end !== p.end ||
      (op.late === 1) !== p.late ||
      op.forecast_changeover_minutes !== p.changeoverMinutes ||
      op.forecast_changeover_end !== p.changeoverEnd
    );
  });
  // in key order, so two writers of overlapping forecasts lock their rows in the same order
  changes.sort((a, b) => (a.lot < b.lot ? -1 : a.lot > b.lot ? 1 : a.step - b.step));
  await repo.writeForecasts(db, changes);
  // the whole run: reading the plan's inputs, the scheduler, writing the forecasts that changed
  const ms = performance.now() - started;
  for (const listener of replanListeners) listener({ ms, operations: result.operations.length });
  return { result, changed: changes.length };
}

/**
 * A transaction that changes machine queues or forecasts. It takes the machines' locks before it
 * reads anything (so what it reads is what the previous change committed, also under MySQL's
 * repeatable read), which makes such changes run one at a time — no deadlock, no two jobs on one
 * position — and retries a deadlock with another writer a bounded number of times.
 */
export function planTransaction<T>(db: Db, fn: (trx: Tx) => Promise<T>): Promise<T> {
  return inTransaction(db, async (trx) => {
    await plantRepo.lockMachines(trx);
    return fn(trx);
  });
}
