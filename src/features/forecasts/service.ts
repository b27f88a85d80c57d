// The forecast of a work order as of a moment (GET /api/work-orders/:lot/forecast?at=): the same
// core code and the same answer shape as `qmfg forecast`, one element of its array, plus the step
// and machine it is about.
//
// Which operation: the lot's running operation; when none runs, its first operation loaded on a
// machine that is not done; when every loaded one is done, the last one that ran (so a finished
// lot can still be asked what was forecast while it ran). A lot with no operation on a machine has
// nothing to forecast from: 404 naming why.
import { forecastLot, MinuteUnits, type LotForecast } from '../../core/forecast/index.js';
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
