// Capable-to-promise (issue 15): "when could N units of product P be finished if ordered now?"
// Two answers, both from the scheduler's own model:
// - untouched: every step appended to the machine of its group where it finishes earliest — nothing
//   already planned moves;
// - resequenced: every step placed as early in a queue as it can go without making any other work
//   order later past its due date (total tardiness of the others unchanged) — what the planner could
//   promise by letting the new order jump the queue where there is slack.
import { ScheduleModel, type ScheduleNode } from './scheduler.js';
import type { PlanInput, RateMode } from './types.js';
import { MS_PER_MINUTE } from '../time.js';

export interface PromiseRequest {
  product: string;
  quantity: number;
  rateMode?: RateMode;
}

export interface PromisedStep {
  step: number;
  machine: string;
  /** place in the machine's queue the answer assumes (0 = first) */
  position: number;
  start: number;
  end: number;
  changeoverMinutes: number;
}

export interface PromiseAnswer {
  /** when the last step would be done; null when it cannot be planned within the horizon */
  end: number | null;
  steps: PromisedStep[];
  /** other work orders that would finish later than planned (still on time) */
  delayedWorkOrders: number;
}

export interface PromiseResult {
  untouched: PromiseAnswer;
  resequenced: PromiseAnswer;
}

/** lot of the order being asked about; cannot collide with a real lot (those are trimmed text without NUL) */
const PROMISE_LOT = '\u0000promise';
const EPSILON_MS = 1;

export function capableToPromise(input: PlanInput, request: PromiseRequest): PromiseResult {
  const product = input.products.find((candidate) => candidate.key === request.product);
  if (!product) throw new RangeError(`unknown product '${request.product}'`);
  if (!(Number.isInteger(request.quantity) && request.quantity > 0)) throw new RangeError(`quantity must be a whole number > 0, got ${request.quantity}`);
  for (const [index, routingStep] of product.routing.entries()) {
    if (!input.machines.some((machine) => machine.group === routingStep.group)) {
      throw new RangeError(`step ${index} of '${product.key}' runs on group '${routingStep.group}', which has no machine`);
    }
  }
  const model = new ScheduleModel({
    ...input,
    workOrders: [...input.workOrders, { lot: PROMISE_LOT, product: product.key, quantity: request.quantity, due: null, rateMode: request.rateMode, operations: [] }],
  });
  model.run();
  const baseline = endsByWorkOrder(model);
  const asked = model.nodes.filter((node) => node.workOrder.lot === PROMISE_LOT);
  const queues = new Map([...model.queues.values()].map((queue) => [queue.key, [...queue.nodes]]));

  return {
    untouched: answer(model, asked, queues, baseline, 'append'),
    resequenced: answer(model, asked, queues, baseline, 'earliest-without-harm'),
  };
}

function endsByWorkOrder(model: ScheduleModel): Map<string, number> {
  const ends = new Map<string, number>();
  for (const node of model.nodes) {
    if (node.end === null) continue;
    const lot = node.workOrder.lot;
    ends.set(lot, Math.max(ends.get(lot) ?? -Infinity, node.end));
  }
  return ends;
}

function answer(
  model: ScheduleModel,
  asked: ScheduleNode[],
  baseQueues: Map<string, ScheduleNode[]>,
  baseline: Map<string, number>,
  mode: 'append' | 'earliest-without-harm',
): PromiseAnswer {
  const queues = new Map([...baseQueues].map(([key, nodes]) => [key, [...nodes]]));
  const machinesOf = (group: string) => [...model.queues.values()].filter((queue) => queue.group === group).map((queue) => queue.key);
  const tryAt = (node: ScheduleNode, machine: string, position: number): number | null => {
    const order = new Map(queues);
    const list = [...queues.get(machine)!];
    list.splice(position, 0, node);
    order.set(machine, list);
    model.assignQueues(order);
    model.run();
    return node.end;
  };
  const harmless = (): boolean => {
    for (const node of model.nodes) {
      if (node.successor !== null || node.workOrder.lot === PROMISE_LOT) continue;
      const due = node.workOrder.due;
      const before = baseline.get(node.workOrder.lot);
      if (due === null || before === undefined) continue;
      if (workOrderEnd(node) > Math.max(due, before) + EPSILON_MS) return false;
    }
    return true;
  };

  const steps: PromisedStep[] = [];
  for (const node of asked) {
    let best: { machine: string; position: number; end: number } | null = null;
    for (const machine of machinesOf(node.routingStep.group)) {
      const queue = queues.get(machine)!;
      let position = queue.length;
      if (mode === 'earliest-without-harm') {
        // the new order may not pass a job already under way; the earliest harmless place is found by
        // bisection (the further forward, the more others wait)
        let low = queue.length > 0 && queue[0].running ? 1 : 0;
        let high = queue.length;
        while (low < high) {
          const middle = (low + high) >>> 1;
          if (tryAt(node, machine, middle) !== null && harmless()) high = middle;
          else low = middle + 1;
        }
        position = low;
      }
      const end = tryAt(node, machine, position);
      if (end !== null && (best === null || end < best.end)) best = { machine, position, end };
    }
    if (best === null) return { end: null, steps, delayedWorkOrders: 0 };
    queues.get(best.machine)!.splice(best.position, 0, node);
  }
  model.assignQueues(queues);
  model.run();
  let delayedWorkOrders = 0;
  for (const [lot, end] of endsByWorkOrder(model)) {
    if (lot === PROMISE_LOT) continue;
    const before = baseline.get(lot);
    if (before !== undefined && end > before + EPSILON_MS) delayedWorkOrders += 1;
  }
  for (const node of asked) {
    const queue = node.queue!;
    steps.push({
      step: node.step,
      machine: queue.key,
      position: queue.nodes.indexOf(node),
      start: node.start!,
      end: node.end!,
      changeoverMinutes: node.changeoverMs / MS_PER_MINUTE,
    });
  }
  const last = asked[asked.length - 1];
  return { end: last.end, steps, delayedWorkOrders };
}

/** A work order's planned end from its last node back through its steps (steps without a forecast, e.g. parked, do not count). */
function workOrderEnd(last: ScheduleNode): number {
  let end = -Infinity;
  for (let node: ScheduleNode | null = last; node !== null; node = node.predecessor) if (node.end !== null) end = Math.max(end, node.end);
  return end;
}
