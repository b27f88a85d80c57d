// When a work order will probably be finished although some of its steps are not planned yet (their
// process group has them in the parking lot). The scheduler plans what is on machine queues; this
// estimate carries on after the last planned step: each later step waits for the gate of the step
// before it, then takes its setup plus the remaining quantity at its rate, in working time of the
// site calendar — as if a machine of its group were free. Pure: "now" and working time come in.
//
// Choices where no machine is known yet: the site calendar (machines have no calendar of their
// own), the routing's standard rate (machines have no rate of their own; with rate mode 'observed'
// a rate already observed for the step is used, as the scheduler does), and no queue in front of it
// — so the estimate is the earliest the lot could finish, and a lot flagged at risk is late unless
// something changes.
import { operationDurationMs } from './scheduler.js';
import type { OperationState, RateMode, RoutingStep } from './types.js';
import type { WorkingTimeline } from './working-time.js';
import { MS_PER_HOUR } from '../time.js';


export interface EstimateOperation {
  step: number;
  state: OperationState;
  produced: number;
  observedRatePerHour?: number | null;
  recommendedRatePerHour?: number | null;
  /** the scheduler's forecast; null when the step is not planned */
  forecastStart: number | null;
  forecastEnd: number | null;
  actualStart?: number | null;
  actualEnd?: number | null;
}

export interface EstimateInput {
  now: number;
  /** working time of the site calendar, starting at `now` */
  timeline: WorkingTimeline;
  workOrder: { lot: string; quantity: number; due: number | null; rateMode?: RateMode };
  routing: readonly RoutingStep[];
  operations: readonly EstimateOperation[];
}

export interface StepEstimate {
  step: number;
  start: number | null;
  end: number | null;
  /** true: not planned, this is the estimate; false: the forecast (or what actually happened) */
  estimated: boolean;
}

export interface CompletionEstimate {
  steps: StepEstimate[];
  /** end of the last step: planned, estimated or actual; null when it cannot be reached in the horizon */
  finish: number | null;
  /** some step of it is estimated, not planned */
  estimated: boolean;
  /** the estimated finish is after the due date ("at risk"; "late" is the planned steps' own flag) */
  lateRisk: boolean;
}

export function estimateCompletion({ now, timeline, workOrder, routing, operations }: EstimateInput): CompletionEstimate {
  const byStep = new Map(operations.map((op) => [op.step, op]));
  const steps: StepEstimate[] = [];
  /** end of the previous step; undefined = before the first step, null = not reachable */
  let previousEnd: number | null | undefined;
  let previousGateHours = 0;
  let estimated = false;
  routing.forEach((routingStep, index) => {
    const op = byStep.get(index);
    let step: StepEstimate;
    if (op?.state === 'done') {
      step = { step: index, start: op.actualStart ?? null, end: op.actualEnd ?? previousEnd ?? null, estimated: false };
    } else if (op && op.forecastEnd !== null) {
      step = { step: index, start: op.forecastStart, end: op.forecastEnd, estimated: false };
    } else if (previousEnd === null) {
      step = { step: index, start: null, end: null, estimated: true };
    } else {
      const readyAt = Math.max(now, previousEnd === undefined ? now : previousEnd + previousGateHours * MS_PER_HOUR);
      const durationMs = operationDurationMs(workOrder, routingStep, op ? { ...op, machine: null, position: null } : undefined);
      const start = readyAt >= timeline.horizonEnd ? null : durationMs === 0 ? readyAt : timeline.firstWorkingInstant(readyAt);
      const end = start === null ? null : timeline.addWorkingTime(start, durationMs);
      step = { step: index, start, end, estimated: true };
    }
    estimated ||= step.estimated;
    steps.push(step);
    previousEnd = step.end;
    previousGateHours = routingStep.gateHours;
  });
  const finish = steps.length > 0 ? steps[steps.length - 1].end : null;
  const due = workOrder.due;
  return { steps, finish, estimated, lateRisk: estimated && due !== null && (finish === null || finish > due) };
}
