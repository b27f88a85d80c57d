// Data of the planning board for one process group and a time window: lanes (machines) with their
// bars, the parking lot of the group, and the non-working time to shade.
import type { RateMode } from '../../core/schedule/types.js';
import type { Executor } from '../../db/database.js';
import { NotFound } from '../../core/errors.js';
import { loadCalendarSpec } from '../calendar/repository.js';
import * as plantRepo from '../plant/repository.js';
import { planningHorizonEnd, WorkingTimeline } from '../../core/schedule/index.js';
import { cachedWorkingTime } from './planner.js';
import * as repo from './repository.js';
import { estimateOf } from './views.js';

export { boardBarSchema, boardSchema, type Board, type BoardBar } from './schemas.js';
import type { Board, BoardBar } from './schemas.js';

export async function getBoard(db: Executor, zone: string, groupKey: string, from: number, to: number, now: number): Promise<Board> {
  const group = await plantRepo.getGroup(db, groupKey);
  if (!group) throw new NotFound('process group', groupKey);
  const machines = await plantRepo.listMachines(db, groupKey);
  const [products, operations, calendar, queues, site, downtime] = await Promise.all([
    plantRepo.listProducts(db),
    repo.listBoardOperations(db, machines.map((m) => m.key), from, to),
    loadCalendarSpec(db),
    repo.queueSummaries(db, machines.map((m) => m.key)),
    plantRepo.getSite(db),
    plantRepo.listMachineDowntime(db, from),
  ]);
  const productByKey = new Map(products.map((p) => [p.key, p]));
  const lanes = new Map(
    machines.map((m) => [m.key, {
      machine: m.key, name: m.name, enabled: m.enabled, queue: queues.get(m.key) ?? { jobs: 0, busyUntil: null, late: 0 }, bars: [] as BoardBar[],
      // planned downtime in the window, drawn on the lane (the plan already works around it)
      downtime: downtime.filter((d) => d.machine === m.key && d.start < to).map((d) => ({ id: d.id, start: d.start, end: d.end, reason: d.reason })),
    }]),
  );
  const lots = await lotEstimates(db, zone, now, [...new Set(operations.map((op) => op.lot))], productByKey, site?.defaultRateMode ?? 'standard', calendar);
  const parked: BoardBar[] = [];
  for (const op of operations) {
    const product = productByKey.get(op.product_key);
    if (!product || product.routing[op.step]?.group !== groupKey || op.state === 'done') continue;
    const bar: BoardBar = {
      lot: op.lot, step: op.step, product: product.key, shortName: product.shortName, color: product.color, quantity: op.quantity,
      produced: op.produced, good: op.good, state: op.state, position: op.position, start: op.forecast_start, end: op.forecast_end,
      ...leadIn(op),
      pinned: op.pinned === 1 && op.state !== 'parked',
      late: op.late === 1, lateRisk: lots.get(op.lot)?.lateRisk ?? false, estimatedEnd: lots.get(op.lot)?.estimatedEnd ?? null, due: op.due, version: op.version,
    };
    if (op.state === 'parked' || !op.machine_key) {
      parked.push(bar);
      continue;
    }
    const lane = lanes.get(op.machine_key);
    // bars outside the window are left out, except unplanned ones (the lane still lists its queue)
    if (lane && (bar.start === null || bar.end === null || (bar.end > from && bar.start < to))) lane.bars.push(bar);
  }
  for (const lane of lanes.values()) lane.bars.sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  parked.sort((a, b) => (a.due ?? Infinity) - (b.due ?? Infinity) || (a.lot < b.lot ? -1 : 1));
  const working = cachedWorkingTime(calendar, zone)(from, to);
  const nonWorking: { start: number; end: number }[] = [];
  let cursor = from;
  for (const w of working) {
    if (w.start > cursor) nonWorking.push({ start: cursor, end: w.start });
    cursor = Math.max(cursor, w.end);
  }
  if (cursor < to) nonWorking.push({ start: cursor, end: to });
  return { group: { key: group.key, name: group.name }, from, to, now, lanes: [...lanes.values()], parked, nonWorking };
}

/** Per lot on the board: at risk by the estimate of its unplanned steps, and that estimated end. */
async function lotEstimates(
  db: Executor,
  zone: string,
  now: number,
  lots: string[],
  products: Map<string, Awaited<ReturnType<typeof plantRepo.listProducts>>[number]>,
  defaultRateMode: RateMode,
  calendar: Awaited<ReturnType<typeof loadCalendarSpec>>,
): Promise<Map<string, { lateRisk: boolean; estimatedEnd: number | null }>> {
  const result = new Map<string, { lateRisk: boolean; estimatedEnd: number | null }>();
  if (lots.length === 0) return result;
  const [workOrders, operations] = await Promise.all([repo.listWorkOrders(db, lots), repo.listOperations(db, lots)]);
  const plant = { products, defaultRateMode, now, timeline: new WorkingTimeline(cachedWorkingTime(calendar, zone), now, planningHorizonEnd(now)) };
  for (const wo of workOrders) {
    const ops = operations.filter((op) => op.lot === wo.lot);
    const estimate = estimateOf(wo, ops, plant);
    const late = ops.some((op) => op.late === 1 && op.state !== 'done');
    result.set(wo.lot, { lateRisk: !late && (estimate?.lateRisk ?? false), estimatedEnd: estimate?.estimated ? estimate.finish : null });
  }
  return result;
}

/** The bar's changeover lead-in: only on a planned bar that has one. */
function leadIn(op: Pick<repo.BoardOperationRow, 'forecast_start' | 'forecast_changeover_minutes' | 'forecast_changeover_end'>): Pick<BoardBar, 'changeoverMinutes' | 'changeoverEnd'> {
  if (op.forecast_start === null || !(op.forecast_changeover_minutes > 0)) return { changeoverMinutes: 0, changeoverEnd: null };
  return { changeoverMinutes: op.forecast_changeover_minutes, changeoverEnd: op.forecast_changeover_end };
}
