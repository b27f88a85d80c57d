// Turns stored rows into the API's work-order view (names, derived status, ISO instants, progress
// and the estimate of steps that are not planned yet).
import type { RateMode } from '../../core/schedule/types.js';
import { estimateCompletion, workOrderProgress, type CompletionEstimate, type WorkingTimeline } from '../../core/schedule/index.js';
import type { Machine, ProcessGroup, Product } from '../plant/schemas.js';
import type { OperationRow, WorkOrderRow } from './repository.js';
import type { OperationView, WorkOrder } from './schemas.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export interface PlantLookup {
  products: Map<string, Product>;
  groups: Map<string, ProcessGroup>;
  machines: Map<string, Machine>;
  defaultRateMode: RateMode;
  /** the site's working time from `now` on, for the estimate of unplanned steps */
  timeline: WorkingTimeline;
  now: number;
}

/** The estimated completion of a work order from its stored operations (see core/schedule/estimate). */
export function estimateOf(
  wo: Pick<WorkOrderRow, 'lot' | 'quantity' | 'due' | 'rate_mode' | 'product_key'>,
  ops: readonly Pick<OperationRow, 'step' | 'state' | 'produced' | 'observed_rate_per_hour' | 'forecast_start' | 'forecast_end' | 'actual_start' | 'actual_end'>[],
  plant: Pick<PlantLookup, 'products' | 'defaultRateMode' | 'timeline' | 'now'>,
): CompletionEstimate | null {
  const product = plant.products.get(wo.product_key);
  if (!product) return null;
  return estimateCompletion({
    now: plant.now,
    timeline: plant.timeline,
    workOrder: { lot: wo.lot, quantity: wo.quantity, due: wo.due, rateMode: wo.rate_mode ?? plant.defaultRateMode },
    routing: product.routing.map((s) => ({ group: s.group, ratePerHour: s.ratePerHour, setupMinutes: s.setupMinutes, gateHours: s.gate?.hours ?? 0 })),
    operations: ops.map((op) => ({
      step: op.step,
      state: op.state,
      produced: op.produced,
      observedRatePerHour: op.observed_rate_per_hour,
      forecastStart: op.forecast_start,
      forecastEnd: op.forecast_end,
      actualStart: op.actual_start,
      actualEnd: op.actual_end,
    })),
  });
}

/** The planned changeover of an operation that is still to run (a done one's forecast is history). */
function changeoverOf(op: Pick<OperationRow, 'state' | 'forecast_start' | 'forecast_changeover_minutes' | 'forecast_changeover_end'>): { changeoverMinutes: number; changeoverEnd: string | null } {
  if (op.state === 'done' || op.forecast_start === null || !(op.forecast_changeover_minutes > 0)) return { changeoverMinutes: 0, changeoverEnd: null };
  return { changeoverMinutes: op.forecast_changeover_minutes, changeoverEnd: iso(op.forecast_changeover_end) };
}

export function deriveStatus(ops: OperationRow[]): WorkOrder['status'] {
  if (ops.length > 0 && ops.every((o) => o.state === 'done')) return 'done';
  if (ops.some((o) => o.state === 'held')) return 'held';
  if (ops.some((o) => o.state === 'running' || o.state === 'done' || o.produced > 0)) return 'in-progress';
  if (ops.every((o) => o.state === 'parked')) return 'parked';
  return 'planned';
}

/** `signed`: the work order carries a signature or a released gate (see authRepo.listSignedLots). */
export function toWorkOrderView(wo: WorkOrderRow, ops: OperationRow[], plant: PlantLookup, signed = false): WorkOrder {
  const product = plant.products.get(wo.product_key);
  const estimate = estimateOf(wo, ops, plant);
  const operations: OperationView[] = ops
    .sort((a, b) => a.step - b.step)
    .map((op) => {
      const estimated = estimate?.steps.find((s) => s.step === op.step && s.estimated);
      const step = product?.routing[op.step];
      const group = step ? plant.groups.get(step.group) : undefined;
      const machine = op.machine_key ? plant.machines.get(op.machine_key) : undefined;
      return {
        step: op.step,
        group: step?.group ?? '',
        groupName: group?.name ?? step?.group ?? '',
        state: op.state,
        machine: op.machine_key,
        machineName: machine?.name ?? op.machine_key,
        position: op.position,
        produced: op.produced,
        good: op.good,
        scrap: op.scrap,
        ratePerHour: step?.ratePerHour ?? 0,
        observedRatePerHour: op.observed_rate_per_hour,
        gate: step?.gate ?? null,
        forecastStart: iso(op.state === 'done' ? op.actual_start : op.forecast_start),
        forecastEnd: iso(op.state === 'done' ? op.actual_end : op.forecast_end),
        ...changeoverOf(op),
        pinned: op.pinned === 1 && op.state !== 'parked' && op.state !== 'done',
        late: op.late === 1 && op.state !== 'done',
        estimatedStart: iso(estimated?.start ?? null),
        estimatedEnd: iso(estimated?.end ?? null),
        actualStart: iso(op.actual_start),
        actualEnd: iso(op.actual_end),
      };
    });
  const last = operations[operations.length - 1];
  const progress = workOrderProgress(operations);
  const late = operations.some((o) => o.late);
  return {
    lot: wo.lot,
    product: wo.product_key,
    productName: product?.name ?? wo.product_key,
    itemNumber: product?.itemNumber ?? '',
    color: product?.color ?? '#888888',
    quantity: wo.quantity,
    due: iso(wo.due),
    priority: wo.priority,
    notes: wo.notes,
    rateMode: wo.rate_mode,
    effectiveRateMode: wo.rate_mode ?? plant.defaultRateMode,
    status: deriveStatus(ops),
    late,
    lateRisk: !late && (estimate?.lateRisk ?? false),
    forecastEnd: last?.forecastEnd ?? null,
    estimatedEnd: estimate?.estimated ? iso(estimate.finish) : null,
    produced: progress.good,
    producedStep: progress.step,
    signed,
    operations,
    version: wo.version,
    createdAt: new Date(wo.created_at).toISOString(),
    updatedAt: new Date(wo.updated_at).toISOString(),
  };
}
