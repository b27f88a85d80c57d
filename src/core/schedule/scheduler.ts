// Finite-capacity forward scheduling: every machine works its queue in order, only in working time,
// and an operation waits for its predecessor step (plus that step's gate). Pure: "now" and the
// working time come in as parameters. Family changeovers (issue 15) come from the changeover matrix.
import { DateTime } from 'luxon';
import type {
  Interval,
  PlanInput,
  PlanOperationInput,
  PlanResult,
  PlanWorkOrder,
  PlannedOperation,
  RoutingStep,
  UnplannedReason,
} from './types.js';
import { addWorkingTime, WorkingTimeline } from './working-time.js';
import { ChangeoverMatrix } from './changeover.js';
import { MS_PER_HOUR, MS_PER_MINUTE } from '../time.js';

export { addWorkingTime, WorkingTimeline } from './working-time.js';

export const PLANNING_HORIZON_YEARS = 3;

/** Operations that do not end by now + 3 years are left unplanned (a queue that long is a data problem). */
export function planningHorizonEnd(now: number): number {
  return DateTime.fromMillis(now, { zone: 'utc' }).plus({ years: PLANNING_HORIZON_YEARS }).toMillis();
}

type NodeStatus = 'pending' | 'planned' | 'done' | 'unplanned';

/** One routing step of one work order as the scheduler (and the optimiser) sees it. */
export interface ScheduleNode {
  workOrder: PlanWorkOrder;
  step: number;
  routingStep: RoutingStep;
  input: PlanOperationInput | undefined;
  /** changeover family of the work order's product */
  family: string;
  predecessor: ScheduleNode | null;
  successor: ScheduleNode | null;
  /** what the input said before any optimiser move: done, held, parked, or waiting in a queue */
  initial: 'done' | 'held' | 'parked' | 'queued';
  /** the operation is under way: no setup, no changeover */
  running: boolean;
  /** setup + remaining quantity at the applicable rate; computed once per model */
  baseDurationMs: number;
  /** the machine queue holding this node while it waits to be planned; null = parking lot */
  queue: MachineQueue | null;
  status: NodeStatus;
  reason: UnplannedReason | null;
  start: number | null;
  end: number | null;
  changeoverMs: number;
  changeoverEnd: number | null;
}

export interface MachineQueue {
  key: string;
  group: string;
  /** the machine's working time: the site's, less its own unavailable intervals */
  timeline: WorkingTimeline;
  /** family before the first node (machine data or the planner); null = unknown */
  initialFamily: string | null;
  nodes: ScheduleNode[];
  /** index of the next node to place */
  cursor: number;
  /** when the machine has finished everything placed so far; Infinity once it ran past the horizon */
  freeAt: number;
  /** family of the last node placed, for the next one's changeover */
  family: string | null;
}

/**
 * A planning input compiled once (nodes, queues, durations, working time) so that it can be
 * scheduled many times with different queue contents: plan() runs it once, the optimiser runs it
 * for every candidate sequence — the same rules either way.
 */
export class ScheduleModel {
  readonly now: number;
  readonly timeline: WorkingTimeline;
  readonly matrix: ChangeoverMatrix;
  readonly nodes: ScheduleNode[];
  readonly queues: Map<string, MachineQueue>;

  constructor(input: PlanInput) {
    this.now = input.now;
    this.timeline = new WorkingTimeline(input.working, input.now, planningHorizonEnd(input.now));
    this.matrix = new ChangeoverMatrix(input.changeovers);
    this.nodes = buildNodes(input);
    this.queues = buildQueues(input, this.nodes, this.timeline);
  }

  /** Puts the given nodes, in order, in each named machine's queue (others keep theirs); nodes not given any queue stay where they are. */
  assignQueues(order: ReadonlyMap<string, readonly ScheduleNode[]>): void {
    for (const [machine, nodes] of order) {
      const queue = this.queues.get(machine);
      if (!queue) throw new Error(`unknown machine '${machine}'`);
      for (const node of queue.nodes) node.queue = null;
      queue.nodes = [...nodes];
    }
    for (const [machine, nodes] of order) {
      const queue = this.queues.get(machine)!;
      for (const node of nodes) node.queue = queue;
    }
  }

  /** Forward-schedules every queue in its current order (topological walk, see below). */
  run(): void {
    const { now, matrix } = this;
    for (const node of this.nodes) {
      node.start = node.end = node.changeoverEnd = null;
      node.changeoverMs = 0;
      if (node.initial === 'done') {
        node.status = 'done';
        node.reason = null;
        node.start = node.input?.actualStart ?? null;
        node.end = node.input?.actualEnd ?? null;
      } else if (node.initial === 'held') {
        node.status = 'unplanned';
        node.reason = 'held';
      } else if (node.queue === null) {
        node.status = 'unplanned';
        node.reason = 'parked';
      } else {
        node.status = 'pending';
        node.reason = null;
      }
    }
    for (const queue of this.queues.values()) {
      queue.cursor = 0;
      queue.freeAt = now;
      queue.family = queue.initialFamily;
    }

    // Order of machine processing does not change the result: each queue is strictly sequential and a
    // node is placed only once its predecessor is settled, so this is a topological walk of the
    // "previous in queue" + "previous step" graph. A worklist revisits a machine when the predecessor
    // it was waiting for gets settled; whatever is still pending at the end waits on a cycle.
    const worklist: MachineQueue[] = [...this.queues.values()];
    const inWorklist = new Set<MachineQueue>(worklist);
    while (worklist.length > 0) {
      const queue = worklist.pop()!;
      inWorklist.delete(queue);
      while (queue.cursor < queue.nodes.length) {
        const node = queue.nodes[queue.cursor];
        const predecessor = node.predecessor;
        if (predecessor !== null && predecessor.status === 'pending') break; // revisited when it settles
        queue.cursor += 1;
        placeNode(node, queue, now, matrix);
        const successorQueue = node.successor?.queue;
        if (successorQueue && !inWorklist.has(successorQueue)) {
          inWorklist.add(successorQueue);
          worklist.push(successorQueue);
        }
      }
    }
    for (const node of this.nodes) {
      if (node.status === 'pending') {
        node.status = 'unplanned';
        node.reason = 'queue-deadlock';
      }
    }
  }

  result(): PlanResult {
    const operations: PlannedOperation[] = [];
    const horizonExceeded: string[] = [];
    const unplanned: PlanResult['unplanned'] = [];
    for (const node of this.nodes) {
      const lot = node.workOrder.lot;
      if (node.status === 'unplanned' && node.reason !== null) {
        unplanned.push({ lot, step: node.step, reason: node.reason });
        if (node.reason === 'horizon-exceeded') horizonExceeded.push(`${lot}/${node.step}`);
      }
      const due = node.workOrder.due;
      operations.push({
        lot,
        step: node.step,
        machine: node.queue?.key ?? node.input?.machine ?? null,
        start: node.start,
        end: node.end,
        late: node.end !== null && due !== null && node.end > due,
        changeoverMinutes: node.changeoverMs / MS_PER_MINUTE,
        changeoverEnd: node.changeoverEnd,
      });
    }
    return { operations, horizonExceeded, unplanned };
  }
}

export function plan(input: PlanInput): PlanResult {
  const model = new ScheduleModel(input);
  model.run();
  return model.result();
}

/** One node per routing step of every work order, in work-order order then step. */
function buildNodes(input: PlanInput): ScheduleNode[] {
  const productsByKey = new Map(input.products.map((product) => [product.key, product]));
  const machineKeys = new Set(input.machines.map((machine) => machine.key));
  const nodes: ScheduleNode[] = [];

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

    let predecessor: ScheduleNode | null = null;
    product.routing.forEach((routingStep, step) => {
      const operationInput = inputsByStep.get(step);
      const initial = initialState(operationInput);
      const node: ScheduleNode = {
        workOrder,
        step,
        routingStep,
        input: operationInput,
        family: product.family ?? product.key,
        predecessor,
        successor: null,
        initial,
        running: operationInput !== undefined && isUnderWay(operationInput),
        baseDurationMs: initial === 'done' || initial === 'held' ? 0 : operationDurationMs(workOrder, routingStep, operationInput),
        queue: null,
        status: 'pending',
        reason: null,
        start: null,
        end: null,
        changeoverMs: 0,
        changeoverEnd: null,
      };
      if (predecessor !== null) predecessor.successor = node;
      predecessor = node;
      nodes.push(node);
    });
  }
  return nodes;
}

function initialState(operation: PlanOperationInput | undefined): ScheduleNode['initial'] {
  if (operation?.state === 'done') return 'done';
  if (operation?.state === 'held') return 'held';
  if (operation === undefined || operation.state === 'parked' || operation.machine === null) return 'parked';
  return 'queued';
}

function isUnderWay(operation: PlanOperationInput): boolean {
  return operation.state === 'running' || operation.produced > 0;
}

function buildQueues(input: PlanInput, nodes: ScheduleNode[], siteTimeline: WorkingTimeline): Map<string, MachineQueue> {
  const queues = new Map<string, MachineQueue>();
  for (const machine of input.machines) {
    const down = (machine.unavailable ?? []).filter((interval) => interval.end > interval.start);
    queues.set(machine.key, {
      key: machine.key,
      group: machine.group,
      timeline:
        down.length === 0
          ? siteTimeline
          : new WorkingTimeline((from, to) => subtractIntervals(input.working(from, to), down), input.now, siteTimeline.horizonEnd),
      initialFamily: machine.lastFamily ?? null,
      nodes: [],
      cursor: 0,
      freeAt: input.now,
      family: null,
    });
  }
  for (const node of nodes) {
    if (node.initial !== 'queued') continue;
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

/** `intervals` (ascending) less every part covered by one of `cuts`. */
export function subtractIntervals(intervals: readonly Interval[], cuts: readonly Interval[]): Interval[] {
  const sortedCuts = [...cuts].sort((a, b) => a.start - b.start);
  const result: Interval[] = [];
  for (const interval of intervals) {
    let cursor = interval.start;
    for (const cut of sortedCuts) {
      if (cut.end <= cursor || cut.start >= interval.end) continue;
      if (cut.start > cursor) result.push({ start: cursor, end: cut.start });
      cursor = Math.max(cursor, cut.end);
      if (cursor >= interval.end) break;
    }
    if (cursor < interval.end) result.push({ start: cursor, end: interval.end });
  }
  return result;
}

/**
 * The placement rule, in one place for the scheduler and for the estimates that append an operation
 * to a machine without re-running the plan (the optimiser's construction, parked-at-risk): ready at
 * `readyAt` after a job of `previousFamily`, the family changeover runs in working time directly
 * before the operation (on top of its setup; a job already under way has had its changeover) and the
 * operation is never split. null when it would not end within the planning horizon.
 */
export function placementOnQueue(
  queue: Pick<MachineQueue, 'group' | 'timeline'>,
  node: Pick<ScheduleNode, 'running' | 'family' | 'baseDurationMs'>,
  matrix: ChangeoverMatrix,
  readyAt: number,
  previousFamily: string | null,
): { start: number; end: number; changeoverMs: number } | null {
  const timeline = queue.timeline;
  const changeoverMs = node.running ? 0 : matrix.minutes(queue.group, previousFamily, node.family) * MS_PER_MINUTE;
  const durationMs = changeoverMs + node.baseDurationMs;
  // A job with no work left (and no setup) takes no working time, so it need not wait for a shift.
  const start = readyAt >= timeline.horizonEnd ? null : durationMs === 0 ? readyAt : timeline.firstWorkingInstant(readyAt);
  const end = start === null ? null : addWorkingTime(timeline, start, durationMs);
  if (start === null || end === null || end > timeline.horizonEnd) return null;
  return { start, end, changeoverMs };
}

function placeNode(node: ScheduleNode, queue: MachineQueue, now: number, matrix: ChangeoverMatrix): void {
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

  const placement = placementOnQueue(queue, node, matrix, readyAt, queue.family);
  if (placement === null) {
    node.status = 'unplanned';
    node.reason = 'horizon-exceeded';
    // The machine never gets past this job within the horizon, so nothing behind it does either.
    queue.freeAt = Infinity;
    return;
  }
  const { start, end, changeoverMs } = placement;
  node.status = 'planned';
  node.start = start;
  node.end = end;
  node.changeoverMs = changeoverMs;
  node.changeoverEnd = changeoverMs === 0 ? start : queue.timeline.addWorkingTime(start, changeoverMs);
  queue.freeAt = end;
  queue.family = node.family;
}

/** Setup (unless the job is already under way) plus the remaining quantity at the applicable rate. */
export function operationDurationMs(
  workOrder: Pick<PlanWorkOrder, 'lot' | 'quantity' | 'rateMode'>,
  routingStep: RoutingStep,
  operation: PlanOperationInput | undefined,
): number {
  const produced = operation?.produced ?? 0;
  const alreadyRunning = operation !== undefined && isUnderWay(operation);
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
