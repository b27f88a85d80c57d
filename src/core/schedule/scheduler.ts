// Finite-capacity forward scheduling: every machine works its queue in order, only in working time,
// and an operation waits for its predecessor step (plus that step's gate). Pure: "now" and the
// working time come in as parameters.
import { DateTime } from 'luxon';
import type {
  PlanInput,
  PlanOperationInput,
  PlanResult,
  PlanWorkOrder,
  PlannedOperation,
  RoutingStep,
  UnplannedReason,
} from './types.js';
import { addWorkingTime, WorkingTimeline } from './working-time.js';
import { MS_PER_HOUR, MS_PER_MINUTE } from '../time.js';

export { addWorkingTime, WorkingTimeline } from './working-time.js';

export const PLANNING_HORIZON_YEARS = 3;

/** Operations that do not end by now + 3 years are left unplanned (a queue that long is a data problem). */
export function planningHorizonEnd(now: number): number {
  return DateTime.fromMillis(now, { zone: 'utc' }).plus({ years: PLANNING_HORIZON_YEARS }).toMillis();
}

type NodeStatus = 'pending' | 'planned' | 'done' | 'unplanned';

interface OperationNode {
  workOrder: PlanWorkOrder;
  step: number;
  routingStep: RoutingStep;
  input: PlanOperationInput | undefined;
  predecessor: OperationNode | null;
  successor: OperationNode | null;
  /** the machine queue holding this node while it waits to be planned */
  queue: MachineQueue | null;
  status: NodeStatus;
  reason: UnplannedReason | null;
  start: number | null;
  end: number | null;
}

interface MachineQueue {
  key: string;
  nodes: OperationNode[];
  /** index of the next node to place */
  cursor: number;
  /** when the machine has finished everything placed so far; Infinity once it ran past the horizon */
  freeAt: number;
}

export function plan(input: PlanInput): PlanResult {
  const { now } = input;
  const horizonEnd = planningHorizonEnd(now);
  const timeline = new WorkingTimeline(input.working, now, horizonEnd);

  const nodes = buildNodes(input);
  const queues = buildQueues(input, nodes);

  // Order of machine processing does not change the result: each queue is strictly sequential and a
  // node is placed only once its predecessor is settled, so this is a topological walk of the
  // "previous in queue" + "previous step" graph. A worklist revisits a machine when the predecessor
  // it was waiting for gets settled; whatever is still pending at the end waits on a cycle.
  const worklist: MachineQueue[] = [...queues.values()];
  const inWorklist = new Set<MachineQueue>(worklist);

  const settle = (node: OperationNode): void => {
    const successorQueue = node.successor?.queue;
    if (successorQueue && !inWorklist.has(successorQueue)) {
      inWorklist.add(successorQueue);
      worklist.push(successorQueue);
    }
  };

  while (worklist.length > 0) {
    const queue = worklist.pop()!;
    inWorklist.delete(queue);
    while (queue.cursor < queue.nodes.length) {
      const node = queue.nodes[queue.cursor];
      const predecessor = node.predecessor;
      if (predecessor !== null && predecessor.status === 'pending') break; // revisited when it settles
      queue.cursor += 1;
      placeNode(node, queue, now, timeline);
      settle(node);
    }
  }

  const operations: PlannedOperation[] = [];
  const horizonExceeded: string[] = [];
  const unplanned: PlanResult['unplanned'] = [];
  for (const node of nodes) {
    if (node.status === 'pending') {
      node.status = 'unplanned';
      node.reason = 'queue-deadlock';
    }
    const lot = node.workOrder.lot;
    if (node.status === 'unplanned' && node.reason !== null) {
      unplanned.push({ lot, step: node.step, reason: node.reason });
      if (node.reason === 'horizon-exceeded') horizonExceeded.push(`${lot}/${node.step}`);
    }
    const due = node.workOrder.due;
    operations.push({
      lot,
      step: node.step,
      machine: node.input?.machine ?? null,
      start: node.start,
      end: node.end,
      late: node.end !== null && due !== null && node.end > due,
    });
  }
  return { operations, horizonExceeded, unplanned };
}

/** One node per routing step of every work order, in work-order order then step. */
function buildNodes(input: PlanInput): OperationNode[] {
  const productsByKey = new Map(input.products.map((product) => [product.key, product]));
  const machineKeys = new Set(input.machines.map((machine) => machine.key));
  const nodes: OperationNode[] = [];

  for (const workOrder of input.workOrders) {
    const product = productsByKey.get(workOrder.product);
    if (!product) throw new Error(`work order ${workOrder.lot}: unknown product '${workOrder.product}'`);
    const inputsByStep = new Map<number, PlanOperationInput>();
    for (const operation of workOrder.operations) {
      if (!Number.isInteger(operation.step) || operation.step < 0 || operation.step >= product.routing.length) {
        throw new RangeError(`work order ${workOrder.lot}: step ${operation.step} is not in the routing of '${product.key}'`);
      }
      if (inputsByStep.has(operation.step)) throw new Error(`work order ${workOrder.lot}: step ${operation.step} appears twice`);
      if (operation.machine !== null && !machineKeys.has(operation.machine)) {
        throw new Error(`work order ${workOrder.lot} step ${operation.step}: unknown machine '${operation.machine}'`);
      }
      inputsByStep.set(operation.step, operation);
    }

    let predecessor: OperationNode | null = null;
    product.routing.forEach((routingStep, step) => {
      const operationInput = inputsByStep.get(step);
      const node: OperationNode = {
        workOrder,
        step,
        routingStep,
        input: operationInput,
        predecessor,
        successor: null,
        queue: null,
        status: 'pending',
        reason: null,
        start: null,
        end: null,
      };
      classifyWithoutQueue(node);
      if (predecessor !== null) predecessor.successor = node;
      predecessor = node;
      nodes.push(node);
    });
  }
  return nodes;
}

/** Settles the nodes that never wait in a queue: done, held and parked operations. */
function classifyWithoutQueue(node: OperationNode): void {
  const operation = node.input;
  if (operation?.state === 'done') {
    node.status = 'done';
    node.start = operation.actualStart ?? null;
    node.end = operation.actualEnd ?? null;
  } else if (operation?.state === 'held') {
    node.status = 'unplanned';
    node.reason = 'held';
  } else if (operation === undefined || operation.state === 'parked' || operation.machine === null) {
    node.status = 'unplanned';
    node.reason = 'parked';
  }
}

function buildQueues(input: PlanInput, nodes: OperationNode[]): Map<string, MachineQueue> {
  const queues = new Map<string, MachineQueue>();
  for (const machine of input.machines) {
    queues.set(machine.key, { key: machine.key, nodes: [], cursor: 0, freeAt: input.now });
  }
  for (const node of nodes) {
    if (node.status !== 'pending') continue;
    const queue = queues.get(node.input!.machine!)!;
    node.queue = queue;
    queue.nodes.push(node);
  }
  // Array.prototype.sort is stable: equal or missing positions keep the input order.
  for (const queue of queues.values()) {
    queue.nodes.sort((a, b) => (a.input!.position ?? Infinity) - (b.input!.position ?? Infinity));
  }
  return queues;
}

function placeNode(node: OperationNode, queue: MachineQueue, now: number, timeline: WorkingTimeline): void {
  const predecessor = node.predecessor;
  if (predecessor !== null && predecessor.status === 'unplanned') {
    // A step cannot start before the previous one; if that one has no forecast, neither has this.
    node.status = 'unplanned';
    node.reason = predecessor.reason === 'horizon-exceeded' ? 'horizon-exceeded' : 'predecessor-unplanned';
    return;
  }

  let readyAt = Math.max(now, queue.freeAt);
  if (predecessor !== null && predecessor.end !== null) {
    readyAt = Math.max(readyAt, predecessor.end + predecessor.routingStep.gateHours * MS_PER_HOUR);
  }

  const durationMs = operationDurationMs(node.workOrder, node.routingStep, node.input);
  // A job with no work left (and no setup) takes no working time, so it need not wait for a shift.
  const start =
    readyAt >= timeline.horizonEnd ? null : durationMs === 0 ? readyAt : timeline.firstWorkingInstant(readyAt);
  const end = start === null ? null : addWorkingTime(timeline, start, durationMs);
  if (start === null || end === null || end > timeline.horizonEnd) {
    node.status = 'unplanned';
    node.reason = 'horizon-exceeded';
    // The machine never gets past this job within the horizon, so nothing behind it does either.
    queue.freeAt = Infinity;
    return;
  }
  node.status = 'planned';
  node.start = start;
  node.end = end;
  queue.freeAt = end;
}

/** Setup (unless the job is already under way) plus the remaining quantity at the applicable rate. */
export function operationDurationMs(
  workOrder: Pick<PlanWorkOrder, 'lot' | 'quantity' | 'rateMode'>,
  routingStep: RoutingStep,
  operation: PlanOperationInput | undefined,
): number {
  const produced = operation?.produced ?? 0;
  const alreadyRunning = operation?.state === 'running' || produced > 0;
  const setupMs = alreadyRunning ? 0 : routingStep.setupMinutes * MS_PER_MINUTE;
  const remaining = Math.max(0, workOrder.quantity - produced);
  if (remaining === 0) return setupMs;
  // a mode without its rate (nothing produced yet, no data) plans at the routing's standard rate;
  // only the mode's own rate is read (this runs once per operation placed, thousands per re-plan)
  let rate = routingStep.ratePerHour;
  const mode = workOrder.rateMode;
  if (mode === 'observed') {
    const observed = operation?.observedRatePerHour;
    if (observed != null && observed > 0) rate = observed;
  } else if (mode === 'recommended') {
    const recommended = operation?.recommendedRatePerHour;
    if (recommended != null && recommended > 0) rate = recommended;
  }
  if (!(rate > 0)) {
    throw new RangeError(`work order ${workOrder.lot} step ${operation?.step}: rate must be > 0 units/h, got ${rate}`);
  }
  // Multiply before dividing so whole-hour results stay exact in floating point.
  return setupMs + Math.round((remaining * MS_PER_HOUR) / rate);
}
