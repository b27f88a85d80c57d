// What every exception finder reads: the plan input and result indexed once, and the few helpers
// the sentences need (working hours between two instants, plant-local dates, 1-based steps).
import { DateTime } from 'luxon';
import type { Role } from '../permissions.js';
import type { PlanInput, PlannedOperation, PlanOperationInput, PlanResult, PlanWorkOrder, RoutingStep } from '../schedule/index.js';
import { MS_PER_DAY, MS_PER_HOUR } from '../time.js';

export interface ExceptionMachine {
  key: string;
  name: string;
  group: string;
  enabled: boolean;
}

export interface ExceptionGate {
  name: string;
  hours: number;
  role: Role;
}

export interface ExceptionProduct {
  key: string;
  name: string;
  /** the gate after each routing step (index = step), null where there is none */
  gates: (ExceptionGate | null)[];
}

export interface ExceptionsInput {
  /** the live plan's input and what plan() made of it */
  plan: PlanInput;
  result: PlanResult;
  /** plant zone, for ISO weeks and the dates in sentences */
  zone: string;
  machines: ExceptionMachine[];
  products: ExceptionProduct[];
  /** roles of the active users (one entry per user) */
  activeUserRoles: readonly string[];
  /** gates passed so far: the step after which the gate lies */
  gatePasses: readonly { lot: string; step: number }[];
  options?: ExceptionsOptions;
}

export interface ExceptionsOptions {
  /** ISO weeks looked at for overloads, the current one included (default 13, a quarter) */
  weeksAhead?: number;
  /** a parked order finishing less than this many working hours before due is at risk (default 8) */
  dueMarginHours?: number;
}

export const DEFAULT_WEEKS_AHEAD = 13;
export const DEFAULT_DUE_MARGIN_HOURS = 8;

export interface PlanIndex {
  input: ExceptionsInput;
  now: number;
  zone: string;
  workOrders: Map<string, PlanWorkOrder>;
  /** planned operations per lot, by step */
  operations: Map<string, PlannedOperation[]>;
  /** operation inputs per lot, by step (absent step = no entry) */
  operationInputs: Map<string, Map<number, PlanOperationInput>>;
  routings: Map<string, RoutingStep[]>;
  products: Map<string, ExceptionProduct>;
  machines: Map<string, ExceptionMachine>;
  /** planned operations per machine in the order the machine runs them */
  machineSequence: Map<string, PlannedOperation[]>;
  unplannedReason: Map<string, string>;
  workingClock: WorkingClock;
}

export const opKey = (lot: string, step: number): string => `${lot}/${step}`;

export function indexPlan(input: ExceptionsInput): PlanIndex {
  const { plan, result } = input;
  const operations = new Map<string, PlannedOperation[]>();
  const machineSequence = new Map<string, PlannedOperation[]>();
  for (const op of result.operations) {
    const list = operations.get(op.lot) ?? [];
    list[op.step] = op;
    operations.set(op.lot, list);
    if (op.machine !== null && op.start !== null && op.end !== null) {
      const sequence = machineSequence.get(op.machine) ?? [];
      sequence.push(op);
      machineSequence.set(op.machine, sequence);
    }
  }
  const inputsByLot = new Map<string, Map<number, PlanOperationInput>>();
  for (const workOrder of plan.workOrders) inputsByLot.set(workOrder.lot, new Map(workOrder.operations.map((op) => [op.step, op])));
  // done operations carry their actual times but have left the machine's queue
  for (const [machine, sequence] of machineSequence) {
    const live = sequence.filter((op) => inputsByLot.get(op.lot)?.get(op.step)?.state !== 'done');
    live.sort((a, b) => a.start! - b.start! || a.end! - b.end!);
    machineSequence.set(machine, live);
  }
  // from the start of the current week (overloads) to past the last planned end and due date
  let until = plan.now + ((input.options?.weeksAhead ?? DEFAULT_WEEKS_AHEAD) + 1) * 7 * MS_PER_DAY;
  for (const op of result.operations) if (op.end !== null) until = Math.max(until, op.end);
  for (const wo of plan.workOrders) if (wo.due !== null) until = Math.max(until, wo.due);
  let clockFrom = plan.now;
  for (const wo of plan.workOrders) if (wo.due !== null) clockFrom = Math.min(clockFrom, wo.due);
  clockFrom -= 8 * MS_PER_DAY;
  return {
    input,
    workingClock: new WorkingClock(plan.working, clockFrom, until + MS_PER_DAY),
    now: plan.now,
    zone: input.zone,
    workOrders: new Map(plan.workOrders.map((wo) => [wo.lot, wo])),
    operations,
    operationInputs: inputsByLot,
    routings: new Map(plan.products.map((p) => [p.key, p.routing])),
    products: new Map(input.products.map((p) => [p.key, p])),
    machines: new Map(input.machines.map((m) => [m.key, m])),
    machineSequence,
    unplannedReason: new Map(result.unplanned.map((u) => [opKey(u.lot, u.step), u.reason])),
  };
}

/** Working milliseconds of the site calendar in [from, to). */
export function workingMsBetween(index: PlanIndex, from: number, to: number): number {
  if (!(to > from)) return 0;
  const clock = index.workingClock;
  if (from >= clock.from && to <= clock.to) return clock.cumulativeAt(to) - clock.cumulativeAt(from);
  return sumWorking(index.input.plan.working(from, to), from, to);
}

function sumWorking(intervals: readonly { start: number; end: number }[], from: number, to: number): number {
  let total = 0;
  for (const interval of intervals) {
    const start = Math.max(interval.start, from);
    const end = Math.min(interval.end, to);
    if (end > start) total += end - start;
  }
  return total;
}

/**
 * The calendar's working time over the span the finders ask about, fetched once, with running
 * totals: the working time between two instants is two binary searches, not a calendar call (the
 * load of every machine in every week, the work ahead of every late job).
 */
export class WorkingClock {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** working ms before the i-th interval */
  private readonly before: number[] = [];

  constructor(working: PlanInput['working'], readonly from: number, readonly to: number) {
    let total = 0;
    for (const interval of working(from, to)) {
      const start = Math.max(interval.start, from);
      const end = Math.min(interval.end, to);
      if (end <= start) continue;
      this.starts.push(start);
      this.ends.push(end);
      this.before.push(total);
      total += end - start;
    }
  }

  /** working ms in [from, instant) */
  cumulativeAt(instant: number): number {
    let low = 0;
    let high = this.starts.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.starts[middle] < instant) low = middle + 1;
      else high = middle;
    }
    if (low === 0) return 0;
    const last = low - 1;
    return this.before[last] + Math.min(instant, this.ends[last]) - this.starts[last];
  }
}

export function isDone(index: PlanIndex, lot: string, step: number): boolean {
  return index.operationInputs.get(lot)?.get(step)?.state === 'done';
}

export const hours = (ms: number): number => Math.round((ms / MS_PER_HOUR) * 10) / 10;
export const formatHours = (ms: number): string => `${hours(ms).toFixed(1)} h`;
export const stepLabel = (step: number): string => `step ${step + 1}`;

export function formatInstant(index: PlanIndex, instant: number): string {
  return DateTime.fromMillis(instant, { zone: index.zone }).toFormat('ccc d LLL HH:mm');
}

export function machineName(index: PlanIndex, key: string | null): string {
  if (key === null) return 'no machine';
  return index.machines.get(key)?.name ?? key;
}

export function groupOf(index: PlanIndex, lot: string, step: number): string | null {
  const workOrder = index.workOrders.get(lot);
  return (workOrder && index.routings.get(workOrder.product)?.[step]?.group) ?? null;
}

export function lotLabel(index: PlanIndex, lot: string): string {
  const workOrder = index.workOrders.get(lot);
  const product = workOrder ? index.products.get(workOrder.product) : undefined;
  return product ? `Lot ${lot} (${product.name})` : `Lot ${lot}`;
}
