// The plan optimiser (issue 15): suggests machine assignments for parked operations and new
// sequences for unfrozen queued ones. Placeholder surface; the search lands in the next commit.
import { ScheduleModel } from './scheduler.js';
import type { PlanInput, PlanResult } from './types.js';
import { MS_PER_HOUR } from '../time.js';

export interface PlanKpis {
  /** sum over work orders of hours past due (a work order's end is its last step's end) */
  totalTardinessHours: number;
  lateWorkOrders: number;
  changeoverHours: number;
  /** the last planned end; null when nothing is planned */
  lastEnd: number | null;
  /** operations left without a forecast (parked, held, beyond the horizon …); their work orders count no tardiness */
  unplannedOperations: number;
}

export interface OptimizeOptions {
  /** seed of the search's random stream (default 1) */
  seed?: number;
  /** wall-clock budget in ms (default 5000) */
  timeLimitMs?: number;
  /** iteration budget; with it, the result depends only on input, seed and budget */
  iterations?: number;
  /** queued operations starting within this many hours of now keep machine and order (default 0) */
  frozenHours?: number;
  /** penalise moving already-queued operations */
  nonDisruptive?: boolean;
}

export interface OptimizeResult {
  /** the suggested plan, machine of every operation included */
  result: PlanResult;
  kpis: PlanKpis;
  /** the plan as the planner left it (parked operations unplanned) */
  current: PlanResult;
  currentKpis: PlanKpis;
  iterations: number;
  /** the search stopped because the plan met a lower bound */
  provedOptimal: boolean;
  elapsedMs: number;
}

export function kpisOf(model: ScheduleModel): PlanKpis {
  let tardinessMs = 0;
  let lateWorkOrders = 0;
  let changeoverMs = 0;
  let lastEnd: number | null = null;
  let workOrderEnd: number | null = null;
  let unplannedOperations = 0;
  for (const node of model.nodes) {
    if (node.status === 'unplanned') unplannedOperations += 1;
    if (node.step === 0) workOrderEnd = null;
    if (node.end !== null && node.status !== 'done') {
      if (lastEnd === null || node.end > lastEnd) lastEnd = node.end;
    }
    changeoverMs += node.changeoverMs;
    if (node.end !== null) workOrderEnd = workOrderEnd === null ? node.end : Math.max(workOrderEnd, node.end);
    if (node.successor === null) {
      const due = node.workOrder.due;
      if (due !== null && workOrderEnd !== null && workOrderEnd > due) {
        tardinessMs += workOrderEnd - due;
        lateWorkOrders += 1;
      }
    }
  }
  return { totalTardinessHours: tardinessMs / MS_PER_HOUR, lateWorkOrders, changeoverHours: changeoverMs / MS_PER_HOUR, lastEnd, unplannedOperations };
}

export function optimize(input: PlanInput, _options: OptimizeOptions = {}): OptimizeResult {
  const started = Date.now();
  const model = new ScheduleModel(input);
  model.run();
  const current = model.result();
  const currentKpis = kpisOf(model);
  return { result: current, kpis: currentKpis, current, currentKpis, iterations: 0, provedOptimal: false, elapsedMs: Date.now() - started };
}
