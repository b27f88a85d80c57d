// Turns stored rows into the API's work-order view (names, derived status, ISO instants).
import type { Machine, ProcessGroup, Product } from '../plant/schemas.js';
import type { OperationRow, WorkOrderRow } from './repository.js';
import type { OperationView, WorkOrder } from './schemas.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export interface PlantLookup {
  products: Map<string, Product>;
  groups: Map<string, ProcessGroup>;
  machines: Map<string, Machine>;
  defaultRateMode: 'standard' | 'observed';
}

export function deriveStatus(ops: OperationRow[]): WorkOrder['status'] {
  if (ops.length > 0 && ops.every((o) => o.state === 'done')) return 'done';
  if (ops.some((o) => o.state === 'held')) return 'held';
  if (ops.some((o) => o.state === 'running' || o.state === 'done' || o.produced > 0)) return 'in-progress';
  if (ops.every((o) => o.state === 'parked')) return 'parked';
  return 'planned';
}

export function toWorkOrderView(wo: WorkOrderRow, ops: OperationRow[], plant: PlantLookup): WorkOrder {
  const product = plant.products.get(wo.product_key);
  const operations: OperationView[] = ops
    .sort((a, b) => a.step - b.step)
    .map((op) => {
      const step = product?.routing[op.step];
      const group = step ? plant.groups.get(step.group) : undefined;
      const machine = op.machine_key ? plant.machines.get(op.machine_key) : undefined;
      return {
        step: op.step,
        group: step?.group ?? '',
        groupName: group?.name ?? step?.group ?? '',
        state: op.state as OperationView['state'],
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
        late: op.late === 1 && op.state !== 'done',
        actualStart: iso(op.actual_start),
        actualEnd: iso(op.actual_end),
      };
    });
  const last = operations[operations.length - 1];
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
    rateMode: (wo.rate_mode as WorkOrder['rateMode']) ?? null,
    effectiveRateMode: ((wo.rate_mode as WorkOrder['rateMode']) ?? plant.defaultRateMode) as WorkOrder['effectiveRateMode'],
    status: deriveStatus(ops),
    late: operations.some((o) => o.late),
    forecastEnd: last?.forecastEnd ?? null,
    produced: last ? last.produced : 0,
    operations,
    version: wo.version,
    createdAt: new Date(wo.created_at).toISOString(),
    updatedAt: new Date(wo.updated_at).toISOString(),
  };
}
