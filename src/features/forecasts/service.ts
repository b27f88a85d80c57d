// The forecast of a work order as of a moment (GET /api/work-orders/:lot/forecast?at=): the same
// core code and the same answer shape as `qmfg forecast`, one element of its array, plus the step
// and machine it is about.
//
// Which operation: the lot's running operation; when none runs, its first operation loaded on a
// machine that is not done; when every loaded one is done, the last one that ran (so a finished
// lot can still be asked what was forecast while it ran). A lot with no operation on a machine has
// nothing to forecast from: 404 naming why.
import { accuracyReport, forecastLot, MinuteUnits, type AccuracyRow, type LotForecast } from '../../core/forecast/index.js';
import { followEvents, type EventSource } from '../../core/follow-events.js';
import { NotFound } from '../../core/errors.js';
import { MS_PER_DAY, MS_PER_MINUTE } from '../../core/time.js';
import { DEFAULT_RECOMMENDED } from '../../core/forecast/index.js';
import type { Executor } from '../../db/database.js';
import { loadCalendarSpec } from '../calendar/repository.js';
import * as ordersRepo from '../orders/repository.js';
import * as plantRepo from '../plant/repository.js';
import * as repo from './repository.js';

export interface WorkOrderForecast extends LotForecast {
  step: number;
  machine: string;
}

export async function forecastWorkOrder(db: Executor, zone: string, lot: string, at: number): Promise<WorkOrderForecast> {
  const workOrder = await ordersRepo.getWorkOrder(db, lot);
  if (!workOrder) throw new NotFound('work order', lot);
  const operations = (await ordersRepo.listOperations(db, [lot])).sort((a, b) => a.step - b.step);
  const loaded = operations.filter((op) => op.machine_key !== null);
  const operation =
    loaded.find((op) => op.state === 'running') ??
    loaded.find((op) => op.state !== 'done') ??
    [...loaded].reverse().find((op) => op.state === 'done');
  if (!operation || operation.machine_key === null) throw new NotFound('operation on a machine of work order', lot);
  const machine = operation.machine_key;
  const product = await plantRepo.getProduct(db, workOrder.product_key);
  const routingStep = product?.routing[operation.step];
  if (!routingStep) throw new NotFound(`routing step ${operation.step} of product`, workOrder.product_key);

  const lots = await repo.lotSpans(db, machine);
  const lotSpan = lots.find((entry) => entry.lot === lot);
  const cut = Math.floor(at / MS_PER_MINUTE) * MS_PER_MINUTE;
  // history the recommended method reads (lookback), and the lot's whole run for its produced count
  const from = Math.min(at - DEFAULT_RECOMMENDED.lookbackDays * MS_PER_DAY - MS_PER_DAY, lotSpan?.firstAt ?? at);
  const [minutes, tail, calendar] = await Promise.all([
    repo.minuteUnits(db, machine, Math.floor(from / MS_PER_MINUTE) * MS_PER_MINUTE, cut),
    repo.unitsBetween(db, machine, cut, at),
    loadCalendarSpec(db),
  ]);
  const units = new MinuteUnits({ at, minutes, tail, lots });
  const result = forecastLot({ at, lot, quantity: workOrder.quantity, standardRatePerHour: routingStep.ratePerHour, units, calendar, zone });
  return { ...result, step: operation.step, machine };
}

/** A forecast is recorded again when one of its ends moved by at least this much. */
export const RECORD_CHANGE_MS = 60_000;

const moved = (a: number | null, b: number | null) => (a === null || b === null ? a !== b : Math.abs(a - b) >= RECORD_CHANGE_MS);

/**
 * Records, for the running operation of each machine, the forecast as of `now` when it changed
 * from the one in force then (the latest recorded at or before `now`): any end moved ≥ 1 min, or
 * produced changed. Returns rows written.
 */
export async function recordForecasts(db: Executor, zone: string, machines: readonly string[], now: number): Promise<number> {
  let written = 0;
  for (const machine of machines) {
    const running = (await ordersRepo.machineQueue(db, machine)).find((op) => op.state === 'running');
    if (!running) continue;
    const result = await forecastWorkOrder(db, zone, running.lot, now);
    if (result.step !== running.step || result.machine !== machine) continue;
    const last = await repo.latestForecast(db, running.lot, running.step, now);
    if (last && last.at === Math.round(now)) continue;
    if (last && last.produced === result.produced && !moved(last.forecastEnd, result.forecast.end) && !moved(last.standardEnd, result.standard.end) && !moved(last.observedEnd, result.observed.end)) continue;
    await repo.insertForecast(db, {
      lot: running.lot, step: running.step, machine, at: now, produced: result.produced, remaining: result.remaining,
      standardEnd: result.standard.end, observedEnd: result.observed.end, observedRatePerHour: result.observed.ratePerHour, forecastEnd: result.forecast.end, method: result.forecast.method,
    });
    written++;
  }
  return written;
}

export async function forecastHistoryOf(db: Executor, lot: string): Promise<repo.ForecastHistoryRow[]> {
  if (!(await ordersRepo.getWorkOrder(db, lot))) throw new NotFound('work order', lot);
  return repo.forecastHistory(db, lot);
}

/**
 * Follows new production (the 'production' live event) and records the changed forecasts, one
 * run at a time; wired in src/server/app.ts. Returns the unsubscribe function.
 */
export function followProduction(
  db: Executor,
  zone: string,
  hub: EventSource,
  log: { error(message: string): void },
  clock: () => number = Date.now,
): { stop: () => void; idle: () => Promise<void> } {
  return followEvents(
    hub,
    (event) => {
      if (event.topic !== 'production') return undefined;
      const machines = (event.data as { machines?: unknown } | undefined)?.machines;
      return Array.isArray(machines) ? machines.filter((m): m is string => typeof m === 'string') : undefined;
    },
    (machines) => recordForecasts(db, zone, machines, clock()),
    (error) => log.error(`recording forecasts failed: ${error.message}`),
  );
}

/** Each method's mean absolute error per machine and product, over the finished operations' recorded forecasts. */
export async function forecastAccuracy(db: Executor): Promise<AccuracyRow[]> {
  const finished = (await ordersRepo.listOperations(db)).filter((op) => op.state === 'done' && op.actual_end !== null && op.machine_key !== null);
  if (finished.length === 0) return [];
  const workOrders = new Map((await ordersRepo.listWorkOrders(db, [...new Set(finished.map((op) => op.lot))])).map((wo) => [wo.lot, wo]));
  const items = [];
  for (const op of finished) {
    const forecasts = (await repo.forecastHistory(db, op.lot, op.step)).filter((row) => row.at <= Number(op.actual_end));
    items.push({ machine: op.machine_key as string, product: workOrders.get(op.lot)?.product_key ?? '', lot: op.lot, actualEnd: Number(op.actual_end), forecasts });
  }
  return accuracyReport(items);
}
